import type { RamEmulator } from "../../lib/emulator";
import { basic, withEmulator } from "../helpers/emulator";
import { match } from "../helpers/match";

describe("emulator: OAuth token endpoint", () => {
  let emulator: RamEmulator;
  // The emulator's clock, moved by hand: a token ages without the test waiting.
  let now = Date.now();
  beforeAll(async () => {
    emulator = await withEmulator({
      clients: [{ clientId: "5001", clientSecret: "right-secret" }],
      tokenLifetimeSeconds: 1,
      clock: () => now,
    });
  });
  afterAll(() => emulator.close());

  const token = (query: string, authorization?: string) =>
    fetch(`${emulator.tokenUrl}?${query}`, {
      method: "POST",
      headers: authorization ? { Authorization: authorization } : {},
    });

  it("issues a bearer token with expires_in as a string", async () => {
    const res = await token(
      "grant_type=client_credentials&client_id=5001",
      basic("5001", "right-secret"),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: "1", scope: "/acs/scim" });
    expect(typeof body.access_token).toBe("string");
    expect(typeof body.request_id).toBe("string");
  });

  it.each([
    [
      "a missing grant type",
      "client_id=5001",
      basic("5001", "right-secret"),
      400,
      "invalid_request",
    ],
    [
      "another grant type",
      "grant_type=password&client_id=5001",
      basic("5001", "right-secret"),
      400,
      "unsupported_grant_type",
    ],
    [
      "a missing client id",
      "grant_type=client_credentials",
      basic("5001", "right-secret"),
      400,
      "invalid_request",
    ],
    [
      "no Basic header",
      "grant_type=client_credentials&client_id=5001",
      undefined,
      401,
      "invalid_client",
    ],
    [
      "an unknown client",
      "grant_type=client_credentials&client_id=9999",
      basic("9999", "right-secret"),
      401,
      "invalid_client",
    ],
    [
      "a wrong secret",
      "grant_type=client_credentials&client_id=5001",
      basic("5001", "wrong-secret"),
      401,
      "invalid_client",
    ],
  ])("refuses %s", async (_case, query, authorization, status, error) => {
    const res = await token(query, authorization);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error });
  });

  it("lets a token expire after its lifetime", async () => {
    const res = await token(
      "grant_type=client_credentials&client_id=5001",
      basic("5001", "right-secret"),
    );
    const { access_token } = (await res.json()) as { access_token: string };
    const call = () =>
      fetch(`${emulator.url}/Users`, { headers: { Authorization: `Bearer ${access_token}` } });
    now += 999;
    expect((await call()).status).toBe(200);
    now += 1; // the lifetime, 1 s, is over
    const expired = await call();
    expect(expired.status).toBe(401);
    expect(expired.headers.get("www-authenticate")).toContain("invalid_token");
    expect(await expired.json()).toMatchObject({
      status: "401",
      detail: match.stringContaining("expired"),
    });
  });

  it("refuses SCIM calls without a token or with an unknown one", async () => {
    expect((await fetch(`${emulator.url}/Users`)).status).toBe(401);
    const res = await fetch(`${emulator.url}/Users`, { headers: { Authorization: "Bearer nope" } });
    expect(res.status).toBe(401);
  });
});
