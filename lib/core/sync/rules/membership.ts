import type { ScimUser } from "../../scim/types";
import { foldUserName } from "../../users/names";
import type { DeclaredUser, UserSet } from "../../users/types";
import type { GroupStep, PlanProblem, PlanStep, RamState } from "../types";
import type { RamIndex } from "./ownership";

/** What the membership rule adds to a plan. */
export interface MembershipSteps {
  readonly steps: GroupStep[];
  readonly problems: PlanProblem[];
  /** Each leaver's removals from its managed groups, by the delete step's id. */
  readonly leaverRemovals: Map<string, GroupStep[]>;
}

/** Folded user names in each managed group. */
type Members = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Membership rule: within the groups the set manages, each declared person is in exactly the
 * groups listed for them; joiners are added after their account exists, role changes add and
 * remove, leavers are removed from every managed group before their delete. Groups outside
 * `managedGroups` are never touched here.
 */
export function membershipSteps(
  desired: UserSet,
  index: RamIndex,
  state: RamState,
  steps: readonly PlanStep[],
  isProtected: (...names: string[]) => boolean,
): MembershipSteps {
  const leaverRemovals = new Map<string, GroupStep[]>();
  if (desired.managedGroups.length === 0) return { steps: [], problems: [], leaverRemovals };
  const problem = groupsProblem(desired.managedGroups, state);
  if (problem) return { steps: [], problems: [problem], leaverRemovals };
  const membersOf: Members = new Map(
    desired.managedGroups.map((g) => [g, new Set((state.members?.[g] ?? []).map(foldUserName))]),
  );
  const out: GroupStep[] = [];
  /** The step that makes or changes each declared person's own account, by externalId. */
  const accountSteps = new Map<string, PlanStep>();
  for (const s of steps)
    if (s.action === "create" || s.action === "update" || s.action === "adopt")
      accountSteps.set(s.user.externalId, s);

  for (const user of desired.users) {
    const step = accountSteps.get(user.externalId);
    // The person's account after the plan: theirs by key, the one they adopt or take over, or a
    // new one (no memberships yet). Someone else's user holding the name is never it: that is
    // an ownership error, and no group step may touch them.
    const account =
      index.managed.get(user.key) ?? (step?.action === "adopt" ? step.current : undefined);
    if (!account && step?.action !== "create") continue;
    if (isProtected(user.userName, ...(account ? [account.userName] : []))) continue;
    for (const s of memberSteps(desired.managedGroups, membersOf, user, account, step)) out.push(s);
  }
  for (const step of steps) {
    if (step.action !== "delete") continue;
    const removals = leaverSteps(desired.managedGroups, membersOf, step.current);
    leaverRemovals.set(step.stepId, removals);
    for (const s of removals) out.push(s);
  }
  return { steps: out, problems: [], leaverRemovals };
}

/** Why the groups cannot be planned: RAM's groups not read, or a managed group missing. */
function groupsProblem(managed: readonly string[], state: RamState): PlanProblem | undefined {
  if (!state.groups || !state.members)
    return {
      rule: "groups",
      message: `the set manages groups (${managed.join(", ")}), but RAM's groups were not read: give AccessKey credentials for IMS (ALIBABA_CLOUD_ACCESS_KEY_ID and _SECRET, or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY)`,
    };
  const missing = managed.filter((g) => !state.groups?.includes(g));
  if (missing.length > 0)
    return {
      rule: "groups",
      message: `managedGroups names groups that do not exist in RAM: ${missing.join(", ")}. Create them (alicloud_ram_group, alicloud.ram.Group, the console) or remove them from managedGroups.`,
    };
  return undefined;
}

/** A declared person's adds and removes, after the step that makes or changes the account. */
function memberSteps(
  managed: readonly string[],
  membersOf: Members,
  user: DeclaredUser,
  account: ScimUser | undefined,
  step: PlanStep | undefined,
): GroupStep[] {
  const currentName = account?.userName;
  const have = new Set(
    managed.filter(
      (g) => currentName !== undefined && membersOf.get(g)?.has(foldUserName(currentName)),
    ),
  );
  const want = new Set(user.groups);
  const after = step ? [step.stepId] : [];
  const change = (action: GroupStep["action"], group: string): GroupStep => ({
    action,
    stepId: `${action === "add-to-group" ? "add" : "remove"}:${user.externalId}:${group}`,
    after,
    userName: user.userName,
    group,
    leaver: false,
  });
  return [
    ...[...want].filter((g) => !have.has(g)).map((g) => change("add-to-group", g)),
    ...[...have].filter((g) => !want.has(g)).map((g) => change("remove-from-group", g)),
  ];
}

/** A leaver's removals from every managed group it is in, before its delete. */
function leaverSteps(
  managed: readonly string[],
  membersOf: Members,
  current: ScimUser,
): GroupStep[] {
  const name = current.userName;
  return managed
    .filter((g) => membersOf.get(g)?.has(foldUserName(name)))
    .map((group) => ({
      action: "remove-from-group",
      stepId: `remove:${current.id}:${group}`,
      after: [],
      userName: name,
      group,
      leaver: true,
    }));
}
