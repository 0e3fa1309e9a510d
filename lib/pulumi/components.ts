import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { MaxDeletes } from "../core/sync";
import { defineUserSet, loadUserSetFile, userSetInput, type UserSetInput } from "../core/users";
import { RamAppSecret, RamOAuthApplication, RamScimGrant, RamScimUserSet } from "./resources";

/** Ways to declare the users, checked at once (every problem, with FILE:LINE:COL for a file). */
export const UserSet = {
  /** A users file (YAML or JSON), relative to the program's working directory. */
  fromFile(path: string): UserSetInput {
    return userSetInput(loadUserSetFile(path));
  },
  define(input: UserSetInput): UserSetInput {
    return userSetInput(defineUserSet(input));
  },
};

export interface RamScimApplicationArgs {
  /** 1-24 characters. */
  readonly displayName: pulumi.Input<string>;
  /**
   * AppName, unique in the account. @default `<name>-<project>-<stack>` (made to fit 64
   * characters), so that two stacks in one account never share an application
   */
  readonly appName?: pulumi.Input<string>;
  /** On create, take over the application of this AppName if it exists. @default false: refused */
  readonly adoptExisting?: pulumi.Input<boolean>;
  /** On create, take over the application with this AppId (its AppName must be appName). */
  readonly adoptAppId?: pulumi.Input<string>;
  /** Access-token lifetime, 900-10800 seconds. @default 3600 */
  readonly accessTokenValidity?: pulumi.Input<number>;
  /** Change it to rotate the secret without downtime. @default none */
  readonly secretRotation?: pulumi.Input<string>;
  /** IMS endpoint. @default $RAM_SCIM_IMS_ENDPOINT or ims.aliyuncs.com */
  readonly imsEndpoint?: pulumi.Input<string>;
}

const APP_NAME_MAX = 64;

/** `<name>-<project>-<stack>` as an AppName: its characters, and 64 at most (a digest keeps it unique). */
export function defaultAppName(name: string, project: string, stack: string): string {
  const full = `${name}-${project}-${stack}`.replace(/[^A-Za-z0-9._-]+/g, "-");
  if (full.length <= APP_NAME_MAX) return full;
  const digest = createHash("sha256").update(full).digest("hex").slice(0, 8);
  return `${full.slice(0, APP_NAME_MAX - digest.length - 1)}-${digest}`;
}

/** The RAM console's OAuth steps as one component: application, grant, secret. */
export class RamScimApplication extends pulumi.ComponentResource {
  readonly appId: pulumi.Output<string>;
  /** The OAuth client_id (the AppId). */
  readonly clientId: pulumi.Output<string>;
  /** A Pulumi secret. */
  readonly clientSecret: pulumi.Output<string>;
  readonly appSecretId: pulumi.Output<string>;
  /** The children, for options such as `protect` or `import`. */
  readonly application: RamOAuthApplication;
  readonly grant: RamScimGrant;
  readonly secret: RamAppSecret;

  constructor(name: string, args: RamScimApplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("alicloud-ram-scim:index:RamScimApplication", name, args, opts);
    const application = new RamOAuthApplication(
      `${name}-app`,
      {
        ...(args.appName !== undefined
          ? { appName: args.appName }
          : {
              appName: defaultAppName(name, pulumi.getProject(), pulumi.getStack()),
              appNameDefault: true,
            }),
        displayName: args.displayName,
        ...(args.adoptExisting !== undefined ? { adoptExisting: args.adoptExisting } : {}),
        ...(args.adoptAppId !== undefined ? { adoptAppId: args.adoptAppId } : {}),
        ...(args.accessTokenValidity !== undefined
          ? { accessTokenValidity: args.accessTokenValidity }
          : {}),
        ...(args.imsEndpoint !== undefined ? { imsEndpoint: args.imsEndpoint } : {}),
      },
      { parent: this },
    );
    const grant = new RamScimGrant(
      `${name}-grant`,
      {
        appId: application.appId,
        ...(args.imsEndpoint !== undefined ? { imsEndpoint: args.imsEndpoint } : {}),
      },
      { parent: this },
    );
    const secret = new RamAppSecret(
      `${name}-secret`,
      {
        appId: application.appId,
        ...(args.secretRotation !== undefined ? { rotation: args.secretRotation } : {}),
        ...(args.imsEndpoint !== undefined ? { imsEndpoint: args.imsEndpoint } : {}),
      },
      { parent: this, dependsOn: [grant] },
    );
    this.application = application;
    this.grant = grant;
    this.secret = secret;
    this.appId = application.appId;
    this.clientId = application.appId;
    this.clientSecret = pulumi.secret(secret.clientSecret);
    this.appSecretId = secret.appSecretId;
    this.registerOutputs({
      appId: this.appId,
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      appSecretId: this.appSecretId,
    });
  }
}

export interface RamScimUserSyncArgs {
  /** The users: `UserSet.fromFile("users.yaml")`. */
  readonly users: pulumi.Input<UserSetInput>;
  /** Where the credentials come from: an application of this program… */
  readonly application?: RamScimApplication;
  /** …or one made in the console. */
  readonly clientId?: pulumi.Input<string>;
  readonly clientSecret?: pulumi.Input<string>;
  readonly scimUrl?: pulumi.Input<string>;
  readonly tokenUrl?: pulumi.Input<string>;
  readonly site?: pulumi.Input<"cn" | "intl">;
  /** @default max(5, 25 % of the managed users) */
  readonly maxDeletes?: pulumi.Input<MaxDeletes>;
  /** @default false: `pulumi destroy` leaves the people in RAM */
  readonly deleteUsersOnDestroy?: pulumi.Input<boolean>;
  /** IMS endpoint for managedGroups and forceDelete (the application's, when one is given). */
  readonly imsEndpoint?: pulumi.Input<string>;
  /** On create, take over the people the owner already manages in RAM. @default false: refused */
  readonly adoptUsers?: pulumi.Input<boolean>;
}

/** The declared users, kept in step with RAM on every `pulumi up`. */
export class RamScimUserSync extends pulumi.ComponentResource {
  /** What the next `pulumi up` will do, as "+2 ~1 -1 (alice, bob, carol)"; "" when in step. */
  readonly pendingChanges: pulumi.Output<string>;
  readonly managedUsers: pulumi.Output<number>;
  readonly destroyBehavior: pulumi.Output<string>;
  readonly userSet: RamScimUserSet;

  constructor(name: string, args: RamScimUserSyncArgs, opts?: pulumi.ComponentResourceOptions) {
    super("alicloud-ram-scim:index:RamScimUserSync", name, {}, opts);
    const clientId = args.application?.clientId ?? args.clientId;
    const clientSecret = args.application?.clientSecret ?? args.clientSecret;
    if (clientId === undefined || clientSecret === undefined)
      throw new Error(
        `RamScimUserSync "${name}": give application (a RamScimApplication), or clientId and clientSecret (an application made in the console)`,
      );
    const set = new RamScimUserSet(
      name,
      {
        userSet: args.users,
        clientId,
        clientSecret,
        ...(args.scimUrl !== undefined ? { scimUrl: args.scimUrl } : {}),
        ...(args.tokenUrl !== undefined ? { tokenUrl: args.tokenUrl } : {}),
        ...(args.site !== undefined ? { site: args.site } : {}),
        ...(args.maxDeletes !== undefined ? { maxDeletes: args.maxDeletes } : {}),
        ...(args.deleteUsersOnDestroy !== undefined
          ? { deleteUsersOnDestroy: args.deleteUsersOnDestroy }
          : {}),
        ...(args.imsEndpoint !== undefined ? { imsEndpoint: args.imsEndpoint } : {}),
        ...(args.adoptUsers !== undefined ? { adoptExisting: args.adoptUsers } : {}),
      },
      { parent: this, ...(args.application ? { dependsOn: [args.application] } : {}) },
    );
    this.userSet = set;
    this.pendingChanges = set.pendingChanges;
    this.managedUsers = set.managedUsers;
    this.destroyBehavior = set.destroyBehavior;
    this.registerOutputs({
      pendingChanges: this.pendingChanges,
      managedUsers: this.managedUsers,
      destroyBehavior: this.destroyBehavior,
    });
  }
}

export interface RamScimProvisioningArgs
  extends
    RamScimApplicationArgs,
    Omit<RamScimUserSyncArgs, "application" | "clientId" | "clientSecret"> {}

/** The one-liner: application, grant, secret and user set. */
export class RamScimProvisioning extends pulumi.ComponentResource {
  readonly application: RamScimApplication;
  readonly sync: RamScimUserSync;

  constructor(name: string, args: RamScimProvisioningArgs, opts?: pulumi.ComponentResourceOptions) {
    super("alicloud-ram-scim:index:RamScimProvisioning", name, {}, opts);
    const {
      users,
      scimUrl,
      tokenUrl,
      site,
      maxDeletes,
      deleteUsersOnDestroy,
      adoptUsers,
      ...appArgs
    } = args;
    this.application = new RamScimApplication(name, appArgs, { parent: this });
    this.sync = new RamScimUserSync(
      name,
      {
        users,
        application: this.application,
        scimUrl,
        tokenUrl,
        site,
        maxDeletes,
        deleteUsersOnDestroy,
        adoptUsers,
        imsEndpoint: appArgs.imsEndpoint,
      },
      { parent: this },
    );
    this.registerOutputs({
      appId: this.application.appId,
      pendingChanges: this.sync.pendingChanges,
    });
  }
}
