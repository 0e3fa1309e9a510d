import { Option, type Command } from "commander";
import {
  apply,
  hasChanges,
  parseMaxDeletes,
  plan,
  renderPlan,
  renderResult,
  resultSummaryLine,
  type MaxDeletes,
  type Plan,
  type RenderFormat,
} from "../../core/sync";
import type { ScimClient } from "../../core/scim";
import { loadUserSetFile } from "../../core/users";
import {
  addConcurrencyOption,
  addConnectionOptions,
  connect,
  type ConnectionFlags,
} from "../connection";
import { UsageError, wantsColor, type CliIo } from "../io";
import { progressReporter } from "../progress";

interface PlanFlags extends ConnectionFlags {
  format: RenderFormat;
  maxDeletes?: MaxDeletes;
}

interface ApplyFlags extends PlanFlags {
  autoApprove?: boolean;
}

/** Exit statuses of `plan`, as Terraform's -detailed-exitcode. */
export const PLAN_NO_CHANGES = 0;
export const PLAN_ERROR = 1;
export const PLAN_CHANGES = 2;

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
      .description("show what apply would change in RAM (exit 0: no changes, 2: changes, 1: error)")
      .argument("<file>", "users file (YAML or JSON)")
      .addOption(formatOption())
      .addOption(maxDeletesOption()),
  ).action(async (file: string, flags: PlanFlags) => {
    const connection = await connect(flags, io);
    try {
      const p = await planFor(file, connection.client, flags.maxDeletes);
      io.stdout(renderPlan(p, flags.format, { color: wantsColor(io) }));
      result.exitCode =
        p.errors.length > 0 ? PLAN_ERROR : hasChanges(p) ? PLAN_CHANGES : PLAN_NO_CHANGES;
    } finally {
      await connection.close();
    }
  });

  addConcurrencyOption(
    addConnectionOptions(
      program
        .command("apply")
        .description(
          "make RAM match the users file: create, update, adopt, delete (exit 0: all done, 1: anything failed or refused)",
        )
        .argument("<file>", "users file (YAML or JSON)")
        .addOption(formatOption())
        .addOption(maxDeletesOption())
        .option("--auto-approve", "do not ask for confirmation on a terminal"),
    ),
  ).action(async (file: string, flags: ApplyFlags) => {
    const connection = await connect(flags, io);
    try {
      result.exitCode = await applyFile(file, connection.client, flags, io);
    } finally {
      await connection.close();
    }
  });
}

/** Reads the file and RAM (one list), and plans. The file is checked before RAM is asked. */
export async function planFor(
  file: string,
  client: ScimClient,
  maxDeletes?: MaxDeletes,
): Promise<Plan> {
  const desired = loadUserSetFile(file);
  const actual = await client.listUsers();
  return plan(desired, actual, { maxDeletes, maxDeletesName: "--max-deletes" });
}

export async function applyFile(
  file: string,
  client: ScimClient,
  flags: Pick<ApplyFlags, "format" | "maxDeletes" | "autoApprove" | "concurrency">,
  io: CliIo,
): Promise<number> {
  const color = wantsColor(io);
  const p = await planFor(file, client, flags.maxDeletes);
  const text = flags.format === "text";
  if (text) io.stdout(renderPlan(p, "text", { color }));
  if (p.errors.length > 0 || !hasChanges(p)) {
    // Nothing to do, or refused as a whole: apply() says so without touching RAM.
    if (!text) io.stdout(renderResult(await apply(client, p), flags.format));
    return p.errors.length > 0 ? 1 : 0;
  }
  if (io.interactive && !flags.autoApprove) {
    const answer = await io.prompt?.(
      "\nDo you want to make these changes in RAM? Only 'yes' will be accepted: ",
    );
    if (answer?.trim() !== "yes") {
      io.stderr("Apply cancelled; nothing was changed.\n");
      return 1;
    }
  }
  if (text) io.stdout("\n");
  const progress = progressReporter(io, flags.format, color);
  const outcome = await apply(client, p, {
    concurrency: flags.concurrency,
    onStep: (o, d, t) => progress.step(o, d, t),
  });
  progress.end();
  io.stdout(text ? `\n${resultSummaryLine(outcome)}\n` : renderResult(outcome, flags.format));
  return outcome.ok ? 0 : 1;
}
