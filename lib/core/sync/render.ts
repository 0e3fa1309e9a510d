import type { ApplyResult, StepOutcome } from "./apply";
import { stepGroup, stepUserName, summarize } from "./plan";
import { ownerOf } from "./rules/ownership";
import type { AttributeChange, Plan, PlanProblem, PlanStep } from "./types";

export type RenderFormat = "text" | "markdown" | "json";

export interface RenderOptions {
  /** ANSI colours (text only); the CLI turns them on for a TTY. @default false */
  readonly color?: boolean;
}

/** The version of the JSON documents below; bumped on any incompatible change. */
export const JSON_FORMAT_VERSION = 1;

const SYMBOL = {
  create: "+",
  update: "~",
  rename: "~",
  adopt: ">",
  delete: "-",
  leave: "!",
  groups: "~",
} as const;
const VERB = {
  create: "create",
  update: "update",
  rename: "rename",
  adopt: "adopt",
  delete: "delete",
  leave: "clear blocker",
  groups: "groups",
} as const;
const COLOR = {
  create: 32,
  update: 33,
  rename: 33,
  adopt: 36,
  delete: 31,
  leave: 31,
  groups: 33,
} as const;

/** Membership and blocker steps read as sentences. */
function accessWords(step: PlanStep): { symbol: string; verb: string; text: string } | undefined {
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

function symbolOf(step: PlanStep): string {
  return accessWords(step)?.symbol ?? SYMBOL[stepGroup(step)];
}

function verbOf(step: PlanStep): string {
  return accessWords(step)?.verb ?? VERB[stepGroup(step)];
}

const MARKDOWN_COLLAPSE_AFTER = 20;

export function renderPlan(plan: Plan, format: RenderFormat, options: RenderOptions = {}): string {
  if (format === "json") return `${JSON.stringify(planJson(plan), null, 2)}\n`;
  if (format === "markdown") return planMarkdown(plan);
  return planText(plan, options.color ?? false);
}

export function renderResult(
  result: ApplyResult,
  format: RenderFormat,
  options: RenderOptions = {},
): string {
  if (format === "json") return `${JSON.stringify(resultJson(result), null, 2)}\n`;
  if (format === "markdown") return resultMarkdown(result);
  return resultText(result, options.color ?? false);
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

// ---- JSON (documented in docs/json-output.md, schema in json-output.schema.json) ----

function stepJson(step: PlanStep) {
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

/**
 * What a plan comes to, as the CLI's exit status says it (README, "Exit statuses"): refused by a
 * safety rule (3), changes pending (2 with --detailed-exitcode), or nothing to do (0).
 */
export function planStatus(plan: Plan): "invalid" | "refused" | "changes" | "no-changes" {
  if (plan.errors.some((e) => !SAFETY_RULES.includes(e.rule))) return "invalid";
  if (plan.errors.length > 0) return "refused";
  return plan.steps.length > 0 ? "changes" : "no-changes";
}

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

/** What an apply came to: refused as a whole (3, or 1 when invalid), a step failed (1), or all done (0). */
export function resultStatus(result: ApplyResult): "invalid" | "refused" | "failed" | "done" {
  if (result.refused.some((e) => !SAFETY_RULES.includes(e.rule))) return "invalid";
  if (result.refused.length > 0) return "refused";
  return result.ok ? "done" : "failed";
}

export function planJson(plan: Plan) {
  return {
    formatVersion: JSON_FORMAT_VERSION,
    kind: "plan" as const,
    owner: plan.owner,
    status: planStatus(plan),
    changes: plan.steps.length > 0,
    summary: summarize(plan),
    guard: plan.guard,
    errors: plan.errors.map((e) => ({
      rule: e.rule,
      ...(e.userName ? { userName: e.userName } : {}),
      message: e.message,
    })),
    warnings: [...plan.warnings],
    steps: plan.steps.map(stepJson),
  };
}

export function resultJson(result: ApplyResult) {
  const count = (status: StepOutcome["status"]) =>
    result.outcomes.filter((o) => o.status === status).length;
  return {
    formatVersion: JSON_FORMAT_VERSION,
    kind: "result" as const,
    owner: result.owner,
    status: resultStatus(result),
    ok: result.ok,
    summary: { done: count("done"), failed: count("failed"), skipped: count("skipped") },
    refused: result.refused.map((e) => ({
      rule: e.rule,
      ...(e.userName ? { userName: e.userName } : {}),
      message: e.message,
    })),
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

// ---- text, like `terraform plan` ----

function paint(on: boolean, code: number, text: string): string {
  return on ? `\u001b[${code}m${text}\u001b[0m` : text;
}

/** What a step sets: a create lists every attribute it writes. */
function changesOf(step: PlanStep): readonly AttributeChange[] {
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

/** Each attribute a step sets, on one line: `displayName "A" -> "B"` (a create: the new value). */
function changeTexts(step: PlanStep, arrow: string): string[] {
  return changesOf(step).map((c) =>
    step.action === "create"
      ? `${c.attribute} ${show(c.to)}`
      : `${c.attribute} ${show(c.from)} ${arrow} ${show(c.to)}`,
  );
}

function show(value: string | undefined): string {
  return value === undefined ? "(none)" : JSON.stringify(value);
}

function headline(step: PlanStep): string {
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

function planText(plan: Plan, color: boolean): string {
  const lines: string[] = [];
  const problems = plan.errors.map((e) => `  ${paint(color, 31, "✗")} ${e.message}`);
  if (plan.steps.length > 0) {
    lines.push(`ram-scim will make these changes in RAM for owner "${plan.owner}":`, "");
    for (const step of plan.steps) {
      const group = stepGroup(step);
      lines.push(`  ${paint(color, COLOR[group], symbolOf(step))} ${headline(step)}`);
      const width = Math.max(...changesOf(step).map((c) => c.attribute.length), 0);
      for (const c of changesOf(step)) {
        const label = `${c.attribute}:`.padEnd(width + 1);
        lines.push(
          step.action === "create"
            ? `      ${label} ${show(c.to)}`
            : `      ${label} ${show(c.from)} -> ${show(c.to)}`,
        );
      }
    }
    lines.push("");
  }
  if (plan.warnings.length > 0) {
    lines.push("Warnings:", ...plan.warnings.map((w) => `  ${paint(color, 33, "!")} ${w}`), "");
  }
  if (problems.length > 0) {
    lines.push(
      paint(color, 31, "Error: this plan cannot be applied; nothing will change:"),
      ...problems,
      "",
    );
  }
  lines.push(
    plan.steps.length === 0 && problems.length === 0
      ? `No changes. RAM matches the user set of owner "${plan.owner}" (${plan.unchanged} unchanged).`
      : `Plan: ${summaryLine(plan)}.`,
  );
  return `${lines.join("\n")}\n`;
}

function resultText(result: ApplyResult, color: boolean): string {
  const lines: string[] = [];
  if (result.refused.length > 0) {
    lines.push(
      paint(color, 31, "Apply refused; nothing was changed:"),
      ...result.refused.map((e) => `  ✗ ${e.message}`),
    );
    return `${lines.join("\n")}\n`;
  }
  for (const o of result.outcomes) lines.push(outcomeLine(o, color));
  lines.push("", resultSummaryLine(result));
  return `${lines.join("\n")}\n`;
}

/** "Apply complete: 3 done, 0 failed, 0 skipped." */
export function resultSummaryLine(result: ApplyResult): string {
  const s = resultJson(result).summary;
  return `Apply ${result.ok ? "complete" : "incomplete"}: ${s.done} done, ${s.failed} failed, ${s.skipped} skipped.`;
}

/** One line per finished step: also what the CLI prints as progress when not on a TTY. */
export function outcomeLine(o: StepOutcome, color = false): string {
  const mark =
    o.status === "done"
      ? paint(color, 32, "✓")
      : o.status === "failed"
        ? paint(color, 31, "✗")
        : paint(color, 33, "-");
  const words = accessWords(o.step);
  if (words) return o.detail ? `  ${mark} ${words.text}: ${o.detail}` : `  ${mark} ${words.text}`;
  const id = o.user?.id ?? ("current" in o.step ? o.step.current.id : undefined);
  const base = `  ${mark} ${verbOf(o.step)} ${stepUserName(o.step)}${id ? ` (id ${id})` : ""}`;
  return o.detail ? `${base}: ${o.detail}` : base;
}

// ---- markdown, for pull-request comments ----

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function guardLine(plan: Plan): string {
  const g = plan.guard;
  return g.refused
    ? `⛔ **Deletion guard: refused.** ${g.deletes} deletions, limit ${g.limit} (${g.limitSource}).`
    : `✅ Deletion guard: ${g.deletes} of at most ${g.limit} deletions (${g.limitSource}).`;
}

function table(rows: string[]): string[] {
  const head = ["| | user | changes |", "|---|---|---|"];
  if (rows.length <= MARKDOWN_COLLAPSE_AFTER) return [...head, ...rows];
  return [
    `<details><summary>${rows.length} changes</summary>`,
    "",
    ...head,
    ...rows,
    "",
    "</details>",
  ];
}

function planMarkdown(plan: Plan): string {
  const lines = [`### ram-scim plan — owner \`${plan.owner}\``, "", guardLine(plan), ""];
  if (plan.errors.length > 0) {
    lines.push(
      "**This plan cannot be applied:**",
      "",
      ...plan.errors.map((e) => `- ❌ ${cell(e.message)}`),
      "",
    );
  }
  lines.push(
    plan.steps.length === 0 && plan.errors.length === 0
      ? `**No changes.** RAM matches the user set (${plan.unchanged} unchanged).`
      : `**Plan:** ${summaryLine(plan)}.`,
  );
  if (plan.steps.length > 0) {
    const rows = plan.steps.map((s) => {
      const changes = changeTexts(s, "→").join("<br>");
      const what = accessWords(s)?.text ?? changes;
      return `| ${symbolOf(s)} ${verbOf(s)} | \`${stepUserName(s)}\` | ${cell(what)} |`;
    });
    lines.push("", ...table(rows));
  }
  if (plan.warnings.length > 0) lines.push("", ...plan.warnings.map((w) => `- ⚠️ ${cell(w)}`));
  return `${lines.join("\n")}\n`;
}

function resultMarkdown(result: ApplyResult): string {
  const lines = [`### ram-scim apply — owner \`${result.owner}\``, ""];
  if (result.refused.length > 0) {
    lines.push(
      "**Apply refused; nothing was changed:**",
      "",
      ...result.refused.map((e) => `- ❌ ${cell(e.message)}`),
    );
    return `${lines.join("\n")}\n`;
  }
  const s = resultJson(result).summary;
  lines.push(
    `**${result.ok ? "✅ Complete" : "❌ Incomplete"}:** ${s.done} done, ${s.failed} failed, ${s.skipped} skipped.`,
    "",
  );
  const icon = { done: "✅", failed: "❌", skipped: "⏭️" } as const;
  const rows = result.outcomes.map(
    (o) =>
      `| ${icon[o.status]} ${verbOf(o.step)} | \`${stepUserName(o.step)}\` | ${cell(accessWords(o.step)?.text ?? o.detail ?? "")} |`,
  );
  for (const row of table(rows)) lines.push(row);
  return `${lines.join("\n")}\n`;
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
