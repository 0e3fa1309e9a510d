// Reads `ram-scim plan --format json` (one document per owner) after the plan exited 3
// (refused by a safety rule) and decides the approval path. Prints, for $GITHUB_OUTPUT or a
// GitLab dotenv file:
//   guard=refused
//   approved=<the largest number of deletes any set asks for>
// The limit applies to every owner in the run, so it covers the sets within their guard too.
// Only the deletion guard can be approved past; any other refusal (ownership, a rename cycle,
// …) must be fixed in the files, so this exits 1 and names it.
import { readFileSync } from "node:fs";

const text = readFileSync(process.argv[2] ?? "plan.json", "utf8");
const plans = text
  .split(/\n(?=\{)/)
  .filter((doc) => doc.trim() !== "")
  .map((doc) => JSON.parse(doc));
const refused = plans.filter((p) => p.status === "refused");
const other = refused.flatMap((p) => p.errors.filter((e) => e.rule !== "deletion-guard"));
if (other.length > 0) {
  for (const e of other) console.error(`ram-scim refused: ${e.message}`);
  process.exit(1);
}
const approved = Math.max(0, ...plans.map((p) => p.guard.deletes));
console.log(`guard=${refused.length > 0 ? "refused" : "ok"}`);
console.log(`approved=${approved}`);
