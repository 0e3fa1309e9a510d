import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { createServer, request, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CliIo } from "../../lib/cli/io";
import { LARGEST_USERS_FILE } from "../../lib/core/text-file";
import type { RamEmulator } from "../../lib/emulator";
import { ramScim, ramScimWhileUp, type CliRun } from "../helpers/cli";
import { withEmulator } from "../helpers/emulator";

/** A secret that must never be printed: every output of this file is searched for it. */
const CANARY = "CANARY-9f2c-never-print-me";
const AK_CANARY = "AKCANARY-7e1d-never-print";
const CLIENT_ID = "4000000000000000001";
/** Every form the canary travels in: raw, as Basic credentials, percent-encoded. */
const CANARY_FORMS = [
  CANARY,
  AK_CANARY,
  Buffer.from(`${CLIENT_ID}:${CANARY}`).toString("base64"),
  encodeURIComponent(CANARY),
];

const outputs: { args: string[]; text: string }[] = [];
const dir = mkdtempSync(join(tmpdir(), "ram-scim-hostile-"));

/** `ram-scim` in-process; its output is kept for the canary check at the end. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}, extra: Partial<CliIo> = {}) {
  const r = await ramScim(args, env, extra);
  outputs.push({ args, text: r.out + r.err });
  return r;
}

function file(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A user error: one line or a few, exit 1, no stack trace. */
function refusedPlainly(r: CliRun, text: string): void {
  expect(r.err).toContain(text);
  expect(r.code).toBe(1);
  expect(r.err).not.toMatch(/\n\s+at |unexpected error/);
}

const USERS = "owner: platform\nusers:\n  - userName: ana\n    key: ana\n";

afterAll(() => {
  // THEN, over everything this suite made the CLI print: no form of a secret, anywhere.
  for (const { args, text } of outputs)
    for (const form of CANARY_FORMS)
      expect({ args, leaked: text.includes(form) }).toEqual({
        args,
        leaked: false,
      });
  expect(outputs.length).toBeGreaterThan(20);
});

describe("secrets never echoed", () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    // A server that reflects the request: headers, the decoded Basic credentials, the URL.
    server = createServer((req, res) => {
      const auth = String(req.headers.authorization ?? "");
      const decoded = Buffer.from(auth.replace(/^Basic /, ""), "base64").toString("utf8");
      // "padded": the secret after 190 characters, where a 200-character cut would split it.
      const pad = req.url?.includes("padded") ? "x".repeat(190) : "";
      const echo = `${pad}you sent Authorization: ${auth} (${decoded}) to ${req.url}`;
      res.writeHead(400, {
        "content-type": req.url?.includes("json") ? "application/json" : "text/plain",
      });
      res.end(req.url?.includes("json") ? JSON.stringify({ detail: echo, error: echo }) : echo);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const env = () => ({
    RAM_SCIM_CLIENT_ID: CLIENT_ID,
    RAM_SCIM_CLIENT_SECRET: CANARY,
    RAM_SCIM_URL: url,
    RAM_SCIM_TOKEN_URL: `${url}/v1/token`,
  });

  it("swapped arguments: the users file read as a secret, the secret read as a users file", async () => {
    // GIVEN the secret's file where the users file goes, and the other way round
    const secret = file("secret.txt", `${CANARY}\n`);
    const users = file("users.yaml", USERS);
    // WHEN plan runs with them swapped
    const r = await cli(["plan", secret, "--client-secret-file", users, "--emulator"]);
    // THEN it says what is wrong by shape, and the secret is not shown
    refusedPlainly(
      r,
      "the file must be a mapping with owner and users, got a string: is it the users file?",
    );
    const other = await cli(["plan", users, "--client-secret-file", users], env());
    refusedPlainly(other, "a secret is one line: is it the right file (two arguments swapped)?");
  });

  it.each([["json"], ["text"], ["padded"]])(
    "a server that echoes the request (%s) has its echo redacted by doctor and plan",
    async (kind) => {
      const users = file("echo.yaml", USERS);
      const echoing = { ...env(), RAM_SCIM_TOKEN_URL: `${url}/v1/token/${kind}` };
      const doctor = await cli(["doctor"], echoing);
      expect(doctor.code).toBe(1);
      // (padded: the part shown holds no credential, and no part of one)
      if (kind !== "padded") expect(doctor.out + doctor.err).toContain("[redacted]");
      const plan = await cli(["plan", users], echoing);
      expect(plan.code).toBe(1);
      if (kind !== "padded") expect(plan.err).toContain("[redacted]");
    },
  );

  it("credentials in URLs are refused or redacted, never echoed", async () => {
    const users = file("urls.yaml", USERS);
    const inUserInfo = await cli(
      ["plan", users, "--scim-url", `http://u:${CANARY}@127.0.0.1:1/`],
      env(),
    );
    refusedPlainly(inUserInfo, "holds credentials: RAM takes none in the URL");
    const atInPassword = await cli(
      ["plan", users, "--scim-url", `https://user:p@${CANARY}@scim.example/`],
      env(),
    );
    refusedPlainly(atInPassword, "holds credentials");
    const inQuery = await cli(
      ["plan", users, "--token-url", `${url}/v1/token?client_secret=${CANARY}`],
      env(),
    );
    expect(inQuery.err).toContain("client_secret=[redacted]");
    const badVariable = await cli(["plan", users], {
      ...env(),
      RAM_SCIM_URL: `ftp://scim.example/?access_token=${CANARY}`,
    });
    refusedPlainly(badVariable, "RAM_SCIM_URL: unsupported protocol ftp:");
  });
});

describe("secret files", () => {
  let emulator: RamEmulator;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    emulator = await withEmulator({
      accessKeys: [{ accessKeyId: "LTAIhostile", accessKeySecret: AK_CANARY }],
    });
    env = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIhostile",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: AK_CANARY,
      RAM_SCIM_IMS_ENDPOINT: emulator.url,
    };
  });
  afterEach(() => emulator.close());

  const newApp = async (name: string): Promise<string> => {
    const r = await cli(
      ["app", "create", "--name", name, "--display-name", name, "--format", "json"],
      env,
    );
    return (JSON.parse(r.out) as { appId: string }).appId;
  };
  const secretCount = (appId: string) => emulator.applications.get(appId)?.secrets.length;

  it("never writes through a symbolic link, live or dangling, even with --force", async () => {
    const appId = await newApp("links");
    const target = file("precious.txt", "keep me\n");
    const link = join(dir, "link-to-precious");
    symlinkSync(target, link);
    const dangling = join(dir, "dangling");
    symlinkSync(join(dir, "would-be-made"), dangling);
    for (const out of [link, dangling]) {
      const r = await cli(
        ["app", "secret", "create", "--app-id", appId, "--out", out, "--force"],
        env,
      );
      refusedPlainly(r, "is a symbolic link: a secret is never written through one");
    }
    expect(readFileSync(target, "utf8")).toBe("keep me\n");
    expect(existsSync(join(dir, "would-be-made"))).toBe(false);
    expect(secretCount(appId)).toBe(0); // refused before RAM was asked
  });

  it("replaces an existing file with a 0600 one, and refuses an existing file before making a secret", async () => {
    const appId = await newApp("modes");
    const loose = file("loose.secret", "old\n");
    chmodSync(loose, 0o644);
    const refused = await cli(["app", "secret", "create", "--app-id", appId, "--out", loose], env);
    refusedPlainly(refused, "exists already");
    expect(secretCount(appId)).toBe(0);
    const forced = await cli(
      ["app", "secret", "create", "--app-id", appId, "--out", loose, "--force"],
      env,
    );
    expect(forced.code).toBe(0);
    expect(statSync(loose).mode & 0o777).toBe(0o600);
    expect(lstatSync(loose).isFile()).toBe(true);
    expect(secretCount(appId)).toBe(1);
    const nowhere = await cli(
      ["app", "secret", "create", "--app-id", appId, "--out", "/proc/nope/x.secret"],
      env,
    );
    refusedPlainly(
      nowhere,
      "--out /proc/nope: cannot make the folder /proc/nope (no such file or folder). Nothing was made",
    );
    expect(secretCount(appId)).toBe(1);
  });

  it("at the two-secret limit, rotation asks which one is in use and deletes the other", async () => {
    const appId = await newApp("ask");
    const reveal = async () =>
      JSON.parse(
        (
          await cli(
            ["app", "secret", "create", "--app-id", appId, "--reveal", "--format", "json"],
            env,
          )
        ).out,
      ) as { appSecretId: string };
    const inUse = await reveal();
    const lost = await reveal();
    const refused = await cli(["app", "secret", "rotate", "--app-id", appId, "--reveal"], env);
    refusedPlainly(refused, "--keep ID");
    const asked = await cli(["app", "secret", "rotate", "--app-id", appId, "--reveal"], env, {
      interactive: true,
      prompt: async () => inUse.appSecretId,
    });
    expect(asked.code).toBe(0);
    // The other one goes first; the one in use stays until the new one is handed out.
    expect(asked.out).toContain(`deleted secret ${lost.appSecretId} first`);
    expect(asked.out).toContain(`deleted the previous secret ${inUse.appSecretId}`);
    const current = emulator.applications.get(appId)?.secrets[0]?.AppSecretId as string;
    const spare = await reveal();
    const kept = await cli(
      [
        "app",
        "secret",
        "rotate",
        "--app-id",
        appId,
        "--out",
        join(dir, "kept.secret"),
        "--keep",
        current,
        "--keep-old",
      ],
      env,
    );
    expect(kept.code).toBe(0);
    const left = emulator.applications.get(appId)?.secrets.map((s) => s.AppSecretId);
    expect(left).toContain(current);
    expect(left).not.toContain(spare.appSecretId);
  });
});

describe("the emulator command", () => {
  /** Runs `ram-scim emulator` until `whileUp` is done with the URL it printed. */
  async function emulatorRun(
    args: string[],
    whileUp: (url: string) => Promise<void> = async () => undefined,
  ) {
    const r = await ramScimWhileUp(["emulator", "--port", "0", ...args], (out) =>
      whileUp(/listening on (\S+)/.exec(out)?.[1] as string),
    );
    outputs.push({ args, text: r.out + r.err });
    return r;
  }

  it("names secret files, never their values; keeps its state 0600; admin routes answer only loopback JSON", async () => {
    const secret = file("emulator.secret", `${CANARY}\n`);
    const state = join(dir, "state.json");
    let admin: number[] = [];
    const r = await emulatorRun(["--client-secret-file", secret, "--state", state], async (url) => {
      // node:http, as fetch does not let a caller choose the Host header (a browser's page can).
      const post = (headers: Record<string, string>) =>
        new Promise<number>((resolve, reject) => {
          const req = request(
            `${url}/_emulator/tokens/expire`,
            { method: "POST", headers },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.on("error", reject);
          req.end();
        });
      admin = [
        await post({ "content-type": "text/plain" }), // what a cross-origin page can send
        await post({ "content-type": "application/json", host: "evil.example" }),
        await post({ "content-type": "application/json" }),
      ];
    });
    expect(r.code).toBe(0);
    expect(r.out).toContain(`RAM_SCIM_CLIENT_SECRET_FILE=${secret}`);
    expect(r.out).toMatch(/ALIBABA_CLOUD_ACCESS_KEY_SECRET="\$\(cat \S+\)"/);
    expect(admin).toEqual([415, 403, 204]);
    expect(statSync(state).mode & 0o777).toBe(0o600);
  });

  it("bound beyond loopback it warns, and prints the loopback URL the CLI accepts", async () => {
    const r = await emulatorRun(["--host", "0.0.0.0"]);
    expect(r.code).toBe(0);
    expect(r.err).toContain("WARNING: the emulator listens on 0.0.0.0, beyond this machine");
    expect(r.out).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
  });

  it("an unwritable --state is one line, not a stack trace", async () => {
    const r = await emulatorRun(["--state", "/proc/nope/state.json"]);
    refusedPlainly(r, "state file /proc/nope/state.json: cannot write it (ENOENT)");
  });
});

describe("bounds and input hygiene", () => {
  it("lists 50 problems, then says how many more", async () => {
    const users = Array.from({ length: 120 }, (_, i) => `  - userName: "bad name ${i}"`).join("\n");
    const r = await cli(["validate", file("many.yaml", `owner: p\nusers:\n${users}\n`)]);
    refusedPlainly(r, "… and 70 more problems (120 in all)");
    expect(r.err.trim().split("\n")).toHaveLength(51);
  });

  it("quotes a long value in part, and caps the size of a file", async () => {
    const huge = "x".repeat(5_000_000);
    const r = await cli([
      "validate",
      file("long.yaml", `owner: p\nusers:\n  - userName: "${huge} y"\n`),
    ]);
    refusedPlainly(r, "(5000002 characters)");
    expect(r.err.length).toBeLessThan(1000);
    const big = file("big.yaml", "");
    truncateSync(big, LARGEST_USERS_FILE + 1);
    refusedPlainly(await cli(["validate", big]), "is larger than 32768 KiB, the most read");
    refusedPlainly(
      await cli(["validate", "/dev/zero"]),
      "/dev/zero:1:1: cannot read the users file: it is not a regular file",
    );
  });

  it("refuses bytes that are not UTF-8, at their position", async () => {
    const latin1 = Buffer.concat([
      Buffer.from("owner: p\nusers:\n  - userName: zoe\n    displayName: Zo"),
      Buffer.from([0xeb]),
      Buffer.from("\n"),
    ]);
    refusedPlainly(
      await cli(["validate", file("latin1.yaml", latin1)]),
      "latin1.yaml:4:20: not UTF-8 text: byte 0xeb",
    );
  });

  it("refuses control characters in any string, with the character named", async () => {
    const r = await cli([
      "validate",
      file(
        "control.yaml",
        'owner: p\nusers:\n  - userName: ana\n    displayName: "A\\u0000na"\n  - userName: bo\n    displayName: "B\\u001b[31mo"\n',
      ),
    ]);
    refusedPlainly(
      r,
      "control.yaml:4:18: users[0].displayName: holds the control character U+0000 at character 2",
    );
    expect(r.err).toContain(
      "users[1].displayName: holds the control character U+001B at character 2",
    );
  });

  it("positions every problem, and treats prototype names as unknown fields", async () => {
    refusedPlainly(await cli(["validate", file("empty.yaml", "")]), "empty.yaml:1:1:");
    const proto = await cli([
      "validate",
      file(
        "proto.yaml",
        "owner: p\nusers:\n  - userName: ana\n    constructor: x\n    __proto__: y\n",
      ),
    ]);
    refusedPlainly(
      proto,
      'proto.yaml:4:5: users[0].constructor: unknown field "constructor": a user takes',
    );
    expect(proto.err).toContain('unknown field "__proto__"');
    expect(proto.err).not.toContain("native code");
  });

  it("an alias bomb is one message", async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      bomb.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]`);
    }
    refusedPlainly(
      await cli(["validate", file("bomb.yaml", `${bomb.join("\n")}\n`)]),
      "bomb.yaml:1:1: not a users file:",
    );
  });
});

describe("paths that cannot be written", () => {
  let emulator: RamEmulator;
  beforeAll(async () => {
    emulator = await withEmulator({
      clients: [{ clientId: CLIENT_ID, clientSecret: CANARY }],
      seedUsers: [
        { userName: "ana", externalId: "platform:ana" },
        { userName: "odd", externalId: " platform:x" },
      ],
    });
  });
  afterAll(() => emulator.close());
  const env = () => ({
    RAM_SCIM_CLIENT_ID: CLIENT_ID,
    RAM_SCIM_CLIENT_SECRET: CANARY,
    RAM_SCIM_URL: emulator.scimUrl,
    RAM_SCIM_TOKEN_URL: emulator.tokenUrl,
  });

  it("export to a missing or pseudo folder ends at once with the path and why", async () => {
    refusedPlainly(
      await cli(["export", "--owner", "platform", "-o", "/proc/nope/x.yaml"], env()),
      "--output /proc/nope/x.yaml: cannot write it (no such file or folder)",
    );
    refusedPlainly(
      await cli(["export", "--split-by", "owner", "--out", "/proc/nope"], env()),
      "--out /proc/nope: cannot make the folder /proc/nope",
    );
  });

  it("one malformed externalId is reported, and the rest of the account is exported", async () => {
    const out = join(dir, "split");
    const r = await cli(["export", "--split-by", "owner", "--out", out], env());
    expect(r.code).toBe(0);
    expect(r.err).toContain("odd (id");
    expect(r.err).toContain('has externalId " platform:x", not of the "<owner>:<key>" form');
    expect(readFileSync(join(out, "platform.yaml"), "utf8")).toContain("userName: ana");
    expect(readFileSync(join(out, "adopt-candidates.txt"), "utf8")).toContain("# - userName: odd");
  });
});

describe("what a review of the first version found", () => {
  let emulator: RamEmulator;
  beforeEach(async () => {
    emulator = await withEmulator({
      clients: [{ clientId: CLIENT_ID, clientSecret: CANARY }],
      accessKeys: [{ accessKeyId: "LTAIreview", accessKeySecret: AK_CANARY }],
      seedUsers: [
        { userName: "cohort", displayName: "Bearer 2024-2025 x", externalId: "platform:cohort" },
        { userName: "reset", displayName: "passwd=reset-needed", externalId: "platform:reset" },
      ],
    });
  });
  afterEach(() => emulator.close());
  const env = () => ({
    RAM_SCIM_CLIENT_ID: CLIENT_ID,
    RAM_SCIM_CLIENT_SECRET: CANARY,
    RAM_SCIM_URL: emulator.scimUrl,
    RAM_SCIM_TOKEN_URL: emulator.tokenUrl,
    ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIreview",
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: AK_CANARY,
    RAM_SCIM_IMS_ENDPOINT: emulator.url,
  });

  it("data that merely looks like a credential is exported and planned as it is", async () => {
    const exported = await cli(["export", "--owner", "platform"], env());
    expect(exported.code).toBe(0);
    expect(exported.out).toContain("displayName: Bearer 2024-2025 x");
    expect(exported.out).toContain("displayName: passwd=reset-needed");
    const again = await cli(["plan", file("exported.yaml", exported.out)], env());
    expect(again.out).toContain("No changes");
  });

  it("an unwritable audit log stops apply before the first change", async () => {
    const users = file(
      "joiner.yaml",
      `${USERS}  - userName: cohort\n    displayName: Bearer 2024-2025 x\n  - userName: reset\n    displayName: passwd=reset-needed\n`,
    );
    const before = emulator.counters().total;
    const r = await cli(
      ["apply", users, "--auto-approve", "--audit-log", "/proc/nope/audit.log"],
      env(),
    );
    refusedPlainly(r, "--audit-log /proc/nope/audit.log: cannot write it");
    expect(emulator.counters().byRoute["POST /Users"] ?? 0).toBe(0);
    expect(emulator.counters().total).toBeGreaterThan(before); // it read RAM, and changed nothing
  });

  it("saved plans: a folder as --out and a device as --plan are one line each", async () => {
    const users = file("saved.yaml", USERS);
    refusedPlainly(await cli(["plan", users, "--out", dir], env()), `--out ${dir} is a folder`);
    refusedPlainly(
      await cli(["apply", users, "--plan", "/dev/zero", "--auto-approve"], env()),
      "--plan /dev/zero:1:1: cannot read the saved plan: it is not a regular file",
    );
  });

  it("files given to JSON flags are not quoted back", async () => {
    const secret = file("looks-like-json.secret", `${CANARY}\n`);
    refusedPlainly(
      await cli(["emulator", "--port", "0", "--seed", secret]),
      "not valid JSON (it does not start as JSON does)",
    );
    refusedPlainly(
      await cli(["plan", file("s.yaml", USERS), "--emulator-state", secret]),
      "looks-like-json.secret: not valid JSON",
    );
  });

  it("seed and state entries RAM would refuse are one line, not a stack", async () => {
    const seed = file("dup-seed.json", JSON.stringify([{ userName: "a" }, { userName: "a" }]));
    refusedPlainly(await cli(["emulator", "--port", "0", "--seed", seed]), "seed users:");
    const state = file("bad-state.json", JSON.stringify({ users: [1] }));
    refusedPlainly(
      await cli(["plan", file("t.yaml", USERS), "--emulator-state", state]),
      "users[0] is not a saved user",
    );
  });

  it("huge counts of fields are reported, not a stack overflow; field names are escaped and cut", async () => {
    const fields = Array.from({ length: 130_000 }, (_, i) => `"f${i}": 1`).join(",");
    const many = await cli(["validate", file("fields.json", `{"owner":"p","users":[],${fields}}`)]);
    refusedPlainly(many, "… and 129951 more problems");
    const nasty = `x\nother.yaml:1:1: fake \u001b]0;pwned\u0007${"y".repeat(200)}`;
    const injected = await cli([
      "validate",
      file("inject.json", JSON.stringify({ owner: "p", users: [{ userName: "a", [nasty]: 1 }] })),
    ]);
    expect(injected.code).toBe(1);
    expect(injected.err).not.toContain("\u001b");
    expect(injected.err).not.toMatch(/^other\.yaml/m);
    expect(injected.err.length).toBeLessThan(800);
  });

  it("app ensure leaves a linked secret file alone when nothing is to be written", async () => {
    const made = await cli(
      ["app", "create", "--name", "linked", "--display-name", "Linked", "--format", "json"],
      env(),
    );
    const appId = (JSON.parse(made.out) as { appId: string }).appId;
    const real = join(dir, "real.secret");
    await cli(["app", "secret", "create", "--app-id", appId, "--out", real], env());
    const link = join(dir, "linked.secret");
    symlinkSync(real, link);
    const r = await cli(
      ["app", "ensure", "--name", "linked", "--display-name", "Linked", "--secret-file", link],
      env(),
    );
    expect([r.code, r.err]).toEqual([0, ""]);
  });
});
