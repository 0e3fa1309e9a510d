/**
 * The Pulumi side as users get it: the packed tarball installed in a scratch Pulumi project,
 * the README's program compiled under the templates' tsconfigs, the providers the real SDK
 * serializes there, and Pulumi's own provider host started from that project's node_modules,
 * in that project's folder, driven over gRPC as the engine drives it, against the emulator.
 */
import { cpSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator, type RamEmulator } from "alicloud-ram-scim/emulator";
import { ScimClient } from "../../lib/core/scim";
import { DIFF, ProviderHost, UNKNOWN, urn } from "../helpers/provider-host";
import { consumerProject, ok, pack, PULUMI_TEMPLATE_TSCONFIG, REPO, scratch, sh } from "./helpers";
import { match } from "../helpers/match";

const TEMPLATE = PULUMI_TEMPLATE_TSCONFIG;
const CONFIGS: Record<string, Record<string, unknown>> = {
  "Pulumi until 2026-03 (node10)": { ...TEMPLATE, module: "commonjs", moduleResolution: "node" },
  "Pulumi since 2026-03 (nodenext)": {
    ...TEMPLATE,
    module: "nodenext",
    moduleResolution: "nodenext",
  },
  node16: { ...TEMPLATE, module: "node16", moduleResolution: "node16", target: "es2022" },
  bundler: { ...TEMPLATE, module: "esnext", moduleResolution: "bundler", target: "es2022" },
};

/** The README's Pulumi program, as a user copies it. */
function readmeProgram(): string {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Pulumi\n"));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (!block?.[1]) throw new Error("README.md has no ts block under ## Pulumi");
  return block[1];
}

/** What users also write: the dynamic resources with their own options, a plain secret. */
const EXTRAS = `
import { RamAppSecret, RamScimUserSet, UserSet } from "alicloud-ram-scim/pulumi";

export const plain = new RamScimUserSet("plain", {
  userSet: UserSet.define({ owner: "plain", users: [{ userName: "p1" }] }),
  clientId: "4000000000000000001",
  clientSecret: "plain-client-secret-VALUE",
}, { additionalSecretOutputs: ["lastLeavers"] });
export const secret = new RamAppSecret("mine", { appId: "4000000000000000001" }, {
  additionalSecretOutputs: ["createDate"],
  deleteBeforeReplace: true,
});
`;

/** Runs the compiled program under the SDK's mocks and records what it registers, as sent. */
const CAPTURE = `
const { writeFileSync } = require("node:fs");
const pulumi = require("@pulumi/pulumi");
const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks");
const seen = [];
const register = MockMonitor.prototype.registerResource;
MockMonitor.prototype.registerResource = function (req, callback) {
  seen.push({
    type: req.getType(),
    name: req.getName(),
    object: req.getObject().toJavaScript(),
    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    deleteBeforeReplace: req.getDeletebeforereplace(),
  });
  return register.call(this, req, callback);
};
pulumi.runtime.setMocks(
  {
    newResource: (a) => ({
      id: a.name + "-id",
      state: { ...a.inputs, appId: "4000000000000000009", clientSecret: "mock" },
    }),
    call: (a) => a.inputs,
  },
  "consumer",
  "dev",
  false,
);
require("./bin/index.js");
require("./bin/extras.js");
process.on("beforeExit", () => writeFileSync("registrations.json", JSON.stringify(seen)));
`;

const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const AK_SECRET = "consumer-ak-Secret-0000";
type Props = Record<string, unknown>;
interface Registration {
  type: string;
  name: string;
  /** The inputs it was registered with; a dynamic resource's include its provider's text. */
  object: Props & { __provider?: string };
  additionalSecretOutputs: string[];
  deleteBeforeReplace: boolean;
}

describe("Pulumi from a consumer install (packed tarball, real provider host)", () => {
  let project: string;
  let registrations: Registration[];
  let emulator: RamEmulator;
  let host: ProviderHost;
  /** The `__provider` text the real SDK serialized in the project, by resource type. */
  const provider: Record<string, string> = {};

  const startHost = async (dir: string) => {
    const h = await ProviderHost.start(
      { ALICLOUD_ACCESS_KEY: "", ALIBABA_CLOUD_ACCESS_KEY_ID: "" },
      { cwd: dir, pulumiDir: join(dir, "node_modules", "@pulumi", "pulumi") },
    );
    await h.configure({ "alicloud:accessKey": "LTAIconsumer", "alicloud:secretKey": AK_SECRET });
    return h;
  };

  beforeAll(async () => {
    project = await consumerProject("ram-scim-pulumi-", [
      "@pulumi/pulumi@3.248.0",
      "typescript@~5.9.3",
      "@types/node@^20",
    ]);
    writeFileSync(join(project, "index.ts"), readmeProgram());
    writeFileSync(join(project, "extras.ts"), EXTRAS);
    writeFileSync(join(project, "capture.js"), CAPTURE);
    writeFileSync(
      join(project, "users.yaml"),
      "owner: platform\nusers:\n  - userName: alice\n  - userName: bob\n",
    );
    emulator = await startEmulator({
      port: 0,
      accessKeys: [{ accessKeyId: "LTAIconsumer", accessKeySecret: AK_SECRET }],
    });
  }, 600_000);
  afterAll(async () => {
    host?.stop();
    await emulator?.close();
  });

  describe.each(Object.keys(CONFIGS))("the README's program under %s", (name) => {
    it("type-checks without skipLibCheck", async () => {
      const file = join(project, `tsconfig.${name.replace(/\W+/g, "-")}.json`);
      writeFileSync(
        file,
        JSON.stringify({ compilerOptions: CONFIGS[name], files: ["index.ts", "extras.ts"] }),
      );
      const run = await sh(join(project, "node_modules", ".bin", "tsc"), ["-p", file], {
        cwd: project,
        env: process.env,
      });
      expect([run.code, run.out]).toEqual([0, ""]);
    }, 120_000);
  });

  it("registers what a user expects: a unique appName, secrets kept secret, options merged, no path", async () => {
    // The last compile above (bundler) wrote ES modules; the older template's CommonJS runs.
    const file = join(project, "tsconfig.run.json");
    writeFileSync(
      file,
      JSON.stringify({
        compilerOptions: CONFIGS["Pulumi until 2026-03 (node10)"],
        files: ["index.ts", "extras.ts"],
      }),
    );
    ok(
      await sh(join(project, "node_modules", ".bin", "tsc"), ["-p", file], {
        cwd: project,
        env: process.env,
      }),
      "tsc",
    );
    ok(await sh(process.execPath, ["capture.js"], { cwd: project, env: process.env }), "capture");
    registrations = JSON.parse(
      readFileSync(join(project, "registrations.json"), "utf8"),
    ) as Registration[];
    const byName = (n: string) => registrations.find((r) => r.name === n) as Registration;
    for (const r of registrations.filter((r) => "__provider" in r.object))
      provider[r.type.split(":").pop() as string] = r.object.__provider as string;
    expect(Object.keys(provider).sort()).toEqual([
      "RamAppSecret",
      "RamOAuthApplication",
      "RamScimGrant",
      "RamScimUserSet",
    ]);
    for (const text of Object.values(provider)) {
      expect(text).toContain('"alicloud-ram-scim/pulumi-runtime"');
      expect(text).not.toContain(project);
      expect(text).not.toContain(REPO);
      expect(text).not.toMatch(/["'`]\/(tmp|home|root|work|Users)\//);
    }
    // Two stacks in one account never share an application by default.
    expect(byName("scim-app").object.appName).toBe("scim-consumer-dev");
    // A plain clientSecret is a secret in the state's inputs all the same.
    expect(byName("plain").object.clientSecret).toEqual({
      "4dabf18193072939515e22adb298388d": SECRET_SIG,
      value: "plain-client-secret-VALUE",
    });
    // The caller's options are kept, ours added.
    expect(byName("plain").additionalSecretOutputs.sort()).toEqual(["clientSecret", "lastLeavers"]);
    expect(byName("mine")).toMatchObject({ deleteBeforeReplace: true });
    expect(byName("mine").additionalSecretOutputs.sort()).toEqual(["clientSecret", "createDate"]);
  }, 120_000);

  it("a linked install (npm link, file:, workspaces) serializes no path either, and runs", async () => {
    // A checkout of the package outside any node_modules, linked into a project, as `npm link`
    // makes it: Node loads the package from the checkout's real path.
    const checkout = scratch("ram-scim-checkout-");
    ok(
      await sh("tar", ["xzf", pack(), "-C", checkout], { cwd: checkout, env: process.env }),
      "tar",
    );
    const pkg = join(checkout, "package");
    symlinkSync(join(project, "node_modules"), join(pkg, "node_modules"), "dir");
    const linked = scratch("ram-scim-linked-");
    mkdirSync(join(linked, "node_modules"));
    symlinkSync(pkg, join(linked, "node_modules", "alicloud-ram-scim"), "dir");
    symlinkSync(
      join(project, "node_modules", "@pulumi"),
      join(linked, "node_modules", "@pulumi"),
      "dir",
    );
    cpSync(join(project, "bin"), join(linked, "bin"), { recursive: true });
    for (const f of ["capture.js", "users.yaml"]) cpSync(join(project, f), join(linked, f));
    ok(await sh(process.execPath, ["capture.js"], { cwd: linked, env: process.env }), "capture");
    const seen = JSON.parse(
      readFileSync(join(linked, "registrations.json"), "utf8"),
    ) as Registration[];
    const userSet = seen.find((r) => r.type.endsWith(":RamScimUserSet"))?.object
      .__provider as string;
    expect(userSet).toContain('"alicloud-ram-scim/pulumi-runtime"');
    for (const dir of [checkout, linked, project])
      expect(seen.map((r) => r.object.__provider ?? "").join("\n")).not.toContain(dir);

    const linkedHost = await startHost(linked);
    try {
      const news = {
        __provider: userSet,
        userSet: { owner: "linked", users: [{ userName: "lin" }] },
        clientId: emulator.client.clientId,
        clientSecret: emulator.client.clientSecret,
        scimUrl: emulator.scimUrl,
        tokenUrl: emulator.tokenUrl,
        deleteUsersOnDestroy: true,
      };
      const checked = await linkedHost.check(urn("RamScimUserSet", "linked"), {}, news);
      const made = await linkedHost.create(urn("RamScimUserSet", "linked"), checked.inputs);
      expect(emulator.directory.findByUserName("lin")?.externalId).toBe("linked:lin");
      await linkedHost.delete(urn("RamScimUserSet", "linked"), made.id, made.properties);
      expect(emulator.directory.findByUserName("lin")).toBeUndefined();
    } finally {
      linkedHost.stop();
    }
  }, 120_000);

  describe("driven through the project's own provider host", () => {
    let appId: string;
    let clientSecret: string;
    let scim: Props;
    const ims = () => ({ imsEndpoint: emulator.url });

    beforeAll(async () => {
      expect(provider.RamScimUserSet).toBeDefined();
      host = await startHost(project);
      const appNews = {
        __provider: provider.RamOAuthApplication,
        appName: "consumer-app",
        displayName: "SCIM",
        ...ims(),
      };
      const app = await host.create(
        urn("RamOAuthApplication", "app"),
        (await host.check(urn("RamOAuthApplication", "app"), {}, appNews)).inputs,
      );
      appId = app.id;
      await host.create(urn("RamScimGrant", "grant"), {
        __provider: provider.RamScimGrant,
        appId,
        ...ims(),
      });
      const secret = await host.create(urn("RamAppSecret", "secret"), {
        __provider: provider.RamAppSecret,
        appId,
        ...ims(),
      });
      clientSecret = secret.properties.clientSecret as string;
      scim = {
        clientId: appId,
        clientSecret,
        scimUrl: emulator.scimUrl,
        tokenUrl: emulator.tokenUrl,
      };
    }, 60_000);

    it("an owner change is an in-place update: same RAM ids, externalIds moved, nothing replaced", async () => {
      const users = [
        { userName: "ann", key: "a" },
        { userName: "ben", key: "b" },
        { userName: "cat", key: "c" },
      ];
      const olds = {
        __provider: provider.RamScimUserSet,
        userSet: { owner: "old-team", users },
        ...scim,
      };
      const made = await host.create(
        urn("RamScimUserSet", "team"),
        (await host.check(urn("RamScimUserSet", "team"), {}, olds)).inputs,
      );
      const idsBefore = emulator.directory
        .all()
        .filter((u) => u.externalId?.startsWith("old-team:"))
        .map((u) => u.id)
        .sort();
      expect(idsBefore).toHaveLength(3);

      const news = { ...olds, userSet: { owner: "new-team", users } };
      const checked = await host.check(urn("RamScimUserSet", "team"), olds, news);
      expect(checked.inputs.pendingChanges).toBe(
        'owner "old-team" -> "new-team": 3 users move in place; ~3 (ann, ben, cat)',
      );
      const d = await host.diff(
        urn("RamScimUserSet", "team"),
        made.id,
        made.properties,
        checked.inputs,
        olds,
      );
      expect(d).toMatchObject({ changes: DIFF.SOME, replaces: [], deleteBeforeReplace: false });
      const updated = await host.update(
        urn("RamScimUserSet", "team"),
        made.id,
        made.properties,
        checked.inputs,
        olds,
      );
      expect(updated).toMatchObject({ owner: "new-team", pendingChanges: "", managedUsers: 3 });
      const moved = emulator.directory.all().filter((u) => u.externalId?.startsWith("new-team:"));
      expect(moved.map((u) => u.id).sort()).toEqual(idsBefore);
      expect(moved.map((u) => u.externalId).sort()).toEqual([
        "new-team:a",
        "new-team:b",
        "new-team:c",
      ]);
    });

    it("an unknown userSet (an Output not resolved yet) previews as an update, not a replacement", async () => {
      const news = { __provider: provider.RamScimUserSet, userSet: UNKNOWN, ...scim };
      const checked = await host.check(urn("RamScimUserSet", "team"), {}, news);
      const d = await host.diff(
        urn("RamScimUserSet", "team"),
        "owner:new-team",
        { owner: "new-team", userSet: { owner: "new-team", users: [] } },
        checked.inputs,
      );
      expect(d).toMatchObject({ changes: DIFF.SOME, replaces: [] });
    });

    it("pulumi import cannot reach a dynamic provider; adoption on create can, and shows in the preview", async () => {
      // What the engine sends on import: Read with the id and no inputs, so no __provider.
      await expect(
        host.read(urn("RamOAuthApplication", "imported"), appId, {}, {}),
      ).rejects.toThrow(/code must be a string, not undefined/);
      const news = {
        __provider: provider.RamOAuthApplication,
        appName: "consumer-app",
        displayName: "SCIM sync",
        ...ims(),
      };
      const clash = await host.check(urn("RamOAuthApplication", "again"), {}, news);
      expect(clash.failures).toEqual([
        {
          property: "appName",
          reason: match.stringContaining(`already exists in this account (AppId ${appId})`),
        },
      ]);
      const byName = await host.check(
        urn("RamOAuthApplication", "again"),
        {},
        { ...news, adoptExisting: true },
      );
      expect(byName.failures).toEqual([]);
      expect(byName.inputs.adoption).toBe(
        `adopts AppId ${appId} ("consumer-app"): displayName -> "SCIM sync"`,
      );
      const adopted = await host.create(urn("RamOAuthApplication", "again"), byName.inputs);
      expect(adopted.id).toBe(appId);
      expect(adopted.properties).toMatchObject({ displayName: "SCIM sync" });
      expect(adopted.properties).not.toHaveProperty("adoption");
      const byId = await host.check(
        urn("RamOAuthApplication", "byid"),
        {},
        { ...news, appName: "other", adoptAppId: appId },
      );
      expect(byId.failures).toEqual([
        {
          property: "appName",
          reason: match.stringContaining('set appName: "consumer-app" to adopt it'),
        },
      ]);

      // A user set whose owner already manages people: refused unless adopted.
      const set = {
        __provider: provider.RamScimUserSet,
        userSet: { owner: "new-team", users: [{ userName: "ann", key: "a" }] },
        ...scim,
      };
      expect((await host.check(urn("RamScimUserSet", "copy"), {}, set)).failures).toEqual([
        {
          property: "adoptExisting",
          reason: match.stringContaining('owner "new-team" already manages 3 users in RAM'),
        },
      ]);
      const adopting = await host.check(
        urn("RamScimUserSet", "copy"),
        {},
        { ...set, adoptExisting: true, maxDeletes: 5 },
      );
      expect(adopting.inputs.pendingChanges).toBe(
        'adopts the 3 users owner "new-team" already manages; -2 (ben, cat)',
      );
    });

    it("reads RAM once per preview (⌈N/page⌉ + 1 requests), and the update uses that read", async () => {
      emulator.seedUsers(Array.from({ length: 250 }, (_, i) => ({ userName: `other${i}` })));
      const news = {
        __provider: provider.RamScimUserSet,
        userSet: { owner: "counted", users: [{ userName: "dora" }, { userName: "eve" }] },
        ...scim,
      };
      const made = await host.create(
        urn("RamScimUserSet", "counted"),
        (await host.check(urn("RamScimUserSet", "counted"), {}, news)).inputs,
      );
      const total = emulator.directory.all().length;
      const edited = {
        ...news,
        userSet: {
          owner: "counted",
          users: [{ userName: "dora", displayName: "Dora" }, { userName: "eve" }],
        },
      };

      emulator.resetCounters();
      const checked = await host.check(urn("RamScimUserSet", "counted"), news, edited);
      await host.diff(
        urn("RamScimUserSet", "counted"),
        made.id,
        made.properties,
        checked.inputs,
        news,
      );
      const preview = emulator.counters();
      expect(preview.byRoute).toEqual({
        "POST /v1/token": 1,
        "GET /Users": Math.ceil(total / 100),
      });

      emulator.resetCounters();
      await host.update(
        urn("RamScimUserSet", "counted"),
        made.id,
        made.properties,
        checked.inputs,
        news,
      );
      expect(emulator.counters().byRoute).toEqual({ "PUT /Users/{id}": 1 });
    });

    it("plans again, and says so, when RAM changed between the preview and the update", async () => {
      const news = {
        __provider: provider.RamScimUserSet,
        userSet: {
          owner: "counted",
          users: [
            { userName: "dora", displayName: "Dora" },
            { userName: "eve", displayName: "Eve" },
          ],
        },
        ...scim,
      };
      const state = (
        await host.read(urn("RamScimUserSet", "counted"), "owner:counted", {
          ...news,
          owner: "counted",
          userSet: news.userSet,
        })
      ).properties;
      const checked = await host.check(urn("RamScimUserSet", "counted"), state, news);
      expect(checked.inputs.pendingChanges).toBe("~1 (eve)");
      // Someone deletes eve in the console before the update runs.
      const direct = new ScimClient({ env: {}, ...(scim as object) });
      const eve = await direct.findUser({ externalId: "counted:eve" });
      await direct.deleteUser(eve!.id);
      const updated = await host.update(
        urn("RamScimUserSet", "counted"),
        "owner:counted",
        state,
        checked.inputs,
      );
      expect(updated).toMatchObject({ pendingChanges: "", managedUsers: 2 });
      expect(host.output.join("\n")).toContain("RAM changed since the preview read it");
      expect(await direct.findUser({ externalId: "counted:eve" })).toMatchObject({
        displayName: "Eve",
      });
    });

    it("refresh and destroy work after the project moves to another folder", async () => {
      const news = {
        __provider: provider.RamScimUserSet,
        userSet: { owner: "mover", users: [{ userName: "mo" }] },
        ...scim,
        deleteUsersOnDestroy: true,
      };
      const made = await host.create(
        urn("RamScimUserSet", "mover"),
        (await host.check(urn("RamScimUserSet", "mover"), {}, news)).inputs,
      );
      host.stop();
      const moved = `${project}-moved`;
      renameSync(project, moved);
      project = moved;
      host = await startHost(moved);
      // The engine sends the state as it was written, provider text included.
      const refreshed = await host.read(urn("RamScimUserSet", "mover"), made.id, made.properties);
      expect(refreshed.properties).toMatchObject({ pendingChanges: "", managedUsers: 1 });
      await host.delete(urn("RamScimUserSet", "mover"), made.id, made.properties);
      expect(emulator.directory.findByUserName("mo")).toBeUndefined();
    });

    it("never shows the application secret in what the host prints", () => {
      expect(host.output.join("\n")).not.toContain(clientSecret);
    });
  });
});
