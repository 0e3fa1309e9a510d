import {
  DataResource,
  DefaultTokenResolver,
  StringConcat,
  TerraformDataSource,
  type TerraformResource,
  TerraformStack,
  TerraformVariable,
  Token,
  Tokenization,
} from "cdktf";
import { Construct } from "constructs";
import { parseMaxDeletes } from "../core/sync/rules/guard";
import { defineUserSet } from "../core/users/load";
import type { UserSet, UserSetInput } from "../core/users/types";
import { ExternalData, ExternalProvider } from "./alicloud/external";
import type { IRamScimApplication } from "./application";
import { cliRuntime, RUN, type CliRuntime, type RamScimCli } from "./cli";
import {
  USER_SET_SETTINGS as VARIABLES,
  type UserSetSetting as SettingKey,
} from "../core/settings";
import { setting } from "./escape";
import { terraformUserSet, usersFileExpression } from "./user-set";

export { UserSet } from "./user-set";

/** When the users are applied again. */
export type ReconcileMode = "every-apply" | "on-drift" | "on-change";

/**
 * A {@link RamScimUserSync}: the declared users, the application whose credentials apply them
 * (exactly one of `application` or `clientId`), and the safety limits.
 */
export interface RamScimUserSyncProps {
  /** The declared users: `UserSet.fromFile("users.yaml")` or `UserSet.define({...})`. */
  readonly users: UserSetInput;
  /**
   * The application whose credentials apply the set: a {@link RamScimApplication} of this stack
   * (its AppName and secret file), or {@link RamScimApplication.fromAppId} for one made elsewhere.
   * @default - none: the deprecated `clientId` instead
   */
  readonly application?: IRamScimApplication;
  /**
   * The AppId of an application made elsewhere (the console, another stack), for example a
   * Terraform variable's token; give this or `application`.
   * @default - none: give `application` instead
   * @deprecated Give `application: RamScimApplication.fromAppId(clientId, { clientSecretFile })`.
   */
  readonly clientId?: string;
  /**
   * Its secret: the token of a sensitive Terraform variable (a literal would be written into
   * cdk.tf.json, so it is refused). It reaches the apply command's environment only, never a
   * command string or the state. Destroy-time commands cannot read variables, so it does not
   * work with `deleteUsersOnDestroy` or `reconcile: "on-drift"`: use `clientSecretFile` there.
   * Not with `application` or `clientSecretFile`.
   * @default - none: the secret is read from `clientSecretFile` (the application's secret file
   * with `application`), else from $RAM_SCIM_CLIENT_SECRET_FILE or $RAM_SCIM_CLIENT_SECRET where
   * Terraform runs
   * @deprecated Give `application: RamScimApplication.fromAppId(clientId, { clientSecret })`.
   */
  readonly clientSecret?: string;
  /**
   * A file holding the secret, relative to the project folder (or absolute), for an application
   * given by `clientId`. Ignored with `application`, whose own secret file is used.
   * @default - none: the secret comes from `clientSecret`, else from $RAM_SCIM_CLIENT_SECRET_FILE
   * or $RAM_SCIM_CLIENT_SECRET where Terraform runs
   * @deprecated Give `application: RamScimApplication.fromAppId(clientId, { clientSecretFile })`.
   */
  readonly clientSecretFile?: string;
  /**
   * SCIM base URL.
   * @default $RAM_SCIM_URL where Terraform runs, else the site's - `https://scim.aliyun.com` on
   * both sites
   */
  readonly scimUrl?: string;
  /**
   * OAuth token URL.
   * @default $RAM_SCIM_TOKEN_URL where Terraform runs, else the site's - oauth.aliyun.com or
   * oauth.alibabacloud.com
   */
  readonly tokenUrl?: string;
  /**
   * Which Alibaba Cloud site the account lives on, China (`cn`) or international (`intl`): picks
   * both default URLs.
   * @default $RAM_SCIM_SITE where Terraform runs, else "cn" - the China site
   */
  readonly site?: "cn" | "intl";
  /**
   * Refuse an apply that deletes more users: a count (10) or a share of the managed users ("30%").
   * @default $RAM_SCIM_MAX_DELETES where Terraform runs, else max(5, 25 % of the managed users) -
   * a mass delete needs saying so
   */
  readonly maxDeletes?: number | `${number}%`;
  /**
   * - `every-apply`: every `cdktf deploy` applies the set, so changes made in RAM since the last
   *   deploy are undone; each plan shows the sync resource replaced (no provider needed).
   * - `on-drift`: each `cdktf diff`/`deploy` reads RAM through the hashicorp/external provider;
   *   the plan names every person RAM differs on, and applies only then ("no changes" when RAM
   *   matches the file). Needs the secret where Terraform plans (a file or the environment).
   * - `on-change`: only when the declared set or a setting changes; changes made in RAM stay.
   *
   * Whatever the mode, the plan names each joiner, leaver and change of the declared set.
   * @default "every-apply" - RAM is put back in line on every deploy, with no provider to install
   */
  readonly reconcile?: ReconcileMode;
  /**
   * `cdktf destroy` deletes the managed users too (protected ones kept).
   * @default false - people outlive the stack: they stay in RAM
   */
  readonly deleteUsersOnDestroy?: boolean;
  /**
   * IMS endpoint for groups and deletion blockers.
   * @default the application's, else $RAM_SCIM_IMS_ENDPOINT where Terraform runs, else
   * ims.aliyuncs.com - the public endpoint
   */
  readonly imsEndpoint?: string;
  /**
   * Append one JSON line per step taken to this file, relative to the project folder.
   * @default $RAM_SCIM_AUDIT_LOG where Terraform runs, else none - no audit file is written
   */
  readonly auditLog?: string;
  /**
   * How Terraform runs the CLI.
   * @default - `node` on PATH and this package's CLI in the project's node_modules: nothing of
   * this machine's folders is written into the stack
   */
  readonly cli?: RamScimCli;
}

/**
 * The declared users, applied by `ram-scim apply` in a `terraform_data`'s local-exec. The set is
 * kept in the resource's `triggers_replace`, keyed per person, so plans show who joins, changes
 * or leaves; the commands are constants and the data reaches them only through `environment`.
 */
export class RamScimUserSync extends Construct {
  /** The resource that applies the declared set. */
  readonly sync: DataResource;
  /**
   * With `reconcile: "on-drift"`: the plan-time read of RAM (hashicorp/external running
   * `external-plan`); its `result` attribute maps each person RAM differs on to what the apply
   * will do. Typed as the base class: the binding itself is this package's internal.
   */
  readonly drift?: TerraformDataSource;

  constructor(scope: Construct, id: string, props: RamScimUserSyncProps) {
    super(scope, id);
    const problem = (text: string) => new Error(`RamScimUserSync "${id}": ${text}`);
    checkProps(this, props, problem);
    const app = applicationOf(props);
    checkApplication(this, app, props, problem);
    const set = defineUserSet(props.users);
    const mode = props.reconcile ?? "every-apply";
    const run: Run = {
      runtime: cliRuntime(this, props.cli),
      settings: this.settings(props, app),
      credentials: credentialVariables(app),
    };
    const dependsOn = app.ready ? [app.ready] : [];
    this.sync = new DataResource(this, "apply", {
      triggersReplace: {
        user_set: terraformUserSet(set, "users"),
        settings: run.settings,
        ...(mode === "every-apply" ? { every_apply: "${plantimestamp()}" } : {}),
      },
      dependsOn,
      provisioners: [
        applyProvisioner(run, "self.triggers_replace", {
          // The one value that must not be in the state: only in this command's environment.
          ...(app.clientSecret ? { RAM_SCIM_CLIENT_SECRET: app.clientSecret } : {}),
        }),
      ],
    });
    if (mode === "on-drift") this.drift = this.driftCorrection(run);
    if (props.deleteUsersOnDestroy) this.teardown(set, run, dependsOn);
  }

  /**
   * `reconcile: "on-drift"`: RAM read at plan time (`external-plan` through hashicorp/external),
   * and a resource that applies the set again when that read names anyone.
   */
  private driftCorrection(run: Run): TerraformDataSource {
    const drift = new ExternalData(this, "drift", {
      program: [run.runtime.node, run.runtime.script, "external-plan"],
      workingDir: run.runtime.workingDir,
      query: {
        users: usersFileExpression(`${ref(this.sync)}.triggers_replace.user_set`),
        ...withoutKey(run.settings, "audit_log"),
      },
      provider: externalProvider(this),
      // Read once the declared set is applied: what it then finds is drift made in RAM.
      dependsOn: [this.sync],
    });
    new DataResource(this, "correct-drift", {
      // Read in a plan as "RAM differs on <name>: <what the apply will do>".
      triggersReplace: { ram_differs_on: drift.resultMap() },
      dependsOn: [this.sync],
      provisioners: [applyProvisioner(run, `${ref(this.sync)}.triggers_replace`, {})],
    });
    return drift;
  }

  /**
   * `deleteUsersOnDestroy`: never replaced, so its destroy-time command runs on a real destroy
   * only. Teardown needs the owner and the protected names, kept in `input` (read by the
   * destroy-time command).
   */
  private teardown(set: UserSet, run: Run, dependsOn: readonly TerraformResource[]): void {
    const kept = defineUserSet({
      owner: set.owner,
      users: [],
      allowEmpty: true,
      protected: set.protected,
    });
    new DataResource(this, "teardown", {
      input: { user_set: terraformUserSet(kept, "users"), settings: run.settings },
      dependsOn: [this.sync, ...dependsOn],
      provisioners: [
        {
          type: "local-exec",
          when: "destroy",
          command: `${RUN} teardown --users-env RAM_SCIM_USERS --auto-approve --max-deletes 100%`,
          workingDir: run.runtime.workingDir,
          environment: commandEnvironment(run, "self.input", {}),
        },
      ],
    });
  }

  /** Everything but the secret's value: safe in the state, and readable at destroy time. */
  private settings(
    props: RamScimUserSyncProps,
    app: IRamScimApplication,
  ): Partial<Record<SettingKey, string>> {
    const values: Partial<Record<SettingKey, string | undefined>> = {
      app_name: app.appName,
      client_id: app.appId,
      client_secret_file: app.secretFile,
      scim_url: props.scimUrl,
      token_url: props.tokenUrl,
      site: props.site,
      max_deletes: props.maxDeletes === undefined ? undefined : String(props.maxDeletes),
      ims_endpoint: props.imsEndpoint ?? app.imsEndpoint,
      audit_log: props.auditLog,
    };
    return Object.fromEntries(
      Object.entries(values)
        .filter((e): e is [SettingKey, string] => e[1] !== undefined)
        .map(([key, value]) => [key, setting(value, key)]),
    );
  }
}

function checkProps(
  scope: Construct,
  props: RamScimUserSyncProps,
  problem: (text: string) => Error,
): void {
  if ((props.application ? 1 : 0) + (props.clientId ? 1 : 0) !== 1)
    throw problem(
      "give exactly one of application (a RamScimApplication, or RamScimApplication.fromAppId(appId, { clientSecretFile }) for one made elsewhere) or the deprecated clientId",
    );
  if (props.maxDeletes !== undefined && parseMaxDeletes(String(props.maxDeletes)) === undefined)
    throw problem(
      `maxDeletes takes a count (10) or a share ("30%"), got ${JSON.stringify(props.maxDeletes)}`,
    );
  const legacy = (props as { driftDetection?: unknown }).driftDetection;
  if (legacy !== undefined)
    throw problem(
      `driftDetection is now reconcile: "on-drift" (${JSON.stringify(legacy)} given); every-apply is the default`,
    );
  const mode = props.reconcile ?? "every-apply";
  if (!["every-apply", "on-drift", "on-change"].includes(mode))
    throw problem(
      `reconcile takes "every-apply", "on-drift" or "on-change", got ${JSON.stringify(mode)}`,
    );
  if (props.clientSecret !== undefined && (props.application || props.clientSecretFile))
    throw problem("clientSecret goes with clientId alone: drop application or clientSecretFile");
}

/** The application, whichever way it was given (the deprecated clientId props make a lookup). */
function applicationOf(props: RamScimUserSyncProps): IRamScimApplication {
  if (props.application) return props.application;
  return {
    appId: props.clientId,
    ...(props.clientSecretFile ? { secretFile: props.clientSecretFile } : {}),
    ...(props.clientSecret ? { clientSecret: props.clientSecret } : {}),
  };
}

/**
 * An application of this stack must be in the set's stack; a secret given as a variable must be
 * one Terraform keeps out of what it writes, and reach only the commands that can read it.
 */
function checkApplication(
  scope: Construct,
  app: IRamScimApplication,
  props: RamScimUserSyncProps,
  problem: (text: string) => Error,
): void {
  if (!app.appName && !app.appId)
    throw problem(
      "application names no application: give a RamScimApplication, or RamScimApplication.fromAppId(appId) for one made elsewhere",
    );
  if (app.ready && TerraformStack.of(app.ready) !== TerraformStack.of(scope))
    throw problem(
      `application "${app instanceof Construct ? app.node.path : app.ready.node.path}" is in another stack: the user set runs with the application's secret file and after its steps, so put both in one stack (or give the other stack's application as RamScimApplication.fromAppId(appId, { clientSecretFile }))`,
    );
  if (app.clientSecret === undefined) return;
  checkSecretVariable(scope, app.clientSecret, problem);
  const mode = props.reconcile ?? "every-apply";
  if (props.deleteUsersOnDestroy || mode === "on-drift")
    throw problem(
      `clientSecret cannot reach ${props.deleteUsersOnDestroy ? "the destroy-time teardown (deleteUsersOnDestroy)" : 'the plan-time read of RAM (reconcile: "on-drift")'}: Terraform lets those read no variable, and the secret must stay out of the state. Use clientSecretFile, or leave clientSecret unset and export RAM_SCIM_CLIENT_SECRET where cdktf runs`,
    );
}

/**
 * `clientSecret` must be a variable that Terraform keeps out of everything it writes: sensitive
 * (hidden in output) and ephemeral (Terraform 1.10+: never in a saved plan, which `cdktf diff`
 * leaves in the stack folder, nor in the state). A literal, a local or a function of one would
 * be written into cdk.tf.json itself.
 */
function checkSecretVariable(
  scope: Construct,
  value: string,
  problem: (text: string) => Error,
): void {
  const stack = TerraformStack.of(scope);
  const reference: unknown = Token.isUnresolved(value)
    ? Tokenization.resolve(value, {
        scope: stack,
        resolver: new DefaultTokenResolver(new StringConcat()),
        preparing: false,
      })
    : undefined;
  const name =
    typeof reference === "string" ? /^\$\{var\.([\w-]+)\}$/.exec(reference)?.[1] : undefined;
  const variable = stack.node
    .findAll()
    .find(
      (c): c is TerraformVariable => c instanceof TerraformVariable && c.friendlyUniqueId === name,
    );
  if (!variable)
    throw problem(
      "clientSecret must be a TerraformVariable's value (sensitive and ephemeral): anything else is written into cdk.tf.json. Or use clientSecretFile, or $RAM_SCIM_CLIENT_SECRET where Terraform runs",
    );
  const declared = (variable.toTerraform() as { variable: Record<string, Record<string, unknown>> })
    .variable[variable.friendlyUniqueId];
  if (declared?.sensitive !== true || declared?.ephemeral !== true)
    throw problem(
      `the variable "${variable.friendlyUniqueId}" given as clientSecret must be sensitive (kept out of output) and ephemeral (kept out of the plan file that cdktf diff saves, and of the state; Terraform 1.10 or later): new TerraformVariable(this, "${variable.node.id}", { type: "string", sensitive: true }).addOverride("ephemeral", true)`,
    );
}

/**
 * Credentials the set names override whatever RAM_SCIM_* variables Terraform inherits: an
 * application's own id and secret file, or the given AppId; empty means unset to the CLI.
 */
function credentialVariables(app: IRamScimApplication): Record<string, string> {
  if (app.appName !== undefined) return { RAM_SCIM_CLIENT_ID: "", RAM_SCIM_CLIENT_SECRET: "" };
  return {
    RAM_SCIM_APP_NAME: "",
    ...(app.secretFile ? { RAM_SCIM_CLIENT_SECRET: "" } : {}),
    ...(app.clientSecret ? { RAM_SCIM_CLIENT_SECRET_FILE: "" } : {}),
  };
}

/** What every command of the set runs with: the CLI, the settings, the credentials' variables. */
interface Run {
  readonly runtime: CliRuntime;
  readonly settings: Partial<Record<SettingKey, string>>;
  readonly credentials: Record<string, string>;
}

/** The variables of a command: the CLI, the set (from `source`), each setting, the credentials. */
function commandEnvironment(
  run: Run,
  source: string,
  extra: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {
    RAM_SCIM_NODE: run.runtime.node,
    RAM_SCIM_CLI: run.runtime.script,
    RAM_SCIM_USERS: usersFileExpression(`${source}.user_set`),
    ...run.credentials,
    ...extra,
  };
  for (const key of Object.keys(run.settings) as SettingKey[])
    env[VARIABLES[key]] = `\${${source}.settings.${key}}`;
  return env;
}

function applyProvisioner(run: Run, source: string, extra: Record<string, string>) {
  return {
    type: "local-exec" as const,
    command: `${RUN} apply --users-env RAM_SCIM_USERS --auto-approve`,
    workingDir: run.runtime.workingDir,
    environment: commandEnvironment(run, source, extra),
  };
}

function withoutKey<T extends object>(value: T, key: keyof T): Omit<T, typeof key> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== key)) as Omit<
    T,
    typeof key
  >;
}

/** A resource's address in expressions: `terraform_data.<logical id>`. */
function ref(resource: DataResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/** One `external` provider per stack, shared by every set that reads RAM at plan time. */
function externalProvider(scope: Construct): ExternalProvider {
  const stack = TerraformStack.of(scope);
  return (
    (stack.node.tryFindChild("ram-scim-external") as ExternalProvider | undefined) ??
    new ExternalProvider(stack, "ram-scim-external")
  );
}
