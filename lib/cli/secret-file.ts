import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Secret } from "../core/secret";
import { UsageError } from "./io";

/**
 * Writes a secret's value to `file` with mode 0600. A folder it has to make gets a `.gitignore`
 * of `*`, so that `git add -A` in a project never picks the secret up. `what` names the secret
 * in errors (the value was made already: say so, so that it can be deleted if unused).
 */
export function writeSecretFile(
  file: string,
  value: Secret,
  options: { force?: boolean; what: string },
): void {
  try {
    const folder = dirname(file);
    if (!existsSync(folder)) {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      writeFileSync(join(folder, ".gitignore"), "# secrets written by ram-scim: never commit\n*\n");
    }
    writeFileSync(file, `${value.reveal()}\n`, { mode: 0o600, flag: options.force ? "w" : "wx" });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === "EEXIST"
        ? `--out ${file} exists already: choose another file or add --force (${options.what} was made; delete it if unused)`
        : `${file}: cannot write it (${code}); ${options.what} was made, delete it if unused`,
    );
  }
}
