// Text, like `terraform plan`.
import type { ApplyResult, StepOutcome } from "../apply";
import { stepGroup, stepUserName } from "../plan";
import type { Plan, PlanStep } from "../types";
import { outcomeCounts } from "./json";
import {
  accessWords,
  changesOf,
  COLOR,
  headline,
  show,
  summaryLine,
  symbolOf,
  verbOf,
} from "./words";

function paint(on: boolean, code: number, text: string): string {
  return on ? `\u001b[${code}m${text}\u001b[0m` : text;
}

/** A step's headline, then each attribute it sets, aligned. */
function stepLines(step: PlanStep, color: boolean): string[] {
  const lines = [`  ${paint(color, COLOR[stepGroup(step)], symbolOf(step))} ${headline(step)}`];
  const width = Math.max(...changesOf(step).map((c) => c.attribute.length), 0);
  for (const c of changesOf(step)) {
    const label = `${c.attribute}:`.padEnd(width + 1);
    lines.push(
      step.action === "create"
        ? `      ${label} ${show(c.to)}`
        : `      ${label} ${show(c.from)} -> ${show(c.to)}`,
    );
  }
  return lines;
}

/** The plan as `ram-scim plan` prints it. */
export function planText(plan: Plan, color: boolean): string {
  const lines: string[] = [];
  const problems = plan.errors.map((e) => `  ${paint(color, 31, "✗")} ${e.message}`);
  if (plan.steps.length > 0) {
    lines.push(`ram-scim will make these changes in RAM for owner "${plan.owner}":`, "");
    for (const step of plan.steps) lines.push(...stepLines(step, color));
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

/** The result as `ram-scim apply` prints it. */
export function resultText(result: ApplyResult, color: boolean): string {
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
  const s = outcomeCounts(result);
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
