import { Option, type Command } from "commander";
import {
  needsAccess,
  plan,
  planStatus,
  planTeardown,
  readRamState,
  renderPlan,
  type MaxDeletes,
  type Plan,
  type RenderFormat,
} from "../../core/sync";
import { parseMaxDeletes } from "../../core/sync/rules/guard";
import { randomBytes } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import {
  checkSameSteps,
  parseSavedPlan,
  savedFor,
  SavedPlanMismatch,
  savePlans,
} from "../../core/sync/saved";
import { RamAccessClient } from "../../core/ims";
import { foldUserName, type UserSet } from "../../core/users";
import {
  addConcurrencyOption,
  addConnectionOptions,
  connect,
  type Connection,
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
import { duration, envSource, formatOption, fromEnv, readLimited } from "../parse";
import { folderAt, fsReason } from "../files";
import { LARGEST_USERS_FILE } from "../../core/text-file";
import { planExit, runPlan, worst, type Reach, type RunFlags } from "./run-plan";
import { usersEnvOption, usersFrom } from "./users-input";
import { exampleText } from "../help";

interface PlanFlags extends ConnectionFlags {
  format: RenderFormat;
  timeout?: number;
  /** Where `plan` saves the reviewed plan for `apply --plan`. */
  out?: string;
  detailedExitcode?: boolean;
  /** --max-deletes, else RAM_SCIM_MAX_DELETES. */
  maxDeletes?: MaxDeletes;
  usersEnv?: string;
}

interface ApplyFlags extends PlanFlags {
  autoApprove?: boolean;
  /** --audit-log, else RAM_SCIM_AUDIT_LOG. */
  auditLog?: string;
  /** A plan saved by `plan --out`: apply exactly it, or nothing. */
  plan?: string;
}

/** `--format`: text for people, markdown for pull requests, JSON for programs. */
const FORMATS = ["text", "markdown", "json"] as const;

function timeoutOption() {
  return new Option(
    "--timeout <duration>",
    "bound the whole run (90s, 15m, 1h): past it no step starts, and the run exits 1 saying what was done",
  ).argParser(duration("--timeout"));
}

function maxDeletesOption() {
  const option = new Option(
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
  return fromEnv(option, "RAM_SCIM_MAX_DELETES");
}

function auditLogOption() {
  const option = new Option(
    "--audit-log <file>",
    "append one JSON line per step taken (time, step, user, outcome)",
  );
  return fromEnv(option, "RAM_SCIM_AUDIT_LOG");
}

/** A command over user sets: the paths or --users-env, and --format. */
function setCommand(program: Command, name: string): Command {
  return program
    .command(name)
    .argument("[paths...]", "users files, folders or globs (YAML or JSON)")
    .addOption(usersEnvOption())
    .addOption(formatOption(FORMATS));
}

/** The flags, saying whether the audit log came from its variable (for an error about it). */
function withAuditSource(flags: ApplyFlags, command: Command): ApplyFlags & RunFlags {
  const variable = envSource(command, "auditLog");
  return variable ? { ...flags, auditLogFrom: variable } : flags;
}

/**
 * A run over the user sets: the files read (before RAM is asked), the run bounded by --timeout,
 * one connection for every set, closed at the end; `body` answers the exit status.
 */
async function forSets(
  paths: readonly string[],
  flags: PlanFlags,
  io: CliIo,
  result: { exitCode: number },
  body: (sets: UserSet[], connection: Connection, stop: AbortSignal) => Promise<number>,
): Promise<void> {
  const sets = usersFrom(paths, flags.usersEnv, io);
  const stop = runSignal(io, flags.timeout);
  const connection = await connect(flags, io);
  try {
    result.exitCode = await body(sets, connection, stop);
  } finally {
    await connection.close();
  }
}

/** `plan`, `apply` and `teardown`: the reconciler's commands. */
export function registerReconcile(program: Command, io: CliIo, result: { exitCode: number }): void {
  planCommand(program, io, result);
  applyCommand(program, io, result);
  teardownCommand(program, io, result);
}

function planCommand(program: Command, io: CliIo, result: { exitCode: number }): void {
  addConnectionOptions(
    setCommand(program, "plan")
      .addHelpText(
        "after",
        exampleText([
          "ram-scim plan users/ --detailed-exitcode",
          "ram-scim plan users/ --format markdown --out plan.json",
          "ram-scim plan examples/users.yaml --emulator",
        ]),
      )
      .description(
        "show what apply would change in RAM (exit 0: done, 1: error, 3: refused by a safety rule; 2: changes, with --detailed-exitcode)",
      )
      .addOption(maxDeletesOption())
      .option("--detailed-exitcode", "exit 2 when there are changes, 0 when there are none")
      .option(
        "--out <file>",
        "save the plan for `apply --plan FILE`, which applies exactly it or nothing (as terraform plan -out)",
      )
      .addOption(timeoutOption()),
  ).action((paths: string[], flags: PlanFlags) =>
    forSets(paths, flags, io, result, async (sets, connection, stop) => {
      const codes: number[] = [];
      const moves = movesBetween(sets);
      const made: { set: UserSet; plan: Plan }[] = [];
      for (const desired of sets) {
        const p = await livePlan(
          desired,
          connection,
          flags.maxDeletes,
          io,
          moves.get(desired.owner),
          stop,
        );
        made.push({ set: desired, plan: p });
        io.stdout(renderPlan(p, flags.format, { color: wantsColor(io) }));
        codes.push(planExit(planStatus(p), flags.detailedExitcode));
      }
      if (flags.out) {
        const saved = savePlans(made, flags.maxDeletes);
        writeAtomically(flags.out, `${JSON.stringify(saved, null, 2)}\n`);
        io.stderr(
          `ram-scim: plan saved to ${flags.out}: \`ram-scim apply --plan ${flags.out}\` applies exactly it\n`,
        );
      }
      return worst(codes);
    }),
  );
}

function applyCommand(program: Command, io: CliIo, result: { exitCode: number }): void {
  addConcurrencyOption(
    addConnectionOptions(
      setCommand(program, "apply")
        .addHelpText(
          "after",
          exampleText([
            "ram-scim apply users/   # asks on a terminal",
            "ram-scim apply users/ --plan plan.json --auto-approve --audit-log audit.jsonl",
            "ram-scim apply users/ --auto-approve --max-deletes 10%",
          ]),
        )
        .description(
          "make RAM match the users file: create, update, adopt, delete (exit 0: all done, 1: a step failed or an error, 3: refused by a safety rule)",
        )
        .addOption(maxDeletesOption())
        .option(
          "--auto-approve",
          "apply without asking; without it, apply asks on a terminal and refuses with none",
        )
        .addOption(auditLogOption())
        .option(
          "--plan <file>",
          "apply the plan `plan --out` saved, exactly: refused (exit 3, nothing changed) when the files or RAM no longer give it",
        )
        .addOption(timeoutOption()),
    ),
  ).action((paths: string[], given: ApplyFlags, command: Command) =>
    forSets(paths, given, io, result, async (sets, connection, stop) => {
      const flags = withAuditSource(given, command);
      const codes: number[] = [];
      const moves = movesBetween(sets);
      if (flags.plan) {
        const plans = await reviewedPlans(sets, flags.plan, connection, flags, io, moves, stop);
        for (const { plan: p, reach } of plans) {
          if (stop.aborted) break;
          codes.push(await runPlan(p, reach, flags, io, stop));
        }
      } else
        for (const desired of sets) {
          if (stop.aborted) break;
          codes.push(
            await applyFile(desired, connection, flags, io, moves.get(desired.owner), stop),
          );
        }
      return stop.aborted ? stoppedExitCode(stop) : worst(codes);
    }),
  );
}

function teardownCommand(program: Command, io: CliIo, result: { exitCode: number }): void {
  addConcurrencyOption(
    addConnectionOptions(
      setCommand(program, "teardown")
        .addHelpText(
          "after",
          exampleText(["ram-scim teardown users/platform.yaml --max-deletes 100%"]),
        )
        .description(
          "delete every user the set's owner manages, protected ones excepted (what deleteUsersOnDestroy runs); the deletion guard applies as to apply",
        )
        .addOption(maxDeletesOption())
        .option(
          "--auto-approve",
          "delete without asking; without it, teardown asks on a terminal and refuses with none",
        )
        .addOption(auditLogOption())
        .addOption(timeoutOption()),
    ),
  ).action((paths: string[], given: ApplyFlags, command: Command) =>
    forSets(paths, given, io, result, async (sets, connection, stop) => {
      const flags = withAuditSource(given, command);
      const codes: number[] = [];
      for (const desired of sets) {
        if (stop.aborted) break;
        const users = await untilStopped(
          connection.client.listUsers(),
          stop,
          `reading RAM for owner "${desired.owner}"`,
        );
        const p = planTeardown(desired, users, {
          maxDeletes: flags.maxDeletes,
          maxDeletesName: "--max-deletes",
        });
        codes.push(await runPlan(p, connection, flags, io, stop));
      }
      return stop.aborted ? stoppedExitCode(stop) : worst(codes);
    }),
  );
}

/**
 * Reads RAM (one SCIM list; with AccessKey credentials, or when the set needs them, the managed
 * groups and the leavers' blockers) and plans.
 */
export async function planFor(
  desired: UserSet,
  reach: Reach,
  maxDeletes: MaxDeletes | undefined,
  io: CliIo,
  maxDeletesName = "--max-deletes",
  movingOut?: ReadonlyMap<string, string>,
): Promise<Plan> {
  const { client, access } = reachFor(desired, reach, io);
  const state = await readRamState(client, access, desired);
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
  flags: RunFlags & Pick<ApplyFlags, "maxDeletes">,
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
      flags.maxDeletes,
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
