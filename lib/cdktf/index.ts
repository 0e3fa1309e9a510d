export { RamScimApplication } from "./application";
export type {
  RamScimApplicationProps,
  IRamScimApplication,
  ApplicationSecretOptions,
} from "./application";
export { RamScimUserSync, UserSet } from "./user-sync";
export type { RamScimUserSyncProps, ReconcileMode } from "./user-sync";
export type { RamScimCli } from "./cli";
export { AlicloudProvider, ALICLOUD_PROVIDER_VERSION } from "./alicloud/provider";
export type { AlicloudProviderConfig } from "./alicloud/provider";
export { RamGroup, RamGroupPolicyAttachment } from "./alicloud/ram-group";
export type { RamGroupConfig, RamGroupPolicyAttachmentConfig } from "./alicloud/ram-group";
