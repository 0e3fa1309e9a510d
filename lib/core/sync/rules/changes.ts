import type { ScimUser } from "../../scim/types";
import { sameUserName } from "../../users/names";
import type { DeclaredUser } from "../../users/types";
import type { AttributeChange } from "../types";

/**
 * What a PUT would change to make `current` match `declared`. Names compare without regard to
 * case or principal suffix (a server that lower-cases or answers `alice@alias.onaliyun.com` shows
 * no drift); a display name left out of the file is RAM's to keep.
 */
export function userChanges(declared: DeclaredUser, current: ScimUser): AttributeChange[] {
  const changes: AttributeChange[] = [];
  if (!sameUserName(declared.userName, current.userName))
    changes.push({ attribute: "userName", from: current.userName, to: declared.userName });
  if (declared.displayName !== undefined && declared.displayName !== current.displayName)
    changes.push({ attribute: "displayName", from: current.displayName, to: declared.displayName });
  if (declared.externalId !== current.externalId)
    changes.push({ attribute: "externalId", from: current.externalId, to: declared.externalId });
  return changes;
}
