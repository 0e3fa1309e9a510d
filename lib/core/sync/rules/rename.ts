import { foldUserName } from "../../users/names";
import type { PlanProblem, PlanStep } from "../types";
import { describeHolder, type RamIndex } from "./ownership";

/** The name a step gives a user, if it gives one that the user does not hold yet. */
function claimedName(step: PlanStep): string | undefined {
  if (step.action === "create") return step.user.userName;
  if (step.action === "update") return step.changes.find((c) => c.attribute === "userName")?.to;
  return undefined;
}

/** The name a step takes away from a user: a delete, or a rename. */
function freedName(step: PlanStep): string | undefined {
  if (step.action === "delete") return step.current.userName;
  if (step.action === "update" && step.changes.some((c) => c.attribute === "userName"))
    return step.current.userName;
  return undefined;
}

/**
 * Rename rule: a step that gives a user a name another user holds must wait for the step that
 * frees it (that user's delete or rename). A name held by a user no step frees, and renames that
 * wait on each other in a circle, are plan errors.
 */
export function orderByNames(
  steps: readonly PlanStep[],
  index: RamIndex,
): { steps: PlanStep[]; problems: PlanProblem[] } {
  const freeing = new Map<string, PlanStep>();
  for (const step of steps) {
    const name = freedName(step);
    if (name !== undefined) freeing.set(foldUserName(name), step);
  }
  const problems: PlanProblem[] = [];
  const ordered = steps.map((step): PlanStep => {
    const name = claimedName(step);
    if (name === undefined) return step;
    const holder = index.byName.get(foldUserName(name));
    const self = "current" in step ? step.current.id : undefined;
    if (!holder || holder.id === self) return step;
    const freer = freeing.get(foldUserName(name));
    if (!freer) {
      const what =
        "current" in step ? `rename ${step.current.userName} to ${name}` : `create ${name}`;
      problems.push({
        rule: "rename",
        userName: name,
        message: `cannot ${what}: the name is held by ${describeHolder(holder)}, which this plan keeps. Free the name first, or choose another.`,
      });
      return step;
    }
    return { ...step, after: [...step.after, freer.stepId] };
  });
  problems.push(...cycles(ordered));
  return { steps: ordered, problems };
}

function cycles(steps: readonly PlanStep[]): PlanProblem[] {
  const byId = new Map(steps.map((s) => [s.stepId, s]));
  const state = new Map<string, "visiting" | "done">();
  const problems: PlanProblem[] = [];
  const visit = (step: PlanStep, trail: PlanStep[]): void => {
    const seen = state.get(step.stepId);
    if (seen === "done") return;
    if (seen === "visiting") {
      const loop = trail.slice(trail.indexOf(step));
      const names = loop.map((s) =>
        "current" in s ? s.current.userName : "user" in s ? s.user.userName : s.stepId,
      );
      problems.push({
        rule: "rename",
        userName: names[0],
        message: `the renames of ${names.join(", ")} wait on each other in a circle: RAM cannot hold two users with one name, even for a moment. Rename one of them to a temporary name in a separate apply first.`,
      });
      return;
    }
    state.set(step.stepId, "visiting");
    for (const dep of step.after) {
      const next = byId.get(dep);
      if (next) visit(next, [...trail, step]);
    }
    state.set(step.stepId, "done");
  };
  for (const step of steps) visit(step, []);
  return problems;
}
