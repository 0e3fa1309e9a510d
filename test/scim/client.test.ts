import { createServer } from "node:http";
import type { RamEmulator } from "../../lib/emulator";
import { ScimClient, ScimError, type ScimEvent } from "../../lib/core/scim";
import { clientFor, numberedUsers, withEmulator } from "../helpers/emulator";

describe("ScimClient: reading", () => {
  let emulator: RamEmulator;
  afterEach(() => emulator.close());

  it.each([
    ["a server that ignores count and answers 30", { ignoreCount: true }, 34],
    ["a page cap of 30", { maxPageSize: 30 }, 34],
    ["a page cap of 100", { maxPageSize: 100 }, 10],
  ])("lists 1,000 users from %s in the fewest pages", async (_case, paging, pages) => {
    emulator = await withEmulator({ seedUsers: numberedUsers(1000), ...paging });
    const client = clientFor(emulator, { pageSize: 100 });
    const users = await client.listUsers();
    expect(users).toHaveLength(1000);
    expect(new Set(users.map((u) => u.id)).size).toBe(1000);
    expect(users[0]).toMatchObject({
      userName: "user00000",
      displayName: "User 0",
      externalId: "seed:user00000",
    });
    expect(users[999]?.userName).toBe("user00999");
    expect(emulator.counters().byRoute["GET /Users"]).toBe(pages);
  });

  it("lists an empty directory in one request", async () => {
    emulator = await withEmulator();
    expect(await clientFor(emulator).listUsers()).toEqual([]);
    expect(emulator.counters().byRoute["GET /Users"]).toBe(1);
  });

  it("finds users by userName without regard to case or principal suffix, and by externalId", async () => {
    emulator = await withEmulator({ seedUsers: [{ userName: "alice", externalId: "team:a" }] });
    const client = clientFor(emulator);
    expect((await client.findUser({ userName: "ALICE" }))?.externalId).toBe("team:a");
    expect((await client.findUser({ userName: "alice@emulator.onaliyun.com" }))?.externalId).toBe(
      "team:a",
    );
    expect((await client.findUser({ externalId: "team:a" }))?.userName).toBe("alice");
    expect(await client.findUser({ externalId: "TEAM:A" })).toBeUndefined();
  });

  it.each([
    'team:quote"inside',
    "team:back\\slash",
    'team:\\"both\\"',
    'x" or externalId eq "team:a',
    "team:ünïcødé 张",
    "team:tab\there",
  ])("finds the externalId %j exactly, and nothing else", async (hostile) => {
    emulator = await withEmulator({
      seedUsers: [
        { userName: "alice", externalId: "team:a" },
        { userName: "target", externalId: hostile },
      ],
    });
    const client = clientFor(emulator);
    expect((await client.findUser({ externalId: hostile }))?.userName).toBe("target");
    expect(await client.findUser({ externalId: `${hostile}x` })).toBeUndefined();
  });

  it("cannot be led by a hostile userName into matching another user", async () => {
    emulator = await withEmulator({ seedUsers: [{ userName: "alice" }] });
    const client = clientFor(emulator);
    expect(await client.findUser({ userName: 'nobody" or userName eq "alice' })).toBeUndefined();
    expect(await client.findUser({ userName: 'nobody\\" and userName eq "alice' })).toBeUndefined();
  });

  it("accepts application/scim+json answers", async () => {
    emulator = await withEmulator({
      responseContentType: "scim+json",
      seedUsers: [{ userName: "alice" }],
    });
    expect(await clientFor(emulator).listUsers()).toHaveLength(1);
  });
});

describe("ScimClient: writing and its errors", () => {
  let emulator: RamEmulator;
  beforeEach(async () => {
    emulator = await withEmulator({
      seedUsers: [
        {
          userName: "held",
          id: "20000000000000001",
          blockers: { accessKeys: ["LTAIx"], groups: ["devs"] },
        },
      ],
    });
  });
  afterEach(() => emulator.close());

  it("creates, reads, replaces and deletes", async () => {
    const client = clientFor(emulator);
    const created = await client.createUser({
      userName: "bob",
      displayName: "Bob",
      externalId: "team:bob",
    });
    expect(created).toMatchObject({ userName: "bob", displayName: "Bob", externalId: "team:bob" });
    expect(await client.getUser(created.id)).toMatchObject({ userName: "bob" });
    const renamed = await client.replaceUser(created.id, {
      userName: "bob.li",
      displayName: "Bob Li",
      externalId: "team:bob",
    });
    expect(renamed).toMatchObject({ id: created.id, userName: "bob.li", displayName: "Bob Li" });
    await client.deleteUser(created.id);
    await expect(client.getUser(created.id)).rejects.toMatchObject({
      status: 404,
      isNotFound: true,
    });
  });

  it("reports a duplicate as a 409 uniqueness conflict", async () => {
    const client = clientFor(emulator);
    await client.createUser({ userName: "bob", externalId: "team:bob" });
    const error = await client
      .createUser({ userName: "BOB", externalId: "team:bob2" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScimError);
    expect(error).toMatchObject({
      status: 409,
      scimType: "uniqueness",
      isConflict: true,
      attempts: 1,
    });
  });

  it("reports an invalid value as a 400 without retrying", async () => {
    const error = await clientFor(emulator)
      .createUser({ userName: "no spaces allowed" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, scimType: "invalidValue", attempts: 1 });
    expect((error as Error).message).toContain("userName");
  });

  it("reports a 404 for an unknown id on delete", async () => {
    await expect(clientFor(emulator).deleteUser("1")).rejects.toMatchObject({
      status: 404,
      attempts: 1,
    });
  });

  it("reports the blockers of a refused delete", async () => {
    const error = await clientFor(emulator)
      .deleteUser("20000000000000001")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 409,
      blockers: ["AccessKey", "Group"],
      isConflict: false,
    });
    expect((error as ScimError).detail).toContain("LTAIx");
  });
});

describe("ScimClient: tokens", () => {
  let emulator: RamEmulator;
  afterEach(() => emulator.close());

  it("shares one token request among concurrent callers", async () => {
    emulator = await withEmulator({ seedUsers: numberedUsers(10) });
    const client = clientFor(emulator);
    await Promise.all(Array.from({ length: 20 }, () => client.findUser({ userName: "user00003" })));
    expect(emulator.counters().byRoute["POST /v1/token"]).toBe(1);
  });

  it("renews a token that expires in the middle of a run, before it is refused", async () => {
    // One clock for both sides, moved by hand: 200 ms between writes, without waiting.
    let now = Date.now();
    const clock = () => now;
    emulator = await withEmulator({ tokenLifetimeSeconds: 1, clock });
    const client = clientFor(emulator, { clock });
    for (let i = 0; i < 12; i++) {
      await client.createUser({ userName: `t${i}`, externalId: `team:t${i}` });
      now += 200;
    }
    // Due 100 ms (a tenth of its 1 s life) before it expires: new tokens at 1 s and 2 s.
    expect(client.stats.tokensIssued).toBe(3);
    expect(emulator.counters().byStatus["401"]).toBeUndefined();
    expect(await client.listUsers()).toHaveLength(12);
  });

  it("asks for a new token once when one is refused early", async () => {
    emulator = await withEmulator();
    const client = clientFor(emulator);
    await client.listUsers();
    emulator.expireTokens();
    expect(await client.listUsers()).toEqual([]);
    expect(emulator.counters().byStatus["401"]).toBe(1);
    expect(client.stats.tokensIssued).toBe(2);
  });

  it("fails with the OAuth error for a wrong secret, without retrying", async () => {
    emulator = await withEmulator();
    const error = await clientFor(emulator, { clientSecret: "wrong" })
      .listUsers()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, attempts: 1 });
    expect((error as Error).message).toContain("invalid_client");
  });
});

describe("ScimClient: throttling and faults", () => {
  let emulator: RamEmulator;
  afterEach(() => emulator.close());

  it("rides out 429 bursts by honouring Retry-After", async () => {
    emulator = await withEmulator({ faults: { writeRateLimit: 10 } });
    const events: ScimEvent[] = [];
    const client = clientFor(emulator, {
      writesPerSecond: 1000,
      retryMaxDelayMs: 5000,
      onEvent: (e) => events.push(e),
    });
    await Promise.all(numberedUsers(25, "team").map((u) => client.createUser(u)));
    expect(emulator.counters().throttled).toBeGreaterThan(0);
    expect(events.some((e) => e.reason === "HTTP 429" && e.delayMs >= 1000)).toBe(true);
    expect(await client.listUsers()).toHaveLength(25);
  });

  it("stays under the server's write limit by itself", async () => {
    emulator = await withEmulator({ faults: { writeRateLimit: 20 } });
    const client = clientFor(emulator, { writesPerSecond: 20 });
    await Promise.all(numberedUsers(30, "team").map((u) => client.createUser(u)));
    expect(emulator.counters().throttled).toBe(0);
  });

  it("finishes every call under 10 % transient errors and 5 % dropped connections, with no duplicate", async () => {
    emulator = await withEmulator({
      faults: { transientErrorRate: 0.1, dropConnectionRate: 0.05, seed: 11 },
    });
    const client = clientFor(emulator, {
      writesPerSecond: 1000,
      readsPerSecond: 1000,
      maxAttempts: 8,
    });
    const wanted = numberedUsers(200, "team");
    const created = await Promise.all(wanted.map((u) => client.createUser(u)));
    await Promise.all(
      created.slice(0, 50).map((u) =>
        client.replaceUser(u.id, {
          userName: u.userName,
          displayName: "Renamed",
          externalId: u.externalId,
        }),
      ),
    );
    await Promise.all(created.slice(150).map((u) => client.deleteUser(u.id)));
    const counters = emulator.counters();
    expect(counters.injectedErrors + counters.dropped).toBeGreaterThan(20);
    // Creates that failed ambiguously were checked by externalId before being sent again.
    expect(counters.byRoute["GET /Users"]).toBeGreaterThan(0);

    emulator.setFaults({});
    const users = await client.listUsers();
    expect(users).toHaveLength(150);
    expect(new Set(users.map((u) => u.externalId)).size).toBe(150);
    expect(users.filter((u) => u.displayName === "Renamed")).toHaveLength(50);
  });

  it("gives up on a server that never answers in time, saying so", async () => {
    emulator = await withEmulator({ faults: { latencyMs: 300 } });
    const error = await clientFor(emulator, { timeoutMs: 50, maxAttempts: 2 })
      .listUsers()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "TIMEOUT", attempts: 2, status: undefined });
  });

  it("does not resend a create without externalId after an ambiguous failure", async () => {
    emulator = await withEmulator();
    const client = clientFor(emulator);
    await client.authenticate();
    emulator.setFaults({ transientErrorRate: 1 });
    const error = await client.createUser({ userName: "noext" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ ambiguous: true, attempts: 1 });
    expect(emulator.counters().byRoute["POST /Users"]).toBe(1);
  });

  it("reports a connection refused after its retries", async () => {
    emulator = await withEmulator();
    const url = emulator.url;
    await emulator.close();
    const client = clientFor(emulator, {
      scimUrl: url,
      tokenUrl: `${url}/v1/token`,
      maxAttempts: 2,
    });
    await expect(client.listUsers()).rejects.toMatchObject({ code: "ECONNREFUSED", attempts: 2 });
    emulator = await withEmulator();
  });
});

describe("an answer of the wrong shape", () => {
  it("names the request it answered, not a GET", async () => {
    // GIVEN a server that takes the token request, then answers writes with an empty object
    const server = createServer((req, res) => {
      res.writeHead(req.url?.startsWith("/v1/token") ? 200 : 201, {
        "content-type": "application/json",
      });
      res.end(
        req.url?.startsWith("/v1/token")
          ? '{"access_token":"t0k3n-value","expires_in":"3600"}'
          : "{}",
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const client = new ScimClient({
        env: {},
        clientId: "1",
        clientSecret: "secret-1",
        scimUrl: url,
        tokenUrl: `${url}/v1/token`,
      });
      // WHEN a create and a replace get answers without an id
      // THEN each error names its own method
      await expect(client.createUser({ userName: "a" })).rejects.toThrow(
        /^POST .*\/Users failed: .*unexpected answer/,
      );
      await expect(client.replaceUser("9", { userName: "a" })).rejects.toThrow(
        /^PUT .*\/Users\/9 failed: .*unexpected answer/,
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
