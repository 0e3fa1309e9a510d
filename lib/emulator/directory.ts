import type { SeedBlockers, SeedUser } from "./options";
import { isoSeconds, numericId } from "./ids";
import type { Random } from "./random";
import {
  bareName,
  checkAttributes,
  DirectoryError,
  type NamingRules,
  type UserInput,
} from "./user-rules";

/** A RAM user as the emulator stores it. */
export interface RamUser {
  /** RAM's id of the user, 17 digits, as RAM's ids look. */
  id: string;
  /** The bare user name (no `@<alias>.onaliyun.com`), unique without regard to case. */
  userName: string;
  /** The name shown in the console; absent when none was given. */
  displayName?: string;
  /** The client's key for the user, unique; absent for a user made outside SCIM. */
  externalId?: string;
  /** When the user was made, ISO 8601 to the second. */
  created: string;
  /** When the user last changed, ISO 8601 to the second. */
  lastModified: string;
  /** What RAM would refuse a delete over (docs/ram-api.md §1.4), every kind filled in. */
  blockers: Required<SeedBlockers>;
  /**
   * Made through SCIM, or outside it (the console, the RAM API): IDaaS says SCIM may not change the
   * latter.
   */
  origin?: "scim" | "console";
}

/** The RAM user store: one account's users with RAM's naming and uniqueness rules. */
export class RamDirectory {
  private readonly byId = new Map<string, RamUser>();
  private readonly byFoldedName = new Map<string, string>();
  private readonly byExternalId = new Map<string, string>();
  private changeListener: (() => void) | undefined;

  constructor(
    private readonly rules: NamingRules,
    private readonly random: Random,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** @internal Called after every change: how the state file is kept up to date. */
  onChange(listener: () => void): void {
    this.changeListener = listener;
  }

  /** How many users the account holds. */
  get size(): number {
    return this.byId.size;
  }

  /** Users in creation order, as RAM lists them. */
  all(): RamUser[] {
    return [...this.byId.values()];
  }

  /** The user with this id, or undefined. */
  get(id: string): RamUser | undefined {
    return this.byId.get(id);
  }

  /** The user with this name, bare or principal, compared without regard to case; or undefined. */
  findByUserName(userName: string): RamUser | undefined {
    const id = this.byFoldedName.get(this.bareName(userName).toLowerCase());
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** The user with this externalId (compared exactly), or undefined. */
  findByExternalId(externalId: string): RamUser | undefined {
    const id = this.byExternalId.get(externalId);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /**
   * @internal The SCIM endpoint's create, with RAM's naming and uniqueness rules; throws a
   * DirectoryError that the HTTP layer answers. Tests seed users with `seed` instead.
   */
  create(
    input: UserInput,
    blockers: SeedBlockers = {},
    fixedId?: string,
    origin: "scim" | "console" = "scim",
  ): RamUser {
    const fields = this.checkInput(input, undefined);
    const id = fixedId ?? this.newId();
    if (this.byId.has(id))
      throw new DirectoryError(409, "uniqueness", `a user with id ${id} already exists`);
    const stamp = this.timestamp();
    const user: RamUser = {
      id,
      ...fields,
      created: stamp,
      lastModified: stamp,
      blockers: normalizeBlockers(blockers),
      origin,
    };
    this.index(user);
    this.changed();
    return user;
  }

  /** @internal PUT semantics: every writable attribute is replaced, an omitted one is cleared. */
  replace(id: string, input: UserInput): RamUser {
    const user = this.requireUser(id);
    const fields = this.checkInput(input, id);
    this.unindex(user);
    user.userName = fields.userName;
    user.displayName = fields.displayName;
    user.externalId = fields.externalId;
    if (user.displayName === undefined) delete user.displayName;
    if (user.externalId === undefined) delete user.externalId;
    user.lastModified = this.timestamp();
    this.index(user);
    this.changed();
    return user;
  }

  /**
   * @internal The SCIM endpoint's delete: refused with RAM's DeleteConflict codes while blockers
   * remain.
   */
  delete(id: string): void {
    const user = this.requireUser(id);
    const reasons = blockerReasons(user.blockers);
    if (reasons.length > 0) {
      throw new DirectoryError(
        409,
        undefined,
        `The user ${user.userName} cannot be deleted for safety: ${reasons.join("; ")}. ` +
          "Remove these with the RAM API or console, then delete the user.",
      );
    }
    this.unindex(user);
    this.byId.delete(id);
    this.changed();
  }

  /** Adds users as if they existed before: console users when they have no externalId. */
  seed(users: readonly SeedUser[]): void {
    for (const u of users) {
      const input: UserInput = { userName: u.userName };
      if (u.displayName !== undefined) input.displayName = u.displayName;
      if (u.externalId !== undefined) input.externalId = u.externalId;
      this.create(input, u.blockers, u.id, u.origin ?? (u.externalId ? "scim" : "console"));
    }
  }

  /** Sets or clears blockers of an existing user (admin route, tests, IMS calls later). */
  setBlockers(id: string, blockers: SeedBlockers): RamUser {
    const user = this.requireUser(id);
    user.blockers = normalizeBlockers(blockers);
    this.changed();
    return user;
  }

  /** The user's principal name, `<userName>@<alias>.onaliyun.com`. */
  principalName(user: RamUser): string {
    return `${user.userName}@${this.rules.accountAlias}.onaliyun.com`;
  }

  /** @internal What the state file keeps. */
  toJSON(): { users: RamUser[] } {
    return { users: this.all() };
  }

  /** @internal Replaces the contents with a saved state. */
  load(saved: { users: RamUser[] }): void {
    this.byId.clear();
    this.byFoldedName.clear();
    this.byExternalId.clear();
    for (const u of saved.users) {
      const user: RamUser = { ...u, blockers: normalizeBlockers(u.blockers ?? {}) };
      this.index(user);
    }
  }

  private requireUser(id: string): RamUser {
    const user = this.byId.get(id);
    if (!user) throw new DirectoryError(404, undefined, `Resource ${id} not found`);
    return user;
  }

  /** The attributes to store, checked against RAM's rules and unique in the account. */
  private checkInput(input: UserInput, selfId: string | undefined): UserInput {
    const out = checkAttributes(input, this.rules);
    const sameName = this.byFoldedName.get(out.userName.toLowerCase());
    if (sameName !== undefined && sameName !== selfId) {
      throw new DirectoryError(
        409,
        "uniqueness",
        `Attribute 'userName' value '${out.userName}' already exists`,
      );
    }
    if (out.externalId !== undefined) {
      const sameExternal = this.byExternalId.get(out.externalId);
      if (sameExternal !== undefined && sameExternal !== selfId) {
        throw new DirectoryError(
          409,
          "uniqueness",
          `Attribute 'externalId' value '${out.externalId}' already exists`,
        );
      }
    }
    return out;
  }

  /** `alice@<alias>.onaliyun.com` → `alice`; anything else is returned as it is. */
  private bareName(name: string): string {
    return bareName(name, this.rules.accountAlias);
  }

  private index(user: RamUser): void {
    this.byId.set(user.id, user);
    this.byFoldedName.set(user.userName.toLowerCase(), user.id);
    if (user.externalId !== undefined) this.byExternalId.set(user.externalId, user.id);
  }

  private unindex(user: RamUser): void {
    this.byFoldedName.delete(user.userName.toLowerCase());
    if (user.externalId !== undefined) this.byExternalId.delete(user.externalId);
  }

  /** RAM user ids are numeric strings of 17 digits. */
  private newId(): string {
    return numericId(this.random, "2", 16, (id) => this.byId.has(id));
  }

  private timestamp(): string {
    return isoSeconds(this.now());
  }

  private changed(): void {
    this.changeListener?.();
  }
}

function normalizeBlockers(b: SeedBlockers): Required<SeedBlockers> {
  return {
    accessKeys: [...(b.accessKeys ?? [])],
    mfaDevice: b.mfaDevice ?? false,
    groups: [...(b.groups ?? [])],
    policies: [...(b.policies ?? [])],
    loginProfile: b.loginProfile ?? false,
  };
}

/** The DeleteConflict codes RAM's DeleteUser reports, with what each one found. */
function blockerReasons(b: Required<SeedBlockers>): string[] {
  const reasons: string[] = [];
  if (b.accessKeys.length > 0)
    reasons.push(`DeleteConflict.User.AccessKey (AccessKeys: ${b.accessKeys.join(", ")})`);
  if (b.mfaDevice) reasons.push("DeleteConflict.User.MFADevice (an MFA device is bound)");
  if (b.groups.length > 0)
    reasons.push(`DeleteConflict.User.Group (groups: ${b.groups.join(", ")})`);
  if (b.loginProfile) reasons.push("DeleteConflict.User.LoginProfile (console logon is enabled)");
  if (b.policies.length > 0)
    reasons.push(`DeleteConflict.User.Policy (policies: ${b.policies.join(", ")})`);
  return reasons;
}
