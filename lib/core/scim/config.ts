import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { redact } from "../redact";
import { Secret, secretTextProblem, secretValue } from "../secret";
import { ScimConfigError } from "./errors";

/**
 * Alibaba Cloud's two sites: China (`cn`, aliyun.com) and international (`intl`, alibabacloud.com).
 */
export type Site = "cn" | "intl";

/**
 * Endpoints per site (docs/ram-api.md §2, §3). The English pages of both sites give one SCIM base
 * URL, scim.aliyun.com (only some translated pages say scim.alibabacloud.com); the token URL is
 * the one that differs. Both stay overridable.
 */
export const SITE_ENDPOINTS: Record<
  Site,
  {
    /** SCIM base URL for the site. */
    scimUrl: string;
    /** OAuth token endpoint for the site. */
    tokenUrl: string;
  }
> = {
  cn: { scimUrl: "https://scim.aliyun.com", tokenUrl: "https://oauth.aliyun.com/v1/token" },
  intl: {
    scimUrl: "https://scim.aliyun.com",
    tokenUrl: "https://oauth.alibabacloud.com/v1/token",
  },
};

/** How the client reaches RAM and how hard it may push. */
export interface ScimClientSettings {
  /**
   * The OAuth application's AppId.
   * @default - RAM_SCIM_CLIENT_ID; one or the other is required
   */
  readonly clientId: string;
  /** The application secret (AppSecretValue). */
  readonly clientSecret: Secret;
  /**
   * SCIM base URL; resources sit directly under it. https, or http to a loopback host only.
   * @default - RAM_SCIM_URL, else the site's (`https://scim.aliyun.com` on both)
   */
  readonly scimUrl: string;
  /**
   * OAuth token endpoint. https, or http to a loopback host only.
   * @default - RAM_SCIM_TOKEN_URL, else the site's (SITE_ENDPOINTS)
   */
  readonly tokenUrl: string;
  /**
   * Time-out of one HTTP request in milliseconds.
   * @default 30000 - thirty seconds per request, retries not counted
   */
  readonly timeoutMs: number;
  /**
   * Attempts per call, the first included.
   * @default 6 - one try and five retries: at most 7.75 s of back-off at the default delays
   */
  readonly maxAttempts: number;
  /**
   * First back-off delay in milliseconds; doubles per attempt, with jitter.
   * @default 250 - a quarter second, then 500, 1000, … ms
   */
  readonly retryBaseDelayMs: number;
  /**
   * Longest back-off delay, and longest Retry-After honoured, in milliseconds.
   * @default 30000 - a longer Retry-After is cut to thirty seconds
   */
  readonly retryMaxDelayMs: number;
  /**
   * SCIM writes per second.
   * @default 20 - RAM's write limit is not published; about 20 a second is assumed
   * (docs/ram-api.md §3)
   */
  readonly writesPerSecond: number;
  /**
   * SCIM reads per second.
   * @default 100 - RAM's read limit is not published; about 100 a second is assumed
   * (docs/ram-api.md §3)
   */
  readonly readsPerSecond: number;
  /**
   * Requests in flight at once.
   * @default 8 - eight at once, still paced by the read and write rates
   */
  readonly concurrency: number;
  /**
   * `count` asked for per list page; the server may answer fewer.
   * @default 100 - above RAM's documented page of 30: the client follows whatever size the
   * server really uses
   */
  readonly pageSize: number;
}

/** What a caller may set; the rest comes from the environment or the defaults. */
export interface ScimClientOptions extends Partial<Omit<ScimClientSettings, "clientSecret">> {
  /**
   * The secret itself, or a Secret. Never take it from a command-line flag.
   * @default - `clientSecretFile`, else RAM_SCIM_CLIENT_SECRET_FILE, else RAM_SCIM_CLIENT_SECRET;
   * one is required
   */
  readonly clientSecret?: string | Secret;
  /**
   * A file holding the secret (trailing newline ignored).
   * @default - RAM_SCIM_CLIENT_SECRET_FILE, else none: the secret comes from RAM_SCIM_CLIENT_SECRET
   */
  readonly clientSecretFile?: string;
  /**
   * `cn` or `intl`: picks both default endpoints.
   * @default "cn" - RAM_SCIM_SITE when set; the China site otherwise
   */
  readonly site?: Site;
  /**
   * Environment to read `RAM_SCIM_*` from; empty variables count as unset.
   * @default process.env - the process's own environment
   */
  readonly env?: NodeJS.ProcessEnv;
}

const DEFAULTS = {
  timeoutMs: 30_000,
  maxAttempts: 6,
  retryBaseDelayMs: 250,
  retryMaxDelayMs: 30_000,
  writesPerSecond: 20,
  readsPerSecond: 100,
  concurrency: 8,
  pageSize: 100,
};

/**
 * Resolves settings from options first, then `RAM_SCIM_CLIENT_ID`, `RAM_SCIM_CLIENT_SECRET`
 * (or `RAM_SCIM_CLIENT_SECRET_FILE`), `RAM_SCIM_URL`, `RAM_SCIM_TOKEN_URL`, `RAM_SCIM_SITE`.
 */
export function resolveScimSettings(options: ScimClientOptions = {}): ScimClientSettings {
  // An empty variable counts as unset (Terraform passes empty strings for unset settings).
  const given = options.env ?? process.env;
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(given).filter(([, v]) => v !== ""),
  );
  const siteText = options.site ?? env.RAM_SCIM_SITE ?? "cn";
  if (siteText !== "cn" && siteText !== "intl")
    throw new ScimConfigError(
      options.site ? "site" : "RAM_SCIM_SITE",
      `must be "cn" or "intl", got "${siteText}"`,
    );
  const site = SITE_ENDPOINTS[siteText];

  const clientId = options.clientId ?? env.RAM_SCIM_CLIENT_ID;
  if (!clientId)
    throw new ScimConfigError(
      "RAM_SCIM_CLIENT_ID",
      "no client id: set RAM_SCIM_CLIENT_ID to the OAuth application's AppId",
    );

  const settings: ScimClientSettings = {
    ...DEFAULTS,
    ...definedOnly(options),
    clientId,
    clientSecret: resolveSecret(options, env),
    scimUrl: checkUrl(
      options.scimUrl ? "scimUrl" : env.RAM_SCIM_URL ? "RAM_SCIM_URL" : "site",
      options.scimUrl ?? env.RAM_SCIM_URL ?? site.scimUrl,
    ).replace(/\/+$/, ""),
    tokenUrl: checkUrl(
      options.tokenUrl ? "tokenUrl" : env.RAM_SCIM_TOKEN_URL ? "RAM_SCIM_TOKEN_URL" : "site",
      options.tokenUrl ?? env.RAM_SCIM_TOKEN_URL ?? site.tokenUrl,
    ),
  };
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const value = settings[key];
    const least = key === "retryBaseDelayMs" || key === "retryMaxDelayMs" ? 0 : 1;
    if (typeof value !== "number" || !Number.isFinite(value) || value < least)
      throw new ScimConfigError(key, `must be a number >= ${least}, got ${String(value)}`);
  }
  return settings;
}

function resolveSecret(options: ScimClientOptions, env: NodeJS.ProcessEnv): Secret {
  if (options.clientSecret instanceof Secret) return options.clientSecret;
  if (typeof options.clientSecret === "string" && options.clientSecret !== "")
    return new Secret(options.clientSecret);
  const file = options.clientSecretFile ?? env.RAM_SCIM_CLIENT_SECRET_FILE;
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new ScimConfigError(
        "client secret file",
        `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? "error"}`,
      );
    }
    const problem = secretTextProblem(text);
    if (problem) throw new ScimConfigError("client secret file", `${file}: ${problem}`);
    return new Secret(secretValue(text));
  }
  if (env.RAM_SCIM_CLIENT_SECRET) return new Secret(env.RAM_SCIM_CLIENT_SECRET);
  throw new ScimConfigError(
    "RAM_SCIM_CLIENT_SECRET",
    "no client secret: set RAM_SCIM_CLIENT_SECRET, or give a secret file",
  );
}

/** https everywhere; plain http only to this machine (the emulator), never over a network. */
export function checkUrl(setting: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Not echoed when it may hold credentials that the redaction cannot recognise unparsed.
    throw new ScimConfigError(
      setting,
      value.includes("@")
        ? "is not a URL (not shown: it holds an @)"
        : `"${redact(value)}" is not a URL`,
    );
  }
  if (url.username !== "" || url.password !== "")
    throw new ScimConfigError(
      setting,
      `${redact(value)} holds credentials: RAM takes none in the URL; give the application's id and secret as RAM_SCIM_CLIENT_ID and RAM_SCIM_CLIENT_SECRET(_FILE)`,
    );
  if (url.protocol === "https:") return value;
  if (url.protocol === "http:" && isLoopback(url.hostname)) return value;
  if (url.protocol === "http:")
    throw new ScimConfigError(
      setting,
      `plain http is allowed only to a loopback host, got ${url.host}: use https`,
    );
  throw new ScimConfigError(setting, `unsupported protocol ${url.protocol} in "${redact(value)}"`);
}

/**
 * `localhost`, `*.localhost`, 127.0.0.0/8 or `::1` (brackets allowed): the hosts plain http may
 * reach.
 */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1" || host === "0:0:0:0:0:0:0:1";
  return false;
}

function definedOnly(options: ScimClientOptions): Partial<typeof DEFAULTS> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(DEFAULTS)) {
    const value = (options as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value as number;
  }
  return out;
}
