/** The ownership rule on its own (cdk-nag style): pass and fail cases on a literal RAM state. */
import type { ScimUser } from "../../../lib/core/scim/types";
import { indexRam, ownerOf } from "../../../lib/core/sync/rules/ownership";

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
