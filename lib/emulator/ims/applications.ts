import { randomBytes } from "node:crypto";
import { isoSeconds, numericId } from "../ids";
import type { Random } from "../random";

/** An OAuth application as IMS holds it (docs/ram-api.md §5). */
export interface OAuthApp {
  AppId: string;
  AppName: string;
  DisplayName: string;
  AppType: "WebApp" | "NativeApp" | "ServerApp";
  AccessTokenValidity: number;
  RefreshTokenValidity: number;
  SecretRequired: boolean;
  IsMultiTenant: boolean;
  ProtocolVersion: string;
  PredefinedScopes: string[];
  RequiredScopes: string[];
  RedirectUris: string[];
  CreateDate: string;
  UpdateDate: string;
  secrets: AppSecretRecord[];
  /** Scopes granted in this account (ProvisionApplication); undefined when not granted. */
  provisioned?: { scopes: string[]; date: string };
  /** Made from the emulator's `clients` option at start: not saved in the state file. */
  seeded?: boolean;
}

export interface AppSecretRecord {
  AppSecretId: string;
  AppSecretValue: string;
  CreateDate: string;
}

/** An Alibaba-style API error: HTTP status, `Code`, `Message`. */
export class ImsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ImsError";
  }
}

export const MAX_SECRETS = 2;
export const SCIM_SCOPE = "/acs/scim";
const KNOWN_SCOPES = new Set([
  SCIM_SCOPE,
  "openid",
  "aliuid",
  "profile",
  "/acs/ccc",
  "/internal/ram/usersso",
]);

/** Why a client-credentials grant is refused, or the lifetime of the token to issue. */
export type GrantCheck =
  | { readonly ok: true; readonly lifetimeSeconds: number }
  | { readonly ok: false; readonly reason: "unknown client" | "wrong secret" | "not authorized" };

/** The applications of one account, their secrets and their grants. */
export class OAuthApplications {
  private readonly apps = new Map<string, OAuthApp>();
  private changeListener: (() => void) | undefined;
  private revocationListener: ((appId: string) => void) | undefined;

  constructor(private readonly random: Random) {}

  onChange(listener: () => void): void {
    this.changeListener = listener;
  }

  /** Called when an application's tokens must stop working (deprovisioned, deleted). */
  onRevoke(listener: (appId: string) => void): void {
    this.revocationListener = listener;
  }

  all(): OAuthApp[] {
    return [...this.apps.values()];
  }

  get(appId: string): OAuthApp {
    const app = this.apps.get(appId);
    if (!app)
      throw new ImsError(
        404,
        "EntityNotExist.Application",
        `The application ${appId} does not exist.`,
      );
    return app;
  }

  create(
    fields: Omit<OAuthApp, "AppId" | "CreateDate" | "UpdateDate" | "secrets" | "provisioned">,
    fixedId?: string,
  ): OAuthApp {
    if ([...this.apps.values()].some((a) => a.AppName === fields.AppName))
      throw new ImsError(
        409,
        "EntityAlreadyExists.Application",
        `The application name ${fields.AppName} already exists.`,
      );
    const stamp = timestamp();
    const app: OAuthApp = {
      ...fields,
      AppId: fixedId ?? this.newAppId(),
      CreateDate: stamp,
      UpdateDate: stamp,
      secrets: [],
    };
    this.apps.set(app.AppId, app);
    this.changed();
    return app;
  }

  update(
    appId: string,
    change: Partial<
      Pick<
        OAuthApp,
        | "DisplayName"
        | "AccessTokenValidity"
        | "RefreshTokenValidity"
        | "PredefinedScopes"
        | "RequiredScopes"
        | "RedirectUris"
        | "IsMultiTenant"
        | "SecretRequired"
      >
    >,
  ): OAuthApp {
    const app = this.get(appId);
    Object.assign(app, change, { UpdateDate: timestamp() });
    this.changed();
    return app;
  }

  delete(appId: string): void {
    this.get(appId);
    this.apps.delete(appId);
    this.revocationListener?.(appId);
    this.changed();
  }

  createSecret(appId: string, fixedValue?: string): AppSecretRecord {
    const app = this.get(appId);
    if (app.ProtocolVersion === "2.1")
      throw new ImsError(
        400,
        "InvalidParameter.ProtocolVersion",
        "Applications of protocol version 2.1 have no fixed secrets.",
      );
    if (app.secrets.length >= MAX_SECRETS)
      throw new ImsError(
        409,
        "LimitExceeded.AppSecret",
        `The application ${appId} already has ${MAX_SECRETS} secrets, the most allowed. Delete one before creating another.`,
      );
    const secret: AppSecretRecord = {
      AppSecretId: randomBytes(12).toString("base64url"),
      AppSecretValue: fixedValue ?? randomBytes(36).toString("base64url"),
      CreateDate: timestamp(),
    };
    app.secrets.push(secret);
    this.changed();
    return secret;
  }

  secret(appId: string, secretId: string): AppSecretRecord {
    const found = this.get(appId).secrets.find((s) => s.AppSecretId === secretId);
    if (!found)
      throw new ImsError(
        404,
        "EntityNotExist.AppSecret",
        `The application secret ${secretId} does not exist.`,
      );
    return found;
  }

  deleteSecret(appId: string, secretId: string): void {
    const app = this.get(appId);
    this.secret(appId, secretId);
    app.secrets = app.secrets.filter((s) => s.AppSecretId !== secretId);
    this.changed();
  }

  provision(appId: string, scopes: string[]): OAuthApp {
    const app = this.get(appId);
    const unknown = scopes.filter((s) => !app.PredefinedScopes.includes(s));
    if (scopes.length === 0 || unknown.length > 0)
      throw new ImsError(
        400,
        "InvalidParameter.Scopes",
        `The parameter Scopes must name scopes the application declares (${app.PredefinedScopes.join(";") || "none"}); got ${unknown.join(";") || "nothing"}.`,
      );
    app.provisioned = { scopes, date: timestamp() };
    this.changed();
    return app;
  }

  deprovision(appId: string): void {
    const app = this.get(appId);
    if (!app.provisioned)
      throw new ImsError(
        404,
        "EntityNotExist.ApplicationProvision",
        `The application ${appId} is not authorized in this account.`,
      );
    delete app.provisioned;
    this.revocationListener?.(appId);
    this.changed();
  }

  /** The OAuth side: only a live secret of an application granted /acs/scim gets a token. */
  checkGrant(
    clientId: string,
    secret: string,
    sameSecret: (a: string, b: string) => boolean,
  ): GrantCheck {
    const app = this.apps.get(clientId);
    if (!app) return { ok: false, reason: "unknown client" };
    if (!app.secrets.some((s) => sameSecret(secret, s.AppSecretValue)))
      return { ok: false, reason: "wrong secret" };
    if (!app.provisioned?.scopes.includes(SCIM_SCOPE))
      return { ok: false, reason: "not authorized" };
    return { ok: true, lifetimeSeconds: app.AccessTokenValidity };
  }

  isKnownScope(scope: string): boolean {
    return KNOWN_SCOPES.has(scope);
  }

  /** What the state file keeps: applications made through IMS, not the seeded ones. */
  toJSON(): OAuthApp[] {
    return this.all().filter((a) => !a.seeded);
  }

  load(apps: OAuthApp[]): void {
    this.apps.clear();
    for (const app of apps) this.apps.set(app.AppId, app);
  }

  /** AppIds are numeric strings of 19 digits. */
  private newAppId(): string {
    return numericId(this.random, "4", 18, (id) => this.apps.has(id));
  }

  private changed(): void {
    this.changeListener?.();
  }
}

const timestamp = () => isoSeconds();
