/**
 * What the dynamic providers run inside Pulumi's provider host. The serialized provider objects
 * (../providers.ts) only `require` this module and call into it.
 */
import * as application from "./application";
import * as grant from "./grant";
import * as secret from "./secret";
import * as userSet from "./user-set";

export { configure } from "./context";
/** @internal The functions behind each resource type, as the serialized providers call them. */
export const providers = {
  application,
  grant,
  secret,
  userSet,
};
