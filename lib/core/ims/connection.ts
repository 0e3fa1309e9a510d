import { isLoopback } from "../scim/config";
import { ScimConfigError } from "../scim/errors";

/**
 * What the Alibaba SDK asks of a credential: an `@alicloud/credentials` Credential (RAM role,
 * OIDC, …) is one. Our own shape, so that our declarations carry no SDK types.
 */
export interface ImsCredential {
  /** What the SDK calls for the keys that sign a call. */
  getCredential(): Promise<{
    /** The AccessKey id that signs the call. */
    readonly accessKeyId?: string;
    /** The AccessKey secret that signs the call. */
    readonly accessKeySecret?: string;
    /** The STS token that goes with a temporary AccessKey. */
    readonly securityToken?: string;
    /** A bearer token, for credential types that use one instead of an AccessKey. */
    readonly bearerToken?: string;
    /** The credential type, as `@alicloud/credentials` names it (`access_key`, `sts`, …). */
    readonly type?: string;
    /** Which source of the credential chain supplied it, as `@alicloud/credentials` reports it. */
    readonly providerName?: string;
  }>;
}

/** How to reach IMS and who signs: the Alibaba Cloud way, with the SDK's default chain last. */
export interface ImsConnectionOptions {
  /**
   * AccessKey id that signs IMS calls; needs `accessKeySecret` with it.
   * @default - ALIBABA_CLOUD_ACCESS_KEY_ID, else ALICLOUD_ACCESS_KEY, else the SDK's default
   * credential chain
   */
  readonly accessKeyId?: string;
  /**
   * AccessKey secret that goes with `accessKeyId`.
   * @default - ALIBABA_CLOUD_ACCESS_KEY_SECRET, else ALICLOUD_SECRET_KEY, else the SDK's default
   * credential chain
   */
  readonly accessKeySecret?: string;
  /**
   * An STS token that goes with a temporary AccessKey.
   * @default - ALIBABA_CLOUD_SECURITY_TOKEN, else ALICLOUD_SECURITY_TOKEN, else none: a long-term
   * AccessKey
   */
  readonly securityToken?: string;
  /**
   * Any credential of @alicloud/credentials (RAM role, OIDC, …); wins over the keys above.
   * @default - none: the AccessKey options and the environment are used
   */
  readonly credential?: ImsCredential;
  /**
   * `ims.aliyuncs.com`, `host:port`, or a URL (`http://` only to a loopback host).
   * @default - RAM_SCIM_IMS_ENDPOINT, else `ims.aliyuncs.com` (DEFAULT_IMS_ENDPOINT)
   */
  readonly endpoint?: string;
  /**
   * Time-out of one call, milliseconds; connecting is given at most 5000 of them.
   * @default 10000 - ten seconds to read an answer, five to connect
   */
  readonly timeoutMs?: number;
  /**
   * Environment read for keys and the endpoint; empty variables count as unset.
   * @default process.env - the process's own environment
   */
  readonly env?: NodeJS.ProcessEnv;
}

/** IMS's public host (docs/ram-api.md §5), used when no endpoint is configured. */
export const DEFAULT_IMS_ENDPOINT = "ims.aliyuncs.com";

/**
 * The SDK takes a host without a scheme plus a protocol; people write URLs. A bare host is
 * reached over https, or http when it is a loopback host (the emulator).
 */
export function parseEndpoint(value: string): {
  /** Host, with its port when one was given, without a scheme: what the SDK calls `endpoint`. */
  endpoint: string;
  /** The scheme the SDK should use. */
  protocol: "http" | "https";
} {
  if (!/^[a-z]+:\/\//i.test(value)) {
    const host = value.replace(/:\d+$/, "");
    return { endpoint: value, protocol: isLoopback(host) ? "http" : "https" };
  }
  const url = new URL(value);
  if (url.protocol === "http:" && !isLoopback(url.hostname))
    throw new ScimConfigError(
      "IMS endpoint",
      `plain http is allowed only to a loopback host, got ${url.host}: use https`,
    );
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ScimConfigError("IMS endpoint", `unsupported protocol ${url.protocol} in "${value}"`);
  return { endpoint: url.host, protocol: url.protocol === "http:" ? "http" : "https" };
}

/**
 * AccessKey credentials in the environment (the SDK's other sources are asked only when needed).
 */
export function hasAccessKey(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.ALIBABA_CLOUD_ACCESS_KEY_ID || env.ALICLOUD_ACCESS_KEY);
}
