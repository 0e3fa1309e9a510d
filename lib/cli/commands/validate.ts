import type { Command } from "commander";
import { loadUserSets, UserSetError } from "../../core/users";
import type { CliIo } from "../io";

export function registerValidate(program: Command, io: CliIo, result: { exitCode: number }): void {
  program
    .command("validate")
    .description("check users files offline: every problem as FILE:LINE:COL: message (exit 0 or 1)")
    .argument(
      "<paths...>",
      "users files, folders or globs (YAML or JSON); ram-scim.yaml gives owner and policy",
    )
    .action((paths: string[]) => {
      try {
        for (const set of loadUserSets(paths))
          io.stdout(`${set.source}: ok (owner ${set.owner}, ${set.users.length} users)\n`);
        result.exitCode = 0;
      } catch (e) {
        if (!(e instanceof UserSetError)) throw e;
        io.stderr(`${e.message}\n`);
        result.exitCode = 1;
      }
    });
}
