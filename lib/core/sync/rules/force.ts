import type { DeletionBlocker } from "../../scim/errors";
import { foldUserName } from "../../users/names";
import type { UserSet } from "../../users/types";
import type { ClearStep, DeleteStep, GroupStep, PlanProblem, RamState } from "../types";

/** Does forceDelete cover this leaver? */
export function forced(desired: UserSet, userName: string): boolean {
  if (desired.forceDelete === true) return true;
  if (desired.forceDelete === false) return false;
  return desired.forceDelete.some((n) => foldUserName(n) === foldUserName(userName));
}

/**
 * Force rule: a leaver under forceDelete has each blocker RAM lists cleared first, one step per
 * AccessKey, MFA device, login profile, group and policy, so the plan and the result show an
 * auditor what was removed. Without forceDelete, known blockers become a warning that says how
 * to proceed.
 */
export function clearingSteps(
  desired: UserSet,
  deletes: readonly DeleteStep[],
  state: RamState,
  alreadyRemoved: Map<string, readonly GroupStep[]>,
): {
  steps: ClearStep[];
  problems: PlanProblem[];
  warnings: string[];
  byDelete: Map<string, ClearStep[]>;
} {
  const steps: ClearStep[] = [];
  const problems: PlanProblem[] = [];
  const warnings: string[] = [];
  const byDelete = new Map<string, ClearStep[]>();
  for (const del of deletes) {
    const name = del.current.userName;
    const blockers = state.blockers?.[del.current.id];
    // Managed groups the membership rule removes before the delete block nothing.
    const removed = new Set((alreadyRemoved.get(del.stepId) ?? []).map((r) => r.group));
    if (!forced(desired, name)) {
      const found = blockers ? describe(blockers, removed) : [];
      if (found.length > 0)
        warnings.push(
          `${name} still has ${found.join(", ")}: RAM will refuse the delete. Add it to forceDelete to clear them first.`,
        );
      continue;
    }
    if (!blockers) {
      problems.push({
        rule: "force-delete",
        userName: name,
        message: `forceDelete covers ${name}, but its blockers could not be listed: give AccessKey credentials for IMS and RAM`,
      });
      continue;
    }
    const mine: ClearStep[] = [];
    byDelete.set(del.stepId, mine);
    const clear = (blocker: DeletionBlocker, target: string) => {
      const step: ClearStep = {
        action: "clear-blocker",
        stepId: `clear:${del.current.id}:${blocker}:${target}`,
        after: [],
        current: del.current,
        blocker,
        target,
      };
      mine.push(step);
      steps.push(step);
    };
    for (const key of blockers.accessKeys) clear("AccessKey", key.id);
    if (blockers.mfaDevice) clear("MFADevice", "");
    if (blockers.loginProfile) clear("LoginProfile", "");
    for (const group of blockers.groups) if (!removed.has(group)) clear("Group", group);
    for (const policy of blockers.policies) clear("Policy", `${policy.type}:${policy.name}`);
  }
  return { steps, problems, warnings, byDelete };
}

function describe(
  b: NonNullable<RamState["blockers"]>[string],
  removed: ReadonlySet<string>,
): string[] {
  const groups = b.groups.filter((g) => !removed.has(g));
  return [
    ...(b.accessKeys.length > 0 ? [`${b.accessKeys.length} AccessKey(s)`] : []),
    ...(b.mfaDevice ? ["an MFA device"] : []),
    ...(b.loginProfile ? ["a console login"] : []),
    ...(groups.length > 0 ? [`groups ${groups.join(", ")}`] : []),
    ...(b.policies.length > 0 ? [`policies ${b.policies.map((p) => p.name).join(", ")}`] : []),
  ];
}
