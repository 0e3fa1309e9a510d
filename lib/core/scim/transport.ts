import { setTimeout as sleep } from "node:timers/promises";
import { REDACTED, Redactor } from "../redact";
import type { ScimClientSettings } from "./config";
import { ScimError } from "./errors";
import { RateLimiter, Semaphore } from "./throttle";
import type { ScimEvent } from "./types";

export type RequestKind = "read" | "write" | "token";

export interface WireRequest {
  readonly method: string;
  readonly url: string;
  readonly kind: RequestKind;
  readonly body?: unknown;
  /** A fixed Authorization header (the token request); SCIM calls get the bearer token. */
  readonly authorization?: () => string;
  /**
   * Retry failures after which the request may have been carried out (5xx, dropped connection,
   * time-out). False for a create: its caller checks what landed before it tries again.
   */
  readonly retryAmbiguous: boolean;
}

export interface WireResponse {
  readonly status: number;
  readonly body: unknown;
}

/** Hands out bearer tokens and forgets one the server refused. */
export interface BearerSource {
  token(): Promise<string>;
  invalidate(token: string): void;
}

const AMBIGUOUS_STATUSES = new Set([500, 502, 503, 504]);
/** Errors after which the request cannot have reached the server. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);
/** Codes of a TLS failure: a certificate not trusted, a handshake that failed. */
export const TLS_CODES = /^(CERT_|ERR_TLS|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_SSL)/;
/** Errors that a retry will not cure: wrong host name, TLS trouble. */
const FINAL_CODES = new RegExp(`^(ENOTFOUND|EBADPORT)|${TLS_CODES.source}`);

type Outcome =
  | {
      readonly kind: "response";
      readonly status: number;
      readonly headers: Headers;
      readonly text: string;
    }
  | { readonly kind: "error"; readonly code: string; readonly detail: string };

/**
 * One HTTP exchange with retries: exponential back-off with jitter, Retry-After honoured on 429,
 * client-side rate limits for reads and writes, bounded concurrency, a time-out on every request,
 * one token renewal on 401. Every failure ends as a ScimError with no secret in it.
 */
export class Transport {
  private readonly readLimiter: RateLimiter;
  private readonly writeLimiter: RateLimiter;
  private readonly inFlight: Semaphore;
  /** Hides the client secret (and its Basic form) in whatever a server sends back. */
  private readonly redactor: Redactor;
  /** Requests put on the wire, retries included. */
  requestsSent = 0;

  constructor(
    private readonly settings: ScimClientSettings,
    private readonly bearer: BearerSource | undefined,
    private readonly onEvent: ((event: ScimEvent) => void) | undefined,
    private readonly random: () => number = Math.random,
  ) {
    this.readLimiter = new RateLimiter(settings.readsPerSecond);
    this.writeLimiter = new RateLimiter(settings.writesPerSecond);
    this.inFlight = new Semaphore(settings.concurrency);
    this.redactor = new Redactor().add(settings.clientSecret, settings.clientId);
  }

  /** Sends until a 2xx answer comes; throws ScimError otherwise. */
  async send(req: WireRequest): Promise<WireResponse> {
    const limiter =
      req.kind === "read" ? this.readLimiter : req.kind === "write" ? this.writeLimiter : undefined;
    const request = { method: req.method, url: this.redactor.redact(req.url) };
    let renewedToken = false;
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      await limiter?.acquire();
      const token = req.authorization ? undefined : await this.bearer?.token();
      const authorization = req.authorization?.() ?? (token ? `Bearer ${token}` : undefined);
      const outcome = await this.inFlight.run(() => this.exchange(req, authorization));
      const last = attempt >= this.settings.maxAttempts;

      if (outcome.kind === "error") {
        const notSent = NOT_SENT_CODES.has(outcome.code);
        const ambiguous = !notSent;
        const retryable = !FINAL_CODES.test(outcome.code) && (notSent || req.retryAmbiguous);
        if (!retryable || last)
          throw new ScimError({
            detail: this.redact(outcome.detail, token),
            code: outcome.code,
            request,
            attempts: attempt,
            elapsedMs: Date.now() - started,
            ambiguous,
          });
        await this.backOff(req, attempt, outcome.code, undefined);
        continue;
      }

      const body = parseBody(outcome, request, attempt);
      if (outcome.status >= 200 && outcome.status < 300) return { status: outcome.status, body };
      // Redacted before it is shortened or its spaces collapsed: a cut must not reveal a part.
      const failure = errorFields(outcome.status, body, this.redact(outcome.text, token), (t) =>
        this.redact(t, token),
      );
      if (outcome.status === 401 && token && !renewedToken) {
        // The token expired or was revoked early: ask for a new one once.
        this.bearer?.invalidate(token);
        renewedToken = true;
        attempt -= 1;
        continue;
      }
      const retryable =
        outcome.status === 429 || (AMBIGUOUS_STATUSES.has(outcome.status) && req.retryAmbiguous);
      if (!retryable || last) {
        throw new ScimError({
          status: outcome.status,
          ...failure,
          request,
          attempts: attempt,
          ambiguous: AMBIGUOUS_STATUSES.has(outcome.status),
        });
      }
      const retryAfter =
        outcome.status === 429 ? retryAfterMs(outcome.headers.get("retry-after")) : undefined;
      await this.backOff(req, attempt, `HTTP ${outcome.status}`, retryAfter);
    }
  }

  /** What a server or the network said, without our credentials even if it echoed them. */
  private redact(text: string, token: string | undefined): string {
    const hidden = this.redactor.redact(text);
    return token && token.length >= 8 ? hidden.split(token).join(REDACTED) : hidden;
  }

  private async exchange(req: WireRequest, authorization: string | undefined): Promise<Outcome> {
    const headers: Record<string, string> = { Accept: "application/scim+json, application/json" };
    if (authorization) headers.Authorization = authorization;
    let payload: string | undefined;
    if (req.body !== undefined) {
      payload = JSON.stringify(req.body);
      // RAM's examples send application/json, not application/scim+json.
      headers["Content-Type"] = "application/json";
    }
    this.requestsSent += 1;
    try {
      const res = await fetch(req.url, {
        method: req.method,
        headers,
        body: payload,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
        redirect: "error",
      });
      return { kind: "response", status: res.status, headers: res.headers, text: await res.text() };
    } catch (e) {
      return networkFailure(e, this.settings.timeoutMs);
    }
  }

  /** Waits before attempt `attempt + 1`: Retry-After when the server gave one, else back-off. */
  async backOff(
    req: Pick<WireRequest, "method" | "url" | "kind">,
    attempt: number,
    reason: string,
    retryAfter?: number,
  ): Promise<void> {
    const limiter =
      req.kind === "read" ? this.readLimiter : req.kind === "write" ? this.writeLimiter : undefined;
    const ceiling = Math.min(
      this.settings.retryMaxDelayMs,
      this.settings.retryBaseDelayMs * 2 ** (attempt - 1),
    );
    // Half fixed, half random: spreads out clients that failed together.
    const backoff = ceiling / 2 + (this.random() * ceiling) / 2;
    const delayMs = Math.round(
      retryAfter !== undefined ? Math.min(retryAfter, this.settings.retryMaxDelayMs) : backoff,
    );
    if (retryAfter !== undefined) limiter?.pause(delayMs);
    this.onEvent?.({
      type: "retry",
      method: req.method,
      url: this.redactor.redact(req.url),
      attempt,
      reason,
      delayMs,
    });
    await sleep(delayMs);
  }
}

function parseBody(
  outcome: Extract<Outcome, { kind: "response" }>,
  request: { method: string; url: string },
  attempt: number,
): unknown {
  if (outcome.text === "") return undefined;
  const type = outcome.headers.get("content-type") ?? "";
  if (!/json/i.test(type)) return outcome.text;
  try {
    return JSON.parse(outcome.text);
  } catch {
    throw new ScimError({
      status: outcome.status,
      detail: `the answer claims ${type} but is not valid JSON`,
      request,
      attempts: attempt,
    });
  }
}

/** The detail of an error answer: SCIM (RFC 7644 §3.12), OAuth (RFC 6749 §5.2) or Alibaba's own. */
function errorFields(
  status: number,
  body: unknown,
  text: string,
  hide: (text: string) => string,
): { detail: string; scimType?: string } {
  if (typeof body === "object" && body !== null) {
    const b = body as Record<string, unknown>;
    if (typeof b.detail === "string")
      return {
        detail: hide(b.detail),
        scimType: typeof b.scimType === "string" ? b.scimType : undefined,
      };
    if (typeof b.error === "string")
      return {
        detail: hide(
          typeof b.error_description === "string" ? `${b.error}: ${b.error_description}` : b.error,
        ),
      };
    if (typeof b.Code === "string")
      return { detail: hide(typeof b.Message === "string" ? `${b.Code}: ${b.Message}` : b.Code) };
  }
  const snippet = text.replace(/\s+/g, " ").trim().slice(0, 200);
  return { detail: snippet || `HTTP ${status} with no body` };
}

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function networkFailure(e: unknown, timeoutMs: number): Outcome {
  const error = e as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (error.name === "TimeoutError" || error.name === "AbortError")
    return { kind: "error", code: "TIMEOUT", detail: `no answer within ${timeoutMs} ms` };
  // fetch refuses some ports outright (the "bad ports" of the Fetch standard).
  const code = error.cause?.code ?? (error.cause?.message === "bad port" ? "EBADPORT" : "ENETWORK");
  const detail = error.cause?.message ?? error.message ?? "network error";
  return { kind: "error", code, detail };
}
