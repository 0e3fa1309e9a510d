import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { EmulatorOptionsError } from "./options";
import type { RamUser } from "./directory";
import type { OAuthApp } from "./ims/applications";

export interface SavedState {
  users: RamUser[];
  applications?: OAuthApp[];
}

/** Reads a saved state; undefined when the file does not exist yet. */
export function loadState(file: string): SavedState | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // JSON.parse quotes the text it stopped at: a secret file given here must not be shown.
    const at = /position (\d+)/.exec((e as Error).message)?.[1];
    throw new EmulatorOptionsError([
      `state file ${file}: ${code ? `cannot read it (${code})` : `not valid JSON${at ? ` (at character ${Number(at) + 1})` : ""}; delete it or fix it`}`,
    ]);
  }
  const users = (parsed as { users?: unknown } | null)?.users;
  if (!Array.isArray(users))
    throw new EmulatorOptionsError([
      `state file ${file} has no "users" array; delete it or fix it`,
    ]);
  const bad = users.findIndex(
    (u: unknown) =>
      typeof (u as RamUser | null)?.id !== "string" ||
      typeof (u as RamUser | null)?.userName !== "string",
  );
  if (bad >= 0)
    throw new EmulatorOptionsError([
      `state file ${file}: users[${bad}] is not a saved user (no id or userName); delete the file or fix it`,
    ]);
  const applications = (parsed as { applications?: unknown }).applications;
  return {
    users: users as RamUser[],
    applications: Array.isArray(applications) ? (applications as OAuthApp[]) : [],
  };
}

/** Writes the state shortly after a change (writes come in bursts) and once more on close. */
export class StateSaver {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => SavedState,
    private readonly delayMs = 200,
  ) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flushLater(), this.delayMs);
    this.timer.unref();
  }

  /**
   * Writes the state now: mode 0600, as it holds application secrets. Throws
   * EmulatorOptionsError naming the file when it cannot be written.
   */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // Write then rename, so a crash never leaves half a file.
    // A new file of an unguessable name (wx: never through a link someone placed there).
    const tmp = `${this.file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify(this.snapshot(), null, 2), { mode: 0o600, flag: "wx" });
      chmodSync(tmp, 0o600); // whatever the umask, and an old file's mode does not carry over
      renameSync(tmp, this.file);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw new EmulatorOptionsError([
        `state file ${this.file}: cannot write it (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
      ]);
    }
  }

  /**
   * A write after a change. A failure is not thrown in a timer: close() writes once more and
   * reports it then, and start() has already proved the file writable.
   */
  private flushLater(): void {
    try {
      this.flush();
    } catch {
      // reported by the write close() makes
    }
  }
}
