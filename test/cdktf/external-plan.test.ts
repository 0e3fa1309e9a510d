import type { RamEmulator } from "../../lib/emulator";
import { ramScim } from "../helpers/cli";
import { clientFor, withEmulator } from "../helpers/emulator";

const SECRET = "external-Secret-never-printed";
const encode = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64");

describe("ram-scim external-plan: Terraform's external program protocol", () => {
  let emulator: RamEmulator;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    emulator = await withEmulator({ clients: [{ clientId: "9100", clientSecret: SECRET }] });
    env = { RAM_SCIM_CLIENT_SECRET: SECRET };
  });
  afterEach(() => emulator.close());

  const file = { owner: "tf", users: [{ userName: "alice" }, { userName: "bob" }] };
  const query = (extra: object = {}) => ({
    users: encode(file),
    client_id: "9100",
    scim_url: emulator.scimUrl,
    token_url: emulator.tokenUrl,
    ...extra,
  });
  const run = (stdin: string, e = env) =>
    ramScim(["external-plan"], e, { readStdin: async () => stdin });

  it("answers the plan per person as a flat object of strings: empty when RAM matches", async () => {
    // GIVEN two declared people, neither in RAM
    const pending = await run(JSON.stringify(query()));
    expect(pending.code).toBe(0);
    const answer = JSON.parse(pending.out) as Record<string, string>;
    expect(answer).toEqual({
      alice: '+ create alice: userName "alice", externalId "tf:alice"',
      bob: '+ create bob: userName "bob", externalId "tf:bob"',
    });
    // The users file may come as its text (what the constructs send) or base64 (filebase64()).
    expect(
      JSON.parse((await run(JSON.stringify(query({ users: JSON.stringify(file) })))).out),
    ).toEqual(answer);

    // WHEN RAM matches
    const client = clientFor(emulator, { clientId: "9100", clientSecret: SECRET });
    await client.createUser({ userName: "alice", externalId: "tf:alice" });
    await client.createUser({ userName: "bob", externalId: "tf:bob" });
    expect(JSON.parse((await run(JSON.stringify(query()))).out)).toEqual({});

    // WHEN someone changes a person in the console
    const bob = await client.findUser({ externalId: "tf:bob" });
    await client.replaceUser(bob!.id, {
      userName: "bob",
      displayName: "Drifted",
      externalId: "tf:bob",
    });
    const withName = {
      owner: "tf",
      users: [{ userName: "alice" }, { userName: "bob", displayName: "Bob" }],
    };
    const drifted = JSON.parse(
      (await run(JSON.stringify(query({ users: encode(withName) })))).out,
    ) as Record<string, string>;
    expect(drifted).toEqual({
      bob: `~ update bob (id ${bob!.id}): displayName "Drifted" -> "Bob"`,
    });
  });

  it("plans as ram-scim plan does: the managed groups through the IMS endpoint of the query", async () => {
    const grouped = {
      owner: "tf",
      managedGroups: ["developers"],
      users: [{ userName: "alice", groups: ["developers"] }],
    };
    const { accessKeyId, accessKeySecret } = emulator.accessKey;
    const env = {
      RAM_SCIM_CLIENT_SECRET: SECRET,
      ALIBABA_CLOUD_ACCESS_KEY_ID: accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: accessKeySecret,
      RAM_SCIM_IMS_ENDPOINT: "http://127.0.0.1:9", // inherited, and wrong: the query's wins
    };
    emulator.userAdmin.addGroup("developers");
    const r = await run(
      JSON.stringify(query({ users: JSON.stringify(grouped), ims_endpoint: emulator.imsEndpoint })),
      env,
    );
    expect(r.err).toBe("");
    expect(JSON.parse(r.out)).toEqual({
      alice:
        '+ create alice: userName "alice", externalId "tf:alice"; + add alice to group developers',
    });
  });

  it("answers a missing application of the stack as a change, not an error that blocks plans", async () => {
    const { accessKeyId, accessKeySecret } = emulator.accessKey;
    const r = await run(
      JSON.stringify({ users: encode(file), app_name: "gone", ims_endpoint: emulator.imsEndpoint }),
      {
        ALIBABA_CLOUD_ACCESS_KEY_ID: accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: accessKeySecret,
      },
    );
    expect([r.code, r.err]).toEqual([0, ""]);
    expect(JSON.parse(r.out)).toEqual({
      "application gone":
        "missing in RAM: the next deploy makes it anew, with its grant and a new secret, then applies the users",
    });
  });

  it("fails a plan that may not be applied, with the reasons on stderr", async () => {
    const client = clientFor(emulator, { clientId: "9100", clientSecret: SECRET });
    await client.createUser({ userName: "alice" }); // made in the console: not ours
    const r = await run(JSON.stringify(query()));
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain('the plan for owner "tf" cannot be applied');
    expect(r.err).toContain("alice");
  });

  it.each([
    ["not JSON", "{nope", "is not JSON"],
    ["an array", "[]", "must be a JSON object"],
    ["an unknown key", JSON.stringify({ users: "x", secret: "y" }), "unknown query keys secret"],
    ["no users", JSON.stringify({}), 'needs "users"'],
    [
      "a bad users file",
      JSON.stringify({ users: encode({ owner: "tf", users: [{ userName: "a b" }] }) }),
      'query.users:1:36: users[0].userName: "a b" is not a valid RAM user name',
    ],
    [
      "a bad max_deletes",
      JSON.stringify({
        users: encode({ owner: "tf", users: [{ userName: "a" }] }),
        max_deletes: "many",
      }),
      "max_deletes takes a count",
    ],
  ])("fails %s with a message on stderr and a non-zero exit", async (_case, stdin, message) => {
    const r = await run(stdin);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it("never prints the secret, even when RAM refuses it", async () => {
    const r = await run(JSON.stringify(query()), { RAM_SCIM_CLIENT_SECRET: `${SECRET}-wrong` });
    expect(r.code).toBe(1);
    expect(r.out + r.err).not.toContain(SECRET);
  });
});
