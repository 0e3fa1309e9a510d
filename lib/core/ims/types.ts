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
  /**
   * Access-token lifetime, 900-10800 seconds.
   * @default 3600 - RAM's default access-token lifetime (docs/ram-api.md §2)
   */
  readonly accessTokenValidity?: number;
  /**
   * OAuth scopes, sent as both the predefined and the required scopes.
   * @default ["/acs/scim"] - the one scope SCIM provisioning needs (docs/ram-api.md §1.1)
   */
  readonly scopes?: readonly string[];
}

/** A RAM OAuth application as IMS describes it. */
export interface OAuthApplication {
  /** RAM's application id (AppId), made by RAM; also the OAuth client_id. */
  readonly appId: string;
  /**
   * The unique name in the account (AppName); it cannot change, so applications are found by it.
   */
  readonly appName: string;
  /** The name shown in the console, 1-24 characters. */
  readonly displayName: string;
  /** IMS's AppType: `ServerApp` for the applications this package makes. */
  readonly appType: string;
  /** Lifetime of the access tokens issued to this application, seconds. */
  readonly accessTokenValidity: number;
  /** Every scope the application declares (IMS's predefined scopes). */
  readonly predefinedScopes: readonly string[];
  /** The declared scopes marked required, which an authorization must grant. */
  readonly requiredScopes: readonly string[];
  /** OAuth protocol version as IMS reports it: `2.0` for the applications this package makes. */
  readonly protocolVersion: string;
  /** When the application was made, as IMS writes it; absent when IMS does not say. */
  readonly createDate?: string;
  /** When the application last changed, as IMS writes it; absent when IMS does not say. */
  readonly updateDate?: string;
}

/** The authorization ("install") of an application in this account. */
export interface ApplicationGrant {
  /** The authorized application's AppId. */
  readonly appId: string;
  /** Scopes granted in this account, e.g. `/acs/scim`. */
  readonly scopes: readonly string[];
  /** When the authorization was made, as IMS writes it; absent when IMS does not say. */
  readonly createDate?: string;
}

/** An application secret as `ListAppSecretIds` shows it: its id only, never its value. */
export interface AppSecretInfo {
  /** IMS's id of the secret: what `DeleteAppSecret` and a rotation's `keep`/`remove` name. */
  readonly appSecretId: string;
  /** When the secret was made, as IMS writes it; secrets are listed oldest first by it. */
  readonly createDate?: string;
}

/** A secret just made: the only time its value can be read. */
export interface NewAppSecret extends AppSecretInfo {
  /** The application the secret belongs to: the client id that goes with it. */
  readonly appId: string;
  /** The secret's value, the OAuth client secret; `CreateAppSecret` shows it only once. */
  readonly value: Secret;
}

/** Changes to an existing application; scopes replace the list, they are not merged. */
export interface ApplicationChanges {
  /**
   * New display name, 1-24 characters.
   * @default - none: the display name is left as it is
   */
  readonly displayName?: string;
  /**
   * New access-token lifetime, 900-10800 seconds.
   * @default - none: the lifetime is left as it is
   */
  readonly accessTokenValidity?: number;
  /**
   * The whole new scope list, sent as both predefined and required scopes.
   * @default - none: the scopes are left as they are
   */
  readonly scopes?: readonly string[];
}
