import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Secret } from "../core/secret";
import { UsageError } from "./io";

/**
 * Writes a secret's value to `file` with mode 0600, whatever file was there: the value goes to a
 * new file in the same folder that then replaces it, so an old file's looser mode never carries
 * over. A folder it has to make gets a `.gitignore` of `*`, so that `git add -A` in a project
 * never picks the secret up. `what` names the secret in errors (the value was made already: say
 * so, so that it can be deleted if unused). Answers warnings for the person running it.
 */
export function writeSecretFile(
  file: string,
  value: Secret,
  options: { force?: boolean; what: string },
): string[] {
  const folder = dirname(file);
  const temporary = join(folder, `.${basename(file)}.${process.pid}.tmp`);
  try {
    if (!existsSync(folder)) {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      writeFileSync(join(folder, ".gitignore"), "# secrets written by ram-scim: never commit\n*\n");
    }
    if (!options.force && exists(file)) throw Object.assign(new Error(), { code: "EEXIST" });
    writeFileSync(temporary, `${value.reveal()}\n`, { mode: 0o600, flag: "wx" });
    renameSync(temporary, file);
  } catch (e) {
    rmSync(temporary, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === "EEXIST"
        ? `--out ${file} exists already: choose another file or add --force (${options.what} was made; delete it if unused)`
        : `${file}: cannot write it (${code}); ${options.what} was made, delete it if unused`,
    );
  }
  return notIgnored(file)
    ? [
        `warning: ${file} is inside a Git work tree and not ignored: add it to .gitignore so that it is never committed`,
      ]
    : [];
}

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** True when Git says the file is in a work tree and not ignored; false when Git is absent. */
function notIgnored(file: string): boolean {
  try {
    execFileSync("git", ["check-ignore", "-q", basename(file)], {
      cwd: dirname(file),
      stdio: "ignore",
    });
    return false; // exit 0: ignored
  } catch (e) {
    // exit 1: not ignored; 128: not a work tree; ENOENT: no git.
    return (e as { status?: number }).status === 1;
  }
}
