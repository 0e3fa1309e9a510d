import { TerraformResource, type TerraformMetaArguments } from "cdktf";
import type { Construct } from "constructs";

/** `alicloud_ram_group` (group_name, comments, force), as the provider documents it. */
export interface RamGroupConfig extends TerraformMetaArguments {
  /**
   * The RAM user group's name: 1-64 letters, digits, `.`, `-`; what a users file's `groups` name.
   */
  readonly groupName: string;
  /**
   * A description of the group, shown in the console.
   * @default - none: `comments` is left out
   */
  readonly comments?: string;
  /**
   * Delete the group even with members and policies.
   * @default - none: `force` is left out, and the provider's default applies
   */
  readonly force?: boolean;
}

/** A RAM user group (`alicloud_ram_group`), e.g. one that a users file's `managedGroups` names. */
export class RamGroup extends TerraformResource {
  /** Terraform's type name, `alicloud_ram_group`. */
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

  /** The group's name as a Terraform reference: whatever uses it then depends on the group. */
  get groupName(): string {
    return this.getStringAttribute("group_name");
  }

  /**
   * The arguments in the provider's attribute names; unset ones are left out of the configuration.
   */
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
  /** The group to attach the policy to; pass `RamGroup.groupName` to order the two. */
  readonly groupName: string;
  /** The policy's name, e.g. `ReadOnlyAccess`. */
  readonly policyName: string;
  /** `System` or `Custom`. */
  readonly policyType: "System" | "Custom";
}

/** A policy attached to a RAM user group (`alicloud_ram_group_policy_attachment`). */
export class RamGroupPolicyAttachment extends TerraformResource {
  /** Terraform's type name, `alicloud_ram_group_policy_attachment`. */
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

  /**
   * The arguments in the provider's attribute names; unset ones are left out of the configuration.
   */
  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      group_name: this.config.groupName,
      policy_name: this.config.policyName,
      policy_type: this.config.policyType,
    };
  }
}
