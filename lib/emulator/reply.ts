import type { IncomingMessage, ServerResponse } from "node:http";

/** An answer computed before it is written, so a fault can still drop it. */
export interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** A JSON value; `undefined` sends no body. */
  readonly body?: unknown;
}

export const SCIM_ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
export const LIST_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";

/** An error body as RFC 7644 §3.12 has it: `status` is a string. */
export function scimError(
  status: number,
  detail: string,
  scimType?: string,
  headers?: Record<string, string>,
): Reply {
  const body: Record<string, unknown> = { schemas: [SCIM_ERROR_SCHEMA], status: String(status) };
  if (scimType !== undefined) body.scimType = scimType;
  body.detail = detail;
  return { status, body, headers };
}

/** An OAuth 2.0 error (RFC 6749 §5.2). */
export function oauthError(status: number, error: string, description: string): Reply {
  return {
    status,
    body: { error, error_description: description },
    headers: status === 401 ? { "WWW-Authenticate": 'Basic realm="oauth"' } : undefined,
  };
}

export class BodyError extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(detail);
  }
}

/** A JSON request body; undefined when it is empty, a 400 BodyError when it is not JSON. */
export function parseJson(body: string): unknown {
  if (body.trim() === "") return undefined;
  try {
    return JSON.parse(body);
  } catch {
    throw new BodyError(400, "The request body is not valid JSON");
  }
}

/** The parameters of a form body; none when the body is not a form. */
export function formOf(req: IncomingMessage, body: string): URLSearchParams {
  const type = req.headers["content-type"] ?? "";
  return type.startsWith("application/x-www-form-urlencoded")
    ? new URLSearchParams(body)
    : new URLSearchParams();
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyError(413, "Request body is larger than 1 MiB");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function writeReply(res: ServerResponse, reply: Reply, contentType: string): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let payload: string | undefined;
  if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers["Content-Type"] ??= contentType;
    headers["Content-Length"] = String(Buffer.byteLength(payload));
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}
