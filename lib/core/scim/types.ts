/** A RAM user as SCIM returns it. */
export interface ScimUser {
  /** RAM's id of the user, made by RAM: what `/Users/{id}` names. */
  readonly id: string;
  /** Bare (`alice`) or a principal name (`alice@<alias>.onaliyun.com`), as the server answers. */
  readonly userName: string;
  /** The name shown in the console; absent when the server sent none. */
  readonly displayName?: string;
  /** Absent on users made in the console. */
  readonly externalId?: string;
  /** SCIM's resource metadata, as the server sent it; absent when it sent none. */
  readonly meta?: {
    /** `User`. */
    readonly resourceType?: string;
    /** When the user was made, an ISO 8601 date-time. */
    readonly created?: string;
    /** When the user last changed, an ISO 8601 date-time. */
    readonly lastModified?: string;
    /** The user's own URL, `…/Users/{id}`. */
    readonly location?: string;
  };
}

/** The attributes RAM takes when a user is written (docs/ram-api.md §3). */
export interface ScimUserInput {
  /** The RAM user name (the part before `@` of the principal name, docs/ram-api.md §4). */
  readonly userName: string;
  /**
   * The name shown in the console, 1-24 characters.
   * @default - none: on a replace (PUT) this clears the display name
   */
  readonly displayName?: string;
  /**
   * The client's own key for the user, unique in RAM: how this package recognises its users.
   * @default - none: the user has no externalId, and a create cannot be checked after a failure
   */
  readonly externalId?: string;
}

/** How a call went on the wire, for progress output and benchmarks. */
export interface ScimEvent {
  /** The kind of event; only retries are reported. */
  readonly type: "retry";
  /** HTTP method of the request being retried. */
  readonly method: string;
  /** The request's URL, redacted. */
  readonly url: string;
  /** The attempt that failed, 1 for the first. */
  readonly attempt: number;
  /** Why it failed: `HTTP <status>` or a network error code such as `ECONNRESET`. */
  readonly reason: string;
  /** Milliseconds waited before the next attempt (back-off, or the server's Retry-After). */
  readonly delayMs: number;
}
