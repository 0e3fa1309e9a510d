import { randomUUID } from "node:crypto";
import type { Reply } from "../reply";
import { ImsError, required, type Params } from "./params";
import type { OAuthApp, OAuthApplications } from "./applications";

export const IMS_VERSION = "2019-08-15";
export const RAM_VERSION = "2015-05-01";

type Handlers = Record<string, (p: Params) => Record<string, unknown>>;

/** The IMS OpenAPI actions that manage OAuth applications, answered as Alibaba answers them. */
export class ImsApi {
  private readonly actions: Handlers;

  constructor(
    private readonly apps: OAuthApplications,
    private readonly accountId: string,
    private readonly more: { ims: Handlers; ram: Handlers } = { ims: {}, ram: {} },
  ) {
    this.actions = {
      ...this.applicationActions(),
      ...this.secretActions(),
      ...this.grantActions(),
    };
  }

  /** Create, read, list, update and delete applications. */
  private applicationActions(): Handlers {
    const apps = this.apps;
    return {
      CreateApplication: (p) => ({ Application: this.present(this.createApplication(p)) }),
      GetApplication: (p) => ({ Application: this.present(apps.get(required(p, "AppId"))) }),
      ListApplications: () => ({
        Applications: { Application: apps.all().map((a) => this.present(a)) },
      }),
      UpdateApplication: (p) => ({ Application: this.present(this.updateApplication(p)) }),
      DeleteApplication: (p) => {
        apps.delete(required(p, "AppId"));
        return {};
      },
    };
  }

  /** An application's secrets: at most two, the value shown once. */
  private secretActions(): Handlers {
    const apps = this.apps;
    return {
      CreateAppSecret: (p) => {
        const appId = required(p, "AppId");
        const s = apps.createSecret(appId);
        return {
          AppSecret: {
            AppId: appId,
            AppSecretId: s.AppSecretId,
            AppSecretValue: s.AppSecretValue,
            CreateDate: s.CreateDate,
          },
        };
      },
      GetAppSecret: (p) => {
        const appId = required(p, "AppId");
        const s = apps.secret(appId, required(p, "AppSecretId"));
        return {
          AppSecret: { AppId: appId, AppSecretId: s.AppSecretId, CreateDate: s.CreateDate },
        };
      },
      ListAppSecretIds: (p) => {
        const appId = required(p, "AppId");
        return {
          AppSecrets: {
            AppSecret: apps.get(appId).secrets.map((s) => ({
              AppId: appId,
              AppSecretId: s.AppSecretId,
              CreateDate: s.CreateDate,
            })),
          },
        };
      },
      DeleteAppSecret: (p) => {
        apps.deleteSecret(required(p, "AppId"), required(p, "AppSecretId"));
        return {};
      },
    };
  }

  /** The grant of scopes in the account (ProvisionApplication and its read and undo). */
  private grantActions(): Handlers {
    const apps = this.apps;
    return {
      ProvisionApplication: (p) => {
        apps.provision(required(p, "AppId"), splitList(required(p, "Scopes")));
        return {};
      },
      GetApplicationProvisionInfo: (p) => {
        const app = apps.get(required(p, "AppId"));
        if (!app.provisioned)
          throw new ImsError(
            404,
            "EntityNotExist.ApplicationProvision",
            `The application ${app.AppId} is not authorized in this account.`,
          );
        return {
          ApplicationProvisionInfo: {
            AccountId: this.accountId,
            AppId: app.AppId,
            AppName: app.AppName,
            DisplayName: app.DisplayName,
            CreateDate: app.provisioned.date,
            UpdateDate: app.provisioned.date,
            DelegatedScope: {
              PredefinedScopes: {
                PredefinedScope: app.provisioned.scopes.map((s) => ({ Name: s, Description: s })),
              },
            },
          },
        };
      },
      DeprovisionApplication: (p) => {
        apps.deprovision(required(p, "AppId"));
        return {};
      },
    };
  }

  /** Answers one call; the caller has checked the signature already. */
  call(action: string | undefined, version: string | undefined, params: Params): Reply {
    const requestId = randomUUID().toUpperCase();
    const fail = (status: number, Code: string, Message: string): Reply => ({
      status,
      body: { RequestId: requestId, HostId: "ims.aliyuncs.com", Code, Message, Recommend: "" },
    });
    if (!action) return fail(400, "MissingAction", "Action is mandatory for this request.");
    const byVersion: Record<string, Handlers> = {
      [IMS_VERSION]: { ...this.actions, ...this.more.ims },
      [RAM_VERSION]: this.more.ram,
    };
    const actions = version === undefined ? undefined : byVersion[version];
    if (!actions)
      return fail(
        400,
        "InvalidVersion",
        `Specified parameter Version ${version ?? "(none)"} is not valid.`,
      );
    const handler = actions[action];
    if (!handler)
      return fail(
        404,
        "InvalidAction.NotFound",
        `Specified api ${action} is not found, please check your url and method.`,
      );
    try {
      return { status: 200, body: { RequestId: requestId, ...handler(params) } };
    } catch (e) {
      if (e instanceof ImsError) return fail(e.status, e.code, e.message);
      throw e;
    }
  }

  private createApplication(p: Params): OAuthApp {
    const appName = required(p, "AppName");
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(appName))
      invalid("AppName", appName, "1-64 letters, digits, '.', '_' and '-'");
    const displayName = required(p, "DisplayName");
    if ([...displayName].length > 24) invalid("DisplayName", displayName, "at most 24 characters");
    const appType = required(p, "AppType");
    if (appType !== "WebApp" && appType !== "NativeApp" && appType !== "ServerApp")
      invalid("AppType", appType, "one of WebApp, NativeApp, ServerApp");
    const protocol = p.get("ProtocolVersion") ?? "2.0";
    if (protocol !== "2.0" && protocol !== "2.1")
      invalid("ProtocolVersion", protocol, "2.0 or 2.1");
    const predefined = this.checkedScopes(p, "PredefinedScopes");
    const requiredScopes = this.checkedScopes(p, "RequiredScopes");
    const outside = requiredScopes.filter((s) => !predefined.includes(s));
    if (outside.length > 0)
      invalid("RequiredScopes", outside.join(";"), "scopes that PredefinedScopes also lists");
    return this.apps.create({
      AppName: appName,
      DisplayName: displayName,
      AppType: appType,
      AccessTokenValidity: validity(p, "AccessTokenValidity", 3600, 900, 10800),
      RefreshTokenValidity: validity(p, "RefreshTokenValidity", 2592000, 7200, 31536000),
      // A ServerApp always needs a secret, whatever the request says.
      SecretRequired: appType === "ServerApp" ? true : p.get("SecretRequired") === "true",
      IsMultiTenant: p.get("IsMultiTenant") === "true",
      ProtocolVersion: protocol,
      PredefinedScopes: predefined,
      RequiredScopes: requiredScopes,
      RedirectUris: splitList(p.get("RedirectUris")),
    });
  }

  private updateApplication(p: Params): OAuthApp {
    const app = this.apps.get(required(p, "AppId"));
    const change: Parameters<OAuthApplications["update"]>[1] = {};
    const name = p.get("NewDisplayName");
    if (name !== undefined) {
      if (name === "" || [...name].length > 24) invalid("NewDisplayName", name, "1-24 characters");
      change.DisplayName = name;
    }
    if (p.has("NewAccessTokenValidity"))
      change.AccessTokenValidity = validity(p, "NewAccessTokenValidity", 3600, 900, 10800);
    if (p.has("NewRefreshTokenValidity"))
      change.RefreshTokenValidity = validity(p, "NewRefreshTokenValidity", 2592000, 7200, 31536000);
    // Scope lists are replaced, not merged (docs/ram-api.md §5).
    if (p.has("NewPredefinedScopes"))
      change.PredefinedScopes = this.checkedScopes(p, "NewPredefinedScopes");
    if (p.has("NewRequiredScopes"))
      change.RequiredScopes = this.checkedScopes(p, "NewRequiredScopes");
    if (p.has("NewRedirectUris")) change.RedirectUris = splitList(p.get("NewRedirectUris"));
    if (p.has("NewIsMultiTenant")) change.IsMultiTenant = p.get("NewIsMultiTenant") === "true";
    const predefined = change.PredefinedScopes ?? app.PredefinedScopes;
    const requiredScopes = (change.RequiredScopes ?? app.RequiredScopes).filter((s) =>
      predefined.includes(s),
    );
    change.RequiredScopes = requiredScopes;
    return this.apps.update(app.AppId, change);
  }

  private checkedScopes(p: Params, name: string): string[] {
    const list = splitList(p.get(name) ?? "");
    const unknown = list.filter((s) => !this.apps.isKnownScope(s));
    if (unknown.length > 0)
      invalid(name, unknown.join(";"), "known OAuth scopes such as /acs/scim");
    return list;
  }

  private present(app: OAuthApp) {
    return {
      AccountId: this.accountId,
      AppId: app.AppId,
      AppName: app.AppName,
      DisplayName: app.DisplayName,
      AppType: app.AppType,
      AccessTokenValidity: app.AccessTokenValidity,
      RefreshTokenValidity: app.RefreshTokenValidity,
      SecretRequired: app.SecretRequired,
      IsMultiTenant: app.IsMultiTenant,
      ProtocolVersion: app.ProtocolVersion,
      RedirectUris: { RedirectUri: app.RedirectUris },
      DelegatedScope: {
        PredefinedScopes: {
          PredefinedScope: app.PredefinedScopes.map((s) => ({
            Name: s,
            Description: s,
            Required: app.RequiredScopes.includes(s),
          })),
        },
      },
      CreateDate: app.CreateDate,
      UpdateDate: app.UpdateDate,
    };
  }
}

function invalid(name: string, value: string, allowed: string): never {
  throw new ImsError(
    400,
    `InvalidParameter.${name.replace(/^New/, "")}`,
    `The parameter ${name} is invalid: "${value}"; expected ${allowed}.`,
  );
}

function validity(p: Params, name: string, fallback: number, min: number, max: number): number {
  const text = p.get(name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    invalid(name, text, `a whole number of seconds from ${min} to ${max}`);
  return n;
}

function splitList(text: string | undefined): string[] {
  return (text ?? "")
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean);
}
