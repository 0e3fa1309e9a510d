import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { RamScimError } from "./errors";

/**
 * The largest users file read: 32 MiB is some 300,000 users, far beyond a RAM account's quota;
 * anything bigger is a wrong file (a device, a dump) that must not exhaust memory.
 */
export const LARGEST_USERS_FILE = 32 * 1024 * 1024;

/** A file that cannot be read as text, with where the trouble is (1:1 when it is the file). */
export class TextFileError extends RamScimError {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line = 1,
    readonly col = 1,
  ) {
    super(`${file}:${line}:${col}: ${reason}`);
    this.name = "TextFileError";
  }
}

/**
 * Reads `file` as UTF-8 text, at most `limit` bytes: refuses folders and devices, a bigger
 * file, and bytes that are not UTF-8 (with the line and column of the first one), instead of
 * turning them into U+FFFD and sending those to RAM. `what` names the file's role in errors.
 */
export function readTextFile(file: string, limit: number, what: string): string {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (e) {
    throw new TextFileError(file, `cannot read ${what}: ${why(e)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new TextFileError(file, `cannot read ${what}: it is a folder`);
    if (!stat.isFile() && !stat.isFIFO())
      throw new TextFileError(file, `cannot read ${what}: it is not a regular file`);
    const bytes = readAtMost(fd, limit + 1);
    if (bytes.length > limit)
      throw new TextFileError(
        file,
        `${what} is larger than ${Math.round(limit / 1024)} KiB, the most read: is it the right file?`,
      );
    const bad = firstInvalidUtf8(bytes);
    if (bad !== undefined) {
      const { line, col } = positionOf(bytes, bad);
      throw new TextFileError(
        file,
        `not UTF-8 text: byte 0x${(bytes[bad] as number).toString(16).padStart(2, "0")} at this position; save the file as UTF-8`,
        line,
        col,
      );
    }
    return bytes.toString("utf8");
  } catch (e) {
    if (e instanceof TextFileError) throw e;
    throw new TextFileError(file, `cannot read ${what}: ${why(e)}`);
  } finally {
    closeSync(fd);
  }
}

function why(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a folder";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return code ?? String(e);
}

/** Reads until end of file or `most` bytes, whichever comes first (a pipe's size is unknown). */
function readAtMost(fd: number, most: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < most) {
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, most - total));
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
  }
  return Buffer.concat(chunks, total);
}

/** The offset of the first byte that does not belong to a valid UTF-8 sequence (RFC 3629 §4). */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    // Lead byte: sequence length and the range its second byte must fall in.
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0; // no overlong forms
      if (b === 0xed) high = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f; // nothing past U+10FFFF
    } else return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < low || c > high : c < 0x80 || c > 0xbf) return i;
    }
    i += length;
  }
  return undefined;
}

/** Line and column (in characters, from 1) of byte `offset`. */
function positionOf(bytes: Buffer, offset: number): { line: number; col: number } {
  const before = bytes.subarray(0, offset).toString("utf8");
  const lines = before.split("\n");
  return { line: lines.length, col: [...(lines.at(-1) ?? "")].length + 1 };
}
