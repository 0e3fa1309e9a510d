import { createInterface } from "node:readline/promises";

/** Where a command writes and how it is stopped: the real process, or a test's buffers. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Ends long-running commands (the emulator); the bin wires SIGINT and SIGTERM to it. */
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
}

/** A mistake of the person at the keyboard: printed as one message, never as a stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function processIo(): CliIo {
  const controller = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => controller.abort());
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
