import type Ims from "@alicloud/ims20190815";
import type Ram from "@alicloud/ram20150501";
import { imsConfig, sdk } from "./sdk";
import { bareUserName } from "../users/names";
import type { ImsConnectionOptions } from "./connection";
import { ImsError, toImsError } from "./errors";

/** What stands between a leaver and their deletion (docs/ram-api.md §1.4), as RAM lists it. */
export interface UserBlockers {
  /** The user's AccessKeys, as `ListAccessKeys` lists them. */
  readonly accessKeys: readonly {
    /** The AccessKey id. */
    readonly id: string;
    /** `Active` or `Inactive`. */
    readonly status: string;
  }[];
  /** Whether an MFA device is bound to the user. */
  readonly mfaDevice: boolean;
  /** Whether the user has a console login profile (a password). */
  readonly loginProfile: boolean;
  /** Names of the groups the user belongs to. */
  readonly groups: readonly string[];
  /** Policies attached to the user directly, as RAM's `ListPoliciesForUser` lists them. */
  readonly policies: readonly {
    /** The policy's name. */
    readonly name: string;
    /** `System` or `Custom`: needed, with the name, to detach it. */
    readonly type: string;
  }[];
}

/**
 * RAM user administration the SCIM side lacks: group membership, and the blockers of a delete.
 * IMS 2019-08-15 (groups, AccessKeys, MFA, login profile), RAM 2015-05-01 (user policies), over
 * the official SDKs, signed with an AccessKey like the OAuth-application calls.
 */
export class RamAccessClient {
  private readonly ims: Ims;
  private readonly ram: Ram;
  private readonly imsModels = sdk.ims();
  private readonly ramModels = sdk.ram();
  private domain: Promise<string> | undefined;

  constructor(options: ImsConnectionOptions = {}) {
    this.ims = new this.imsModels.default(imsConfig(options));
    // RAM's OpenAPI sits at ram.aliyuncs.com; a custom IMS endpoint (the emulator) serves both.
    // The environment is the injected one when given: a test's emulator never leaks to RAM.
    const ramOptions =
      options.endpoint || (options.env ?? process.env).RAM_SCIM_IMS_ENDPOINT
        ? options
        : { ...options, endpoint: "ram.aliyuncs.com" };
    this.ram = new this.ramModels.default(imsConfig(ramOptions));
  }

  /** Names of the groups in the account. */
  async listGroups(): Promise<string[]> {
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const res = await this.call("ListGroups", () =>
        this.ims.listGroups(new this.imsModels.ListGroupsRequest({ marker, maxItems: 100 })),
      );
      for (const g of res?.body?.groups?.group ?? []) if (g.groupName) names.push(g.groupName);
      marker = res?.body?.isTruncated ? res?.body.marker : undefined;
    } while (marker);
    return names;
  }

  /** Bare user names of a group's members. */
  async listMembers(group: string): Promise<string[]> {
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const res = await this.call("ListUsersForGroup", () =>
        this.ims.listUsersForGroup(
          new this.imsModels.ListUsersForGroupRequest({ groupName: group, marker, maxItems: 100 }),
        ),
      );
      for (const u of res?.body?.users?.user ?? [])
        if (u.userPrincipalName) names.push(bareUserName(u.userPrincipalName));
      marker = res?.body?.isTruncated ? res?.body.marker : undefined;
    } while (marker);
    return names;
  }

  /** Adds the user to a group; a user already in it counts as added. */
  async addToGroup(userName: string, group: string): Promise<void> {
    const userPrincipalName = await this.principal(userName);
    await this.call(
      "AddUserToGroup",
      () =>
        this.ims.addUserToGroup(
          new this.imsModels.AddUserToGroupRequest({ groupName: group, userPrincipalName }),
        ),
      "EntityAlreadyExists",
    );
  }

  /** Removes the user from a group; a user not in it counts as removed. */
  async removeFromGroup(userName: string, group: string): Promise<void> {
    const userPrincipalName = await this.principal(userName);
    await this.call(
      "RemoveUserFromGroup",
      () =>
        this.ims.removeUserFromGroup(
          new this.imsModels.RemoveUserFromGroupRequest({ groupName: group, userPrincipalName }),
        ),
      "EntityNotExist",
    );
  }

  /** Everything RAM's DeleteUser would refuse over. */
  async blockers(userName: string): Promise<UserBlockers> {
    const userPrincipalName = await this.principal(userName);
    const name = bareUserName(userName);
    const [keys, mfa, login, groups, policies] = await Promise.all([
      this.call("ListAccessKeys", () =>
        this.ims.listAccessKeys(new this.imsModels.ListAccessKeysRequest({ userPrincipalName })),
      ),
      this.call(
        "GetUserMFAInfo",
        () =>
          this.ims.getUserMFAInfo(new this.imsModels.GetUserMFAInfoRequest({ userPrincipalName })),
        "EntityNotExist",
      ),
      this.call(
        "GetLoginProfile",
        () =>
          this.ims.getLoginProfile(
            new this.imsModels.GetLoginProfileRequest({ userPrincipalName }),
          ),
        "EntityNotExist",
      ),
      this.call("ListGroupsForUser", () =>
        this.ims.listGroupsForUser(
          new this.imsModels.ListGroupsForUserRequest({ userPrincipalName }),
        ),
      ),
      this.call("ListPoliciesForUser", () =>
        this.ram.listPoliciesForUser(
          new this.ramModels.ListPoliciesForUserRequest({ userName: name }),
        ),
      ),
    ]);
    return {
      accessKeys: (keys?.body?.accessKeys?.accessKey ?? []).map((k) => ({
        id: k.accessKeyId ?? "",
        status: k.status ?? "",
      })),
      mfaDevice: Boolean(mfa?.body?.MFADevice),
      loginProfile: Boolean(login?.body?.loginProfile),
      groups: (groups?.body?.groups?.group ?? []).map((g) => g.groupName ?? "").filter(Boolean),
      policies: (policies?.body?.policies?.policy ?? []).map((p) => ({
        name: p.policyName ?? "",
        type: p.policyType ?? "",
      })),
    };
  }

  /** Deactivates, then deletes, an AccessKey: a key in use fails loudly at the first step. */
  async deleteAccessKey(userName: string, accessKeyId: string): Promise<void> {
    const userPrincipalName = await this.principal(userName);
    await this.call(
      "UpdateAccessKey",
      () =>
        this.ims.updateAccessKey(
          new this.imsModels.UpdateAccessKeyRequest({
            userPrincipalName,
            userAccessKeyId: accessKeyId,
            status: "Inactive",
          }),
        ),
      "EntityNotExist",
    );
    await this.call(
      "DeleteAccessKey",
      () =>
        this.ims.deleteAccessKey(
          new this.imsModels.DeleteAccessKeyRequest({
            userPrincipalName,
            userAccessKeyId: accessKeyId,
          }),
        ),
      "EntityNotExist",
    );
  }

  /** Unbinds the user's MFA device; none bound counts as done. */
  async unbindMfa(userName: string): Promise<void> {
    const userPrincipalName = await this.principal(userName);
    await this.call(
      "UnbindMFADevice",
      () =>
        this.ims.unbindMFADevice(new this.imsModels.UnbindMFADeviceRequest({ userPrincipalName })),
      "EntityNotExist",
    );
  }

  /** Takes away the user's console login; none there counts as done. */
  async deleteLoginProfile(userName: string): Promise<void> {
    const userPrincipalName = await this.principal(userName);
    await this.call(
      "DeleteLoginProfile",
      () =>
        this.ims.deleteLoginProfile(
          new this.imsModels.DeleteLoginProfileRequest({ userPrincipalName }),
        ),
      "EntityNotExist",
    );
  }

  /**
   * Detaches a policy (`policyType` `System` or `Custom`) from the user; one not attached counts as
   * detached.
   */
  async detachPolicy(userName: string, policyName: string, policyType: string): Promise<void> {
    await this.call(
      "DetachPolicyFromUser",
      () =>
        this.ram.detachPolicyFromUser(
          new this.ramModels.DetachPolicyFromUserRequest({
            userName: bareUserName(userName),
            policyName,
            policyType,
          }),
        ),
      "EntityNotExist",
    );
  }

  /** IMS names users by principal name: `<user>@<default domain>`. */
  private async principal(userName: string): Promise<string> {
    this.domain ??= this.call("GetDefaultDomain", () => this.ims.getDefaultDomain()).then((r) => {
      const domain = r?.body?.defaultDomainName;
      if (!domain)
        throw new ImsError(
          "GetDefaultDomain",
          "UnexpectedAnswer",
          undefined,
          "no DefaultDomainName in the answer",
        );
      return domain;
    });
    return `${bareUserName(userName)}@${await this.domain}`;
  }

  /** Calls the SDK; an error whose code starts with `tolerate` (already done) answers undefined. */
  private async call<T>(
    action: string,
    run: () => Promise<T>,
    tolerate?: string,
  ): Promise<T | undefined> {
    try {
      return await run();
    } catch (e) {
      const error = toImsError(action, e);
      if (tolerate && error.code.startsWith(tolerate)) return undefined;
      throw error;
    }
  }
}
