import { createHash } from "node:crypto";
import { DataResource, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { parseMaxDeletes, type MaxDeletes } from "../core/sync";
import { defineUserSet, loadUserSetFile, userSetInput, type UserSetInput } from "../core/users";
import { ExternalData, ExternalProvider } from "./alicloud/external";
import type { RamScimApplication } from "./application";
import { resolveCli, RUN, type RamScimCli } from "./cli";

/** Ways to declare the users; problems are reported at synth, all at once, with positions. */
export const UserSet = {
  /** A users file (YAML or JSON), relative to where `cdktf synth` runs. */
  fromFile(path: string): UserSetInput {
    return userSetInput(loadUserSetFile(path));
  },
  define(input: UserSetInput): UserSetInput {
    return userSetInput(defineUserSet(input));
  },
};

export interface RamScimUserSyncProps {
  /** `UserSet.fromFile("users.yaml")` or `UserSet.define({...})`. */
  readonly users: UserSetInput;
  /** Credentials from an application of this stack… */
  readonly application?: RamScimApplication;
  /** …or of one made in the console: its AppId (e.g. a Terraform variable). */
  readonly clientId?: string;
  /**
   * Its secret, typically a sensitive Terraform variable's token. It reaches the create-time
   * command's environment only, never a command string or the state. @default $RAM_SCIM_CLIENT_SECRET
   */
  readonly clientSecret?: string;
  /** Or a file holding the secret. */
  readonly clientSecretFile?: string;
  readonly scimUrl?: string;
  readonly tokenUrl?: string;
  readonly site?: "cn" | "intl";
  /** Refuse an apply that deletes more users. @default max(5, 25 % of the managed users) */
  readonly maxDeletes?: MaxDeletes;
  /**
   * `on-change`: re-apply when the declared set or a setting changes. `every-apply`: also on every
   * `cdktf deploy` (plantimestamp()), so drift in RAM is corrected each time.
   * @default "on-change"
   */
  readonly reconcile?: "on-change" | "every-apply";
  /**
   * `plan`: an `external` data source plans against RAM during `cdktf diff`, and its digest of
   * pending steps becomes a trigger: a replacement shows exactly when RAM differs from the file,
   * with the summary in the plan. Needs the hashicorp/external provider. @default "none"
   */
  readonly driftDetection?: "none" | "plan";
  /** `cdktf destroy` deletes the managed users too. @default false: the people stay in RAM */
  readonly deleteUsersOnDestroy?: boolean;
  readonly imsEndpoint?: string;
  /** Append one JSON line per step taken to this file (who lost access, and when). @default none */
  readonly auditLog?: string;
  readonly cli?: RamScimCli;
}

/**
 * The declared users, applied by `ram-scim apply` in a `terraform_data`'s local-exec. The set
 * travels base64-encoded in the environment; the command is a constant.
 */
export class RamScimUserSync extends Construct {
  readonly sync: DataResource;
  /** A digest of the declared set and settings: changes exactly when they do. */
  readonly digest: string;
  readonly drift?: ExternalData;

  constructor(scope: Construct, id: string, props: RamScimUserSyncProps) {
    super(scope, id);
    const credentials = [props.application ? 1 : 0, props.clientId ? 1 : 0].reduce(
      (a, b) => a + b,
      0,
    );
    if (credentials !== 1)
      throw new Error(
        `RamScimUserSync "${id}": give exactly one of application (a RamScimApplication) or clientId (with clientSecret, clientSecretFile or $RAM_SCIM_CLIENT_SECRET)`,
      );
    if (props.maxDeletes !== undefined && parseMaxDeletes(String(props.maxDeletes)) === undefined)
      throw new Error(
        `RamScimUserSync "${id}": maxDeletes takes a count (10) or a share ("30%"), got ${JSON.stringify(props.maxDeletes)}`,
      );
    const users = UserSet.define(props.users);
    const encoded = Buffer.from(JSON.stringify(users)).toString("base64");
    const { node, script } = resolveCli(props.cli);
    const secretFile = props.application?.secretFile ?? props.clientSecretFile;

    // Everything but the secret value: safe in state, and what a destroy-time command may read.
    const input: Record<string, string> = {
      node,
      cli: script,
      users: encoded,
      ...(props.application ? { app_name: props.application.appName } : {}),
      ...(props.clientId ? { client_id: props.clientId } : {}),
      ...(secretFile ? { client_secret_file: secretFile } : {}),
      ...(props.scimUrl ? { scim_url: props.scimUrl } : {}),
      ...(props.tokenUrl ? { token_url: props.tokenUrl } : {}),
      ...(props.site ? { site: props.site } : {}),
      ...(props.maxDeletes !== undefined ? { max_deletes: String(props.maxDeletes) } : {}),
      ...(props.imsEndpoint ? { ims_endpoint: props.imsEndpoint } : {}),
      ...(props.auditLog ? { audit_log: props.auditLog } : {}),
    };
    const env: Record<string, string> = {
      RAM_SCIM_NODE: "${self.input.node}",
      RAM_SCIM_CLI: "${self.input.cli}",
      RAM_SCIM_USERS: "${self.input.users}",
    };
    const variables: Record<string, string> = {
      app_name: "RAM_SCIM_APP_NAME",
      client_id: "RAM_SCIM_CLIENT_ID",
      client_secret_file: "RAM_SCIM_CLIENT_SECRET_FILE",
      scim_url: "RAM_SCIM_URL",
      token_url: "RAM_SCIM_TOKEN_URL",
      site: "RAM_SCIM_SITE",
      max_deletes: "RAM_SCIM_MAX_DELETES",
      ims_endpoint: "RAM_SCIM_IMS_ENDPOINT",
      audit_log: "RAM_SCIM_AUDIT_LOG",
    };
    for (const [key, variable] of Object.entries(variables))
      if (input[key] !== undefined) env[variable] = `\${self.input.${key}}`;

    this.digest = createHash("sha256")
      .update(JSON.stringify({ ...input, node: undefined, cli: undefined }))
      .digest("hex");
    const triggers: Record<string, string> = { digest: this.digest };
    if (props.reconcile === "every-apply") triggers.every_apply = "${plantimestamp()}";
    if (props.driftDetection === "plan") {
      const stack = TerraformStack.of(this);
      const provider =
        (stack.node.tryFindChild("ram-scim-external") as ExternalProvider | undefined) ??
        new ExternalProvider(stack, "ram-scim-external");
      const query: Record<string, string> = { users: encoded };
      for (const key of [
        "app_name",
        "client_id",
        "client_secret_file",
        "scim_url",
        "token_url",
        "site",
        "max_deletes",
      ])
        if (input[key] !== undefined) query[key] = input[key] as string;
      this.drift = new ExternalData(this, "drift", {
        program: [node, script, "external-plan"],
        query,
        provider,
      });
      triggers.pending = this.drift.result("digest");
      triggers.pending_summary = this.drift.result("summary");
    }

    const dependsOn = props.application ? [props.application.ready] : [];
    this.sync = new DataResource(this, "apply", {
      input,
      triggersReplace: triggers,
      dependsOn,
      provisioners: [
        {
          type: "local-exec",
          command: `${RUN} apply --users-env RAM_SCIM_USERS --auto-approve`,
          environment: {
            ...env,
            // The one value that must not be in `input` (state): only in this command's environment.
            ...(props.clientSecret ? { RAM_SCIM_CLIENT_SECRET: props.clientSecret } : {}),
          },
        },
      ],
    });
    // A separate resource that is never replaced: its destroy-time command runs on a real destroy only.
    if (props.deleteUsersOnDestroy) {
      new DataResource(this, "teardown", {
        input,
        dependsOn: [this.sync, ...dependsOn],
        provisioners: [
          {
            type: "local-exec",
            when: "destroy",
            command: `${RUN} teardown --users-env RAM_SCIM_USERS --auto-approve`,
            environment: env,
          },
        ],
      });
    }
  }
}
