import { RamScimError } from "../errors";

/** What RAM names as the reason it refuses to delete a user (DeleteConflict.User.*). */
export type DeletionBlocker = "AccessKey" | "MFADevice" | "Group" | "LoginProfile" | "Policy";

const BLOCKER_CODES: readonly DeletionBlocker[] = [
  "AccessKey",
  "MFADevice",
  "Group",
  "LoginProfile",
  "Policy",
];

/** The request a failure belongs to: never headers, never a body (they may carry secrets). */
export interface FailedRequest {
  /** HTTP method, e.g. `POST`. */
  readonly method: string;
  /** The URL requested, query string included; it carries no credential. */
  readonly url: string;
}

/**
 * A failed SCIM or token call, with the RFC 7644 §3.12 fields. `status` is undefined when no
 * HTTP answer came (connection refused or dropped, DNS, TLS, time-out).
 */
export class ScimError extends RamScimError {
  /** HTTP status of the answer; undefined when no answer came. */
  readonly status: number | undefined;
  /** RFC 7644's `scimType` (e.g. `uniqueness`), when the server gave one. */
  readonly scimType: string | undefined;
  /** What went wrong, from the server's error body or the network, redacted. */
  readonly detail: string;
  /** The request that failed. */
  readonly request: FailedRequest;
  /** Attempts made before giving up. */
  readonly attempts: number;
  /** Time from the first attempt to giving up, back-off included. */
  readonly elapsedMs: number | undefined;
  /** Network-level error code (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET, TIMEOUT…). */
  readonly code: string | undefined;
  /** For a refused delete: what RAM says still holds the user. */
  readonly blockers: readonly DeletionBlocker[];
  /** True when the request may have been carried out although no success came back. */
  readonly ambiguous: boolean;

  constructor(fields: {
    status?: number;
    scimType?: string;
    detail: string;
    request: FailedRequest;
    attempts?: number;
    elapsedMs?: number;
    code?: string;
    ambiguous?: boolean;
  }) {
    const what =
      fields.status !== undefined ? `HTTP ${fields.status}` : (fields.code ?? "no answer");
    const type = fields.scimType ? ` (${fields.scimType})` : "";
    super(
      `${fields.request.method} ${fields.request.url} failed: ${what}${type}: ${fields.detail}`,
    );
    this.name = "ScimError";
    this.status = fields.status;
    this.scimType = fields.scimType;
    this.detail = fields.detail;
    this.request = fields.request;
    this.attempts = fields.attempts ?? 1;
    this.elapsedMs = fields.elapsedMs;
    this.code = fields.code;
    this.ambiguous = fields.ambiguous ?? false;
    this.blockers = BLOCKER_CODES.filter((b) => fields.detail.includes(`DeleteConflict.User.${b}`));
  }

  /** The resource does not exist (HTTP 404). */
  get isNotFound(): boolean {
    return this.status === 404;
  }

  /** A uniqueness conflict (HTTP 409), not a delete refused for blockers. */
  get isConflict(): boolean {
    return this.status === 409 && this.blockers.length === 0;
  }
}

/** A setting that cannot work, named with its source (flag, environment variable, option). */
export class ScimConfigError extends RamScimError {
  constructor(
    /** Where the bad value came from: an option, a flag or an environment variable name. */
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = "ScimConfigError";
  }
}
