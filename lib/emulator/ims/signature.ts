import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/**
 * Verification of Alibaba Cloud's V3 request signature (ACS3-HMAC-SHA256), written from the
 * published algorithm, not from the SDK: an emulator that borrowed the SDK's signer would agree
 * with its bugs.
 *
 *   CanonicalRequest = METHOD \n URI \n sorted query \n headers \n signed header names \n sha256(body)
 *   StringToSign     = "ACS3-HMAC-SHA256" \n hex(sha256(CanonicalRequest))
 *   Signature        = hex(HMAC-SHA256(AccessKeySecret, StringToSign))
 */

/** An AccessKey the emulator's IMS API accepts, as a client signs with it. */
export interface AccessKey {
  /** The AccessKey id, sent in the request's Authorization header. */
  readonly accessKeyId: string;
  /** The secret that signs requests; never sent. */
  readonly accessKeySecret: string;
  /**
   * When set, requests must carry it in x-acs-security-token (an STS credential).
   * @default - none: a long-term AccessKey, no token asked for
   */
  readonly securityToken?: string;
}

/** An Alibaba-style refusal: HTTP status, `Code`, `Message`. */
export interface SignatureFailure {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

const ALGORITHM = "ACS3-HMAC-SHA256";
const REQUIRED_SIGNED = [
  "host",
  "x-acs-action",
  "x-acs-content-sha256",
  "x-acs-date",
  "x-acs-signature-nonce",
  "x-acs-version",
];
const MAX_SKEW_MS = 15 * 60 * 1000;

/** RFC 3986 percent-encoding, as the algorithm asks (space is %20, `*` is %2A, `~` stays). */
function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

export class SignatureVerifier {
  private readonly keys = new Map<string, AccessKey>();
  private readonly nonces = new Map<string, number>();

  constructor(
    keys: readonly AccessKey[],
    private readonly now: () => number = Date.now,
  ) {
    for (const k of keys) this.keys.set(k.accessKeyId, k);
  }

  /** Undefined when the request is signed by a known key and untouched; the refusal otherwise. */
  verify(req: IncomingMessage, url: URL, body: string): SignatureFailure | undefined {
    const parsed = parseAuthorization(req.headers.authorization ?? "");
    if ("status" in parsed) return parsed;
    const key = this.keys.get(parsed.accessKeyId);
    if (!key)
      return {
        status: 404,
        code: "InvalidAccessKeyId.NotFound",
        message: "Specified access key is not found.",
      };
    const missing = REQUIRED_SIGNED.filter((h) => !parsed.signed.includes(h));
    if (missing.length > 0)
      return {
        status: 400,
        code: "IncompleteSignature",
        message: `The request signature does not sign the headers: ${missing.join(", ")}.`,
      };
    const nonce = String(req.headers["x-acs-signature-nonce"] ?? "");
    const stale = this.staleness(req, nonce) ?? tokenMismatch(req, key);
    if (stale) return stale;
    const stringToSign = `${ALGORITHM}\n${sha256Hex(canonicalRequest(req, url, body, parsed.signed))}`;
    const expected = createHmac("sha256", key.accessKeySecret).update(stringToSign).digest("hex");
    if (
      expected.length !== parsed.signature.length ||
      !timingSafeEqual(Buffer.from(expected), Buffer.from(parsed.signature))
    )
      return {
        status: 400,
        code: "SignatureDoesNotMatch",
        message: `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
      };
    this.nonces.set(nonce, this.now());
    return undefined;
  }

  /** A date outside the allowed skew, or a nonce seen before: a replayed or delayed request. */
  private staleness(req: IncomingMessage, nonce: string): SignatureFailure | undefined {
    const date = Date.parse(String(req.headers["x-acs-date"] ?? ""));
    if (Number.isNaN(date) || Math.abs(this.now() - date) > MAX_SKEW_MS)
      return {
        status: 400,
        code: "InvalidTimeStamp.Expired",
        message: "Specified time stamp or date value is expired.",
      };
    this.forgetOldNonces();
    if (this.nonces.has(nonce))
      return {
        status: 400,
        code: "SignatureNonceUsed",
        message: "Specified signature nonce was used already.",
      };
    return undefined;
  }

  private forgetOldNonces(): void {
    const limit = this.now() - 2 * MAX_SKEW_MS;
    for (const [nonce, at] of this.nonces) if (at < limit) this.nonces.delete(nonce);
  }
}

/** The Authorization header's parts, or the refusal of a header that is missing or malformed. */
function parseAuthorization(
  header: string,
): { accessKeyId: string; signed: string[]; signature: string } | SignatureFailure {
  const match =
    /^ACS3-HMAC-SHA256\s+Credential=([^,]+),\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]+)$/.exec(
      header,
    );
  if (!match)
    return {
      status: 400,
      code: header ? "IncompleteSignature" : "MissingAuthorization",
      message: header
        ? "The request signature does not conform to Aliyun standards: expected ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…"
        : "Authorization is mandatory for this action.",
    };
  const [, accessKeyId, signedList, signature] = match as unknown as [
    string,
    string,
    string,
    string,
  ];
  return { accessKeyId, signed: signedList.split(";"), signature };
}

/** An STS key's requests must carry its security token. */
function tokenMismatch(req: IncomingMessage, key: AccessKey): SignatureFailure | undefined {
  if (key.securityToken !== undefined && req.headers["x-acs-security-token"] !== key.securityToken)
    return {
      status: 400,
      code: "InvalidSecurityToken.Mismatch",
      message: "Specified SecurityToken does not match the AccessKey.",
    };
  return undefined;
}

/** The CanonicalRequest of the algorithm: what the client signed, rebuilt from what arrived. */
function canonicalRequest(
  req: IncomingMessage,
  url: URL,
  body: string,
  signed: readonly string[],
): string {
  const query = [...url.searchParams.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .join("&");
  const names = [...signed].sort();
  const headers = names
    .map((name) => `${name}:${String(req.headers[name] ?? "").trim()}\n`)
    .join("");
  return [req.method, url.pathname, query, headers, names.join(";"), sha256Hex(body)].join("\n");
}
