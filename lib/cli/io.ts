import { createInterface } from "node:readline/promises";
import { Redactor } from "../core/redact";

/** Where a command writes and how it is stopped: the real process, or a test's buffers. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /**
   * Ends long-running commands (the emulator) and stops an apply between steps; the bin wires
   * SIGINT and SIGTERM to it, with the signal's name as the reason.
   */
  readonly stop: AbortSignal;
  /** Progress bars and colours only where a person watches. @default false */
  readonly stdoutIsTTY?: boolean;
  readonly stderrIsTTY?: boolean;
  /** A person can answer a question (apply's confirmation). @default false */
  readonly interactive?: boolean;
  /** All of standard input (a secret piped in). */
  readonly readStdin?: () => Promise<string>;
  /** Asks on the terminal and answers the reply. */
  readonly prompt?: (question: string) => Promise<string>;
  /**
   * The credentials this run knows (from the environment, files, standard input): everything
   * written to stdout and stderr passes through it. {@link guardIo} sets it.
   */
  readonly secrets?: Redactor;
  /** Standard output for a value the person asked to see (`--reveal`): not redacted. */
  readonly reveal?: (text: string) => void;
}

/** Environment variables that hold a credential, with the id each one pairs with. */
const SECRET_VARIABLES: readonly [secret: string, id?: string][] = [
  ["RAM_SCIM_CLIENT_SECRET", "RAM_SCIM_CLIENT_ID"],
  ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
  ["ALICLOUD_SECRET_KEY"],
  ["ALIBABA_CLOUD_SECURITY_TOKEN"],
  ["ALICLOUD_SECURITY_TOKEN"],
];

/**
 * `io` with what it prints redacted: the environment's credentials are known from the start,
 * and readers of secret files and standard input add theirs (`io.secrets.add`).
 */
export function guardIo(io: CliIo): CliIo & { secrets: Redactor } {
  const secrets = io.secrets ?? new Redactor();
  for (const [secret, id] of SECRET_VARIABLES)
    secrets.add(io.env[secret] || undefined, id ? io.env[id] || undefined : undefined);
  return {
    ...io,
    secrets,
    // Standard output carries data (an export, a plan): only known secrets are hidden there, so
    // that a display name that looks like a credential is not changed. Messages get the rule.
    stdout: (text) => io.stdout(secrets.hideKnown(text)),
    stderr: (text) => io.stderr(secrets.redact(text)),
    reveal: io.reveal ?? io.stdout,
  };
}

import { stopReason } from "../core/sync/apply";
import { RamScimError } from "../core/errors";

/** A mistake of the person at the keyboard: printed as one message, never as a stack trace. */
export class UsageError extends RamScimError {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A run ended by a signal or its --timeout: what was done is printed; the status says why. */
export class StoppedError extends RamScimError {
  constructor(message: string, exitCode: number) {
    super(message, exitCode);
    this.name = "StoppedError";
  }
}

/** The exit status of a run stopped by `signal`: 128 + the signal's number, 1 for --timeout. */
export function stoppedExitCode(signal: AbortSignal): number {
  if (signal.reason === "SIGINT") return 130;
  if (signal.reason === "SIGTERM") return 143;
  return 1;
}

/** The signal that stops a command: a signal to the process, or its --timeout. */
export function runSignal(io: CliIo, timeoutMs: number | undefined): AbortSignal {
  if (timeoutMs === undefined) return io.stop;
  // Not AbortSignal.any([io.stop, AbortSignal.timeout(ms)]): Node holds a timeout signal only
  // weakly, and inside a composite one it can be collected before it fires, so a run went on
  // past its --timeout. Here the timer and the stop listener hold the controller.
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException("the run's time is up", "TimeoutError")),
    timeoutMs,
  );
  timer.unref(); // the run's own work keeps the process alive, never this timer
  const stop = () => {
    clearTimeout(timer);
    controller.abort(io.stop.reason);
  };
  if (io.stop.aborted) stop();
  else io.stop.addEventListener("abort", stop, { once: true });
  return controller.signal;
}

/** Waits for `work` unless `signal` fires first (then nothing more is done by this run). */
export async function untilStopped<T>(
  work: Promise<T>,
  signal: AbortSignal,
  doing: string,
): Promise<T> {
  let fail: () => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => {
    fail = () =>
      reject(
        new StoppedError(
          `stopped (${stopReason(signal)}) while ${doing}: nothing more was changed`,
          stoppedExitCode(signal),
        ),
      );
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
  if (signal.aborted) work.catch(() => undefined);
  try {
    return await Promise.race([work, stopped]);
  } finally {
    signal.removeEventListener("abort", fail);
  }
}

export function processIo(): CliIo {
  const controller = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    // A second signal ends the process at once (the handler is gone after the first).
    process.once(signal, () => controller.abort(signal));
  // `ram-scim plan … | head`: a reader that goes away is not an error of ours.
  for (const stream of [process.stdout, process.stderr])
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw e;
    });
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stop: controller.signal,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    interactive: process.stdin.isTTY === true && process.stderr.isTTY === true,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    prompt: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}

/** Colour only on a terminal, and never when NO_COLOR is set (no-color.org). */
export function wantsColor(io: CliIo): boolean {
  return io.stdoutIsTTY === true && !io.env.NO_COLOR;
}
