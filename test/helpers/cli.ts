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
