import type { AccessKey } from "./ims/signature";

/** Deletion blockers RAM checks before it lets a user go (docs/ram-api.md §1.4, §3). */
export interface SeedBlockers {
  /**
   * AccessKey ids the user still owns.
   * @default [] - no AccessKey
   */
  readonly accessKeys?: readonly string[];
  /**
   * The user has a virtual MFA device bound.
   * @default false - no MFA device
   */
  readonly mfaDevice?: boolean;
  /**
   * RAM user groups the user belongs to; they are made to exist too.
   * @default [] - in no group
   */
  readonly groups?: readonly string[];
  /**
   * Names of policies attached directly to the user.
   * @default [] - no policy attached
   */
  readonly policies?: readonly string[];
  /**
   * The user can sign in to the console (has a login profile).
   * @default false - no console login
   */
  readonly loginProfile?: boolean;
}

/** A user present in RAM before the emulator starts (e.g. made in the console). */
export interface SeedUser {
  /** RAM user name, bare or as a principal name of the account; RAM's naming rules apply. */
  readonly userName: string;
  /**
   * The name shown in the console, 1-24 characters.
   * @default - none: the user has no display name
   */
  readonly displayName?: string;
  /**
   * Absent for a console user: the reconciler must never touch it.
   * @default - none: a user made outside SCIM
   */
  readonly externalId?: string;
  /**
   * A fixed id.
   * @default - a generated 17-digit id, as RAM's ids look
   */
  readonly id?: string;
  /**
   * What stands in the way of deleting the user.
   * @default - none: nothing blocks a delete
   */
  readonly blockers?: SeedBlockers;
  /**
   * How it was made.
   * @default - "scim" with an externalId, "console" without
   */
  readonly origin?: "scim" | "console";
}

/** An OAuth application (ServerApp) that may request tokens. */
export interface EmulatorClient {
  /** The application's AppId, used as the OAuth client id. */
  readonly clientId: string;
  /** The application's one secret, the OAuth client secret. */
  readonly clientSecret: string;
}

/** Fault injection, seeded so that a run can be repeated. */
export interface FaultOptions {
  /**
   * Added latency per request in milliseconds: a fixed value or a [min, max] range.
   * @default 0 - answers come as fast as the machine allows
   */
  readonly latencyMs?: number | readonly [number, number];
  /**
   * SCIM reads allowed per second before 429 + Retry-After.
   * @default - none: reads are unlimited
   */
  readonly readRateLimit?: number;
  /**
   * SCIM writes allowed per second before 429 + Retry-After.
   * @default - none: writes are unlimited
   */
  readonly writeRateLimit?: number;
  /**
   * Share (0–1) of requests answered 500 or 503 without doing anything.
   * @default 0 - no injected errors
   */
  readonly transientErrorRate?: number;
  /**
   * Share (0–1) of requests whose connection is dropped, before or after the work is done.
   * @default 0 - no dropped connections
   */
  readonly dropConnectionRate?: number;
  /**
   * Seed of the pseudo-random generator behind every fault.
   * @default 1 - the same faults on every run
   */
  readonly seed?: number;
}

/** Switches for the behaviours docs/ram-api.md marks as assumed. */
export interface EmulatorOptions {
  /**
   * TCP port; 0 picks a free one.
   * @default 0 - a free port, read back from `url`
   */
  readonly port?: number;
  /**
   * Interface to listen on.
   * @default "127.0.0.1" - this machine only: the demo credentials are not exposed
   */
  readonly host?: string;
  /**
   * A fixed access-token lifetime in seconds, for tests.
   * @default - each application's AccessTokenValidity, as RAM does
   */
  readonly tokenLifetimeSeconds?: number;
  /**
   * Applications that exist at start, granted /acs/scim, each with this one secret.
   * @default - one demo application, DEMO_CLIENT_ID, with a secret generated at each start
   */
  readonly clients?: readonly EmulatorClient[];
  /**
   * AccessKeys accepted on IMS calls (signature ACS3-HMAC-SHA256).
   * @default - one key, DEMO_ACCESS_KEY_ID, with a secret generated at each start
   */
  readonly accessKeys?: readonly AccessKey[];
  /**
   * The account's id in IMS answers.
   * @default "1234567890123456" - a made-up 16-digit account id
   */
  readonly accountId?: string;
  /**
   * Largest page `count` honoured on `GET /Users`.
   * @default 100 - the client's own default page size
   */
  readonly maxPageSize?: number;
  /**
   * Ignore `count` and always answer pages of the documented 30.
   * @default false - `count` is honoured up to `maxPageSize` (docs/ram-api.md §3 marks this
   * assumed)
   */
  readonly ignoreCount?: boolean;
  /**
   * What to do with attributes RAM does not take (`emails`, `active`, …).
   * @default "reject" - the stricter of the two assumed behaviours (docs/ram-api.md §3)
   */
  readonly unknownAttributes?: "reject" | "ignore";
  /**
   * How `userName` comes back: bare (`alice`) or as a principal name
   * (`alice@<alias>.onaliyun.com`).
   * @default "bare" - one of the two assumed behaviours (docs/ram-api.md §3)
   */
  readonly userNameFormat?: "bare" | "principal";
  /**
   * Store user names lower-cased, as IDaaS pushes them.
   * @default false - names are stored as written
   */
  readonly lowercaseUserNames?: boolean;
  /**
   * The account alias in principal names.
   * @default "emulator" - principal names end in `@emulator.onaliyun.com`
   */
  readonly accountAlias?: string;
  /**
   * SCIM refuses to change or delete users made outside SCIM (console, RAM API), as IDaaS's
   * support matrix says of them: they "can be searched" but "cannot be changed or associated"
   * [doc]. The answer is a guess: 400, scimType "mutability".
   * @default false - console users can be changed like any other (what RAM answers is assumed)
   */
  readonly protectConsoleUsers?: boolean;
  /**
   * Content type of answers.
   * @default "json" - RAM's examples use application/json
   */
  readonly responseContentType?: "json" | "scim+json";
  /**
   * Users present at start.
   * @default [] - an empty account
   */
  readonly seedUsers?: readonly SeedUser[];
  /**
   * RAM user groups that exist at start (a seeded user's `blockers.groups` may name them).
   * @default [] - only the groups seeded users belong to
   */
  readonly seedGroups?: readonly string[];
  /**
   * Load state from this JSON file if it exists, and save to it on change and on close.
   * @default - none: the state lives in memory and ends with the emulator
   */
  readonly stateFile?: string;
  /**
   * Fault injection: latency, rate limits, errors and dropped connections.
   * @default - none: no faults
   */
  readonly faults?: FaultOptions;
  /**
   * The emulator's time in milliseconds since the epoch: when tokens are issued and expire, and
   * the dates it records (`meta.created`, `meta.lastModified`, IMS dates). Tests pass a fake clock
   * and move it forward instead of sleeping. Latency, rate limits, the state file's timer and the
   * date window of IMS signatures (checked against the signer's clock) keep real time.
   * @default Date.now - the machine's clock
   */
  readonly clock?: () => number;
}

/** The demo application: stable so that the README's commands can name it. */
export const DEMO_CLIENT_ID = "4071234567890123456";
/** The demo AccessKey id for IMS calls; its secret is generated at each start. */
export const DEMO_ACCESS_KEY_ID = "LTAI5tEmulatorDemoKey";

/** Options the emulator cannot start with: every problem at once, each naming its option. */
export class EmulatorOptionsError extends Error {
  constructor(
    /** One line per problem, e.g. `port must be an integer from 0 to 65535, got 70000`. */
    readonly problems: readonly string[],
  ) {
    super(`Invalid emulator options:\n  - ${problems.join("\n  - ")}`);
    this.name = "EmulatorOptionsError";
  }
}
