import type { SeedUser } from "../emulator";
import { UsageError } from "./io";
import { readJsonFile } from "./parse";

/** What an emulator holds at start: users, and groups that exist with no member yet. */
export interface EmulatorSeed {
  readonly seedUsers: SeedUser[];
  readonly seedGroups: string[];
}

/**
 * A seed file: a JSON array of users, or `{ "users": [...], "groups": [...] }`. A user has a
 * `userName` and may have `displayName`, `externalId` and `blockers` (whose `groups` exist too).
 */
export function readEmulatorSeed(flag: string, file: string): EmulatorSeed {
  const parsed = readJsonFile(flag, file);
  const asObject = parsed as { users?: unknown; groups?: unknown } | null;
  const users = Array.isArray(parsed) ? parsed : asObject?.users;
  const groups = Array.isArray(parsed) ? [] : (asObject?.groups ?? []);
  if (!Array.isArray(users))
    throw new UsageError(
      `${flag} ${file}: expected a JSON array of users, or an object with a "users" array (and "groups")`,
    );
  users.forEach((u: unknown, i: number) => {
    if (typeof (u as SeedUser | null)?.userName !== "string")
      throw new UsageError(`${flag} ${file}: user #${i + 1} has no "userName" string`);
  });
  if (!Array.isArray(groups) || groups.some((g) => typeof g !== "string"))
    throw new UsageError(`${flag} ${file}: "groups" must be a list of group names`);
  return { seedUsers: users as SeedUser[], seedGroups: groups as string[] };
}
