/**
 * Each planner rule on its own (cdk-nag style): a case where it has nothing to say and a case
 * where it refuses or adds steps, each on a RAM state written out in the test.
 */
import type { ScimUser } from "../../lib/core/scim/types";
import { adoptOrRefuse } from "../../lib/core/sync/rules/adopt";
import { userChanges } from "../../lib/core/sync/rules/changes";
import { clearingSteps } from "../../lib/core/sync/rules/force";
import { deletionGuard, parseMaxDeletes } from "../../lib/core/sync/rules/guard";
import { membershipSteps } from "../../lib/core/sync/rules/membership";
import { indexRam, ownerOf } from "../../lib/core/sync/rules/ownership";
import { protectedChange, protectedNames } from "../../lib/core/sync/rules/protect";
import { orderByNames } from "../../lib/core/sync/rules/rename";
import type {
  CreateStep,
  DeleteStep,
  GroupStep,
  PlanStep,
  RamState,
  UpdateStep,
} from "../../lib/core/sync/types";
import { defineUserSet } from "../../lib/core/users";
import type { DeclaredUser, UserSet } from "../../lib/core/users";

/** The declared user of that name; a test that names a missing one is wrong. */
function declared(set: UserSet, userName: string): DeclaredUser {
  const user = set.users.find((u) => u.userName === userName);
  if (!user) throw new Error(`test setup: ${userName} is not declared`);
  return user;
}

const noneProtected = (): boolean => false;

describe("ownership rule", () => {
  it("indexRam: passes when RAM holds this owner's users, a console user and another owner's", () => {
    const ram: ScimUser[] = [
      { id: "101", userName: "alice", displayName: "Alice", externalId: "platform:e1" },
      { id: "201", userName: "Console.Admin" },
      { id: "301", userName: "ops", externalId: "team-b:ops" },
    ];

    const index = indexRam(ram, "platform");

    expect([...index.managed.keys()]).toEqual(["e1"]);
    expect(index.managed.get("e1")?.id).toBe("101");
    expect(ram.map((u) => [u.userName, index.isManaged(u), index.isOwn(u)])).toEqual([
      ["alice", true, true],
      ["Console.Admin", false, false],
      ["ops", false, false],
    ]);
    expect(index.byName.get("console.admin")?.id).toBe("201");
    expect(index.conflicts).toEqual([]);
    expect(index.malformed).toEqual([]);
  });

  it("indexRam: adds a former owner's user to the managed ones, not as this owner's own", () => {
    const ram: ScimUser[] = [
      { id: "101", userName: "alice", externalId: "platform:e1" },
      { id: "401", userName: "carol", externalId: "legacy:e3" },
    ];

    const index = indexRam(ram, "platform", ["legacy"]);

    expect(index.managed.get("e3")?.id).toBe("401");
    const carol = index.managed.get("e3");
    expect(carol && index.isManaged(carol)).toBe(true);
    expect(carol && index.isOwn(carol)).toBe(false);
    // Without formerOwners the same user is someone else's.
    expect(indexRam(ram, "platform").managed.has("e3")).toBe(false);
  });

  it("indexRam: refuses when a former owner's user claims a key this owner already manages", () => {
    const ram: ScimUser[] = [
      { id: "101", userName: "alice", externalId: "platform:e1" },
      { id: "402", userName: "alice.old", externalId: "legacy:e1" },
    ];

    const index = indexRam(ram, "platform", ["legacy"]);

    expect(index.conflicts).toEqual([{ key: "e1", user: ram[1] }]);
    expect(index.managed.get("e1")?.id).toBe("101");
    expect(index.isManaged({ id: "402", userName: "alice.old" })).toBe(false);
  });

  it("indexRam: refuses to manage a user with a malformed `<owner>:` externalId", () => {
    const ram: ScimUser[] = [
      { id: "501", userName: "empty.key", externalId: "platform:" },
      { id: "502", userName: "double", externalId: "platform::x" },
      { id: "503", userName: "nested", externalId: "platform:team-a:x" },
      { id: "504", userName: "lookalike", externalId: "platform-eu:x" },
    ];

    const index = indexRam(ram, "platform");

    expect(index.malformed.map((u) => u.userName)).toEqual(["empty.key", "double", "nested"]);
    expect(index.managed.size).toBe(0);
  });

  it.each([
    ["this owner's user", "platform:e1", "platform"],
    ["another owner's user", "team-b:ops", "team-b"],
  ])("ownerOf: passes when it is %s (%s)", (_case, externalId, owner) => {
    expect(ownerOf({ id: "1", userName: "u", externalId })).toBe(owner);
  });

  it.each([
    ["a console user (no externalId)", undefined],
    ["a malformed key (`platform:`)", "platform:"],
    ["a key holding a colon", "platform:team-a:x"],
    ["an externalId of no owner form", "4c1a9e2f-idaas"],
  ])("ownerOf: refuses to name an owner for %s", (_case, externalId) => {
    const user: ScimUser =
      externalId === undefined
        ? { id: "1", userName: "u" }
        : { id: "1", userName: "u", externalId };
    expect(ownerOf(user)).toBeUndefined();
  });
});

describe("adopt rule", () => {
  it("adoptOrRefuse: adds steps when an unmanaged holder is listed under adopt", () => {
    const set = defineUserSet({
      owner: "platform",
      users: [{ userName: "alice", displayName: "Alice", key: "e1" }],
      adopt: ["alice"],
    });
    const holder: ScimUser = { id: "201", userName: "alice", displayName: "Alice" };

    const result = adoptOrRefuse(set, declared(set, "alice"), holder, noneProtected);

    expect(result).toMatchObject({ action: "adopt", stepId: "adopt:201", current: { id: "201" } });
    expect("changes" in result && result.changes).toEqual([
      { attribute: "externalId", from: undefined, to: "platform:e1" },
    ]);
  });

  it("adoptOrRefuse: refuses when an unmanaged holder is not listed under adopt", () => {
    const set = defineUserSet({ owner: "platform", users: [{ userName: "alice", key: "e1" }] });
    const holder: ScimUser = { id: "201", userName: "ALICE" };

    const result = adoptOrRefuse(set, declared(set, "alice"), holder, noneProtected);

    expect(result).toMatchObject({ rule: "ownership", userName: "alice" });
    expect("message" in result && result.message).toMatch(/id 201.*list it under adopt/);
  });

  it("adoptOrRefuse: refuses another owner's user even when listed under adopt", () => {
    const set = defineUserSet({
      owner: "platform",
      users: [{ userName: "ops", key: "ops" }],
      adopt: ["ops"],
    });
    const holder: ScimUser = { id: "301", userName: "ops", externalId: "team-b:ops" };

    const result = adoptOrRefuse(set, declared(set, "ops"), holder, noneProtected);

    expect(result).toMatchObject({ rule: "ownership", userName: "ops" });
    expect("message" in result && result.message).toContain("add transferFrom: [team-b]");
  });

  it("adoptOrRefuse: adds steps when another owner's user is listed under transferFrom", () => {
    const set = defineUserSet({
      owner: "platform",
      users: [{ userName: "ops", key: "ops" }],
      transferFrom: ["team-b"],
    });
    const holder: ScimUser = { id: "301", userName: "ops", externalId: "team-b:ops" };

    const result = adoptOrRefuse(set, declared(set, "ops"), holder, noneProtected);

    expect(result).toMatchObject({ action: "adopt", stepId: "adopt:301" });
    expect("changes" in result && result.changes).toEqual([
      { attribute: "externalId", from: "team-b:ops", to: "platform:ops" },
    ]);
  });

  it("adoptOrRefuse: refuses when transferFrom names a different owner", () => {
    const set = defineUserSet({
      owner: "platform",
      users: [{ userName: "ops", key: "ops" }],
      transferFrom: ["team-c"],
    });
    const holder: ScimUser = { id: "301", userName: "ops", externalId: "team-b:ops" };

    const result = adoptOrRefuse(set, declared(set, "ops"), holder, noneProtected);

    expect(result).toMatchObject({ rule: "ownership", userName: "ops" });
  });

  it("adoptOrRefuse: refuses when the adopted user is also protected", () => {
    const set = defineUserSet({
      owner: "platform",
      users: [{ userName: "root.admin", key: "root" }],
      adopt: ["root.admin"],
      protected: ["Root.Admin"],
    });
    const holder: ScimUser = { id: "202", userName: "root.admin" };

    const result = adoptOrRefuse(set, declared(set, "root.admin"), holder, protectedNames(set));

    expect(result).toMatchObject({ rule: "protect", userName: "root.admin" });
    expect("message" in result && result.message).toContain("remove it from one of them");
  });

  it("adoptOrRefuse: refuses when a transferred user is protected", () => {
    const set = defineUserSet({
      owner: "platform",
      users: [{ userName: "ops", key: "ops" }],
      transferFrom: ["team-b"],
      protected: ["ops"],
    });
    const holder: ScimUser = { id: "301", userName: "ops", externalId: "team-b:ops" };

    const result = adoptOrRefuse(set, declared(set, "ops"), holder, protectedNames(set));

    expect(result).toMatchObject({ rule: "protect", userName: "ops" });
  });
});

describe("protect rule", () => {
  it("protectedNames: passes when no name given is protected", () => {
    const set = defineUserSet({
      owner: "platform",
      users: [{ userName: "alice", key: "e1" }],
      protected: ["root.admin"],
    });

    expect(protectedNames(set)("alice", "alice.smith")).toBe(false);
  });

  it("protectedNames: refuses a protected name whatever its case or principal suffix", () => {
    const set = defineUserSet({
      owner: "platform",
      users: [{ userName: "alice", key: "e1" }],
      protected: ["Root.Admin"],
    });
    const isProtected = protectedNames(set);

    expect(isProtected("alice", "root.admin@acme.onaliyun.com")).toBe(true);
    expect(isProtected("ROOT.ADMIN")).toBe(true);
  });

  it("protectedChange: passes with a warning when this owner's protected user drifts", () => {
    const current: ScimUser = {
      id: "101",
      userName: "root.admin",
      displayName: "Root",
      externalId: "platform:root",
    };

    const verdict = protectedChange(
      "platform",
      current,
      [{ attribute: "displayName", from: "Root", to: "Break glass" }],
      true,
    );

    expect("problem" in verdict).toBe(false);
    expect("warning" in verdict && verdict.warning).toBe(
      "root.admin is protected: its drift (displayName) is left as it is",
    );
  });

  it("protectedChange: refuses to move a former owner's protected user to this owner", () => {
    const current: ScimUser = { id: "401", userName: "root.admin", externalId: "legacy:root" };

    const verdict = protectedChange(
      "platform",
      current,
      [{ attribute: "externalId", from: "legacy:root", to: "platform:root" }],
      false,
    );

    expect(verdict).toMatchObject({ problem: { rule: "protect", userName: "root.admin" } });
    expect("problem" in verdict && verdict.problem.message).toMatch(
      /externalId "legacy:root" would change.*take it out of protected/,
    );
  });
});

describe("deletion guard", () => {
  it.each([
    [5, 8, 5],
    [10, 40, 10],
  ])(
    "deletionGuard: passes when %i deletes of %i managed are within the default limit",
    (deletes, managed, limit) => {
      const { verdict, problem } = deletionGuard(deletes, managed, undefined);

      expect(problem).toBeUndefined();
      expect(verdict).toMatchObject({ deletes, managed, limit, refused: false });
    },
  );

  it("deletionGuard: refuses when the deletes pass the default limit, naming the raise", () => {
    const { verdict, problem } = deletionGuard(11, 40, undefined);

    expect(verdict).toMatchObject({ limit: 10, refused: true });
    expect(verdict.limitSource).toBe("default: max(5, 25 % of 40 managed)");
    expect(problem?.rule).toBe("deletion-guard");
    expect(problem?.message).toContain("raise the limit: maxDeletes 11");
  });

  it("deletionGuard: passes when a count allows the deletes", () => {
    expect(deletionGuard(12, 40, 12, "--max-deletes").problem).toBeUndefined();
  });

  it("deletionGuard: refuses when the deletes pass a count, in the caller's option name", () => {
    const { verdict, problem } = deletionGuard(3, 8, 2, "--max-deletes");

    expect(verdict).toMatchObject({ limit: 2, limitSource: "--max-deletes 2", refused: true });
    expect(problem?.message).toContain("raise the limit: --max-deletes 3");
  });

  it("deletionGuard: passes when a share allows the deletes", () => {
    const { verdict, problem } = deletionGuard(3, 10, "30%");

    expect(problem).toBeUndefined();
    expect(verdict).toMatchObject({ limit: 3, limitSource: "maxDeletes 30% of 10 managed" });
  });

  it("deletionGuard: refuses when the deletes pass a share", () => {
    const { verdict, problem } = deletionGuard(4, 10, "30%");

    expect(verdict).toMatchObject({ limit: 3, refused: true });
    expect(problem?.message).toContain("more than the limit of 3");
  });

  it.each([
    ["10", 10],
    ["0", 0],
    ["30%", "30%"],
    ["12.5%", "12.5%"],
    ["100%", "100%"],
  ])("parseMaxDeletes: passes %j", (text, parsed) => {
    expect(parseMaxDeletes(text)).toBe(parsed);
  });

  it.each(["", "ten", "-1", "1.5", "30 %", "%", "101%", "1e3"])(
    "parseMaxDeletes: refuses %j",
    (text) => {
      expect(parseMaxDeletes(text)).toBeUndefined();
    },
  );
});

describe("rename rule", () => {
  it("orderByNames: passes when a create takes a name no one holds", () => {
    const set = defineUserSet({
      owner: "platform",
      users: [
        { userName: "alice", key: "e1" },
        { userName: "carol", key: "e3" },
      ],
    });
    const index = indexRam(
      [{ id: "101", userName: "alice", externalId: "platform:e1" }],
      "platform",
    );
    const create: CreateStep = {
      action: "create",
      stepId: "create:platform:e3",
      after: [],
      user: declared(set, "carol"),
    };

    const { steps, problems } = orderByNames([create], index);

    expect(steps).toEqual([create]);
    expect(problems).toEqual([]);
  });

  it("orderByNames: adds steps' order when a rename frees a name a create takes", () => {
    const set = defineUserSet({
      owner: "platform",
      users: [
        { userName: "alice.smith", key: "e1" },
        { userName: "alice", key: "e9" },
      ],
    });
    const alice: ScimUser = { id: "101", userName: "alice", externalId: "platform:e1" };
    const index = indexRam([alice], "platform");
    const rename: UpdateStep = {
      action: "update",
      stepId: "update:101",
      after: [],
      user: declared(set, "alice.smith"),
      current: alice,
      changes: [{ attribute: "userName", from: "alice", to: "alice.smith" }],
    };
    const create: CreateStep = {
      action: "create",
      stepId: "create:platform:e9",
      after: [],
      user: declared(set, "alice"),
    };

    const { steps, problems } = orderByNames([create, rename], index);

    expect(problems).toEqual([]);
    expect(steps.map((s) => [s.stepId, s.after])).toEqual([
      ["create:platform:e9", ["update:101"]],
      ["update:101", []],
    ]);
  });

  it("orderByNames: adds steps' order when a delete frees a name a create takes", () => {
    const set = defineUserSet({ owner: "platform", users: [{ userName: "bob", key: "e3" }] });
    const oldBob: ScimUser = { id: "102", userName: "Bob", externalId: "platform:e2" };
    const index = indexRam([oldBob], "platform");
    const del: DeleteStep = { action: "delete", stepId: "delete:102", after: [], current: oldBob };
    const create: CreateStep = {
      action: "create",
      stepId: "create:platform:e3",
      after: [],
      user: declared(set, "bob"),
    };

    const { steps, problems } = orderByNames([del, create], index);

    expect(problems).toEqual([]);
    expect(steps[1]?.after).toEqual(["delete:102"]);
  });

  it("orderByNames: refuses when a create takes a name held by a user the plan keeps", () => {
    const set = defineUserSet({ owner: "platform", users: [{ userName: "ops", key: "ops" }] });
    const index = indexRam([{ id: "301", userName: "ops", externalId: "team-b:ops" }], "platform");
    const create: CreateStep = {
      action: "create",
      stepId: "create:platform:ops",
      after: [],
      user: declared(set, "ops"),
    };

    const { problems } = orderByNames([create], index);

    expect(problems).toEqual([
      expect.objectContaining({
        rule: "rename",
        userName: "ops",
        message: expect.stringMatching(
          /cannot create ops: .*id 301.*Free the name first/,
        ) as unknown,
      }),
    ]);
  });

  it("orderByNames: refuses a swap of two names (a rename cycle)", () => {
    const set = defineUserSet({
      owner: "platform",
      users: [
        { userName: "bob", key: "e1" },
        { userName: "alice", key: "e2" },
      ],
    });
    const alice: ScimUser = { id: "101", userName: "alice", externalId: "platform:e1" };
    const bob: ScimUser = { id: "102", userName: "bob", externalId: "platform:e2" };
    const index = indexRam([alice, bob], "platform");
    const renames: PlanStep[] = [
      {
        action: "update",
        stepId: "update:101",
        after: [],
        user: declared(set, "bob"),
        current: alice,
        changes: [{ attribute: "userName", from: "alice", to: "bob" }],
      },
      {
        action: "update",
        stepId: "update:102",
        after: [],
        user: declared(set, "alice"),
        current: bob,
        changes: [{ attribute: "userName", from: "bob", to: "alice" }],
      },
    ];

    const { problems } = orderByNames(renames, index);

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ rule: "rename", userName: "alice" });
    expect(problems[0]?.message).toMatch(
      /alice, bob wait on each other in a circle.*temporary name/,
    );
  });
});

describe("changes rule", () => {
  const set = defineUserSet({
    owner: "platform",
    users: [
      { userName: "alice", displayName: "Alice", key: "e1" },
      { userName: "bob", key: "e2" },
      { userName: "carol.jones", displayName: "Carol", key: "e3" },
    ],
  });

  it("userChanges: passes when RAM matches, whatever the name's case or principal suffix", () => {
    const current: ScimUser = {
      id: "101",
      userName: "ALICE@acme.onaliyun.com",
      displayName: "Alice",
      externalId: "platform:e1",
    };

    expect(userChanges(declared(set, "alice"), current)).toEqual([]);
  });

  it("userChanges: passes when the file leaves displayName out and RAM has one", () => {
    const current: ScimUser = {
      id: "102",
      userName: "bob",
      displayName: "Robert (set in the console)",
      externalId: "platform:e2",
    };

    expect(userChanges(declared(set, "bob"), current)).toEqual([]);
  });

  it("userChanges: adds steps when the display name differs", () => {
    const current: ScimUser = {
      id: "101",
      userName: "alice",
      displayName: "Alice Old",
      externalId: "platform:e1",
    };

    expect(userChanges(declared(set, "alice"), current)).toEqual([
      { attribute: "displayName", from: "Alice Old", to: "Alice" },
    ]);
  });

  it("userChanges: adds steps when the user is renamed (same key, new name)", () => {
    const current: ScimUser = {
      id: "103",
      userName: "carol",
      displayName: "Carol",
      externalId: "platform:e3",
    };

    expect(userChanges(declared(set, "carol.jones"), current)).toEqual([
      { attribute: "userName", from: "carol", to: "carol.jones" },
    ]);
  });

  it("userChanges: adds steps when the externalId is another owner's", () => {
    const current: ScimUser = { id: "102", userName: "bob", externalId: "legacy:e2" };

    expect(userChanges(declared(set, "bob"), current)).toEqual([
      { attribute: "externalId", from: "legacy:e2", to: "platform:e2" },
    ]);
  });
});

describe("membership rule", () => {
  const alice: ScimUser = { id: "101", userName: "alice", externalId: "platform:e1" };

  it("membershipSteps: passes when the set manages no groups", () => {
    const set = defineUserSet({ owner: "platform", users: [{ userName: "alice", key: "e1" }] });
    const state: RamState = { users: [alice], groups: ["dev"], members: { dev: [] } };

    const result = membershipSteps(
      set,
      indexRam(state.users, "platform"),
      state,
      [],
      noneProtected,
    );

    expect(result.steps).toEqual([]);
    expect(result.problems).toEqual([]);
  });

  it("membershipSteps: passes when each person is already in exactly their groups", () => {
    const set = defineUserSet({
      owner: "platform",
      users: [{ userName: "alice", key: "e1", groups: ["dev"] }],
      managedGroups: ["dev", "ops"],
    });
    const state: RamState = {
      users: [alice],
      groups: ["dev", "ops", "finance"],
      members: { dev: ["Alice"], ops: [] },
    };

    const result = membershipSteps(
      set,
      indexRam(state.users, "platform"),
      state,
      [],
      noneProtected,
    );

    expect(result.steps).toEqual([]);
    expect(result.problems).toEqual([]);
  });

  it("membershipSteps: refuses when RAM's groups were not read", () => {
    const set = defineUserSet({
      owner: "platform",
      users: [{ userName: "alice", key: "e1", groups: ["dev"] }],
      managedGroups: ["dev"],
    });
    const state: RamState = { users: [alice] };

    const result = membershipSteps(
      set,
      indexRam(state.users, "platform"),
      state,
      [],
      noneProtected,
    );

    expect(result.steps).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({
        rule: "groups",
        message: expect.stringContaining("give AccessKey credentials for IMS") as unknown,
      }),
    ]);
  });

  it("membershipSteps: refuses when a managed group does not exist in RAM", () => {
    const set = defineUserSet({
      owner: "platform",
      users: [{ userName: "alice", key: "e1", groups: ["dev"] }],
      managedGroups: ["dev", "ops"],
    });
    const state: RamState = { users: [alice], groups: ["dev"], members: { dev: [] } };

    const result = membershipSteps(
      set,
      indexRam(state.users, "platform"),
      state,
      [],
      noneProtected,
    );

    expect(result.steps).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.rule).toBe("groups");
    expect(result.problems[0]?.message).toMatch(
      /do not exist in RAM: ops\. Create them .* or remove them from managedGroups/,
    );
  });

  it("membershipSteps: adds steps when a joiner is created: added after the create", () => {
    const set = defineUserSet({
      owner: "platform",
      users: [
        { userName: "alice", key: "e1" },
        { userName: "bob", key: "e2", groups: ["dev"] },
      ],
      managedGroups: ["dev"],
    });
    const state: RamState = { users: [alice], groups: ["dev"], members: { dev: [] } };
    const create: CreateStep = {
      action: "create",
      stepId: "create:platform:e2",
      after: [],
      user: declared(set, "bob"),
    };

    const result = membershipSteps(
      set,
      indexRam(state.users, "platform"),
      state,
      [create],
      noneProtected,
    );

    expect(result.problems).toEqual([]);
    expect(result.steps).toEqual([
      {
        action: "add-to-group",
        stepId: "add:platform:e2:dev",
        after: ["create:platform:e2"],
        userName: "bob",
        group: "dev",
        leaver: false,
      },
    ]);
  });

  it("membershipSteps: adds steps when a person's groups change: one add, one remove", () => {
    const set = defineUserSet({
      owner: "platform",
      users: [{ userName: "alice", key: "e1", groups: ["ops"] }],
      managedGroups: ["dev", "ops"],
    });
    const state: RamState = {
      users: [alice],
      groups: ["dev", "ops"],
      members: { dev: ["alice"], ops: [] },
    };

    const result = membershipSteps(
      set,
      indexRam(state.users, "platform"),
      state,
      [],
      noneProtected,
    );

    expect(result.steps.map((s) => [s.action, s.stepId, s.after])).toEqual([
      ["add-to-group", "add:platform:e1:ops", []],
      ["remove-from-group", "remove:platform:e1:dev", []],
    ]);
  });

  it("membershipSteps: adds steps when a leaver is in a managed group: removed before its delete", () => {
    const set = defineUserSet({
      owner: "platform",
      users: [{ userName: "alice", key: "e1" }],
      managedGroups: ["dev"],
    });
    const carol: ScimUser = { id: "103", userName: "carol", externalId: "platform:e3" };
    const state: RamState = {
      users: [alice, carol],
      groups: ["dev", "finance"],
      members: { dev: ["carol"], finance: ["carol"] },
    };
    const del: DeleteStep = { action: "delete", stepId: "delete:103", after: [], current: carol };

    const result = membershipSteps(
      set,
      indexRam(state.users, "platform"),
      state,
      [del],
      noneProtected,
    );

    const removal: GroupStep = {
      action: "remove-from-group",
      stepId: "remove:103:dev",
      after: [],
      userName: "carol",
      group: "dev",
      leaver: true,
    };
    expect(result.steps).toEqual([removal]);
    // The delete waits for these (plan() adds them to its `after`); finance is not managed.
    expect(result.leaverRemovals.get("delete:103")).toEqual([removal]);
  });

  it("membershipSteps: passes over a protected person whose groups differ", () => {
    const set = defineUserSet({
      owner: "platform",
      users: [{ userName: "alice", key: "e1", groups: ["ops"] }],
      managedGroups: ["dev", "ops"],
      protected: ["alice"],
    });
    const state: RamState = {
      users: [alice],
      groups: ["dev", "ops"],
      members: { dev: ["alice"], ops: [] },
    };

    const result = membershipSteps(
      set,
      indexRam(state.users, "platform"),
      state,
      [],
      protectedNames(set),
    );

    expect(result.steps).toEqual([]);
  });
});

describe("force rule", () => {
  const carol: ScimUser = { id: "103", userName: "carol", externalId: "platform:e3" };
  const del: DeleteStep = { action: "delete", stepId: "delete:103", after: [], current: carol };
  const blocked: RamState = {
    users: [carol],
    blockers: {
      "103": {
        accessKeys: [{ id: "LTAI5tExample", status: "Active" }],
        mfaDevice: true,
        loginProfile: true,
        groups: ["dev", "finance"],
        policies: [{ name: "ReadOnlyAccess", type: "System" }],
      },
    },
  };
  const users = [{ userName: "alice", key: "e1" }];

  it("clearingSteps: passes when a leaver outside forceDelete has no known blockers", () => {
    const set = defineUserSet({ owner: "platform", users });

    const result = clearingSteps(set, [del], { users: [carol] }, new Map());

    expect(result).toEqual({ steps: [], problems: [], warnings: [], byDelete: new Map() });
  });

  it("clearingSteps: warns (no steps) when a leaver outside forceDelete has blockers", () => {
    const set = defineUserSet({ owner: "platform", users, forceDelete: ["someone.else"] });

    const result = clearingSteps(set, [del], blocked, new Map());

    expect(result.steps).toEqual([]);
    expect(result.problems).toEqual([]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(
      /^carol still has 1 AccessKey\(s\), an MFA device, .*RAM will refuse the delete\. Add it to forceDelete/,
    );
  });

  it("clearingSteps: refuses when forceDelete covers a leaver whose blockers were not read", () => {
    const set = defineUserSet({ owner: "platform", users, forceDelete: true });

    const result = clearingSteps(set, [del], { users: [carol] }, new Map());

    expect(result.steps).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({
        rule: "force-delete",
        userName: "carol",
        message: expect.stringContaining("give AccessKey credentials") as unknown,
      }),
    ]);
  });

  it("clearingSteps: adds steps when forceDelete covers a leaver with blockers: one per blocker", () => {
    const set = defineUserSet({ owner: "platform", users, forceDelete: ["Carol"] });

    const result = clearingSteps(set, [del], blocked, new Map());

    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.steps.map((s) => s.stepId)).toEqual([
      "clear:103:AccessKey:LTAI5tExample",
      "clear:103:MFADevice:",
      "clear:103:LoginProfile:",
      "clear:103:Group:dev",
      "clear:103:Group:finance",
      "clear:103:Policy:System:ReadOnlyAccess",
    ]);
    expect(result.steps.every((s) => s.action === "clear-blocker" && s.current.id === "103")).toBe(
      true,
    );
    expect(result.byDelete.get("delete:103")).toEqual(result.steps);
  });

  it("clearingSteps: adds no second removal from a group the membership rule already removes", () => {
    const set = defineUserSet({ owner: "platform", users, forceDelete: true });
    const removedFromDev: GroupStep = {
      action: "remove-from-group",
      stepId: "remove:103:dev",
      after: [],
      userName: "carol",
      group: "dev",
      leaver: true,
    };

    const result = clearingSteps(set, [del], blocked, new Map([["delete:103", [removedFromDev]]]));

    const groups = result.steps.filter((s) => s.blocker === "Group").map((s) => s.target);
    expect(groups).toEqual(["finance"]);
  });
});
