import type { RamEmulator } from "../../lib/emulator";
import { ERROR_SCHEMA, RawScim, USER_SCHEMA, withEmulator } from "../helpers/emulator";
import { match } from "../helpers/match";

describe("emulator: SCIM /Users", () => {
  let emulator: RamEmulator;
  let scim: RawScim;
  beforeEach(async () => {
    emulator = await withEmulator({
      seedUsers: [
        { userName: "console.admin", displayName: "Console Admin" },
        {
          userName: "blocked",
          externalId: "team:blocked",
          blockers: {
            accessKeys: ["LTAI5tExample"],
            mfaDevice: true,
            groups: ["devs"],
            policies: ["AdministratorAccess"],
            loginProfile: true,
          },
        },
      ],
    });
    scim = new RawScim(emulator);
  });
  afterEach(() => emulator.close());

  const alice = {
    schemas: [USER_SCHEMA],
    userName: "alice",
    displayName: "Alice",
    externalId: "team:alice",
  };

  it("creates a user with RAM's id and meta shapes, then reads it by id", async () => {
    const created = await scim.send("POST", "/Users", alice);
    expect(created.status).toBe(201);
    expect(created.body?.id).toMatch(/^\d{17}$/);
    expect(created.body?.meta).toEqual({
      resourceType: "User",
      created: match.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      lastModified: match.stringMatching(/Z$/),
      location: `${emulator.url}/Users/${created.body?.id}`,
    });
    expect(created.headers.get("location")).toBe(created.body?.meta.location);
    expect(created.headers.get("content-type")).toMatch(/^application\/json/);
    const read = await scim.send("GET", `/Users/${created.body?.id}`);
    expect(read.body).toEqual(created.body);
  });

  it("dates meta by its clock: created when made, lastModified when replaced", async () => {
    let now = Date.parse("2026-03-01T08:00:00.750Z");
    const clocked = await withEmulator({ clock: () => now });
    try {
      const raw = new RawScim(clocked);
      const { body: created } = await raw.send("POST", "/Users", alice);
      now += 90_000;
      const { body: put } = await raw.send("PUT", `/Users/${created?.id}`, alice);
      expect(put?.meta).toMatchObject({
        created: "2026-03-01T08:00:00Z",
        lastModified: "2026-03-01T08:01:30Z",
      });
    } finally {
      await clocked.close();
    }
  });

  it("replaces a user with PUT, clearing what the body leaves out", async () => {
    const { body: created } = await scim.send("POST", "/Users", alice);
    const put = await scim.send("PUT", `/Users/${created?.id}`, {
      schemas: [USER_SCHEMA],
      userName: "alice.zhang",
      externalId: "team:alice",
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      id: created?.id,
      userName: "alice.zhang",
      externalId: "team:alice",
    });
    expect(put.body!.displayName).toBeUndefined();
  });

  it("deletes with 204, then answers 404 with a SCIM error body", async () => {
    const { body: created } = await scim.send("POST", "/Users", alice);
    const del = await scim.send("DELETE", `/Users/${created?.id}`);
    expect(del.status).toBe(204);
    expect(del.body).toBeUndefined();
    const again = await scim.send("DELETE", `/Users/${created?.id}`);
    expect(again.status).toBe(404);
    expect(again.body).toEqual({
      schemas: [ERROR_SCHEMA],
      status: "404",
      detail: match.any(String),
    });
  });

  it("refuses to delete a user with blockers and names every one", async () => {
    const { body } = await scim.send(
      "GET",
      `/Users?filter=${encodeURIComponent('userName eq "blocked"')}`,
    );
    const id = body?.Resources[0]?.id;
    if (!id) throw new Error("the seeded user blocked is not listed");
    const res = await scim.send("DELETE", `/Users/${id}`);
    expect(res.status).toBe(409);
    for (const code of ["AccessKey", "MFADevice", "Group", "LoginProfile", "Policy"])
      expect(res.body?.detail).toContain(`DeleteConflict.User.${code}`);
    expect(res.body?.detail).toContain("LTAI5tExample");
    emulator.setBlockers(id, {});
    expect((await scim.send("DELETE", `/Users/${id}`)).status).toBe(204);
  });

  describe("filters", () => {
    beforeEach(async () => {
      await scim.send("POST", "/Users", alice);
    });
    const list = (filter: string) =>
      scim.send("GET", `/Users?filter=${encodeURIComponent(filter)}`);

    it.each([
      ['userName eq "alice"', 1],
      ['userName eq "ALICE"', 1],
      ['USERNAME EQ "alice"', 1],
      ['externalId eq "team:alice"', 1],
      ["externalId eq team:alice", 1],
      ['externalId eq "TEAM:ALICE"', 0],
      ['userName eq "alice" and externalId eq "team:alice"', 1],
      ['userName eq "alice" and externalId eq "team:bob"', 0],
      ['userName eq "console.admin"', 1],
      ['userName eq "nobody"', 0],
    ])("%s matches %i", async (filter, count) => {
      const res = await list(filter);
      expect(res.status).toBe(200);
      expect(res.body?.totalResults).toBe(count);
      expect(res.body?.Resources).toHaveLength(count);
    });

    it.each([
      'userName co "ali"',
      'userName sw "a"',
      'userName eq "alice" or userName eq "bob"',
      'not (userName eq "alice")',
      'displayName eq "Alice"',
      'emails.value eq "a@example.com"',
      'userName eq "unterminated',
      "userName eq",
    ])("refuses %s with invalidFilter", async (filter) => {
      const res = await list(filter);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        schemas: [ERROR_SCHEMA],
        status: "400",
        scimType: "invalidFilter",
      });
    });

    it("matches names with quotes and backslashes in externalId", async () => {
      const hostile = 'team:we"ird\\id';
      const created = await scim.send("POST", "/Users", { userName: "weird", externalId: hostile });
      expect(created.status).toBe(201);
      const res = await list(`externalId eq ${JSON.stringify(hostile)}`);
      expect(res.body?.Resources.map((u: { id: string }) => u.id)).toEqual([created.body?.id]);
    });
  });

  describe("RAM's rules", () => {
    it.each([
      [{ userName: "" }, "userName"],
      [{ displayName: "No Name" }, "userName"],
      [{ userName: "has space" }, "userName"],
      [{ userName: "x".repeat(65) }, "userName"],
      [{ userName: "ok", displayName: "x".repeat(25) }, "displayName"],
      [{ userName: "ok", displayName: "" }, "displayName"],
      [{ userName: "alice@other.onaliyun.com" }, "userName"],
    ])("refuses %j naming %s", async (user, attribute) => {
      const res = await scim.send("POST", "/Users", { schemas: [USER_SCHEMA], ...user });
      expect(res.status).toBe(400);
      expect(res.body?.scimType).toBe("invalidValue");
      expect(res.body?.detail).toContain(`'${attribute}'`);
    });

    it("accepts 24 display-name characters, counting code points", async () => {
      const res = await scim.send("POST", "/Users", {
        userName: "zh",
        displayName: "张".repeat(24),
      });
      expect(res.status).toBe(201);
    });

    it("accepts a principal name of the account and stores the bare name", async () => {
      const res = await scim.send("POST", "/Users", { userName: "carol@emulator.onaliyun.com" });
      expect(res.status).toBe(201);
      expect(res.body?.userName).toBe("carol");
    });

    it("keeps userName unique without regard to case, and externalId unique", async () => {
      await scim.send("POST", "/Users", alice);
      const sameName = await scim.send("POST", "/Users", {
        userName: "ALICE",
        externalId: "team:other",
      });
      expect(sameName.status).toBe(409);
      expect(sameName.body).toMatchObject({
        status: "409",
        scimType: "uniqueness",
        detail: match.stringContaining("userName"),
      });
      const sameExternal = await scim.send("POST", "/Users", {
        userName: "bob",
        externalId: "team:alice",
      });
      expect(sameExternal.status).toBe(409);
      expect(sameExternal.body?.detail).toContain("externalId");
    });

    it("refuses unsupported attributes by default", async () => {
      const res = await scim.send("POST", "/Users", {
        ...alice,
        emails: [{ value: "a@example.com" }],
      });
      expect(res.status).toBe(400);
      expect(res.body?.detail).toContain("emails");
    });

    it("refuses a body that is not JSON or not an object", async () => {
      expect((await scim.send("POST", "/Users", "{not json")).body).toMatchObject({
        status: "400",
        scimType: "invalidSyntax",
      });
      expect((await scim.send("POST", "/Users", [alice])).body).toMatchObject({
        status: "400",
        scimType: "invalidSyntax",
      });
    });
  });

  it("answers PATCH, /Groups and /Bulk as unsupported", async () => {
    const { body } = await scim.send("POST", "/Users", alice);
    for (const [method, path] of [
      ["PATCH", `/Users/${body?.id}`],
      ["GET", "/Groups"],
      ["POST", "/Groups"],
      ["POST", "/Bulk"],
    ]) {
      const res = await scim.send(
        method as string,
        path as string,
        method === "GET" ? undefined : {},
      );
      expect(res.status).toBe(501);
      expect(res.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: "501" });
    }
  });

  it("describes the User resource type and schema", async () => {
    const types = await scim.send("GET", "/ResourceTypes");
    expect(types.body?.Resources).toEqual([
      match.objectContaining({ id: "User", endpoint: "/Users", schema: USER_SCHEMA }),
    ]);
    const schema = await scim.send("GET", `/Schemas/${USER_SCHEMA}`);
    expect(schema.body?.attributes.map((a: { name: string }) => a.name)).toEqual([
      "userName",
      "displayName",
      "externalId",
    ]);
  });
});

describe("emulator: paging", () => {
  let emulator: RamEmulator;
  afterEach(() => emulator.close());
  const seed = (n: number) => Array.from({ length: n }, (_, i) => ({ userName: `u${i}` }));

  it("honours startIndex and count up to the page cap", async () => {
    emulator = await withEmulator({ seedUsers: seed(250), maxPageSize: 100 });
    const scim = new RawScim(emulator);
    const res = await scim.send("GET", "/Users?startIndex=51&count=500");
    expect(res.body).toMatchObject({ totalResults: 250, startIndex: 51, itemsPerPage: 100 });
    expect(res.body?.Resources[0]?.userName).toBe("u50");
    expect(res.body?.Resources).toHaveLength(100);
    const tail = await scim.send("GET", "/Users?startIndex=241&count=100");
    expect(tail.body?.Resources).toHaveLength(10);
    const past = await scim.send("GET", "/Users?startIndex=999");
    expect(past.body?.Resources).toEqual([]);
  });

  it("answers pages of the documented 30 when told to ignore count", async () => {
    emulator = await withEmulator({ seedUsers: seed(40), ignoreCount: true });
    const res = await new RawScim(emulator).send("GET", "/Users?count=100");
    expect(res.body).toMatchObject({ totalResults: 40, itemsPerPage: 30 });
    expect(res.body?.Resources).toHaveLength(30);
  });
});

describe("emulator: switches for RAM's unknowns", () => {
  let emulator: RamEmulator;
  afterEach(() => emulator.close());

  it("returns principal names and lower-cases names when told to", async () => {
    emulator = await withEmulator({
      userNameFormat: "principal",
      lowercaseUserNames: true,
      accountAlias: "acme",
    });
    const res = await new RawScim(emulator).send("POST", "/Users", { userName: "Dave.Li" });
    expect(res.body?.userName).toBe("dave.li@acme.onaliyun.com");
  });

  it("lets SCIM read but not change or delete users made outside it, when told to", async () => {
    emulator = await withEmulator({
      protectConsoleUsers: true,
      seedUsers: [{ userName: "console.admin", id: "20000000000000001" }],
    });
    const raw = new RawScim(emulator);
    expect((await raw.send("GET", "/Users/20000000000000001")).status).toBe(200);
    const put = await raw.send("PUT", "/Users/20000000000000001", {
      userName: "console.admin",
      externalId: "platform:admin",
    });
    expect(put.status).toBe(400);
    expect(put.body).toMatchObject({ scimType: "mutability" });
    expect((await raw.send("DELETE", "/Users/20000000000000001")).status).toBe(400);
    // A user made through SCIM stays writable.
    const made = await raw.send("POST", "/Users", { userName: "via.scim" });
    expect((await raw.send("DELETE", `/Users/${made.body?.id}`)).status).toBe(204);
  });

  it("ignores unsupported attributes when told to", async () => {
    emulator = await withEmulator({ unknownAttributes: "ignore" });
    const res = await new RawScim(emulator).send("POST", "/Users", {
      userName: "erin",
      emails: [{ value: "e@example.com" }],
      active: true,
    });
    expect(res.status).toBe(201);
    expect(res.body!.emails).toBeUndefined();
  });

  it("answers application/scim+json when told to", async () => {
    emulator = await withEmulator({ responseContentType: "scim+json" });
    const res = await new RawScim(emulator).send("GET", "/Users");
    expect(res.headers.get("content-type")).toMatch(/^application\/scim\+json/);
  });
});
