import { randomBytes, timingSafeEqual } from "node:crypto";
import type { GrantCheck } from "./ims/applications";
import { oauthError, scimError, type Reply } from "./reply";

interface IssuedToken {
  readonly clientId: string;
  readonly expiresAt: number;
}

/**
 * RAM's OAuth token endpoint for ServerApps (docs/ram-api.md §2): client credentials in the query
 * string and HTTP Basic, `expires_in` as a string, no refresh token.
 */
export class OAuthServer {
  private readonly tokens = new Map<string, IssuedToken>();

  /**
   * @param checkGrant whether this client and secret may have a token, and for how long
   * @param lifetimeOverride a fixed token lifetime (tests use seconds); else the application's
   */
  constructor(
    private readonly checkGrant: (
      clientId: string,
      secret: string,
      same: typeof sameSecret,
    ) => GrantCheck,
    private readonly lifetimeOverride: number | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** `POST /v1/token?grant_type=client_credentials&client_id=…` */
  issue(query: URLSearchParams, form: URLSearchParams, authorization: string | undefined): Reply {
    const grantType = query.get("grant_type") ?? form.get("grant_type");
    const clientId = query.get("client_id") ?? form.get("client_id");
    if (!grantType) return oauthError(400, "invalid_request", "Missing parameter: grant_type");
    if (grantType !== "client_credentials")
      return oauthError(
        400,
        "unsupported_grant_type",
        `Grant type '${grantType}' is not supported for a server application`,
      );
    if (!clientId) return oauthError(400, "invalid_request", "Missing parameter: client_id");
    const basic = parseBasic(authorization);
    if (!basic)
      return oauthError(401, "invalid_client", "Client authentication failed: HTTP Basic expected");
    if (basic.user !== clientId)
      return oauthError(
        401,
        "invalid_client",
        "Client authentication failed: client_id and Basic user differ",
      );
    const grant = this.checkGrant(clientId, basic.password, sameSecret);
    if (!grant.ok && grant.reason === "not authorized")
      return oauthError(
        400,
        "unauthorized_client",
        "The application is not authorized for /acs/scim in this account (ProvisionApplication)",
      );
    if (!grant.ok)
      return oauthError(401, "invalid_client", `Client authentication failed: ${grant.reason}`);

    this.prune();
    const lifetime = this.lifetimeOverride ?? grant.lifetimeSeconds;
    const token = randomBytes(24).toString("base64url");
    this.tokens.set(token, { clientId, expiresAt: this.now() + lifetime * 1000 });
    return {
      status: 200,
      headers: { "Cache-Control": "no-store" },
      body: {
        access_token: token,
        token_type: "Bearer",
        expires_in: String(lifetime),
        scope: "/acs/scim",
        request_id: randomBytes(16).toString("hex").toUpperCase(),
      },
    };
  }

  /** Checks a SCIM call's bearer token; answers the 401 to send, or undefined when it is valid. */
  authenticate(authorization: string | undefined): Reply | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    const challenge = (error: string) => ({ "WWW-Authenticate": `Bearer error="${error}"` });
    if (!match)
      return scimError(401, "Authorization failure: a Bearer token is required", undefined, {
        "WWW-Authenticate": "Bearer",
      });
    const issued = this.tokens.get(match[1] as string);
    if (!issued)
      return scimError(
        401,
        "Authorization failure: the access token is invalid",
        undefined,
        challenge("invalid_token"),
      );
    if (issued.expiresAt <= this.now())
      return scimError(
        401,
        "Authorization failure: the access token has expired",
        undefined,
        challenge("invalid_token"),
      );
    return undefined;
  }

  /** Ends every token of one application (deprovisioned or deleted). */
  revokeClient(clientId: string): void {
    for (const [token, t] of this.tokens) if (t.clientId === clientId) this.tokens.delete(token);
  }

  /** Drops every issued token, as if they had all expired. */
  expireAll(): void {
    this.tokens.clear();
  }

  private prune(): void {
    const now = this.now();
    for (const [token, t] of this.tokens) if (t.expiresAt <= now) this.tokens.delete(token);
  }
}

function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? "");
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
