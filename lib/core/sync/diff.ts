import { sameUserName } from "../users/names";
import type { DeclaredUser, UserSet } from "../users/types";

/** One person's change between two versions of the files, matched by owner and key. */
export interface UserChange {
  readonly key: string;
  readonly userName: string;
  readonly changes: readonly {
    attribute: "userName" | "displayName" | "groups";
    from?: string;
    to?: string;
  }[];
}

export interface OwnerDiff {
  readonly owner: string;
  readonly joiners: readonly DeclaredUser[];
  readonly changed: readonly UserChange[];
  readonly leavers: readonly DeclaredUser[];
}

/**
 * What a pull request changes in the declared people: joiners, changes and leavers per owner,
 * from two versions of the files alone — no call to RAM, so it needs no credentials.
 */
export function diffUserSets(base: readonly UserSet[], head: readonly UserSet[]): OwnerDiff[] {
  const owners = [...new Set([...base.map((s) => s.owner), ...head.map((s) => s.owner)])].sort();
  return owners
    .map((owner) => {
      const before = new Map(
        (base.find((s) => s.owner === owner)?.users ?? []).map((u) => [u.key, u]),
      );
      const after = new Map(
        (head.find((s) => s.owner === owner)?.users ?? []).map((u) => [u.key, u]),
      );
      const joiners = [...after.values()].filter((u) => !before.has(u.key));
      const leavers = [...before.values()].filter((u) => !after.has(u.key));
      const changed: UserChange[] = [];
      for (const [key, now] of after) {
        const was = before.get(key);
        if (!was) continue;
        const changes: UserChange["changes"][number][] = [];
        if (!sameUserName(was.userName, now.userName))
          changes.push({ attribute: "userName", from: was.userName, to: now.userName });
        if (was.displayName !== now.displayName)
          changes.push({
            attribute: "displayName",
            ...(was.displayName !== undefined ? { from: was.displayName } : {}),
            ...(now.displayName !== undefined ? { to: now.displayName } : {}),
          });
        const groups = (u: DeclaredUser) => [...u.groups].sort().join(", ");
        if (groups(was) !== groups(now))
          changes.push({ attribute: "groups", from: groups(was), to: groups(now) });
        if (changes.length > 0) changed.push({ key, userName: now.userName, changes });
      }
      return { owner, joiners, changed, leavers };
    })
    .filter((d) => d.joiners.length + d.changed.length + d.leavers.length > 0);
}

const COLLAPSE_AFTER = 20;

function describeJoiner(u: DeclaredUser): string {
  const parts = [
    u.displayName !== undefined ? `displayName ${JSON.stringify(u.displayName)}` : "",
    u.groups.length > 0 ? `groups ${u.groups.join(", ")}` : "",
  ].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join("; ")})` : "";
}

function shown(value: string | undefined): string {
  return value === undefined ? "(none)" : JSON.stringify(value);
}

function describeChange(c: UserChange): string {
  return (
    c.changes
      // A field left out is "keep what RAM has", not an empty value: shown as the plan shows it.
      .map((x) => `${x.attribute} ${shown(x.from)} → ${shown(x.to)}`)
      .join("; ")
  );
}

/** "2 join, 1 change, 1 leaves" */
export function diffSummary(diffs: readonly OwnerDiff[]): string {
  const count = (f: (d: OwnerDiff) => number) => diffs.reduce((n, d) => n + f(d), 0);
  return `${count((d) => d.joiners.length)} join, ${count((d) => d.changed.length)} change, ${count((d) => d.leavers.length)} leave`;
}

export function renderDiff(
  diffs: readonly OwnerDiff[],
  format: "text" | "markdown" | "json",
): string {
  if (format === "json")
    return `${JSON.stringify(
      {
        formatVersion: 1,
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
      },
      null,
      2,
    )}\n`;
  if (format === "markdown") {
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
      const table = ["| | user | details |", "|---|---|---|", ...rows];
      lines.push(`#### owner \`${d.owner}\``, "");
      if (rows.length > COLLAPSE_AFTER)
        lines.push(
          `<details><summary>${rows.length} people</summary>`,
          "",
          ...table,
          "",
          "</details>",
          "",
        );
      else {
        for (const row of table) lines.push(row);
        lines.push("");
      }
    }
    return `${lines.join("\n")}`;
  }
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
