/** The force rule on its own (cdk-nag style): pass and fail cases on a literal RAM state. */
import type { ScimUser } from "../../../lib/core/scim/types";
import { clearingSteps } from "../../../lib/core/sync/rules/force";
import type { DeleteStep, GroupStep, RamState } from "../../../lib/core/sync/types";
import { defineUserSet } from "../../../lib/core/users";

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

  it("clearingSteps: does not warn about a managed group the membership rule removes first", () => {
    const set = defineUserSet({ owner: "platform", users });
    const onlyGroup: RamState = {
      users: [carol],
      blockers: {
        "103": {
          accessKeys: [],
          mfaDevice: false,
          loginProfile: false,
          groups: ["dev"],
          policies: [],
        },
      },
    };
    const removal: GroupStep = {
      action: "remove-from-group",
      stepId: "remove:103:dev",
      after: [],
      userName: "carol",
      group: "dev",
      leaver: true,
    };

    const removedFirst = clearingSteps(set, [del], onlyGroup, new Map([["delete:103", [removal]]]));
    const notRemoved = clearingSteps(set, [del], onlyGroup, new Map());

    expect(removedFirst.warnings).toEqual([]);
    expect(notRemoved.warnings).toEqual([expect.stringContaining("carol still has groups dev")]);
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
