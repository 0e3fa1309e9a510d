/**
 * RAM users as code with CDK Terrain (cdktn, the maintained fork of CDK for Terraform): the OAuth
 * application for SCIM, a RAM group with a policy, and the users of users.yaml, applied by every
 * `cdktn deploy`. The same constructs as the cdktf example, built against cdktn.
 */
import { join } from "node:path";
import { App, TerraformOutput, TerraformStack } from "cdktn";
import type { Construct } from "constructs";
import {
  AlicloudProvider,
  RamGroup,
  RamGroupPolicyAttachment,
  RamScimApplication,
  RamScimUserSync,
  UserSet,
} from "alicloud-ram-scim/cdktn";

export class UsersStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Leave unset for Alibaba Cloud; the emulator's URLs to run offline (`ram-scim emulator`).
    const imsEndpoint = process.env.RAM_SCIM_IMS_ENDPOINT;
    const scimUrl = process.env.RAM_SCIM_URL;
    const tokenUrl = process.env.RAM_SCIM_TOKEN_URL;

    // What the synced people may do. RAM takes no groups over SCIM. Needs the aliyun/alicloud
    // provider from the registry: MANAGE_GROUPS=false leaves it out (offline, the emulator).
    if (process.env.MANAGE_GROUPS !== "false") {
      new AlicloudProvider(this, "alicloud", {
        region: process.env.ALICLOUD_REGION ?? "cn-hangzhou",
      });
      const developers = new RamGroup(this, "developers", {
        groupName: "developers",
        comments: "People synced by alicloud-ram-scim",
      });
      new RamGroupPolicyAttachment(this, "developers-read-only", {
        groupName: developers.groupName,
        policyName: "ReadOnlyAccess",
        policyType: "System",
      });
    }

    // The application, its /acs/scim grant and its secret (in .ram-scim/, git-ignored).
    const application = new RamScimApplication(this, "scim-sync", {
      displayName: "SCIM sync",
      accessTokenValidity: 3600,
      secretRotation: "2026-11", // change it to rotate the secret without downtime
      ...(imsEndpoint ? { imsEndpoint } : {}),
    });
    // Every deploy puts RAM back in step with users.yaml; `cdktn diff` names who joins or leaves.
    new RamScimUserSync(this, "staff", {
      application,
      users: UserSet.fromFile(join(__dirname, "users.yaml")),
      ...(scimUrl ? { scimUrl } : {}),
      ...(tokenUrl ? { tokenUrl } : {}),
    });
    new TerraformOutput(this, "secret_file", { value: application.secretFile });
  }
}

if (require.main === module) {
  const app = new App();
  new UsersStack(app, "ram-users");
  app.synth();
}
