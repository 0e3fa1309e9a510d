export { RamScimApplication, RamScimUserSync, RamScimProvisioning, UserSet } from "./components";
export type {
  ScimApplication,
  RamScimApplicationArgs,
  RamScimUserSyncArgs,
  RamScimProvisioningArgs,
} from "./components";
export { RamOAuthApplication, RamScimGrant, RamAppSecret, RamScimUserSet } from "./resources";
export type {
  RamOAuthApplicationArgs,
  RamScimGrantArgs,
  RamAppSecretArgs,
  RamScimUserSetArgs,
} from "./resources";
