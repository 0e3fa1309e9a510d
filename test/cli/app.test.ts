import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RamEmulator } from "../../lib/emulator";
import { ScimClient } from "../../lib";
import { ramScim } from "../helpers/cli";
import { withEmulator } from "../helpers/emulator";
import { match } from "../helpers/match";

const AK_SECRET = "ak-Secret-never-printed-42";

/** What the tests read of `app … --format json`: an application, a secret, what ensure did. */
interface AppJson {
  action: string;
  appId: string;
  appName: string;
  appSecretId: string;
  done: string[];
}

describe("ram-scim app", () => {
  let emulator: RamEmulator;
  let env: NodeJS.ProcessEnv;
  const dir = mkdtempSync(join(tmpdir(), "ram-scim-app-"));
  beforeEach(async () => {
    emulator = await withEmulator({
      accessKeys: [{ accessKeyId: "LTAItest", accessKeySecret: AK_SECRET }],
    });
    env = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAItest",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: AK_SECRET,
      RAM_SCIM_IMS_ENDPOINT: emulator.url,
    };
  });
  afterEach(() => emulator.close());

  const json = async <T = AppJson>(args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const r = await ramScim([...args, "--format", "json"], { ...env, ...extraEnv });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    return JSON.parse(r.out) as T;
  };

  it("replaces the console steps: create, grant, secret to a 0600 file, then SCIM works with it", async () => {
    const create = [
      "app",
      "create",
      "--name",
      "scim-sync",
      "--display-name",
      "SCIM sync",
      "--token-validity",
      "1800",
    ];
    const created = await json(create);
    expect(created).toMatchObject({
      action: "created",
      appName: "scim-sync",
      accessTokenValidity: 1800,
    });
    // A second create of the name is refused: the application may be someone else's.
    const again = await ramScim([...create, "--display-name", "Taken over"], env);
    expect(again.code).toBe(1);
    expect(again.err).toContain(
      `an application named scim-sync exists already (AppId ${created.appId}) and was not made by this command`,
    );
    expect(again.err).toContain("--adopt (cdktf: adoptExisting: true)");
    expect(emulator.applications.all().find((a) => a.AppName === "scim-sync")?.DisplayName).toBe(
      "SCIM sync",
    );
    expect((await json([...create, "--adopt"])).action).toBe("unchanged");
    await json(["app", "grant", "--app-id", created.appId]);
    const secretFile = join(dir, "secret");
    const secret = await json([
      "app",
      "secret",
      "create",
      "--app-id",
      created.appId,
      "--out",
      secretFile,
    ]);
    expect(secret).toEqual({
      appId: created.appId,
      appSecretId: match.any(String),
      writtenTo: secretFile,
    });
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    const value = readFileSync(secretFile, "utf8").trim();
    const scim = new ScimClient({
      env: {},
      clientId: created.appId,
      clientSecret: value,
      scimUrl: emulator.scimUrl,
      tokenUrl: emulator.tokenUrl,
    });
    await expect(scim.countUsers()).resolves.toBe(0);

    const shown = await ramScim(["app", "show", "--name", "scim-sync"], env);
    expect(shown.out).toContain(`AppId (client id)  ${created.appId}`);
    expect(shown.out).toContain("granted            /acs/scim");
    expect(shown.out).toContain(secret.appSecretId);
    expect(shown.out).not.toContain(value);
  });

  it("a secret written into a folder it makes is git-ignored there", async () => {
    await json(["app", "create", "--name", "scim-sync", "--display-name", "SCIM sync"]);
    const folder = join(mkdtempSync(join(tmpdir(), "ram-scim-project-")), ".ram-scim");
    const out = join(folder, "scim-sync.secret");
    await json(["app", "secret", "create", "--name", "scim-sync", "--out", out]);
    expect(readFileSync(join(folder, ".gitignore"), "utf8")).toMatch(/^\*$/m);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
  });

  it("a secret file is 0600 even when it replaces a looser one, and a file Git would commit is warned about", async () => {
    await json(["app", "create", "--name", "scim-sync", "--display-name", "SCIM sync"]);
    const repo = mkdtempSync(join(tmpdir(), "ram-scim-git-"));
    execFileSync("git", ["init", "-q"], { cwd: repo });
    const out = join(repo, "scim.secret");
    writeFileSync(out, "old\n", { mode: 0o644 });
    chmodSync(out, 0o644);
    const r = await ramScim(
      ["app", "secret", "rotate", "--name", "scim-sync", "--out", out, "--force"],
      env,
    );
    expect(r.code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(r.err).toBe(
      `warning: ${out} is inside a Git work tree and not ignored: add it to .gitignore so that it is never committed\n`,
    );
    writeFileSync(join(repo, ".gitignore"), "*.secret\n");
    const quiet = await ramScim(
      ["app", "secret", "rotate", "--name", "scim-sync", "--out", out, "--force"],
      env,
    );
    expect([quiet.code, quiet.err]).toEqual([0, ""]);
  });

  it("ensure puts the application back in line, and makes it anew when it was deleted outside", async () => {
    const secretFile = join(mkdtempSync(join(tmpdir(), "ram-scim-ensure-")), "app.secret");
    const ensure = [
      "app",
      "ensure",
      "--name",
      "scim-sync",
      "--display-name",
      "SCIM sync",
      "--secret-file",
      secretFile,
    ];
    const created = await json(["app", "create", "--name", "scim-sync", "--display-name", "Old"]);
    await json(["app", "secret", "create", "--name", "scim-sync", "--out", secretFile]);
    const first = readFileSync(secretFile, "utf8");
    // In place: settings restored and the grant renewed; the secret file is not touched.
    expect(await json(ensure)).toEqual({
      appId: created.appId,
      appName: "scim-sync",
      done: ["restored its settings", "granted /acs/scim"],
    });
    expect((await json(ensure)).done).toEqual([]);
    expect(readFileSync(secretFile, "utf8")).toBe(first);

    // Deleted outside: made anew, granted, and a new secret that works written to the file.
    await json(["app", "delete", "--name", "scim-sync"]);
    const again = await json(ensure);
    expect(again.appId).not.toBe(created.appId);
    expect(again.done).toEqual([
      "made the application anew: it was missing",
      "granted /acs/scim",
      `wrote a new secret to ${secretFile}`,
    ]);
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    const scim = new ScimClient({
      env: {},
      clientId: again.appId,
      clientSecret: readFileSync(secretFile, "utf8").trim(),
      scimUrl: emulator.scimUrl,
      tokenUrl: emulator.tokenUrl,
    });
    await expect(scim.countUsers()).resolves.toBe(0);
    const text = await ramScim(ensure, env);
    expect(text.out).toBe(`application scim-sync (AppId ${again.appId}): in line\n`);

    // The secret file gone from this machine (a fresh CI runner): said so, with both ways out.
    rmSync(secretFile);
    const missing = await ramScim(ensure, env);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(
      `the secret file ${secretFile} of application scim-sync is missing here`,
    );
    expect(missing.err).toContain("change secretRotation");
  });

  it("rotates: the new value goes to the file, the old secret is deleted after", async () => {
    const { appId } = await json(["app", "create", "--name", "rot", "--display-name", "Rot"]);
    const first = await json(["app", "secret", "create", "--app-id", appId, "--reveal"]);
    const next = join(dir, "next");
    const rotated = await ramScim(
      ["app", "secret", "rotate", "--app-id", appId, "--out", next],
      env,
    );
    expect(rotated.code).toBe(0);
    expect(rotated.out).toContain(`deleted the previous secret ${first.appSecretId}`);
    const ids = (
      await json<{ appSecretId: string }[]>(["app", "secret", "list", "--app-id", appId])
    ).map((s) => s.appSecretId);
    expect(ids).toHaveLength(1);
    expect(ids).not.toContain(first.appSecretId);
  });

  it("refuses a rotation with two secrets unless told which to keep or remove", async () => {
    const { appId } = await json(["app", "create", "--name", "two", "--display-name", "Two"]);
    const a = await json(["app", "secret", "create", "--app-id", appId, "--reveal"]);
    await json(["app", "secret", "create", "--app-id", appId, "--reveal"]);
    const refused = await ramScim(["app", "secret", "rotate", "--app-id", appId, "--reveal"], env);
    expect(refused.code).toBe(1);
    // RAM shows ids only: neither secret is proposed, since either may be the one in use.
    expect(refused.err).toContain(
      "Name the one in use with --keep ID, or the one nothing uses with --remove ID",
    );
    expect(refused.err).not.toContain(`--remove ${a.appSecretId}`);
    const told = await ramScim(
      [
        "app",
        "secret",
        "rotate",
        "--app-id",
        appId,
        "--reveal",
        "--remove",
        a.appSecretId,
        "--keep-old",
      ],
      env,
    );
    expect(told.code).toBe(0);
    expect(told.out).toContain(`deleted secret ${a.appSecretId} first (--remove)`);
    expect(told.out).toContain("kept the previous secret");
  });

  it("asks where a new secret goes, and never overwrites a file unasked", async () => {
    const { appId } = await json(["app", "create", "--name", "out", "--display-name", "Out"]);
    const nowhere = await ramScim(["app", "secret", "create", "--app-id", appId], env);
    expect(nowhere.code).toBe(1);
    expect(nowhere.err).toContain("--out FILE (written with mode 0600) or --reveal");
    const file = join(dir, "taken");
    await json(["app", "secret", "create", "--app-id", appId, "--out", file]);
    const clash = await ramScim(["app", "secret", "create", "--app-id", appId, "--out", file], env);
    expect(clash.code).toBe(1);
    expect(clash.err).toContain(
      "exists already: choose another file, or add --force to replace it. Nothing was made",
    );
    // Checked before RAM was asked: no secret was made and lost.
    const listed = await ramScim(
      ["app", "secret", "list", "--app-id", appId, "--format", "json"],
      env,
    );
    expect(JSON.parse(listed.out)).toHaveLength(1);
  });

  it("revoke blocks tokens, and errors name the field or Alibaba's code, never a stack", async () => {
    const { appId } = await json(["app", "create", "--name", "rev", "--display-name", "Rev"]);
    await json(["app", "grant", "--app-id", appId]);
    await json(["app", "revoke", "--app-id", appId]);
    const shown = await ramScim(["app", "show", "--app-id", appId], env);
    expect(shown.out).toContain("granted            no");
    const invalid = await ramScim(
      ["app", "create", "--name", "x", "--display-name", "y", "--token-validity", "60"],
      env,
    );
    expect(invalid).toMatchObject({ code: 1 });
    expect(invalid.err).toContain(
      "accessTokenValidity: must be a whole number of seconds from 900 to 10800, got 60",
    );
    const missing = await ramScim(["app", "grant", "--app-id", "4000000000000000000"], env);
    expect(missing.err).toContain("EntityNotExist.Application");
    const wrongKey = await ramScim(["app", "show", "--app-id", appId], {
      ...env,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "wrong",
    });
    expect(wrongKey.err).toContain("SignatureDoesNotMatch");
    expect(wrongKey.err).toContain("the AccessKey secret does not belong to this AccessKey id");
    expect(wrongKey.err).not.toContain("string to sign");
    const nowhere = await ramScim(["app", "show", "--app-id", appId], {
      ...env,
      RAM_SCIM_IMS_ENDPOINT: "127.0.0.1:1",
    });
    expect(nowhere.err).toMatch(
      /IMS GetApplication failed: NetworkError: (nothing listens at|no answer from) 127\.0\.0\.1:1/,
    );
    const doctor = await ramScim(["doctor", "--format", "json"], {
      ...env,
      RAM_SCIM_APP_NAME: "scim-sync",
      RAM_SCIM_IMS_ENDPOINT: "127.0.0.1:1",
    });
    expect(JSON.parse(doctor.out)).toMatchObject({
      ok: false,
      checks: [{ check: "settings", ok: false }],
    });
    for (const r of [invalid, missing, wrongKey]) {
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.out + r.err).not.toContain(AK_SECRET);
    }
  });

  it("says what to do without any credentials", async () => {
    const r = await ramScim(["app", "show", "--name", "x"], {
      RAM_SCIM_IMS_ENDPOINT: emulator.url,
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
      HOME: dir,
    });
    expect(r.code).toBe(1);
    expect(r.err).toContain("no Alibaba Cloud credentials found");
    // What to do, without the SDK's chain of attempts (getaddrinfo, https://undefined/ …)
    expect(r.err).not.toMatch(/undefined|getaddrinfo|ENOENT/);
  });
});
