import type { RamDirectory, RamUser } from "../directory";
import { isoSeconds } from "../ids";
import { ImsError, required, type Params } from "./params";

type Handler = (p: Params) => Record<string, unknown>;

/**
 * The RAM user-administration calls the leaver flow needs (docs/ram-api.md §4): IMS 2019-08-15 for
 * groups, AccessKeys, MFA and the login profile, RAM 2015-05-01 for user policies. They act on
 * the same users the SCIM side serves, and on the same deletion blockers.
 */
export class UserAdministration {
  private readonly groups = new Map<
    string,
    { GroupName: string; Comments: string; CreateDate: string }
  >();

  constructor(
    private readonly directory: RamDirectory,
    private readonly accountAlias: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Makes a group exist in the account, as the team's own IaC or the console would; one that
   * exists already is left as it is.
   */
  addGroup(name: string, comments = ""): void {
    if (!this.groups.has(name))
      this.groups.set(name, { GroupName: name, Comments: comments, CreateDate: this.timestamp() });
  }

  /** Names of the groups in the account, in the order they were made. */
  groupNames(): string[] {
    return [...this.groups.keys()];
  }

  /** @internal IMS 2019-08-15 actions by name, called by the IMS API after the signature check. */
  readonly ims: Record<string, Handler> = {
    GetDefaultDomain: () => ({ DefaultDomainName: `${this.accountAlias}.onaliyun.com` }),
    ListGroups: () => ({ Groups: { Group: [...this.groups.values()] }, IsTruncated: false }),
    GetGroup: (p) => ({ Group: this.group(required(p, "GroupName")) }),
    ListUsersForGroup: (p) => {
      const name = this.group(required(p, "GroupName")).GroupName;
      const members = this.directory.all().filter((u) => u.blockers.groups.includes(name));
      return {
        Users: {
          User: members.map((u) => ({
            UserPrincipalName: this.principal(u),
            DisplayName: u.displayName ?? "",
            UserId: u.id,
          })),
        },
      };
    },
    ListGroupsForUser: (p) => {
      const user = this.user(p);
      return {
        Groups: {
          Group: user.blockers.groups.map((g) => ({
            GroupName: g,
            Comments: this.groups.get(g)?.Comments ?? "",
            JoinDate: this.timestamp(),
          })),
        },
      };
    },
    AddUserToGroup: (p) => {
      const user = this.user(p);
      const name = this.group(required(p, "GroupName")).GroupName;
      if (user.blockers.groups.includes(name))
        throw new ImsError(
          409,
          "EntityAlreadyExists.User.Group",
          `The user ${user.userName} is already a member of ${name}.`,
        );
      this.directory.setBlockers(user.id, {
        ...user.blockers,
        groups: [...user.blockers.groups, name],
      });
      return {};
    },
    RemoveUserFromGroup: (p) => {
      const user = this.user(p);
      const name = required(p, "GroupName");
      need(
        user.blockers.groups.includes(name),
        "EntityNotExist.User.Group",
        `The user ${user.userName} is not a member of ${name}.`,
      );
      this.directory.setBlockers(user.id, {
        ...user.blockers,
        groups: user.blockers.groups.filter((g) => g !== name),
      });
      return {};
    },
    ListAccessKeys: (p) => {
      const user = this.user(p);
      return {
        AccessKeys: {
          AccessKey: user.blockers.accessKeys.map((id) => ({
            AccessKeyId: id,
            Status: this.inactive.has(id) ? "Inactive" : "Active",
            CreateDate: this.timestamp(),
          })),
        },
      };
    },
    UpdateAccessKey: (p) => {
      const user = this.user(p);
      const id = this.accessKey(user, required(p, "UserAccessKeyId"));
      const status = required(p, "Status");
      if (status !== "Active" && status !== "Inactive")
        throw new ImsError(
          400,
          "InvalidParameter.Status",
          `The parameter Status must be Active or Inactive, got ${status}.`,
        );
      if (status === "Inactive") this.inactive.add(id);
      else this.inactive.delete(id);
      return {};
    },
    DeleteAccessKey: (p) => {
      const user = this.user(p);
      const id = this.accessKey(user, required(p, "UserAccessKeyId"));
      this.inactive.delete(id);
      this.directory.setBlockers(user.id, {
        ...user.blockers,
        accessKeys: user.blockers.accessKeys.filter((k) => k !== id),
      });
      return {};
    },
    GetUserMFAInfo: (p) => {
      const user = this.user(p);
      need(
        user.blockers.mfaDevice,
        "EntityNotExist.User.MFADevice",
        `The user ${user.userName} has no MFA device.`,
      );
      return {
        IsMFAEnable: true,
        MFADevice: { SerialNumber: `acs:ram::mfa/${user.userName}`, Type: "VMFA" },
      };
    },
    UnbindMFADevice: (p) => {
      const user = this.user(p);
      need(
        user.blockers.mfaDevice,
        "EntityNotExist.User.MFADevice",
        `The user ${user.userName} has no MFA device.`,
      );
      this.directory.setBlockers(user.id, { ...user.blockers, mfaDevice: false });
      return { MFADevice: { SerialNumber: `acs:ram::mfa/${user.userName}` } };
    },
    GetLoginProfile: (p) => {
      const user = this.user(p);
      need(
        user.blockers.loginProfile,
        "EntityNotExist.User.LoginProfile",
        `The user ${user.userName} has no login profile.`,
      );
      return {
        LoginProfile: {
          UserPrincipalName: this.principal(user),
          Status: "Active",
          PasswordResetRequired: false,
          MFABindRequired: false,
        },
      };
    },
    DeleteLoginProfile: (p) => {
      const user = this.user(p);
      need(
        user.blockers.loginProfile,
        "EntityNotExist.User.LoginProfile",
        `The user ${user.userName} has no login profile.`,
      );
      this.directory.setBlockers(user.id, { ...user.blockers, loginProfile: false });
      return {};
    },
  };

  /** @internal RAM 2015-05-01 actions by name, called by the IMS API after the signature check. */
  readonly ram: Record<string, Handler> = {
    ListPoliciesForUser: (p) => {
      const user = this.userByName(required(p, "UserName"));
      return {
        Policies: {
          Policy: user.blockers.policies.map((name) => ({
            PolicyName: name,
            PolicyType: policyType(name),
            AttachDate: this.timestamp(),
            Description: "",
          })),
        },
      };
    },
    DetachPolicyFromUser: (p) => {
      const user = this.userByName(required(p, "UserName"));
      const name = required(p, "PolicyName");
      const type = required(p, "PolicyType");
      need(
        user.blockers.policies.includes(name) && policyType(name) === type,
        "EntityNotExist.User.Policy",
        `The policy ${type}:${name} is not attached to ${user.userName}.`,
      );
      this.directory.setBlockers(user.id, {
        ...user.blockers,
        policies: user.blockers.policies.filter((x) => x !== name),
      });
      return {};
    },
  };

  private readonly inactive = new Set<string>();

  private group(name: string) {
    const group = this.groups.get(name);
    need(group, "EntityNotExist.Group", `The group ${name} does not exist.`);
    return group;
  }

  /** IMS names users by principal name (`alice@<alias>.onaliyun.com`). */
  private user(p: Params): RamUser {
    const principal = required(p, "UserPrincipalName");
    const suffix = `@${this.accountAlias}.onaliyun.com`;
    if (!principal.toLowerCase().endsWith(suffix.toLowerCase()))
      throw new ImsError(
        400,
        "InvalidParameter.UserPrincipalName",
        `The UserPrincipalName ${principal} must end with ${suffix}.`,
      );
    return this.userByName(principal.slice(0, -suffix.length));
  }

  private userByName(name: string): RamUser {
    const user = this.directory.findByUserName(name);
    need(user, "EntityNotExist.User", `The user ${name} does not exist.`);
    return user;
  }

  private accessKey(user: RamUser, id: string): string {
    need(
      user.blockers.accessKeys.includes(id),
      "EntityNotExist.User.AccessKey",
      `The AccessKey ${id} of ${user.userName} does not exist.`,
    );
    return id;
  }

  private principal(user: RamUser): string {
    return `${user.userName}@${this.accountAlias}.onaliyun.com`;
  }

  private timestamp(): string {
    return isoSeconds(new Date(this.clock()));
  }
}

/** Seeded policy names: System policies are the well-known ones; anything else is Custom. */
function policyType(name: string): "System" | "Custom" {
  return /^(AdministratorAccess|ReadOnlyAccess|Aliyun[A-Za-z]+(FullAccess|ReadOnlyAccess))$/.test(
    name,
  )
    ? "System"
    : "Custom";
}

/** A 404 as IMS answers for something the user does not have. */
function need(present: unknown, code: string, message: string): asserts present {
  if (!present) throw new ImsError(404, code, message);
}
