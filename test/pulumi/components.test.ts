import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { RamScimUserSyncArgs } from "../../lib/pulumi";

/** What each registered resource received (its inputs: the resource's input properties), by name. */
const registered = new Map<
  string,
  Omit<pulumi.runtime.MockResourceArgs, "inputs"> & { inputs: Record<string, unknown> }
>();

// setMocks is async in signature only: the mocks are in place when it returns (runtime/mocks.js).
void pulumi.runtime.setMocks(
  {
    newResource(args) {
      const inputs = args.inputs as Record<string, unknown>;
      if (args.custom !== false) registered.set(args.name, args);
      const extra: Record<string, unknown> = {};
      if (args.type.endsWith(":RamOAuthApplication")) extra.appId = "4000000000000000001";
      if (args.type.endsWith(":RamAppSecret"))
        Object.assign(extra, { appSecretId: "sec-1", clientSecret: "mock-Secret-Value" });
      if (args.type.endsWith(":RamScimUserSet"))
        Object.assign(extra, { pendingChanges: "", managedUsers: 2, destroyBehavior: "keeps" });
      return { id: `${args.name}-id`, state: { ...inputs, ...extra } };
    },
    call: (args) => args.inputs as Record<string, unknown>,
  },
  "ram-scim-test",
  "dev",
  false,
);

// Imported after setMocks, as Pulumi's testing guide does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require("../../lib/pulumi") as typeof import("../../lib/pulumi");

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
const secretness = (o: pulumi.Output<unknown>) =>
  (o as unknown as { isSecret: Promise<boolean> }).isSecret;

describe("Pulumi components (runtime mocks)", () => {
  it("RamScimApplication makes application, grant and secret as its children, and keeps the secret secret", async () => {
    const app = new lib.RamScimApplication("scim", {
      displayName: "SCIM sync",
      accessTokenValidity: 3600,
      imsEndpoint: "http://127.0.0.1:1",
    });
    expect(await value(app.clientId)).toBe("4000000000000000001");
    expect(await value(app.clientSecret)).toBe("mock-Secret-Value");
    expect(await secretness(app.clientSecret)).toBe(true);
    expect(await secretness(app.appId)).toBe(false);
    expect(await value(app.secret.urn)).toContain(
      "alicloud-ram-scim:index:RamScimApplication$pulumi-nodejs:dynamic/alicloud-ram-scim:RamAppSecret::scim-secret",
    );
    expect(registered.get("scim-app")?.inputs).toMatchObject({
      // Unique per stack by default: two stacks in one account never share an application.
      appName: "scim-ram-scim-test-dev",
      displayName: "SCIM sync",
      accessTokenValidity: 3600,
    });
    expect(registered.get("scim-grant")?.inputs).toMatchObject({ appId: "4000000000000000001" });
    expect(registered.get("scim-secret")?.inputs).toMatchObject({ appId: "4000000000000000001" });
    expect(typeof registered.get("scim-app")?.inputs.__provider).toBe("string");
  });

  it("RamScimUserSync takes the application's credentials, the secret as a secret, and the users from a file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pulumi-users-"));
    const file = join(dir, "users.yaml");
    writeFileSync(
      file,
      "owner: platform\nusers:\n  - userName: alice@acme.onaliyun.com\n    key: e1\n  - userName: bob\n",
    );
    const app = new lib.RamScimApplication("app2", { displayName: "App 2" });
    const sync = new lib.RamScimUserSync("staff", {
      application: app,
      users: lib.UserSet.fromFile(file),
      maxDeletes: "30%",
    });
    expect(await value(sync.managedUsers)).toBe(2);
    expect(await value(sync.userSet.urn)).toContain(
      "RamScimUserSync$pulumi-nodejs:dynamic/alicloud-ram-scim:RamScimUserSet::staff",
    );
    const inputs = registered.get("staff")?.inputs;
    expect(inputs).toMatchObject({
      clientId: "4000000000000000001",
      maxDeletes: "30%",
      userSet: {
        owner: "platform",
        users: [
          { userName: "alice", key: "e1" },
          { userName: "bob", key: "bob" },
        ],
        protected: [],
        adopt: [],
      },
    });
    expect(
      await secretness(
        (sync.userSet as unknown as { clientSecret: pulumi.Output<string> }).clientSecret,
      ),
    ).toBe(true);
  });

  it("takes an application made elsewhere by its client credentials, the secret kept secret", async () => {
    const sync = new lib.RamScimUserSync("console", {
      application: lib.RamScimApplication.fromClientCredentials(
        "4071000000000000001",
        "made-in-console-1234",
      ),
      users: lib.UserSet.define({ owner: "c", users: [{ userName: "a" }] }),
    });
    expect(await value(sync.managedUsers)).toBe(2);
    expect(registered.get("console")?.inputs).toMatchObject({ clientId: "4071000000000000001" });
    expect(
      await secretness(
        (sync.userSet as unknown as { clientSecret: pulumi.Output<string> }).clientSecret,
      ),
    ).toBe(true);
  });

  it("RamScimProvisioning bundles both for the one-liner", async () => {
    const all = new lib.RamScimProvisioning("one", {
      displayName: "One",
      users: lib.UserSet.define({ owner: "t", users: [{ userName: "a" }] }),
    });
    expect(await value(all.application.clientId)).toBe("4000000000000000001");
    expect(await value(all.sync.managedUsers)).toBe(2);
    expect(registered.get("one")?.inputs.userSet).toMatchObject({ owner: "t" });
  });

  it("says what is missing, and rejects a bad users file with positions before anything is registered", () => {
    // A program in plain JavaScript can leave the application out: it is told what to give.
    const withoutApplication = {
      users: lib.UserSet.define({ owner: "t", users: [{ userName: "a" }] }),
    } as unknown as RamScimUserSyncArgs;
    expect(() => new lib.RamScimUserSync("lost", withoutApplication)).toThrow(
      'RamScimUserSync "lost": give application: a RamScimApplication, or RamScimApplication.fromClientCredentials(clientId, clientSecret)',
    );
    const dir = mkdtempSync(join(tmpdir(), "pulumi-users-"));
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "owner: t\nusers:\n  - userName: a\n    mobile: '1'\n");
    expect(() => lib.UserSet.fromFile(file)).toThrow(`${file}:4:5: users[0].mobile`);
  });
});
