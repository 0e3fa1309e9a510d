import type Credential from "@alicloud/credentials";
import type { $OpenApiUtil } from "@alicloud/openapi-core";
import { sdk } from "./sdk";
import { isLoopback } from "../scim/config";
import { ScimConfigError } from "../scim/errors";

/** How to reach IMS and who signs: the Alibaba Cloud way, with the SDK's default chain last. */
export interface ImsConnectionOptions {
  readonly accessKeyId?: string;
  readonly accessKeySecret?: string;
  /** An STS token that goes with a temporary AccessKey. */
  readonly securityToken?: string;
  /** Any credential of @alicloud/credentials (RAM role, OIDC, …); wins over the keys above. */
  readonly credential?: Credential;
  /** `ims.aliyuncs.com` (default), `host:port`, or a URL (`http://` only to a loopback host). */
  readonly endpoint?: string;
  /** Time-out of one call. @default 10000 */
  readonly timeoutMs?: number;
  /** Environment read for keys and the endpoint. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

export const DEFAULT_IMS_ENDPOINT = "ims.aliyuncs.com";

/**
 * Credentials in this order: explicit options; ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET /
 * ALIBABA_CLOUD_SECURITY_TOKEN; the ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY /
 * ALICLOUD_SECURITY_TOKEN of the Terraform and Pulumi providers; then the SDK's default chain
 * (config file, instance role, …).
 */
export function imsConfig(options: ImsConnectionOptions = {}): $OpenApiUtil.Config {
  const { $OpenApiUtil } = sdk.openApi();
  const { default: Credential, Config: CredentialConfig } = sdk.credentials();
  // An empty variable counts as unset.
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(options.env ?? process.env).filter(([, v]) => v !== ""),
  );
  const { endpoint, protocol } = parseEndpoint(
    options.endpoint ?? env.RAM_SCIM_IMS_ENDPOINT ?? DEFAULT_IMS_ENDPOINT,
  );
  const timeouts = {
    readTimeout: options.timeoutMs ?? 10_000,
    connectTimeout: Math.min(options.timeoutMs ?? 5_000, 5_000),
  };
  const id = options.accessKeyId ?? env.ALIBABA_CLOUD_ACCESS_KEY_ID ?? env.ALICLOUD_ACCESS_KEY;
  const secret =
    options.accessKeySecret ?? env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? env.ALICLOUD_SECRET_KEY;
  const token =
    options.securityToken ?? env.ALIBABA_CLOUD_SECURITY_TOKEN ?? env.ALICLOUD_SECURITY_TOKEN;
  if (options.credential)
    return new $OpenApiUtil.Config({
      credential: options.credential,
      endpoint,
      protocol,
      ...timeouts,
    });
  if (id || secret) {
    if (!id || !secret)
      throw new ScimConfigError(
        id ? "ALIBABA_CLOUD_ACCESS_KEY_SECRET" : "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "an AccessKey needs both its id and its secret",
      );
    const config = new CredentialConfig(
      token
        ? { type: "sts", accessKeyId: id, accessKeySecret: secret, securityToken: token }
        : { type: "access_key", accessKeyId: id, accessKeySecret: secret },
    );
    return new $OpenApiUtil.Config({
      credential: new Credential(config),
      endpoint,
      protocol,
      ...timeouts,
    });
  }
  return new $OpenApiUtil.Config({ credential: new Credential(), endpoint, protocol, ...timeouts });
}

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
