import { execFileSync } from "node:child_process";
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  lstatSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { type Secret, secretTextProblem, secretValue } from "../core/secret";
import { fsReason, makeFolder } from "./files";
import { UsageError, type CliIo } from "./io";
import { readLimited } from "./parse";

/** A secret is short; a bigger file is another file given by mistake. */
const LARGEST_SECRET_FILE = 64 * 1024;

/**
 * Reads a secret from `file` (named by `flag` in errors) and makes the run's redactor hide it.
 * The file's text is never echoed: a wrong file (a users file for a secret file) is named by
 * its shape only.
 */
export function readSecretFile(flag: string, file: string, io: CliIo): string {
  const text = readLimited(flag, file, LARGEST_SECRET_FILE, "a secret");
  return acceptSecret(`${flag} ${file}`, text, io);
}

/** Checks a secret read from `source` (a file, standard input) and registers it for redaction. */
export function acceptSecret(source: string, text: string, io: CliIo): string {
  const problem = secretTextProblem(text);
  if (problem) throw new UsageError(`${source}: ${problem}`);
  const value = secretValue(text);
  io.secrets?.add(value);
  return value;
}

/** A place for a secret's value, checked and opened before the secret exists. */
export interface SecretFileTarget {
  /** Writes the value, replaces the file, answers warnings for the person running it. */
  write(value: Secret): string[];
  /** Removes the prepared file when no secret came. */
  abandon(): void;
}

/**
 * Prepares `file` for a secret that is about to be made: refuses a symbolic link (never
 * followed, not even with --force) and anything but a regular file, refuses an existing file
 * without `force`, and opens a new file beside it with mode 0600 that no one else can have
 * opened (O_EXCL, O_NOFOLLOW). Only after that is the secret made; the value then replaces the
 * file by rename, so an old file's looser mode never carries over. A folder it has to make gets
 * a `.gitignore` of `*`, so that `git add -A` in a project never picks the secret up.
 */
export function prepareSecretFile(
  flag: string,
  file: string,
  options: { force?: boolean },
): SecretFileTarget {
  refuseExisting(flag, file, options.force === true);
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const fd = openPrivately(flag, file, temporary);
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    write(value) {
      try {
        writeSync(fd, `${value.reveal()}\n`);
        close();
        renameSync(temporary, file);
      } catch (e) {
        close();
        rmSync(temporary, { force: true });
        throw new UsageError(
          `${flag} ${file}: cannot write it (${fsReason(e)}); the secret was made: delete it if unused`,
        );
      }
      return notIgnored(file)
        ? [
            `warning: ${file} is inside a Git work tree and not ignored: add it to .gitignore so that it is never committed`,
          ]
        : [];
    },
    abandon() {
      close();
      rmSync(temporary, { force: true });
    },
  };
}

/** A link, something that is not a file, or (without force) any file there: refused. */
function refuseExisting(flag: string, file: string, force: boolean): void {
  const existing = linkStat(file);
  if (existing?.isSymbolicLink())
    throw new UsageError(
      `${flag} ${file} is a symbolic link: a secret is never written through one; give the real path. Nothing was made`,
    );
  if (existing && !existing.isFile())
    throw new UsageError(`${flag} ${file} is not a regular file. Nothing was made`);
  if (existing && !force)
    throw new UsageError(
      `${flag} ${file} exists already: choose another file, or add --force to replace it. Nothing was made`,
    );
}

/**
 * Opens the temporary file beside `file` that no one else can have opened (O_EXCL,
 * O_NOFOLLOW), mode 0600 whatever the umask; a folder it makes gets a `.gitignore` of `*`.
 */
function openPrivately(flag: string, file: string, temporary: string): number {
  const folder = dirname(file);
  try {
    if (makeFolder(flag, folder, 0o700).length > 0)
      writeFileSync(join(folder, ".gitignore"), "# secrets written by ram-scim: never commit\n*\n");
    const fd = openSync(
      temporary,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o600,
    );
    fchmodSync(fd, 0o600);
    return fd;
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${e.message}. Nothing was made`);
    throw new UsageError(`${flag} ${file}: cannot write there (${fsReason(e)}). Nothing was made`);
  }
}

/**
 * Checks, without making anything, that a secret could be written to `file`: the nearest folder
 * that exists above it is a folder this process may write in.
 */
export function checkSecretFolder(flag: string, file: string): void {
  for (let d = dirname(resolve(file)); ; d = dirname(d)) {
    const stat = linkStat(d);
    if (stat) {
      try {
        if (!statSync(d).isDirectory()) throw Object.assign(new Error(), { code: "ENOTDIR" });
        accessSync(d, constants.W_OK);
      } catch (e) {
        throw new UsageError(
          `${flag} ${file}: a secret could not be written there (${fsReason(e)} at ${d}). Nothing was made`,
        );
      }
      return;
    }
    if (dirname(d) === d) return;
  }
}

function linkStat(file: string) {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
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
