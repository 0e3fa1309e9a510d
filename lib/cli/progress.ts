import { outcomeLine, type StepOutcome } from "../core/sync";
import type { CliIo } from "./io";

/**
 * Apply progress: a bar on a terminal (redrawn on standard error), plain lines otherwise. With
 * text output the lines go to standard output, where the result's summary follows them.
 */
export function progressReporter(io: CliIo, format: string, color: boolean) {
  const bar = io.stderrIsTTY === true;
  let drawn = false;
  return {
    step(outcome: StepOutcome, done: number, total: number): void {
      if (format === "text") io.stdout(`${outcomeLine(outcome, color)}\n`);
      if (!bar || total < 2) return;
      const width = 30;
      const filled = Math.round((done / total) * width);
      io.stderr(`\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}`);
      drawn = true;
    },
    end(): void {
      if (drawn) io.stderr(`\r${" ".repeat(50)}\r`);
    },
  };
}
