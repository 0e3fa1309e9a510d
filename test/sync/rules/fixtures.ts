/** What several rules' tests share: a declared user by name, a protect check that says no. */
import type { DeclaredUser, UserSet } from "../../../lib/core/users";

/** The declared user of that name; a test that names a missing one is wrong. */
export function declared(set: UserSet, userName: string): DeclaredUser {
  const user = set.users.find((u) => u.userName === userName);
  if (!user) throw new Error(`test setup: ${userName} is not declared`);
  return user;
}

export const noneProtected = (): boolean => false;
