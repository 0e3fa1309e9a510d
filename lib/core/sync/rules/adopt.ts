import type { ScimUser } from "../../scim/types";
import { foldUserName } from "../../users/names";
import type { DeclaredUser, UserSet } from "../../users/types";
import type { AdoptStep, PlanProblem } from "../types";
import { userChanges } from "./changes";
import { describeHolder, ownerOf } from "./ownership";

/**
 * Adopt rule: a declared name that RAM holds unmanaged becomes an adopt step when the set lists
 * it under `adopt`, and a plan error naming the user otherwise. A name another owner manages is
 * never adopted: it moves only when this set lists that owner under `transferFrom`.
 */
export function adoptOrRefuse(
  set: UserSet,
  declared: DeclaredUser,
  holder: ScimUser,
  isProtected: (...names: string[]) => boolean,
): AdoptStep | PlanProblem {
  const listed = set.adopt.some((n) => foldUserName(n) === foldUserName(declared.userName));
  const owner = ownerOf(holder);
  if (owner !== undefined && !set.transferFrom.includes(owner)) {
    return {
      rule: "ownership",
      userName: declared.userName,
      message:
        `${declared.userName} already exists in RAM and is managed by owner "${owner}": ${describeHolder(holder)}. ` +
        `adopt takes only users no owner manages. To move this person to owner "${set.owner}", ` +
        `add transferFrom: [${owner}] to this set, then remove them from owner "${owner}"'s file: in the same change when ` +
        `both files are applied together, otherwise once this set has applied (before that, owner "${owner}" would delete them). Or choose another name.`,
    };
  }
  if (!listed && owner === undefined) {
    return {
      rule: "ownership",
      userName: declared.userName,
      message:
        `${declared.userName} already exists in RAM and is not managed by owner "${set.owner}": ` +
        `${describeHolder(holder)}. To take it over, list it under adopt; otherwise choose another name.`,
    };
  }
  if (isProtected(declared.userName, holder.userName)) {
    return {
      rule: "protect",
      userName: declared.userName,
      message:
        owner !== undefined
          ? `${declared.userName} is protected, so it cannot move from owner "${owner}" to owner "${set.owner}" (its externalId would change): take it out of protected for this change, or leave ${owner} out of transferFrom.`
          : `${declared.userName} is listed under both adopt and protected: adopting updates the user, which protected forbids; remove it from one of them.`,
    };
  }
  return {
    action: "adopt",
    stepId: `adopt:${holder.id}`,
    after: [],
    user: declared,
    current: holder,
    changes: userChanges(declared, holder),
  };
}
