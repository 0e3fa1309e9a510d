import type { ScimUser } from "../../scim/types";
import { foldUserName } from "../../users/names";

/** What RAM holds, seen from one owner: its managed users by key, and everyone by name. */
export interface RamIndex {
  /** Users whose externalId is `<owner>:<key>`, by key. */
  readonly managed: ReadonlyMap<string, ScimUser>;
  /** Every user, by folded name (bare, lower-cased). */
  readonly byName: ReadonlyMap<string, ScimUser>;
}

/** The key of a user the owner manages, or undefined for anyone else's (or no one's) user. */
export function managedKey(user: ScimUser, owner: string): string | undefined {
  const prefix = `${owner}:`;
  return user.externalId?.startsWith(prefix) ? user.externalId.slice(prefix.length) : undefined;
}

/** Ownership rule: managed users are exactly those whose externalId starts with `<owner>:`. */
export function indexRam(actual: readonly ScimUser[], owner: string): RamIndex {
  const managed = new Map<string, ScimUser>();
  const byName = new Map<string, ScimUser>();
  for (const user of actual) {
    const key = managedKey(user, owner);
    if (key !== undefined) managed.set(key, user);
    byName.set(foldUserName(user.userName), user);
  }
  return { managed, byName };
}

/** How a person reads an unmanaged user in a message. */
export function describeHolder(user: ScimUser): string {
  const owner = user.externalId
    ? `externalId "${user.externalId}"`
    : "no externalId: made in the console";
  return `${user.userName} (id ${user.id}, ${owner})`;
}
