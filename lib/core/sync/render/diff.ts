// How `ram-scim diff` prints what a pull request changes in the declared people.
import type { DeclaredUser } from "../../users/types";
import { diffSummary, type OwnerDiff, type UserChange } from "../diff";
import { JSON_FORMAT_VERSION } from "./json";
import { markdownTable } from "./markdown";
import { show } from "./words";

function describeJoiner(u: DeclaredUser): string {
  const parts = [
    u.displayName !== undefined ? `displayName ${JSON.stringify(u.displayName)}` : "",
    u.groups.length > 0 ? `groups ${u.groups.join(", ")}` : "",
  ].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join("; ")})` : "";
}

function describeChange(c: UserChange): string {
  return (
    c.changes
      // A field left out is "keep what RAM has", not an empty value: shown as the plan shows it.
      .map((x) => `${x.attribute} ${show(x.from)} → ${show(x.to)}`)
      .join("; ")
  );
}

function diffJson(diffs: readonly OwnerDiff[]) {
  return {
    formatVersion: JSON_FORMAT_VERSION,
    kind: "diff",
    changes: diffs.length > 0,
    summary: diffSummary(diffs),
    owners: diffs.map((d) => ({
      owner: d.owner,
      joiners: d.joiners.map((u) => ({
        userName: u.userName,
        key: u.key,
        ...(u.displayName !== undefined ? { displayName: u.displayName } : {}),
        groups: [...u.groups],
      })),
      changed: d.changed,
      leavers: d.leavers.map((u) => ({ userName: u.userName, key: u.key })),
    })),
  };
}

function diffMarkdown(diffs: readonly OwnerDiff[]): string {
  const lines = ["### ram-scim diff: who joins, changes and leaves", ""];
  if (diffs.length === 0) return `${lines.join("\n")}No change to the declared people.\n`;
  lines.push(
    `**${diffSummary(diffs)}** (from the files alone; the live plan runs after merge)`,
    "",
  );
  for (const d of diffs) {
    const rows = [
      ...d.joiners.map(
        (u) => `| ➕ joins | \`${u.userName}\` | ${describeJoiner(u).replace(/^ \(|\)$/g, "")} |`,
      ),
      ...d.changed.map(
        (c) => `| ✏️ changes | \`${c.userName}\` | ${describeChange(c).replace(/\|/g, "\\|")} |`,
      ),
      ...d.leavers.map((u) => `| ➖ leaves | \`${u.userName}\` | |`),
    ];
    lines.push(`#### owner \`${d.owner}\``, "");
    for (const row of markdownTable("details", rows, "people")) lines.push(row);
    lines.push("");
  }
  return `${lines.join("\n")}`;
}

function diffText(diffs: readonly OwnerDiff[]): string {
  if (diffs.length === 0) return "No change to the declared people.\n";
  const lines: string[] = [];
  for (const d of diffs) {
    lines.push(`owner ${d.owner}:`);
    for (const u of d.joiners) lines.push(`  + ${u.userName} joins${describeJoiner(u)}`);
    for (const c of d.changed)
      lines.push(`  ~ ${c.userName}: ${describeChange(c).replace(/→/g, "->")}`);
    for (const u of d.leavers) lines.push(`  - ${u.userName} leaves`);
  }
  lines.push("", `${diffSummary(diffs)}.`);
  return `${lines.join("\n")}\n`;
}

/** The joiners, changes and leavers as `ram-scim diff` prints them in each format. */
export function renderDiff(
  diffs: readonly OwnerDiff[],
  format: "text" | "markdown" | "json",
): string {
  if (format === "json") return `${JSON.stringify(diffJson(diffs), null, 2)}\n`;
  if (format === "markdown") return diffMarkdown(diffs);
  return diffText(diffs);
}
