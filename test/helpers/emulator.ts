import { startEmulator, type EmulatorOptions, type RamEmulator } from "../../lib/emulator";
import { ScimClient, type ScimClientHooks, type ScimClientOptions } from "../../lib/core/scim";

/** Starts an emulator on a free loopback port for the tests of one file. */
export async function withEmulator(options: EmulatorOptions = {}): Promise<RamEmulator> {
  return startEmulator({ port: 0, ...options });
}

/** A client of `emulator` with short back-off so that retry tests stay quick. */
export function clientFor(
  emulator: RamEmulator,
  options: ScimClientOptions & ScimClientHooks = {},
): ScimClient {
  return new ScimClient({
    env: {},
    clientId: emulator.client.clientId,
    clientSecret: emulator.client.clientSecret,
    scimUrl: emulator.scimUrl,
    tokenUrl: emulator.tokenUrl,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 50,
    ...options,
  });
}

/**
 * The fields the tests read of an emulator's JSON answer: a user, a list (of users, resource
 * types or schemas), a schema or an error. Which are present depends on the answer; the tests
 * assert it.
 */
export interface ScimBody {
  schemas: string[];
  // A user (or another resource: a resource type, a schema).
  id: string;
  userName: string;
  displayName?: string;
  externalId?: string;
  emails?: unknown;
  meta: { resourceType: string; created: string; lastModified: string; location: string };
  attributes: { name: string }[];
  // A list.
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: ScimBody[];
  // An error.
  status: string;
  scimType?: string;
  detail: string;
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body; undefined when the answer had none. */
  body: ScimBody | undefined;
}

/** A plain HTTP exchange with the emulator, for tests of the emulator itself. */
export class RawScim {
  private token: string | undefined;

  constructor(private readonly emulator: RamEmulator) {}

  async accessToken(): Promise<string> {
    const { clientId, clientSecret } = this.emulator.client;
    // The token endpoint takes injected faults too: ask until a token comes.
    for (let attempt = 0; !this.token && attempt < 20; attempt++) {
      const res = await fetch(
        `${this.emulator.tokenUrl}?grant_type=client_credentials&client_id=${clientId}`,
        { method: "POST", headers: { Authorization: basic(clientId, clientSecret) } },
      ).catch(() => undefined);
      if (res?.status === 200)
        this.token = ((await res.json()) as { access_token: string }).access_token;
    }
    if (!this.token) throw new Error("no token from the emulator after 20 attempts");
    return this.token;
  }

  async send(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<RawAnswer> {
    const res = await fetch(`${this.emulator.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${await this.accessToken()}`,
        ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text ? (JSON.parse(text) as ScimBody) : undefined,
    };
  }
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

/** `count` users named user0000… with externalIds `owner:user0000…`. */
export function numberedUsers(count: number, owner = "seed") {
  return Array.from({ length: count }, (_, i) => {
    const name = `user${String(i).padStart(5, "0")}`;
    return { userName: name, displayName: `User ${i}`, externalId: `${owner}:${name}` };
  });
}
