import { resolveScimSettings, type ScimClientOptions, type ScimClientSettings } from "./config";
import { ScimError } from "./errors";
import { equalityFilter } from "./filter";
import { TokenSource } from "./token";
import { Transport } from "./transport";
import type { ScimEvent, ScimUser, ScimUserInput } from "./types";

const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";

/** Callbacks a caller can pass to {@link ScimClient} besides its settings. */
export interface ScimClientHooks {
  /**
   * Called on every retry, e.g. to log or draw progress. Carries no secret.
   * @default - none: retries happen silently
   */
  readonly onEvent?: (event: ScimEvent) => void;
  /**
   * The time in milliseconds since the epoch, read to know when the access token is due for
   * renewal: tests pass a fake clock to age a token without waiting. Back-off, pacing and
   * time-outs keep real time.
   * @default Date.now - the machine's clock
   */
  readonly clock?: () => number;
}

/** What a client did on the wire, for benchmarks and `doctor`. */
export interface ScimClientStats {
  /** HTTP requests sent so far, token requests and retries included. */
  readonly requestsSent: number;
  /** Access tokens obtained so far from the token endpoint. */
  readonly tokensIssued: number;
}

/** A SCIM 2.0 client for RAM's user provisioning (docs/ram-api.md §2, §3). */
export class ScimClient {
  /** The settings in force: options, then the environment, then the defaults. */
  readonly settings: ScimClientSettings;
  private readonly transport: Transport;
  private readonly tokens: TokenSource;

  constructor(options: ScimClientOptions & ScimClientHooks = {}) {
    this.settings = resolveScimSettings(options);
    this.tokens = new TokenSource(this.settings, () => this.transport, options.clock);
    this.transport = new Transport(this.settings, this.tokens, options.onEvent);
  }

  /** Counts of what the client has sent so far. */
  get stats(): ScimClientStats {
    return { requestsSent: this.transport.requestsSent, tokensIssued: this.tokens.issued };
  }

  /** Obtains a token now (what `doctor` checks first). */
  async authenticate(): Promise<void> {
    await this.tokens.token();
  }

  /**
   * Every user in RAM. The first page tells the total and the page size the server really uses;
   * the other pages are then read concurrently. A page shorter than asked for is followed by a
   * read of what it left out, and an empty page ends its range.
   */
  async listUsers(): Promise<ScimUser[]> {
    const first = await this.page(1, this.settings.pageSize);
    const total = first.totalResults;
    const step = first.users.length;
    const byIndex = new Map<number, ScimUser[]>([[1, first.users]]);
    if (step > 0 && step < total) {
      const starts: number[] = [];
      for (let start = 1 + step; start <= total; start += step) starts.push(start);
      await Promise.all(
        starts.map(async (start) => byIndex.set(start, await this.range(start, step))),
      );
    }
    // Users can move between pages while we read: keep each id once.
    const seen = new Map<string, ScimUser>();
    for (const start of [...byIndex.keys()].sort((a, b) => a - b))
      for (const user of byIndex.get(start) ?? []) if (!seen.has(user.id)) seen.set(user.id, user);
    return [...seen.values()];
  }

  /** How many users RAM holds, in one small request (what `doctor` checks). */
  async countUsers(): Promise<number> {
    return (await this.page(1, 1)).totalResults;
  }

  /**
   * The user with this userName or externalId (an `eq` filter), or undefined when there is none.
   */
  async findUser(by: { userName: string } | { externalId: string }): Promise<ScimUser | undefined> {
    const filter =
      "userName" in by
        ? equalityFilter("userName", by.userName)
        : equalityFilter("externalId", by.externalId);
    const url = this.url("/Users", { filter });
    const body = await this.read(url);
    const list = readList(body, url);
    return list.users[0];
  }

  /** The user with this id; a ScimError with status 404 when there is none. */
  async getUser(id: string): Promise<ScimUser> {
    const url = this.url(`/Users/${encodeURIComponent(id)}`);
    const body = await this.read(url);
    return readUser(body, url);
  }

  /**
   * Creates a user. A create is never retried blindly: after an answer that leaves open whether it
   * landed (5xx, dropped connection, time-out) the user is looked up by externalId first, and only
   * sent again if it is not there. Without an externalId such a failure is thrown as it is.
   */
  async createUser(input: ScimUserInput): Promise<ScimUser> {
    const url = this.url("/Users");
    const body = { schemas: [USER_SCHEMA], ...input };
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.transport.send({
          method: "POST",
          url,
          kind: "write",
          body,
          retryAmbiguous: false,
        });
        return readUser(res.body, url, "POST");
      } catch (e) {
        if (!(e instanceof ScimError) || !e.ambiguous || input.externalId === undefined) throw e;
        if (attempt >= this.settings.maxAttempts) throw e;
        const landed = await this.findUser({ externalId: input.externalId });
        if (landed) return landed;
        await this.transport.backOff(
          { method: "POST", url, kind: "write" },
          attempt,
          e.code ?? `HTTP ${e.status}`,
        );
      }
    }
  }

  /** PUT: a full replace. Omitting externalId or displayName clears it. */
  async replaceUser(id: string, input: ScimUserInput): Promise<ScimUser> {
    const url = this.url(`/Users/${encodeURIComponent(id)}`);
    const body = { schemas: [USER_SCHEMA], id, ...input };
    const res = await this.transport.send({
      method: "PUT",
      url,
      kind: "write",
      body,
      retryAmbiguous: true,
    });
    return readUser(res.body, url, "PUT");
  }

  /**
   * Deletes a user. A 404 on the first attempt is thrown (the id was unknown); a 404 on a retry
   * means an earlier attempt landed, and counts as done. A refusal for blockers carries `blockers`.
   */
  async deleteUser(id: string): Promise<void> {
    const url = this.url(`/Users/${encodeURIComponent(id)}`);
    try {
      await this.transport.send({ method: "DELETE", url, kind: "write", retryAmbiguous: true });
    } catch (e) {
      // A 404 on a retry means an earlier attempt of ours did the work.
      if (e instanceof ScimError && e.isNotFound && e.attempts > 1) return;
      throw e;
    }
  }

  /** A GET: safe to retry after any failure. */
  private async read(url: string): Promise<unknown> {
    const res = await this.transport.send({
      method: "GET",
      url,
      kind: "read",
      retryAmbiguous: true,
    });
    return res.body;
  }

  private url(path: string, query: Record<string, string> = {}): string {
    const url = new URL(this.settings.scimUrl + path);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return url.toString();
  }

  private async page(startIndex: number, count: number): Promise<ScimList> {
    const url = this.url("/Users", { startIndex: String(startIndex), count: String(count) });
    const body = await this.read(url);
    return readList(body, url);
  }

  /** Users at [start, start + count), in as many requests as the server's pages need. */
  private async range(start: number, count: number): Promise<ScimUser[]> {
    const users: ScimUser[] = [];
    while (users.length < count) {
      const page = await this.page(start + users.length, count - users.length);
      if (page.users.length === 0) break;
      for (const u of page.users) users.push(u);
      if (start + users.length > page.totalResults) break;
    }
    return users;
  }
}

interface ScimList {
  readonly totalResults: number;
  readonly users: ScimUser[];
}

function readList(body: unknown, url: string): ScimList {
  const b = body as { totalResults?: unknown; Resources?: unknown } | undefined;
  if (typeof b !== "object" || b === null || typeof b.totalResults !== "number")
    throw unexpected(url, "a ListResponse with totalResults");
  const resources = b.Resources ?? [];
  if (!Array.isArray(resources)) throw unexpected(url, "Resources as an array");
  return { totalResults: b.totalResults, users: resources.map((r) => readUser(r, url)) };
}

function readUser(body: unknown, url: string, method = "GET"): ScimUser {
  const b = body as Record<string, unknown> | undefined;
  if (
    typeof b !== "object" ||
    b === null ||
    typeof b.id !== "string" ||
    typeof b.userName !== "string"
  )
    throw unexpected(url, "a User with id and userName", method);
  const user: { -readonly [K in keyof ScimUser]: ScimUser[K] } = { id: b.id, userName: b.userName };
  if (typeof b.displayName === "string") user.displayName = b.displayName;
  if (typeof b.externalId === "string") user.externalId = b.externalId;
  if (typeof b.meta === "object" && b.meta !== null) user.meta = b.meta;
  return user;
}

/** A 2xx answer of the wrong shape, named with the request it answered. */
function unexpected(url: string, expected: string, method = "GET"): ScimError {
  return new ScimError({
    status: 200,
    detail: `unexpected answer: expected ${expected}`,
    request: { method, url },
  });
}
