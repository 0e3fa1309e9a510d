/** The adopt rule on its own (cdk-nag style): pass and fail cases on a literal RAM state. */
import type { ScimUser } from "../../../lib/core/scim/types";
import { adoptOrRefuse } from "../../../lib/core/sync/rules/adopt";
import { protectedNames } from "../../../lib/core/sync/rules/protect";
import { defineUserSet } from "../../../lib/core/users";
import { declared, noneProtected } from "./fixtures";

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
    // The fix it names is the transfer's, not an adopt entry the set does not have.
    expect("message" in result && result.message).toContain(
      'cannot move from owner "team-b" to owner "platform"',
    );
  });
});
