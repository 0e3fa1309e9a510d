/* eslint-disable @typescript-eslint/no-require-imports */
import type * as CredentialsModule from "@alicloud/credentials";
import type * as ImsModule from "@alicloud/ims20190815";
import type * as OpenApiCoreModule from "@alicloud/openapi-core";
import type * as RamModule from "@alicloud/ram20150501";
import type { $OpenApiUtil } from "@alicloud/openapi-core";
import { parseEndpoint, DEFAULT_IMS_ENDPOINT, type ImsConnectionOptions } from "./connection";
import { ScimConfigError } from "../scim/errors";

/**
 * The official Alibaba SDKs, loaded on first use: they take ~120 ms to load, and most CLI
 * commands (validate, diff, plan without groups) never call IMS.
 */
export const sdk = {
  ims: () => require("@alicloud/ims20190815") as typeof ImsModule,
  ram: () => require("@alicloud/ram20150501") as typeof RamModule,
  openApi: () => require("@alicloud/openapi-core") as typeof OpenApiCoreModule,
  credentials: () => require("@alicloud/credentials") as typeof CredentialsModule,
};

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
      // Structurally what the SDK calls (getCredential); see ImsCredential.
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
