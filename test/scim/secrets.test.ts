import { inspect } from "node:util";
import type { RamEmulator } from "../../lib/emulator";
import { ScimClient, ScimError, Secret } from "../../lib";
import { clientFor, withEmulator } from "../helpers/emulator";

const SECRET = "s3cr3t-Value-that-must-never-show";

/** Every way an error or object could be printed or logged. */
function renderings(value: unknown): string[] {
  const e = value as Error;
  return [
    String(value),
    JSON.stringify(value) ?? "",
    inspect(value, { depth: 10, showHidden: true }),
    e?.stack ?? "",
    e?.message ?? "",
    JSON.stringify(Object.entries(value as object)),
  ];
}

function expectNoSecret(value: unknown, clientId: string): void {
  const basic = Buffer.from(`${clientId}:${SECRET}`).toString("base64");
  for (const text of renderings(value)) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(basic);
  }
}

describe("the client secret never shows", () => {
  let emulator: RamEmulator;
  beforeAll(async () => {
    emulator = await withEmulator({
      clients: [{ clientId: "7001", clientSecret: SECRET }],
      seedUsers: [{ userName: "held", id: "20000000000000001", blockers: { mfaDevice: true } }],
    });
  });
  afterAll(() => emulator.close());

  it("in the client object, its settings or a Secret", () => {
    const client = clientFor(emulator);
    expectNoSecret(client, "7001");
    expectNoSecret(client.settings, "7001");
    expect(String(new Secret(SECRET))).toBe("[redacted]");
    // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- what a template literal makes of a Secret is the point
    expect(`${new Secret(SECRET)}`).toBe("[redacted]");
  });

  it("in any error the client throws", async () => {
    const client = clientFor(emulator);
    const down = clientFor(emulator, {
      scimUrl: "http://127.0.0.1:1",
      tokenUrl: "http://127.0.0.1:1/v1/token",
      maxAttempts: 1,
    });
    const wrong = new ScimClient({
      env: {},
      clientId: "7001",
      clientSecret: `${SECRET}-wrong`,
      scimUrl: emulator.scimUrl,
      tokenUrl: emulator.tokenUrl,
    });
    const attempts: Promise<unknown>[] = [
      client.createUser({ userName: "bad name" }),
      client.createUser({ userName: "held" }),
      client.getUser("404"),
      client.deleteUser("20000000000000001"),
      down.listUsers(),
      wrong.listUsers(),
    ];
    const errors = await Promise.all(
      attempts.map((p) =>
        p.then(
          () => undefined,
          (e: unknown) => e,
        ),
      ),
    );
    expect(errors.every((e) => e instanceof ScimError)).toBe(true);
    for (const e of errors) expectNoSecret(e, "7001");
    // The wrong secret is not shown either.
    for (const text of renderings(errors[5])) expect(text).not.toContain(`${SECRET}-wrong`);
  });

  it("in a configuration error", () => {
    let error: unknown;
    try {
      new ScimClient({
        env: {
          RAM_SCIM_CLIENT_SECRET: SECRET,
          RAM_SCIM_CLIENT_ID: "7001",
          RAM_SCIM_URL: "http://scim.example.com",
        },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeDefined();
    expectNoSecret(error, "7001");
  });
});
