import { foldUserName } from "../../users/names";
import type { UserSet } from "../../users/types";

/** Protect rule: a protected name is never updated or deleted, whichever side names it. */
export function protectedNames(set: UserSet): (...names: string[]) => boolean {
  const folded = new Set(set.protected.map(foldUserName));
  return (...names) => names.some((n) => folded.has(foldUserName(n)));
}
