/** A RAM user as SCIM returns it. */
export interface ScimUser {
  readonly id: string;
  /** Bare (`alice`) or a principal name (`alice@<alias>.onaliyun.com`), as the server answers. */
  readonly userName: string;
  readonly displayName?: string;
  /** Absent on users made in the console. */
  readonly externalId?: string;
  readonly meta?: {
    readonly resourceType?: string;
    readonly created?: string;
    readonly lastModified?: string;
    readonly location?: string;
  };
}

/** The attributes RAM takes when a user is written (docs/ram-api.md §3). */
export interface ScimUserInput {
  readonly userName: string;
  readonly displayName?: string;
  readonly externalId?: string;
}

/** How a call went on the wire, for progress output and benchmarks. */
export interface ScimEvent {
  readonly type: "retry";
  readonly method: string;
  readonly url: string;
  readonly attempt: number;
  readonly reason: string;
  readonly delayMs: number;
}
