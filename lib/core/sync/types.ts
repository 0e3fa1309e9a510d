import type { UserBlockers } from "../ims/access";
import type { DeletionBlocker } from "../scim/errors";
import type { ScimUser } from "../scim/types";
import type { DeclaredUser } from "../users/types";

/**
 * A SCIM user attribute a plan may set: the only ones RAM takes over SCIM besides its own `id`
 * (docs/ram-api.md §1.3, §3).
 */
export type Attribute = "userName" | "displayName" | "externalId";

/** One attribute's change; `from` undefined means it had no value. */
export interface AttributeChange {
  /** The attribute the step sets. */
  readonly attribute: Attribute;
  /** The value RAM holds now; absent when the user has none (a console user's externalId). */
  readonly from?: string;
  /** The value after the step; absent means no value. */
  readonly to?: string;
}

interface StepBase {
  /** Stable within a plan, e.g. `delete:27939903700429211`. */
  readonly stepId: string;
  /** Steps that must be done first (a name they free, a user they rename away). */
  readonly after: readonly string[];
}

/** A declared person with no user in RAM: a SCIM `POST /Users`. */
export interface CreateStep extends StepBase {
  /** Tells the step kinds of {@link PlanStep} apart. */
  readonly action: "create";
  /** The person as the set declares them: user name, display name, externalId `<owner>:<key>`. */
  readonly user: DeclaredUser;
}

/** A display-name change or a rename (matched by key), as a PUT. */
export interface UpdateStep extends StepBase {
  /** Tells the step kinds of {@link PlanStep} apart. */
  readonly action: "update";
  /** The person as the set declares them: what the PUT writes. */
  readonly user: DeclaredUser;
  /** The user as RAM held it when the plan was made; its `id` is the one the PUT names. */
  readonly current: ScimUser;
  /** Each attribute that differs; a `userName` change makes the step a rename. */
  readonly changes: readonly AttributeChange[];
}

/** Takes over an unmanaged user listed under `adopt`: a PUT that sets the externalId. */
export interface AdoptStep extends StepBase {
  /** Tells the step kinds of {@link PlanStep} apart. */
  readonly action: "adopt";
  /** The person as the set declares them: what the PUT writes. */
  readonly user: DeclaredUser;
  /** The unmanaged (or transferred) user RAM holds under the declared name. */
  readonly current: ScimUser;
  /** Each attribute that differs; always the externalId, which becomes `<owner>:<key>`. */
  readonly changes: readonly AttributeChange[];
}

/** A managed user no longer declared. */
export interface DeleteStep extends StepBase {
  /** Tells the step kinds of {@link PlanStep} apart. */
  readonly action: "delete";
  /** The leaver as RAM holds it; its `id` is the one `DELETE /Users/{id}` names. */
  readonly current: ScimUser;
}

/** A membership change in a managed group (RAM takes no groups over SCIM: IMS does it). */
export interface GroupStep extends StepBase {
  /** Whether the user joins or leaves the group (IMS `AddUserToGroup` / `RemoveUserFromGroup`). */
  readonly action: "add-to-group" | "remove-from-group";
  /** The name the user has when the step runs (after a rename). */
  readonly userName: string;
  /** The RAM group's name; one of the set's `managedGroups`. */
  readonly group: string;
  /** The step is part of removing a leaver. */
  readonly leaver: boolean;
}

/** Removes one deletion blocker of a leaver under forceDelete, so that the delete can go through. */
export interface ClearStep extends StepBase {
  /** Tells the step kinds of {@link PlanStep} apart. */
  readonly action: "clear-blocker";
  /** The leaver as RAM holds it. */
  readonly current: ScimUser;
  /** What RAM would name in its `DeleteConflict.User.*` refusal (docs/ram-api.md §1.4). */
  readonly blocker: DeletionBlocker;
  /** The AccessKey id, group name, or `<type>:<policy>`; empty for MFA and login profile. */
  readonly target: string;
}

/** One change a plan makes in RAM; `action` says which kind. */
export type PlanStep = CreateStep | UpdateStep | AdoptStep | DeleteStep | GroupStep | ClearStep;
/** The kinds of step, as `--format json` prints them in `action`. */
export type StepAction = PlanStep["action"];

/** Why the plan cannot be applied, naming the user and the fix. */
export interface PlanProblem {
  /**
   * The rule that raised it. `ownership`, `adopt`, `protect`, `rename` and `deletion-guard` are
   * safety refusals (exit 3, see SAFETY_RULES in render/json.ts); `groups` (managed groups not
   * read or missing) and `force-delete` (a leaver's blockers not read) make the plan invalid
   * (exit 1).
   */
  readonly rule:
    "ownership" | "adopt" | "protect" | "rename" | "deletion-guard" | "groups" | "force-delete";
  /** The user it is about; absent for a problem of the whole set (the guard, the groups). */
  readonly userName?: string;
  /** The sentence a person reads: what is wrong and what to do. */
  readonly message: string;
}

/** The deletion guard's verdict (README, "The users file": deletion guard). */
export interface GuardVerdict {
  /** Users the plan deletes. */
  readonly deletes: number;
  /** Users the owner manages in RAM (with a former owner's, during an owner change). */
  readonly managed: number;
  /** The most deletes allowed; more refuses the whole plan. */
  readonly limit: number;
  /** How the limit was set, e.g. `default: max(5, 25 % of 40 managed)` or `--max-deletes 10`. */
  readonly limitSource: string;
  /** `deletes` is above `limit`: the plan carries a `deletion-guard` error. */
  readonly refused: boolean;
}

/**
 * What `plan()` says to do for one owner's set: a value, computed whole before anything changes,
 * that `apply()` executes and the renderers print.
 */
export interface Plan {
  /** The set's owner: the users it manages carry externalId `<owner>:<key>`. */
  readonly owner: string;
  /** In the order they are applied (see ORDER in plan.ts). */
  readonly steps: readonly PlanStep[];
  /** Declared users that RAM already matches. */
  readonly unchanged: number;
  /** Non-empty: the plan must not be applied. */
  readonly errors: readonly PlanProblem[];
  /** Things a person should know that do not stop the plan (protected drift, an empty set). */
  readonly warnings: readonly string[];
  /** The deletion guard's verdict, refused or not. */
  readonly guard: GuardVerdict;
}

/** How the deletion guard's limit is given: a count, or a share of the managed users. */
export type MaxDeletes = number | `${number}%`;

/** How `plan()` judges a set: the deletion guard's limit, and owners that changed. */
export interface PlanOptions {
  /**
   * The deletion guard's limit: the most users the plan may delete, a count or a share of the
   * managed users.
   * @default max(5, 25 % of the managed users) - a mass delete needs saying so (README, "The
   * users file": deletion guard)
   */
  readonly maxDeletes?: MaxDeletes;
  /**
   * Names the option in the guard's message, e.g. `--max-deletes` or `maxDeletes`.
   * @default "maxDeletes" - the name the library and Pulumi callers use
   */
  readonly maxDeletesName?: string;
  /**
   * Owners this set was called before (a renamed owner): their users are this set's. The declared
   * ones move to the new owner in place (their externalId changes, their RAM id stays); the
   * others are leavers.
   * @default - none: only users of the set's own owner are managed
   */
  readonly formerOwners?: readonly string[];
  /**
   * People another set loaded in the same run takes over (its transferFrom names this owner):
   * folded user name -> receiving owner. They are not deleted here.
   * @default - none: every managed user no longer declared is a leaver
   */
  readonly movingOut?: ReadonlyMap<string, string>;
}

/** A plan's steps counted by kind, as the summary lines and `--format json` show them. */
export interface PlanSummary {
  /** Users to create. */
  readonly create: number;
  /** Users to update, renames included. */
  readonly update: number;
  /** Unmanaged users to take over. */
  readonly adopt: number;
  /** Leavers to delete. */
  readonly delete: number;
  /** Declared users that RAM already matches (protected drift included). */
  readonly unchanged: number;
  /** Group memberships added or removed. */
  readonly memberships: number;
  /** Blockers cleared before deletes (forceDelete). */
  readonly cleared: number;
}

/**
 * What RAM holds, as far as it was read. SCIM gives the users; IMS (with AccessKey credentials)
 * gives groups, their members, and leavers' blockers. A plain user list means SCIM only.
 */
export interface RamState {
  /** Every user RAM holds (one SCIM list), managed or not. */
  readonly users: readonly ScimUser[];
  /**
   * Groups in the account.
   * @default - none: not read; a set with `managedGroups` then gets a `groups` error
   */
  readonly groups?: readonly string[];
  /**
   * Members (user names) of each managed group.
   * @default - none: not read; a set with `managedGroups` then gets a `groups` error
   */
  readonly members?: Readonly<Record<string, readonly string[]>>;
  /**
   * Blockers of managed users the plan would delete, by user id.
   * @default - none: not read; a leaver under forceDelete then gets a `force-delete` error
   */
  readonly blockers?: Readonly<Record<string, UserBlockers>>;
}
