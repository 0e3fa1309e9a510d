import { Option, type Command } from "commander";
import {
  apply,
  hasChanges,
  parseMaxDeletes,
  plan,
  planTeardown,
  readRamState,
  needsAccess,
  stepUserName,
  renderPlan,
  type StepOutcome,
  stopReason,
  renderResult,
  resultSummaryLine,
  planStatus,
  type MaxDeletes,
  type Plan,
  type RenderFormat,
} from "../../core/sync";
import { randomBytes } from "node:crypto";
import { appendFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import {
  checkSameSteps,
  parseSavedPlan,
  savedFor,
  SavedPlanMismatch,
  savePlans,
} from "../../core/sync/saved";
import type { ScimClient } from "../../core/scim";
import { RamAccessClient } from "../../core/ims";
import { foldUserName, loadUserSets, parseUserSet, type UserSet } from "../../core/users";
import {
  addConcurrencyOption,
  addConnectionOptions,
  connect,
  type ConnectionFlags,
} from "../connection";
import {
  runSignal,
  stoppedExitCode,
  untilStopped,
  UsageError,
  wantsColor,
  type CliIo,
} from "../io";
import { duration, readLimited } from "../parse";
import { folderAt, fsReason } from "../files";
import { LARGEST_USERS_FILE } from "../../core/text-file";
import { progressReporter } from "../progress";

interface PlanFlags extends ConnectionFlags {
  format: RenderFormat;
  timeout?: number;
  /** Where `plan` saves the reviewed plan for `apply --plan`. */
  out?: string;
  detailedExitcode?: boolean;
  maxDeletes?: MaxDeletes;
  usersEnv?: string;
}

interface ApplyFlags extends PlanFlags {
  autoApprove?: boolean;
  auditLog?: string;
  /** A plan saved by `plan --out`: apply exactly it, or nothing. */
  plan?: string;
}

function timeoutOption() {
  return new Option(
    "--timeout <duration>",
    "bound the whole run (90s, 15m, 1h): past it no step starts, and the run exits 1 saying what was done",
  ).argParser(duration("--timeout"));
}

/**
 * Exit statuses (README, "Exit statuses"). `plan` as Terraform's: 0 on success, and with
 * --detailed-exitcode 2 when there are changes; 1 an error; 3 refused by a safety rule (the
 * deletion guard, ownership, …), so that a pipeline can route only that to a person.
 */
export const EXIT = { ok: 0, error: 1, changes: 2, refused: 3 } as const;

/** The status of several sets: an error wins, then a refusal, then changes. */
function worst(codes: readonly number[]): number {
  for (const code of [EXIT.error, EXIT.refused, EXIT.changes])
    if (codes.includes(code)) return code;
  return EXIT.ok;
}

function formatOption() {
  return new Option("--format <format>", "output format")
    .choices(["text", "markdown", "json"])
    .default("text");
}

function maxDeletesOption() {
  return new Option(
    "--max-deletes <n|p%>",
    "refuse a plan that deletes more users than this (default: max(5, 25 % of the managed))",
  ).argParser((value: string) => {
    const parsed = parseMaxDeletes(value);
    if (parsed === undefined)
      throw new UsageError(
        `--max-deletes takes a count (10) or a share of the managed users (30%), got "${value}"`,
      );
    return parsed;
  });
}

export function registerReconcile(program: Command, io: CliIo, result: { exitCode: number }): void {
  addConnectionOptions(
    program
      .command("plan")
      .description(
        "show what apply would change in RAM (exit 0: done, 1: error, 3: refused by a safety rule; 2: changes, with --detailed-exitcode)",
      )
      .argument("[paths...]", "users files, folders or globs (YAML or JSON)")
      .addOption(usersEnvOption())
      .addOption(formatOption())
      .addOption(maxDeletesOption())
      .option("--detailed-exitcode", "exit 2 when there are changes, 0 when there are none")
      .option(
        "--out <file>",
        "save the plan for `apply --plan FILE`, which applies exactly it or nothing (as terraform plan -out)",
      )
      .addOption(timeoutOption()),
  ).action(async (paths: string[], flags: PlanFlags) => {
    const sets = usersFrom(paths, flags.usersEnv, io);
    const stop = runSignal(io, flags.timeout);
    const connection = await connect(flags, io);
    try {
      const codes: number[] = [];
      const moves = movesBetween(sets);
      const made: { set: UserSet; plan: Plan }[] = [];
      for (const desired of sets) {
        const p = await livePlan(
          desired,
          connection,
          maxDeletesFrom(flags, io),
          io,
          moves.get(desired.owner),
          stop,
        );
        made.push({ set: desired, plan: p });
        io.stdout(renderPlan(p, flags.format, { color: wantsColor(io) }));
        const status = planStatus(p);
        codes.push(
          status === "invalid"
            ? EXIT.error
            : status === "refused"
              ? EXIT.refused
              : status === "changes" && flags.detailedExitcode
                ? EXIT.changes
                : EXIT.ok,
        );
      }
      if (flags.out) {
        writeAtomically(
          flags.out,
          `${JSON.stringify(savePlans(made, maxDeletesFrom(flags, io)), null, 2)}\n`,
        );
        io.stderr(
          `ram-scim: plan saved to ${flags.out}: \`ram-scim apply --plan ${flags.out}\` applies exactly it\n`,
        );
      }
      result.exitCode = worst(codes);
    } finally {
      await connection.close();
    }
  });

  addConcurrencyOption(
    addConnectionOptions(
      program
        .command("apply")
        .description(
          "make RAM match the users file: create, update, adopt, delete (exit 0: all done, 1: a step failed or an error, 3: refused by a safety rule)",
        )
        .argument("[paths...]", "users files, folders or globs (YAML or JSON)")
        .addOption(usersEnvOption())
        .addOption(formatOption())
        .addOption(maxDeletesOption())
        .option(
          "--auto-approve",
          "apply without asking; without it, apply asks on a terminal and refuses with none",
        )
        .option(
          "--audit-log <file>",
          "append one JSON line per step taken (time, step, user, outcome); default $RAM_SCIM_AUDIT_LOG",
        )
        .option(
          "--plan <file>",
          "apply the plan `plan --out` saved, exactly: refused (exit 3, nothing changed) when the files or RAM no longer give it",
        )
        .addOption(timeoutOption()),
    ),
  ).action(async (paths: string[], flags: ApplyFlags) => {
    const sets = usersFrom(paths, flags.usersEnv, io);
    const stop = runSignal(io, flags.timeout);
    const connection = await connect(flags, io);
    try {
      const codes: number[] = [];
      const moves = movesBetween(sets);
      if (flags.plan) {
        const plans = await reviewedPlans(sets, flags.plan, connection, flags, io, moves, stop);
        for (const { plan: p, reach } of plans) {
          if (stop.aborted) break;
          codes.push(await runPlan(p, reach, flags, io, stop));
        }
        result.exitCode = stop.aborted ? stoppedExitCode(stop) : worst(codes);
        return;
      }
      for (const desired of sets) {
        if (stop.aborted) break;
        codes.push(
          await applyFile(
            desired,
            connection,
            { ...flags, maxDeletes: maxDeletesFrom(flags, io) },
            io,
            moves.get(desired.owner),
            stop,
          ),
        );
      }
      result.exitCode = stop.aborted ? stoppedExitCode(stop) : worst(codes);
    } finally {
      await connection.close();
    }
  });

  addConcurrencyOption(
    addConnectionOptions(
      program
        .command("teardown")
        .description(
          "delete every user the set's owner manages, protected ones excepted (what deleteUsersOnDestroy runs); the deletion guard applies as to apply",
        )
        .argument("[paths...]", "users files, folders or globs (YAML or JSON)")
        .addOption(usersEnvOption())
        .addOption(formatOption())
        .addOption(maxDeletesOption())
        .option(
          "--auto-approve",
          "delete without asking; without it, teardown asks on a terminal and refuses with none",
        )
        .addOption(timeoutOption()),
    ),
  ).action(async (paths: string[], flags: ApplyFlags) => {
    const sets = usersFrom(paths, flags.usersEnv, io);
    const stop = runSignal(io, flags.timeout);
    const connection = await connect(flags, io);
    try {
      const codes: number[] = [];
      for (const desired of sets) {
        if (stop.aborted) break;
        const users = await untilStopped(
          connection.client.listUsers(),
          stop,
          `reading RAM for owner "${desired.owner}"`,
        );
        codes.push(
          await runPlan(
            planTeardown(desired, users, {
              maxDeletes: maxDeletesFrom(flags, io),
              maxDeletesName: "--max-deletes",
            }),
            connection,
            flags,
            io,
            stop,
          ),
        );
      }
      result.exitCode = stop.aborted ? stoppedExitCode(stop) : worst(codes);
    } finally {
      await connection.close();
    }
  });
}

function usersEnvOption() {
  return new Option(
    "--users-env <variable>",
    "read the users file (YAML or JSON, or base64 of either) from this environment variable",
  );
}

/**
 * The user sets: from files, folders or globs (one set per owner, ram-scim.yaml's owner and
 * policy applied), or from a variable holding one file base64-encoded. Checked before RAM is asked.
 */
export function usersFrom(
  paths: readonly string[],
  usersEnv: string | undefined,
  io: CliIo,
): UserSet[] {
  if (paths.length > 0 && usersEnv)
    throw new UsageError("give users files or --users-env, not both");
  if (usersEnv) {
    const value = io.env[usersEnv];
    if (!value) throw new UsageError(`--users-env ${usersEnv}: the variable is not set or empty`);
    return [parseUserSet(usersText(value), `$${usersEnv}`)];
  }
  if (paths.length === 0)
    throw new UsageError("name the users files or folders (or give --users-env VARIABLE)");
  return loadUserSets(paths);
}

/**
 * A users file handed over in a variable or a query: its text (what the cdktf constructs send:
 * JSON) or that text base64-encoded (`filebase64()` in plain Terraform). A users file always holds
 * a `:`, which base64 never does.
 */
export function usersText(value: string): string {
  return /^[A-Za-z0-9+/=\s]+$/.test(value) ? Buffer.from(value, "base64").toString("utf8") : value;
}

/** --max-deletes, else RAM_SCIM_MAX_DELETES. */
function maxDeletesFrom(flags: { maxDeletes?: MaxDeletes }, io: CliIo): MaxDeletes | undefined {
  if (flags.maxDeletes !== undefined) return flags.maxDeletes;
  const text = io.env.RAM_SCIM_MAX_DELETES;
  if (!text) return undefined;
  const parsed = parseMaxDeletes(text);
  if (parsed === undefined)
    throw new UsageError(
      `RAM_SCIM_MAX_DELETES takes a count (10) or a share of the managed users (30%), got "${text}"`,
    );
  return parsed;
}

/** Reads RAM (one list) and plans. */
/** The parts of a connection a plan and an apply use. */
interface Reach {
  readonly client: ScimClient;
  readonly access?: RamAccessClient | undefined;
}

/**
 * Reads RAM (one SCIM list; with AccessKey credentials, or when the set needs them, the managed
 * groups and the leavers' blockers) and plans.
 */
export async function planFor(
  desired: UserSet,
  reach: Reach,
  maxDeletes?: MaxDeletes,
  io?: CliIo,
  maxDeletesName = "--max-deletes",
  movingOut?: ReadonlyMap<string, string>,
): Promise<Plan> {
  const access =
    reach.access ??
    (needsAccess(desired) ? new RamAccessClient({ env: io?.env ?? process.env }) : undefined);
  const state = await readRamState(reach.client, access, desired);
  return plan(desired, state, { maxDeletes, maxDeletesName, ...(movingOut ? { movingOut } : {}) });
}

/**
 * People that sets loaded together move between owners (transferFrom): for each giving owner,
 * the folded names another set receives, and which owner receives them. The giving set must not
 * delete them while the receiving one takes them over in the same run.
 */
export function movesBetween(sets: readonly UserSet[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const receiving of sets)
    for (const from of receiving.transferFrom) {
      const names = out.get(from) ?? new Map<string, string>();
      for (const u of receiving.users) names.set(foldUserName(u.userName), receiving.owner);
      out.set(from, names);
    }
  return out;
}

export async function applyFile(
  desired: UserSet,
  reach: Reach,
  flags: Pick<ApplyFlags, "format" | "maxDeletes" | "autoApprove" | "concurrency" | "auditLog">,
  io: CliIo,
  movingOut?: ReadonlyMap<string, string>,
  stop: AbortSignal = io.stop,
): Promise<number> {
  const own = reachFor(desired, reach, io);
  return runPlan(
    await livePlan(desired, own, flags.maxDeletes, io, movingOut, stop),
    own,
    flags,
    io,
    stop,
  );
}

/** Plans one set from RAM as it is now, unless the run is stopped first. */
function livePlan(
  desired: UserSet,
  reach: Reach,
  maxDeletes: MaxDeletes | undefined,
  io: CliIo,
  movingOut: ReadonlyMap<string, string> | undefined,
  stop: AbortSignal,
): Promise<Plan> {
  return untilStopped(
    planFor(desired, reach, maxDeletes, io, "--max-deletes", movingOut),
    stop,
    `reading RAM for owner "${desired.owner}"`,
  );
}

/** A set's clients: IMS/RAM too when the set needs them (groups, forceDelete). */
function reachFor(desired: UserSet, reach: Reach, io: CliIo): Reach {
  const access =
    reach.access ?? (needsAccess(desired) ? new RamAccessClient({ env: io.env }) : undefined);
  return { client: reach.client, access };
}

/**
 * `apply --plan FILE`: every set is planned again from the files and RAM as they are now, and
 * all must give the saved steps before any is applied; otherwise nothing is changed.
 */
async function reviewedPlans(
  sets: readonly UserSet[],
  file: string,
  connection: Reach,
  flags: Pick<ApplyFlags, "maxDeletes">,
  io: CliIo,
  moves: Map<string, Map<string, string>>,
  stop: AbortSignal,
): Promise<{ plan: Plan; reach: Reach }[]> {
  const text = readLimited("--plan", file, LARGEST_USERS_FILE, "the saved plan");
  let saved: ReturnType<typeof parseSavedPlan>;
  try {
    saved = parseSavedPlan(text, file);
  } catch (e) {
    // A file that is not a saved plan is a mistake (1), not a refusal to route to a person.
    throw new UsageError((e as Error).message);
  }
  const declared = new Set(sets.map((s) => s.owner));
  const missing = saved.sets.filter((s) => !declared.has(s.owner)).map((s) => s.owner);
  if (missing.length > 0)
    throw new SavedPlanMismatch(
      `${file} also plans owner ${missing.map((o) => `"${o}"`).join(", ")}, which these files do not declare: give the same files, or plan again`,
    );
  const plans: { plan: Plan; reach: Reach }[] = [];
  for (const desired of sets) {
    const entry = savedFor(saved, desired, file);
    const reach = reachFor(desired, connection, io);
    // The apply's own limit (flag, variable or default), never one the file brings.
    const fresh = await livePlan(
      desired,
      reach,
      maxDeletesFrom(flags, io),
      io,
      moves.get(desired.owner),
      stop,
    );
    checkSameSteps(entry, fresh, file);
    plans.push({ plan: fresh, reach });
  }
  // Every owner may be applied, or none is: a refusal found now stops them all.
  const stopped = plans.filter(({ plan: p }) => p.errors.length > 0);
  if (stopped.length > 0) {
    const lines = stopped.flatMap(({ plan: p }) =>
      p.errors.map((e) => `owner "${p.owner}": ${e.message}`),
    );
    const message = `${file} cannot be applied now, so nothing was changed:\n- ${lines.join("\n- ")}`;
    if (stopped.some(({ plan: p }) => planStatus(p) === "invalid")) throw new UsageError(message);
    throw new SavedPlanMismatch(message);
  }
  return plans;
}

/** Writes a file whole or not at all (a temporary file beside it, then a rename). */
function writeAtomically(file: string, text: string): void {
  if (folderAt(file)) throw new UsageError(`--out ${file} is a folder: give a file name`);
  const temporary = join(
    dirname(file),
    `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    writeFileSync(temporary, text, { flag: "wx" });
    renameSync(temporary, file);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw new UsageError(`--out ${file}: cannot write it (${fsReason(e)})`);
  }
}

/** Appends to the audit log (mode 0600 when new); a failure names the file and why. */
function appendOrExplain(file: string, text: string): void {
  try {
    appendFileSync(file, text, { mode: 0o600 });
  } catch (e) {
    throw new UsageError(`--audit-log ${file}: cannot write it (${fsReason(e)})`);
  }
}

/** Shows a plan, asks on a terminal, applies, reports; the exit status. */
async function runPlan(
  p: Plan,
  reach: Reach,
  flags: Pick<ApplyFlags, "format" | "autoApprove" | "concurrency" | "auditLog">,
  io: CliIo,
  stop: AbortSignal = io.stop,
): Promise<number> {
  const client = reach.client;
  const color = wantsColor(io);
  const text = flags.format === "text";
  if (text) io.stdout(renderPlan(p, "text", { color }));
  if (p.errors.length > 0 || !hasChanges(p)) {
    // Nothing to do, or refused as a whole: apply() says so without touching RAM.
    if (!text) io.stdout(renderResult(await apply(client, p), flags.format));
    const status = planStatus(p);
    return status === "invalid" ? EXIT.error : status === "refused" ? EXIT.refused : EXIT.ok;
  }
  // As Terraform: nothing changes without a "yes" on a terminal or --auto-approve; with no
  // terminal to ask on (CI, a pipe, cron), refuse rather than assume.
  if (!flags.autoApprove) {
    // The plan is shown before any question: on standard output in its format, as text on
    // standard error when the format is for machines.
    if (!text) {
      io.stdout(renderPlan(p, flags.format));
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
  }
  const auditLog = flags.auditLog ?? io.env.RAM_SCIM_AUDIT_LOG;
  // Opened before the first change, so that an unwritable log stops the run, not its record.
  if (auditLog) appendOrExplain(auditLog, "");
  if (text) io.stdout("\n");
  const progress = progressReporter(io, flags.format, color);
  const outcome = await apply(client, p, {
    signal: stop,
    concurrency: flags.concurrency,
    ...(reach.access ? { access: reach.access } : {}),
    onStep: (o, d, t) => {
      progress.step(o, d, t);
      if (auditLog) {
        const line = auditLine(o);
        appendOrExplain(auditLog, `${io.secrets?.redact(line) ?? line}\n`);
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
