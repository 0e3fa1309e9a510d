// The JSON documents of `--format json`: documented in docs/json-output.md, schema in
// json-output.schema.json. Fields are only ever added within a formatVersion.
import type { DeletionBlocker } from "../../scim/errors";
import type { ApplyResult, StepOutcome } from "../apply";
import { stepUserName, summarize } from "../plan";
import { ownerOf } from "../rules/ownership";
import type {
  Attribute,
  GuardVerdict,
  Plan,
  PlanProblem,
  PlanStep,
  PlanSummary,
  StepAction,
} from "../types";
import { changesOf } from "./words";

/** The version of the JSON documents below; bumped on any incompatible change. */
export const JSON_FORMAT_VERSION = 1;

/**
 * The plan errors that are a safety rule's refusal (exit 3: only a person can decide). The
 * others (a group that does not exist, blockers that could not be read) are errors (exit 1).
 */
export const SAFETY_RULES: readonly PlanProblem["rule"][] = [
  "ownership",
  "adopt",
  "protect",
  "rename",
  "deletion-guard",
];

/** What a plan comes to: refused by a safety rule (exit 3), invalid (1), changes pending, or none. */
export type PlanStatus = "invalid" | "refused" | "changes" | "no-changes";

/** What an apply came to: invalid (1), refused as a whole (3), a step failed (1), or all done (0). */
export type ResultStatus = "invalid" | "refused" | "failed" | "done";

/** A plan error or refusal in a JSON document. */
export interface ProblemJson {
  /** The rule that raised it (docs/json-output.md lists them). */
  readonly rule: PlanProblem["rule"];
  /** The person it is about, when it is about one. */
  readonly userName?: string;
  /** The sentence a person reads: what is wrong and what to do. */
  readonly message: string;
}

/** One step in a JSON document. */
export interface StepJson {
  /** Stable within a plan, e.g. `delete:27939903700429211`. */
  readonly stepId: string;
  /** What the step does: `create`, `update`, `adopt`, `delete`, a group change or `clear-blocker`. */
  readonly action: StepAction;
  /** The person the step is about (the name after a rename). */
  readonly userName: string;
  /** RAM's id of the user, once the user exists. */
  readonly id?: string;
  /** The user's externalId, declared or as RAM holds it. */
  readonly externalId?: string;
  /** The group of a membership step. */
  readonly group?: string;
  /** What a `clear-blocker` step removes: `AccessKey`, `MFADevice`, `Group`, `LoginProfile` or `Policy`. */
  readonly blocker?: DeletionBlocker;
  /**
   * Which one a `clear-blocker` step removes: the AccessKey id, the group name or
   * `<type>:<policy>`; empty for an MFA device or a login profile.
   */
  readonly target?: string;
  /** The owner an `adopt` step takes the user from. */
  readonly transferFrom?: string;
  /** Each attribute the step sets; `null` is no value. */
  readonly changes: readonly {
    /** The attribute set: `userName`, `displayName` or `externalId`. */
    readonly attribute: Attribute;
    /** The value RAM holds before the step; `null` when it has none. */
    readonly from: string | null;
    /** The value after the step; `null` for none. */
    readonly to: string | null;
  }[];
  /** The stepIds that run first. */
  readonly after: readonly string[];
}

/** `plan --format json`. */
export interface PlanJson {
  /** {@link JSON_FORMAT_VERSION}: within a version, fields are only added. */
  readonly formatVersion: typeof JSON_FORMAT_VERSION;
  /** Tells a plan from the other documents (`result`, `validation`, `doctor`). */
  readonly kind: "plan";
  /** The set's owner: one document per owner. */
  readonly owner: string;
  /** What the plan comes to; it decides the exit status. */
  readonly status: PlanStatus;
  /** Whether any step is planned. */
  readonly changes: boolean;
  /** The steps counted by kind, and the unchanged users. */
  readonly summary: PlanSummary;
  /** The deletion guard's verdict: the deletes planned, the limit and whether it holds. */
  readonly guard: GuardVerdict;
  /** Problems that stop the whole plan; empty when it may be applied. */
  readonly errors: readonly ProblemJson[];
  /** What a person should know that does not stop the plan (protected drift, an empty set). */
  readonly warnings: readonly string[];
  /** The steps in the order apply runs them. */
  readonly steps: readonly StepJson[];
}

/** One step's outcome in `apply --format json`: the step, and what became of it. */
export interface OutcomeJson extends StepJson {
  /** `done`, `failed`, or `skipped` (a step it waits for did not succeed, or the run was stopped). */
  readonly status: StepOutcome["status"];
  /** A sentence for people: what happened, and for a failure what to do. */
  readonly detail?: string;
  /** RAM's error, for a failed step. */
  readonly error?: StepOutcome["error"];
  /** ISO time the step ended. */
  readonly finishedAt: string;
}

/** `apply --format json`. */
export interface ResultJson {
  /** {@link JSON_FORMAT_VERSION}: within a version, fields are only added. */
  readonly formatVersion: typeof JSON_FORMAT_VERSION;
  /** Tells a result from the other documents (`plan`, `validation`, `doctor`). */
  readonly kind: "result";
  /** The set's owner: one document per owner. */
  readonly owner: string;
  /** What the apply came to; it decides the exit status. */
  readonly status: ResultStatus;
  /** Every step done and the plan not refused. */
  readonly ok: boolean;
  /** The steps counted by how they ended. */
  readonly summary: {
    /** Steps RAM carried out. */
    readonly done: number;
    /** Steps that did not succeed: RAM refused them, or they could not be carried out. */
    readonly failed: number;
    /** Steps not started: one they wait for did not succeed, or the run was stopped. */
    readonly skipped: number;
  };
  /** The plan's errors when it was refused as a whole: nothing was applied. */
  readonly refused: readonly ProblemJson[];
  /** Each plan step with its outcome, in the order of the plan. */
  readonly steps: readonly OutcomeJson[];
}

/**
 * What a plan comes to, as the CLI's exit status says it (README, "Exit statuses"): refused by a
 * safety rule (3), changes pending (2 with --detailed-exitcode), or nothing to do (0).
 */
export function planStatus(plan: Plan): PlanStatus {
  if (plan.errors.some((e) => !SAFETY_RULES.includes(e.rule))) return "invalid";
  if (plan.errors.length > 0) return "refused";
  return plan.steps.length > 0 ? "changes" : "no-changes";
}

/** What an apply came to: refused as a whole (3, or 1 when invalid), a step failed (1), or all done (0). */
export function resultStatus(result: ApplyResult): ResultStatus {
  if (result.refused.some((e) => !SAFETY_RULES.includes(e.rule))) return "invalid";
  if (result.refused.length > 0) return "refused";
  return result.ok ? "done" : "failed";
}

function problemJson(e: PlanProblem): ProblemJson {
  return { rule: e.rule, ...(e.userName ? { userName: e.userName } : {}), message: e.message };
}

function stepJson(step: PlanStep): StepJson {
  const current = "current" in step ? step.current : undefined;
  const externalId = "user" in step ? step.user.externalId : current?.externalId;
  return {
    stepId: step.stepId,
    action: step.action,
    userName: stepUserName(step),
    ...(current ? { id: current.id } : {}),
    ...(externalId !== undefined ? { externalId } : {}),
    ...(step.action === "add-to-group" || step.action === "remove-from-group"
      ? { group: step.group }
      : {}),
    ...(step.action === "clear-blocker" ? { blocker: step.blocker, target: step.target } : {}),
    ...(step.action === "adopt" && ownerOf(step.current) !== undefined
      ? { transferFrom: ownerOf(step.current) }
      : {}),
    changes: changesOf(step).map((c) => ({
      attribute: c.attribute,
      from: c.from ?? null,
      to: c.to ?? null,
    })),
    after: [...step.after],
  };
}

/** The plan as `plan --format json` prints it. */
export function planJson(plan: Plan): PlanJson {
  return {
    formatVersion: JSON_FORMAT_VERSION,
    kind: "plan",
    owner: plan.owner,
    status: planStatus(plan),
    changes: plan.steps.length > 0,
    summary: summarize(plan),
    guard: plan.guard,
    errors: plan.errors.map(problemJson),
    warnings: [...plan.warnings],
    steps: plan.steps.map(stepJson),
  };
}

/** How many steps ended each way. */
export function outcomeCounts(result: ApplyResult): ResultJson["summary"] {
  const count = (status: StepOutcome["status"]) =>
    result.outcomes.filter((o) => o.status === status).length;
  return { done: count("done"), failed: count("failed"), skipped: count("skipped") };
}

/** The result as `apply --format json` prints it. */
export function resultJson(result: ApplyResult): ResultJson {
  return {
    formatVersion: JSON_FORMAT_VERSION,
    kind: "result",
    owner: result.owner,
    status: resultStatus(result),
    ok: result.ok,
    summary: outcomeCounts(result),
    refused: result.refused.map(problemJson),
    steps: result.outcomes.map((o) => ({
      ...stepJson(o.step),
      ...(o.user ? { id: o.user.id } : {}),
      status: o.status,
      ...(o.detail ? { detail: o.detail } : {}),
      ...(o.error ? { error: o.error } : {}),
      finishedAt: o.finishedAt,
    })),
  };
}
