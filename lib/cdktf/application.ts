import { DataResource } from "cdktf";
import { Construct } from "constructs";
import { validateApplicationSpec } from "../core/ims";
import { resolveCli, RUN, type RamScimCli } from "./cli";

export interface RamScimApplicationProps {
  /** 1-24 characters. */
  readonly displayName: string;
  /** AppName, unique in the account; changing it makes a new application. @default the construct's id */
  readonly appName?: string;
  /** Access-token lifetime, 900-10800 seconds. @default 3600 */
  readonly accessTokenValidity?: number;
  /**
   * Where the secret's value is written, mode 0600: it never enters Terraform state or output.
   * @default "${path.root}/.ram-scim/<appName>.secret"
   */
  readonly secretFile?: string;
  /** Change it (a date, a counter) to rotate the secret: new one first, then the old deleted. @default "initial" */
  readonly secretRotation?: string;
  /** IMS endpoint. @default $RAM_SCIM_IMS_ENDPOINT, else ims.aliyuncs.com */
  readonly imsEndpoint?: string;
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
export class RamScimApplication extends Construct {
  readonly appName: string;
  /** The file that holds the secret's value once applied. */
  readonly secretFile: string;
  /** The last resource of the chain: depend on it to use the credentials. */
  readonly ready: DataResource;

  constructor(scope: Construct, id: string, props: RamScimApplicationProps) {
    super(scope, id);
    this.appName = props.appName ?? id;
    const validity = props.accessTokenValidity ?? 3600;
    validateApplicationSpec({
      appName: this.appName,
      displayName: props.displayName,
      accessTokenValidity: validity,
    });
    this.secretFile = props.secretFile ?? `\${path.root}/.ram-scim/${this.appName}.secret`;
    const { node, script } = resolveCli(props.cli);
    // Destroy-time provisioners may read only `self`: what they need travels in `input`.
    const input = {
      node,
      cli: script,
      app_name: this.appName,
      ...(props.imsEndpoint ? { ims_endpoint: props.imsEndpoint } : {}),
    };
    const env = {
      RAM_SCIM_NODE: "${self.input.node}",
      RAM_SCIM_CLI: "${self.input.cli}",
      RAM_SCIM_APP_NAME: "${self.input.app_name}",
      ...(props.imsEndpoint ? { RAM_SCIM_IMS_ENDPOINT: "${self.input.ims_endpoint}" } : {}),
    };

    const app = new DataResource(this, "application", {
      input,
      triggersReplace: { app_name: this.appName },
      provisioners: [
        {
          type: "local-exec",
          when: "destroy",
          command: `${RUN} app delete --name "$RAM_SCIM_APP_NAME"`,
          environment: env,
        },
      ],
    });
    // Display name and token validity change in place: re-run the idempotent create.
    const settings = new DataResource(this, "settings", {
      input: { ...input, display_name: props.displayName, token_validity: String(validity) },
      triggersReplace: {
        app_name: this.appName,
        display_name: props.displayName,
        token_validity: validity,
      },
      dependsOn: [app],
      provisioners: [
        {
          type: "local-exec",
          command: `${RUN} app create --name "$RAM_SCIM_APP_NAME" --display-name "$RAM_SCIM_APP_DISPLAY_NAME" --token-validity "$RAM_SCIM_APP_TOKEN_VALIDITY"`,
          environment: {
            ...env,
            RAM_SCIM_APP_DISPLAY_NAME: "${self.input.display_name}",
            RAM_SCIM_APP_TOKEN_VALIDITY: "${self.input.token_validity}",
          },
        },
      ],
    });
    const grant = new DataResource(this, "grant", {
      input,
      triggersReplace: { app_name: this.appName },
      dependsOn: [settings],
      provisioners: [
        {
          type: "local-exec",
          command: `${RUN} app grant --name "$RAM_SCIM_APP_NAME"`,
          environment: env,
        },
        {
          type: "local-exec",
          when: "destroy",
          command: `${RUN} app revoke --name "$RAM_SCIM_APP_NAME"`,
          environment: env,
        },
      ],
    });
    this.ready = new DataResource(this, "secret", {
      input: { ...input, secret_file: this.secretFile },
      triggersReplace: { app_name: this.appName, rotation: props.secretRotation ?? "initial" },
      dependsOn: [grant],
      lifecycle: { createBeforeDestroy: true },
      provisioners: [
        {
          type: "local-exec",
          // Rotation: the new secret is made and written before the previous one is deleted.
          command: `${RUN} app secret rotate --name "$RAM_SCIM_APP_NAME" --out "$RAM_SCIM_SECRET_FILE" --force`,
          environment: { ...env, RAM_SCIM_SECRET_FILE: "${self.input.secret_file}" },
        },
      ],
    });
  }
}
