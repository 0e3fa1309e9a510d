export { ImsClient, MAX_APP_SECRETS, applicationDrift } from "./client";
export type { ApplicationSettings, RotationResult } from "./client";
export { parseEndpoint, hasAccessKey, DEFAULT_IMS_ENDPOINT } from "./connection";
export type { ImsConnectionOptions, ImsCredential } from "./connection";
export { ImsError, ImsValidationError, RotationRefusedError } from "./errors";
export { validateApplicationSpec, TOKEN_VALIDITY_MIN, TOKEN_VALIDITY_MAX } from "./validate";
export * from "./types";
export { RamAccessClient } from "./access";
export type { UserBlockers } from "./access";
