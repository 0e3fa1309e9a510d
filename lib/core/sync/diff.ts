import { sameUserName } from "../users/names";
import type { DeclaredUser, UserSet } from "../users/types";

/** One person's change between two versions of the files, matched by owner and key. */
export interface UserChange {
  /** The person's stable key (the lower-cased user name unless the file sets one). */
  readonly key: string;
  /** The user name in the newer version. */
  readonly userName: string;
  /** Each field that differs; groups as a sorted, comma-separated list. */
  readonly changes: readonly {
    /** The field that differs: a rename, a display name, or the person's managed groups. */
    attribute: "userName" | "displayName" | "groups";
    /** The older value; absent when it had none. */
    from?: string;
    /** The newer value; absent when it has none. */
    to?: string;
  }[];
}

/** One owner's joiners, changes and leavers between two versions of the files. */
export interface OwnerDiff {
  /** The owner whose files changed; an owner with no difference has no entry. */
  readonly owner: string;
  /** Declared in the newer version only. */
  readonly joiners: readonly DeclaredUser[];
  /** Declared in both, with a difference. */
  readonly changed: readonly UserChange[];
  /** Declared in the older version only. */
  readonly leavers: readonly DeclaredUser[];
}

/**
 * What a pull request changes in the declared people: joiners, changes and leavers per owner,
 * from two versions of the files alone — no call to RAM, so it needs no credentials.
 */
export function diffUserSets(base: readonly UserSet[], head: readonly UserSet[]): OwnerDiff[] {
  const owners = [...new Set([...base.map((s) => s.owner), ...head.map((s) => s.owner)])].sort();
  return owners
    .map((owner) => {
      const before = new Map(
        (base.find((s) => s.owner === owner)?.users ?? []).map((u) => [u.key, u]),
      );
      const after = new Map(
        (head.find((s) => s.owner === owner)?.users ?? []).map((u) => [u.key, u]),
      );
      const joiners = [...after.values()].filter((u) => !before.has(u.key));
      const leavers = [...before.values()].filter((u) => !after.has(u.key));
      const changed: UserChange[] = [];
      for (const [key, now] of after) {
        const was = before.get(key);
        if (!was) continue;
        const changes: UserChange["changes"][number][] = [];
        if (!sameUserName(was.userName, now.userName))
          changes.push({ attribute: "userName", from: was.userName, to: now.userName });
        if (was.displayName !== now.displayName)
          changes.push({
            attribute: "displayName",
            ...(was.displayName !== undefined ? { from: was.displayName } : {}),
            ...(now.displayName !== undefined ? { to: now.displayName } : {}),
          });
        const groups = (u: DeclaredUser) => [...u.groups].sort().join(", ");
        if (groups(was) !== groups(now))
          changes.push({ attribute: "groups", from: groups(was), to: groups(now) });
        if (changes.length > 0) changed.push({ key, userName: now.userName, changes });
      }
      return { owner, joiners, changed, leavers };
    })
    .filter((d) => d.joiners.length + d.changed.length + d.leavers.length > 0);
}

/** "2 join, 1 change, 1 leave" */
export function diffSummary(diffs: readonly OwnerDiff[]): string {
  const count = (f: (d: OwnerDiff) => number) => diffs.reduce((n, d) => n + f(d), 0);
  return `${count((d) => d.joiners.length)} join, ${count((d) => d.changed.length)} change, ${count((d) => d.leavers.length)} leave`;
}
