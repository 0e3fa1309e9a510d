import { App, Testing, TerraformStack, TerraformVariable } from "cdktf";
import "cdktf/lib/testing/adapters/jest"; // the matchers' typings
import {
  RamScimApplication,
  RamScimUserSync,
  UserSet,
  RamGroup,
  RamGroupPolicyAttachment,
  AlicloudProvider,
} from "../../lib/cdktf";

Testing.setupJest();

const SECRET_TOKEN_NAME = "client_secret";
const users = UserSet.define({
  owner: "platform",
  users: [{ userName: "alice", displayName: "Alice", key: "e1" }, { userName: "bob.o-neil_x" }],
});

/** Synthesized JSON, read loosely. */
type Loose = ReturnType<typeof JSON.parse>;
type Synth = {
  resource?: Record<string, Record<string, Loose>>;
  data?: Record<string, Record<string, Loose>>;
  terraform?: Loose;
};

function synth(build: (stack: TerraformStack) => void): { text: string; json: Synth } {
  // skipValidation: terraform_data's version check would call the terraform binary at synth.
  const app = new App({ skipValidation: true, outdir: Testing.app().outdir });
  const stack = new TerraformStack(app, "test");
  build(stack);
  const text = Testing.synth(stack);
  return { text, json: JSON.parse(text) as Synth };
}

function commands(json: Synth): string[] {
  return Object.values(json.resource?.terraform_data ?? {}).flatMap((r) =>
    (r.provisioner ?? []).map(
      (p: { "local-exec": { command: string } }) => p["local-exec"].command,
    ),
  );
}

describe("cdktf constructs (synth)", () => {
  it("RamScimUserSync: a terraform_data whose local-exec runs ram-scim apply, with the set in the environment", () => {
    const { text, json } = synth((stack) => {
      const secret = new TerraformVariable(stack, SECRET_TOKEN_NAME, {
        type: "string",
        sensitive: true,
      });
      new RamScimUserSync(stack, "staff", {
        users,
        clientId: "4000000000000000001",
        clientSecret: secret.stringValue,
        scimUrl: "https://scim.example.com",
      });
    });
    expect(text).toHaveResourceWithProperties(
      { tfResourceType: "terraform_data" },
      {
        input: expect.objectContaining({
          client_id: "4000000000000000001",
          scim_url: "https://scim.example.com",
          users: expect.any(String),
        }),
        triggers_replace: { digest: expect.stringMatching(/^[0-9a-f]{64}$/) },
      },
    );
    const [apply] = Object.values(json.resource?.terraform_data ?? {});
    const exec = apply?.provisioner[0]["local-exec"];
    expect(exec.command).toBe(
      '"$RAM_SCIM_NODE" "$RAM_SCIM_CLI" apply --users-env RAM_SCIM_USERS --auto-approve',
    );
    expect(exec.environment).toMatchObject({
      RAM_SCIM_CLIENT_SECRET: `\${var.${SECRET_TOKEN_NAME}}`,
      RAM_SCIM_USERS: "${self.input.users}",
      RAM_SCIM_CLIENT_ID: "${self.input.client_id}",
    });
    expect(JSON.parse(Buffer.from(apply?.input.users, "base64").toString())).toMatchObject({
      owner: "platform",
      users: [{ userName: "alice" }, { userName: "bob.o-neil_x" }],
    });
    // The secret's token is only in the create-time environment, never in input (state) or a command.
    expect(JSON.stringify(apply?.input)).not.toContain(SECRET_TOKEN_NAME);
  });

  it("passes groups, managedGroups and forceDelete through to ram-scim apply, with the IMS endpoint", () => {
    const grouped = UserSet.define({
      owner: "platform",
      managedGroups: ["developers"],
      forceDelete: true,
      users: [{ userName: "alice", groups: ["developers"] }],
    });
    const { json } = synth(
      (stack) =>
        new RamScimUserSync(stack, "g", {
          users: grouped,
          clientId: "1",
          imsEndpoint: "https://ims.example.com",
        }),
    );
    const [apply] = Object.values(json.resource?.terraform_data ?? {});
    expect(JSON.parse(Buffer.from(apply?.input.users, "base64").toString())).toMatchObject({
      managedGroups: ["developers"],
      forceDelete: true,
      users: [{ userName: "alice", groups: ["developers"] }],
    });
    expect(apply?.provisioner[0]["local-exec"].environment).toMatchObject({
      RAM_SCIM_IMS_ENDPOINT: "${self.input.ims_endpoint}",
    });
  });

  it("no command string carries user data, a URL or a secret", () => {
    const { json } = synth((stack) => {
      const application = new RamScimApplication(stack, "scim-sync", {
        displayName: "SCIM; rm -rf /",
        imsEndpoint: "https://ims.example.com",
      });
      new RamScimUserSync(stack, "staff", {
        users,
        application,
        deleteUsersOnDestroy: true,
        reconcile: "every-apply",
      });
    });
    const all = commands(json);
    expect(all.length).toBeGreaterThanOrEqual(7);
    for (const command of all) {
      expect(command).toMatch(
        /^"\$RAM_SCIM_NODE" "\$RAM_SCIM_CLI" [a-z -]+( --[a-z-]+( "\$[A-Z_]+"| RAM_SCIM_USERS)?)*$/,
      );
      for (const data of ["alice", "bob", "rm -rf", "example.com", "scim-sync", "platform"])
        expect(command).not.toContain(data);
    }
  });

  it("reconcile every-apply adds plantimestamp(); the digest follows the set and the settings", () => {
    const digest = (extra: object, set = users) => {
      let d = "";
      synth((stack) => {
        d = new RamScimUserSync(stack, "s", { users: set, clientId: "1", ...extra }).digest;
      });
      return d;
    };
    expect(digest({})).toBe(digest({}));
    expect(digest({ maxDeletes: 10 })).not.toBe(digest({}));
    expect(
      digest({}, UserSet.define({ owner: "platform", users: [{ userName: "alice" }] })),
    ).not.toBe(digest({}));
    const { text } = synth(
      (stack) =>
        new RamScimUserSync(stack, "s", { users, clientId: "1", reconcile: "every-apply" }),
    );
    expect(text).toHaveResourceWithProperties(
      { tfResourceType: "terraform_data" },
      { triggers_replace: expect.objectContaining({ every_apply: "${plantimestamp()}" }) },
    );
  });

  it("driftDetection plan adds an external data source whose digest and summary are triggers", () => {
    const { json } = synth(
      (stack) =>
        new RamScimUserSync(stack, "s", {
          users,
          clientId: "1",
          scimUrl: "https://scim.example.com",
          driftDetection: "plan",
        }),
    );
    const [external] = Object.entries(json.data?.external ?? {});
    expect(external?.[1]).toMatchObject({
      program: [expect.stringMatching(/node$/), expect.stringMatching(/bin\.js$/), "external-plan"],
      query: { users: expect.any(String), client_id: "1", scim_url: "https://scim.example.com" },
    });
    expect(json.terraform.required_providers.external).toMatchObject({
      source: "hashicorp/external",
    });
    const [apply] = Object.values(json.resource?.terraform_data ?? {});
    expect(apply?.triggers_replace).toMatchObject({
      pending: `\${data.external.${external?.[0]}.result.digest}`,
      pending_summary: `\${data.external.${external?.[0]}.result.summary}`,
    });
  });

  it("deleteUsersOnDestroy adds a never-replaced resource with a destroy-time teardown", () => {
    const { json } = synth(
      (stack) =>
        new RamScimUserSync(stack, "s", { users, clientId: "1", deleteUsersOnDestroy: true }),
    );
    const teardown = Object.values(json.resource?.terraform_data ?? {}).find(
      (r) => r.provisioner?.[0]["local-exec"].when === "destroy",
    );
    expect(teardown?.triggers_replace).toBeUndefined();
    expect(teardown?.provisioner[0]["local-exec"].command).toContain(
      "teardown --users-env RAM_SCIM_USERS --auto-approve",
    );
    const { json: kept } = synth(
      (stack) => new RamScimUserSync(stack, "s", { users, clientId: "1" }),
    );
    expect(Object.keys(kept.resource?.terraform_data ?? {})).toHaveLength(1);
  });

  it("RamScimApplication: application, settings, grant and secret, chained, with destroy-time delete and revoke", () => {
    const { json } = synth(
      (stack) =>
        new RamScimApplication(stack, "scim-sync", {
          displayName: "SCIM sync",
          accessTokenValidity: 1800,
          secretRotation: "2026-11",
        }),
    );
    const byName = (part: string) =>
      Object.entries(json.resource?.terraform_data ?? {}).find(([k]) => k.includes(part))?.[1];
    expect(byName("application")?.provisioner[0]["local-exec"]).toMatchObject({
      when: "destroy",
      command: expect.stringContaining("app delete --name"),
    });
    expect(byName("settings")?.input).toMatchObject({
      display_name: "SCIM sync",
      token_validity: "1800",
    });
    expect(
      byName("grant")?.provisioner.map((p: { "local-exec": { command: string } }) =>
        p["local-exec"].command.split(" ").slice(2, 4).join(" "),
      ),
    ).toEqual(["app grant", "app revoke"]);
    expect(byName("secret")).toMatchObject({
      triggers_replace: { rotation: "2026-11" },
      lifecycle: { create_before_destroy: true },
      input: { secret_file: "${path.root}/.ram-scim/scim-sync.secret" },
    });
    expect(byName("secret")?.depends_on).toEqual([expect.stringContaining("grant")]);
  });

  it("binds the alicloud provider and RAM group resources with the documented attribute names", () => {
    const { text, json } = synth((stack) => {
      new AlicloudProvider(stack, "alicloud", { region: "cn-hangzhou" });
      const group = new RamGroup(stack, "developers", {
        groupName: "developers",
        comments: "synced",
      });
      new RamGroupPolicyAttachment(stack, "ro", {
        groupName: group.groupName,
        policyName: "ReadOnlyAccess",
        policyType: "System",
      });
    });
    expect(json.terraform.required_providers.alicloud).toMatchObject({ source: "aliyun/alicloud" });
    expect(text).toHaveProviderWithProperties(
      { tfResourceType: "alicloud" },
      { region: "cn-hangzhou" },
    );
    expect(text).toHaveResourceWithProperties(
      { tfResourceType: "alicloud_ram_group" },
      { group_name: "developers", comments: "synced" },
    );
    expect(text).toHaveResourceWithProperties(
      { tfResourceType: "alicloud_ram_group_policy_attachment" },
      {
        group_name: "${alicloud_ram_group.developers.group_name}",
        policy_name: "ReadOnlyAccess",
        policy_type: "System",
      },
    );
  });

  it.each([
    ["no credentials", { users }, "give exactly one of application"],
    [
      "both credentials",
      { users, clientId: "1", application: {} as RamScimApplication },
      "give exactly one of application",
    ],
    [
      "a bad maxDeletes",
      { users, clientId: "1", maxDeletes: "lots" as never },
      'maxDeletes takes a count (10) or a share ("30%"), got "lots"',
    ],
  ])("refuses %s at synth, naming the prop", (_case, props, message) => {
    expect(() => synth((stack) => new RamScimUserSync(stack, "s", props as never))).toThrow(
      message,
    );
  });

  it("refuses invalid application props and users before synth", () => {
    expect(() =>
      synth(
        (stack) =>
          new RamScimApplication(stack, "bad name!", {
            displayName: "x".repeat(30),
            accessTokenValidity: 1,
          }),
      ),
    ).toThrow(/appName: .*\ndisplayName: .*\naccessTokenValidity:/);
    expect(() => UserSet.define({ owner: "p", users: [{ userName: "has space" }] })).toThrow(
      'defineUserSet: users[0].userName: "has space" is not a valid RAM user name',
    );
  });
});
