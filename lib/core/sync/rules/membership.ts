import { foldUserName } from "../../users/names";
import type { UserSet } from "../../users/types";
import type { GroupStep, PlanProblem, PlanStep, RamState } from "../types";
import type { RamIndex } from "./ownership";

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
): { steps: GroupStep[]; problems: PlanProblem[]; leaverRemovals: Map<string, GroupStep[]> } {
  const out: GroupStep[] = [];
  const leaverRemovals = new Map<string, GroupStep[]>();
  if (desired.managedGroups.length === 0) return { steps: out, problems: [], leaverRemovals };
  if (!state.groups || !state.members) {
    return {
      steps: out,
      problems: [
        {
          rule: "groups",
          message: `the set manages groups (${desired.managedGroups.join(", ")}), but RAM's groups were not read: give AccessKey credentials for IMS (ALIBABA_CLOUD_ACCESS_KEY_ID and _SECRET, or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY)`,
        },
      ],
      leaverRemovals,
    };
  }
  const missing = desired.managedGroups.filter((g) => !state.groups?.includes(g));
  if (missing.length > 0) {
    return {
      steps: out,
      problems: [
        {
          rule: "groups",
          message: `managedGroups names groups that do not exist in RAM: ${missing.join(", ")}. Create them (alicloud_ram_group, alicloud.ram.Group, the console) or remove them from managedGroups.`,
        },
      ],
      leaverRemovals,
    };
  }
  const membersOf = new Map(
    desired.managedGroups.map((g) => [g, new Set((state.members?.[g] ?? []).map(foldUserName))]),
  );
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
    const currentName = account?.userName;
    if (isProtected(user.userName, ...(currentName ? [currentName] : []))) continue;
    const have = new Set(
      desired.managedGroups.filter(
        (g) => currentName !== undefined && membersOf.get(g)?.has(foldUserName(currentName)),
      ),
    );
    const want = new Set(user.groups);
    const deps = step ? [step.stepId] : [];
    for (const group of want)
      if (!have.has(group))
        out.push({
          action: "add-to-group",
          stepId: `add:${user.externalId}:${group}`,
          after: deps,
          userName: user.userName,
          group,
          leaver: false,
        });
    for (const group of have)
      if (!want.has(group))
        out.push({
          action: "remove-from-group",
          stepId: `remove:${user.externalId}:${group}`,
          after: deps,
          userName: user.userName,
          group,
          leaver: false,
        });
  }

  for (const step of steps) {
    if (step.action !== "delete") continue;
    const name = step.current.userName;
    const removals = desired.managedGroups
      .filter((g) => membersOf.get(g)?.has(foldUserName(name)))
      .map((group): GroupStep => ({
        action: "remove-from-group",
        stepId: `remove:${step.current.id}:${group}`,
        after: [],
        userName: name,
        group,
        leaver: true,
      }));
    leaverRemovals.set(step.stepId, removals);
    out.push(...removals);
  }
  return { steps: out, problems: [], leaverRemovals };
}
