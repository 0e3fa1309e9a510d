export { RamEmulator, startEmulator } from "./server";
export { ADMIN_PREFIX } from "./admin";
export { DEMO_CLIENT_ID, DEMO_ACCESS_KEY_ID, EmulatorOptionsError } from "./options";
export type { AccessKey } from "./ims/signature";
export type {
  EmulatorClient,
  EmulatorOptions,
  FaultOptions,
  SeedBlockers,
  SeedUser,
} from "./options";
export type { EmulatorCounters } from "./counters";
export type { RamDirectory, RamUser } from "./directory";
export type { OAuthApp, OAuthApplications, AppSecretRecord } from "./ims/applications";
export type { UserAdministration } from "./ims/user-admin";
