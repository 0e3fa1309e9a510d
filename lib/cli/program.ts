import { Command, CommanderError } from "commander";
import { EmulatorOptionsError } from "../emulator/options";
import { registerApp } from "./commands/app";
import { registerDemo } from "./commands/demo";
import { registerDiff } from "./commands/diff";
import { diagnose, registerDoctor } from "./commands/doctor";
import { registerEmulator } from "./commands/emulator";
import { registerExport } from "./commands/export";
import { registerExternalPlan } from "./commands/external-plan";
import { registerReconcile } from "./commands/reconcile";
import { registerValidate } from "./commands/validate";
import { type CliIo, guardIo } from "./io";
import { RamScimError } from "../core/errors";
import { ScimError } from "../core/scim";
import { fsReason } from "./files";
import { envFallbacks } from "./parse";

// Read at run time so that the version printed is the installed package's.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require("../../package.json") as { version: string };

/** Builds the `ram-scim` program; each command sets `exitCode` through its action. */
export function makeProgram(io: CliIo, result: { exitCode: number }): Command {
  const program = new Command("ram-scim")
    .description("Alibaba Cloud RAM users as code, provisioned through SCIM")
    .version(version)
    // Read by run() before parsing (any place on the line): NO_COLOR=1 for this run.
    .option("--no-color", "no colours, even on a terminal (as NO_COLOR=1)")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError("(run with --help for usage)");
  envFallbacks(program, io.env);
  registerValidate(program, io, result);
  registerReconcile(program, io, result);
  registerDiff(program, io, result);
  registerExport(program, io, result);
  registerDoctor(program, io, result);
  registerApp(program, io, result);
  registerExternalPlan(program, io, result);
  registerEmulator(program, io, result);
  registerDemo(program, io, result);
  return program;
}

/** Runs the CLI and answers the exit status; never throws, never prints a stack for a user error. */
export async function run(argv: readonly string[], given: CliIo): Promise<number> {
  const end = argv.indexOf("--");
  const noColor = (end < 0 ? argv : argv.slice(0, end)).includes("--no-color");
  const io = guardIo(noColor ? { ...given, env: { ...given.env, NO_COLOR: "1" } } : given);
  const result = { exitCode: 0 };
  const program = makeProgram(io, result);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return result.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
    if (e instanceof ScimError && e.status === undefined) {
      // No answer at all: say what doctor would, and how long was tried.
      const waited =
        e.attempts > 1
          ? ` Gave up after ${e.attempts} attempts in ${((e.elapsedMs ?? 0) / 1000).toFixed(1)} s.`
          : "";
      const stage = e.request.url.includes("/v1/token") ? "token" : "scim";
      io.stderr(
        `ram-scim: ${e.request.method} ${e.request.url.replace(/\?.*$/, "")}: ${diagnose(e, stage, e.request.url)}${waited} \`ram-scim doctor\` checks every setting.\n`,
      );
      return 1;
    }
    // Every error of ours carries its exit status (3: a safety rule refused; 1: anything else).
    if (e instanceof RamScimError || e instanceof EmulatorOptionsError) {
      io.stderr(`ram-scim: ${e.message}\n`);
      return e instanceof RamScimError ? e.exitCode : 1;
    }
    const fsError = e as NodeJS.ErrnoException;
    if (typeof fsError.code === "string" && typeof fsError.path === "string") {
      // A path the person gave that cannot be used: theirs to fix, so no stack trace.
      io.stderr(`ram-scim: ${fsError.path}: ${fsReason(e)} (${fsError.syscall ?? fsError.code})\n`);
      return 1;
    }
    io.stderr(`ram-scim: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
