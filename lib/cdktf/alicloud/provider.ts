import { TerraformProvider } from "cdktf";
import type { Construct } from "constructs";

/**
 * The `alicloud` provider block (registry aliyun/alicloud), hand-kept: @cdktf/provider-alicloud is
 * not published. Attribute names follow the provider's documentation (access_key, secret_key,
 * security_token, region, profile). Leave the keys out to use ALICLOUD_ACCESS_KEY and friends.
 */
export interface AlicloudProviderConfig {
  readonly region?: string;
  readonly accessKey?: string;
  readonly secretKey?: string;
  readonly securityToken?: string;
  readonly profile?: string;
  readonly alias?: string;
  /**
   * Version constraint of aliyun/alicloud in `required_providers`.
   * @default ALICLOUD_PROVIDER_VERSION ("~> 1.230")
   */
  readonly versionConstraint?: string;
}

/** The aliyun/alicloud versions the bindings here are written for (attribute names checked there). */
export const ALICLOUD_PROVIDER_VERSION = "~> 1.230";

export class AlicloudProvider extends TerraformProvider {
  static readonly tfResourceType = "alicloud";

  constructor(
    scope: Construct,
    id: string,
    private readonly config: AlicloudProviderConfig = {},
  ) {
    super(scope, id, {
      terraformResourceType: "alicloud",
      terraformGeneratorMetadata: {
        providerName: "alicloud",
        providerVersionConstraint: config.versionConstraint ?? ALICLOUD_PROVIDER_VERSION,
      },
      terraformProviderSource: "aliyun/alicloud",
    });
    this.alias = config.alias;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      region: this.config.region,
      access_key: this.config.accessKey,
      secret_key: this.config.secretKey,
      security_token: this.config.securityToken,
      profile: this.config.profile,
      alias: this.alias,
    };
  }
}
