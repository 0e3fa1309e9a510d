import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RamEmulator } from "../../lib/emulator";
import {
  ImsClient,
  ImsError,
  ImsValidationError,
  RotationRefusedError,
  ScimClient,
} from "../../lib";
import { withEmulator } from "../helpers/emulator";
import { match } from "../helpers/match";

/** An IMS client of `emulator`, through the unmodified official SDK. */
function imsFor(emulator: RamEmulator, key = emulator.accessKey): ImsClient {
  return new ImsClient({
    env: {},
    endpoint: emulator.imsEndpoint,
    accessKeyId: key.accessKeyId,
    accessKeySecret: key.accessKeySecret,
  });
}

function scimFor(emulator: RamEmulator, clientId: string, secret: string): ScimClient {
  return new ScimClient({
    env: {},
    clientId,
    clientSecret: secret,
    scimUrl: emulator.scimUrl,
    tokenUrl: emulator.tokenUrl,
    maxAttempts: 1,
  });
}

describe("IMS through the official SDK against the emulator", () => {
  let emulator: RamEmulator;
  beforeEach(async () => {
    emulator = await withEmulator();
  });
  afterEach(() => emulator.close());

  it("runs the console procedure as code: application, grant, secret, token, SCIM", async () => {
    const ims = imsFor(emulator);
    const app = await ims.createApplication({
      appName: "scim-sync",
      displayName: "SCIM sync",
      accessTokenValidity: 1800,
    });
    expect(app).toMatchObject({
      appId: match.stringMatching(/^\d{19}$/),
      appName: "scim-sync",
      appType: "ServerApp",
      accessTokenValidity: 1800,
      predefinedScopes: ["/acs/scim"],
      requiredScopes: ["/acs/scim"],
      protocolVersion: "2.0",
    });
    const secret = await ims.createSecret(app.appId);
    // Not yet authorized in the account: no token.
    const early = await scimFor(emulator, app.appId, secret.value.reveal())
      .listUsers()
      .catch((e: unknown) => e);
    expect(early).toMatchObject({
      status: 400,
      detail: match.stringContaining("unauthorized_client"),
    });

    expect(await ims.grant(app.appId)).toMatchObject({ appId: app.appId, scopes: ["/acs/scim"] });
    const scim = scimFor(emulator, app.appId, secret.value.reveal());
    await scim.createUser({ userName: "alice", externalId: "platform:e1" });
    expect(await scim.listUsers()).toEqual(
      match.arrayContaining([match.objectContaining({ userName: "alice" })]),
    );
    expect(emulator.counters().byRoute["IMS CreateApplication"]).toBe(1);
    // Everything called here is in the least-privilege policy the README gives.
    await ims.rotateSecret(app.appId);
    await ims.ensureApplication({ appName: "scim-sync", displayName: "SCIM sync 2" });
    await ims.revoke(app.appId);
    await ims.deleteApplication(app.appId);
    const policy = JSON.parse(
      readFileSync(join(__dirname, "../../examples/ram-policy-application.json"), "utf8"),
    ) as { Statement: [{ Action: string[] }] };
    const called = Object.keys(emulator.counters().byRoute)
      .filter((r) => r.startsWith("IMS "))
      .map((r) => `ram:${r.slice(4)}`);
    expect(called.filter((a) => !policy.Statement[0].Action.includes(a))).toEqual([]);
  });

  it("accepts the SDK's signature and refuses a wrong key, a wrong secret and a tampered request", async () => {
    await expect(imsFor(emulator).listApplications()).resolves.toEqual(match.any(Array));
    const unknown = await imsFor(emulator, { accessKeyId: "LTAInobody", accessKeySecret: "x" })
      .listApplications()
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: "InvalidAccessKeyId.NotFound", status: 404 });
    const wrong = await imsFor(emulator, {
      ...emulator.accessKey,
      accessKeySecret: "not-the-secret",
    })
      .listApplications()
      .catch((e: unknown) => e);
    expect(wrong).toMatchObject({ code: "SignatureDoesNotMatch", status: 400 });

    // A request signed for one AppName and sent with another.
    const signedFor = "/?AppName=good";
    const res = await fetch(
      `${emulator.url}/?AppName=evil`,
      signedHeaders(emulator, "CreateApplication", signedFor),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ Code: "SignatureDoesNotMatch" });
    // The same request untouched passes the signature (and then fails on its missing fields).
    const honest = await fetch(
      `${emulator.url}/?AppName=good`,
      signedHeaders(emulator, "CreateApplication", signedFor),
    );
    expect(await honest.json()).toMatchObject({ Code: "MissingDisplayName" });
    // And cannot be replayed.
    const replay = await fetch(
      `${emulator.url}/?AppName=good`,
      signedHeaders(emulator, "CreateApplication", signedFor, "fixed-nonce"),
    );
    const again = await fetch(
      `${emulator.url}/?AppName=good`,
      signedHeaders(emulator, "CreateApplication", signedFor, "fixed-nonce"),
    );
    expect(replay.status).toBe(400);
    expect(await again.json()).toMatchObject({ Code: "SignatureNonceUsed" });
  });

  it("rotates without downtime: the old secret works until it is deleted", async () => {
    const ims = imsFor(emulator);
    const app = await ims.createApplication({ appName: "rotating", displayName: "Rotating" });
    await ims.grant(app.appId);
    const first = await ims.createSecret(app.appId);
    const rotation = await ims.rotateSecret(app.appId);
    expect(rotation.previous.map((s) => s.appSecretId)).toEqual([first.appSecretId]);
    const oldClient = scimFor(emulator, app.appId, first.value.reveal());
    const newClient = scimFor(emulator, app.appId, rotation.created.value.reveal());
    await expect(oldClient.listUsers()).resolves.toBeDefined();
    await expect(newClient.listUsers()).resolves.toBeDefined();
    await ims.deleteSecret(app.appId, first.appSecretId);
    const refused = await scimFor(emulator, app.appId, first.value.reveal())
      .listUsers()
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({
      status: 401,
      detail: match.stringContaining("invalid_client"),
    });
    await expect(newClient.listUsers()).resolves.toBeDefined();
    expect((await ims.listSecrets(app.appId)).map((s) => s.appSecretId)).toEqual([
      rotation.created.appSecretId,
    ]);
  });

  it("refuses a third secret, and a rotation that would silently drop one", async () => {
    const ims = imsFor(emulator);
    const app = await ims.createApplication({ appName: "full", displayName: "Full" });
    const a = await ims.createSecret(app.appId);
    await ims.createSecret(app.appId);
    await expect(ims.createSecret(app.appId)).rejects.toMatchObject({
      code: "LimitExceeded.AppSecret",
      status: 409,
    });
    const refused = await ims.rotateSecret(app.appId).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RotationRefusedError);
    // RAM shows ids only: no secret is proposed for deletion, the caller names one.
    expect((refused as RotationRefusedError).secrets.map((s) => s.appSecretId)).toContain(
      a.appSecretId,
    );
    expect((refused as Error).message).toContain("--keep ID");
    expect((refused as Error).message).not.toContain(`--remove ${a.appSecretId}`);
    const told = await ims.rotateSecret(app.appId, { remove: a.appSecretId });
    expect(told.removedFirst?.appSecretId).toBe(a.appSecretId);
    expect(await ims.listSecrets(app.appId)).toHaveLength(2);
    const kept = await ims.rotateSecret(app.appId, { keep: told.created.appSecretId });
    expect(kept.previous.map((s) => s.appSecretId)).toEqual([told.created.appSecretId]);
  });

  it("blocks tokens once the grant is revoked, including ones already issued", async () => {
    const ims = imsFor(emulator);
    const app = await ims.createApplication({ appName: "revoked", displayName: "Revoked" });
    await ims.grant(app.appId);
    const secret = await ims.createSecret(app.appId);
    const scim = scimFor(emulator, app.appId, secret.value.reveal());
    await scim.listUsers();
    await ims.revoke(app.appId);
    expect(await ims.getGrant(app.appId)).toBeUndefined();
    await expect(scim.listUsers()).rejects.toMatchObject({ status: 400 });
    await ims.revoke(app.appId); // idempotent
  });

  it("reads, finds, updates (replacing scopes) and deletes, idempotently", async () => {
    const ims = imsFor(emulator);
    const app = await ims.createApplication({
      appName: "crud",
      displayName: "CRUD",
      scopes: ["/acs/scim", "openid"],
    });
    expect((await ims.getApplication(app.appId))?.predefinedScopes).toEqual([
      "/acs/scim",
      "openid",
    ]);
    expect((await ims.findApplication("crud"))?.appId).toBe(app.appId);
    const updated = await ims.updateApplication(app.appId, {
      displayName: "CRUD 2",
      accessTokenValidity: 7200,
      scopes: ["/acs/scim"],
    });
    expect(updated).toMatchObject({
      displayName: "CRUD 2",
      accessTokenValidity: 7200,
      predefinedScopes: ["/acs/scim"],
    });
    await ims.deleteApplication(app.appId);
    expect(await ims.getApplication(app.appId)).toBeUndefined();
    await ims.deleteApplication(app.appId);
  });

  it("ensures an application: creates it, then finds it unchanged, then brings drift back", async () => {
    const ims = imsFor(emulator);
    const spec = { appName: "ensured", displayName: "Ensured", accessTokenValidity: 3600 };
    const made = await ims.ensureApplication(spec);
    expect(made.action).toBe("created");
    expect((await ims.ensureApplication(spec)).action).toBe("unchanged");
    await ims.updateApplication(made.application.appId, { displayName: "Changed by hand" });
    const fixed = await ims.ensureApplication(spec);
    expect(fixed).toMatchObject({ action: "updated", application: { displayName: "Ensured" } });
  });

  it("answers Alibaba's errors: duplicate name, unknown AppId, invalid validity", async () => {
    const ims = imsFor(emulator);
    await ims.createApplication({ appName: "dup", displayName: "Dup" });
    await expect(
      ims.createApplication({ appName: "dup", displayName: "Dup" }),
    ).rejects.toMatchObject({ code: "EntityAlreadyExists.Application", status: 409 });
    await expect(ims.grant("4000000000000000000")).rejects.toMatchObject({
      code: "EntityNotExist.Application",
      status: 404,
    });
    await expect(ims.createSecret("4000000000000000000")).rejects.toBeInstanceOf(ImsError);
    const sdkLevel = await fetch(
      `${emulator.url}/?AppName=v&DisplayName=v&AppType=ServerApp&AccessTokenValidity=60`,
      signedHeaders(
        emulator,
        "CreateApplication",
        "/?AccessTokenValidity=60&AppName=v&AppType=ServerApp&DisplayName=v",
      ),
    );
    expect(await sdkLevel.json()).toMatchObject({
      Code: "InvalidParameter.AccessTokenValidity",
      Message: match.stringContaining("AccessTokenValidity"),
    });
  });

  it("validates before any call, naming each field", async () => {
    const ims = imsFor(emulator);
    const error = await ims
      .createApplication({
        appName: "bad name!",
        displayName: "x".repeat(25),
        accessTokenValidity: 60,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImsValidationError);
    expect((error as ImsValidationError).problems.map((p) => p.field)).toEqual([
      "appName",
      "displayName",
      "accessTokenValidity",
    ]);
    expect(emulator.counters().total).toBe(0);
  });
});

/** Headers of a request signed by hand (ACS3-HMAC-SHA256) for `signedPath`, with an empty body. */
function signedHeaders(
  emulator: RamEmulator,
  action: string,
  signedPath: string,
  nonce = Math.random().toString(36),
) {
  const url = new URL(signedPath, emulator.url);
  const enc = (s: string) =>
    encodeURIComponent(s).replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  const query = [...url.searchParams]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join("&");
  const emptyHash = createHash("sha256").update("").digest("hex");
  const headers: Record<string, string> = {
    host: emulator.imsEndpoint,
    "x-acs-action": action,
    "x-acs-content-sha256": emptyHash,
    "x-acs-date": new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    "x-acs-signature-nonce": nonce,
    "x-acs-version": "2019-08-15",
  };
  const names = Object.keys(headers).sort();
  const canonical = [
    "POST",
    "/",
    query,
    names.map((n) => `${n}:${headers[n]}\n`).join(""),
    names.join(";"),
    emptyHash,
  ].join("\n");
  const toSign = `ACS3-HMAC-SHA256\n${createHash("sha256").update(canonical).digest("hex")}`;
  const signature = createHmac("sha256", emulator.accessKey.accessKeySecret)
    .update(toSign)
    .digest("hex");
  const { host: _host, ...rest } = headers;
  return {
    method: "POST",
    headers: {
      ...rest,
      authorization: `ACS3-HMAC-SHA256 Credential=${emulator.accessKey.accessKeyId},SignedHeaders=${names.join(";")},Signature=${signature}`,
    },
  };
}
