import { ScimError, type DeletionBlocker } from "../scim/errors";
import type { ScimUser, ScimUserInput } from "../scim/types";
import type { DeclaredUser } from "../users/types";
import { userChanges } from "./rules/changes";
import type { ClearStep, GroupStep, Plan, PlanProblem, PlanStep } from "./types";

/** What apply needs of a SCIM client; ScimClient is one. */
export interface UserDirectory {
  /** Creates a user (SCIM POST /Users); answers the user as RAM holds it. */
  createUser(input: ScimUserInput): Promise<ScimUser>;
  /** Replaces a user's attributes (SCIM PUT /Users/{id}); answers the user as RAM holds it. */
  replaceUser(id: string, input: ScimUserInput): Promise<ScimUser>;
  /** Deletes a user (SCIM DELETE /Users/{id}). */
  deleteUser(id: string): Promise<void>;
  /** The user with this externalId, if any: how a create answered 409 finds what it made. */
  findUser(by: { externalId: string }): Promise<ScimUser | undefined>;
}

/** What became of one step of a plan. */
export interface StepOutcome {
  /** The step, as planned. */
  readonly step: PlanStep;
  /** Done; failed (see `detail` and `error`); or skipped (not started: the run stopped, or a step it waits for did not succeed). */
  readonly status: "done" | "failed" | "skipped";
  /** A sentence for people: what happened, and for a failure what to do. */
  readonly detail?: string;
  /** The user as RAM holds it after the step. */
  readonly user?: ScimUser;
  /** RAM's error, for a failed step. */
  readonly error?: {
    /** The HTTP status RAM answered; absent when no answer came. */
    readonly status?: number;
    /** SCIM's error type, e.g. `uniqueness`, when RAM gives one. */
    readonly scimType?: string;
    /** RAM's own words, redacted of any credential. */
    readonly detail: string;
    /** What stops a delete: the user's AccessKeys, MFA device, groups, login, policies. */
    readonly blockers?: readonly DeletionBlocker[];
  };
  /** ISO time the step ended. */
  readonly finishedAt: string;
}

/** What an apply came to, step by step. */
export interface ApplyResult {
  /** The owner of the set the plan was made for. */
  readonly owner: string;
  /** One outcome per step, in the plan's order. */
  readonly outcomes: readonly StepOutcome[];
  /** Every step done and the plan not refused. */
  readonly ok: boolean;
  /** The plan's errors when it was refused as a whole: nothing was applied. */
  readonly refused: readonly PlanProblem[];
}

/** What group and blocker steps need of an IMS/RAM client; RamAccessClient is one. */
export interface AccessDirectory {
  /** Adds a user to a RAM group (AddUserToGroup). */
  addToGroup(userName: string, group: string): Promise<void>;
  /** Removes a user from a RAM group (RemoveUserFromGroup). */
  removeFromGroup(userName: string, group: string): Promise<void>;
  /** Deactivates and deletes one of a user's AccessKeys. */
  deleteAccessKey(userName: string, accessKeyId: string): Promise<void>;
  /** Unbinds a user's MFA device. */
  unbindMfa(userName: string): Promise<void>;
  /** Deletes a user's console login. */
  deleteLoginProfile(userName: string): Promise<void>;
  /** Detaches a policy (`System` or `Custom`) from a user. */
  detachPolicy(userName: string, policyName: string, policyType: string): Promise<void>;
}

/** How a plan is carried out. */
export interface ApplyOptions {
  /**
   * For group-membership and blocker steps (AccessKey credentials).
   * @default - none: such steps fail, saying AccessKey credentials are needed
   */
  readonly access?: AccessDirectory;
  /**
   * Steps in flight at once.
   * @default 8 - enough to overlap network waits; the SCIM client paces its own writes
   */
  readonly concurrency?: number;
  /**
   * Called as each step ends (progress display, audit).
   * @default - none
   */
  readonly onStep?: (outcome: StepOutcome, done: number, total: number) => void;
  /**
   * Stops the run: no step starts after it fires, the steps in flight finish (each bounded by
   * the client's time-out), and the others are reported skipped. The next apply finishes the job.
   * @default - none: the run goes to its end
   */
  readonly signal?: AbortSignal;
}

/** How to remove each blocker RAM names (docs/ram-api.md §1.4, §4). */
const BLOCKER_FIXES: Record<DeletionBlocker, string> = {
  AccessKey: "delete its AccessKeys (ListAccessKeys, DeleteAccessKey)",
  MFADevice: "unbind its MFA device (UnbindMFADevice)",
  Group: "remove it from its groups (ListGroupsForUser, RemoveUserFromGroup)",
  LoginProfile: "delete its console logon (DeleteLoginProfile)",
  Policy: "detach its policies (ListPoliciesForUser, DetachPolicyFromUser)",
};

/**
 * Carries out a plan: steps run with bounded concurrency, each after the steps it depends on;
 * a failed step does not stop the others (only those that wait on it are skipped), and every
 * step's outcome is returned. A refused plan (errors, deletion guard) changes nothing.
 */
export async function apply(
  client: UserDirectory,
  plan: Plan,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  if (plan.errors.length > 0)
    return { owner: plan.owner, outcomes: [], ok: false, refused: plan.errors };
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const outcomes = new Map<string, StepOutcome>();
  const ordered: StepOutcome[] = [];
  const record = (outcome: StepOutcome) => {
    outcomes.set(outcome.step.stepId, outcome);
    ordered.push(outcome);
    options.onStep?.(outcome, ordered.length, plan.steps.length);
  };
  const known = new Set(plan.steps.map((s) => s.stepId));
  const pending = [...plan.steps];
  const running = new Set<Promise<void>>();

  while (pending.length > 0 || running.size > 0) {
    for (let i = 0; i < pending.length && running.size < concurrency;) {
      const step = pending[i] as PlanStep;
      const deps = step.after.filter((id) => known.has(id)).map((id) => outcomes.get(id));
      if (deps.some((d) => d === undefined)) {
        i += 1;
        continue;
      }
      pending.splice(i, 1);
      const skipped = skipReason(deps as StepOutcome[], options.signal);
      if (skipped) {
        record({ step, status: "skipped", detail: skipped, finishedAt: now() });
        continue;
      }
      const task: Promise<void> = execute(client, step, options.access).then((outcome) => {
        running.delete(task);
        record(outcome);
      });
      running.add(task);
    }
    if (running.size > 0) await Promise.race(running);
  }

  const list = plan.steps.map((s) => outcomes.get(s.stepId) as StepOutcome);
  return {
    owner: plan.owner,
    outcomes: list,
    ok: list.every((o) => o.status === "done"),
    refused: [],
  };
}

/** Why a step whose dependencies have ended is not started: the run stopped, or one of them failed. */
function skipReason(
  deps: readonly StepOutcome[],
  signal: AbortSignal | undefined,
): string | undefined {
  if (signal?.aborted) return `not started: the run was stopped (${stopReason(signal)})`;
  const failed = deps.find((d) => d.status !== "done");
  if (failed) return `not attempted: it waits for ${failed.step.stepId}, which did not succeed`;
  return undefined;
}

async function execute(
  client: UserDirectory,
  step: PlanStep,
  access: AccessDirectory | undefined,
): Promise<StepOutcome> {
  try {
    switch (step.action) {
      case "add-to-group":
      case "remove-from-group":
      case "clear-blocker": {
        if (!access)
          return {
            step,
            status: "failed",
            detail: "needs AccessKey credentials for IMS and RAM, which were not given",
            error: { detail: "no AccessKey credentials" },
            finishedAt: now(),
          };
        await accessStep(access, step);
        return { step, status: "done", finishedAt: now() };
      }
      case "create":
        return await create(client, step);
      case "update":
      case "adopt": {
        const user = await client.replaceUser(step.current.id, putBody(step.user, step.current));
        return { step, status: "done", user, finishedAt: now() };
      }
      case "delete":
        await client.deleteUser(step.current.id);
        return { step, status: "done", finishedAt: now() };
    }
  } catch (e) {
    return failure(step, e);
  }
}

/**
 * A create answered 409 may be ours: made by another run of this set (one that stopped before
 * it recorded it, or one running at the same time). Look it up by externalId; which run made it
 * cannot be told, so the detail does not guess.
 */
async function create(
  client: UserDirectory,
  step: Extract<PlanStep, { action: "create" }>,
): Promise<StepOutcome> {
  const body = putBody(step.user, undefined);
  try {
    const user = await client.createUser(body);
    return { step, status: "done", user, finishedAt: now() };
  } catch (e) {
    if (!(e instanceof ScimError) || !e.isConflict) throw e;
    const existing = await client.findUser({ externalId: step.user.externalId });
    if (!existing) throw e;
    if (userChanges(step.user, existing).length === 0)
      return {
        step,
        status: "done",
        user: existing,
        detail: `already existed with externalId ${step.user.externalId} (made by another run of this set)`,
        finishedAt: now(),
      };
    const user = await client.replaceUser(existing.id, putBody(step.user, existing));
    return {
      step,
      status: "done",
      user,
      detail: `already existed with externalId ${step.user.externalId} (made by another run of this set); brought in line`,
      finishedAt: now(),
    };
  }
}

/** A PUT replaces everything: a display name the file leaves out keeps RAM's value. */
function putBody(user: DeclaredUser, current: ScimUser | undefined): ScimUserInput {
  const displayName = user.displayName ?? current?.displayName;
  return {
    userName: user.userName,
    ...(displayName !== undefined ? { displayName } : {}),
    externalId: user.externalId,
  };
}

/** One group or blocker step through IMS/RAM. */
async function accessStep(access: AccessDirectory, step: GroupStep | ClearStep): Promise<void> {
  if (step.action !== "clear-blocker")
    return step.action === "add-to-group"
      ? access.addToGroup(step.userName, step.group)
      : access.removeFromGroup(step.userName, step.group);
  const name = step.current.userName;
  switch (step.blocker) {
    case "AccessKey":
      return access.deleteAccessKey(name, step.target);
    case "MFADevice":
      return access.unbindMfa(name);
    case "LoginProfile":
      return access.deleteLoginProfile(name);
    case "Group":
      return access.removeFromGroup(name, step.target);
    case "Policy": {
      const [type, policy] = step.target.split(/:(.*)/s) as [string, string];
      return access.detachPolicy(name, policy, type);
    }
  }
}

function failure(step: PlanStep, e: unknown): StepOutcome {
  if (!(e instanceof ScimError)) {
    return {
      step,
      status: "failed",
      detail: (e as Error).message,
      error: { detail: (e as Error).message },
      finishedAt: now(),
    };
  }
  const error = {
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.scimType !== undefined ? { scimType: e.scimType } : {}),
    detail: e.detail,
    ...(e.blockers.length > 0 ? { blockers: e.blockers } : {}),
  };
  if (step.action === "delete" && e.isNotFound)
    return { step, status: "done", detail: "already gone from RAM", finishedAt: now() };
  let detail: string;
  if (step.action === "delete" && e.blockers.length > 0) {
    const name = step.current.userName;
    detail =
      `RAM refused to delete ${name}: it still has ${e.blockers.join(", ")}. ` +
      `To finish, ${e.blockers.map((b) => BLOCKER_FIXES[b]).join("; ")} — in the RAM console (Users → ${name}) or with the RAM API — then apply again.`;
  } else if (step.action === "adopt" && (e.status === 400 || e.status === 403)) {
    // IDaaS documents that RAM users made outside SCIM can be read through SCIM, not changed.
    const name = step.current.userName;
    detail =
      `RAM refused to take over ${name} (id ${step.current.id}): it answered ${e.status}${e.scimType ? ` ${e.scimType}` : ""}: ${e.detail} ` +
      `Users made outside SCIM (the console, the RAM API) may not be changeable through SCIM. Either leave ${name} out of this set ` +
      `(remove it from users and adopt), or delete it in the RAM console and apply again so that this set creates it anew ` +
      `(a new RAM id: its AccessKeys, MFA, groups and policies do not carry over).`;
  } else if (
    (step.action === "update" || step.action === "adopt" || step.action === "delete") &&
    e.isNotFound
  ) {
    detail = `${step.current.userName} (id ${step.current.id}) no longer exists in RAM: it was deleted outside this tool; run plan again`;
  } else {
    detail = `RAM answered ${e.status ?? e.code ?? "nothing"}: ${e.detail}`;
  }
  return { step, status: "failed", detail, error, finishedAt: now() };
}

/** Why a run was stopped, in a few words: the signal's name, or what the caller gave. */
export function stopReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (typeof reason === "string") return reason;
  // AbortSignal.timeout's reason is a DOMException named TimeoutError (not always an Error here).
  const named = reason as { name?: unknown; message?: unknown } | undefined;
  if (named?.name === "TimeoutError") return "--timeout reached";
  if (typeof named?.message === "string") return named.message;
  return "stopped";
}

function now(): string {
  return new Date().toISOString();
}
