import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RamEmulator } from "../../lib/emulator";
import { ScimClient } from "../../lib";
import { ramScim } from "../helpers/cli";
import { withEmulator } from "../helpers/emulator";

const AK_SECRET = "ak-Secret-never-printed-42";

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

  const json = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const r = await ramScim([...args, "--format", "json"], { ...env, ...extraEnv });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    return JSON.parse(r.out);
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
    expect((await json(create)).action).toBe("unchanged");
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
      appSecretId: expect.any(String),
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
    const ids = (await json(["app", "secret", "list", "--app-id", appId])).map(
      (s: { appSecretId: string }) => s.appSecretId,
    );
    expect(ids).toHaveLength(1);
    expect(ids).not.toContain(first.appSecretId);
  });

  it("refuses a rotation with two secrets unless told which to remove", async () => {
    const { appId } = await json(["app", "create", "--name", "two", "--display-name", "Two"]);
    const a = await json(["app", "secret", "create", "--app-id", appId, "--reveal"]);
    await json(["app", "secret", "create", "--app-id", appId, "--reveal"]);
    const refused = await ramScim(["app", "secret", "rotate", "--app-id", appId, "--reveal"], env);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`Rotating would delete ${a.appSecretId}, the oldest`);
    expect(refused.err).toContain(`--remove ${a.appSecretId}`);
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
    expect(clash.err).toContain("exists already: choose another file or add --force");
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
  });
});
