import {
  ADMIN_PREFIX,
  EmulatorOptionsError,
  RamEmulator,
  type FaultOptions,
} from "../../lib/emulator";
import { RawScim, withEmulator } from "../helpers/emulator";
import { match } from "../helpers/match";

/** Admin routes take JSON only (a cross-origin page cannot send it without asking). */
const JSON_BODY = { "Content-Type": "application/json" };

describe("emulator: fault injection", () => {
  let emulator: RamEmulator;
  afterEach(() => emulator.close());

  it("answers 429 with Retry-After past the write limit, and counts it", async () => {
    emulator = await withEmulator({ faults: { writeRateLimit: 5 } });
    const scim = new RawScim(emulator);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => scim.send("POST", "/Users", { userName: `burst${i}` })),
    );
    const throttled = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(5);
    expect(throttled).toHaveLength(3);
    expect(throttled[0]?.headers.get("retry-after")).toBe("1");
    expect(throttled[0]?.body).toMatchObject({
      status: "429",
      detail: match.stringContaining("Throttling"),
    });
    expect(emulator.counters().throttled).toBe(3);
    // Reads have their own budget.
    expect((await scim.send("GET", "/Users")).status).toBe(200);
  });

  /** Outcome of each of 40 GETs: a status, or "dropped". */
  async function pattern(faults: FaultOptions): Promise<string[]> {
    emulator = await withEmulator({ faults });
    const scim = new RawScim(emulator);
    await scim.accessToken();
    const outcomes: string[] = [];
    for (let i = 0; i < 40; i++) {
      try {
        outcomes.push(String((await scim.send("GET", "/Users")).status));
      } catch {
        outcomes.push("dropped");
      }
    }
    await emulator.close();
    return outcomes;
  }

  it("injects transient errors and drops at the seeded rate, the same way for the same seed", async () => {
    const faults = { transientErrorRate: 0.2, dropConnectionRate: 0.1, seed: 42 };
    const first = await pattern(faults);
    const second = await pattern(faults);
    const other = await pattern({ ...faults, seed: 7 });
    emulator = await withEmulator();
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
    expect(first.filter((o) => o === "500" || o === "503").length).toBeGreaterThan(0);
    expect(first).toContain("dropped");
    expect(first.filter((o) => o === "200").length).toBeGreaterThan(20);
  });

  it("still carries out a write whose connection is dropped after the work", async () => {
    emulator = await withEmulator();
    const scim = new RawScim(emulator);
    await scim.accessToken();
    await fetch(`${emulator.url}${ADMIN_PREFIX}/faults`, {
      method: "PUT",
      headers: JSON_BODY,
      body: JSON.stringify({ dropConnectionRate: 1, seed: 3 }),
    });
    for (let i = 0; i < 10; i++)
      await expect(scim.send("POST", "/Users", { userName: `ghost${i}` })).rejects.toThrow();
    // Some drops came after the user was stored: those users exist although no answer came.
    expect(emulator.directory.size).toBeGreaterThan(0);
    expect(emulator.directory.size).toBeLessThan(10);
  });

  it("adds latency", async () => {
    emulator = await withEmulator({ faults: { latencyMs: [30, 40] } });
    const scim = new RawScim(emulator);
    await scim.accessToken();
    const started = performance.now();
    await scim.send("GET", "/Users");
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
  });

  it("refuses a clock that is not a function", () => {
    const clock = 0 as unknown as () => number; // as from JavaScript, unchecked
    expect(() => new RamEmulator({ clock })).toThrow(/clock must be a function/);
  });

  it("refuses impossible options, naming each", () => {
    expect(
      () =>
        new RamEmulator({ faults: { transientErrorRate: 2, writeRateLimit: 0 }, maxPageSize: 0 }),
    ).toThrow(EmulatorOptionsError);
    try {
      new RamEmulator({ faults: { transientErrorRate: 2, writeRateLimit: 0 }, maxPageSize: 0 });
    } catch (e) {
      expect((e as EmulatorOptionsError).problems).toEqual([
        match.stringContaining("maxPageSize"),
        match.stringContaining("faults.transientErrorRate"),
        match.stringContaining("faults.writeRateLimit"),
      ]);
    }
  });
});

describe("emulator: counters and admin routes", () => {
  let emulator: RamEmulator;
  beforeEach(async () => {
    emulator = await withEmulator();
  });
  afterEach(() => emulator.close());

  it("counts requests by route and status, in-process and over HTTP", async () => {
    const scim = new RawScim(emulator);
    const { body } = await scim.send("POST", "/Users", { userName: "alice" });
    await scim.send("GET", `/Users/${body?.id}`);
    await scim.send("GET", "/Users/404");
    await scim.send("GET", "/Users");
    await scim.send("DELETE", `/Users/${body?.id}`);
    const expected = {
      total: 6,
      byRoute: {
        "POST /v1/token": 1,
        "POST /Users": 1,
        "GET /Users/{id}": 2,
        "GET /Users": 1,
        "DELETE /Users/{id}": 1,
      },
      byStatus: { "200": 3, "201": 1, "204": 1, "404": 1 },
    };
    expect(emulator.counters()).toMatchObject(expected);
    const overHttp = await (await fetch(`${emulator.url}${ADMIN_PREFIX}/counters`)).json();
    expect(overHttp).toMatchObject(expected);
    await fetch(`${emulator.url}${ADMIN_PREFIX}/counters/reset`, {
      method: "POST",
      headers: JSON_BODY,
    });
    expect(emulator.counters().total).toBe(0);
  });

  it("tells onRequest listeners of each counted request, until they are removed", async () => {
    const heard: string[] = [];
    const remove = emulator.onRequest((route, status) => heard.push(`${route} ${status}`));
    const scim = new RawScim(emulator);
    await scim.send("POST", "/Users", { userName: "alice" });
    await fetch(`${emulator.url}${ADMIN_PREFIX}/counters`); // admin routes are not counted
    remove();
    await scim.send("GET", "/Users");
    expect(heard).toEqual(["POST /v1/token 200", "POST /Users 201"]);
  });

  it("seeds users, sets blockers and expires tokens over HTTP", async () => {
    const seeded = await fetch(`${emulator.url}${ADMIN_PREFIX}/users`, {
      method: "POST",
      headers: JSON_BODY,
      body: JSON.stringify([{ userName: "legacy", id: "10000000000000001" }]),
    });
    expect(seeded.status).toBe(201);
    const blockers = await fetch(
      `${emulator.url}${ADMIN_PREFIX}/users/10000000000000001/blockers`,
      {
        method: "PUT",
        headers: JSON_BODY,
        body: JSON.stringify({ accessKeys: ["LTAIkey"] }),
      },
    );
    expect(blockers.status).toBe(204);
    const scim = new RawScim(emulator);
    expect((await scim.send("DELETE", "/Users/10000000000000001")).status).toBe(409);
    await fetch(`${emulator.url}${ADMIN_PREFIX}/tokens/expire`, {
      method: "POST",
      headers: JSON_BODY,
    });
    expect((await scim.send("GET", "/Users")).status).toBe(401);
    const bad = await fetch(`${emulator.url}${ADMIN_PREFIX}/users`, {
      method: "POST",
      headers: JSON_BODY,
      body: JSON.stringify([{ userName: "bad name" }]),
    });
    expect(bad.status).toBe(400);
  });
});
