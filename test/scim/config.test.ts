import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveScimSettings, ScimConfigError, equalityFilter } from "../../lib";

const base = { RAM_SCIM_CLIENT_ID: "4000", RAM_SCIM_CLIENT_SECRET: "x" };

describe("client settings", () => {
  it("default to the China site", () => {
    const s = resolveScimSettings({ env: base });
    expect(s).toMatchObject({
      clientId: "4000",
      scimUrl: "https://scim.aliyun.com",
      tokenUrl: "https://oauth.aliyun.com/v1/token",
      writesPerSecond: 20,
      readsPerSecond: 100,
    });
    expect(s.clientSecret.reveal()).toBe("x");
  });

  it("follow RAM_SCIM_SITE=intl, and explicit URLs over the site", () => {
    expect(resolveScimSettings({ env: { ...base, RAM_SCIM_SITE: "intl" } })).toMatchObject({
      // The English docs of both sites: one SCIM URL; only the token URL differs.
      scimUrl: "https://scim.aliyun.com",
      tokenUrl: "https://oauth.alibabacloud.com/v1/token",
    });
    expect(
      resolveScimSettings({
        env: { ...base, RAM_SCIM_SITE: "intl", RAM_SCIM_URL: "https://scim.example.com/" },
      }).scimUrl,
    ).toBe("https://scim.example.com");
  });

  it("prefer options to the environment", () => {
    const s = resolveScimSettings({ env: base, clientId: "5000", clientSecret: "y", site: "intl" });
    expect(s.clientId).toBe("5000");
    expect(s.clientSecret.reveal()).toBe("y");
  });

  it("read the secret from a file, without its trailing newline", () => {
    const file = join(mkdtempSync(join(tmpdir(), "ram-scim-")), "secret");
    writeFileSync(file, "from-file\n");
    expect(
      resolveScimSettings({
        env: { RAM_SCIM_CLIENT_ID: "1", RAM_SCIM_CLIENT_SECRET_FILE: file },
      }).clientSecret.reveal(),
    ).toBe("from-file");
    expect(() =>
      resolveScimSettings({
        env: { RAM_SCIM_CLIENT_ID: "1" },
        clientSecretFile: `${file}.missing`,
      }),
    ).toThrow(/cannot read .*secret\.missing: ENOENT/);
  });

  it.each([
    [{ RAM_SCIM_CLIENT_SECRET: "x" }, "RAM_SCIM_CLIENT_ID"],
    [{ RAM_SCIM_CLIENT_ID: "1" }, "RAM_SCIM_CLIENT_SECRET"],
    [{ ...base, RAM_SCIM_SITE: "eu" }, "RAM_SCIM_SITE"],
    [{ ...base, RAM_SCIM_URL: "http://scim.example.com" }, "RAM_SCIM_URL"],
    [{ ...base, RAM_SCIM_URL: "http://10.0.0.5:8080" }, "RAM_SCIM_URL"],
    [{ ...base, RAM_SCIM_TOKEN_URL: "ftp://x" }, "RAM_SCIM_TOKEN_URL"],
    [{ ...base, RAM_SCIM_URL: "not a url" }, "RAM_SCIM_URL"],
  ])("refuse %j, naming %s", (env, setting) => {
    let error: unknown;
    try {
      resolveScimSettings({ env });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScimConfigError);
    expect((error as ScimConfigError).setting).toBe(setting);
  });

  it.each(["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9", "http://127.8.9.10"])(
    "allow plain http to the loopback host %s",
    (url) => {
      expect(resolveScimSettings({ env: { ...base, RAM_SCIM_URL: url } }).scimUrl).toBe(url);
    },
  );

  it("refuse a concurrency below one", () => {
    expect(() => resolveScimSettings({ env: base, concurrency: 0 })).toThrow(
      "concurrency: must be a number >= 1",
    );
  });
});

describe("equalityFilter", () => {
  it.each([
    ["userName", "alice", 'userName eq "alice"'],
    ["externalId", 'a"b', 'externalId eq "a\\"b"'],
    ["externalId", "a\\b", 'externalId eq "a\\\\b"'],
    ["externalId", "line\nbreak", 'externalId eq "line\\nbreak"'],
  ] as const)("%s = %j gives %s", (attribute, value, expected) => {
    expect(equalityFilter(attribute, value)).toBe(expected);
  });
});
