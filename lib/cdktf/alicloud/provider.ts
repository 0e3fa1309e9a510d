import { TerraformProvider } from "cdktf";
import type { Construct } from "constructs";

/**
 * The `alicloud` provider block (registry aliyun/alicloud), hand-kept: @cdktf/provider-alicloud is
 * not published. Attribute names follow the provider's documentation (access_key, secret_key,
 * security_token, region, profile). Leave the keys out to use ALICLOUD_ACCESS_KEY and friends.
 */
export interface AlicloudProviderConfig {
  /**
   * Region the provider works in, e.g. `cn-hangzhou`.
   * @default - none: `region` is left out, and the provider's own default applies
   */
  readonly region?: string;
  /**
   * AccessKey id. Prefer the environment: a value here is written into the synthesized
   * configuration.
   * @default - none: the provider reads ALICLOUD_ACCESS_KEY and its other credential sources
   */
  readonly accessKey?: string;
  /**
   * AccessKey secret that goes with `accessKey`; the same caution applies.
   * @default - none: the provider reads ALICLOUD_SECRET_KEY and its other credential sources
   */
  readonly secretKey?: string;
  /**
   * STS token that goes with a temporary AccessKey.
   * @default - none: the provider reads ALICLOUD_SECURITY_TOKEN, or uses a long-term key
   */
  readonly securityToken?: string;
  /**
   * An aliyun CLI profile to take the credentials from.
   * @default - none: `profile` is left out
   */
  readonly profile?: string;
  /**
   * Alias of this provider block, for a second account or region in one stack.
   * @default - none: this is the default (unaliased) alicloud provider block
   */
  readonly alias?: string;
  /**
   * Version constraint of aliyun/alicloud in `required_providers`.
   * @default ALICLOUD_PROVIDER_VERSION - "~> 1.230", the versions these bindings were checked
   * against
   */
  readonly versionConstraint?: string;
}

/**
 * The aliyun/alicloud versions the bindings here are written for (attribute names checked there).
 */
export const ALICLOUD_PROVIDER_VERSION = "~> 1.230";

/** The `alicloud` provider block (aliyun/alicloud), for the RAM groups and policies of a stack. */
export class AlicloudProvider extends TerraformProvider {
  /** Terraform's type name, `alicloud`. */
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

  /**
   * The arguments in the provider's attribute names; unset ones are left out of the configuration.
   */
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
