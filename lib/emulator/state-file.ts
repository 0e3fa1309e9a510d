import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
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
    throw new Error(`Emulator state file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  const users = (parsed as { users?: unknown }).users;
  if (!Array.isArray(users))
    throw new Error(`Emulator state file ${file} has no "users" array; delete it or fix it`);
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
    this.timer = setTimeout(() => this.flush(), this.delayMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // Write then rename, so a crash never leaves half a file.
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.snapshot(), null, 2));
    renameSync(tmp, this.file);
  }
}
