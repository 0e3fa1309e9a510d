/** The protect rule on its own (cdk-nag style): pass and fail cases on a literal RAM state. */
import type { ScimUser } from "../../../lib/core/scim/types";
import { protectedChange, protectedNames } from "../../../lib/core/sync/rules/protect";
import { defineUserSet } from "../../../lib/core/users";

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
