import { join } from "node:path";
import type { RamEmulator } from "../../lib/emulator";
import {
  applicationProvider,
  grantProvider,
  secretProvider,
  userSetProvider,
} from "../../lib/pulumi/providers";
import { ScimClient } from "../../lib";
import { withEmulator } from "../helpers/emulator";
import {
  DIFF,
  initFailure,
  ProviderHost,
  serializedProvider,
  UNKNOWN,
  urn,
} from "../helpers/provider-host";
import { match } from "../helpers/match";

const AK_SECRET = "pulumi-ak-Secret-0000";

describe("dynamic providers in Pulumi's own provider host, against the emulator", () => {
  let emulator: RamEmulator;
  let host: ProviderHost;
  const providers: Record<string, string> = {};

  beforeAll(async () => {
    emulator = await withEmulator({
      accessKeys: [{ accessKeyId: "LTAIpulumi", accessKeySecret: AK_SECRET }],
    });
    host = await ProviderHost.start({ ALICLOUD_ACCESS_KEY: "", ALIBABA_CLOUD_ACCESS_KEY_ID: "" });
    // Credentials arrive the Pulumi way: the stack's alicloud:* config, at run time.
    await host.configure({
      "alicloud:accessKey": "LTAIpulumi",
      "alicloud:secretKey": AK_SECRET,
      "alicloud:region": "cn-hangzhou",
    });
    providers.application = await serializedProvider(applicationProvider);
    providers.grant = await serializedProvider(grantProvider);
    providers.secret = await serializedProvider(secretProvider);
    providers.userSet = await serializedProvider(userSetProvider);
  }, 60_000);
  afterAll(async () => {
    host?.stop();
    await emulator?.close();
  });

  /** An application with its grant and a secret, made through the host as a program would. */
  async function oauthApp(name: string, appName: string) {
    const ims = { imsEndpoint: emulator.url };
    const app = await host.create(urn("RamOAuthApplication", name), {
      __provider: providers.application,
      appName,
      displayName: appName.slice(0, 24),
      ...ims,
    });
    await host.create(urn("RamScimGrant", name), {
      __provider: providers.grant,
      appId: app.id,
      ...ims,
    });
    const secret = await host.create(urn("RamAppSecret", name), {
      __provider: providers.secret,
      appId: app.id,
      ...ims,
    });
    // What a user set takes to reach SCIM with this application.
    const scim = {
      clientId: app.id,
      clientSecret: secret.properties.clientSecret,
      scimUrl: emulator.scimUrl,
      tokenUrl: emulator.tokenUrl,
    };
    return { app, secret, scim };
  }

  it("serializes providers without credentials, secrets or test state in them", () => {
    for (const text of Object.values(providers)) {
      expect(text).not.toContain(AK_SECRET);
      expect(text).not.toContain(emulator.url);
      expect(text).toContain("require(runtime)");
      // This repository is used as `npm link` would install it: still no path of this machine.
      expect(text).toContain('"alicloud-ram-scim/pulumi-runtime"');
      expect(text).not.toContain(join(__dirname, "..", ".."));
    }
  });

  // One application through its life; each step starts from the state the one before left
  // (the AppName is unique in RAM, and the user counts below are the whole directory's).
  describe("an application, its grant and secret, and a user set through their life", () => {
    type Resource = { id: string; properties: Record<string, unknown> };
    type Inputs = Record<string, unknown>;
    type Scim = { clientId: string; clientSecret: string; scimUrl: string; tokenUrl: string };
    const ims = () => ({ imsEndpoint: emulator.url });
    let appNews: Inputs;
    let app: Resource;
    let updatedApp: Inputs;
    let grant: Resource;
    let secretNews: Inputs;
    let secret: Resource;
    let scim: Scim;
    let setNews: Inputs & Scim;
    let created: Resource;
    let direct: ScimClient;
    let converged: Inputs;
    let withNew: Inputs & Scim;
    let switched: Inputs;

    it("creates the application; a display-name change is an update, an AppName change a replacement", async () => {
      appNews = {
        __provider: providers.application,
        appName: "scim-sync",
        displayName: "SCIM sync",
        accessTokenValidity: 1800,
        ...ims(),
      };
      const appChecked = await host.check(urn("RamOAuthApplication", "app"), {}, appNews);
      expect(appChecked.failures).toEqual([]);
      app = await host.create(urn("RamOAuthApplication", "app"), appChecked.inputs);
      expect(app.id).toMatch(/^\d{19}$/);
      expect(app.properties).toMatchObject({
        appId: app.id,
        appType: "ServerApp",
        accessTokenValidity: 1800,
        scopes: ["/acs/scim"],
      });

      // A display-name change is an update; an AppName change a replacement, new one first.
      const renamed = await host.diff(urn("RamOAuthApplication", "app"), app.id, app.properties, {
        ...appNews,
        displayName: "SCIM",
      });
      expect(renamed).toMatchObject({ changes: DIFF.SOME, replaces: [] });
      expect(
        await host.diff(urn("RamOAuthApplication", "app"), app.id, app.properties, {
          ...appNews,
          appName: "other",
        }),
      ).toMatchObject({
        changes: DIFF.SOME,
        replaces: ["appName"],
        deleteBeforeReplace: false,
      });
      updatedApp = await host.update(urn("RamOAuthApplication", "app"), app.id, app.properties, {
        ...appNews,
        displayName: "SCIM",
      });
      expect(updatedApp.displayName).toBe("SCIM");
      expect(
        await host.diff(urn("RamOAuthApplication", "app"), app.id, updatedApp, {
          ...appNews,
          displayName: "SCIM",
        }),
      ).toMatchObject({ changes: DIFF.NONE });
    });

    it("diffs the application's scopes by core's drift rule, and imports it by AppId", async () => {
      const news = { ...appNews, displayName: "SCIM" };
      // The drift rule is core's: a scope RAM holds as optional (refresh recorded it) is drift;
      // a state written before required scopes were recorded is not.
      expect(updatedApp.requiredScopes).toEqual(["/acs/scim"]);
      expect(
        await host.diff(
          urn("RamOAuthApplication", "app"),
          app.id,
          { ...updatedApp, requiredScopes: [] },
          news,
        ),
      ).toMatchObject({ changes: DIFF.SOME, replaces: [] });
      const { requiredScopes: _recorded, ...olderState } = updatedApp;
      expect(
        await host.diff(urn("RamOAuthApplication", "app"), app.id, olderState, news),
      ).toMatchObject({ changes: DIFF.NONE });

      // Import of an existing application by AppId.
      const importProps = { __provider: providers.application, ...ims() };
      const imported = await host.read(
        urn("RamOAuthApplication", "imported"),
        app.id,
        importProps,
        importProps,
      );
      expect(imported).toMatchObject({
        id: app.id,
        properties: { appName: "scim-sync", displayName: "SCIM" },
      });
    });

    it("grants SCIM, and makes a secret that only RamAppSecret holds", async () => {
      grant = await host.create(urn("RamScimGrant", "grant"), {
        __provider: providers.grant,
        appId: app.id,
        ...ims(),
      });
      expect(grant.properties).toMatchObject({ scopes: ["/acs/scim"] });
      secretNews = { __provider: providers.secret, appId: app.id, rotation: "1", ...ims() };
      secret = await host.create(urn("RamAppSecret", "secret"), secretNews);
      const clientSecret = secret.properties.clientSecret as string;
      expect(clientSecret.length).toBeGreaterThan(20);
      // Only RamAppSecret.clientSecret (and the user set's clientSecret input) hold it, both marked secret.
      for (const props of [app.properties, updatedApp, grant.properties])
        expect(JSON.stringify(props)).not.toContain(clientSecret);
    });

    it("previews a user set, takes over an owner's people only when asked, creates it, and then finds nothing to do", async () => {
      // What a user set takes to reach SCIM with this application.
      scim = {
        clientId: app.id,
        clientSecret: secret.properties.clientSecret as string,
        scimUrl: emulator.scimUrl,
        tokenUrl: emulator.tokenUrl,
      };
      emulator.seedUsers([
        { userName: "leaver", externalId: "platform:gone" },
        { userName: "console.admin" },
      ]);
      const userSet = {
        owner: "platform",
        users: [
          { userName: "alice", displayName: "Alice", key: "e1" },
          { userName: "bob", displayName: "Bob", key: "e2" },
        ],
      };
      // RAM holds a person of this owner already: a create takes them over only when asked.
      const refused = await host.check(
        urn("RamScimUserSet", "staff"),
        {},
        { __provider: providers.userSet, userSet, ...scim },
      );
      expect(refused.failures).toEqual([
        {
          property: "adoptExisting",
          reason: match.stringContaining('owner "platform" already manages 1 user in RAM'),
        },
      ]);
      // The preview (check) shows what would happen before anything is done.
      setNews = { __provider: providers.userSet, userSet, ...scim, adoptExisting: true };
      const preview = await host.check(urn("RamScimUserSet", "staff"), {}, setNews);
      expect(preview.inputs.pendingChanges).toBe(
        'adopts the 1 user owner "platform" already manages; +2 -1 (leaver, alice, bob)',
      );
      created = await host.create(urn("RamScimUserSet", "staff"), preview.inputs);
      expect(created.properties).toMatchObject({
        owner: "platform",
        pendingChanges: "",
        managedUsers: 2,
      });
      expect(created.properties.destroyBehavior).toContain("leaves the 2 managed users in RAM");

      // The next up finds nothing to do.
      const quiet = await host.check(urn("RamScimUserSet", "staff"), created.properties, setNews);
      expect(quiet.inputs.pendingChanges).toBe("");
      expect(
        await host.diff(
          urn("RamScimUserSet", "staff"),
          created.id,
          created.properties,
          quiet.inputs,
        ),
      ).toMatchObject({ changes: DIFF.NONE });
    });

    it("sees RAM drift with no input changed, converges, and records it on refresh", async () => {
      direct = new ScimClient({ env: {}, ...scim });
      const alice = await direct.findUser({ externalId: "platform:e1" });
      await direct.replaceUser(alice!.id, {
        userName: "alice",
        displayName: "Changed by hand",
        externalId: "platform:e1",
      });
      const drifted = await host.check(urn("RamScimUserSet", "staff"), created.properties, setNews);
      expect(drifted.inputs.pendingChanges).toBe("~1 (alice)");
      expect(
        // The engine diffs the checked inputs: check's read is the one the diff uses.
        await host.diff(
          urn("RamScimUserSet", "staff"),
          created.id,
          created.properties,
          drifted.inputs,
        ),
      ).toMatchObject({ changes: DIFF.SOME, replaces: [] });
      converged = await host.update(
        urn("RamScimUserSet", "staff"),
        created.id,
        created.properties,
        drifted.inputs,
      );
      expect(converged.pendingChanges).toBe("");
      expect((await direct.getUser(alice!.id)).displayName).toBe("Alice");

      // Refresh records what RAM needs now.
      const refreshed = await host.read(urn("RamScimUserSet", "staff"), created.id, converged);
      expect(refreshed.properties).toMatchObject({ pendingChanges: "", managedUsers: 2 });
    });

    it("rotates the secret new one first: tokens keep working, then the old secret is refused", async () => {
      const rotate = await host.diff(urn("RamAppSecret", "secret"), secret.id, secret.properties, {
        ...secretNews,
        rotation: "2",
      });
      expect(rotate).toMatchObject({
        changes: DIFF.SOME,
        replaces: ["rotation"],
        deleteBeforeReplace: false,
      });
      const next = await host.create(urn("RamAppSecret", "secret"), {
        ...secretNews,
        rotation: "2",
      });
      withNew = { ...setNews, clientSecret: next.properties.clientSecret as string };
      await expect(direct.countUsers()).resolves.toBeGreaterThan(0); // old secret still works
      switched = await host.update(urn("RamScimUserSet", "staff"), created.id, converged, withNew);
      expect(switched.pendingChanges).toBe("");
      await host.delete(urn("RamAppSecret", "secret"), secret.id, secret.properties);
      const oldRefused = await new ScimClient({ env: {}, ...scim })
        .countUsers()
        .catch((e: unknown) => e);
      expect(oldRefused).toMatchObject({ status: 401 });
      await expect(
        new ScimClient({ env: {}, ...scim, clientSecret: withNew.clientSecret }).countUsers(),
      ).resolves.toBe(3);
    });

    it("keeps people on destroy unless asked; revoking the grant and deleting the application end it", async () => {
      await host.delete(urn("RamScimUserSet", "staff"), created.id, switched);
      const fresh = new ScimClient({ env: {}, ...scim, clientSecret: withNew.clientSecret });
      expect((await fresh.listUsers()).map((u) => u.userName).sort()).toEqual([
        "alice",
        "bob",
        "console.admin",
      ]);
      await host.delete(urn("RamScimUserSet", "staff"), created.id, {
        ...switched,
        deleteUsersOnDestroy: true,
      });
      expect((await fresh.listUsers()).map((u) => u.userName)).toEqual(["console.admin"]);

      // Revoking the grant stops the application's tokens; deleting the application ends it.
      await host.delete(urn("RamScimGrant", "grant"), grant.id, grant.properties);
      await expect(fresh.countUsers()).rejects.toMatchObject({ status: 400 });
      await host.delete(urn("RamOAuthApplication", "app"), app.id, updatedApp);
      expect(emulator.applications.all().map((a) => a.AppId)).not.toContain(app.id);
      // A refresh of what is gone says so with an empty id.
      expect((await host.read(urn("RamOAuthApplication", "app"), app.id, updatedApp)).id).toBe("");
    });
  });

  it("passes managedGroups and forceDelete through: the joiner joins its group, the leaver is cleared", async () => {
    const ims = { imsEndpoint: emulator.url };
    emulator.userAdmin.addGroup("developers");
    emulator.seedUsers([
      {
        userName: "gone",
        externalId: "groups:gone",
        blockers: { accessKeys: ["LTAIgone"], groups: ["developers"] },
      },
    ]);
    const { scim } = await oauthApp("groups", "grouped");
    const news = {
      __provider: providers.userSet,
      userSet: {
        owner: "groups",
        managedGroups: ["developers"],
        forceDelete: true,
        users: [{ userName: "erin", groups: ["developers"] }],
      },
      ...scim,
      adoptExisting: true,
      ...ims,
    };
    const checked = await host.check(urn("RamScimUserSet", "groups"), {}, news);
    expect(checked.inputs.pendingChanges).toBe(
      'adopts the 1 user owner "groups" already manages; +1 -1 groups:2 cleared:1 (gone, erin)',
    );
    const made = await host.create(urn("RamScimUserSet", "groups"), checked.inputs);
    expect(made.properties.lastLeavers).toEqual([
      { userName: "gone", removedAt: match.stringMatching(/Z$/) },
    ]);
    expect(emulator.directory.findByUserName("erin")?.blockers.groups).toEqual(["developers"]);
    expect(emulator.directory.findByUserName("gone")).toBeUndefined();
  });

  it("reports invalid input from check, naming the property", async () => {
    const bad = await host.check(
      urn("RamScimUserSet", "bad"),
      {},
      {
        __provider: providers.userSet,
        userSet: { owner: "platform", users: [{ userName: "has space", email: "x@example.com" }] },
        clientId: "1",
        clientSecret: "x",
      },
    );
    expect(bad.failures).toEqual([
      {
        property: "userSet.users[0].email",
        reason: match.stringContaining("RAM's SCIM does not take email addresses"),
      },
      {
        property: "userSet.users[0].userName",
        reason: match.stringContaining("is not a valid RAM user name"),
      },
    ]);
    const app = await host.check(
      urn("RamOAuthApplication", "bad"),
      {},
      {
        __provider: providers.application,
        appName: "ok",
        displayName: "x".repeat(30),
        accessTokenValidity: 10,
      },
    );
    expect(app.failures.map((f) => f.property)).toEqual(["displayName", "accessTokenValidity"]);
  });

  it("previews with unknown credentials: no live read, and a change is assumed", async () => {
    const news = {
      __provider: providers.userSet,
      userSet: { owner: "p", users: [{ userName: "a" }] },
      clientId: UNKNOWN,
      clientSecret: UNKNOWN,
    };
    const checked = await host.check(urn("RamScimUserSet", "preview"), {}, news);
    expect(checked.failures).toEqual([]);
    expect(checked.inputs.pendingChanges).toBeUndefined();
    expect(
      (
        await host.diff(
          urn("RamScimUserSet", "preview"),
          "owner:p",
          { ...news, owner: "p", clientId: "1" },
          news,
        )
      ).changes,
    ).toBe(DIFF.SOME);
  });

  it("fails an update the deletion guard refuses, changing nothing", async () => {
    const { scim } = await oauthApp("guard", "guarded");
    emulator.seedUsers(
      Array.from({ length: 8 }, (_, i) => ({ userName: `g${i}`, externalId: `guard:k${i}` })),
    );
    const news = {
      __provider: providers.userSet,
      userSet: { owner: "guard", users: [{ userName: "g0", key: "k0" }] },
      adoptExisting: true,
      ...scim,
    };
    const checked = await host.check(urn("RamScimUserSet", "guard"), {}, news);
    expect(checked.inputs.pendingChanges).toMatch(
      /^refused: the plan deletes 7 users, more than the limit of 5/,
    );
    await expect(host.create(urn("RamScimUserSet", "guard"), checked.inputs)).rejects.toThrow(
      /raise the limit: maxDeletes 7/,
    );
    expect(emulator.directory.all().filter((u) => u.externalId?.startsWith("guard:"))).toHaveLength(
      8,
    );
  });

  it("keeps the state of a create that failed halfway, so that the next up continues", async () => {
    const ims = { imsEndpoint: emulator.url };
    const { scim } = await oauthApp("partial", "partial");
    // A leaver RAM will not delete (an AccessKey, no forceDelete), and a joiner.
    emulator.seedUsers([
      { userName: "stuck", externalId: "partial:stuck", blockers: { accessKeys: ["LTAIstuck"] } },
    ]);
    const news = {
      __provider: providers.userSet,
      userSet: { owner: "partial", users: [{ userName: "newbie" }] },
      ...scim,
      adoptExisting: true,
      ...ims,
    };
    const checked = await host.check(urn("RamScimUserSet", "partial"), {}, news);
    const failed = await host.create(urn("RamScimUserSet", "partial"), checked.inputs).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String((failed as Error)?.message)).toContain("RAM refused to delete stuck");
    const recorded = initFailure(failed);
    expect(recorded).toMatchObject({
      id: "owner:partial",
      properties: { owner: "partial", managedUsers: 2 },
    });
    expect(emulator.directory.findByUserName("newbie")).toBeDefined();
    // The engine keeps that state and updates from it: once the blocker is gone, it converges.
    // (Someone deletes its AccessKey in the console.)
    Object.assign(emulator.directory.findByUserName("stuck")!.blockers, { accessKeys: [] });
    const again = await host.check(urn("RamScimUserSet", "partial"), recorded!.properties, news);
    expect(again.inputs.pendingChanges).toBe("-1 (stuck)");
    const done = await host.update(
      urn("RamScimUserSet", "partial"),
      recorded!.id,
      recorded!.properties,
      again.inputs,
    );
    expect(done).toMatchObject({ pendingChanges: "", managedUsers: 1 });
  });

  it("moves people between owners safely: refuses another stack's people, and a failed move runs again", async () => {
    const ims = { imsEndpoint: emulator.url };
    const { scim } = await oauthApp("mv", "mover");
    const base = {
      __provider: providers.userSet,
      ...scim,
      ...ims,
    };
    const users = [{ userName: "mv1" }, { userName: "mv2" }];
    emulator.seedUsers([
      { userName: "mvstuck", externalId: "mv-a:mvstuck", blockers: { accessKeys: ["LTAImv"] } },
      { userName: "theirs", externalId: "mv-x:theirs" },
    ]);
    const olds = { ...base, userSet: { owner: "mv-a", users }, adoptExisting: true };
    const made = await host
      .create(
        urn("RamScimUserSet", "mv"),
        (await host.check(urn("RamScimUserSet", "mv"), {}, olds)).inputs,
      )
      .catch((e: unknown) => initFailure(e) as { id: string; properties: Record<string, unknown> });
    expect(made.properties).toMatchObject({ owner: "mv-a", managedUsers: 3 });

    // Into an owner another stack holds people under: refused, nothing moved.
    const intoTheirs = { ...olds, userSet: { owner: "mv-x", users }, adoptExisting: false };
    const refused = await host.check(urn("RamScimUserSet", "mv"), olds, intoTheirs);
    expect(refused.failures).toEqual([
      {
        property: "adoptExisting",
        reason: match.stringContaining(
          'owner "mv-x" already manages 1 user in RAM that this set does not declare',
        ),
      },
    ]);
    expect(emulator.directory.findByUserName("theirs")?.externalId).toBe("mv-x:theirs");

    // Into a new owner, dropping mvstuck, whom RAM will not delete yet: the move fails halfway
    // and leaves the state as it was (owner mv-a), so that the next run still knows the way.
    const news = { ...olds, userSet: { owner: "mv-b", users }, adoptExisting: false };
    const checked = await host.check(urn("RamScimUserSet", "mv"), olds, news);
    expect(checked.inputs.pendingChanges).toBe(
      'owner "mv-a" -> "mv-b": 3 users move in place; ~2 -1 (mvstuck, mv1, mv2)',
    );
    const failed = await host
      .update(urn("RamScimUserSet", "mv"), made.id, made.properties, checked.inputs, olds)
      .catch((e: unknown) => e);
    expect(String((failed as Error).message)).toContain("RAM refused to delete mvstuck");
    expect(initFailure(failed)).toBeUndefined();
    expect(emulator.directory.findByUserName("mv1")?.externalId).toBe("mv-b:mv1");
    Object.assign(emulator.directory.findByUserName("mvstuck")!.blockers, { accessKeys: [] });
    const again = await host.check(urn("RamScimUserSet", "mv"), olds, news);
    expect(again.failures).toEqual([]);
    expect(again.inputs.pendingChanges).toBe(
      'owner "mv-a" -> "mv-b": 1 user move in place; adopts the 2 users owner "mv-b" already manages; -1 (mvstuck)',
    );
    const done = await host.update(
      urn("RamScimUserSet", "mv"),
      made.id,
      made.properties,
      again.inputs,
      olds,
    );
    expect(done).toMatchObject({ owner: "mv-b", pendingChanges: "", managedUsers: 2 });
    expect(emulator.directory.findByUserName("mvstuck")).toBeUndefined();
  });

  it("keeps what earlier versions made: their appName, and rewrites provider text holding a path", async () => {
    const ims = { imsEndpoint: emulator.url };
    const news = {
      __provider: providers.application,
      appName: "old-default-stack-dev",
      appNameDefault: true,
      displayName: "Kept",
      ...ims,
    };
    // State of an earlier version: the component's name as AppName, a path in the provider.
    const earlier = { appName: "old-default", displayName: "Kept", ...ims };
    const kept = await host.check(urn("RamOAuthApplication", "kept"), earlier, news);
    expect(kept.inputs.appName).toBe("old-default");
    const state = {
      ...earlier,
      __provider: providers.application!.replaceAll(
        '"alicloud-ram-scim/pulumi-runtime"',
        '"/old/checkout/dist/pulumi/runtime/index.js"',
      ),
      appId: "4000000000000000001",
      accessTokenValidity: 3600,
      scopes: ["/acs/scim"],
    };
    expect(
      await host.diff(
        urn("RamOAuthApplication", "kept"),
        "4000000000000000001",
        state,
        kept.inputs,
      ),
    ).toMatchObject({ changes: DIFF.SOME, replaces: [] });
    expect(
      await host.diff(
        urn("RamOAuthApplication", "kept"),
        "4000000000000000001",
        { ...state, __provider: providers.application },
        kept.inputs,
      ),
    ).toMatchObject({ changes: DIFF.NONE });
    // A forced replacement of a grant for the same application revokes first.
    const grant = { __provider: providers.grant, appId: "4000000000000000001" };
    expect(
      await host.diff(urn("RamScimGrant", "kept"), "4000000000000000001", grant, grant),
    ).toMatchObject({
      deleteBeforeReplace: true,
    });
  });
});
