import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import type { RamEmulator } from "../../lib/emulator";
import { makeProgram } from "../../lib/cli/program";
import { loadUserSets } from "../../lib";
import { ramScim } from "../helpers/cli";
import { withEmulator } from "../helpers/emulator";
import { match } from "../helpers/match";

const GITOPS = join(__dirname, "../../examples/gitops");

/** GitLab's `!reference [job, key]`, kept as what it names. */
const GITLAB_REFERENCE = {
  tag: "!reference",
  collection: "seq" as const,
  resolve: (seq: unknown) => ({ reference: (seq as { toJSON(): unknown }).toJSON() }),
};

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "ram-scim-gitops-"));
  write(dir, files);
  return dir;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

describe("GitOps: many files, many teams", () => {
  it("reads a folder: owners from the files or ram-scim.yaml, one set per owner, policy protected names", () => {
    const sets = loadUserSets([join(GITOPS, "users")]);
    expect(sets.map((s) => [s.owner, s.users.map((u) => u.userName)])).toEqual([
      ["data", ["carol.wu"]],
      ["platform", ["alice.zhang", "bob.li"]],
    ]);
    expect(sets[1]?.protected).toContain("break-glass");
  });

  it("names both places of a person declared in two files, and checks the policy with positions", async () => {
    const dir = repo({
      "ram-scim.yaml":
        'owner: platform\npolicy:\n  userNamePattern: "^[a-z.]+$"\n  requireKey: true\n',
      "users/a.yaml": "users:\n  - userName: alice\n    key: e1\n",
      "users/b.yaml":
        "owner: data\nusers:\n  - userName: Bob_X\n  - userName: ALICE\n    key: e9\n",
    });
    const r = await ramScim(["validate", join(dir, "users")]);
    expect(r.code).toBe(1);
    const b = join(dir, "users/b.yaml");
    expect(r.err).toContain(
      `${b}:3:15: users[0].userName: "Bob_X" does not follow the team's policy userNamePattern ^[a-z.]+$`,
    );
    expect(r.err).toContain(
      `${b}:3:15: users[0].userName: Bob_X has no key: the team's policy requires one per person`,
    );
    // Run from the repository, as CI does: the policy file is named as found from there.
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const here = await ramScim(["validate", "users"]);
      expect(here.err).toContain("requires one per person (ram-scim.yaml)");
      expect(here.err).not.toContain(dir);
    } finally {
      process.chdir(cwd);
    }
    const ok = await ramScim(["validate", join(GITOPS, "users")]);
    expect(ok.code).toBe(0);
    const dup = repo({
      "users/a.yaml": "owner: t\nusers:\n  - userName: alice\n",
      "users/b.yaml": "owner: u\nusers:\n  - userName: Alice\n",
    });
    const twice = await ramScim(["validate", join(dup, "users")]);
    expect(twice.err).toContain(
      `${join(dup, "users/b.yaml")}:3:5: userName: Alice is declared twice: also at ${join(dup, "users/a.yaml")}:3:5`,
    );
  });
});

describe("GitOps: ram-scim diff, with no call to RAM", () => {
  it("shows joiners, changes and leavers between git revisions, as text, markdown and JSON", async () => {
    const dir = repo({
      "ram-scim.yaml": "owner: platform\n",
      "users/platform.yaml":
        "users:\n  - userName: alice\n    key: e1\n    displayName: Alice\n  - userName: bob\n    key: e2\n",
    });
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
        cwd: dir,
        stdio: "pipe",
      });
    git("init", "-q");
    git("add", ".");
    git("commit", "-qm", "start");
    write(dir, {
      "users/platform.yaml":
        "users:\n  - userName: alice.zhang\n    key: e1\n    displayName: Alice Zhang\n  - userName: carol\n    key: e3\n",
    });
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect((await ramScim(["diff", "--git", "HEAD", "users"])).code).toBe(0);
      const text = await ramScim(["diff", "--git", "HEAD", "users", "--detailed-exitcode"]);
      expect(text.err).toBe("");
      expect(text.code).toBe(2);
      expect(text.out).toBe(
        [
          "owner platform:",
          "  + carol joins",
          '  ~ alice.zhang: userName "alice" -> "alice.zhang"; displayName "Alice" -> "Alice Zhang"',
          "  - bob leaves",
          "",
          "1 join, 1 change, 1 leave.",
          "",
        ].join("\n"),
      );
      const md = await ramScim(["diff", "--git", "HEAD", "users", "--format", "markdown"]);
      expect(md.out).toContain("| ➕ joins | `carol` |");
      expect(md.out).toContain("| ➖ leaves | `bob` | |");
      const json: unknown = JSON.parse(
        (await ramScim(["diff", "--git", "HEAD", "users", "--format", "json"])).out,
      );
      expect(json).toMatchObject({
        formatVersion: 1,
        kind: "diff",
        changes: true,
        owners: [
          { owner: "platform", joiners: [{ userName: "carol" }], leavers: [{ userName: "bob" }] },
        ],
      });
      git("add", ".");
      git("commit", "-qm", "changes");
      expect((await ramScim(["diff", "--git", "HEAD", "users", "--detailed-exitcode"])).code).toBe(
        0,
      );
      expect(
        (
          await ramScim([
            "diff",
            "--git",
            "HEAD~1",
            "--head",
            "HEAD",
            "users",
            "--detailed-exitcode",
          ])
        ).code,
      ).toBe(2);
      expect((await ramScim(["diff", "--git", "no-such-rev", "users"])).err).toContain(
        "git ls-tree",
      );
      // A file broken at a revision is named as git names it, not by a scratch folder.
      write(dir, { "users/platform.yaml": "users:\n  - userName: bad name\n" });
      git("add", ".");
      git("commit", "-qm", "broken");
      const broken = await ramScim(["diff", "--git", "HEAD", "--head", "HEAD~1", "users"]);
      expect(broken.code).toBe(1);
      expect(broken.err).toContain("HEAD:users/platform.yaml:2:15:");
      expect(broken.err).not.toContain(tmpdir());
    } finally {
      process.chdir(cwd);
    }
  });

  it("shows a display name that was left out as (none), as plan does, not as an empty string", async () => {
    const before = repo({ "a.yaml": "owner: p\nusers:\n  - userName: ana\n" });
    const after = repo({ "a.yaml": "owner: p\nusers:\n  - userName: ana\n    displayName: Ana\n" });
    const r = await ramScim(["diff", join(before, "a.yaml"), join(after, "a.yaml")]);
    expect(r.out).toContain('~ ana: displayName (none) -> "Ana"');
  });

  it("compares two folders", async () => {
    const a = repo({ "u.yaml": "owner: t\nusers:\n  - userName: a\n" });
    const b = repo({ "u.yaml": "owner: t\nusers:\n  - userName: a\n  - userName: b\n" });
    const r = await ramScim(["diff", a, b, "--detailed-exitcode"]);
    expect(r).toMatchObject({ code: 2, out: match.stringContaining("+ b joins") });
  });
});

describe("GitOps: bootstrapping from RAM", () => {
  let emulator: RamEmulator;
  afterEach(() => emulator.close());

  it("export --split-by owner writes one file per owner whose plan is empty, and the adopt candidates", async () => {
    emulator = await withEmulator({
      clients: [{ clientId: "9400", clientSecret: "s" }],
      seedUsers: [
        { userName: "alice", displayName: "Alice", externalId: "platform:e1" },
        { userName: "bob", externalId: "platform:bob" },
        { userName: "carol", externalId: "data:e7" },
        { userName: "console.admin", displayName: "Console Admin" },
      ],
    });
    const env = {
      RAM_SCIM_CLIENT_ID: "9400",
      RAM_SCIM_CLIENT_SECRET: "s",
      RAM_SCIM_URL: emulator.scimUrl,
      RAM_SCIM_TOKEN_URL: emulator.tokenUrl,
    };
    const out = join(mkdtempSync(join(tmpdir(), "ram-scim-export-")), "users");
    const exported = await ramScim(["export", "--split-by", "owner", "--out", out], env);
    expect(exported.code).toBe(0);
    expect(readFileSync(join(out, "adopt-candidates.txt"), "utf8")).toContain(
      "# - userName: console.admin",
    );
    const planned = await ramScim(["plan", out], env);
    expect(planned.code).toBe(0);
    expect(planned.out.match(/No changes\./g)).toHaveLength(2);
  });
});

describe("GitOps: the example workflows", () => {
  const commands = makeProgram(
    {
      stdout: () => undefined,
      stderr: () => undefined,
      env: {},
      stop: new AbortController().signal,
    },
    { exitCode: 0 },
  ).commands.map((c) => c.name());

  it.each([".github/workflows/ram-users.yml", ".gitlab-ci.yml"])(
    "%s parses and calls only ram-scim commands that exist",
    (file) => {
      const text = readFileSync(join(GITOPS, file), "utf8");
      expect((): unknown => parse(text, { customTags: [GITLAB_REFERENCE] })).not.toThrow();
      const called = [...text.matchAll(/ram-scim ([a-z-]+)/g)].map((m) => m[1] as string);
      expect(called.length).toBeGreaterThanOrEqual(4);
      expect(called.filter((c) => !commands.includes(c))).toEqual([]);
    },
  );

  it("route only a deletion-guard refusal (exit 3) to approval, with the count the plan showed", () => {
    const github = readFileSync(join(GITOPS, ".github/workflows/ram-users.yml"), "utf8");
    const gitlab = readFileSync(join(GITOPS, ".gitlab-ci.yml"), "utf8");
    for (const text of [github, gitlab]) {
      expect(text).toContain("3) node ci/approval.mjs plan.json");
      // An apply only from the newest commit: an older run clicked later is stale.
      expect(text).toMatch(
        /git rev-parse FETCH_HEAD\)" != "\$(\{\{ github\.sha \}\}|CI_COMMIT_SHA)"/,
      );
      expect(text).toContain('*) exit "$code"');
      expect(text).not.toContain("100%");
      expect(text).not.toMatch(/-le 2|-eq 2/);
      // The apply applies the plan the reviewers saw, or nothing.
      expect(text).toContain("npx ram-scim plan users --format json --out reviewed-plan.json");
      const applies = [...text.matchAll(/npx ram-scim apply [^\n]*/g)].map((m) => m[0]);
      expect(applies.length).toBeGreaterThan(0);
      for (const a of applies) expect(a).toContain("--plan reviewed-plan.json");
    }
    expect((parse(github) as { concurrency: unknown }).concurrency).toMatchObject({
      "cancel-in-progress": false,
    });
    const lab = parse(gitlab, { customTags: [GITLAB_REFERENCE] }) as Record<
      "plan" | "apply" | "apply-past-guard" | ".serialized",
      { extends?: string; script: unknown[]; rules: unknown[]; resource_group?: string }
    >;
    for (const job of ["plan", "apply", "apply-past-guard"] as const)
      expect(lab[job].extends).toBe(".serialized");
    for (const job of ["apply", "apply-past-guard"] as const)
      expect(lab[job].script[0]).toEqual({ reference: [".latest", "script"] });
    expect(lab["apply-past-guard"].rules[0]).toMatchObject({ when: "manual", allow_failure: true });
    expect(lab[".serialized"].resource_group).toBe("ram-users");
  });
});

describe("GitOps: ci/approval.mjs on real plans", () => {
  let emulator: RamEmulator;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    emulator = await withEmulator({
      seedUsers: [
        ...Array.from({ length: 9 }, (_, i) => ({
          userName: `p${i}`,
          externalId: `platform:p${i}`,
        })),
        ...Array.from({ length: 40 }, (_, i) => ({ userName: `b${i}`, externalId: `big:b${i}` })),
        { userName: "ops.bot", externalId: "other-team:ops.bot" },
      ],
    });
    env = {
      RAM_SCIM_CLIENT_ID: emulator.client.clientId,
      RAM_SCIM_CLIENT_SECRET: emulator.client.clientSecret,
      RAM_SCIM_URL: emulator.scimUrl,
      RAM_SCIM_TOKEN_URL: emulator.tokenUrl,
    };
  });
  afterAll(() => emulator.close());

  /** Plans as the workflow does, then runs the approval script on the JSON. */
  async function approval(files: Record<string, string>) {
    const dir = repo(files);
    const planned = await ramScim(["plan", join(dir, "users"), "--format", "json"], env);
    writeFileSync(join(dir, "plan.json"), planned.out);
    try {
      const out = execFileSync(process.execPath, [join(GITOPS, "ci/approval.mjs"), "plan.json"], {
        cwd: dir,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
      return { plan: planned.code, code: 0, out };
    } catch (e) {
      const err = e as { status: number; stderr: string };
      return { plan: planned.code, code: err.status, out: err.stderr };
    }
  }

  it("a guard refusal: approve the deletes the plan showed, enough for every owner in the run", async () => {
    const r = await approval({
      // 7 of 9 deleted: past the default limit of 5.
      "users/platform.yaml":
        "owner: platform\nusers:\n  - userName: p0\n    key: p0\n  - userName: p1\n    key: p1\n",
      // 8 of 40 deleted: within its limit of 10, and the approved limit must not refuse it.
      "users/big.yaml":
        "owner: big\nusers:\n" +
        Array.from({ length: 32 }, (_, i) => `  - userName: b${i}\n    key: b${i}\n`).join(""),
    });
    expect(r).toEqual({ plan: 3, code: 0, out: "guard=refused\napproved=8\n" });
  });

  it("any other refusal is not approvable: it names it and fails", async () => {
    const r = await approval({
      "users/platform.yaml":
        "owner: platform\nadopt: [ops.bot]\nusers:\n  - userName: ops.bot\n" +
        Array.from({ length: 9 }, (_, i) => `  - userName: p${i}\n    key: p${i}\n`).join(""),
    });
    expect(r.plan).toBe(3);
    expect(r.code).toBe(1);
    expect(r.out).toContain('managed by owner "other-team"');
  });
});
