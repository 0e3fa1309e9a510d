import type { Command } from "commander";
import { loadUserSetFile, UserSetError } from "../../core/users";
import type { CliIo } from "../io";

export function registerValidate(program: Command, io: CliIo, result: { exitCode: number }): void {
  program
    .command("validate")
    .description("check users files offline: every problem as FILE:LINE:COL: message (exit 0 or 1)")
    .argument("<files...>", "users files (YAML or JSON)")
    .action((files: string[]) => {
      let failed = false;
      for (const file of files) {
        try {
          const set = loadUserSetFile(file);
          io.stdout(`${file}: ok (owner ${set.owner}, ${set.users.length} users)\n`);
        } catch (e) {
          if (!(e instanceof UserSetError)) throw e;
          failed = true;
          io.stderr(`${e.message}\n`);
        }
      }
      result.exitCode = failed ? 1 : 0;
    });
}
