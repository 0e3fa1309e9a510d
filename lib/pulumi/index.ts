export { RamScimApplication, RamScimUserSync, RamScimProvisioning, UserSet } from "./components";
export type {
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
