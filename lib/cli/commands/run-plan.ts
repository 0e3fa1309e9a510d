import {
  apply,
  hasChanges,
  planStatus,
  renderPlan,
  renderResult,
  resultSummaryLine,
  stepUserName,
  stopReason,
  type Plan,
  type PlanStatus,
  type RenderFormat,
  type StepOutcome,
} from "../../core/sync";
import { appendFileSync } from "node:fs";
import type { ScimClient } from "../../core/scim";
import type { RamAccessClient } from "../../core/ims";
import { fsReason } from "../files";
import { stoppedExitCode, UsageError, wantsColor, type CliIo } from "../io";
import { progressReporter } from "../progress";

/**
 * Exit statuses (README, "Exit statuses"). `plan` as Terraform's: 0 on success, and with
 * --detailed-exitcode 2 when there are changes; 1 an error; 3 refused by a safety rule (the
 * deletion guard, ownership, …), so that a pipeline can route only that to a person.
 */
export const EXIT = { ok: 0, error: 1, changes: 2, refused: 3 } as const;

/** The status of several sets: an error wins, then a refusal, then changes. */
export function worst(codes: readonly number[]): number {
  for (const code of [EXIT.error, EXIT.refused, EXIT.changes])
    if (codes.includes(code)) return code;
  return EXIT.ok;
}

/** A plan's exit status (README, "Exit statuses"); 2 for changes only when `detailed` asks. */
export function planExit(status: PlanStatus, detailed = false): number {
  if (status === "invalid") return EXIT.error;
  if (status === "refused") return EXIT.refused;
  return status === "changes" && detailed ? EXIT.changes : EXIT.ok;
}

/** The parts of a connection a plan and an apply use. */
export interface Reach {
  readonly client: ScimClient;
  readonly access?: RamAccessClient | undefined;
}

/** How a plan is run: its output, whether to ask first, how wide, and where to record it. */
export interface RunFlags {
  format: RenderFormat;
  autoApprove?: boolean;
  concurrency?: number;
  auditLog?: string;
  /** What gave the audit log, for an error: `--audit-log` or its variable. @default "--audit-log" */
  auditLogFrom?: string;
}

/** Shows a plan, asks on a terminal, applies, reports; the exit status. */
export async function runPlan(
  p: Plan,
  reach: Reach,
  flags: RunFlags,
  io: CliIo,
  stop: AbortSignal = io.stop,
): Promise<number> {
  const text = flags.format === "text";
  if (text) io.stdout(renderPlan(p, "text", { color: wantsColor(io) }));
  if (p.errors.length > 0 || !hasChanges(p)) {
    // Nothing to do, or refused as a whole: apply() says so without touching RAM.
    if (!text) io.stdout(renderResult(await apply(reach.client, p), flags.format));
    return planExit(planStatus(p));
  }
  if (!flags.autoApprove) {
    const declined = await confirm(p, flags.format, io, stop);
    if (declined !== undefined) return declined;
  }
  return applyAndReport(p, reach, flags, io, stop);
}

/**
 * As Terraform: nothing changes without a "yes" on a terminal or --auto-approve; with no terminal
 * to ask on (CI, a pipe, cron), refuse rather than assume. Undefined when the answer is yes,
 * else the exit status.
 */
async function confirm(
  p: Plan,
  format: RenderFormat,
  io: CliIo,
  stop: AbortSignal,
): Promise<number | undefined> {
  // The plan is shown before any question: on standard output in its format, as text on
  // standard error when the format is for machines.
  if (format !== "text") {
    io.stdout(renderPlan(p, format));
    io.stderr(renderPlan(p, "text", { color: wantsColor(io) }));
  }
  if (!io.interactive || !io.prompt) {
    io.stderr(
      "ram-scim: nothing was changed: there is no terminal to confirm on. Review the plan, then run again with --auto-approve to apply without asking.\n",
    );
    return EXIT.error;
  }
  // A signal while waiting for the answer cancels, as a "no" would.
  const answer = await Promise.race([
    io
      .prompt("\nDo you want to make these changes in RAM? Only 'yes' will be accepted: ")
      .catch(() => undefined),
    new Promise<undefined>((resolve) => {
      if (stop.aborted) resolve(undefined);
      stop.addEventListener("abort", () => resolve(undefined), { once: true });
    }),
  ]);
  if (stop.aborted) {
    io.stderr(`\nApply cancelled (${stopReason(stop)}); nothing was changed.\n`);
    return stoppedExitCode(stop);
  }
  if (answer?.trim() !== "yes") {
    io.stderr("Apply cancelled; nothing was changed.\n");
    return EXIT.error;
  }
  return undefined;
}

/** Applies with progress and the audit log, reports the result; the exit status. */
async function applyAndReport(
  p: Plan,
  reach: Reach,
  flags: RunFlags,
  io: CliIo,
  stop: AbortSignal,
): Promise<number> {
  const { auditLog } = flags;
  const from = flags.auditLogFrom ?? "--audit-log";
  const text = flags.format === "text";
  // Opened before the first change, so that an unwritable log stops the run, not its record.
  if (auditLog) appendOrExplain(from, auditLog, "");
  if (text) io.stdout("\n");
  const progress = progressReporter(io, flags.format, wantsColor(io));
  const outcome = await apply(reach.client, p, {
    signal: stop,
    concurrency: flags.concurrency,
    ...(reach.access ? { access: reach.access } : {}),
    onStep: (o, d, t) => {
      progress.step(o, d, t);
      if (auditLog) {
        const line = auditLine(o);
        appendOrExplain(from, auditLog, `${io.secrets?.redact(line) ?? line}\n`);
      }
    },
  });
  progress.end();
  io.stdout(text ? `\n${resultSummaryLine(outcome)}\n` : renderResult(outcome, flags.format));
  if (stop.aborted) {
    const started = outcome.outcomes.filter((o) => !o.detail?.startsWith("not started")).length;
    io.stderr(
      `ram-scim: stopped (${stopReason(stop)}) after ${started} of ${outcome.outcomes.length} steps; ` +
        `the others were not started. Nothing is half-done: run apply again to finish.\n`,
    );
    return stoppedExitCode(stop);
  }
  return outcome.ok ? EXIT.ok : EXIT.error;
}

/** Appends to the audit log (mode 0600 when new); a failure names where it was given, the file and why. */
function appendOrExplain(from: string, file: string, text: string): void {
  try {
    appendFileSync(file, text, { mode: 0o600 });
  } catch (e) {
    throw new UsageError(`${from} ${file}: cannot write it (${fsReason(e)})`);
  }
}

/** One audit record: what was done to whom, when, and how it ended. Never a secret. */
function auditLine(o: StepOutcome): string {
  return JSON.stringify({
    time: o.finishedAt,
    step: o.step.stepId,
    action: o.step.action,
    user: stepUserName(o.step),
    outcome: o.status,
    ...(o.detail ? { detail: o.detail } : {}),
    ...(o.error?.status !== undefined ? { status: o.error.status } : {}),
  });
}
