import type { UserBlockers } from "../ims/access";
import type { DeletionBlocker } from "../scim/errors";
import type { ScimUser } from "../scim/types";
import type { DeclaredUser } from "../users/types";

export type Attribute = "userName" | "displayName" | "externalId";

/** One attribute's change; `from` undefined means it had no value. */
export interface AttributeChange {
  readonly attribute: Attribute;
  readonly from?: string;
  readonly to?: string;
}

interface StepBase {
  /** Stable within a plan, e.g. `delete:27939903700429211`. */
  readonly stepId: string;
  /** Steps that must be done first (a name they free, a user they rename away). */
  readonly after: readonly string[];
}

export interface CreateStep extends StepBase {
  readonly action: "create";
  readonly user: DeclaredUser;
}

/** A display-name change or a rename (matched by key), as a PUT. */
export interface UpdateStep extends StepBase {
  readonly action: "update";
  readonly user: DeclaredUser;
  readonly current: ScimUser;
  readonly changes: readonly AttributeChange[];
}

/** Takes over an unmanaged user listed under `adopt`: a PUT that sets the externalId. */
export interface AdoptStep extends StepBase {
  readonly action: "adopt";
  readonly user: DeclaredUser;
  readonly current: ScimUser;
  readonly changes: readonly AttributeChange[];
}

/** A managed user no longer declared. */
export interface DeleteStep extends StepBase {
  readonly action: "delete";
  readonly current: ScimUser;
}

/** A membership change in a managed group (RAM takes no groups over SCIM: IMS does it). */
export interface GroupStep extends StepBase {
  readonly action: "add-to-group" | "remove-from-group";
  /** The name the user has when the step runs (after a rename). */
  readonly userName: string;
  readonly group: string;
  /** The step is part of removing a leaver. */
  readonly leaver: boolean;
}

/** Removes one deletion blocker of a leaver under forceDelete, so that the delete can go through. */
export interface ClearStep extends StepBase {
  readonly action: "clear-blocker";
  readonly current: ScimUser;
  readonly blocker: DeletionBlocker;
  /** The AccessKey id, group name, or `<type>:<policy>`; empty for MFA and login profile. */
  readonly target: string;
}

export type PlanStep = CreateStep | UpdateStep | AdoptStep | DeleteStep | GroupStep | ClearStep;
export type StepAction = PlanStep["action"];

/** Why the plan cannot be applied, naming the user and the fix. */
export interface PlanProblem {
  readonly rule:
    "ownership" | "adopt" | "protect" | "rename" | "deletion-guard" | "groups" | "force-delete";
  readonly userName?: string;
  readonly message: string;
}

/** The deletion guard's verdict (README, "The users file": deletion guard). */
export interface GuardVerdict {
  readonly deletes: number;
  readonly managed: number;
  readonly limit: number;
  /** How the limit was set, e.g. `default: max(5, 25 % of 40 managed)` or `--max-deletes 10`. */
  readonly limitSource: string;
  readonly refused: boolean;
}

export interface Plan {
  readonly owner: string;
  /** In the order they are applied (see ORDER in plan.ts). */
  readonly steps: readonly PlanStep[];
  /** Declared users that RAM already matches. */
  readonly unchanged: number;
  /** Non-empty: the plan must not be applied. */
  readonly errors: readonly PlanProblem[];
  /** Things a person should know that do not stop the plan (protected drift, an empty set). */
  readonly warnings: readonly string[];
  readonly guard: GuardVerdict;
}

/** How the deletion guard's limit is given: a count, or a share of the managed users. */
export type MaxDeletes = number | `${number}%`;

export interface PlanOptions {
  /** @default max(5, 25 % of the managed users) */
  readonly maxDeletes?: MaxDeletes;
  /** Names the option in the guard's message, e.g. `--max-deletes` or `maxDeletes`. @default "maxDeletes" */
  readonly maxDeletesName?: string;
  /**
   * Owners this set was called before (a renamed owner): their users are this set's. The declared
   * ones move to the new owner in place (their externalId changes, their RAM id stays); the
   * others are leavers. @default none
   */
  readonly formerOwners?: readonly string[];
  /**
   * People another set loaded in the same run takes over (its transferFrom names this owner):
   * folded user name -> receiving owner. They are not deleted here. @default none
   */
  readonly movingOut?: ReadonlyMap<string, string>;
}

export interface PlanSummary {
  readonly create: number;
  readonly update: number;
  readonly adopt: number;
  readonly delete: number;
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
  readonly users: readonly ScimUser[];
  /** Groups in the account; undefined when not read. */
  readonly groups?: readonly string[];
  /** Members (user names) of each managed group. */
  readonly members?: Readonly<Record<string, readonly string[]>>;
  /** Blockers of managed users the plan would delete, by user id. */
  readonly blockers?: Readonly<Record<string, UserBlockers>>;
}
