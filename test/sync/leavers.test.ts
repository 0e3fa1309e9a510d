import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RamEmulator } from "../../lib/emulator";
import {
  apply,
  defineUserSet,
  plan,
  RamAccessClient,
  readRamState,
  renderPlan,
  type ScimClient,
  type UserSetInput,
} from "../../lib";
import { clientFor, withEmulator } from "../helpers/emulator";
import { match } from "../helpers/match";

const AK = { accessKeyId: "LTAIleaver", accessKeySecret: "leaver-ak-secret" };

describe("leavers and roles: group membership and deletion blockers, against the emulator", () => {
  let emulator: RamEmulator;
  let scim: ScimClient;
  let access: RamAccessClient;
  beforeEach(async () => {
    emulator = await withEmulator({
      accessKeys: [AK],
      seedGroups: ["developers", "admins", "finance"],
    });
    scim = clientFor(emulator);
    access = new RamAccessClient({ env: {}, endpoint: emulator.imsEndpoint, ...AK });
  });
  afterEach(() => emulator.close());

  const set = (users: UserSetInput["users"], extra: Partial<UserSetInput> = {}) =>
    defineUserSet({ owner: "team", managedGroups: ["developers", "admins"], users, ...extra });
  const groupsOf = (name: string) => emulator.directory.findByUserName(name)?.blockers.groups ?? [];
  const run = async (desired: ReturnType<typeof set>, options = {}) => {
    const p = plan(desired, await readRamState(scim, access, desired), options);
    return { p, result: await apply(scim, p, { access }) };
  };

  it("gives a joiner the account first, then the memberships", async () => {
    const { p, result } = await run(
      set([{ userName: "alice", key: "e1", groups: ["developers"] }]),
    );
    expect(p.steps.map((s) => s.action)).toEqual(["create", "add-to-group"]);
    expect(p.steps[1]?.after).toEqual([p.steps[0]?.stepId]);
    expect(renderPlan(p, "text")).toContain("+ add alice to group developers");
    expect(result.ok).toBe(true);
    expect(groupsOf("alice")).toEqual(["developers"]);
  });

  it("moves groups on a role change and leaves unmanaged groups alone", async () => {
    await run(set([{ userName: "alice", key: "e1", groups: ["developers"] }]));
    const alice = emulator.directory.findByUserName("alice")!;
    emulator.setBlockers(alice.id, {
      ...alice.blockers,
      groups: [...alice.blockers.groups, "finance"],
    });
    const { p, result } = await run(set([{ userName: "alice", key: "e1", groups: ["admins"] }]));
    expect(p.steps.map((s) => `${s.action} ${"group" in s ? s.group : ""}`)).toEqual([
      "add-to-group admins",
      "remove-from-group developers",
    ]);
    expect(result.ok).toBe(true);
    expect([...groupsOf("alice")].sort()).toEqual(["admins", "finance"]);
    const desired = set([{ userName: "alice", key: "e1", groups: ["admins"] }]);
    const again = plan(desired, await readRamState(scim, access, desired));
    expect(again.steps).toEqual([]);
  });

  it("reports a leaver's blockers and does not delete it without forceDelete", async () => {
    emulator.seedUsers([
      {
        userName: "bob",
        externalId: "team:e2",
        blockers: { accessKeys: ["LTAIbob"], mfaDevice: true, groups: ["developers", "finance"] },
      },
    ]);
    const keep = [{ userName: "alice", key: "e1" }];
    const { p, result } = await run(set(keep));
    expect(p.warnings).toEqual([
      // developers is managed: its removal is planned before the delete, so it blocks nothing.
      match.stringContaining("bob still has 1 AccessKey(s), an MFA device, groups finance:"),
    ]);
    expect(p.steps.map((s) => s.action)).toEqual(["remove-from-group", "delete", "create"]);
    const del = result.outcomes.find((o) => o.step.action === "delete");
    expect(del).toMatchObject({
      status: "failed",
      error: { blockers: ["AccessKey", "MFADevice", "Group"] },
    });
    expect(groupsOf("bob")).toEqual(["finance"]); // the managed group went first
  });

  it("clears every blocker first with forceDelete, each in the plan and the result, then deletes", async () => {
    emulator.seedUsers([
      {
        userName: "bob",
        externalId: "team:e2",
        blockers: {
          accessKeys: ["LTAIbob1", "LTAIbob2"],
          mfaDevice: true,
          loginProfile: true,
          groups: ["developers", "finance"],
          policies: ["ReadOnlyAccess", "bob-custom"],
        },
      },
    ]);
    const { p, result } = await run(
      set([{ userName: "alice", key: "e1" }], { forceDelete: ["bob"] }),
    );
    const text = renderPlan(p, "text");
    for (const line of [
      "deactivate and delete AccessKey LTAIbob1 of bob",
      "deactivate and delete AccessKey LTAIbob2 of bob",
      "unbind the MFA device of bob",
      "delete the console login of bob",
      "remove bob from group finance (not managed; forceDelete)",
      "detach policy System:ReadOnlyAccess from bob",
      "detach policy Custom:bob-custom from bob",
      "remove bob from group developers",
    ])
      expect(text).toContain(line);
    expect(result.ok).toBe(true);
    expect(result.outcomes.filter((o) => o.step.action === "clear-blocker")).toHaveLength(7);
    expect(emulator.directory.findByUserName("bob")).toBeUndefined();
  });

  it("calls only what examples/ram-policy-sync.json allows", async () => {
    emulator.seedUsers([
      {
        userName: "bob",
        externalId: "team:e2",
        blockers: {
          accessKeys: ["LTAIbob"],
          mfaDevice: true,
          loginProfile: true,
          groups: ["developers", "finance"],
          policies: ["ReadOnlyAccess"],
        },
      },
    ]);
    emulator.resetCounters();
    await run(
      set([{ userName: "alice", key: "e1", groups: ["developers", "admins"] }], {
        forceDelete: true,
      }),
    );
    await run(set([{ userName: "alice", key: "e1", groups: ["admins"] }]));
    const called = Object.keys(emulator.counters().byRoute)
      .filter((r) => r.startsWith("IMS "))
      .map((r) => `ram:${r.slice(4)}`);
    const policy = JSON.parse(
      readFileSync(join(__dirname, "../../examples/ram-policy-sync.json"), "utf8"),
    ) as { Statement: [{ Action: string[] }] };
    const allowed: string[] = policy.Statement[0].Action;
    expect(called.length).toBeGreaterThanOrEqual(12);
    expect(called.filter((a) => !allowed.includes(a))).toEqual([]);
  });

  it("refuses managed groups that do not exist, naming them", async () => {
    const desired = set([{ userName: "alice", groups: ["developers"] }], {
      managedGroups: ["developers", "ghosts"],
    });
    const p = plan(desired, await readRamState(scim, access, desired));
    expect(p.errors).toEqual([
      match.objectContaining({
        rule: "groups",
        message: match.stringContaining("do not exist in RAM: ghosts"),
      }),
    ]);
  });

  it("needs AccessKey credentials for groups, and says so", async () => {
    const desired = set([{ userName: "alice", groups: ["developers"] }]);
    const p = plan(desired, await readRamState(scim, undefined, desired));
    expect(p.errors[0]?.message).toContain("give AccessKey credentials for IMS");
  });

  it("counts forced deletions in the deletion guard", async () => {
    emulator.seedUsers(
      Array.from({ length: 8 }, (_, i) => ({
        userName: `old${i}`,
        externalId: `team:o${i}`,
        blockers: { accessKeys: [`LTAI${i}`] },
      })),
    );
    const desired = set([{ userName: "alice", key: "e1" }], { forceDelete: true });
    const p = plan(desired, await readRamState(scim, access, desired));
    expect(p.guard).toMatchObject({ deletes: 8, limit: 5, refused: true });
    const result = await apply(scim, p, { access });
    expect(result.outcomes).toEqual([]);
    expect(emulator.directory.all()).toHaveLength(8);
  });
});
