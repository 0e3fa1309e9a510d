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

export interface RamOAuthApplicationArgs {
  /** Unique in the account; changing it makes a new application (the old one is deleted after). */
  readonly appName: pulumi.Input<string>;
  /** 1-24 characters. */
  readonly displayName: pulumi.Input<string>;
  /** Access-token lifetime, 900-10800 seconds. @default 3600 */
  readonly accessTokenValidity?: pulumi.Input<number>;
  /** @default ["/acs/scim"] */
  readonly scopes?: pulumi.Input<pulumi.Input<string>[]>;
  /** IMS endpoint. @default $RAM_SCIM_IMS_ENDPOINT or ims.aliyuncs.com */
  readonly imsEndpoint?: pulumi.Input<string>;
  /**
   * On create, take over the application of this AppName if one exists (the preview shows it as
   * `adoption`). Without it, an existing AppName is refused: another stack may own it.
   * `pulumi import` cannot adopt a dynamic resource; this does. @default false
   */
  readonly adoptExisting?: pulumi.Input<boolean>;
  /** On create, take over the application with this AppId (its AppName must be `appName`). */
  readonly adoptAppId?: pulumi.Input<string>;
  /**
   * `appName` is a default (RamScimApplication sets it): an application that exists under
   * another name, made by an earlier version's default, keeps that name. @default false
   */
  readonly appNameDefault?: pulumi.Input<boolean>;
}

/**
 * A RAM OAuth application (ServerApp, scope /acs/scim). Adopt an existing one with
 * `adoptExisting` or `adoptAppId`.
 */
export class RamOAuthApplication extends pulumi.dynamic.Resource {
  declare readonly appId: pulumi.Output<string>;
  declare readonly appName: pulumi.Output<string>;
  declare readonly displayName: pulumi.Output<string>;
  declare readonly accessTokenValidity: pulumi.Output<number>;
  declare readonly scopes: pulumi.Output<string[]>;
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

export interface RamScimGrantArgs {
  readonly appId: pulumi.Input<string>;
  /** @default ["/acs/scim"] */
  readonly scopes?: pulumi.Input<pulumi.Input<string>[]>;
  readonly imsEndpoint?: pulumi.Input<string>;
}

/** The application's authorization in this account (ProvisionApplication / DeprovisionApplication). */
export class RamScimGrant extends pulumi.dynamic.Resource {
  declare readonly appId: pulumi.Output<string>;
  declare readonly scopes: pulumi.Output<string[]>;

  constructor(name: string, args: RamScimGrantArgs, opts?: pulumi.CustomResourceOptions) {
    super(grantProvider, name, { scopes: undefined, ...args }, opts, MODULE, "RamScimGrant");
  }
}

export interface RamAppSecretArgs {
  readonly appId: pulumi.Input<string>;
  /** Change it (a date, a counter) to rotate: the new secret is made first, then the old deleted. */
  readonly rotation?: pulumi.Input<string>;
  readonly imsEndpoint?: pulumi.Input<string>;
}

/** An application secret; its value is a Pulumi secret. */
export class RamAppSecret extends pulumi.dynamic.Resource {
  declare readonly appSecretId: pulumi.Output<string>;
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

export interface RamScimUserSetArgs {
  /** The declared users: `UserSet.fromFile("users.yaml")` or `UserSet.define({...})`. */
  readonly userSet: pulumi.Input<UserSetInput>;
  readonly clientId: pulumi.Input<string>;
  /** Kept in state as a secret. */
  readonly clientSecret: pulumi.Input<string>;
  /** @default $RAM_SCIM_URL or the site's */
  readonly scimUrl?: pulumi.Input<string>;
  /** @default $RAM_SCIM_TOKEN_URL or the site's */
  readonly tokenUrl?: pulumi.Input<string>;
  /** @default "cn" */
  readonly site?: pulumi.Input<"cn" | "intl">;
  /** Refuse an update that deletes more users. @default max(5, 25 % of the managed users) */
  readonly maxDeletes?: pulumi.Input<MaxDeletes>;
  /** `pulumi destroy` deletes the managed users too. @default false: they stay in RAM */
  readonly deleteUsersOnDestroy?: pulumi.Input<boolean>;
  /** IMS endpoint for managedGroups and forceDelete. @default $RAM_SCIM_IMS_ENDPOINT or ims.aliyuncs.com */
  readonly imsEndpoint?: pulumi.Input<string>;
  /**
   * On create, take over the people the owner already manages in RAM (a lost state, another
   * stack). Without it such a create is refused at preview. @default false
   */
  readonly adoptExisting?: pulumi.Input<boolean>;
}

/** The users one owner declares, reconciled into RAM through SCIM on every `pulumi up`. */
export class RamScimUserSet extends pulumi.dynamic.Resource {
  /** What an apply would do now, e.g. "+2 ~1 -1 (alice, bob, carol)"; "" when RAM matches. */
  declare readonly pendingChanges: pulumi.Output<string>;
  declare readonly owner: pulumi.Output<string>;
  declare readonly managedUsers: pulumi.Output<number>;
  declare readonly destroyBehavior: pulumi.Output<string>;
  /** The leavers of the last update, and when their access was removed. */
  declare readonly lastLeavers: pulumi.Output<{ userName: string; removedAt: string }[]>;

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
