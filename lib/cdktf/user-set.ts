import type { UserSet as ValidatedUserSet } from "../core/users/types";

export { UserSet } from "../core/users/declare";
import { literalTree } from "./escape";

/**
 * The set as Terraform keeps it: users keyed by user name, so that `terraform plan` names each
 * joiner (`+ "carol.wu" = {…}`), leaver (`- "bob.li"`) and change (`~ displayName = "A" -> "B"`)
 * in clear text instead of a digest. A stable key that is not the default (the lower-cased name)
 * is kept beside the name, so a rename shows the same key leaving one name for another. Every
 * string is escaped for Terraform's templates.
 */
export function terraformUserSet(set: ValidatedUserSet, what: string): Record<string, unknown> {
  return literalTree(
    {
      owner: set.owner,
      users: Object.fromEntries(
        set.users.map((u) => [
          u.userName,
          {
            ...(u.key !== u.userName.toLowerCase() ? { key: u.key } : {}),
            ...(u.displayName !== undefined ? { displayName: u.displayName } : {}),
            ...(u.groups.length > 0 ? { groups: [...u.groups] } : {}),
          },
        ]),
      ),
      ...(set.protected.length > 0 ? { protected: [...set.protected] } : {}),
      ...(set.adopt.length > 0 ? { adopt: [...set.adopt] } : {}),
      ...(set.transferFrom.length > 0 ? { transferFrom: [...set.transferFrom] } : {}),
      ...(set.allowEmpty ? { allowEmpty: true } : {}),
      ...(set.managedGroups.length > 0 ? { managedGroups: [...set.managedGroups] } : {}),
      ...(set.forceDelete !== false
        ? { forceDelete: set.forceDelete === true ? true : [...set.forceDelete] }
        : {}),
    },
    what,
  );
}

/**
 * A Terraform expression that turns the kept set (`ref`, e.g. `self.triggers_replace.user_set`)
 * back into the users file the CLI reads: the map of users becomes the list, each with its name.
 */
export function usersFileExpression(ref: string): string {
  return `\${jsonencode(merge(${ref}, { users = [for name, user in ${ref}.users : merge(user, { userName = name })] }))}`;
}
