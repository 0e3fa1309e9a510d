/**
 * RAM users as code with Pulumi: the OAuth application, its grant and secret, and the users of
 * users.yaml, reconciled into RAM through SCIM on every `pulumi up`.
 */
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { RamScimApplication, RamScimUserSync, UserSet } from "alicloud-ram-scim/pulumi";

const config = new pulumi.Config();
// Leave these unset for Alibaba Cloud; set them to the emulator's URLs to run offline.
const imsEndpoint = config.get("imsEndpoint");
const scimUrl = config.get("scimUrl");
const tokenUrl = config.get("tokenUrl");

// What the synced people may do: RAM user groups and their policies, with @pulumi/alicloud.
// RAM takes no groups over SCIM; membership belongs to the user set, not to
// alicloud.ram.GroupMembership (a membership held elsewhere blocks a leaver's deletion).
if (config.getBoolean("manageGroups") ?? true) {
  const developers = new alicloud.ram.Group("developers", {
    groupName: "developers",
    comments: "People synced by alicloud-ram-scim",
  });
  new alicloud.ram.GroupPolicyAttachment("developers-read-only", {
    groupName: developers.groupName,
    policyName: "ReadOnlyAccess",
    policyType: "System",
  });
}

// The console's OAuth steps: a ServerApp with scope /acs/scim, authorized, with a secret.
const app = new RamScimApplication("scim-sync", {
  displayName: "SCIM sync",
  accessTokenValidity: 3600,
  // Change it (e.g. to today's date) to rotate the secret without downtime.
  secretRotation: config.get("secretRotation") ?? "initial",
  imsEndpoint,
});

// The people: `pulumi preview` shows who joins, changes or leaves; `pulumi up` does it.
const staff = new RamScimUserSync("staff", {
  application: app,
  users: UserSet.fromFile("users.yaml"),
  scimUrl,
  tokenUrl,
});

export const clientId = app.clientId;
export const clientSecret = app.clientSecret; // a secret: `pulumi stack output --show-secrets`
export const pendingChanges = staff.pendingChanges;
export const destroyBehavior = staff.destroyBehavior;
