import { DataResource } from "cdktf";
import { Construct } from "constructs";
import { DEFAULT_TOKEN_VALIDITY } from "../core/ims/types";
import { validateApplicationSpec } from "../core/ims/validate";
import { APPLICATION_SETTINGS as VARIABLES } from "../core/settings";
import { cliRuntime, RUN, type CliRuntime, type RamScimCli } from "./cli";
import { literal, setting } from "./escape";

/** A {@link RamScimApplication}: the OAuth application's settings and where its secret goes. */
export interface RamScimApplicationProps {
  /** The name shown in the RAM console, 1-24 characters. */
  readonly displayName: string;
  /**
   * AppName, unique in the account (up to 64 letters, digits, `.`, `_`, `-`); changing it makes
   * a new application.
   * @default - the construct's id; AppNames are unique in the account, so give one when another
   * stack in the account has an application of the same id
   */
  readonly appName?: string;
  /**
   * Access-token lifetime, 900-10800 seconds.
   * @default 3600 - RAM's own default (DEFAULT_TOKEN_VALIDITY)
   */
  readonly accessTokenValidity?: number;
  /**
   * Where the secret's value is written (mode 0600), relative to the project folder: never into
   * Terraform state, plans or output. Keep it out of Git: a folder ram-scim makes for it gets a
   * `.gitignore` of `*`.
   * @default ".ram-scim/<appName>.secret" - one file per application in the project folder
   * (beside cdktf.json)
   */
  readonly secretFile?: string;
  /**
   * Change it (a date, a counter) to rotate the secret: the new one first, then the old deleted.
   * @default "initial" - the first secret; any change from it rotates
   */
  readonly secretRotation?: string;
  /**
   * Take over an application of this name that already exists in the account (made in the
   * console or by another stack). This stack then updates it, rotates its secret and deletes it
   * on destroy.
   * @default false - an existing name is refused at apply and nothing is touched: another stack
   * may own it
   */
  readonly adoptExisting?: boolean;
  /**
   * `every-apply`: each `cdktf deploy` checks the application and puts it back in line: made
   * again (with its grant and a new secret) when it was deleted outside Terraform, display name
   * and token lifetime restored, the grant renewed. `on-change`: only when a prop changes.
   * @default "every-apply" - changes made outside Terraform are undone on the next deploy
   */
  readonly reconcile?: "every-apply" | "on-change";
  /**
   * IMS endpoint: `ims.aliyuncs.com`, `host:port`, or a URL (`http://` only to a loopback host).
   * @default $RAM_SCIM_IMS_ENDPOINT where Terraform runs, else ims.aliyuncs.com - the public
   * endpoint
   */
  readonly imsEndpoint?: string;
  /**
   * How Terraform runs the CLI.
   * @default - `node` on PATH and this package's CLI in the project's node_modules: nothing of
   * this machine's folders is written into the stack
   */
  readonly cli?: RamScimCli;
}

/**
 * The RAM console's OAuth steps as Terraform resources: the application (ServerApp, /acs/scim),
 * its grant, and a secret, each a `terraform_data` whose local-exec runs `ram-scim app …`.
 * IMS credentials come from the environment Terraform runs in (ALICLOUD_ACCESS_KEY /
 * ALICLOUD_SECRET_KEY, ALIBABA_CLOUD_*, or the SDK's default chain).
 *
 * Why not alicloud_ros_stack with ALIYUN::RAM::Application and ALIYUN::RAM::AppSecret: the
 * provider's alicloud_ros_stack exports only `id` and `status`, not the stack's outputs, so the
 * AppId and the secret could not reach the rest of the configuration.
 */
/**
 * The application a user set logs in as: one of this stack (a {@link RamScimApplication}, found
 * by its AppName, its secret in its secret file), or one made elsewhere
 * ({@link RamScimApplication.fromAppId}).
 */
export interface IRamScimApplication {
  /**
   * The AppName of an application this stack makes: the CLI finds its AppId by it.
   * @default - none: the application is named by `appId`
   */
  readonly appName?: string;
  /**
   * The AppId of an application made elsewhere (the console, another stack).
   * @default - none: the application is found by `appName`
   */
  readonly appId?: string;
  /**
   * The file that holds the secret, relative to the project folder (or absolute).
   * @default - none: `clientSecret`, else $RAM_SCIM_CLIENT_SECRET_FILE or $RAM_SCIM_CLIENT_SECRET
   * where Terraform runs
   */
  readonly secretFile?: string;
  /**
   * The secret as the token of a sensitive, ephemeral TerraformVariable: it reaches the apply
   * command's environment only (not destroy-time or plan-time commands, which read no variable).
   * @default - none: the secret comes from `secretFile` or the environment
   */
  readonly clientSecret?: string;
  /**
   * The IMS endpoint the application's commands use.
   * @default - none: $RAM_SCIM_IMS_ENDPOINT, else ims.aliyuncs.com
   */
  readonly imsEndpoint?: string;
  /**
   * The application's last step in this stack: the user set runs after it.
   * @default - none: the application is not made by this stack
   */
  readonly ready?: DataResource;
}

/** How {@link RamScimApplication.fromAppId} finds an application's secret. */
export interface ApplicationSecretOptions {
  /**
   * A file holding the secret, relative to the project folder (or absolute).
   * @default - none: `clientSecret`, else $RAM_SCIM_CLIENT_SECRET_FILE or $RAM_SCIM_CLIENT_SECRET
   * where Terraform runs
   */
  readonly clientSecretFile?: string;
  /**
   * The secret as the token of a sensitive, ephemeral TerraformVariable (anything else would be
   * written into cdk.tf.json, and is refused at synth).
   * @default - none: the secret comes from the file or the environment
   */
  readonly clientSecret?: string;
}

export class RamScimApplication extends Construct implements IRamScimApplication {
  /**
   * An application made elsewhere (the console, another stack), by its AppId: what
   * {@link RamScimUserSyncProps.application} takes when this stack does not make it.
   */
  static fromAppId(appId: string, options: ApplicationSecretOptions = {}): IRamScimApplication {
    if (!appId) throw new Error("RamScimApplication.fromAppId: give the application's AppId");
    if (options.clientSecretFile && options.clientSecret)
      throw new Error(
        "RamScimApplication.fromAppId: give clientSecretFile or clientSecret, not both",
      );
    return {
      appId,
      ...(options.clientSecretFile ? { secretFile: options.clientSecretFile } : {}),
      ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
    };
  }

  /** The AppName: `appName`, else the construct's id. */
  readonly appName: string;
  /** The file that holds the secret's value once applied, relative to the project folder. */
  readonly secretFile: string;
  /** The IMS endpoint given in the props, for the user sets that use this application. */
  readonly imsEndpoint?: string;
  /** The last resource of the chain: depend on it to use the credentials. */
  readonly ready: DataResource;

  constructor(scope: Construct, id: string, props: RamScimApplicationProps) {
    super(scope, id);
    this.appName = props.appName ?? id;
    const validity = props.accessTokenValidity ?? DEFAULT_TOKEN_VALIDITY;
    validateApplicationSpec({
      appName: this.appName,
      displayName: props.displayName,
      accessTokenValidity: validity,
    });
    const mode = props.reconcile ?? "every-apply";
    if (mode !== "every-apply" && mode !== "on-change")
      throw new Error(
        `RamScimApplication "${id}": reconcile takes "every-apply" or "on-change", got ${JSON.stringify(mode)}`,
      );
    this.secretFile = props.secretFile ?? `.ram-scim/${this.appName}.secret`;
    if (props.imsEndpoint) this.imsEndpoint = props.imsEndpoint;
    // Destroy-time provisioners may read only `self`: what they need travels in `input`.
    const input = {
      app_name: this.appName,
      ...(props.imsEndpoint ? { ims_endpoint: setting(props.imsEndpoint, "imsEndpoint") } : {}),
    };
    const steps: Steps = {
      exec: commands(cliRuntime(this, props.cli), Object.keys(input) as Setting[]),
      input,
      settings: {
        ...input,
        display_name: literal(props.displayName, "displayName"),
        token_validity: String(validity),
        secret_file: setting(this.secretFile, "secretFile"),
      },
    };
    const app = this.application(steps, props.adoptExisting === true);
    const grant = this.grant(steps, app);
    const secret = this.secret(steps, grant, props.secretRotation);
    // Puts the application back in line: settings, grant, and (when it is gone) all of it anew.
    this.ready = new DataResource(this, "ensure", {
      triggersReplace: {
        ...steps.settings,
        ...(mode === "every-apply" ? { every_apply: "${plantimestamp()}" } : {}),
      },
      dependsOn: [secret],
      provisioners: [
        steps.exec(
          `app ensure ${SETTINGS_FLAGS} --secret-file "$RAM_SCIM_SECRET_FILE"`,
          "triggers_replace",
          ["display_name", "token_validity", "secret_file"],
        ),
      ],
    });
  }

  /**
   * Made once; an application of this name that exists already is refused unless adopted, so
   * two stacks never share, rotate or delete one application by accident.
   */
  private application(steps: Steps, adopt: boolean): DataResource {
    return new DataResource(this, "application", {
      input: steps.settings,
      triggersReplace: { app_name: this.appName },
      lifecycle: { ignoreChanges: ["input"] },
      provisioners: [
        steps.exec(`app create ${SETTINGS_FLAGS}${adopt ? " --adopt" : ""}`, "input", [
          "display_name",
          "token_validity",
        ]),
        {
          ...steps.exec('app delete --name "$RAM_SCIM_APP_NAME"', "input"),
          when: "destroy" as const,
        },
      ],
    });
  }

  /** The /acs/scim authorization in this account, revoked on destroy. */
  private grant(steps: Steps, app: DataResource): DataResource {
    return new DataResource(this, "grant", {
      input: steps.input,
      triggersReplace: { app_name: this.appName },
      dependsOn: [app],
      provisioners: [
        steps.exec('app grant --name "$RAM_SCIM_APP_NAME"', "input"),
        {
          ...steps.exec('app revoke --name "$RAM_SCIM_APP_NAME"', "input"),
          when: "destroy" as const,
        },
      ],
    });
  }

  /** The secret, written to the secret file; a new rotation value makes the next one first. */
  private secret(steps: Steps, grant: DataResource, rotation: string | undefined): DataResource {
    return new DataResource(this, "secret", {
      input: { ...steps.input, secret_file: steps.settings.secret_file },
      triggersReplace: {
        app_name: this.appName,
        secret_file: steps.settings.secret_file,
        rotation: literal(rotation ?? "initial", "secretRotation"),
      },
      dependsOn: [grant],
      lifecycle: { createBeforeDestroy: true },
      provisioners: [
        // Rotation: the new secret is made and written before the previous one is deleted.
        steps.exec(
          'app secret rotate --name "$RAM_SCIM_APP_NAME" --out "$RAM_SCIM_SECRET_FILE" --force',
          "input",
          ["secret_file"],
        ),
      ],
    });
  }
}

type Setting = keyof typeof VARIABLES;

/** A local-exec of `ram-scim <command>`, its settings read from the resource's own `from`. */
type Exec = (
  command: string,
  from: string,
  more?: Setting[],
) => {
  type: "local-exec";
  command: string;
  workingDir: string;
  environment: Record<string, string>;
};

/** What the application's resources are made from. */
interface Steps {
  readonly exec: Exec;
  /** The name and endpoint: what every command, destroy-time ones too, reads. */
  readonly input: Record<string, string>;
  /** Everything the commands may read, the secret's value excepted. */
  readonly settings: Partial<Record<Setting, string>> & { readonly secret_file: string };
}

const SETTINGS_FLAGS =
  '--name "$RAM_SCIM_APP_NAME" --display-name "$RAM_SCIM_APP_DISPLAY_NAME" --token-validity "$RAM_SCIM_APP_TOKEN_VALIDITY"';

/**
 * The commands' local-execs. `from`: where the resource keeps its values: `input`, or
 * `triggers_replace` for the ensure step (kept only as triggers, so that its plans show no copy
 * of them). `more`: what else the command reads besides the application's name and endpoint.
 */
function commands(runtime: CliRuntime, named: readonly Setting[]): Exec {
  return (command, from, more = []) => ({
    type: "local-exec",
    command: `${RUN} ${command}`,
    workingDir: runtime.workingDir,
    environment: {
      RAM_SCIM_NODE: runtime.node,
      RAM_SCIM_CLI: runtime.script,
      ...Object.fromEntries(
        [...named, ...more].map((key) => [VARIABLES[key], `\${self.${from}.${key}}`]),
      ),
    },
  });
}
