import * as pulumi from "@pulumi/pulumi";
import type { MaxDeletes } from "../core/sync";
import type { UserSetInput } from "../core/users";
import { applicationProvider, grantProvider, secretProvider, userSetProvider } from "./providers";

const MODULE = "alicloud-ram-scim";

/** The caller's options, with our secret outputs added to theirs (never in place of them). */
function withSecretOutputs(
  opts: pulumi.CustomResourceOptions | undefined,
  names: readonly string[],
): pulumi.CustomResourceOptions {
  const theirs = opts?.additionalSecretOutputs ?? [];
  return { ...opts, additionalSecretOutputs: [...new Set([...theirs, ...names])] };
}

/** A {@link RamOAuthApplication}: the settings RAM keeps for an OAuth application. */
export interface RamOAuthApplicationArgs {
  /** AppName, unique in the account; changing it makes a new application (the old one is deleted after). */
  readonly appName: pulumi.Input<string>;
  /** The name people see in the console and on the consent page, 1-24 characters. */
  readonly displayName: pulumi.Input<string>;
  /**
   * Access-token lifetime in seconds, 900-10800.
   * @default 3600 - RAM's own default (DEFAULT_TOKEN_VALIDITY)
   */
  readonly accessTokenValidity?: pulumi.Input<number>;
  /**
   * The OAuth scopes the application asks for (each required).
   * @default ["/acs/scim"] - the one scope SCIM provisioning needs
   */
  readonly scopes?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * IMS endpoint: `ims.aliyuncs.com`, `host:port`, or a URL (`http://` only to a loopback host).
   * @default $RAM_SCIM_IMS_ENDPOINT, else ims.aliyuncs.com - the public endpoint
   */
  readonly imsEndpoint?: pulumi.Input<string>;
  /**
   * On create, take over the application of this AppName if one exists (the preview shows it as
   * `adoption`). `pulumi import` cannot adopt a dynamic resource; this does.
   * @default false - an existing AppName is refused: another stack may own it
   */
  readonly adoptExisting?: pulumi.Input<boolean>;
  /**
   * On create, take over the application with this AppId (its AppName must be `appName`).
   * @default - none: adopt by AppName (`adoptExisting`) or make a new application
   */
  readonly adoptAppId?: pulumi.Input<string>;
  /**
   * `appName` is a default (RamScimApplication sets it): an application that exists under
   * another name, made by an earlier version's default, keeps that name.
   * @default false - a changed `appName` replaces the application
   */
  readonly appNameDefault?: pulumi.Input<boolean>;
}

/**
 * A RAM OAuth application (ServerApp, scope /acs/scim). Adopt an existing one with
 * `adoptExisting` or `adoptAppId`.
 */
export class RamOAuthApplication extends pulumi.dynamic.Resource {
  /** RAM's AppId; also the OAuth client_id. */
  declare readonly appId: pulumi.Output<string>;
  /** The AppName RAM holds (an adopted application's, or an earlier default's). */
  declare readonly appName: pulumi.Output<string>;
  /** The display name RAM holds. */
  declare readonly displayName: pulumi.Output<string>;
  /** The access-token lifetime RAM holds, in seconds. */
  declare readonly accessTokenValidity: pulumi.Output<number>;
  /** The scopes RAM holds for the application. */
  declare readonly scopes: pulumi.Output<string[]>;
  /** Of those, the ones RAM marks required (an authorization must grant them). */
  declare readonly requiredScopes: pulumi.Output<string[]>;
  /** What a create took over: "adopts AppId … (…)", or undefined for a new application. */
  declare readonly adoption: pulumi.Output<string | undefined>;

  constructor(name: string, args: RamOAuthApplicationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      applicationProvider,
      name,
      {
        appId: undefined,
        accessTokenValidity: undefined,
        scopes: undefined,
        requiredScopes: undefined,
        appType: undefined,
        adoption: undefined,
        ...args,
      },
      opts,
      MODULE,
      "RamOAuthApplication",
    );
  }
}

/** A {@link RamScimGrant}: which application is authorized in this account, for which scopes. */
export interface RamScimGrantArgs {
  /** The application's AppId. */
  readonly appId: pulumi.Input<string>;
  /**
   * The scopes granted.
   * @default ["/acs/scim"] - the one scope SCIM provisioning needs
   */
  readonly scopes?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * IMS endpoint.
   * @default $RAM_SCIM_IMS_ENDPOINT, else ims.aliyuncs.com - the public endpoint
   */
  readonly imsEndpoint?: pulumi.Input<string>;
}

/** The application's authorization in this account (ProvisionApplication / DeprovisionApplication). */
export class RamScimGrant extends pulumi.dynamic.Resource {
  /** The authorized application's AppId (also this resource's id). */
  declare readonly appId: pulumi.Output<string>;
  /** The scopes RAM reports as granted. */
  declare readonly scopes: pulumi.Output<string[]>;

  constructor(name: string, args: RamScimGrantArgs, opts?: pulumi.CustomResourceOptions) {
    super(grantProvider, name, { scopes: undefined, ...args }, opts, MODULE, "RamScimGrant");
  }
}

/** A {@link RamAppSecret}: the application it belongs to, and when to rotate it. */
export interface RamAppSecretArgs {
  /** The application's AppId. */
  readonly appId: pulumi.Input<string>;
  /**
   * Change it (a date, a counter) to rotate: the new secret is made first, then the old deleted.
   * @default - none: the secret is made once and kept
   */
  readonly rotation?: pulumi.Input<string>;
  /**
   * IMS endpoint.
   * @default $RAM_SCIM_IMS_ENDPOINT, else ims.aliyuncs.com - the public endpoint
   */
  readonly imsEndpoint?: pulumi.Input<string>;
}

/** An application secret; its value is a Pulumi secret. */
export class RamAppSecret extends pulumi.dynamic.Resource {
  /** RAM's AppSecretId: the name of the secret, never its value. */
  declare readonly appSecretId: pulumi.Output<string>;
  /** The secret's value, a Pulumi secret (RAM shows it once, at creation). */
  declare readonly clientSecret: pulumi.Output<string>;

  constructor(name: string, args: RamAppSecretArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      secretProvider,
      name,
      { appSecretId: undefined, clientSecret: undefined, createDate: undefined, ...args },
      // Rotation within the two-secret limit: the new secret exists before the old one goes
      // (unless the caller's options say otherwise).
      withSecretOutputs({ deleteBeforeReplace: false, ...opts }, ["clientSecret"]),
      MODULE,
      "RamAppSecret",
    );
  }
}

/** A {@link RamScimUserSet}: the declared users, the SCIM credentials, and the safety limits. */
export interface RamScimUserSetArgs {
  /** The declared users: `UserSet.fromFile("users.yaml")` or `UserSet.define({...})`. */
  readonly userSet: pulumi.Input<UserSetInput>;
  /** The OAuth client id (AppId) of an application granted `/acs/scim`. */
  readonly clientId: pulumi.Input<string>;
  /** That application's secret; kept in state as a Pulumi secret whether or not it is one. */
  readonly clientSecret: pulumi.Input<string>;
  /**
   * The SCIM base URL.
   * @default $RAM_SCIM_URL, else the site's - `https://scim.aliyun.com` on both sites
   */
  readonly scimUrl?: pulumi.Input<string>;
  /**
   * The OAuth token URL.
   * @default $RAM_SCIM_TOKEN_URL, else the site's - oauth.aliyun.com or oauth.alibabacloud.com
   */
  readonly tokenUrl?: pulumi.Input<string>;
  /**
   * Which Alibaba Cloud site the account lives on: China (`cn`) or international (`intl`); it
   * picks the default `scimUrl` and `tokenUrl`.
   * @default $RAM_SCIM_SITE, else "cn" - the China site
   */
  readonly site?: pulumi.Input<"cn" | "intl">;
  /**
   * Refuse an update that deletes more users than this: a count, or a share such as `"10%"`.
   * @default max(5, 25 % of the managed users) - a mass delete needs saying so
   */
  readonly maxDeletes?: pulumi.Input<MaxDeletes>;
  /**
   * `pulumi destroy` deletes the managed users too.
   * @default false - people outlive the stack: they stay in RAM
   */
  readonly deleteUsersOnDestroy?: pulumi.Input<boolean>;
  /**
   * IMS endpoint, for managed groups and `forceDelete`.
   * @default $RAM_SCIM_IMS_ENDPOINT, else ims.aliyuncs.com - the public endpoint
   */
  readonly imsEndpoint?: pulumi.Input<string>;
  /**
   * On create, take over the people the owner already manages in RAM (a lost state, another
   * stack).
   * @default false - such a create is refused at preview
   */
  readonly adoptExisting?: pulumi.Input<boolean>;
}

/** The users one owner declares, reconciled into RAM through SCIM on every `pulumi up`. */
export class RamScimUserSet extends pulumi.dynamic.Resource {
  /** What an apply would do now, e.g. "+2 ~1 -1 (alice, bob, carol)"; "" when RAM matches. */
  declare readonly pendingChanges: pulumi.Output<string>;
  /** The set's owner: its users carry `<owner>:` in their externalId. */
  declare readonly owner: pulumi.Output<string>;
  /** How many users the owner manages in RAM after the last update or refresh. */
  declare readonly managedUsers: pulumi.Output<number>;
  /** What `pulumi destroy` will do to the people, in one sentence. */
  declare readonly destroyBehavior: pulumi.Output<string>;
  /** The leavers of the last update, and when their access was removed. */
  declare readonly lastLeavers: pulumi.Output<
    {
      /** The leaver's user name as RAM held it. */
      userName: string;
      /** When the delete was done, an ISO 8601 date-time. */
      removedAt: string;
    }[]
  >;

  constructor(name: string, args: RamScimUserSetArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      userSetProvider,
      name,
      {
        pendingChanges: undefined,
        owner: undefined,
        managedUsers: undefined,
        destroyBehavior: undefined,
        lastLeavers: undefined,
        ...args,
        // A secret in state whether or not the caller wrapped it.
        clientSecret: pulumi.secret(args.clientSecret),
      },
      withSecretOutputs(opts, ["clientSecret"]),
      MODULE,
      "RamScimUserSet",
    );
  }
}
