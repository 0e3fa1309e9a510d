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

  const query = (extra: object = {}) => ({
    users: encode({ owner: "tf", users: [{ userName: "alice" }, { userName: "bob" }] }),
    client_id: "9100",
    scim_url: emulator.scimUrl,
    token_url: emulator.tokenUrl,
    ...extra,
  });
  const run = (stdin: string, e = env) =>
    ramScim(["external-plan"], e, { readStdin: async () => stdin });

  it("answers a flat object of strings whose digest changes exactly when RAM differs from the file", async () => {
    const pending = await run(JSON.stringify(query()));
    expect(pending.code).toBe(0);
    const answer = JSON.parse(pending.out);
    expect(answer).toEqual({
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      summary: "+2 (alice, bob)",
      changes: "true",
    });
    expect(Object.values(answer).every((v) => typeof v === "string")).toBe(true);
    expect(JSON.parse((await run(JSON.stringify(query()))).out).digest).toBe(answer.digest);

    const client = clientFor(emulator, { clientId: "9100", clientSecret: SECRET });
    await client.createUser({ userName: "alice", externalId: "tf:alice" });
    await client.createUser({ userName: "bob", externalId: "tf:bob" });
    expect(JSON.parse((await run(JSON.stringify(query()))).out)).toEqual({
      digest: "in-step",
      summary: "in step",
      changes: "false",
    });
    const bob = await client.findUser({ externalId: "tf:bob" });
    await client.replaceUser(bob!.id, {
      userName: "bob",
      displayName: "Drifted",
      externalId: "tf:bob",
    });
    const drifted = JSON.parse(
      (
        await run(
          JSON.stringify(
            query({
              users: encode({
                owner: "tf",
                users: [{ userName: "alice" }, { userName: "bob", displayName: "Bob" }],
              }),
            }),
          ),
        )
      ).out,
    );
    expect(drifted).toMatchObject({ summary: "~1 (bob)", changes: "true" });
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
