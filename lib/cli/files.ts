import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UsageError } from "./io";

/** Why a file system call failed, in words a person acts on. */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "no such file or folder";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "read-only file system";
    case "ENOTDIR":
      return "a part of the path is a file, not a folder";
    case "EISDIR":
      return "it is a folder";
    case "ENOSPC":
      return "no space left on the device";
    default:
      return code ?? String(e);
  }
}

/** Whether `path` is a folder: true, false (something else is there), undefined (nothing). */
export function folderAt(path: string): boolean | undefined {
  try {
    return statSync(path).isDirectory();
  } catch {
    return undefined;
  }
}

/**
 * Makes `dir` and the folders above it that are missing, one at a time. Node's own recursive
 * mkdir never returns under some pseudo file systems (`/proc/nope`); one level at a time, each
 * failure is an answer. `mode` applies to the folders made.
 */
export function makeFolder(flag: string, dir: string, mode = 0o777): string[] {
  const missing: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    const isFolder = folderAt(d);
    if (isFolder === false) throw new UsageError(`${flag} ${dir}: ${d} is a file, not a folder`);
    if (isFolder) break;
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      mkdirSync(d, { mode });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST")
        throw new UsageError(`${flag} ${dir}: cannot make the folder ${d} (${fsReason(e)})`);
    }
  }
  return missing;
}

/** Writes a file the person named with `flag`; a failure is one line with the path and why. */
export function writeOutput(flag: string, file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new UsageError(`${flag} ${file}: cannot write it (${fsReason(e)})`);
  }
}
