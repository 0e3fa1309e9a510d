// One measured scenario in a process of its own, so that its peak RSS is its own.
// Usage: node bench/scenario.mjs noop-plan|per-user|apply FILE   (RAM_SCIM_* from the environment)
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { ScimClient, loadUserSetFile, plan, apply } = require("../dist/index.js");

const [scenario, file] = process.argv.slice(2);
const started = performance.now();
const client = new ScimClient();
const desired = loadUserSetFile(file);
let detail = {};

if (scenario === "noop-plan") {
  const p = plan(desired, await client.listUsers());
  detail = { steps: p.steps.length, unchanged: p.unchanged };
} else if (scenario === "per-user") {
  // What a per-user resource does at refresh: one look-up for each declared person.
  let found = 0;
  await Promise.all(
    desired.users.map(async (u) => {
      if (await client.findUser({ externalId: u.externalId })) found += 1;
    }),
  );
  detail = { found };
} else if (scenario === "apply") {
  const p = plan(desired, await client.listUsers(), { maxDeletes: "100%" });
  const result = await apply(client, p);
  detail = { steps: p.steps.length, ok: result.ok };
} else {
  throw new Error(`unknown scenario ${scenario}`);
}

process.stdout.write(
  JSON.stringify({
    ms: performance.now() - started,
    requests: client.stats.requestsSent,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    ...detail,
  }),
);
