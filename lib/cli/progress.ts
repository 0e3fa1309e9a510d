import { outcomeLine, type StepOutcome } from "../core/sync";
import type { CliIo } from "./io";

/** Moves to the line's start and erases it (ECMA-48 EL): the bar goes, the cursor stays. */
const ERASE_LINE = "\r\u001b[2K";

/**
 * Apply progress: a bar on a terminal (standard error), plain lines otherwise. With text output
 * each step's line goes to standard output *above* the bar, as npm and cargo print: the bar is
 * erased, the line written, the bar drawn again, so the two never share a line.
 */
export function progressReporter(io: CliIo, format: string, color: boolean) {
  const bar = io.stderrIsTTY === true;
  let drawn = false;
  return {
    step(outcome: StepOutcome, done: number, total: number): void {
      if (drawn) io.stderr(ERASE_LINE);
      if (format === "text") io.stdout(`${outcomeLine(outcome, color)}\n`);
      if (!bar || total < 2) return;
      const width = 30;
      const filled = Math.round((done / total) * width);
      io.stderr(`[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}`);
      drawn = true;
    },
    end(): void {
      if (drawn) io.stderr(ERASE_LINE);
      drawn = false;
    },
  };
}
