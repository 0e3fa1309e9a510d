import type { ScimUser } from "../scim/types";
import { foldUserName } from "../users/names";
import type { UserSet } from "../users/types";
import { adoptOrRefuse } from "./rules/adopt";
import { userChanges } from "./rules/changes";
import { deletionGuard } from "./rules/guard";
import { describeHolder, indexRam, malformedWarning, type RamIndex } from "./rules/ownership";
import { protectedChange, protectedNames } from "./rules/protect";
import { orderByNames } from "./rules/rename";
import { clearingSteps } from "./rules/force";
import { membershipSteps } from "./rules/membership";
import type {
  DeleteStep,
  Plan,
  PlanOptions,
  PlanProblem,
  PlanStep,
  PlanSummary,
  RamState,
} from "./types";

function isRamState(ram: readonly ScimUser[] | RamState): ram is RamState {
  return !Array.isArray(ram);
}

/**
 * The order steps are listed and applied in: a leaver's group removals and cleared blockers
 * ("leave") come before the delete; deletes and renames free names that adopts and creates may
 * reuse; display-name updates, then the members' group changes ("groups"), come last. Within a group, by user name. Steps that
 * depend on another (`after`) wait for it whatever their group.
 */
export const ORDER = ["leave", "delete", "rename", "adopt", "create", "update", "groups"] as const;

/** Steps, problems and warnings a phase of the plan adds. */
interface Found {
  readonly steps: PlanStep[];
  readonly problems: PlanProblem[];
  readonly warnings: string[];
}

/**
 * Compares the declared set with what RAM holds and says what to do. Pure: no I/O, and the same
 * inputs give the same plan. Users the owner does not manage are never in a step.
 */
export function plan(
  desired: UserSet,
  ram: readonly ScimUser[] | RamState,
  options: PlanOptions = {},
): Plan {
  const state: RamState = isRamState(ram) ? ram : { users: ram };
  const index = indexRam(state.users, desired.owner, options.formerOwners);
  const isProtected = protectedNames(desired);
  const declared = declaredSteps(desired, index, isProtected);
  const leavers = leaverSteps(desired, index, declared.claimed, isProtected, options.movingOut);
  const named = orderByNames([...declared.steps, ...leavers.steps], index);
  const access = accessSteps(desired, index, state, named.steps, isProtected);
  const deletes = named.steps.filter((s) => s.action === "delete").length;
  const guard = deletionGuard(
    deletes,
    index.managed.size,
    options.maxDeletes,
    options.maxDeletesName,
  );
  return {
    owner: desired.owner,
    steps: sortSteps(access.steps),
    unchanged: declared.unchanged,
    errors: [
      ...conflictProblems(desired.owner, index),
      ...declared.problems,
      ...named.problems,
      ...access.problems,
      ...(guard.problem ? [guard.problem] : []),
    ],
    warnings: [...declared.warnings, ...leavers.warnings, ...access.warnings],
    guard: guard.verdict,
  };
}

/** Two people claiming one key while the owner takes over a former owner's users. */
function conflictProblems(owner: string, index: RamIndex): PlanProblem[] {
  return index.conflicts.map(({ key, user }) => ({
    rule: "ownership",
    userName: user.userName,
    message:
      `${describeHolder(user)} and ${index.managed.get(key)?.userName} both claim key "${key}" ` +
      `while owner "${owner}" takes over: delete or re-key one of them in RAM, then run again.`,
  }));
}

/**
 * Each declared user against RAM: unchanged, updated (matched by key), adopted (an unmanaged
 * holder of its name), or created; with the keys matched and malformed users' warnings.
 */
function declaredSteps(
  desired: UserSet,
  index: RamIndex,
  isProtected: (...names: string[]) => boolean,
): Found & { claimed: Set<string>; unchanged: number } {
  const found: Found = { steps: [], problems: [], warnings: [] };
  const claimed = new Set<string>();
  let unchanged = 0;
  for (const user of desired.users) {
    const mine = index.managed.get(user.key);
    if (mine) {
      claimed.add(user.key);
      const changes = userChanges(user, mine);
      if (changes.length === 0) unchanged += 1;
      else if (isProtected(user.userName, mine.userName)) {
        const verdict = protectedChange(desired.owner, mine, changes, index.isOwn(mine));
        if ("problem" in verdict) found.problems.push(verdict.problem);
        else {
          unchanged += 1;
          found.warnings.push(verdict.warning);
        }
      } else
        found.steps.push({
          action: "update",
          stepId: `update:${mine.id}`,
          after: [],
          user,
          current: mine,
          changes,
        });
      continue;
    }
    const holder = index.byName.get(foldUserName(user.userName));
    // A holder of another key of ours is freed (deleted or renamed) by this plan: the rename rule orders it.
    if (holder && !index.isManaged(holder)) {
      const adopted = adoptOrRefuse(desired, user, holder, isProtected);
      if ("action" in adopted) found.steps.push(adopted);
      else found.problems.push(adopted);
      continue;
    }
    found.steps.push({ action: "create", stepId: `create:${user.externalId}`, after: [], user });
  }
  const stepped = new Set(found.steps.flatMap((s) => ("current" in s ? [s.current.id] : [])));
  for (const u of index.malformed)
    if (!stepped.has(u.id)) found.warnings.push(malformedWarning(u, desired.owner));
  return { ...found, claimed, unchanged };
}

/**
 * Managed users no longer declared: deleted, unless protected, moving to another owner, or the
 * set is empty (an empty set never deletes anyone).
 */
function leaverSteps(
  desired: UserSet,
  index: RamIndex,
  claimed: ReadonlySet<string>,
  isProtected: (...names: string[]) => boolean,
  movingOut: PlanOptions["movingOut"],
): Omit<Found, "problems"> {
  const found: Omit<Found, "problems"> = { steps: [], warnings: [] };
  const leavers = [...index.managed].filter(([key]) => !claimed.has(key)).map(([, user]) => user);
  if (desired.users.length === 0 && leavers.length > 0) {
    found.warnings.push(
      `the user set is empty: the ${leavers.length} managed users are kept (an empty set never deletes anyone)`,
    );
    return found;
  }
  for (const current of leavers) {
    const to = movingOut?.get(foldUserName(current.userName));
    if (to !== undefined)
      found.warnings.push(
        `${current.userName} moves to owner "${to}" (its transferFrom), so it is not deleted here`,
      );
    else if (isProtected(current.userName))
      found.warnings.push(`${current.userName} is no longer declared but is protected: kept`);
    else found.steps.push({ action: "delete", stepId: `delete:${current.id}`, after: [], current });
  }
  return found;
}

/**
 * The user steps with the group-membership and blocker steps they need: a delete waits for its
 * leaver's group removals and cleared blockers.
 */
function accessSteps(
  desired: UserSet,
  index: RamIndex,
  state: RamState,
  steps: readonly PlanStep[],
  isProtected: (...names: string[]) => boolean,
): Found {
  const membership = membershipSteps(desired, index, state, steps, isProtected);
  const deleteSteps = steps.filter((s): s is DeleteStep => s.action === "delete");
  const clearing = clearingSteps(desired, deleteSteps, state, membership.leaverRemovals);
  const waitsFor = (del: DeleteStep) => [
    ...(membership.leaverRemovals.get(del.stepId) ?? []),
    ...(clearing.byDelete.get(del.stepId) ?? []),
  ];
  return {
    steps: [
      ...steps.map((s) =>
        s.action === "delete"
          ? { ...s, after: [...s.after, ...waitsFor(s).map((w) => w.stepId)] }
          : s,
      ),
      ...membership.steps,
      ...clearing.steps,
    ],
    problems: [...membership.problems, ...clearing.problems],
    warnings: [...clearing.warnings],
  };
}

/** The group of ORDER a step belongs to. */
export function stepGroup(step: PlanStep): (typeof ORDER)[number] {
  switch (step.action) {
    case "update":
      return step.changes.some((c) => c.attribute === "userName") ? "rename" : "update";
    case "clear-blocker":
      return "leave";
    case "add-to-group":
    case "remove-from-group":
      return step.leaver ? "leave" : "groups";
    default:
      return step.action;
  }
}

/** The user name a step is about, as a person would look for it. */
export function stepUserName(step: PlanStep): string {
  switch (step.action) {
    case "delete":
    case "clear-blocker":
      return step.current.userName;
    case "add-to-group":
    case "remove-from-group":
      return step.userName;
    default:
      return step.user.userName;
  }
}

/** By code point: the same order on every machine, whatever its locale (saved plans compare it). */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortSteps(steps: PlanStep[]): PlanStep[] {
  return [...steps].sort(
    (a, b) =>
      ORDER.indexOf(stepGroup(a)) - ORDER.indexOf(stepGroup(b)) ||
      byCodePoint(foldUserName(stepUserName(a)), foldUserName(stepUserName(b))) ||
      byCodePoint(a.stepId, b.stepId),
  );
}

/** How many steps of each kind a plan holds, and how many users it leaves as they are. */
export function summarize(plan: Plan): PlanSummary {
  const count = (action: PlanStep["action"]) =>
    plan.steps.filter((s) => s.action === action).length;
  return {
    create: count("create"),
    update: count("update"),
    adopt: count("adopt"),
    delete: count("delete"),
    unchanged: plan.unchanged,
    memberships: count("add-to-group") + count("remove-from-group"),
    cleared: count("clear-blocker"),
  };
}

/** True when applying would change RAM. */
export function hasChanges(plan: Plan): boolean {
  return plan.steps.length > 0;
}

/**
 * The plan of a teardown: every managed user that is not protected is deleted. The deletion
 * guard judges it as it judges an apply; `deleteUsersOnDestroy` (Pulumi, cdktf) is the explicit
 * raise and passes `maxDeletes: "100%"`.
 */
export function planTeardown(
  desired: UserSet,
  actual: readonly ScimUser[],
  options: Pick<PlanOptions, "maxDeletes" | "maxDeletesName"> = {},
): Plan {
  const index = indexRam(actual, desired.owner);
  const isProtected = protectedNames(desired);
  const steps: PlanStep[] = [];
  const warnings: string[] = index.malformed.map((u) => malformedWarning(u, desired.owner));
  for (const current of index.managed.values()) {
    if (isProtected(current.userName)) warnings.push(`${current.userName} is protected: kept`);
    else steps.push({ action: "delete", stepId: `delete:${current.id}`, after: [], current });
  }
  const guard = deletionGuard(
    steps.length,
    index.managed.size,
    options.maxDeletes,
    options.maxDeletesName,
  );
  return {
    owner: desired.owner,
    steps: sortSteps(steps),
    unchanged: 0,
    errors: guard.problem ? [guard.problem] : [],
    warnings,
    guard: guard.verdict,
  };
}
