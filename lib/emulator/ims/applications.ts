import { randomBytes } from "node:crypto";
import { isoSeconds, numericId } from "../ids";
import type { Random } from "../random";
import { ImsError } from "./params";

/** An OAuth application as IMS holds it (docs/ram-api.md §5). */
export interface OAuthApp {
  /** The application's id, 19 digits, also the OAuth client id. */
  AppId: string;
  /** Unique in the account: `CreateApplication` refuses a second one. */
  AppName: string;
  /** The name shown in the console. */
  DisplayName: string;
  /** IMS's application type; SCIM provisioning uses `ServerApp`. */
  AppType: "WebApp" | "NativeApp" | "ServerApp";
  /** Lifetime of the access tokens issued to it, seconds. */
  AccessTokenValidity: number;
  /**
   * IMS's refresh-token lifetime, seconds: kept and shown; the token endpoint issues no refresh
   * token (docs/ram-api.md §2).
   */
  RefreshTokenValidity: number;
  /** IMS's SecretRequired flag, kept and shown; a token is always asked for with a secret. */
  SecretRequired: boolean;
  /** IMS's IsMultiTenant flag, kept and shown; the emulator plays one account. */
  IsMultiTenant: boolean;
  /** OAuth protocol version, `2.0`; a `2.1` application has no fixed secrets. */
  ProtocolVersion: string;
  /** Every scope the application declares. */
  PredefinedScopes: string[];
  /** The declared scopes a grant must include. */
  RequiredScopes: string[];
  /** Redirect URIs, as given to `CreateApplication`; the seeded applications have none. */
  RedirectUris: string[];
  /** When it was made, ISO 8601 to the second. */
  CreateDate: string;
  /** When it last changed, ISO 8601 to the second. */
  UpdateDate: string;
  /** Its secrets, at most two, values included (the emulator keeps them to check tokens). */
  secrets: AppSecretRecord[];
  /** Scopes granted in this account (ProvisionApplication); undefined when not granted. */
  provisioned?: {
    /** The scopes granted, e.g. `/acs/scim`. */
    scopes: string[];
    /** When they were granted, ISO 8601 to the second. */
    date: string;
  };
  /** Made from the emulator's `clients` option at start: not saved in the state file. */
  seeded?: boolean;
}

/** One application secret as the emulator stores it. */
export interface AppSecretRecord {
  /** The secret's id, as `ListAppSecretIds` shows it. */
  AppSecretId: string;
  /** The value, the OAuth client secret; IMS shows it only when the secret is made. */
  AppSecretValue: string;
  /** When it was made, ISO 8601 to the second. */
  CreateDate: string;
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

  constructor(
    private readonly random: Random,
    private readonly clock: () => number = Date.now,
  ) {}

  /** @internal Called after every change: how the state file is kept up to date. */
  onChange(listener: () => void): void {
    this.changeListener = listener;
  }

  /** @internal Called when an application's tokens must stop working (deprovisioned, deleted). */
  onRevoke(listener: (appId: string) => void): void {
    this.revocationListener = listener;
  }

  /** Every application, seeded ones included, in the order they were made. */
  all(): OAuthApp[] {
    return [...this.apps.values()];
  }

  /**
   * The application with this AppId; throws a 404 `EntityNotExist.Application` when there is none.
   */
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

  /** Makes an application, with no secret and no grant; `fixedId` instead of a generated AppId. */
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
    const stamp = this.timestamp();
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

  /** Changes the given fields, as `UpdateApplication` does: lists are replaced, not merged. */
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
    Object.assign(app, change, { UpdateDate: this.timestamp() });
    this.changed();
    return app;
  }

  /** Deletes the application; tokens already issued to it stop working. */
  delete(appId: string): void {
    this.get(appId);
    this.apps.delete(appId);
    this.revocationListener?.(appId);
    this.changed();
  }

  /**
   * Makes a secret (`fixedValue`, or a random one); refused when the application has two already.
   */
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
      CreateDate: this.timestamp(),
    };
    app.secrets.push(secret);
    this.changed();
    return secret;
  }

  /** The secret with this id; throws a 404 `EntityNotExist.AppSecret` when there is none. */
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

  /** Deletes one secret of the application. */
  deleteSecret(appId: string, secretId: string): void {
    const app = this.get(appId);
    this.secret(appId, secretId);
    app.secrets = app.secrets.filter((s) => s.AppSecretId !== secretId);
    this.changed();
  }

  /** Grants the application these scopes in the account; each must be one it declares. */
  provision(appId: string, scopes: string[]): OAuthApp {
    const app = this.get(appId);
    const unknown = scopes.filter((s) => !app.PredefinedScopes.includes(s));
    if (scopes.length === 0 || unknown.length > 0)
      throw new ImsError(
        400,
        "InvalidParameter.Scopes",
        `The parameter Scopes must name scopes the application declares (${app.PredefinedScopes.join(";") || "none"}); got ${unknown.join(";") || "nothing"}.`,
      );
    app.provisioned = { scopes, date: this.timestamp() };
    this.changed();
    return app;
  }

  /** Removes the grant; tokens already issued to the application stop working. */
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

  /**
   * @internal The OAuth side: only a live secret of an application granted /acs/scim gets a token.
   */
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

  /**
   * Whether IMS knows the scope (`/acs/scim`, `openid`, …): applications may declare only these.
   */
  isKnownScope(scope: string): boolean {
    return KNOWN_SCOPES.has(scope);
  }

  /** @internal What the state file keeps: applications made through IMS, not the seeded ones. */
  toJSON(): OAuthApp[] {
    return this.all().filter((a) => !a.seeded);
  }

  /** @internal Replaces the applications with those of a state file. */
  load(apps: OAuthApp[]): void {
    this.apps.clear();
    for (const app of apps) this.apps.set(app.AppId, app);
  }

  /** AppIds are numeric strings of 19 digits. */
  private newAppId(): string {
    return numericId(this.random, "4", 18, (id) => this.apps.has(id));
  }

  private timestamp(): string {
    return isoSeconds(new Date(this.clock()));
  }

  private changed(): void {
    this.changeListener?.();
  }
}
