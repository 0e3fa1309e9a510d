import type { RamEmulator, SeedUser } from "../../lib/emulator";
import { apply, defineUserSet, plan, type ScimClient, type UserSetInput } from "../../lib";
import { clientFor, numberedUsers, RawScim, withEmulator } from "../helpers/emulator";

const platform = (users: UserSetInput["users"], extra: Partial<UserSetInput> = {}) =>
  defineUserSet({ owner: "platform", users, ...extra });

async function converge(client: ScimClient, set: ReturnType<typeof platform>) {
  const first = plan(set, await client.listUsers());
  const result = await apply(client, first);
  const second = plan(set, await client.listUsers());
  return { first, result, second };
}

describe("apply against the emulator", () => {
  let emulator: RamEmulator;
  afterEach(() => emulator.close());

  const unmanaged: SeedUser[] = [
    { userName: "console.admin", displayName: "Console Admin" },
    { userName: "ops.bot", displayName: "Ops Bot", externalId: "other:ops.bot" },
    { userName: "idaas.user", externalId: "idaas:0a1b" },
  ];

  it("converges: joiners, a rename, an update, an adoption and a leaver, then an empty plan", async () => {
    let now = Date.now();
    emulator = await withEmulator({
      clock: () => now,
      seedUsers: [
        ...unmanaged,
        { userName: "dan", displayName: "Dan", externalId: "platform:e4" },
        { userName: "carol", displayName: "Carol", externalId: "platform:e3" },
        { userName: "legacy", displayName: "Legacy" },
        { userName: "leaver", externalId: "platform:e9" },
      ],
    });
    const client = clientFor(emulator);
    const scim = new RawScim(emulator);
    const before = await Promise.all(
      ["console.admin", "ops.bot", "idaas.user"].map((n) =>
        scim.send("GET", `/Users?filter=${encodeURIComponent(`userName eq "${n}"`)}`),
      ),
    );
    now += 60_000; // a touched user would get a later lastModified

    const set = platform(
      [
        { userName: "alice", displayName: "Alice", key: "e1" },
        { userName: "dan.chen", displayName: "Dan", key: "e4" },
        { userName: "carol", displayName: "Carol Wu", key: "e3" },
        { userName: "legacy", displayName: "Legacy" },
      ],
      { adopt: ["legacy"] },
    );
    const { first, result, second } = await converge(client, set);
    expect(first.steps.map((s) => s.action)).toEqual([
      "delete",
      "update",
      "adopt",
      "create",
      "update",
    ]);
    expect(result.ok).toBe(true);
    expect(second.steps).toEqual([]);
    expect(second.unchanged).toBe(4);

    const after = await Promise.all(
      ["console.admin", "ops.bot", "idaas.user"].map((n) =>
        scim.send("GET", `/Users?filter=${encodeURIComponent(`userName eq "${n}"`)}`),
      ),
    );
    expect(after.map((a) => a.body)).toEqual(before.map((b) => b.body));
    expect(emulator.counters().byRoute["GET /Users/{id}"]).toBeUndefined();
  });

  it.each([
    ["lower-cases names", { lowercaseUserNames: true }],
    ["answers principal names", { userNameFormat: "principal" as const }],
    ["does both", { lowercaseUserNames: true, userNameFormat: "principal" as const }],
  ])("shows no false drift on a server that %s", async (_case, options) => {
    emulator = await withEmulator(options);
    const client = clientFor(emulator);
    const set = platform([
      { userName: "Alice.Zhang", displayName: "Alice", key: "e1" },
      { userName: "bob@emulator.onaliyun.com", key: "e2" },
    ]);
    const { result, second } = await converge(client, set);
    expect(result.ok).toBe(true);
    expect(second.steps).toEqual([]);
  });

  it("refuses the whole plan past the deletion guard, and changes nothing", async () => {
    emulator = await withEmulator({ seedUsers: numberedUsers(8, "platform") });
    const client = clientFor(emulator);
    const p = plan(
      platform([{ userName: "user00000", key: "user00000" }]),
      await client.listUsers(),
    );
    expect(p.guard).toMatchObject({ deletes: 7, limit: 5, refused: true });
    const result = await apply(client, p);
    expect(result).toMatchObject({
      ok: false,
      outcomes: [],
      refused: [expect.objectContaining({ rule: "deletion-guard" })],
    });
    expect(emulator.counters().byRoute["DELETE /Users/{id}"]).toBeUndefined();
    expect(await client.listUsers()).toHaveLength(8);
  });

  it("reports a leaver RAM will not delete, with the blockers and the fix, and goes on", async () => {
    emulator = await withEmulator({
      seedUsers: [
        {
          userName: "held",
          externalId: "platform:held",
          blockers: { accessKeys: ["LTAIheld"], policies: ["AdministratorAccess"] },
        },
        { userName: "free", externalId: "platform:free" },
      ],
    });
    const client = clientFor(emulator);
    const { result, second } = await converge(client, platform([{ userName: "new", key: "new" }]));
    expect(result.ok).toBe(false);
    const held = result.outcomes.find(
      (o) => o.step.action === "delete" && o.step.current.userName === "held",
    );
    expect(held).toMatchObject({
      status: "failed",
      error: { status: 409, blockers: ["AccessKey", "Policy"] },
    });
    expect(held?.detail).toContain(
      "delete its AccessKeys (ListAccessKeys, DeleteAccessKey); detach its policies",
    );
    expect(result.outcomes.filter((o) => o.status === "done")).toHaveLength(2);
    expect(second.steps.map((s) => s.action)).toEqual(["delete"]);
  });

  it("skips a create that waits for a refused delete of the same name", async () => {
    emulator = await withEmulator({
      seedUsers: [{ userName: "alice", externalId: "platform:old", blockers: { mfaDevice: true } }],
    });
    const client = clientFor(emulator);
    const { result } = await converge(client, platform([{ userName: "alice", key: "new" }]));
    expect(result.outcomes.map((o) => o.status)).toEqual(["failed", "skipped"]);
    expect(result.outcomes[1]?.detail).toContain("waits for delete:");
  });

  it("treats a create answered 409 as done when the user is ours, and a delete answered 404 as done", async () => {
    emulator = await withEmulator({
      seedUsers: [{ userName: "gone", externalId: "platform:gone", id: "20000000000000009" }],
    });
    const client = clientFor(emulator);
    const set = platform([{ userName: "alice", displayName: "Alice", key: "e1" }]);
    const stale = plan(set, await client.listUsers());
    // Another run got there first: it made alice and removed the leaver.
    await client.createUser({ userName: "alice", displayName: "Alice", externalId: "platform:e1" });
    await client.deleteUser("20000000000000009");
    const result = await apply(client, stale);
    expect(result.ok).toBe(true);
    expect(result.outcomes.map((o) => o.detail)).toEqual([
      "already gone from RAM",
      "already existed with externalId platform:e1 (made by another run of this set)",
    ]);
    expect(await client.listUsers()).toHaveLength(1);
  });

  it("fails a create whose name another owner took meanwhile, and says so", async () => {
    emulator = await withEmulator();
    const client = clientFor(emulator);
    const set = platform([{ userName: "alice", key: "e1" }]);
    const stale = plan(set, await client.listUsers());
    await client.createUser({ userName: "alice", externalId: "other:alice" });
    const result = await apply(client, stale);
    expect(result.outcomes[0]).toMatchObject({
      status: "failed",
      error: { status: 409, scimType: "uniqueness" },
    });
  });

  it("converges without duplicates after a run that failed half-way", async () => {
    emulator = await withEmulator({ seedUsers: numberedUsers(30, "platform") });
    const set = platform(
      numberedUsers(60, "x").map((u, i) => ({
        userName: u.userName,
        displayName: i < 30 ? "Renamed" : "New",
        key: u.userName,
      })),
    );
    const fragile = clientFor(emulator, { maxAttempts: 1, writesPerSecond: 1000 });
    await fragile.authenticate();
    emulator.setFaults({ transientErrorRate: 0.3, dropConnectionRate: 0.1, seed: 5 });
    const broken = await apply(
      fragile,
      plan(set, await clientFor(emulator, { maxAttempts: 10 }).listUsers()),
    );
    expect(broken.ok).toBe(false);
    emulator.setFaults({});
    const client = clientFor(emulator);
    const { second } = await converge(client, set);
    expect(second.steps).toEqual([]);
    const users = await client.listUsers();
    expect(users).toHaveLength(60);
    expect(new Set(users.map((u) => u.externalId)).size).toBe(60);
  });

  it("finishes every step under 10 % transient errors with the client's retries", async () => {
    emulator = await withEmulator({
      seedUsers: numberedUsers(40, "platform"),
      faults: { transientErrorRate: 0.1, dropConnectionRate: 0.03, seed: 9 },
    });
    const client = clientFor(emulator, {
      writesPerSecond: 1000,
      readsPerSecond: 1000,
      maxAttempts: 8,
    });
    const set = platform(
      numberedUsers(80, "x")
        .slice(10)
        .map((u) => ({ userName: u.userName, displayName: "Kept", key: u.userName })),
      { protected: [] },
    );
    const p = plan(set, await client.listUsers(), { maxDeletes: 10 });
    const result = await apply(client, p);
    expect(result.ok).toBe(true);
    emulator.setFaults({});
    expect(plan(set, await client.listUsers(), { maxDeletes: 10 }).steps).toEqual([]);
  });
});
