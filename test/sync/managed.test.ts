// The managed count an adapter records: after an apply, and at refresh (no result).
import { apply, managedAfter, ownHoldings, plan } from "../../lib/core/sync";
import type { UserDirectory } from "../../lib/core/sync";
import type { ScimUser, ScimUserInput } from "../../lib/core/scim";
import { defineUserSet } from "../../lib/core/users";

const ram: ScimUser[] = [
  { id: "1", userName: "alice", externalId: "platform:alice" },
  { id: "2", userName: "bob", externalId: "platform:bob" },
  { id: "3", userName: "carol", externalId: "platform:carol" },
  { id: "4", userName: "console.user" },
];

/** A directory that does every step, or refuses the deletes. */
function directory(refuseDeletes = false): UserDirectory {
  let next = 100;
  const user = (input: ScimUserInput, id: string): ScimUser => ({ id, ...input });
  return {
    createUser: (input) => Promise.resolve(user(input, String(next++))),
    replaceUser: (id, input) => Promise.resolve(user(input, id)),
    deleteUser: () => (refuseDeletes ? Promise.reject(new Error("refused")) : Promise.resolve()),
    findUser: () => Promise.resolve(undefined),
  };
}

describe("managedAfter", () => {
  const set = defineUserSet({
    owner: "platform",
    users: [
      { userName: "alice" },
      { userName: "bob" },
      { userName: "dave" },
      { userName: "console.user" },
    ],
    adopt: ["console.user"],
  });
  const p = plan(set, ram);

  it("is the count the plan found when nothing is applied (a refresh)", () => {
    expect(managedAfter(p)).toBe(3);
  });

  it("adds creates and adoptions and takes off deletes that were done", async () => {
    const result = await apply(directory(), p);
    expect(result.ok).toBe(true);
    // 3 found, + dave, + console.user adopted, - carol deleted
    expect(managedAfter(p, result)).toBe(4);
  });

  it("counts only the steps that were done", async () => {
    const result = await apply(directory(true), p);
    expect(result.outcomes.find((o) => o.step.action === "delete")?.status).toBe("failed");
    expect(managedAfter(p, result)).toBe(5);
  });
});

describe("ownHoldings", () => {
  it("counts the owner's own users and those the set does not declare", () => {
    const set = defineUserSet({ owner: "platform", users: [{ userName: "alice" }] });
    expect(ownHoldings(ram, set)).toEqual({ own: 3, undeclared: 2 });
  });

  it("finds nothing for an owner that holds no one", () => {
    const set = defineUserSet({ owner: "security", users: [{ userName: "alice" }] });
    expect(ownHoldings(ram, set)).toEqual({ own: 0, undeclared: 0 });
  });
});
