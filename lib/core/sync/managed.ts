import type { ScimUser } from "../scim/types";
import type { UserSet } from "../users/types";
import type { ApplyResult } from "./apply";
import { indexRam } from "./rules/ownership";
import type { Plan } from "./types";

/**
 * How many users the owner manages once `result` is applied: those the plan found (its own and
 * a former owner's), plus those made or taken over, less those deleted; without reading RAM
 * again. Without a result, the count the plan found: what a refresh records.
 */
export function managedAfter(plan: Plan, result?: ApplyResult): number {
  let managed = plan.guard.managed;
  for (const o of result?.outcomes ?? []) {
    if (o.status !== "done") continue;
    if (o.step.action === "create" || o.step.action === "adopt") managed += 1;
    else if (o.step.action === "delete") managed -= 1;
  }
  return managed;
}

/** The users an owner itself holds in RAM. */
export interface OwnHoldings {
  /** How many users carry the owner's own externalId form. */
  readonly own: number;
  /** Of those, how many the set does not declare. */
  readonly undeclared: number;
}

/**
 * The users the owner itself holds in RAM now (a former owner's not counted), and how many of
 * them the set does not declare: what a take-over or an owner change would claim or delete.
 */
export function ownHoldings(users: readonly ScimUser[], set: UserSet): OwnHoldings {
  const own = [...indexRam(users, set.owner).managed.keys()];
  const declared = new Set(set.users.map((u) => u.key));
  return { own: own.length, undeclared: own.filter((key) => !declared.has(key)).length };
}
