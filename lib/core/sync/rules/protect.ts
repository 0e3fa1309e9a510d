import { foldUserName } from "../../users/names";
import type { ScimUser } from "../../scim/types";
import type { UserSet } from "../../users/types";
import type { AttributeChange, PlanProblem } from "../types";

/** Protect rule: a protected name is never updated or deleted, whichever side names it. */
export function protectedNames(set: UserSet): (...names: string[]) => boolean {
  const folded = new Set(set.protected.map(foldUserName));
  return (...names) => names.some((n) => folded.has(foldUserName(n)));
}

/**
 * What a declared change to a protected user comes to: a refusal when it would move the user to
 * this owner (its externalId would change), else a warning that its drift is left as it is.
 */
export function protectedChange(
  owner: string,
  current: ScimUser,
  changes: readonly AttributeChange[],
  own: boolean,
): { problem: PlanProblem } | { warning: string } {
  if (!own)
    return {
      problem: {
        rule: "protect",
        userName: current.userName,
        message:
          `${current.userName} is protected, so it cannot move to owner "${owner}" ` +
          `(its externalId "${current.externalId}" would change): take it out of protected for this change, or keep the owner.`,
      },
    };
  return {
    warning: `${current.userName} is protected: its drift (${changes.map((c) => c.attribute).join(", ")}) is left as it is`,
  };
}
