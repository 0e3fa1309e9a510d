import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";

const types = new Map<string, string>();
// setMocks is async in signature only: the mocks are in place when it returns (runtime/mocks.js).
void pulumi.runtime.setMocks(
  {
    newResource(args) {
      types.set(args.name, args.type);
      const extra: Record<string, unknown> = {};
      if (args.type.endsWith(":RamOAuthApplication")) extra.appId = "4000000000000000009";
      if (args.type.endsWith(":RamAppSecret")) extra.clientSecret = "mock";
      if (args.type.endsWith(":RamScimUserSet"))
        Object.assign(extra, { pendingChanges: "", destroyBehavior: "keeps" });
      return {
        id: `${args.name}-id`,
        state: { ...(args.inputs as Record<string, unknown>), ...extra },
      };
    },
    call: (args) => args.inputs as Record<string, unknown>,
  },
  "alicloud-ram-scim-example",
  "dev",
  false,
);

describe("examples/pulumi", () => {
  it("declares the RAM group and policy, the application and the user set", async () => {
    const cwd = process.cwd();
    process.chdir(join(__dirname, "../../examples/pulumi"));
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const program = require("../../examples/pulumi/index") as {
        pendingChanges: pulumi.Output<string>;
      };
      await new Promise((resolve) => program.pendingChanges.apply(resolve));
    } finally {
      process.chdir(cwd);
    }
    expect(Object.fromEntries(types)).toMatchObject({
      developers: "alicloud:ram/group:Group",
      "developers-read-only": "alicloud:ram/groupPolicyAttachment:GroupPolicyAttachment",
      "scim-sync-app": "pulumi-nodejs:dynamic/alicloud-ram-scim:RamOAuthApplication",
      "scim-sync-grant": "pulumi-nodejs:dynamic/alicloud-ram-scim:RamScimGrant",
      "scim-sync-secret": "pulumi-nodejs:dynamic/alicloud-ram-scim:RamAppSecret",
      staff: "pulumi-nodejs:dynamic/alicloud-ram-scim:RamScimUserSet",
    });
  });
});
