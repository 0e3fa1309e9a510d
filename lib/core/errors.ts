/**
 * The base of every error this package throws for a person to read. Its message names the
 * input, the value and what to do; `exitCode` is how the CLI ends when it is not caught: 1 for
 * a mistake to fix or a failure, 3 when a safety rule refused (nothing was changed, and only a
 * person can decide). The CLI prints any of them as one line, never with a stack.
 */
export class RamScimError extends Error {
  constructor(
    message: string,
    /** The CLI's exit status for it. @default 1 */
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = "RamScimError";
  }
}
