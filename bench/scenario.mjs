// One measured scenario in a process of its own, so that its peak RSS is its own.
// Usage: node bench/scenario.mjs noop-plan|per-user|apply|pulumi-preview|validate FILE
// (RAM_SCIM_* from the environment; validate reads the file only)
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const {
  ScimClient,
  loadUserSetFile,
  loadUserSets,
  UserSetError,
  plan,
  apply,
} = require("../dist/index.js");

const [scenario, file] = process.argv.slice(2);
const started = performance.now();
let client;
let detail = {};

if (scenario === "validate") {
  // What `ram-scim validate` does: read, parse, check every user; count what it found.
  try {
    detail = { problems: 0, users: loadUserSets([file])[0].users.length };
  } catch (e) {
    if (!(e instanceof UserSetError)) throw e;
    detail = { problems: e.problems.length, messageLines: e.message.split("\n").length };
  }
} else {
  client = new ScimClient();
}
const desired = client ? loadUserSetFile(file) : undefined;

if (scenario === "validate") {
  // measured above
} else if (scenario === "noop-plan") {
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
} else if (scenario === "pulumi-preview") {
  // What Pulumi's provider host runs for a user set with one changed person: the preview's
  // check and diff, then the update (the runtime module the serialized providers call).
  const { providers } = require("../dist/pulumi/runtime/index.js");
  const { readFileSync } = await import("node:fs");
  const userSet = JSON.parse(readFileSync(file, "utf8"));
  const olds = { userSet, owner: userSet.owner, pendingChanges: "" };
  const changed = { ...userSet.users[0], displayName: "Changed in the file" };
  const news = { userSet: { ...userSet, users: [changed, ...userSet.users.slice(1)] } };
  const counted = async () =>
    (await (await fetch(`${process.env.RAM_SCIM_URL}/_emulator/counters`)).json()).total;
  const c0 = await counted();
  const checked = await providers.userSet.check(olds, news);
  const diff = await providers.userSet.diff(`owner:${userSet.owner}`, olds, checked.inputs);
  const c1 = await counted();
  await providers.userSet.update(`owner:${userSet.owner}`, olds, checked.inputs);
  const c2 = await counted();
  detail = {
    previewRequests: c1 - c0,
    updateRequests: c2 - c1,
    pending: checked.inputs.pendingChanges,
    changes: diff.changes,
  };
} else {
  throw new Error(`unknown scenario ${scenario}`);
}

process.stdout.write(
  JSON.stringify({
    ms: performance.now() - started,
    requests: client?.stats.requestsSent ?? 0,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    ...detail,
  }),
);
