import { defineUserSet, plan, summarize, type ScimUser, type UserSetInput } from "../../lib";
import { planTeardown, renderPlan, stepGroup, stepUserName } from "../../lib/core/sync";
import { match } from "../helpers/match";

let nextId = 1;
/** A RAM user as SCIM answers it. */
function ram(userName: string, externalId?: string, displayName?: string): ScimUser {
  return {
    id: String(10_000 + nextId++),
    userName,
    ...(externalId ? { externalId } : {}),
    ...(displayName ? { displayName } : {}),
  };
}

function set(input: Partial<UserSetInput> = {}) {
  return defineUserSet({
    owner: "platform",
    users: [{ userName: "alice", displayName: "Alice", key: "e1" }],
    ...input,
  });
}

/** `action user` for each step, in order: the plan's shape at a glance. */
function shape(p: ReturnType<typeof plan>): string[] {
  return p.steps.map((s) => `${stepGroup(s)} ${stepUserName(s)}`);
}

describe("plan: ownership rule", () => {
  it.each([
    ["creates a declared user RAM lacks", [], ["create alice"]],
    ["changes nothing when RAM matches", [ram("alice", "platform:e1", "Alice")], []],
    [
      "deletes a managed user no longer declared",
      [ram("alice", "platform:e1", "Alice"), ram("gone", "platform:e9")],
      ["delete gone"],
    ],
    [
      "never touches a console user",
      [ram("alice", "platform:e1", "Alice"), ram("console.admin")],
      [],
    ],
    [
      "never touches another owner's user",
      [ram("alice", "platform:e1", "Alice"), ram("ops", "other:ops")],
      [],
    ],
    [
      "never takes an owner whose name starts the same",
      [ram("alice", "platform:e1", "Alice"), ram("x", "platform-eu:x")],
      [],
    ],
  ])("%s", (_case, actual, expected) => {
    const p = plan(set(), actual);
    expect(shape(p)).toEqual(expected);
    expect(p.errors).toEqual([]);
  });

  it("refuses a declared name held by an unmanaged user, naming it", () => {
    const p = plan(set(), [ram("ALICE")]);
    expect(p.steps).toEqual([]);
    expect(p.errors).toEqual([
      match.objectContaining({
        rule: "ownership",
        userName: "alice",
        message: match.stringContaining("list it under adopt"),
      }),
    ]);
    expect(p.errors[0]?.message).toContain("no externalId: made in the console");
  });
});

describe("plan: comparison", () => {
  it.each([
    ["a server that lower-cases names", ram("alice", "platform:e1", "Alice"), "Alice"],
    [
      "a server that answers principal names",
      ram("alice@acme.onaliyun.com", "platform:e1", "Alice"),
      "alice",
    ],
    [
      "a file that leaves displayName out",
      ram("alice", "platform:e1", "Whatever RAM has"),
      undefined,
    ],
  ])("shows no drift for %s", (_case, current, fileName) => {
    const users = [
      {
        userName: fileName === undefined ? "alice" : fileName === "Alice" ? "Alice" : "alice",
        key: "e1",
        ...(fileName === undefined ? {} : { displayName: "Alice" }),
      },
    ];
    const p = plan(set({ users }), [current]);
    expect(p.steps).toEqual([]);
    expect(p.unchanged).toBe(1);
  });

  it("updates a changed display name, old and new", () => {
    const p = plan(set(), [ram("alice", "platform:e1", "Ally")]);
    expect(p.steps).toEqual([
      match.objectContaining({
        action: "update",
        changes: [{ attribute: "displayName", from: "Ally", to: "Alice" }],
      }),
    ]);
  });
});

describe("plan: rename rule", () => {
  it("renames by key with a PUT, not delete and create", () => {
    const p = plan(set({ users: [{ userName: "alice.zhang", displayName: "Alice", key: "e1" }] }), [
      ram("alice", "platform:e1", "Alice"),
    ]);
    expect(shape(p)).toEqual(["rename alice.zhang"]);
    expect(p.steps[0]).toMatchObject({
      changes: [{ attribute: "userName", from: "alice", to: "alice.zhang" }],
    });
  });

  it("makes a create that reuses a renamed-away name wait for the rename", () => {
    const users = [
      { userName: "alice.zhang", key: "e1" },
      { userName: "alice", key: "e2" },
    ];
    const old = ram("alice", "platform:e1");
    const p = plan(set({ users }), [old]);
    expect(shape(p)).toEqual(["rename alice.zhang", "create alice"]);
    expect(p.steps[1]?.after).toEqual([`update:${old.id}`]);
  });

  it("makes a create that reuses a deleted user's name wait for the delete", () => {
    const leaver = ram("alice", "platform:old-key");
    const p = plan(set(), [leaver]);
    expect(shape(p)).toEqual(["delete alice", "create alice"]);
    expect(p.steps[1]?.after).toEqual([`delete:${leaver.id}`]);
  });

  it("refuses renames that wait on each other in a circle", () => {
    const a = ram("a", "platform:ka");
    const b = ram("b", "platform:kb");
    const p = plan(
      set({
        users: [
          { userName: "b", key: "ka" },
          { userName: "a", key: "kb" },
        ],
      }),
      [a, b],
    );
    expect(p.errors).toEqual([
      match.objectContaining({ rule: "rename", message: match.stringContaining("in a circle") }),
    ]);
  });

  it("refuses a rename onto a name a kept user holds", () => {
    const p = plan(set({ users: [{ userName: "bob", key: "e1" }] }), [
      ram("alice", "platform:e1"),
      ram("bob", "other:bob"),
    ]);
    expect(p.errors).toEqual([
      match.objectContaining({
        rule: "rename",
        message: match.stringContaining("cannot rename alice to bob"),
      }),
    ]);
  });
});

describe("plan: adopt rule", () => {
  it.each([
    ["a console user", undefined],
    ["a user with an externalId of no owner form", "8f2e41c0-idaas"],
  ])("adopts %s listed under adopt, setting the externalId", (_case, externalId) => {
    const p = plan(set({ adopt: ["alice"] }), [ram("alice", externalId, "Alice")]);
    expect(shape(p)).toEqual(["adopt alice"]);
    expect(p.steps[0]).toMatchObject({
      changes: [{ attribute: "externalId", from: externalId, to: "platform:e1" }],
    });
  });

  it("changes nothing for an adopt entry already managed", () => {
    const p = plan(set({ adopt: ["alice"] }), [ram("alice", "platform:e1", "Alice")]);
    expect(p.steps).toEqual([]);
  });

  it("never adopts another owner's user, and does not suggest it", () => {
    const p = plan(set({ adopt: ["alice"] }), [ram("alice", "other-team:alice", "Alice")]);
    expect(p.steps).toEqual([]);
    expect(p.errors).toEqual([match.objectContaining({ rule: "ownership", userName: "alice" })]);
    expect(p.errors[0]?.message).toContain('managed by owner "other-team"');
    expect(p.errors[0]?.message).toContain("add transferFrom: [other-team]");
    expect(p.errors[0]?.message).not.toContain("list it under adopt");
  });

  it("moves a declared person from an owner listed under transferFrom, shown as a transfer", () => {
    const p = plan(set({ transferFrom: ["other-team"] }), [
      ram("alice", "other-team:alice", "Alice"),
      ram("theirs", "other-team:theirs"),
    ]);
    expect(p.errors).toEqual([]);
    expect(shape(p)).toEqual(["adopt alice"]);
    expect(p.steps[0]).toMatchObject({
      changes: [{ attribute: "externalId", from: "other-team:alice", to: "platform:e1" }],
    });
    expect(renderPlan(p, "text")).toContain('transfer alice from owner "other-team"');
  });

  it.each(["platform:", "platform::x", "platform:team-a:x", "platform:has space"])(
    "never deletes a user under the prefix that no file can declare (%s), and says so",
    (externalId) => {
      const p = plan(set(), [ram("alice", "platform:e1", "Alice"), ram("odd", externalId)]);
      expect(p.steps).toEqual([]);
      expect(p.warnings).toEqual([match.stringContaining(`odd (id`)]);
      expect(p.warnings[0]).toContain("no users file can declare it");
      expect(planTeardown(set(), [ram("odd", externalId)]).steps).toEqual([]);
    },
  );

  it("refuses a name both adopted and protected", () => {
    const p = plan(set({ adopt: ["alice"], protected: ["alice"] }), [ram("alice")]);
    expect(p.errors).toEqual([match.objectContaining({ rule: "protect" })]);
  });
});

describe("plan: protect rule", () => {
  it("keeps a protected managed user that is no longer declared", () => {
    const p = plan(set({ protected: ["break-glass"] }), [
      ram("alice", "platform:e1", "Alice"),
      ram("break-glass", "platform:bg"),
    ]);
    expect(p.steps).toEqual([]);
    expect(p.warnings).toEqual([
      match.stringContaining("break-glass is no longer declared but is protected"),
    ]);
  });

  it("does not update a protected user that drifted", () => {
    const p = plan(set({ protected: ["alice"] }), [ram("alice", "platform:e1", "Changed by hand")]);
    expect(p.steps).toEqual([]);
    expect(p.warnings).toEqual([match.stringContaining("alice is protected")]);
  });

  it("deletes an unprotected leaver next to a protected one", () => {
    const p = plan(set({ protected: ["BREAK-GLASS@acme.onaliyun.com"] }), [
      ram("alice", "platform:e1", "Alice"),
      ram("break-glass", "platform:bg"),
      ram("bob", "platform:e2"),
    ]);
    expect(shape(p)).toEqual(["delete bob"]);
  });
});

describe("plan: deletion guard", () => {
  const managed = (n: number) =>
    Array.from({ length: n }, (_, i) => ram(`u${i}`, `platform:k${i}`));
  const keepOnly = (n: number) =>
    set({ users: Array.from({ length: n }, (_, i) => ({ userName: `u${i}`, key: `k${i}` })) });

  it.each([
    ["5 of 10 (default limit 5)", 10, 5, undefined, false],
    ["6 of 10 (default limit 5)", 10, 4, undefined, true],
    ["10 of 40 (default limit 25 % = 10)", 40, 30, undefined, false],
    ["11 of 40 (default limit 10)", 40, 29, undefined, true],
    ["6 of 10 with maxDeletes 6", 10, 4, 6, false],
    ["6 of 10 with maxDeletes 60%", 10, 4, "60%", false],
    ["6 of 10 with maxDeletes 50%", 10, 4, "50%", true],
    ["6 of 10 with maxDeletes 0", 10, 4, 0, true],
  ] as const)("%s refused: %s", (_case, total, kept, maxDeletes, refused) => {
    const p = plan(keepOnly(kept), managed(total), { maxDeletes });
    expect(p.guard.refused).toBe(refused);
    expect(p.errors.some((e) => e.rule === "deletion-guard")).toBe(refused);
  });

  it("says how to raise the limit", () => {
    const p = plan(keepOnly(2), managed(10), { maxDeletesName: "--max-deletes" });
    expect(p.errors[0]?.message).toContain("raise the limit: --max-deletes 8");
  });

  it("never plans deletes for an empty set", () => {
    const p = plan(defineUserSet({ owner: "platform", users: [], allowEmpty: true }), managed(3));
    expect(p.steps).toEqual([]);
    expect(p.warnings).toEqual([match.stringContaining("an empty set never deletes anyone")]);
  });
});

describe("plan: order", () => {
  it("lists deletes, renames, adopts, creates, then updates, each by name", () => {
    const users = [
      { userName: "zed", key: "z" },
      { userName: "amy", key: "a" },
      { userName: "carl.new", key: "c" },
      { userName: "dora", displayName: "Dora D", key: "d" },
      { userName: "legacy", key: "l" },
    ];
    const p = plan(set({ users, adopt: ["legacy"] }), [
      ram("carl", "platform:c"),
      ram("dora", "platform:d", "Dora"),
      ram("legacy"),
      ram("yann", "platform:y"),
      ram("bea", "platform:b"),
    ]);
    expect(shape(p)).toEqual([
      "delete bea",
      "delete yann",
      "rename carl.new",
      "adopt legacy",
      "create amy",
      "create zed",
      "update dora",
    ]);
    expect(summarize(p)).toEqual({
      create: 2,
      update: 2,
      adopt: 1,
      delete: 2,
      unchanged: 0,
      memberships: 0,
      cleared: 0,
    });
  });

  it("gives the same plan for the same inputs", () => {
    const actual = [ram("b", "platform:b"), ram("a", "platform:a")];
    expect(plan(set(), actual)).toEqual(plan(set(), [...actual].reverse()));
  });
});

describe("plan: a set renamed from former owners (formerOwners)", () => {
  const declared = () =>
    set({
      users: [
        { userName: "alice", displayName: "Alice", key: "e1" },
        { userName: "bob", key: "e2" },
      ],
    });

  it("moves the declared people in place: same RAM ids, externalId old -> new", () => {
    const alice = ram("alice", "old:e1", "Alice");
    const bob = ram("bob", "old:e2");
    const p = plan(declared(), [alice, bob, ram("gone", "old:e9"), ram("x", "other:e1")], {
      formerOwners: ["old"],
    });
    expect(p.errors).toEqual([]);
    expect(shape(p)).toEqual(["delete gone", "update alice", "update bob"]);
    const update = p.steps.find((s) => s.action === "update" && s.current.id === alice.id);
    expect(update).toMatchObject({
      changes: [{ attribute: "externalId", from: "old:e1", to: "platform:e1" }],
    });
    expect(p.guard).toMatchObject({ deletes: 1, managed: 3 });
  });

  it("without formerOwners the old owner's people are someone else's", () => {
    const p = plan(declared(), [ram("alice", "old:e1", "Alice")]);
    expect(p.errors.map((e) => e.rule)).toEqual(["ownership"]);
  });

  it("refuses when the old and the new owner both hold one key", () => {
    const p = plan(declared(), [ram("alice", "platform:e1", "Alice"), ram("al", "old:e1")], {
      formerOwners: ["old"],
    });
    expect(p.errors).toEqual([match.objectContaining({ rule: "ownership", userName: "al" })]);
    expect(p.errors[0]?.message).toContain('both claim key "e1"');
  });

  it("refuses to move a protected person rather than leave them behind", () => {
    const p = plan(set({ protected: ["alice"] }), [ram("alice", "old:e1", "Alice")], {
      formerOwners: ["old"],
    });
    expect(p.errors).toEqual([match.objectContaining({ rule: "protect", userName: "alice" })]);
  });
});

describe("plan: membership follows the person's own account", () => {
  const withGroups = (users: UserSetInput["users"]) => set({ managedGroups: ["dev"], users });

  it("a joiner taking a leaver's name is added to its groups; the leaver's memberships are the leaver's", () => {
    const old = ram("alice", "platform:e1");
    const p = plan(withGroups([{ userName: "alice", key: "alice", groups: ["dev"] }]), {
      users: [old],
      groups: ["dev"],
      members: { dev: ["alice"] },
    });
    expect(p.errors).toEqual([]);
    const add = p.steps.find((s) => s.action === "add-to-group");
    expect(add).toMatchObject({
      userName: "alice",
      group: "dev",
      after: ["create:platform:alice"],
    });
    expect(p.steps.find((s) => s.action === "remove-from-group")).toMatchObject({ leaver: true });
  });

  it("a joiner taking the name of a user renamed away waits for its own create", () => {
    const judy = ram("judy", "platform:e1");
    const p = plan(
      withGroups([
        { userName: "ivan", key: "e1" },
        { userName: "judy", key: "e2", groups: ["dev"] },
      ]),
      { users: [judy], groups: ["dev"], members: { dev: [] } },
    );
    expect(p.steps.find((s) => s.action === "add-to-group")).toMatchObject({
      userName: "judy",
      after: ["create:platform:e2"],
    });
  });

  it("never plans group steps for someone else's user holding a declared name", () => {
    const p = plan(withGroups([{ userName: "alice", groups: ["dev"] }]), {
      users: [ram("alice")],
      groups: ["dev"],
      members: { dev: [] },
    });
    expect(p.errors.map((e) => e.rule)).toEqual(["ownership"]);
    expect(p.steps).toEqual([]);
  });
});
