import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineUserSet, loadUserSetFile, parseUserSet, UserSetError } from "../../lib";

function problems(text: string, file = "users.yaml"): string[] {
  try {
    parseUserSet(text, file);
  } catch (e) {
    if (e instanceof UserSetError) return e.message.split("\n");
    throw e;
  }
  return [];
}

describe("users file: valid input", () => {
  it("normalizes principal names, defaults keys and builds externalIds", () => {
    const set = parseUserSet(
      [
        "# yaml-language-server: $schema=../node_modules/alicloud-ram-scim/dist/core/users/users-file.schema.json",
        "owner: platform",
        "users:",
        "  - userName: alice.zhang@acme.onaliyun.com",
        "    displayName: Alice Zhang",
        "    key: e1001",
        "  - userName: Bob.Li",
        "protected: [break-glass]",
        "adopt: [bob.li]",
      ].join("\n"),
      "users.yaml",
    );
    expect(set).toMatchObject({
      owner: "platform",
      users: [
        {
          userName: "alice.zhang",
          displayName: "Alice Zhang",
          key: "e1001",
          externalId: "platform:e1001",
          source: { file: "users.yaml", line: 4, col: 5 },
        },
        { userName: "Bob.Li", key: "bob.li", externalId: "platform:bob.li" },
      ],
      protected: ["break-glass"],
      adopt: ["bob.li"],
      allowEmpty: false,
    });
  });

  it("reads JSON of the same shape", () => {
    expect(
      parseUserSet('{"owner":"t","users":[{"userName":"a"}]}', "users.json").users,
    ).toHaveLength(1);
  });
});

describe("users file: every problem at once, with line and column", () => {
  it.each([
    [
      "a missing owner",
      "users:\n  - userName: a\n",
      ['users.yaml:1:1: missing required field "owner"'],
    ],
    [
      "an owner with a colon",
      "owner: a:b\nusers:\n  - userName: a\n",
      ['users.yaml:1:8: owner: "a:b" is not a valid owner'],
    ],
    [
      "a user without userName",
      "owner: t\nusers:\n  - displayName: X\n",
      ['users.yaml:3:5: users[0]: missing required field "userName"'],
    ],
    [
      "a bad user name",
      "owner: t\nusers:\n  - userName: has space\n",
      ['users.yaml:3:15: users[0].userName: "has space" is not a valid RAM user name'],
    ],
    [
      "a name of 65 characters",
      `owner: t\nusers:\n  - userName: ${"x".repeat(65)}\n`,
      ["users.yaml:3:15: users[0].userName:"],
    ],
    [
      "a display name of 25 characters",
      `owner: t\nusers:\n  - userName: a\n    displayName: ${"y".repeat(25)}\n`,
      [
        'users.yaml:4:18: users[0].displayName: "' +
          "y".repeat(25) +
          '" is 25 characters; RAM allows 1-24',
      ],
    ],
    [
      "an email",
      "owner: t\nusers:\n  - userName: a\n    email: a@example.com\n",
      [
        'users.yaml:4:5: users[0].email: "email" is not supported: RAM\'s SCIM does not take email addresses',
      ],
    ],
    [
      "a mobile number",
      "owner: t\nusers:\n  - userName: a\n    mobile: '123'\n",
      [
        'users.yaml:4:5: users[0].mobile: "mobile" is not supported: RAM\'s SCIM does not take phone numbers',
      ],
    ],
    [
      "active",
      "owner: t\nusers:\n  - userName: a\n    active: false\n",
      [
        'users.yaml:4:5: users[0].active: "active" is not supported: RAM users have no enabled or disabled state',
      ],
    ],
    [
      "a group not in managedGroups",
      "owner: t\nusers:\n  - userName: a\n    groups: [dev]\n",
      ['users.yaml:4:14: users[0].groups[0]: group "dev" is not listed in managedGroups'],
    ],
    [
      "a bad group name",
      'owner: t\nmanagedGroups: ["dev ops"]\nusers:\n  - userName: a\n',
      ['users.yaml:2:17: managedGroups[0]: "dev ops" is not a valid RAM group name'],
    ],
    [
      "a mistyped field",
      "owner: t\nusers:\n  - userName: a\n    displayname: A\n",
      [
        'users.yaml:4:5: users[0].displayname: unknown field "displayname": did you mean "displayName"?',
      ],
    ],
    [
      "a top-level typo",
      "owner: t\nusers: []\nallowEmpty: true\nprotect: [a]\n",
      [
        'users.yaml:4:1: protect: unknown field "protect": the file takes owner, users, protected, adopt, transferFrom, allowEmpty',
      ],
    ],
    [
      "names differing only in case",
      "owner: t\nusers:\n  - userName: alice\n  - userName: ALICE\n",
      ['users.yaml:4:15: users[1].userName: "ALICE" is declared twice (also at 3:15)'],
    ],
    [
      "a principal name duplicating a bare one",
      "owner: t\nusers:\n  - userName: alice\n  - userName: alice@acme.onaliyun.com\n",
      ['users.yaml:4:15: users[1].userName: "alice@acme.onaliyun.com" is declared twice'],
    ],
    [
      "two explicit keys alike",
      "owner: t\nusers:\n  - userName: a\n    key: E1\n  - userName: b\n    key: e1\n",
      ['users.yaml:6:10: users[1].key: key "e1" is already used by users[0]'],
    ],
    [
      "an adopt entry not declared",
      "owner: t\nusers:\n  - userName: a\nadopt: [legacy]\n",
      ['users.yaml:4:9: adopt[0]: "legacy" is not declared under users'],
    ],
    [
      "an empty users list",
      "owner: t\nusers: []\n",
      ["users.yaml:2:8: users: the users list is empty"],
    ],
    [
      "a duplicate field",
      "owner: t\nowner: u\nusers:\n  - userName: a\n",
      ['users.yaml:2:1: duplicate field: "owner" is written twice in this mapping; keep one'],
    ],
    [
      "broken YAML",
      "owner: t\nusers:\n  - userName: [a\n",
      ["users.yaml:4:1: not valid YAML/JSON"],
    ],
    [
      "a list instead of a mapping",
      "- userName: a\n",
      [
        "users.yaml:1:1: the file must be a mapping with owner and users, got a list: is it the users file?",
      ],
    ],
  ])("reports %s", (_case, text, expected) => {
    const found = problems(text);
    expect(found).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(found[i]).toContain(e));
  });

  it("reports several problems in file order", () => {
    const found = problems(
      "owner: t\nusers:\n  - userName: ok\n    phone: '1'\n  - userName: bad name\n    displayName: ''\nadopt: [ghost]\n",
    );
    expect(found.map((l) => l.split(": ")[0])).toEqual([
      "users.yaml:4:5",
      "users.yaml:5:15",
      "users.yaml:6:18",
      "users.yaml:7:9",
    ]);
  });

  it("accepts an empty list when allowed", () => {
    expect(parseUserSet("owner: t\nusers: []\nallowEmpty: true\n", "u.yaml").users).toEqual([]);
  });

  it("says when the file cannot be read", () => {
    const dir = mkdtempSync(join(tmpdir(), "users-"));
    expect(() => loadUserSetFile(join(dir, "missing.yaml"))).toThrow(
      `${join(dir, "missing.yaml")}:1:1: cannot read the users file: no such file`,
    );
    writeFileSync(join(dir, "ok.yml"), "owner: t\nusers:\n  - userName: a\n");
    expect(loadUserSetFile(join(dir, "ok.yml")).source).toBe(join(dir, "ok.yml"));
  });
});

describe("defineUserSet", () => {
  it("applies the same rules and names the field path", () => {
    expect(() =>
      defineUserSet({
        owner: "t",
        users: [{ userName: "a" }, { userName: "A", displayName: "z".repeat(30) }],
      }),
    ).toThrow(
      /defineUserSet: users\[1\]\.displayName: .* is 30 characters; RAM allows 1-24\ndefineUserSet: users\[1\]\.userName: "A" is declared twice/,
    );
  });
});
