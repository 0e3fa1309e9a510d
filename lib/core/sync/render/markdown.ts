// Markdown, for pull-request comments.
import type { ApplyResult } from "../apply";
import { stepUserName } from "../plan";
import type { Plan } from "../types";
import { outcomeCounts } from "./json";
import { accessWords, changeTexts, summaryLine, symbolOf, verbOf } from "./words";

/** Tables longer than this fold into a `<details>` block, so a comment stays readable. */
const COLLAPSE_AFTER = 20;

/** A table cell's text: pipes escaped, on one line. */
export function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/**
 * A three-column table (`| | user | <third> |`), folded under "N <noun>" when it has more rows
 * than a comment shows at a glance.
 */
export function markdownTable(third: string, rows: readonly string[], noun: string): string[] {
  const table = [`| | user | ${third} |`, "|---|---|---|", ...rows];
  if (rows.length <= COLLAPSE_AFTER) return table;
  return [`<details><summary>${rows.length} ${noun}</summary>`, "", ...table, "", "</details>"];
}

function guardLine(plan: Plan): string {
  const g = plan.guard;
  return g.refused
    ? `⛔ **Deletion guard: refused.** ${g.deletes} deletions, limit ${g.limit} (${g.limitSource}).`
    : `✅ Deletion guard: ${g.deletes} of at most ${g.limit} deletions (${g.limitSource}).`;
}

/** The plan as `plan --format markdown` prints it. */
export function planMarkdown(plan: Plan): string {
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
    lines.push("");
    for (const row of markdownTable("changes", rows, "changes")) lines.push(row);
  }
  if (plan.warnings.length > 0) lines.push("", ...plan.warnings.map((w) => `- ⚠️ ${cell(w)}`));
  return `${lines.join("\n")}\n`;
}

/** The result as `apply --format markdown` prints it. */
export function resultMarkdown(result: ApplyResult): string {
  const lines = [`### ram-scim apply — owner \`${result.owner}\``, ""];
  if (result.refused.length > 0) {
    lines.push(
      "**Apply refused; nothing was changed:**",
      "",
      ...result.refused.map((e) => `- ❌ ${cell(e.message)}`),
    );
    return `${lines.join("\n")}\n`;
  }
  const s = outcomeCounts(result);
  lines.push(
    `**${result.ok ? "✅ Complete" : "❌ Incomplete"}:** ${s.done} done, ${s.failed} failed, ${s.skipped} skipped.`,
    "",
  );
  const icon = { done: "✅", failed: "❌", skipped: "⏭️" } as const;
  const rows = result.outcomes.map(
    (o) =>
      `| ${icon[o.status]} ${verbOf(o.step)} | \`${stepUserName(o.step)}\` | ${cell(accessWords(o.step)?.text ?? o.detail ?? "")} |`,
  );
  // One push per row: a spread of 100,000 rows would overflow the call stack.
  for (const row of markdownTable("changes", rows, "changes")) lines.push(row);
  return `${lines.join("\n")}\n`;
}
