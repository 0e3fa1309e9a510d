export { ScimClient } from "./client";
export type { ScimClientHooks, ScimClientStats } from "./client";
export { resolveScimSettings, SITE_ENDPOINTS, checkUrl, isLoopback } from "./config";
export type { ScimClientOptions, ScimClientSettings, Site } from "./config";
export { ScimError, ScimConfigError } from "./errors";
export type { DeletionBlocker, FailedRequest } from "./errors";
export { equalityFilter } from "./filter";
export type { FilterableAttribute } from "./filter";
export type { ScimEvent, ScimUser, ScimUserInput } from "./types";
