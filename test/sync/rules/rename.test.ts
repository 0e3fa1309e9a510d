/** The rename rule on its own (cdk-nag style): pass and fail cases on a literal RAM state. */
import type { ScimUser } from "../../../lib/core/scim/types";
import { indexRam } from "../../../lib/core/sync/rules/ownership";
import { orderByNames } from "../../../lib/core/sync/rules/rename";
import type { CreateStep, DeleteStep, PlanStep, UpdateStep } from "../../../lib/core/sync/types";
import { defineUserSet } from "../../../lib/core/users";
import { declared } from "./fixtures";

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
