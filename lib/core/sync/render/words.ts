import { stepGroup, stepUserName, summarize } from "../plan";
import { ownerOf } from "../rules/ownership";
import type { AttributeChange, Plan, PlanStep } from "../types";

/** A step's mark in the margin, by its group. */
export const SYMBOL = {
  create: "+",
  update: "~",
  rename: "~",
  adopt: ">",
  delete: "-",
  leave: "!",
  groups: "~",
} as const;

/** A step's verb, by its group. */
export const VERB = {
  create: "create",
  update: "update",
  rename: "rename",
  adopt: "adopt",
  delete: "delete",
  leave: "clear blocker",
  groups: "groups",
} as const;

/** A step's ANSI colour, by its group: green adds, yellow changes, cyan takes over, red removes. */
export const COLOR = {
  create: 32,
  update: 33,
  rename: 33,
  adopt: 36,
  delete: 31,
  leave: 31,
  groups: 33,
} as const;

/** Membership and blocker steps read as sentences. */
export function accessWords(
  step: PlanStep,
): { symbol: string; verb: string; text: string } | undefined {
  if (step.action === "add-to-group")
    return {
      symbol: "+",
      verb: "add to group",
      text: `add ${step.userName} to group ${step.group}`,
    };
  if (step.action === "remove-from-group")
    return {
      symbol: "-",
      verb: "remove from group",
      text: `remove ${step.userName} from group ${step.group}`,
    };
  if (step.action !== "clear-blocker") return undefined;
  const name = step.current.userName;
  const text = {
    AccessKey: `deactivate and delete AccessKey ${step.target} of ${name}`,
    MFADevice: `unbind the MFA device of ${name}`,
    LoginProfile: `delete the console login of ${name}`,
    Group: `remove ${name} from group ${step.target} (not managed; forceDelete)`,
    Policy: `detach policy ${step.target} from ${name}`,
  }[step.blocker];
  return { symbol: "!", verb: "clear blocker", text };
}

export function symbolOf(step: PlanStep): string {
  return accessWords(step)?.symbol ?? SYMBOL[stepGroup(step)];
}

export function verbOf(step: PlanStep): string {
  return accessWords(step)?.verb ?? VERB[stepGroup(step)];
}

/** What a step sets: a create lists every attribute it writes. */
export function changesOf(step: PlanStep): readonly AttributeChange[] {
  if (step.action === "update" || step.action === "adopt") return step.changes;
  if (step.action !== "create") return [];
  const u = step.user;
  return [
    { attribute: "userName", to: u.userName },
    ...(u.displayName !== undefined
      ? [{ attribute: "displayName" as const, to: u.displayName }]
      : []),
    { attribute: "externalId", to: u.externalId },
  ];
}

/** A value as the plan shows it: quoted, or `(none)` for no value (not an empty one). */
export function show(value: string | undefined): string {
  return value === undefined ? "(none)" : JSON.stringify(value);
}

/** Each attribute a step sets, on one line: `displayName "A" -> "B"` (a create: the new value). */
export function changeTexts(step: PlanStep, arrow: string): string[] {
  return changesOf(step).map((c) =>
    step.action === "create"
      ? `${c.attribute} ${show(c.to)}`
      : `${c.attribute} ${show(c.from)} ${arrow} ${show(c.to)}`,
  );
}

/** What a step does to whom, without its attribute changes. */
export function headline(step: PlanStep): string {
  const words = accessWords(step);
  if (words) return words.text;
  if (
    step.action !== "create" &&
    step.action !== "update" &&
    step.action !== "adopt" &&
    step.action !== "delete"
  )
    return step.stepId;
  const group = stepGroup(step);
  const name = stepUserName(step);
  if (step.action === "create") return `${VERB[group]} ${name}`;
  if (group === "rename")
    return `rename ${step.current.userName} -> ${name} (id ${step.current.id})`;
  const from = step.action === "adopt" ? ownerOf(step.current) : undefined;
  if (from !== undefined) return `transfer ${name} from owner "${from}" (id ${step.current.id})`;
  const extra = step.action === "delete" ? `, externalId ${step.current.externalId}` : "";
  return `${VERB[group]} ${name} (id ${step.current.id}${extra})`;
}

/** "1 to create, 0 to update, 0 to adopt, 2 to delete, 5 unchanged" */
export function summaryLine(plan: Plan): string {
  const s = summarize(plan);
  const extra = [
    s.memberships ? `, ${s.memberships} group membership changes` : "",
    s.cleared ? `, ${s.cleared} blockers to clear` : "",
  ].join("");
  return `${s.create} to create, ${s.update} to update, ${s.adopt} to adopt, ${s.delete} to delete, ${s.unchanged} unchanged${extra}`;
}

/** One step in one line: `~ update alice (id 1): displayName "A" -> "B"`. */
export function stepLine(step: PlanStep): string {
  const changes = changeTexts(step, "->");
  return `${symbolOf(step)} ${headline(step)}${changes.length > 0 ? `: ${changes.join(", ")}` : ""}`;
}

/**
 * The plan per person, as a flat map of strings (what Terraform's `external` data source may
 * answer): each user name with its steps in order, `; `-separated. Empty when RAM matches.
 */
export function stepsByUser(p: Plan): Record<string, string> {
  const byUser = new Map<string, string[]>();
  for (const step of p.steps) {
    const name = stepUserName(step);
    byUser.set(name, [...(byUser.get(name) ?? []), stepLine(step)]);
  }
  return Object.fromEntries([...byUser].map(([name, lines]) => [name, lines.join("; ")]));
}

const NAMES_SHOWN = 5;

/**
 * One line for a property or a plan column: "+2 ~1 >1 -1 groups:2 cleared:3 (alice, bob, …)";
 * "" when RAM matches; "refused: …" when the plan may not be applied.
 */
export function compactSummary(p: Plan): string {
  if (p.errors.length > 0) return `refused: ${p.errors.map((e) => e.message).join(" ")}`;
  if (p.steps.length === 0) return "";
  const s = summarize(p);
  const counts = [
    s.create ? `+${s.create}` : "",
    s.update ? `~${s.update}` : "",
    s.adopt ? `>${s.adopt}` : "",
    s.delete ? `-${s.delete}` : "",
    s.memberships ? `groups:${s.memberships}` : "",
    s.cleared ? `cleared:${s.cleared}` : "",
  ].filter(Boolean);
  const names = [...new Set(p.steps.map(stepUserName))];
  const shown = names.slice(0, NAMES_SHOWN).join(", ") + (names.length > NAMES_SHOWN ? ", …" : "");
  return `${counts.join(" ")} (${shown})`;
}
