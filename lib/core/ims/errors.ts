/** A refused or failed IMS call, as Alibaba reports it: HTTP status, `Code`, message, request id. */
export class ImsError extends Error {
  constructor(
    readonly action: string,
    readonly code: string,
    readonly status: number | undefined,
    detail: string,
    readonly requestId?: string,
  ) {
    super(
      `IMS ${action} failed: ${code}${status ? ` (HTTP ${status})` : ""}: ${detail}${requestId ? ` [RequestId ${requestId}]` : ""}`,
    );
    this.name = "ImsError";
  }

  get isNotFound(): boolean {
    return this.status === 404 || this.code.startsWith("EntityNotExist");
  }
}

/** Input that cannot be sent, named by field, found before any call. */
export class ImsValidationError extends Error {
  constructor(readonly problems: readonly { field: string; message: string }[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join("\n"));
    this.name = "ImsValidationError";
  }
}

/** A rotation that would delete a secret nobody chose to delete. */
export class RotationRefusedError extends Error {
  constructor(
    message: string,
    readonly wouldRemove: string,
  ) {
    super(message);
    this.name = "RotationRefusedError";
  }
}
