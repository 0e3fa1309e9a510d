import type { ScimClientSettings } from "./config";
import { ScimError } from "./errors";
import type { BearerSource, Transport } from "./transport";

interface CachedToken {
  readonly value: string;
  /** When to stop using it: shortly before it really expires. */
  readonly renewAt: number;
}

/**
 * RAM access tokens for a ServerApp (docs/ram-api.md §2): client credentials in the query string,
 * HTTP Basic, `expires_in` as a string, no refresh token. One request serves every concurrent
 * caller; the token is renewed shortly before it expires.
 */
export class TokenSource implements BearerSource {
  readonly #basic: string;
  private cached: CachedToken | undefined;
  private pending: Promise<string> | undefined;
  /** Tokens obtained so far. */
  issued = 0;

  constructor(
    private readonly settings: Pick<ScimClientSettings, "clientId" | "clientSecret" | "tokenUrl">,
    private readonly transport: () => Transport,
    private readonly now: () => number = Date.now,
  ) {
    const pair = `${settings.clientId}:${settings.clientSecret.reveal()}`;
    this.#basic = `Basic ${Buffer.from(pair, "utf8").toString("base64")}`;
  }

  async token(): Promise<string> {
    if (this.cached && this.now() < this.cached.renewAt) return this.cached.value;
    this.pending ??= this.request().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = undefined;
  }

  private async request(): Promise<string> {
    const url = new URL(this.settings.tokenUrl);
    url.searchParams.set("grant_type", "client_credentials");
    url.searchParams.set("client_id", this.settings.clientId);
    const started = this.now();
    const basic = this.#basic;
    const { body } = await this.transport().send({
      method: "POST",
      url: url.toString(),
      kind: "token",
      authorization: () => basic,
      // Asking again only issues another token.
      retryAmbiguous: true,
    });
    const answer = (body ?? {}) as { access_token?: unknown; expires_in?: unknown };
    if (typeof answer.access_token !== "string" || answer.access_token === "") {
      throw new ScimError({
        status: 200,
        detail: "the token endpoint answered without an access_token",
        request: { method: "POST", url: this.settings.tokenUrl },
      });
    }
    // RAM sends expires_in as a string ("3599"); other servers send a number.
    const lifetime = Number(answer.expires_in);
    const seconds = Number.isFinite(lifetime) && lifetime > 0 ? lifetime : 900;
    const margin = Math.min(60, seconds * 0.1);
    this.cached = { value: answer.access_token, renewAt: started + (seconds - margin) * 1000 };
    this.issued += 1;
    return answer.access_token;
  }
}
