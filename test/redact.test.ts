import { Redactor, redact } from "../lib/core/redact";
import { Secret } from "../lib/core/secret";

const SECRET = "CANARY-s3cret-9f2c";

describe("redact", () => {
  it("hides a known value in every form it travels in", () => {
    // GIVEN a client secret known to the redactor, with its application id
    const r = new Redactor().add(new Secret(SECRET), "app-1");
    const basic = Buffer.from(`app-1:${SECRET}`).toString("base64");
    // WHEN text holds it raw, percent-encoded, JSON-escaped and as Basic credentials
    const out = r.redact(
      `${SECRET} ${encodeURIComponent(SECRET)} ${basic} app-1:${SECRET} ${JSON.stringify({ s: SECRET })}`,
    );
    // THEN none of them is left, and the application id is
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(basic);
    expect(out).toContain("app-1:[redacted]");
  });

  it("hides the shapes credentials take in text, whoever wrote it", () => {
    expect(redact("Authorization: Basic YXBwOnNlY3JldA==")).toBe("Authorization: Basic [redacted]");
    expect(redact("got Bearer eyJhbGciOiJIUzI1NiJ9.e30.x")).toBe("got Bearer [redacted]");
    expect(redact("https://u:pw@host/scim")).toBe("https://[redacted]@host/scim");
    expect(redact("https://user:p@ss@host/x")).toBe("https://[redacted]@host/x");
    expect(redact("https://ghp_TOKENVALUE123@host")).toBe("https://[redacted]@host");
    expect(redact("http://h/t?grant_type=x&client_secret=abc&access_token=z")).toBe(
      "http://h/t?grant_type=x&client_secret=[redacted]&access_token=[redacted]",
    );
    expect(redact('{"AppSecretValue": "a\\"b", "client_secret":"x"}')).toBe(
      '{"AppSecretValue": "[redacted]", "client_secret":"[redacted]"}',
    );
  });

  it("leaves identifiers and our own messages alone", () => {
    for (const text of [
      '{"appSecretId":"sec-1","accessKeyId":"AK1","tokenUrl":"https://x/v1/token"}',
      "RAM_SCIM_CLIENT_SECRET: no client secret: set RAM_SCIM_CLIENT_SECRET",
      "--client-secret-file users.yaml: cannot read it",
      "https://scim.aliyun.com/api/v1/scim?filter=userName",
      "created secret sec-2 for application app-1",
      "HTTP Basic authentication with the Bearer tokenless mode",
    ])
      expect(redact(text)).toBe(text);
  });

  it("hides a known value however a server wrote it back", () => {
    const secret = "Canary  Secret/+~ 123";
    const r = new Redactor().add(secret);
    for (const echoed of [
      secret.toUpperCase(),
      "Canary Secret/+~ 123", // whitespace collapsed
      new URLSearchParams({ v: secret }).toString().slice(2), // form encoding
      encodeURIComponent(secret).toLowerCase(),
      Buffer.from(secret).toString("base64"),
    ])
      expect(r.redact(`got ${echoed} back`)).toBe("got [redacted] back");
  });

  it("does not search for values too short to be secrets", () => {
    expect(new Redactor().add("ab").redact("about")).toBe("about");
  });
});
