import type { Secret } from "../secret";

/** RAM's default access-token lifetime, seconds (docs/ram-api.md §2): used when none is given. */
export const DEFAULT_TOKEN_VALIDITY = 3600;

/** The SCIM scope a provisioning application needs (docs/ram-api.md §1.1). */
export const SCIM_SCOPE = "/acs/scim";

/** What a RAM OAuth application for SCIM should look like. */
export interface ApplicationSpec {
  /** Unique in the account: 1-64 letters, digits, `.`, `_`, `-`. Cannot change later. */
  readonly appName: string;
  /** 1-24 characters. */
  readonly displayName: string;
  /** Access-token lifetime, 900-10800 seconds. @default 3600 */
  readonly accessTokenValidity?: number;
  /** @default ["/acs/scim"] */
  readonly scopes?: readonly string[];
}

/** A RAM OAuth application as IMS describes it. */
export interface OAuthApplication {
  /** The OAuth client_id. */
  readonly appId: string;
  readonly appName: string;
  readonly displayName: string;
  readonly appType: string;
  readonly accessTokenValidity: number;
  readonly predefinedScopes: readonly string[];
  readonly requiredScopes: readonly string[];
  readonly protocolVersion: string;
  readonly createDate?: string;
  readonly updateDate?: string;
}

/** The authorization ("install") of an application in this account. */
export interface ApplicationGrant {
  readonly appId: string;
  readonly scopes: readonly string[];
  readonly createDate?: string;
}

export interface AppSecretInfo {
  readonly appSecretId: string;
  readonly createDate?: string;
}

/** A secret just made: the only time its value can be read. */
export interface NewAppSecret extends AppSecretInfo {
  readonly appId: string;
  readonly value: Secret;
}

/** Changes to an existing application; scopes replace the list, they are not merged. */
export interface ApplicationChanges {
  readonly displayName?: string;
  readonly accessTokenValidity?: number;
  readonly scopes?: readonly string[];
}
