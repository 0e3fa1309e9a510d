import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Testing, TerraformLocal, TerraformStack, TerraformVariable } from "cdktf";
import "cdktf/lib/testing/adapters/jest"; // the matchers' typings
import {
  RamScimApplication,
  RamScimUserSync,
  UserSet,
  RamGroup,
  RamGroupPolicyAttachment,
  AlicloudProvider,
  type RamScimUserSyncProps,
} from "../../lib/cdktf";
import { match } from "../helpers/match";

// Runs twice: against cdktf, and (jest project "cdktn") with "cdktf" loading CDK Terrain.
Testing.setupJest();

const SECRET_TOKEN_NAME = "client_secret";
const users = UserSet.define({
  owner: "platform",
  users: [{ userName: "alice", displayName: "Alice", key: "e1" }, { userName: "bob.o-neil_x" }],
});

/** A local-exec provisioner, as the tests read it. */
interface LocalExec {
  command: string;
  when?: string;
  working_dir: string;
  environment: Record<string, string>;
}

/** What the constructs keep in a terraform_data resource's triggers_replace (or input). */
interface Kept {
  user_set: Record<string, unknown>;
  settings: Record<string, string>;
  display_name?: string;
  rotation?: string;
  every_apply?: string;
}

/** A terraform_data resource (or data.external source), as the tests read it. */
interface Resource {
  triggers_replace?: Kept;
  input?: Kept;
  provisioner?: { "local-exec": LocalExec }[];
  depends_on?: string[];
}

/** Synthesized JSON, the parts the tests read. */
type Synth = {
  resource?: Record<string, Record<string, Resource>>;
  data?: Record<string, Record<string, Resource>>;
  provider?: Record<string, unknown>;
  terraform?: { required_providers?: Record<string, unknown> };
};

function synth(build: (stack: TerraformStack) => void): { text: string; json: Synth } {
  // skipValidation: terraform_data's version check would call the terraform binary at synth.
  const app = new App({ skipValidation: true, outdir: Testing.app().outdir });
  const stack = new TerraformStack(app, "test");
  build(stack);
  const text = Testing.synth(stack);
  return { text, json: JSON.parse(text) as Synth };
}

/** The warnings synthesis would print for an app. */
function warningsOf(app: App): string[] {
  return app.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === "@cdktf/warn")
    .map((m) => String(m.data));
}

/** A variable fit for clientSecret: sensitive and ephemeral. */
function secretVariable(stack: TerraformStack, name: string): TerraformVariable {
  const variable = new TerraformVariable(stack, name, { type: "string", sensitive: true });
  variable.addOverride("ephemeral", true);
  return variable;
}

const dataResources = (json: Synth) => Object.entries(json.resource?.terraform_data ?? {});
function byName(json: Synth, part: string): Resource {
  const found = dataResources(json).find(([k]) => k.includes(part));
  if (!found) throw new Error(`no terraform_data resource named *${part}*`);
  return found[1];
}
const execs = (resource: Resource | undefined) =>
  (resource?.provisioner ?? []).map((p) => p["local-exec"]);

function commands(json: Synth): string[] {
  return dataResources(json).flatMap(([, r]) => execs(r).map((e) => e.command));
}

/** Every string in a value, with where it sits. */
function strings(value: unknown, path = ""): [string, string][] {
  if (typeof value === "string") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => [
      [`${path}.${k} (key)`, k] as [string, string],
      ...strings(v, `${path}.${k}`),
    ]);
  return [];
}

describe("cdktf constructs (synth)", () => {
  it("RamScimUserSync keeps the declared set per person in triggers_replace, and applies it with a constant command", () => {
    // GIVEN a set applied with a console-made application's id and a sensitive variable
    const { json } = synth((stack) => {
      const secret = secretVariable(stack, SECRET_TOKEN_NAME);
      new RamScimUserSync(stack, "staff", {
        users,
        clientId: "4000000000000000001",
        clientSecret: secret.stringValue,
        scimUrl: "https://scim.example.com",
      });
    });
    // THEN the plan shows people, not a digest: keyed by their stable key
    const [[, apply]] = dataResources(json) as [[string, Resource]];
    expect(apply.triggers_replace).toEqual({
      user_set: {
        owner: "platform",
        users: {
          alice: { key: "e1", displayName: "Alice" },
          "bob.o-neil_x": {},
        },
      },
      settings: { client_id: "4000000000000000001", scim_url: "https://scim.example.com" },
      every_apply: "${plantimestamp()}",
    });
    // AND the command is a constant run in the project folder, the data in its environment
    const [exec] = execs(apply);
    expect(exec?.command).toBe(
      '"$RAM_SCIM_NODE" "$RAM_SCIM_CLI" apply --users-env RAM_SCIM_USERS --auto-approve',
    );
    expect(exec?.working_dir).not.toMatch(/^\//);
    expect(exec?.environment).toMatchObject({
      RAM_SCIM_NODE: "node",
      RAM_SCIM_CLI: "dist/cli/bin.js",
      RAM_SCIM_CLIENT_SECRET: `\${var.${SECRET_TOKEN_NAME}}`,
      RAM_SCIM_CLIENT_SECRET_FILE: "",
      RAM_SCIM_APP_NAME: "",
      RAM_SCIM_CLIENT_ID: "${self.triggers_replace.settings.client_id}",
      RAM_SCIM_URL: "${self.triggers_replace.settings.scim_url}",
    });
    expect(exec?.environment.RAM_SCIM_USERS).toBe(
      "${jsonencode(merge(self.triggers_replace.user_set, { users = [for name, user in self.triggers_replace.user_set.users : merge(user, { userName = name })] }))}",
    );
    // AND the secret's token is only in the create-time environment, never in the state
    expect(JSON.stringify(apply.triggers_replace)).not.toContain(SECRET_TOKEN_NAME);
  });

  it("escapes ${ and %{ in every string it writes, so Terraform never evaluates user data or props", () => {
    // GIVEN values that Terraform would read as templates
    const hostile = UserSet.define({
      owner: "platform",
      users: [
        { userName: "eve", displayName: '${file("/etc/hostname")}' },
        { userName: "mallory", displayName: "%{if true}x%{endif}" },
      ],
    });
    const { json } = synth((stack) => {
      const application = new RamScimApplication(stack, "scim-sync", {
        displayName: "${path.cwd}",
        secretRotation: "%{ for x in [1] }",
      });
      new RamScimUserSync(stack, "staff", { users: hostile, application, auditLog: "${x}.log" });
    });
    const apply = byName(json, "staff_apply");
    // THEN each is escaped as `$${` / `%%{`, which Terraform reads back as the literal text
    expect(apply.triggers_replace?.user_set.users).toEqual({
      eve: { displayName: '$${file("/etc/hostname")}' },
      mallory: { displayName: "%%{if true}x%%{endif}" },
    });
    expect(apply.triggers_replace?.settings.audit_log).toBe("$${x}.log");
    expect(byName(json, "ensure").triggers_replace?.display_name).toBe("$${path.cwd}");
    expect(byName(json, "secret").triggers_replace?.rotation).toBe("%%{ for x in [1] }");
    // AND nothing else in the stack holds an unescaped template but the constructs' own references
    const own =
      /^\$\{(self\.|plantimestamp\(\)|jsonencode\(merge\(self\.|var\.|terraform_data\.|data\.external\.)/;
    for (const [path, value] of strings(json.resource))
      for (const start of value.matchAll(/(?<![$%])[$%]\{/g))
        expect([path, value.slice(start.index)]).toEqual([path, match.stringMatching(own)]);
  });

  it("keeps transferFrom in the user set the apply command receives", () => {
    const moving = UserSet.define({
      owner: "platform",
      transferFrom: ["other-team"],
      users: [{ userName: "ops.bot" }],
    });
    const { json } = synth((stack) => {
      new RamScimUserSync(stack, "staff", { users: moving, clientId: "1" });
    });
    expect(byName(json, "staff_apply").triggers_replace?.user_set).toMatchObject({
      owner: "platform",
      transferFrom: ["other-team"],
    });
  });

  it("escapes the text around a reference in a prop, and keeps the reference", () => {
    const { json } = synth((stack) => {
      const stage = new TerraformVariable(stack, "stage", { type: "string" });
      new RamScimUserSync(stack, "staff", {
        users,
        clientId: "1",
        auditLog: `logs-${stage.stringValue}-\${x}.jsonl`,
        cli: { script: "tools/${x}.js", node: "%{node}" },
      });
    });
    const apply = byName(json, "staff_apply");
    expect(apply.triggers_replace?.settings.audit_log).toBe("logs-${var.stage}-$${x}.jsonl");
    expect(execs(apply)[0]?.environment).toMatchObject({
      RAM_SCIM_CLI: "tools/$${x}.js",
      RAM_SCIM_NODE: "%%{node}",
    });
  });

  it("refuses a CDK for Terraform token marker in user data, naming the field", () => {
    const marked = UserSet.define({
      owner: "platform",
      users: [{ userName: "eve", displayName: "${TfToken[TOKEN.1]}" }],
    });
    expect(() =>
      synth((stack) => new RamScimUserSync(stack, "s", { users: marked, clientId: "1" })),
    ).toThrow('users.users.eve.displayName: "${TfToken[TOKEN.1]}" holds a CDK for Terraform token');
  });

  it("passes groups, managedGroups and forceDelete through, with the IMS endpoint", () => {
    const grouped = UserSet.define({
      owner: "platform",
      managedGroups: ["developers"],
      forceDelete: true,
      protected: ["break-glass"],
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
    const [[, apply]] = dataResources(json) as [[string, Resource]];
    expect(apply.triggers_replace?.user_set).toEqual({
      owner: "platform",
      users: { alice: { groups: ["developers"] } },
      protected: ["break-glass"],
      managedGroups: ["developers"],
      forceDelete: true,
    });
    expect(execs(apply)[0]?.environment).toMatchObject({
      RAM_SCIM_IMS_ENDPOINT: "${self.triggers_replace.settings.ims_endpoint}",
    });
  });

  it("no command string carries user data, a URL or a secret", () => {
    const { json } = synth((stack) => {
      const application = new RamScimApplication(stack, "scim-sync", {
        displayName: "SCIM; rm -rf /",
        imsEndpoint: "https://ims.example.com",
        adoptExisting: true,
      });
      new RamScimUserSync(stack, "staff", {
        users,
        application,
        deleteUsersOnDestroy: true,
        reconcile: "on-drift",
      });
    });
    const all = commands(json);
    expect(all.length).toBeGreaterThanOrEqual(9);
    for (const command of all) {
      expect(command).toMatch(
        /^"\$RAM_SCIM_NODE" "\$RAM_SCIM_CLI" [a-z -]+( --[a-z-]+( "\$[A-Z_]+"| RAM_SCIM_USERS| 100%)?)*$/,
      );
      for (const data of ["alice", "bob", "rm -rf", "example.com", "scim-sync", "platform"])
        expect(command).not.toContain(data);
    }
  });

  it("reconcile: every-apply by default, on-change quiet, on-drift reads RAM at plan time", () => {
    const triggersOf = (props: Partial<RamScimUserSyncProps>) => {
      const { json } = synth(
        (stack) => new RamScimUserSync(stack, "s", { users, clientId: "1", ...props }),
      );
      return json;
    };
    expect(byName(triggersOf({}), "apply").triggers_replace?.every_apply).toBe(
      "${plantimestamp()}",
    );
    expect(
      byName(triggersOf({ reconcile: "on-change" }), "apply").triggers_replace,
    ).not.toHaveProperty("every_apply");

    // GIVEN on-drift
    const json = triggersOf({ reconcile: "on-drift", scimUrl: "https://scim.example.com" });
    const [[dataName, external]] = Object.entries(json.data?.external ?? {}) as [
      [string, Resource],
    ];
    const [applyName, apply] = dataResources(json).find(([k]) => k.includes("apply")) as [
      string,
      Resource,
    ];
    // THEN the plan-time read is the CLI's external-plan, after the declared set is applied
    expect(apply.triggers_replace).not.toHaveProperty("every_apply");
    expect(external).toMatchObject({
      program: ["node", "dist/cli/bin.js", "external-plan"],
      working_dir: match.not.stringMatching(/^\//),
      depends_on: [`terraform_data.${applyName}`],
      query: {
        users: match.stringContaining(`terraform_data.${applyName}.triggers_replace.user_set`),
        client_id: "1",
        scim_url: "https://scim.example.com",
      },
    });
    // AND what it finds, per person, replaces a resource that applies the set again
    const correct = byName(json, "correct-drift");
    expect(correct.triggers_replace).toEqual({
      ram_differs_on: `\${data.external.${dataName}.result}`,
    });
    expect(execs(correct)[0]?.command).toContain("apply --users-env RAM_SCIM_USERS");
    expect(execs(correct)[0]?.environment.RAM_SCIM_USERS).toContain(
      `terraform_data.${applyName}.triggers_replace.user_set`,
    );
    // AND the provider is declared with a version, as the cdktf CLI's validation requires
    expect(json.terraform?.required_providers?.external).toEqual({
      source: "hashicorp/external",
      version: "~> 2.3",
    });
  });

  it("deleteUsersOnDestroy adds a never-replaced resource with a destroy-time teardown", () => {
    const { json } = synth(
      (stack) =>
        new RamScimUserSync(stack, "s", {
          users: UserSet.define({ ...users, protected: ["break-glass"] }),
          clientId: "1",
          deleteUsersOnDestroy: true,
        }),
    );
    const teardown = byName(json, "teardown");
    expect(teardown.triggers_replace).toBeUndefined();
    expect(teardown.input?.user_set).toEqual({
      owner: "platform",
      users: {},
      protected: ["break-glass"],
      allowEmpty: true,
    });
    expect(execs(teardown)[0]).toMatchObject({
      when: "destroy",
      command: match.stringContaining("teardown --users-env RAM_SCIM_USERS --auto-approve"),
      environment: match.objectContaining({
        RAM_SCIM_CLIENT_ID: "${self.input.settings.client_id}",
      }),
    });
    const { json: kept } = synth(
      (stack) => new RamScimUserSync(stack, "s", { users, clientId: "1" }),
    );
    expect(dataResources(kept)).toHaveLength(1);
  });

  it("RamScimApplication: application, grant, secret and the every-apply ensure, chained", () => {
    const { json } = synth(
      (stack) =>
        new RamScimApplication(stack, "scim-sync", {
          displayName: "SCIM sync",
          accessTokenValidity: 1800,
          secretRotation: "2026-11",
        }),
    );
    const app = byName(json, "application");
    expect(execs(app).map((e) => [e.when, e.command.split(" ").slice(2, 4).join(" ")])).toEqual([
      [undefined, "app create"],
      ["destroy", "app delete"],
    ]);
    expect(execs(app)[0]?.command).not.toContain("--adopt");
    expect(
      execs(byName(json, "grant")).map((e) => e.command.split(" ").slice(2, 4).join(" ")),
    ).toEqual(["app grant", "app revoke"]);
    // The secret lives in the project folder (beside cdktf.json), not under cdktf.out.
    expect(byName(json, "secret")).toMatchObject({
      triggers_replace: { rotation: "2026-11", secret_file: ".ram-scim/scim-sync.secret" },
      lifecycle: { create_before_destroy: true },
    });
    const ensure = byName(json, "ensure");
    expect(ensure.triggers_replace).toMatchObject({
      display_name: "SCIM sync",
      token_validity: "1800",
      every_apply: "${plantimestamp()}",
    });
    expect(execs(ensure)[0]?.command).toContain("app ensure --name");
    expect(ensure.depends_on).toEqual([match.stringContaining("secret")]);

    const { json: quiet } = synth(
      (stack) =>
        new RamScimApplication(stack, "scim-sync", {
          displayName: "SCIM sync",
          reconcile: "on-change",
          adoptExisting: true,
        }),
    );
    expect(byName(quiet, "ensure").triggers_replace).not.toHaveProperty("every_apply");
    expect(execs(byName(quiet, "application"))[0]?.command).toMatch(/ --adopt$/);
  });

  it("a user set of an application of the stack ignores inherited client credentials", () => {
    const { json } = synth((stack) => {
      const application = new RamScimApplication(stack, "scim-sync", {
        displayName: "SCIM",
        imsEndpoint: "https://ims.example.com",
      });
      new RamScimUserSync(stack, "staff", { users, application });
    });
    expect(execs(byName(json, "staff_apply"))[0]?.environment).toMatchObject({
      RAM_SCIM_CLIENT_ID: "",
      RAM_SCIM_CLIENT_SECRET: "",
      RAM_SCIM_APP_NAME: "${self.triggers_replace.settings.app_name}",
      RAM_SCIM_CLIENT_SECRET_FILE: "${self.triggers_replace.settings.client_secret_file}",
      // The application's endpoint serves the set's groups too.
      RAM_SCIM_IMS_ENDPOINT: "${self.triggers_replace.settings.ims_endpoint}",
    });
    expect(byName(json, "staff_apply").triggers_replace?.settings).toEqual({
      app_name: "scim-sync",
      client_secret_file: ".ram-scim/scim-sync.secret",
      ims_endpoint: "https://ims.example.com",
    });
  });

  it("binds the alicloud provider (with a version constraint) and RAM group resources", () => {
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
    expect(json.terraform?.required_providers?.alicloud).toEqual({
      source: "aliyun/alicloud",
      version: "~> 1.230",
    });
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

  const variable = (stack: TerraformStack) => secretVariable(stack, "secret").stringValue;
  it.each([
    ["no credentials", () => ({ users }), "give exactly one of application"],
    [
      "both credentials",
      () => ({ users, clientId: "1", application: {} as RamScimApplication }),
      "give exactly one of application",
    ],
    [
      "a bad maxDeletes",
      () => ({ users, clientId: "1", maxDeletes: "lots" as never }),
      'maxDeletes takes a count (10) or a share ("30%"), got "lots"',
    ],
    [
      "a literal clientSecret",
      () => ({ users, clientId: "1", clientSecret: "s3cret-literal" }),
      "clientSecret must be a TerraformVariable's value (sensitive and ephemeral)",
    ],
    [
      "a literal clientSecret in a local",
      (stack: TerraformStack) => ({
        users,
        clientId: "1",
        clientSecret: new TerraformLocal(stack, "local", "literal-Secret").asString,
      }),
      "clientSecret must be a TerraformVariable's value (sensitive and ephemeral): anything else is written into cdk.tf.json",
    ],
    [
      "a variable that is not ephemeral",
      (stack: TerraformStack) => ({
        users,
        clientId: "1",
        clientSecret: new TerraformVariable(stack, "plain", { type: "string", sensitive: true })
          .stringValue,
      }),
      'the variable "plain" given as clientSecret must be sensitive (kept out of output) and ephemeral (kept out of the plan file that cdktf diff saves, and of the state; Terraform 1.10 or later): new TerraformVariable(this, "plain", { type: "string", sensitive: true }).addOverride("ephemeral", true)',
    ],
    [
      "an application of another stack",
      (stack: TerraformStack) => ({
        users,
        application: new RamScimApplication(new TerraformStack(App.of(stack), "other"), "app", {
          displayName: "x",
        }),
      }),
      'application "other/app" is in another stack',
    ],
    [
      "a sensitive variable with deleteUsersOnDestroy",
      (stack: TerraformStack) => ({
        users,
        clientId: "1",
        clientSecret: variable(stack),
        deleteUsersOnDestroy: true,
      }),
      "clientSecret cannot reach the destroy-time teardown (deleteUsersOnDestroy): Terraform lets those read no variable, and the secret must stay out of the state. Use clientSecretFile, or leave clientSecret unset and export RAM_SCIM_CLIENT_SECRET",
    ],
    [
      "a sensitive variable with on-drift",
      (stack: TerraformStack) => ({
        users,
        clientId: "1",
        clientSecret: variable(stack),
        reconcile: "on-drift",
      }),
      'clientSecret cannot reach the plan-time read of RAM (reconcile: "on-drift")',
    ],
    [
      "the old driftDetection prop",
      () => ({ users, clientId: "1", driftDetection: "plan" }),
      'driftDetection is now reconcile: "on-drift"',
    ],
    [
      "a looked-up application whose secret is a literal",
      () => ({
        users,
        application: RamScimApplication.fromAppId("1", { clientSecret: "s3cret-literal" }),
      }),
      "clientSecret must be a TerraformVariable's value (sensitive and ephemeral)",
    ],
    [
      "a looked-up application's variable secret with deleteUsersOnDestroy",
      (stack: TerraformStack) => ({
        users,
        application: RamScimApplication.fromAppId("1", { clientSecret: variable(stack) }),
        deleteUsersOnDestroy: true,
      }),
      "clientSecret cannot reach the destroy-time teardown (deleteUsersOnDestroy)",
    ],
    [
      "an application that names none",
      () => ({ users, application: {} }),
      "application names no application: give a RamScimApplication, or RamScimApplication.fromAppId(appId)",
    ],
  ])("refuses %s at synth, naming the prop and the fix", (_case, props, message) => {
    expect(() => synth((stack) => new RamScimUserSync(stack, "s", props(stack)))).toThrow(message);
  });

  it("takes an application made elsewhere by RamScimApplication.fromAppId, as the deprecated clientId props", () => {
    const resources = (json: Synth) => JSON.stringify(json.resource);
    const looked = synth(
      (stack) =>
        new RamScimUserSync(stack, "s", {
          users,
          application: RamScimApplication.fromAppId("4071000000000000001", {
            clientSecretFile: "secrets/scim.secret",
          }),
        }),
    );
    const legacy = synth(
      (stack) =>
        new RamScimUserSync(stack, "s", {
          users,
          clientId: "4071000000000000001",
          clientSecretFile: "secrets/scim.secret",
        }),
    );
    expect(looked.text).toHaveResourceWithProperties(
      { tfResourceType: "terraform_data" },
      {
        triggers_replace: expect.objectContaining({
          settings: { client_id: "4071000000000000001", client_secret_file: "secrets/scim.secret" },
        }) as unknown,
      },
    );
    expect(resources(looked.json)).toBe(resources(legacy.json));
    expect(() =>
      RamScimApplication.fromAppId("1", { clientSecretFile: "f", clientSecret: "s" }),
    ).toThrow("RamScimApplication.fromAppId: give clientSecretFile or clientSecret, not both");
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

describe("finding the CLI from the project", () => {
  const cwd = process.cwd();
  afterEach(() => process.chdir(cwd));

  /** Synthesizes from `project` (as `cdktf synth` runs there), outdir cdktf.out. */
  function synthIn(
    project: string,
    build: Partial<RamScimUserSyncProps> | ((stack: TerraformStack) => void) = {},
  ) {
    process.chdir(project);
    const app = new App({ skipValidation: true, outdir: join(project, "cdktf.out") });
    const stack = new TerraformStack(app, "ram-users");
    if (typeof build === "function") build(stack);
    else new RamScimUserSync(stack, "staff", { users, clientId: "1", ...build });
    const json = JSON.parse(Testing.synth(stack)) as Synth;
    return { json, exec: execs(dataResources(json)[0]?.[1])[0], app };
  }
  function project(install: (dir: string) => void): string {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "ram-scim-project-")));
    install(dir);
    return dir;
  }
  const fakePackage = (dir: string) => {
    mkdirSync(join(dir, "dist", "cli"), { recursive: true });
    writeFileSync(join(dir, "package.json"), '{"name":"alicloud-ram-scim"}');
  };

  it("writes no absolute path of this machine into the stack", () => {
    const dir = project((d) => fakePackage(join(d, "node_modules", "alicloud-ram-scim")));
    const { json } = synthIn(dir, (stack) => {
      const application = new RamScimApplication(stack, "scim-sync", { displayName: "SCIM" });
      new RamScimUserSync(stack, "staff", {
        users,
        application,
        reconcile: "on-drift",
        deleteUsersOnDestroy: true,
      });
    });
    // The backend is cdktf's own (its default local path is absolute, rewritten at each synth).
    const persisted = { resource: json.resource, data: json.data, provider: json.provider };
    const machine = [dir, cwd, tmpdir(), process.execPath, realpathSync(cwd)];
    const found = strings(persisted).filter(
      ([, value]) => value.startsWith("/") || machine.some((prefix) => value.includes(prefix)),
    );
    expect(found).toEqual([]);
  });

  it("runs the project's installed copy, relative to the project, from the stack's folder", () => {
    const dir = project((d) => fakePackage(join(d, "node_modules", "alicloud-ram-scim")));
    const { exec } = synthIn(dir);
    expect(exec?.working_dir).toBe("../../..");
    expect(exec?.environment.RAM_SCIM_CLI).toBe("node_modules/alicloud-ram-scim/dist/cli/bin.js");
  });

  it("keeps an npm link or file: install as the project sees it, not where the link points", () => {
    const elsewhere = project(fakePackage);
    const dir = project((d) => {
      mkdirSync(join(d, "node_modules"));
      symlinkSync(elsewhere, join(d, "node_modules", "alicloud-ram-scim"));
    });
    expect(synthIn(dir).exec?.environment.RAM_SCIM_CLI).toBe(
      "node_modules/alicloud-ram-scim/dist/cli/bin.js",
    );
  });

  it("finds a copy hoisted to a workspace root above the project", () => {
    const root = project((d) => fakePackage(join(d, "node_modules", "alicloud-ram-scim")));
    const dir = join(root, "packages", "users");
    mkdirSync(dir, { recursive: true });
    expect(synthIn(dir).exec?.environment.RAM_SCIM_CLI).toBe(
      "../../node_modules/alicloud-ram-scim/dist/cli/bin.js",
    );
  });

  it("escapes a project folder whose name Terraform would read as a template", () => {
    const dir = project((d) => fakePackage(join(d, "node_modules", "alicloud-ram-scim")));
    const odd = join(dir, "we${x}rd");
    mkdirSync(odd);
    const { exec } = synthIn(odd, { cli: { script: "bin.js" } });
    expect(exec?.working_dir).toBe("../../..");
    const outside = project(() => undefined);
    process.chdir(odd);
    const app = new App({ skipValidation: true, outdir: join(outside, "out") });
    const stack = new TerraformStack(app, "ram-users");
    new RamScimUserSync(stack, "staff", { users, clientId: "1", cli: { script: "bin.js" } });
    const json = JSON.parse(Testing.synth(stack)) as Synth;
    const far = execs(dataResources(json)[0]?.[1])[0]?.working_dir;
    expect(far).toMatch(/\/we\$\$\{x\}rd$/);
    // An output folder outside the project ties the stack to this machine's layout: said so.
    expect(warningsOf(app)).toEqual([
      match.stringContaining("the synthesized stack is written outside the project folder"),
    ]);
  });

  it("an empty cli.script or cli.node counts as unset", () => {
    const dir = project((d) => fakePackage(join(d, "node_modules", "alicloud-ram-scim")));
    expect(synthIn(dir, { cli: { script: "", node: "" } }).exec?.environment).toMatchObject({
      RAM_SCIM_NODE: "node",
      RAM_SCIM_CLI: "node_modules/alicloud-ram-scim/dist/cli/bin.js",
    });
  });

  it("warns when cli.script is absolute", () => {
    const dir = project((d) => fakePackage(join(d, "node_modules", "alicloud-ram-scim")));
    const { app } = synthIn(dir, {
      cli: { script: "/opt/ram-scim/bin.js", node: "/usr/bin/node" },
    });
    expect(warningsOf(app)).toEqual([
      match.stringContaining("cli.script /opt/ram-scim/bin.js is an absolute path"),
    ]);
  });
});
