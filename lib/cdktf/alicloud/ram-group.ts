import { TerraformResource, type TerraformMetaArguments } from "cdktf";
import type { Construct } from "constructs";

/** `alicloud_ram_group` (group_name, comments, force), as the provider documents it. */
export interface RamGroupConfig extends TerraformMetaArguments {
  readonly groupName: string;
  readonly comments?: string;
  /** Delete the group even with members and policies. */
  readonly force?: boolean;
}

export class RamGroup extends TerraformResource {
  static readonly tfResourceType = "alicloud_ram_group";

  constructor(
    scope: Construct,
    id: string,
    private readonly config: RamGroupConfig,
  ) {
    super(scope, id, {
      terraformResourceType: RamGroup.tfResourceType,
      terraformGeneratorMetadata: { providerName: "alicloud" },
      provider: config.provider,
      dependsOn: config.dependsOn,
      lifecycle: config.lifecycle,
    });
  }

  get groupName(): string {
    return this.getStringAttribute("group_name");
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      group_name: this.config.groupName,
      comments: this.config.comments,
      force: this.config.force,
    };
  }
}

/** `alicloud_ram_group_policy_attachment` (group_name, policy_name, policy_type). */
export interface RamGroupPolicyAttachmentConfig extends TerraformMetaArguments {
  readonly groupName: string;
  readonly policyName: string;
  /** `System` or `Custom`. */
  readonly policyType: "System" | "Custom";
}

export class RamGroupPolicyAttachment extends TerraformResource {
  static readonly tfResourceType = "alicloud_ram_group_policy_attachment";

  constructor(
    scope: Construct,
    id: string,
    private readonly config: RamGroupPolicyAttachmentConfig,
  ) {
    super(scope, id, {
      terraformResourceType: RamGroupPolicyAttachment.tfResourceType,
      terraformGeneratorMetadata: { providerName: "alicloud" },
      provider: config.provider,
      dependsOn: config.dependsOn,
      lifecycle: config.lifecycle,
    });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      group_name: this.config.groupName,
      policy_name: this.config.policyName,
      policy_type: this.config.policyType,
    };
  }
}
