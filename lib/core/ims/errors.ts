import { RamScimError } from "../errors";
import { redact } from "../redact";
import type { AppSecretInfo } from "./types";

/**
 * A refused or failed IMS call, as Alibaba reports it: HTTP status, `Code`, message, request id.
 */
export class ImsError extends RamScimError {
  constructor(
    /** The IMS or RAM action that failed, e.g. `CreateApplication`. */
    readonly action: string,
    /**
     * Alibaba's error `Code` (e.g. `EntityNotExist.User`), or one of this package's own:
     * `NoCredentials`, `NetworkError`, `UnexpectedAnswer`, `UnknownError`.
     */
    readonly code: string,
    /** HTTP status of the answer; undefined when no answer came (no credentials, network). */
    readonly status: number | undefined,
    detail: string,
    /** Alibaba's RequestId, to quote to Alibaba Cloud support. */
    readonly requestId?: string,
  ) {
    super(
      `IMS ${action} failed: ${code}${status ? ` (HTTP ${status})` : ""}: ${detail}${requestId ? ` [RequestId ${requestId}]` : ""}`,
    );
    this.name = "ImsError";
  }

  /** The thing asked for does not exist: HTTP 404 or a code starting `EntityNotExist`. */
  get isNotFound(): boolean {
    return this.status === 404 || this.code.startsWith("EntityNotExist");
  }
}

/** Input that cannot be sent, named by field, found before any call. */
export class ImsValidationError extends RamScimError {
  constructor(
    /** Every problem found, each naming the field (e.g. `appName`) and what is wrong with it. */
    readonly problems: readonly {
      /** The input field at fault, e.g. `accessTokenValidity`. */
      field: string;
      /** What is wrong and the value given. */
      message: string;
    }[],
  ) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join("\n"));
    this.name = "ImsValidationError";
  }
}

/** A rotation that would delete a secret nobody chose to delete. */
export class RotationRefusedError extends RamScimError {
  constructor(
    message: string,
    /** The application's secrets, oldest first: one of them has to be named. */
    readonly secrets: readonly AppSecretInfo[],
  ) {
    super(message);
    this.name = "RotationRefusedError";
  }
}

/** The SDK's error carries `code`, `statusCode`, `requestId`; keep those, and nothing else. */
export function toImsError(action: string, e: unknown): ImsError {
  const err = e as {
    code?: string;
    statusCode?: number;
    requestId?: string;
    message?: string;
    data?: { Message?: string };
  };
  // What the SDK or a server said, with any credential shape in it hidden.
  const detail = redact(err.data?.Message ?? err.message ?? String(e));
  if (/unable to get credentials from any of the providers/i.test(detail))
    return new ImsError(
      action,
      "NoCredentials",
      undefined,
      "no Alibaba Cloud credentials found. Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET " +
        "(or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY), configure an aliyun CLI profile, or run where a RAM role is attached",
    );
  const network = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET)\b|timeout/i.exec(
    detail,
  );
  if (network && err.statusCode === undefined) {
    // The SDK glues the socket error to the request line; say what it means instead.
    const host = /https?:\/\/([^/\s]+)/.exec(detail)?.[1] ?? "the IMS endpoint";
    const what =
      network[1] === "ENOTFOUND" || network[1] === "EAI_AGAIN"
        ? `cannot resolve ${host} (DNS, ${network[1]})`
        : network[1] === "ECONNREFUSED"
          ? `nothing listens at ${host} (connection refused)`
          : `no answer from ${host} (${network[1] ?? "time-out"})`;
    return new ImsError(
      action,
      "NetworkError",
      undefined,
      `${what}. Check RAM_SCIM_IMS_ENDPOINT (or --ims-endpoint) and this machine's network or proxy`,
    );
  }
  // The signature mismatch carries the server's string to sign: noise for a person, and a hash.
  const shown = detail.replace(/\s*server string to sign is:[^]*$/i, "");
  const hint =
    err.code === "SignatureDoesNotMatch"
      ? " (the AccessKey secret does not belong to this AccessKey id)"
      : "";
  return new ImsError(
    action,
    err.code ?? "UnknownError",
    err.statusCode,
    `${shown}${hint}`,
    err.requestId,
  );
}
