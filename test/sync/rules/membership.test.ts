/** The membership rule on its own (cdk-nag style): pass and fail cases on a literal RAM state. */
import type { ScimUser } from "../../../lib/core/scim/types";
import { membershipSteps } from "../../../lib/core/sync/rules/membership";
import { indexRam } from "../../../lib/core/sync/rules/ownership";
import { protectedNames } from "../../../lib/core/sync/rules/protect";
import type {
  CreateStep,
  DeleteStep,
  GroupStep,
  PlanStep,
  RamState,
} from "../../../lib/core/sync/types";
import { defineUserSet, type UserSet } from "../../../lib/core/users";
import { declared, noneProtected } from "./fixtures";

/** The rule for owner "platform", its RAM index made from the state's users. */
function membership(
  set: UserSet,
  state: RamState,
  steps: readonly PlanStep[] = [],
  isProtected: (...names: string[]) => boolean = noneProtected,
) {
  return membershipSteps(set, indexRam(state.users, "platform"), state, steps, isProtected);
}

describe("membership rule", () => {
  const alice: ScimUser = { id: "101", userName: "alice", externalId: "platform:e1" };

  it("membershipSteps: passes when the set manages no groups", () => {
    const set = defineUserSet({ owner: "platform", users: [{ userName: "alice", key: "e1" }] });
    const state: RamState = { users: [alice], groups: ["dev"], members: { dev: [] } };

    const result = membership(set, state);

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

    const result = membership(set, state);

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

    const result = membership(set, state);

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

    const result = membership(set, state);

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

    const result = membership(set, state, [create]);

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

    const result = membership(set, state);

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

    const result = membership(set, state, [del]);

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

    const result = membership(set, state, [], protectedNames(set));

    expect(result.steps).toEqual([]);
  });
});
