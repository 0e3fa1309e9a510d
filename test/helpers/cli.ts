import type { CliIo } from "../../lib/cli/io";
import { run } from "../../lib/cli/program";

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `ram-scim` in-process, as the bin would, with its own buffers and environment. */
export async function ramScim(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  extra: Partial<CliIo> = {},
): Promise<CliRun> {
  let out = "";
  let err = "";
  const io: CliIo = {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    env,
    stop: new AbortController().signal,
    ...extra,
  };
  const code = await run(args, io);
  return { code, out, err };
}

/**
 * Runs a long-running command (`ram-scim emulator`) in-process; once its banner is printed,
 * `whileUp` gets the output so far, and the command is stopped (as by SIGINT) when it is done.
 */
export async function ramScimWhileUp(
  args: string[],
  whileUp?: (out: string) => Promise<void>,
): Promise<CliRun> {
  const controller = new AbortController();
  let out = "";
  let err = "";
  let started = false;
  const io: CliIo = {
    stdout: (t) => {
      out += t;
      if (whileUp && !started && out.includes("Ctrl+C")) {
        started = true;
        void whileUp(out).finally(() => controller.abort("SIGINT"));
      }
    },
    stderr: (t) => (err += t),
    env: {},
    stop: controller.signal,
  };
  const code = await run(args, io);
  return { code, out, err };
}
