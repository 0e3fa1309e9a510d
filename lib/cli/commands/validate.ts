import type { Command } from "commander";
import { exampleText } from "../help";
import { loadUserSets, UserSetError, type UserSet } from "../../core/users";
import type { CliIo } from "../io";
import { formatOption } from "../parse";

export function registerValidate(program: Command, io: CliIo, result: { exitCode: number }): void {
  program
    .command("validate")
    .addHelpText(
      "after",
      exampleText([
        "ram-scim validate users/",
        "ram-scim validate users/platform.yaml --format json",
      ]),
    )
    .description("check users files offline: every problem as FILE:LINE:COL: message (exit 0 or 1)")
    .argument(
      "<paths...>",
      "users files, folders or globs (YAML or JSON); ram-scim.yaml gives owner and policy",
    )
    .addOption(formatOption())
    .action((paths: string[], flags: { format: "text" | "json" }) => {
      let sets: UserSet[] = [];
      let error: UserSetError | undefined;
      try {
        sets = loadUserSets(paths);
      } catch (e) {
        if (!(e instanceof UserSetError)) throw e;
        error = e;
      }
      result.exitCode = error ? 1 : 0;
      if (flags.format === "json") {
        // Every problem, not only the 50 a message lists: a script or an editor places them.
        const problems = (error?.problems ?? []).map((p) => ({
          ...(p.position ?? { file: error?.source }),
          path: p.path,
          message: p.message,
          ...(p.safety ? { safety: p.safety } : {}),
        }));
        const files = sets.map((s) => ({ file: s.source, owner: s.owner, users: s.users.length }));
        io.stdout(
          `${JSON.stringify({ formatVersion: 1, kind: "validation", ok: !error, sets: files, problems }, null, 2)}\n`,
        );
        return;
      }
      if (error) io.stderr(`${error.message}\n`);
      else
        for (const set of sets)
          io.stdout(`${set.source}: ok (owner ${set.owner}, ${set.users.length} users)\n`);
    });
}
