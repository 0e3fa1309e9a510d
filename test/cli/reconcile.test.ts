import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import Ajv from "ajv";
import type { RamEmulator } from "../../lib/emulator";
import outputSchema from "../../lib/core/sync/json-output.schema.json";
import { ramScim } from "../helpers/cli";
import { clientFor, withEmulator } from "../helpers/emulator";

/** A loopback URL where nothing listens any more. */
async function closedPortUrl(): Promise<string> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}`;
}

const SECRET = "cli-Secret-never-printed-0123";
const dir = mkdtempSync(join(tmpdir(), "ram-scim-cli-"));
const validOutput = new Ajv({ strict: true }).compile(outputSchema);

/** The CLI's settings for the test client of an emulator. */
function envFor(emulator: RamEmulator): NodeJS.ProcessEnv {
  return {
    RAM_SCIM_CLIENT_ID: "8001",
    RAM_SCIM_CLIENT_SECRET: SECRET,
    RAM_SCIM_URL: emulator.scimUrl,
    RAM_SCIM_TOKEN_URL: emulator.tokenUrl,
  };
}

function usersFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const TEAM = usersFile(
  "team.yaml",
  "owner: platform\nusers:\n  - userName: alice\n    displayName: Alice\n    key: e1\n  - userName: bob\n    key: e2\n",
);

describe("ram-scim plan and apply", () => {
  let emulator: RamEmulator;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    emulator = await withEmulator({
      clients: [{ clientId: "8001", clientSecret: SECRET }],
      seedUsers: [{ userName: "console.admin" }, { userName: "leaver", externalId: "platform:e9" }],
    });
    env = envFor(emulator);
  });
  afterEach(() => emulator.close());

  it("plan exits 0, or 2 with --detailed-exitcode, with changes pending; apply exits 0; then no changes", async () => {
    expect((await ramScim(["plan", TEAM], env)).code).toBe(0);
    const pending = await ramScim(["plan", TEAM, "--detailed-exitcode"], env);
    expect(pending).toMatchObject({ code: 2, err: "" });
    expect(pending.out).toContain("+ create alice");
    expect(pending.out).toContain("- delete leaver");
    expect(pending.out).toContain(
      "Plan: 2 to create, 0 to update, 0 to adopt, 1 to delete, 0 unchanged.",
    );
    expect(pending.out).not.toContain("\u001b[");

    const applied = await ramScim(["apply", "--auto-approve", TEAM], env);
    expect(applied.code).toBe(0);
    expect(applied.out).toMatch(/✓ create alice \(id \d+\)/);
    expect(applied.out).toContain("Apply complete: 3 done, 0 failed, 0 skipped.");

    const clean = await ramScim(["plan", TEAM], env);
    expect(clean.code).toBe(0);
    expect(clean.out).toContain("No changes.");
  });

  it("prints JSON that follows the documented schema, for plan and apply", async () => {
    const planned = await ramScim(["plan", TEAM, "--format", "json"], env);
    const planDoc: unknown = JSON.parse(planned.out);
    expect(validOutput(planDoc)).toBe(true);
    expect(planDoc).toMatchObject({
      formatVersion: 1,
      kind: "plan",
      owner: "platform",
      changes: true,
      summary: { create: 2, delete: 1 },
    });
    const applied = await ramScim(["apply", "--auto-approve", TEAM, "--format", "json"], env);
    const resultDoc = JSON.parse(applied.out) as { steps: { id?: string }[] };
    expect(validOutput(resultDoc)).toBe(true);
    expect(resultDoc).toMatchObject({
      kind: "result",
      ok: true,
      summary: { done: 3, failed: 0, skipped: 0 },
    });
    expect(resultDoc.steps.every((s) => typeof s.id === "string")).toBe(true);
  });

  it("prints markdown for a pull-request comment, with the guard's verdict at the top", async () => {
    const { out, code } = await ramScim(
      ["plan", TEAM, "--format", "markdown", "--detailed-exitcode"],
      env,
    );
    expect(code).toBe(2);
    const lines = out.split("\n");
    expect(lines[0]).toBe("### ram-scim plan — owner `platform`");
    expect(lines[2]).toMatch(/^✅ Deletion guard: 1 of at most 5 deletions/);
    expect(out).toContain("| + create | `alice` |");
  });

  it("collapses a markdown list past 20 entries", async () => {
    const many = usersFile(
      "many.yaml",
      `owner: platform\nusers:\n${Array.from({ length: 25 }, (_, i) => `  - userName: u${i}\n`).join("")}`,
    );
    const { out } = await ramScim(["plan", many, "--format", "markdown"], env);
    expect(out).toContain("<details><summary>26 changes</summary>");
  });

  it("takes --max-deletes from RAM_SCIM_MAX_DELETES when the flag is not given, and the flag over it", async () => {
    const keepNone = usersFile(
      "none-env.yaml",
      "owner: platform\nusers:\n  - userName: someone.else\n",
    );
    await ramScim(["apply", "--auto-approve", TEAM], env);
    const fromVariable = await ramScim(["plan", keepNone], { ...env, RAM_SCIM_MAX_DELETES: "1" });
    expect(fromVariable.code).toBe(3);
    expect(fromVariable.out).toContain("raise the limit: --max-deletes 2");
    const flagWins = await ramScim(["plan", keepNone, "--max-deletes", "100%"], {
      ...env,
      RAM_SCIM_MAX_DELETES: "1",
    });
    expect(flagWins.code).toBe(0);
    const bad = await ramScim(["plan", keepNone], { ...env, RAM_SCIM_MAX_DELETES: "many" });
    expect(bad.code).toBe(1);
    expect(bad.err).toContain(
      'RAM_SCIM_MAX_DELETES takes a count (10) or a share of the managed users (30%), got "many"',
    );
    const help = (await ramScim(["apply", "--help"], env)).out.replace(/\s+/g, " ");
    expect(help).toContain("(env: RAM_SCIM_MAX_DELETES)");
    expect(help).toContain("(env: RAM_SCIM_AUDIT_LOG)");
  });

  it("writes the audit log RAM_SCIM_AUDIT_LOG names, in apply and teardown, and names the variable when it cannot", async () => {
    const audit = join(dir, "env-audit.jsonl");
    const withLog = { ...env, RAM_SCIM_AUDIT_LOG: audit };
    const applied = await ramScim(["apply", "--auto-approve", TEAM], withLog);
    expect(applied.code).toBe(0);
    const afterApply = readFileSync(audit, "utf8").trim().split("\n");
    expect(afterApply.length).toBeGreaterThan(0);
    const torn = await ramScim(
      ["teardown", "--auto-approve", "--max-deletes", "100%", TEAM],
      withLog,
    );
    expect(torn.code).toBe(0);
    const afterTeardown = readFileSync(audit, "utf8").trim().split("\n");
    expect(afterTeardown.length).toBeGreaterThan(afterApply.length);
    expect(JSON.parse(afterTeardown.at(-1) as string)).toMatchObject({ action: "delete" });
    const unwritable = await ramScim(["apply", "--auto-approve", TEAM], {
      ...env,
      RAM_SCIM_AUDIT_LOG: "/proc/nope/audit.log",
    });
    expect(unwritable.code).toBe(1);
    expect(unwritable.err).toContain("RAM_SCIM_AUDIT_LOG /proc/nope/audit.log: cannot write it");
  });

  it("exits 1 and changes nothing when the deletion guard refuses, saying how to raise it", async () => {
    const keepNone = usersFile(
      "none.yaml",
      "owner: platform\nusers:\n  - userName: someone.else\n",
    );
    await ramScim(["apply", "--auto-approve", TEAM], env);
    const planned = await ramScim(["plan", keepNone, "--max-deletes", "1"], env);
    expect(planned.code).toBe(3); // refused by a safety rule, not an error
    expect(planned.out).toContain("raise the limit: --max-deletes 2");
    const applied = await ramScim(["apply", "--auto-approve", keepNone, "--max-deletes", "1"], env);
    expect(applied.code).toBe(3);
    expect(emulator.counters().byRoute["DELETE /Users/{id}"]).toBe(1); // the first apply's leaver only
    const raised = await ramScim(
      ["apply", "--auto-approve", keepNone, "--max-deletes", "100%"],
      env,
    );
    expect(raised.code).toBe(0);
  });

  it("exits 1 when a step fails, and says which and why", async () => {
    emulator.seedUsers([
      { userName: "held", externalId: "platform:held", blockers: { loginProfile: true } },
    ]);
    const { code, out } = await ramScim(["apply", "--auto-approve", TEAM], env);
    expect(code).toBe(1);
    expect(out).toContain("✗ delete held");
    expect(out).toContain("delete its console logon (DeleteLoginProfile)");
    expect(out).toContain("Apply incomplete: 3 done, 1 failed, 0 skipped.");
  });

  it("asks before applying on a terminal, and stops on anything but yes", async () => {
    const no = await ramScim(["apply", TEAM], env, { interactive: true, prompt: async () => "y" });
    expect(no.code).toBe(1);
    expect(no.err).toContain("Apply cancelled; nothing was changed.");
    expect(emulator.counters().byRoute["POST /Users"]).toBeUndefined();
    const yes = await ramScim(["apply", TEAM], env, {
      interactive: true,
      prompt: async () => "yes",
    });
    expect(yes.code).toBe(0);
  });

  it("colours text and draws a progress bar only on a terminal, and not with NO_COLOR", async () => {
    const tty = await ramScim(["apply", TEAM, "--auto-approve"], env, {
      stdoutIsTTY: true,
      stderrIsTTY: true,
    });
    expect(tty.out).toContain("\u001b[32m+\u001b[0m create alice");
    expect(tty.err).toContain("[##########");
    expect(tty.err).toContain("] 3/3");
    const noColor = await ramScim(["plan", TEAM], { ...env, NO_COLOR: "1" }, { stdoutIsTTY: true });
    expect(noColor.out).not.toContain("\u001b[");
    const flag = await ramScim(["plan", TEAM, "--no-color"], env, { stdoutIsTTY: true });
    expect([flag.code, flag.out.includes("\u001b[")]).toEqual([0, false]);
  });

  it("prints each step's line above the progress bar, never on the bar's line", async () => {
    // GIVEN one terminal for both streams, as a person sees them
    let screen = "";
    const write = (t: string) => (screen += t);
    await ramScim(["apply", TEAM, "--auto-approve"], env, {
      stdout: write,
      stderr: write,
      stdoutIsTTY: true,
      stderrIsTTY: true,
    });
    // THEN a step's line starts a line of its own: after a newline, or after the bar was erased
    /* eslint-disable no-control-regex -- terminal escapes are what is checked */
    const steps = [...screen.matchAll(/([^]{0,8}) {2}(?:\u001b\[\d+m)?✓(?:\u001b\[0m)? [a-z]/gu)];
    expect(steps.length).toBe(3);
    for (const [, before] of steps) expect(before).toMatch(/(\n|\r\u001b\[2K)$/);
    /* eslint-enable no-control-regex */
    expect(screen).not.toMatch(/\] \d+\/\d+ *[^\r\n]*✓/u);
  });

  it("never prints the secret, in any command or format, even on failure", async () => {
    const secretFile = usersFile("secret.txt", `${SECRET}\n`);
    const wrongEnv = { ...env, RAM_SCIM_CLIENT_SECRET: `${SECRET}-wrong` };
    const runs = [
      ...(["text", "json", "markdown"] as const).flatMap((f) => [
        ["plan", TEAM, "--format", f],
        ["apply", "--auto-approve", TEAM, "--format", f],
      ]),
      ["export", "--owner", "platform", "--all"],
      ["doctor"],
      ["validate", TEAM],
    ].map((args) => ramScim(args, env));
    const failing = [
      ramScim(["plan", TEAM], wrongEnv),
      ramScim(["doctor"], wrongEnv),
      ramScim(
        [
          "plan",
          TEAM,
          "--client-secret-file",
          secretFile,
          "--token-url",
          `${await closedPortUrl()}/v1/token`,
        ],
        { RAM_SCIM_CLIENT_ID: "8001" },
      ),
      ramScim(["plan", TEAM, "--client-secret", SECRET], env),
    ];
    for (const r of await Promise.all([...runs, ...failing])) {
      expect(r.out + r.err).not.toContain(SECRET);
      expect(r.out + r.err).not.toContain(Buffer.from(`8001:${SECRET}`).toString("base64"));
    }
  });

  it("reads the secret from a file or standard input, and refuses it as a flag", async () => {
    const { RAM_SCIM_CLIENT_SECRET: _omit, ...noSecret } = env;
    const secretFile = usersFile("secret2.txt", `${SECRET}\n`);
    expect(
      (
        await ramScim(
          ["plan", TEAM, "--client-secret-file", secretFile, "--detailed-exitcode"],
          noSecret,
        )
      ).code,
    ).toBe(2);
    expect(
      (
        await ramScim(["plan", TEAM, "--client-secret-stdin", "--detailed-exitcode"], noSecret, {
          readStdin: async () => `${SECRET}\n`,
        })
      ).code,
    ).toBe(2);
    const flag = await ramScim(["plan", TEAM, "--client-secret", SECRET], noSecret);
    expect(flag.code).toBe(1);
    expect(flag.err).toContain("--client-secret is not accepted");
    const missing = await ramScim(["plan", TEAM], noSecret);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("RAM_SCIM_CLIENT_SECRET: no client secret");
  });

  it("refuses plain http to a host that is not loopback", async () => {
    const { code, err } = await ramScim(["plan", TEAM], {
      ...env,
      RAM_SCIM_URL: "http://scim.example.com",
    });
    expect(code).toBe(1);
    expect(err).toContain("RAM_SCIM_URL: plain http is allowed only to a loopback host");
  });

  it("checks the file before asking RAM, and reports it with positions", async () => {
    const bad = usersFile(
      "bad.yaml",
      "owner: platform\nusers:\n  - userName: ok\n    email: x@example.com\n",
    );
    const { code, err } = await ramScim(["plan", bad], env);
    expect(code).toBe(1);
    expect(err).toContain(`${bad}:4:5: users[0].email: "email" is not supported`);
    expect(err).not.toMatch(/\n\s+at /);
    expect(emulator.counters().total).toBe(0);
  });

  it("exports a file whose plan is empty (round trip)", async () => {
    await ramScim(["apply", "--auto-approve", TEAM], env);
    emulator.seedUsers([
      { userName: "Console.Two", displayName: "Console Two" },
      { userName: "theirs", externalId: "other:theirs" },
    ]);
    const out = join(dir, "exported.yaml");
    const exported = await ramScim(["export", "--owner", "platform", "--all", "-o", out], env);
    expect(exported.code).toBe(0);
    const text = readFileSync(out, "utf8");
    expect(text).toContain("# Not exported, managed by other owners or IdPs: theirs");
    expect(text).toMatch(/adopt:\n\s+- console.admin\n\s+- Console.Two/);
    const again = await ramScim(["plan", out], env);
    expect(again.out).toContain("2 to adopt, 0 to delete");
    await ramScim(["apply", "--auto-approve", out], env);
    const onlyMine = await ramScim(["export", "--owner", "platform"], env);
    const roundTrip = usersFile("round.yaml", onlyMine.out);
    const final = await ramScim(["plan", roundTrip], env);
    expect(final.code).toBe(0);
    expect(final.out).toContain("No changes.");
  });

  it("export says what it needs", async () => {
    expect((await ramScim(["export", "--all"], env)).err).toContain("--all needs --owner");
  });
});

describe("ram-scim validate", () => {
  it("exits 0 for good files and 1 with every problem of every bad file", async () => {
    const good = await ramScim(["validate", TEAM]);
    expect(good).toMatchObject({ code: 0, out: `${TEAM}: ok (owner platform, 2 users)\n` });
    const bad1 = usersFile(
      "bad1.yaml",
      "owner: t\nusers:\n  - userName: a b\n  - userName: c\n    active: true\n",
    );
    const bad2 = usersFile("bad2.yaml", "owner: t\nusers: []\n");
    const bad = await ramScim(["validate", TEAM, bad1, bad2]);
    expect(bad.code).toBe(1);
    expect(
      bad.err
        .trim()
        .split("\n")
        .map((l) => l.split(": ")[0]),
    ).toEqual([`${bad1}:3:15`, `${bad1}:5:5`, `${bad2}:2:8`]);
  });

  it("validates the example file", async () => {
    expect((await ramScim(["validate", join(__dirname, "../../examples/users.yaml")])).code).toBe(
      0,
    );
  });
});

describe("ram-scim doctor", () => {
  let emulator: RamEmulator;
  beforeAll(async () => {
    emulator = await withEmulator({ clients: [{ clientId: "8001", clientSecret: SECRET }] });
  });
  afterAll(() => emulator.close());
  const base = () => ({
    RAM_SCIM_CLIENT_ID: "8001",
    RAM_SCIM_CLIENT_SECRET: SECRET,
    RAM_SCIM_URL: emulator.scimUrl,
    RAM_SCIM_TOKEN_URL: emulator.tokenUrl,
  });

  it.each([
    ["a working setup", {}, 0, "✓ SCIM: GET /Users answered; RAM holds 0 users"],
    [
      "a wrong secret",
      { RAM_SCIM_CLIENT_SECRET: "nope" },
      1,
      "✗ token: the token endpoint refused the credentials (401",
    ],
    [
      "a port where nothing listens",
      { RAM_SCIM_TOKEN_URL: "CLOSED/v1/token" },
      1,
      "✗ token: nothing listens at 127.0.0.1:",
    ],
    [
      "a SCIM URL with a path",
      { RAM_SCIM_URL: "EMULATOR/scim/v2" },
      1,
      "✗ SCIM: no SCIM service at",
    ],
    [
      "an unknown host",
      { RAM_SCIM_TOKEN_URL: "https://oauth.invalid/v1/token" },
      1,
      "✗ token: cannot resolve oauth.invalid (DNS",
    ],
    ["no client id", { RAM_SCIM_CLIENT_ID: "" }, 1, "✗ settings: RAM_SCIM_CLIENT_ID: no client id"],
  ])("diagnoses %s", async (_case, change, code, expected) => {
    const env: NodeJS.ProcessEnv = { ...base(), ...change };
    if (env.RAM_SCIM_URL?.startsWith("EMULATOR"))
      env.RAM_SCIM_URL = env.RAM_SCIM_URL.replace("EMULATOR", emulator.url);
    if (env.RAM_SCIM_TOKEN_URL?.startsWith("CLOSED"))
      env.RAM_SCIM_TOKEN_URL = env.RAM_SCIM_TOKEN_URL.replace("CLOSED", await closedPortUrl());
    const r = await ramScim(["doctor"], env);
    expect(r.code).toBe(code);
    expect(r.out).toContain(expected);
  });
  it("answers in JSON with --format json: each check, ok or not", async () => {
    const good = await ramScim(["doctor", "--format", "json"], base());
    expect(good.code).toBe(0);
    expect(JSON.parse(good.out)).toMatchObject({
      kind: "doctor",
      ok: true,
      checks: [{ check: "settings" }, { check: "token" }, { check: "scim", ok: true }],
    });
    const bad = await ramScim(["doctor", "--format", "json"], {
      ...base(),
      RAM_SCIM_CLIENT_SECRET: "wrong-secret",
    });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toMatchObject({
      ok: false,
      checks: [
        { check: "settings", ok: true },
        { check: "token", ok: false },
      ],
    });
  });
});

describe("ram-scim validate --format json", () => {
  it("lists every problem with its place, and each valid file", async () => {
    const broken = usersFile("broken-json.yaml", "owner: p\nusers:\n  - userName: bad name\n");
    const r = await ramScim(["validate", broken, "--format", "json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({
      kind: "validation",
      ok: false,
      problems: [{ file: broken, line: 3, col: 15, path: "users[0].userName" }],
    });
    const fine = await ramScim(["validate", TEAM, "--format", "json"]);
    expect(fine.code).toBe(0);
    expect(JSON.parse(fine.out)).toMatchObject({
      ok: true,
      sets: [{ file: TEAM }],
      problems: [],
    });
  });
});

describe("ram-scim with nothing listening", () => {
  it("says each retry as it waits, then what doctor would say and how long it tried", async () => {
    const url = await closedPortUrl();
    const r = await ramScim(["plan", TEAM], {
      RAM_SCIM_CLIENT_ID: "8001",
      RAM_SCIM_CLIENT_SECRET: SECRET,
      RAM_SCIM_URL: url,
      RAM_SCIM_TOKEN_URL: `${url}/v1/token`,
    });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no answer from 127\.0\.0\.1:\d+ \(ECONNREFUSED\); trying again in/);
    expect(r.err).toMatch(
      /POST http:\/\/127\.0\.0\.1:\d+\/v1\/token: nothing listens at .* Gave up after 6 attempts in \d+\.\d s\. `ram-scim doctor` checks every setting\./,
    );
  }, 60_000);
});

describe("ram-scim with the embedded emulator", () => {
  it("uses the application the flags name, so the offline app walkthrough proves something", async () => {
    const state = join(dir, "apps-state.json");
    const secret = join(dir, "walkthrough.secret");
    const app = async (...args: string[]) =>
      ramScim(["app", ...args, "--emulator-state", state, "--format", "json"]);
    const { appId } = JSON.parse(
      (await app("create", "--name", "walk", "--display-name", "Walk")).out,
    ) as { appId: string };
    await app("grant", "--app-id", appId);
    await app("secret", "create", "--app-id", appId, "--out", secret);
    const flags = ["--emulator-state", state, "--client-id", appId, "--client-secret-file", secret];
    const ok = await ramScim(["doctor", ...flags]);
    expect([ok.code, ok.out]).toEqual([0, expect.stringContaining(`application ${appId}`)]);
    await app("revoke", "--app-id", appId);
    const revoked = await ramScim(["doctor", ...flags]);
    expect(revoked.code).toBe(1);
    expect(revoked.out).toContain("✗ token");
    const half = await ramScim(["plan", TEAM, "--emulator", "--client-id", appId]);
    expect(half.code).toBe(1);
    expect(half.err).toContain("give both the application");
    const endpoint = await ramScim([
      "plan",
      TEAM,
      "--emulator",
      "--scim-url",
      "http://127.0.0.1:1",
    ]);
    expect(endpoint.err).toContain("--scim-url and --emulator do not go together");
    const inherited = await ramScim(["plan", TEAM, "--emulator"], { RAM_SCIM_CLIENT_ID: "999" });
    expect(inherited.code).toBe(0);
    expect(inherited.err).toContain(
      "using the emulator's demo application, not RAM_SCIM_CLIENT_ID",
    );
  });

  it("keeps state between runs in a state file", async () => {
    const state = join(dir, "state.json");
    expect((await ramScim(["apply", "--auto-approve", TEAM, "--emulator-state", state])).code).toBe(
      0,
    );
    const again = await ramScim(["plan", TEAM, "--emulator-state", state]);
    expect(again.code).toBe(0);
    expect((JSON.parse(readFileSync(state, "utf8")) as { users: unknown[] }).users).toHaveLength(2);
  });
});

describe("ram-scim safety: nothing changes unless asked, nobody else's people are touched", () => {
  let emulator: RamEmulator;
  let env: NodeJS.ProcessEnv;
  const theirs = { userName: "ops.bot", externalId: "other-team:ops.bot" };
  beforeEach(async () => {
    emulator = await withEmulator({
      clients: [{ clientId: "8001", clientSecret: SECRET }],
      seedUsers: [
        theirs,
        ...Array.from({ length: 8 }, (_, i) => ({
          userName: `member${i}`,
          externalId: `platform:m${i}`,
        })),
        { userName: "odd", externalId: "platform:team-a:x" },
      ],
    });
    env = envFor(emulator);
  });
  afterEach(() => emulator.close());
  const snapshot = () =>
    JSON.stringify(emulator.directory.all().map((u) => [u.id, u.userName, u.externalId]));

  it("apply with no terminal and no --auto-approve changes nothing and names the flag", async () => {
    const grow = usersFile(
      "grow.yaml",
      "owner: platform\nusers:\n  - userName: newcomer\n" +
        Array.from({ length: 8 }, (_, i) => `  - userName: member${i}\n    key: m${i}\n`).join(""),
    );
    const before = snapshot();
    const run = await ramScim(["apply", grow], env);
    expect(run.out).toContain("+ create newcomer");
    expect(run.code).toBe(1);
    expect(run.err).toContain("no terminal to confirm on");
    expect(run.err).toContain("--auto-approve");
    expect(snapshot()).toBe(before);
  });

  it("teardown honours the deletion guard, and never deletes what no file can declare", async () => {
    const before = snapshot();
    const refused = await ramScim(["teardown", "--auto-approve", TEAM], env);
    expect(refused.code).toBe(3);
    expect(refused.out).toContain("more than the limit of 5");
    expect(snapshot()).toBe(before);
    const unasked = await ramScim(["teardown", "--max-deletes", "100%", TEAM], env);
    expect(unasked.code).toBe(1);
    expect(snapshot()).toBe(before);
    const done = await ramScim(["teardown", "--auto-approve", "--max-deletes", "100%", TEAM], env);
    expect(done.code).toBe(0);
    expect(done.out).toContain('"platform:team-a:x"');
    expect(
      emulator.directory
        .all()
        .map((u) => u.userName)
        .sort(),
    ).toEqual(["odd", "ops.bot"]);
  });

  it("adopt never takes another owner's person; transferFrom on the receiving side does", async () => {
    const adopting = usersFile(
      "adopting.yaml",
      "owner: platform\nadopt: [ops.bot]\nusers:\n  - userName: ops.bot\n" +
        Array.from({ length: 8 }, (_, i) => `  - userName: member${i}\n    key: m${i}\n`).join(""),
    );
    const before = snapshot();
    const refused = await ramScim(["apply", "--auto-approve", adopting], env);
    expect(refused.code).toBe(3);
    expect(refused.out).toContain('managed by owner "other-team"');
    expect(refused.out).toContain("transferFrom: [other-team]");
    expect(snapshot()).toBe(before);

    const receiving = usersFile(
      "receiving.yaml",
      "owner: platform\ntransferFrom: [other-team]\nusers:\n  - userName: ops.bot\n" +
        Array.from({ length: 8 }, (_, i) => `  - userName: member${i}\n    key: m${i}\n`).join(""),
    );
    const plan = await ramScim(["plan", receiving], env);
    expect(plan.out).toContain('transfer ops.bot from owner "other-team"');
    const moved = await ramScim(["apply", "--auto-approve", receiving], env);
    expect(moved.code).toBe(0);
    expect(emulator.directory.findByUserName("ops.bot")?.externalId).toBe("platform:ops.bot");
    expect(emulator.directory.findByUserName("odd")?.externalId).toBe("platform:team-a:x");
  });

  it("a move between two owners applied together is a transfer: same RAM id, never a delete", async () => {
    const folder = join(dir, "move");
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, "other-team.yaml"),
      "owner: other-team\nusers:\n  - userName: ot.keeper\n",
    );
    writeFileSync(
      join(folder, "platform.yaml"),
      "owner: platform\ntransferFrom: [other-team]\nusers:\n  - userName: ops.bot\n" +
        Array.from({ length: 8 }, (_, i) => `  - userName: member${i}\n    key: m${i}\n`).join(""),
    );
    const id = emulator.directory.findByUserName("ops.bot")?.id;
    const planned = await ramScim(["plan", folder, "--format", "json"], env);
    expect(planned.code).toBe(0);
    expect(planned.out).toContain('"transferFrom": "other-team"');
    expect(planned.out).toContain('ops.bot moves to owner \\"platform\\" (its transferFrom)');
    expect(planned.out).not.toMatch(/"action": "delete"/);
    const applied = await ramScim(["apply", "--auto-approve", folder], env);
    expect(applied.code).toBe(0);
    expect(emulator.directory.findByUserName("ops.bot")).toMatchObject({
      id,
      externalId: "platform:ops.bot",
    });
  });

  it("a plan that cannot be applied as configured is an error (1), not a refusal (3)", async () => {
    const groups = usersFile(
      "groups.yaml",
      "owner: platform\nmanagedGroups: [no-such-group]\nusers:\n" +
        Array.from({ length: 8 }, (_, i) => `  - userName: member${i}\n    key: m${i}\n`).join(""),
    );
    const run = await ramScim(["plan", groups, "--format", "json"], {
      ...env,
      ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.accessKey.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.accessKey.accessKeySecret,
      RAM_SCIM_IMS_ENDPOINT: emulator.url,
    });
    expect(run.out).toContain('"status": "invalid"');
    expect(run.code).toBe(1);
  });
});

describe("ram-scim apply: signals and --timeout", () => {
  let emulator: RamEmulator;
  let env: NodeJS.ProcessEnv;
  const many = usersFile(
    "slow-many.yaml",
    "owner: slow\nusers:\n" +
      Array.from({ length: 30 }, (_, i) => `  - userName: s${i}\n`).join(""),
  );
  beforeEach(async () => {
    emulator = await withEmulator({
      clients: [{ clientId: "8001", clientSecret: SECRET }],
      faults: { latencyMs: 40 },
    });
    env = envFor(emulator);
  });
  afterEach(() => emulator.close());
  const made = () =>
    emulator.directory.all().filter((u) => u.externalId?.startsWith("slow:")).length;
  /** Calls `then` as the emulator answers the `n`th user made: part-way, on any machine. */
  const atWrite = (n: number, then: () => void) => {
    let writes = 0;
    emulator.onRequest((route) => {
      if (route === "POST /Users" && ++writes === n) then();
    });
  };

  it("SIGTERM stops scheduling, lets the steps in flight end, says what was done, exits 143; the next apply finishes", async () => {
    const stop = new AbortController();
    // The signal comes while the third step is in flight: that one ends, no other starts.
    atWrite(3, () => stop.abort("SIGTERM"));
    const run = await ramScim(["apply", "--auto-approve", "--concurrency", "1", many], env, {
      stop: stop.signal,
    });
    expect(run.code).toBe(143);
    expect(run.err).toMatch(/stopped \(SIGTERM\) after 3 of 30 steps; the others were not started/);
    expect(made()).toBe(3);
    const again = await ramScim(["apply", "--auto-approve", many], env);
    expect(again.code).toBe(0);
    expect(made()).toBe(30);
  });

  it("the built bin maps a real SIGTERM to the same stop", async () => {
    const bin = join(__dirname, "../../dist/cli/bin.js");
    const child = spawn(
      process.execPath,
      [bin, "apply", "--auto-approve", "--concurrency", "1", many],
      { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    // Sent while the third step is in flight; the process sees it within a step or so.
    atWrite(3, () => child.kill("SIGTERM"));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect([code, err]).toEqual([
      143,
      expect.stringMatching(/stopped \(SIGTERM\) after \d+ of 30 steps/),
    ]);
    expect(made()).toBeGreaterThanOrEqual(3);
    expect(made()).toBeLessThan(30);
  });

  it("a signal while the prompt waits cancels: nothing changed, exit 130", async () => {
    const stop = new AbortController();
    const run = await ramScim(["apply", many], env, {
      stop: stop.signal,
      interactive: true,
      // Ctrl+C while the question waits for an answer that never comes.
      prompt: () => {
        setImmediate(() => stop.abort("SIGINT"));
        return new Promise<string>(() => undefined);
      },
    });
    expect(run.code).toBe(130);
    expect(run.err).toContain("Apply cancelled (SIGINT); nothing was changed.");
    expect(made()).toBe(0);
  });

  it("--timeout bounds the whole run: past it no step starts, exit 1", async () => {
    const run = await ramScim(
      ["apply", "--auto-approve", "--concurrency", "1", "--timeout", "300ms", many],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.err).toContain("stopped (--timeout reached)");
    expect(made()).toBeLessThan(30);
    expect((await ramScim(["apply", "--timeout", "soon", many], env)).err).toContain(
      '--timeout takes a duration such as 90s, 15m or 1h, got "soon"',
    );
  });
});

describe("ram-scim plan --out / apply --plan: what was reviewed is what is applied", () => {
  let emulator: RamEmulator;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    emulator = await withEmulator({
      clients: [{ clientId: "8001", clientSecret: SECRET }],
      seedUsers: Array.from({ length: 8 }, (_, i) => ({
        userName: `old${i}`,
        externalId: `saved:o${i}`,
      })),
    });
    env = envFor(emulator);
  });
  afterEach(() => emulator.close());
  const file = (text: string) =>
    usersFile(`saved-${Math.random().toString(36).slice(2)}.yaml`, text);
  const snapshot = () =>
    JSON.stringify(emulator.directory.all().map((u) => [u.id, u.userName, u.displayName]));

  it("applies exactly the saved plan, and the saved file holds no secret", async () => {
    const users = file(
      "owner: saved\nusers:\n  - userName: new1\n" +
        Array.from({ length: 8 }, (_, i) => `  - userName: old${i}\n    key: o${i}\n`).join(""),
    );
    const out = join(dir, "reviewed.json");
    const planned = await ramScim(["plan", users, "--out", out], env);
    expect(planned.code).toBe(0);
    expect(planned.err).toContain(`plan saved to ${out}`);
    const saved = readFileSync(out, "utf8");
    expect(saved).not.toContain(SECRET);
    expect(JSON.parse(saved)).toMatchObject({ kind: "saved-plan", sets: [{ owner: "saved" }] });
    const applied = await ramScim(["apply", "--auto-approve", "--plan", out, users], env);
    expect(applied.code).toBe(0);
    expect(emulator.directory.findByUserName("new1")?.externalId).toBe("saved:new1");
  });

  it("refuses, changing nothing, when RAM or the files no longer give the saved plan", async () => {
    const users = file(
      "owner: saved\nusers:\n" +
        Array.from({ length: 7 }, (_, i) => `  - userName: old${i}\n    key: o${i}\n`).join(""),
    );
    const out = join(dir, "stale.json");
    expect((await ramScim(["plan", users, "--out", out], env)).out).toContain("- delete old7");
    // Someone deletes old7 by hand, and another run made a user of this owner meanwhile.
    const client = clientFor(emulator);
    await client.deleteUser(emulator.directory.findByUserName("old7")!.id);
    await client.createUser({ userName: "late", externalId: "saved:late" });
    const before = snapshot();
    const refused = await ramScim(["apply", "--auto-approve", "--plan", out, users], env);
    expect(refused.code).toBe(3);
    expect(refused.err).toContain("RAM changed since");
    expect(refused.err).toContain("no longer planned: delete old7");
    expect(refused.err).toContain("newly needed: delete late");
    expect(snapshot()).toBe(before);

    const other = file("owner: saved\nusers:\n  - userName: someone\n");
    const changed = await ramScim(["apply", "--auto-approve", "--plan", out, other], env);
    expect(changed.code).toBe(3);
    expect(changed.err).toContain('the users files of owner "saved" changed since');
    expect(snapshot()).toBe(before);
  });

  it("applies every owner of a saved plan or none, reads the files wherever they are, and calls a broken file an error", async () => {
    const a = file("owner: fresh\nusers:\n  - userName: erin\n");
    const b = file(
      "owner: saved\nusers:\n" +
        Array.from({ length: 7 }, (_, i) => `  - userName: old${i}\n    key: o${i}\n`).join(""),
    );
    const out = join(dir, "two-owners.json");
    expect((await ramScim(["plan", a, b, "--out", out], env)).code).toBe(0);
    const before = snapshot();
    // The apply job's own, lower limit refuses the second owner: the first is not applied either.
    const refused = await ramScim(
      ["apply", "--auto-approve", "--plan", out, "--max-deletes", "0", a, b],
      env,
    );
    expect(refused.code).toBe(3);
    expect(refused.err).toContain("cannot be applied now, so nothing was changed");
    expect(snapshot()).toBe(before);
    // The same files by another path: the same set.
    mkdirSync(join(dir, "sub"), { recursive: true });
    const other = (f: string) => `${dir}/sub/../${f.slice(dir.length + 1)}`;
    const applied = await ramScim(
      ["apply", "--auto-approve", "--plan", out, other(a), other(b)],
      env,
    );
    expect(applied.code).toBe(0);
    expect(emulator.directory.findByUserName("erin")).toBeDefined();
    writeFileSync(join(dir, "broken.json"), '{"kind": "saved-pl');
    const broken = await ramScim(
      ["apply", "--auto-approve", "--plan", join(dir, "broken.json"), a],
      env,
    );
    expect(broken.code).toBe(1);
    expect(broken.err).toContain("is not JSON");
  });

  it("a plan past the guard applies once the approved limit is given, still only its steps", async () => {
    const users = file("owner: saved\nusers:\n  - userName: old0\n    key: o0\n");
    const out = join(dir, "guarded.json");
    expect((await ramScim(["plan", users, "--out", out], env)).code).toBe(3);
    expect((await ramScim(["apply", "--auto-approve", "--plan", out, users], env)).code).toBe(3);
    const approved = await ramScim(
      ["apply", "--auto-approve", "--plan", out, "--max-deletes", "7", users],
      env,
    );
    expect(approved.code).toBe(0);
    expect(emulator.directory.all().map((u) => u.userName)).toEqual(["old0"]);
  });
});

describe("ram-scim adopt where RAM lets SCIM read console users but not change them", () => {
  it("fails the adopt clearly: what RAM answered, and the two ways out; nothing else is stopped", async () => {
    const emulator = await withEmulator({
      clients: [{ clientId: "8001", clientSecret: SECRET }],
      protectConsoleUsers: true,
      seedUsers: [{ userName: "legacy.ops" }],
    });
    try {
      const users = usersFile(
        "legacy.yaml",
        "owner: legacy\nadopt: [legacy.ops]\nusers:\n  - userName: legacy.ops\n  - userName: fresh\n",
      );
      const run = await ramScim(["apply", "--auto-approve", users], envFor(emulator));
      expect(run.code).toBe(1);
      expect(run.out).toContain("RAM refused to take over legacy.ops");
      expect(run.out).toContain("answered 400 mutability");
      expect(run.out).toContain("remove it from users and adopt");
      expect(run.out).toContain("delete it in the RAM console and apply again");
      expect(emulator.directory.findByUserName("legacy.ops")?.externalId).toBeUndefined();
      expect(emulator.directory.findByUserName("fresh")?.externalId).toBe("legacy:fresh");
    } finally {
      await emulator.close();
    }
  });
});

describe("ram-scim and an empty users list", () => {
  it("is refused by the safety rule (exit 3) before RAM is asked; a form mistake beside it is an error (1)", async () => {
    const empty = usersFile("empty.yaml", "owner: platform\nusers: []\n");
    const run = await ramScim(["plan", empty], {});
    expect(run.code).toBe(3);
    expect(run.err).toContain("the users list is empty");
    const both = usersFile("empty-bad.yaml", "owner: platform\nusers: []\nprotect: [x]\n");
    expect((await ramScim(["plan", both], {})).code).toBe(1);
  });
});
