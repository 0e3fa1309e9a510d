/** The changes rule on its own (cdk-nag style): pass and fail cases on a literal RAM state. */
import type { ScimUser } from "../../../lib/core/scim/types";
import { userChanges } from "../../../lib/core/sync/rules/changes";
import { defineUserSet } from "../../../lib/core/users";
import { declared } from "./fixtures";

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
