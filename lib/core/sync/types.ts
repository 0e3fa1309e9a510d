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

export type PlanStep = CreateStep | UpdateStep | AdoptStep | DeleteStep;
export type StepAction = PlanStep["action"];

/** Why the plan cannot be applied, naming the user and the fix. */
export interface PlanProblem {
  readonly rule: "ownership" | "adopt" | "protect" | "rename" | "deletion-guard";
  readonly userName?: string;
  readonly message: string;
}

/** The deletion guard's verdict (design.md "Ownership and safety"). */
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
}

export interface PlanSummary {
  readonly create: number;
  readonly update: number;
  readonly adopt: number;
  readonly delete: number;
  readonly unchanged: number;
}
