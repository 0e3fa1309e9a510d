import type Ims from "@alicloud/ims20190815";
import { imsConfig, sdk } from "./sdk";
import { Secret } from "../secret";
import type { ImsConnectionOptions } from "./connection";
import { ImsError, RotationRefusedError, toImsError } from "./errors";
import {
  DEFAULT_TOKEN_VALIDITY,
  SCIM_SCOPE,
  type ApplicationChanges,
  type ApplicationGrant,
  type ApplicationSpec,
  type AppSecretInfo,
  type NewAppSecret,
  type OAuthApplication,
} from "./types";
import { requireId, validateApplicationChanges, validateApplicationSpec } from "./validate";

/**
 * At most two secrets per application: how rotation without downtime works (docs/ram-api.md §5).
 */
export const MAX_APP_SECRETS = 2;

type SdkApplication = {
  appId?: string;
  appName?: string;
  displayName?: string;
  appType?: string;
  accessTokenValidity?: number;
  protocolVersion?: string;
  createDate?: string;
  updateDate?: string;
  delegatedScope?: {
    predefinedScopes?: { predefinedScope?: { name?: string; required?: boolean }[] };
  };
};

/** What {@link ImsClient.rotateSecret} did: the new secret, and the ones still to delete. */
export interface RotationResult {
  /** The new secret, with its value: hand it out before deleting `previous`. */
  readonly created: NewAppSecret;
  /** Secrets that were there before: delete them once the new value is handed out. */
  readonly previous: readonly AppSecretInfo[];
  /** A secret deleted before the new one was made, to stay within two. */
  readonly removedFirst?: AppSecretInfo;
}

/**
 * The console steps of docs/ram-api.md §1.1 as calls: the OAuth application (ServerApp, /acs/scim),
 * its grant in the account, and its secrets, over the official IMS SDK.
 */
export class ImsClient {
  private readonly sdk: Ims;
  private readonly models = sdk.ims();

  constructor(options: ImsConnectionOptions = {}) {
    this.sdk = new this.models.default(imsConfig(options));
  }

  /**
   * Makes a ServerApp application for the spec; fails if its AppName is taken (see
   * `ensureApplication`).
   */
  async createApplication(spec: ApplicationSpec): Promise<OAuthApplication> {
    validateApplicationSpec(spec);
    const scopes = (spec.scopes ?? [SCIM_SCOPE]).join(";");
    const res = await this.call("CreateApplication", () =>
      this.sdk.createApplication(
        new this.models.CreateApplicationRequest({
          appName: spec.appName,
          displayName: spec.displayName,
          appType: "ServerApp",
          accessTokenValidity: spec.accessTokenValidity ?? DEFAULT_TOKEN_VALIDITY,
          predefinedScopes: scopes,
          requiredScopes: scopes,
          protocolVersion: "2.0",
          secretRequired: true,
        }),
      ),
    );
    return toApplication(res.body?.application, "CreateApplication");
  }

  /** The application, or undefined when there is none with this id. */
  async getApplication(appId: string): Promise<OAuthApplication | undefined> {
    requireId("appId", appId);
    const res = await this.optional("GetApplication", () =>
      this.sdk.getApplication(new this.models.GetApplicationRequest({ appId })),
    );
    return res ? toApplication(res.body?.application, "GetApplication") : undefined;
  }

  /** Every OAuth application in the account. */
  async listApplications(): Promise<OAuthApplication[]> {
    const res = await this.call("ListApplications", () => this.sdk.listApplications());
    // An application IMS lists incompletely is someone else's concern, and cannot be the one
    // looked up by name: it is left out rather than failing every lookup in the account.
    return (res.body?.applications?.application ?? [])
      .map((a) => a as SdkApplication)
      .filter(complete)
      .map((a) => toApplication(a, "ListApplications"));
  }

  /** For adopting an application made in the console: AppName is unique in the account. */
  async findApplication(appName: string): Promise<OAuthApplication | undefined> {
    return (await this.listApplications()).find((a) => a.appName === appName);
  }

  /** Scope lists are replaced by the API, so `scopes` is sent whole, as predefined and required. */
  async updateApplication(appId: string, changes: ApplicationChanges): Promise<OAuthApplication> {
    requireId("appId", appId);
    validateApplicationChanges(changes);
    const scopes = changes.scopes?.join(";");
    const res = await this.call("UpdateApplication", () =>
      this.sdk.updateApplication(
        new this.models.UpdateApplicationRequest({
          appId,
          newDisplayName: changes.displayName,
          newAccessTokenValidity: changes.accessTokenValidity,
          newPredefinedScopes: scopes,
          newRequiredScopes: scopes,
        }),
      ),
    );
    return toApplication(res.body?.application, "UpdateApplication");
  }

  /**
   * Creates the application, or takes over the one with this AppName and brings its display
   * name, token validity and scopes in line. Idempotent.
   */
  async ensureApplication(spec: ApplicationSpec): Promise<{
    /** The application as it now stands. */
    application: OAuthApplication;
    /** What was done to bring it in line with the spec. */
    action: "created" | "updated" | "unchanged";
  }> {
    validateApplicationSpec(spec);
    const existing = await this.findApplication(spec.appName);
    if (!existing) return { application: await this.createApplication(spec), action: "created" };
    const changes = applicationDrift(existing, spec);
    if (Object.keys(changes).length === 0) return { application: existing, action: "unchanged" };
    return {
      application: await this.updateApplication(existing.appId, changes),
      action: "updated",
    };
  }

  /** Deletes the application; one that is already gone counts as deleted. */
  async deleteApplication(appId: string): Promise<void> {
    requireId("appId", appId);
    await this.optional("DeleteApplication", () =>
      this.sdk.deleteApplication(new this.models.DeleteApplicationRequest({ appId })),
    );
  }

  /** Authorizes the application in this account for the scopes (the console's "authorize"). */
  async grant(appId: string, scopes: readonly string[] = [SCIM_SCOPE]): Promise<ApplicationGrant> {
    requireId("appId", appId);
    await this.call("ProvisionApplication", () =>
      this.sdk.provisionApplication(
        new this.models.ProvisionApplicationRequest({ appId, scopes: scopes.join(";") }),
      ),
    );
    return (await this.getGrant(appId)) ?? { appId, scopes };
  }

  /** The application's authorization in this account, or undefined when it is not authorized. */
  async getGrant(appId: string): Promise<ApplicationGrant | undefined> {
    requireId("appId", appId);
    const res = await this.optional("GetApplicationProvisionInfo", () =>
      this.sdk.getApplicationProvisionInfo(
        new this.models.GetApplicationProvisionInfoRequest({ appId }),
      ),
    );
    const info = res?.body?.applicationProvisionInfo;
    if (!info) return undefined;
    const scopes = (info.delegatedScope?.predefinedScopes?.predefinedScope ?? [])
      .map((s) => s.name ?? "")
      .filter(Boolean);
    return { appId, scopes, ...(info.createDate ? { createDate: info.createDate } : {}) };
  }

  /** Removes the authorization; none there counts as removed. */
  async revoke(appId: string): Promise<void> {
    requireId("appId", appId);
    await this.optional("DeprovisionApplication", () =>
      this.sdk.deprovisionApplication(new this.models.DeprovisionApplicationRequest({ appId })),
    );
  }

  /** A new secret: its value is readable in this answer only, and travels as a Secret. */
  async createSecret(appId: string): Promise<NewAppSecret> {
    requireId("appId", appId);
    const res = await this.call("CreateAppSecret", () =>
      this.sdk.createAppSecret(new this.models.CreateAppSecretRequest({ appId })),
    );
    const s = res.body?.appSecret;
    if (!s?.appSecretId || !s.appSecretValue)
      throw new ImsError(
        "CreateAppSecret",
        "UnexpectedAnswer",
        res.statusCode,
        "the answer has no AppSecretId or AppSecretValue",
      );
    return {
      appId,
      appSecretId: s.appSecretId,
      value: new Secret(s.appSecretValue),
      ...(s.createDate ? { createDate: s.createDate } : {}),
    };
  }

  /** Secret ids, oldest first. */
  async listSecrets(appId: string): Promise<AppSecretInfo[]> {
    requireId("appId", appId);
    const res = await this.call("ListAppSecretIds", () =>
      this.sdk.listAppSecretIds(new this.models.ListAppSecretIdsRequest({ appId })),
    );
    return (res.body?.appSecrets?.appSecret ?? [])
      .map((s) => ({
        appSecretId: s.appSecretId ?? "",
        ...(s.createDate ? { createDate: s.createDate } : {}),
      }))
      .sort((a, b) => (a.createDate ?? "").localeCompare(b.createDate ?? ""));
  }

  /** Deletes a secret; one that is already gone counts as deleted. */
  async deleteSecret(appId: string, appSecretId: string): Promise<void> {
    requireId("appId", appId);
    requireId("appSecretId", appSecretId);
    await this.optional("DeleteAppSecret", () =>
      this.sdk.deleteAppSecret(new this.models.DeleteAppSecretRequest({ appId, appSecretId })),
    );
  }

  /**
   * First half of a rotation without downtime: makes the new secret while the old one still
   * works. Hand the new value out, then delete `previous`. With two secrets already there one
   * must go first, and only the caller knows which is in use: `keep` names that one, or `remove`
   * the other; with neither the rotation is refused and nothing changes.
   */
  async rotateSecret(
    appId: string,
    options: {
      /**
       * Id of the secret to delete first when there are already two.
       * @default - none: `keep` decides, or the rotation is refused
       */
      remove?: string;
      /**
       * Id of the secret in use, to keep when there are already two; the other is deleted.
       * @default - none: `remove` decides, or the rotation is refused
       */
      keep?: string;
    } = {},
  ): Promise<RotationResult> {
    const secrets = await this.listSecrets(appId);
    let removedFirst: AppSecretInfo | undefined;
    if (secrets.length >= MAX_APP_SECRETS) {
      const named = options.remove ?? options.keep;
      if (named !== undefined && !secrets.some((s) => s.appSecretId === named))
        throw new RotationRefusedError(
          `application ${appId} has no secret ${named}; its secrets are ${secrets.map((s) => s.appSecretId).join(", ")}`,
          secrets,
        );
      const victim = options.remove
        ? secrets.find((s) => s.appSecretId === options.remove)
        : options.keep !== undefined
          ? secrets.find((s) => s.appSecretId !== options.keep)
          : undefined;
      if (!victim)
        // RAM shows ids only: which secret is in use is known to the configuration, not to us.
        throw new RotationRefusedError(
          `application ${appId} already has ${secrets.length} secrets (${secrets.map(describe).join(", ")}), the most allowed, ` +
            "so one must be deleted before a new one is made. RAM shows only their ids, so which one your configuration uses " +
            "(its secret file, RAM_SCIM_CLIENT_SECRET) cannot be told from here, and deleting that one stops provisioning. " +
            "Name the one in use with --keep ID, or the one nothing uses with --remove ID.",
          secrets,
        );
      removedFirst = victim;
      await this.deleteSecret(appId, removedFirst.appSecretId);
    }
    const created = await this.createSecret(appId);
    const previous = secrets.filter((s) => s.appSecretId !== removedFirst?.appSecretId);
    return { created, previous, ...(removedFirst ? { removedFirst } : {}) };
  }

  private async call<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      throw toImsError(action, e);
    }
  }

  /** A call whose "not found" answer means there is nothing to return or do. */
  private async optional<T>(action: string, run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await this.call(action, run);
    } catch (e) {
      if (e instanceof ImsError && e.isNotFound) return undefined;
      throw e;
    }
  }
}

function describe(s: AppSecretInfo): string {
  return s.createDate ? `${s.appSecretId} made ${s.createDate}` : s.appSecretId;
}

/** What of an application the drift check compares: settings, declared and required scopes. */
export type ApplicationSettings = Pick<
  OAuthApplication,
  "displayName" | "accessTokenValidity" | "predefinedScopes" | "requiredScopes"
>;

/**
 * What an existing application lacks to match the spec: the one rule for every adapter (the CLI's
 * ensure, the Pulumi provider's adoption and diff). Scopes must be both declared and required.
 */
export function applicationDrift(
  app: ApplicationSettings,
  spec: ApplicationSpec,
): ApplicationChanges {
  const changes: { -readonly [K in keyof ApplicationChanges]: ApplicationChanges[K] } = {};
  if (app.displayName !== spec.displayName) changes.displayName = spec.displayName;
  const validity = spec.accessTokenValidity ?? DEFAULT_TOKEN_VALIDITY;
  if (app.accessTokenValidity !== validity) changes.accessTokenValidity = validity;
  const scopes = [...(spec.scopes ?? [SCIM_SCOPE])].sort();
  if (
    [...app.predefinedScopes].sort().join(";") !== scopes.join(";") ||
    [...app.requiredScopes].sort().join(";") !== scopes.join(";")
  )
    changes.scopes = scopes;
  return changes;
}

/**
 * IMS's application as this package's. What every caller relies on (AppId, AppName, display
 * name, token lifetime) must be there: an answer without them is an error, as SCIM's user is.
 */
/** Whether IMS gave what every caller relies on: AppId, AppName, display name, token lifetime. */
function complete(a: SdkApplication | undefined): a is SdkApplication & {
  appId: string;
  appName: string;
  displayName: string;
  accessTokenValidity: number;
} {
  return (
    !!a?.appId &&
    !!a.appName &&
    typeof a.displayName === "string" &&
    typeof a.accessTokenValidity === "number"
  );
}

function toApplication(a: SdkApplication | undefined, action: string): OAuthApplication {
  if (!complete(a))
    throw new ImsError(
      action,
      "UnexpectedAnswer",
      200,
      "expected an application with AppId, AppName, DisplayName and AccessTokenValidity",
    );
  const scopes = a.delegatedScope?.predefinedScopes?.predefinedScope ?? [];
  return {
    appId: a.appId,
    appName: a.appName,
    displayName: a.displayName,
    appType: a.appType ?? "",
    accessTokenValidity: a.accessTokenValidity,
    predefinedScopes: scopes.map((s) => s.name ?? "").filter(Boolean),
    requiredScopes: scopes.filter((s) => s.required).map((s) => s.name ?? ""),
    protocolVersion: a.protocolVersion ?? "",
    ...(a.createDate ? { createDate: a.createDate } : {}),
    ...(a.updateDate ? { updateDate: a.updateDate } : {}),
  };
}
