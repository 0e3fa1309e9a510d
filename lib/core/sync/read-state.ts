import type { RamAccessClient, UserBlockers } from "../ims/access";
import type { ScimClient } from "../scim/client";
import type { UserSet } from "../users/types";
import { forced } from "./rules/force";
import { indexRam } from "./rules/ownership";
import { protectedNames } from "./rules/protect";
import type { RamState } from "./types";

/**
 * Reads what a plan of `desired` needs: the users (SCIM, one list), and with AccessKey
 * credentials the managed groups' members and the blockers of would-be leavers (IMS and RAM).
 */
export async function readRamState(
  scim: ScimClient,
  access: RamAccessClient | undefined,
  desired: UserSet,
  formerOwners: readonly string[] = [],
): Promise<RamState> {
  const users = await scim.listUsers();
  if (!access) return { users };
  const index = indexRam(users, desired.owner, formerOwners);
  const declared = new Set(desired.users.map((u) => u.key));
  const isProtected = protectedNames(desired);
  const leavers =
    desired.users.length === 0
      ? []
      : [...index.managed]
          .filter(([key, u]) => !declared.has(key) && !isProtected(u.userName))
          .map(([, u]) => u);

  const groups = desired.managedGroups.length > 0 ? await access.listGroups() : [];
  const members: Record<string, string[]> = {};
  await Promise.all(
    desired.managedGroups
      .filter((g) => groups.includes(g))
      .map(async (g) => (members[g] = await access.listMembers(g))),
  );
  const blockers: Record<string, UserBlockers> = {};
  // Blockers are read for every leaver: forced ones get clearing steps (so a failure to read them
  // stops the plan), the others only a warning (so a failure is passed over).
  await Promise.all(
    leavers.map(async (u) => {
      try {
        blockers[u.id] = await access.blockers(u.userName);
      } catch (e) {
        if (forced(desired, u.userName)) throw e;
      }
    }),
  );
  return {
    users,
    ...(desired.managedGroups.length > 0 ? { groups, members } : {}),
    blockers,
  };
}

/** Whether a set needs IMS/RAM at all (groups or forceDelete). */
export function needsAccess(desired: UserSet): boolean {
  return (
    desired.managedGroups.length > 0 ||
    desired.forceDelete !== false ||
    desired.users.some((u) => u.groups.length > 0)
  );
}
