import type { ScimUser } from "../../scim/types";
import { foldUserName } from "../../users/names";

/** What RAM holds, seen from one owner: its managed users by key, and everyone by name. */
export interface RamIndex {
  /** Users whose externalId is `<owner>:<key>` (or a former owner's), by key. */
  readonly managed: ReadonlyMap<string, ScimUser>;
  /** Every user, by folded name (bare, lower-cased). */
  readonly byName: ReadonlyMap<string, ScimUser>;
  /** Whether a user is one of the managed ones (this owner's, or a former owner's). */
  readonly isManaged: (user: ScimUser) => boolean;
  /** Whether a user is this owner's own (not a former owner's, still to move). */
  readonly isOwn: (user: ScimUser) => boolean;
  /** Users of a former owner whose key this owner already manages: two people claim one key. */
  readonly conflicts: readonly { readonly key: string; readonly user: ScimUser }[];
  /** Users under this owner's prefix that no file can declare: reported, never touched. */
  readonly malformed: readonly ScimUser[];
}

/**
 * An externalId of the owner form, `<owner>:<key>`, as a users file can write it (the owner and
 * key patterns of users-file.schema.json; neither holds a `:`).
 */
const OWNED = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63}):([A-Za-z0-9._@+-]{1,128})$/;

/** The owner that manages a user, or undefined for a user no owner manages. */
export function ownerOf(user: ScimUser): string | undefined {
  return OWNED.exec(user.externalId ?? "")?.[1];
}

/** The key of a user the owner manages, or undefined for anyone else's (or no one's) user. */
export function managedKey(user: ScimUser, owner: string): string | undefined {
  const m = OWNED.exec(user.externalId ?? "");
  return m && m[1] === owner ? m[2] : undefined;
}

/**
 * A user whose externalId starts with `<owner>:` but is not of the owner form (`platform:`,
 * `platform::x`, `platform:team-a:x`): no file can declare it, so no plan may delete it.
 */
export function malformedUnder(user: ScimUser, owner: string): boolean {
  return user.externalId?.startsWith(`${owner}:`) === true && managedKey(user, owner) === undefined;
}

/**
 * Ownership rule: managed users are exactly those whose externalId starts with `<owner>:`. A set
 * renamed from other owners (`formerOwners`, e.g. a Pulumi user set whose owner changed) manages
 * their users too: the declared ones move to the new owner, the others are leavers.
 */
export function indexRam(
  actual: readonly ScimUser[],
  owner: string,
  formerOwners: readonly string[] = [],
): RamIndex {
  const managed = new Map<string, ScimUser>();
  const byName = new Map<string, ScimUser>();
  const former: { key: string; user: ScimUser }[] = [];
  const ids = new Set<string>();
  const malformed: ScimUser[] = [];
  const previous = formerOwners.filter((o) => o !== owner);
  for (const user of actual) {
    if (malformedUnder(user, owner)) malformed.push(user);
    const key = managedKey(user, owner);
    if (key !== undefined) {
      managed.set(key, user);
      ids.add(user.id);
    } else {
      for (const from of previous) {
        const formerKey = managedKey(user, from);
        if (formerKey !== undefined) {
          former.push({ key: formerKey, user });
          break;
        }
      }
    }
    byName.set(foldUserName(user.userName), user);
  }
  const conflicts: { key: string; user: ScimUser }[] = [];
  for (const f of former) {
    if (managed.has(f.key)) conflicts.push(f);
    else {
      managed.set(f.key, f.user);
      ids.add(f.user.id);
    }
  }
  return {
    managed,
    byName,
    isManaged: (user) => ids.has(user.id),
    isOwn: (user) => managedKey(user, owner) !== undefined,
    conflicts,
    malformed,
  };
}

/** What to say of a user under the owner's prefix that no file can declare. */
export function malformedWarning(user: ScimUser, owner: string): string {
  return (
    `${user.userName} (id ${user.id}) has externalId "${user.externalId}", under owner "${owner}" but not of the form "${owner}:<key>": ` +
    `no users file can declare it, so it is left alone. Correct its externalId (or delete it) in RAM if it is one of ours.`
  );
}

/** How a person reads an unmanaged user in a message. */
export function describeHolder(user: ScimUser): string {
  const owner = user.externalId
    ? `externalId "${user.externalId}"`
    : "no externalId: made in the console";
  return `${user.userName} (id ${user.id}, ${owner})`;
}
