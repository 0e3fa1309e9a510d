import { isLoopback } from "../scim/config";
import { ScimConfigError } from "../scim/errors";

/**
 * What the Alibaba SDK asks of a credential: an `@alicloud/credentials` Credential (RAM role,
 * OIDC, …) is one. Our own shape, so that our declarations carry no SDK types.
 */
export interface ImsCredential {
  getCredential(): Promise<{
    readonly accessKeyId?: string;
    readonly accessKeySecret?: string;
    readonly securityToken?: string;
    readonly bearerToken?: string;
    readonly type?: string;
    readonly providerName?: string;
  }>;
}

/** How to reach IMS and who signs: the Alibaba Cloud way, with the SDK's default chain last. */
export interface ImsConnectionOptions {
  readonly accessKeyId?: string;
  readonly accessKeySecret?: string;
  /** An STS token that goes with a temporary AccessKey. */
  readonly securityToken?: string;
  /** Any credential of @alicloud/credentials (RAM role, OIDC, …); wins over the keys above. */
  readonly credential?: ImsCredential;
  /** `ims.aliyuncs.com` (default), `host:port`, or a URL (`http://` only to a loopback host). */
  readonly endpoint?: string;
  /** Time-out of one call. @default 10000 */
  readonly timeoutMs?: number;
  /** Environment read for keys and the endpoint. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

export const DEFAULT_IMS_ENDPOINT = "ims.aliyuncs.com";

/** The SDK takes a host without a scheme plus a protocol; people write URLs. */
export function parseEndpoint(value: string): { endpoint: string; protocol: "http" | "https" } {
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

/** AccessKey credentials in the environment (the SDK's other sources are asked only when needed). */
export function hasAccessKey(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.ALIBABA_CLOUD_ACCESS_KEY_ID || env.ALICLOUD_ACCESS_KEY);
}
