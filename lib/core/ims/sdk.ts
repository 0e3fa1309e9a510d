/* eslint-disable @typescript-eslint/no-require-imports */
import type * as CredentialsModule from "@alicloud/credentials";
import type * as ImsModule from "@alicloud/ims20190815";
import type * as OpenApiCoreModule from "@alicloud/openapi-core";
import type * as RamModule from "@alicloud/ram20150501";

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
