import {
  hasAccessKey,
  ImsClient,
  RamAccessClient,
  type ImsConnectionOptions,
} from "../../core/ims";
import { ScimClient } from "../../core/scim";
import { RUNTIME_MODULE } from "../runtime-module";

/**
 * Run-time state of the dynamic-provider host process: the stack's `alicloud:*` configuration,
 * handed to `configure()` by the engine. It lives here, in the host, never in the serialized
 * provider closures and never in resource state.
 */
export interface AlicloudConfig {
  accessKey?: string;
  secretKey?: string;
  securityToken?: string;
  region?: string;
}

let alicloud: AlicloudConfig = {};

/** The engine's Configure call: the same keys `@pulumi/alicloud` reads. */
export async function configure(req: {
  config: { get(key: string): string | undefined };
}): Promise<void> {
  const get = (key: string) => req.config.get(`alicloud:${key}`) || undefined;
  alicloud = {
    accessKey: get("accessKey"),
    secretKey: get("secretKey"),
    securityToken: get("securityToken"),
    region: get("region"),
  };
}

/**
 * IMS settings with, in this order: the stack's `alicloud:accessKey`/`secretKey`/`securityToken`,
 * then `ALICLOUD_*` / `ALIBABA_CLOUD_*` variables, then the SDK's default chain.
 */
function imsOptions(endpoint: string | undefined): ImsConnectionOptions {
  return {
    env: process.env,
    ...(alicloud.accessKey ? { accessKeyId: alicloud.accessKey } : {}),
    ...(alicloud.secretKey ? { accessKeySecret: alicloud.secretKey } : {}),
    ...(alicloud.securityToken ? { securityToken: alicloud.securityToken } : {}),
    ...(endpoint ? { endpoint } : {}),
  };
}

export function imsClient(endpoint: string | undefined): ImsClient {
  return new ImsClient(imsOptions(endpoint));
}

/** IMS/RAM for groups and blockers; undefined when no AccessKey is in sight and none is required. */
export function accessClient(
  endpoint: string | undefined,
  required: boolean,
): RamAccessClient | undefined {
  if (!alicloud.accessKey && !hasAccessKey(process.env) && !required) return undefined;
  return new RamAccessClient(imsOptions(endpoint));
}

export interface ScimInputs {
  clientId?: string;
  clientSecret?: string;
  scimUrl?: string;
  tokenUrl?: string;
  site?: "cn" | "intl";
}

/** A SCIM client from a resource's inputs, with `RAM_SCIM_*` variables for what they leave out. */
export function scimClient(inputs: ScimInputs): ScimClient {
  return new ScimClient({
    env: process.env,
    ...(inputs.clientId ? { clientId: inputs.clientId } : {}),
    ...(inputs.clientSecret ? { clientSecret: inputs.clientSecret } : {}),
    ...(inputs.scimUrl ? { scimUrl: inputs.scimUrl } : {}),
    ...(inputs.tokenUrl ? { tokenUrl: inputs.tokenUrl } : {}),
    ...(inputs.site ? { site: inputs.site } : {}),
  });
}

/**
 * State written by earlier versions may hold provider text that requires the runtime by an
 * absolute path (a linked install): such a resource shows an update, which writes today's text,
 * so that refresh and destroy no longer need that folder.
 */
export function providerHoldsPath(olds: unknown): boolean {
  const text = (olds as { __provider?: unknown } | undefined)?.__provider;
  return typeof text === "string" && !text.includes(JSON.stringify(RUNTIME_MODULE));
}

/** What the engine sends for a value not known yet (during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(isUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(isUnknown);
  return false;
}

/** The engine's Check for a resource of one application: its AppId must be there. */
export function checkAppId<T extends { appId: string }>(
  news: T,
): { inputs: T; failures: { property: string; reason: string }[] } {
  const failures =
    typeof news.appId === "string" && news.appId !== ""
      ? []
      : [{ property: "appId", reason: "the application's AppId is required" }];
  return { inputs: news, failures };
}

/** Outputs may hold no `undefined` anywhere (the host fails the call): drop such keys. */
export function defined<T extends Record<string, unknown>>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
