import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { UserSetInput } from "../core/users";
import {
  RamAppSecret,
  RamOAuthApplication,
  RamScimGrant,
  RamScimUserSet,
  type RamOAuthApplicationArgs,
  type RamScimUserSetArgs,
} from "./resources";

export { UserSet } from "../core/users/declare";

/**
 * A {@link RamScimApplication}: the application's settings are those of
 * {@link RamOAuthApplicationArgs} (documented there once), with a default AppName and a secret
 * rotation of its own.
 */
export interface RamScimApplicationArgs extends Pick<
  RamOAuthApplicationArgs,
  "displayName" | "adoptExisting" | "adoptAppId" | "accessTokenValidity" | "imsEndpoint"
> {
  /**
   * AppName, unique in the account.
   * @default `<name>-<project>-<stack>` (made to fit 64 characters) - two stacks in one account
   * never share an application
   */
  readonly appName?: pulumi.Input<string>;
  /**
   * Change it (a date, a counter) to rotate the secret without downtime: the new secret is made
   * before the old one is deleted (the `rotation` of {@link RamAppSecret}).
   * @default - none: the secret is made once and kept
   */
  readonly secretRotation?: pulumi.Input<string>;
}

const APP_NAME_MAX = 64;

/** `<name>-<project>-<stack>` as an AppName: its characters, and 64 at most (a digest keeps it unique). */
export function defaultAppName(name: string, project: string, stack: string): string {
  const full = `${name}-${project}-${stack}`.replace(/[^A-Za-z0-9._-]+/g, "-");
  if (full.length <= APP_NAME_MAX) return full;
  const digest = createHash("sha256").update(full).digest("hex").slice(0, 8);
  return `${full.slice(0, APP_NAME_MAX - digest.length - 1)}-${digest}`;
}

/**
 * An OAuth application a user set logs in with: its client id and secret. A
 * {@link RamScimApplication} is one; {@link RamScimApplication.fromClientCredentials} makes one of
 * an application made elsewhere.
 */
export interface ScimApplication {
  /** The OAuth client id (the AppId). */
  readonly clientId: pulumi.Input<string>;
  /** The OAuth client secret; kept in state as a Pulumi secret. */
  readonly clientSecret: pulumi.Input<string>;
}

/** The RAM console's OAuth steps as one component: application, grant, secret. */
export class RamScimApplication extends pulumi.ComponentResource implements ScimApplication {
  /**
   * An application made elsewhere (the console, another stack), by its client id and secret:
   * what {@link RamScimUserSyncArgs.application} takes when this program does not make it.
   * The secret is wrapped as a Pulumi secret.
   */
  static fromClientCredentials(
    clientId: pulumi.Input<string>,
    clientSecret: pulumi.Input<string>,
  ): ScimApplication {
    return { clientId, clientSecret: pulumi.secret(clientSecret) };
  }

  /** RAM's AppId of the application. */
  readonly appId: pulumi.Output<string>;
  /** The OAuth client_id (the AppId): what IDaaS and {@link RamScimUserSync} log in with. */
  readonly clientId: pulumi.Output<string>;
  /** The OAuth client secret (the application secret's value); a Pulumi secret. */
  readonly clientSecret: pulumi.Output<string>;
  /** RAM's AppSecretId: the name of the current secret, never its value. */
  readonly appSecretId: pulumi.Output<string>;
  /** The child application resource, for options such as `protect` or `import`. */
  readonly application: RamOAuthApplication;
  /** The child resource that authorizes the application in the account. */
  readonly grant: RamScimGrant;
  /** The child resource that holds the application secret (made after the grant). */
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

/**
 * A {@link RamScimUserSync}: where the users and the credentials come from; the reconcile
 * settings are those of {@link RamScimUserSetArgs} (documented there once).
 */
export interface RamScimUserSyncArgs extends Pick<
  RamScimUserSetArgs,
  "scimUrl" | "tokenUrl" | "site" | "maxDeletes" | "deleteUsersOnDestroy"
> {
  /** The users: `UserSet.fromFile("users.yaml")` or `UserSet.define({...})`. */
  readonly users: pulumi.Input<UserSetInput>;
  /**
   * The application whose credentials the sync uses: a {@link RamScimApplication} of this
   * program, or one made elsewhere (the console, another stack) by
   * {@link RamScimApplication.fromClientCredentials}.
   */
  readonly application: ScimApplication;
  /**
   * IMS endpoint for managed groups and `forceDelete` ({@link RamScimProvisioning} passes its
   * application's).
   * @default $RAM_SCIM_IMS_ENDPOINT, else ims.aliyuncs.com - the public endpoint
   */
  readonly imsEndpoint?: pulumi.Input<string>;
  /**
   * On create, take over the people the owner already manages in RAM (a lost state, another
   * stack); {@link RamScimUserSetArgs.adoptExisting} of the set.
   * @default false - such a create is refused at preview
   */
  readonly adoptUsers?: pulumi.Input<boolean>;
}

/** The declared users, kept in step with RAM on every `pulumi up`. */
export class RamScimUserSync extends pulumi.ComponentResource {
  /** What the next `pulumi up` will do, as "+2 ~1 -1 (alice, bob, carol)"; "" when in step. */
  readonly pendingChanges: pulumi.Output<string>;
  /** How many users the owner manages in RAM after the last update or refresh. */
  readonly managedUsers: pulumi.Output<number>;
  /** What `pulumi destroy` will do to the people (keep or delete them), in one sentence. */
  readonly destroyBehavior: pulumi.Output<string>;
  /** The child resource that reconciles the users, for options such as `protect`. */
  readonly userSet: RamScimUserSet;

  constructor(name: string, args: RamScimUserSyncArgs, opts?: pulumi.ComponentResourceOptions) {
    super("alicloud-ram-scim:index:RamScimUserSync", name, {}, opts);
    // The type requires it; a program in plain JavaScript gets the fix in words.
    const application = args.application as ScimApplication | undefined;
    if (application?.clientId === undefined || application.clientSecret === undefined)
      throw new Error(
        `RamScimUserSync "${name}": give application: a RamScimApplication, or RamScimApplication.fromClientCredentials(clientId, clientSecret) for an application made in the console`,
      );
    const set = new RamScimUserSet(
      name,
      {
        userSet: args.users,
        clientId: application.clientId,
        clientSecret: application.clientSecret,
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
      {
        parent: this,
        ...(application instanceof pulumi.Resource ? { dependsOn: [application] } : {}),
      },
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

/**
 * A {@link RamScimProvisioning}: the args of {@link RamScimApplication} and of
 * {@link RamScimUserSync} (documented there once), without the sync's credentials, which come
 * from the component's own application. `imsEndpoint` serves both.
 */
export interface RamScimProvisioningArgs
  extends
    RamScimApplicationArgs,
    Omit<RamScimUserSyncArgs, "application" | "clientId" | "clientSecret"> {}

/** The one-liner: application, grant, secret and user set. */
export class RamScimProvisioning extends pulumi.ComponentResource {
  /** The child component that makes the application, its grant and its secret. */
  readonly application: RamScimApplication;
  /** The child component that keeps the users in step, with the application's credentials. */
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
