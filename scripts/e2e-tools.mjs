// Installs the engines' CLIs for the end-to-end tests from test/e2e/tools' lock file, once per
// lock: `npm test` runs it first. cdktf-cli and cdktn-cli are large (≈800 MB with their
// dependencies) and conflict with this package's own tree, so they live in a tree of their own.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const tools = join(dirname(fileURLToPath(import.meta.url)), "..", "test", "e2e", "tools");
const lock = readFileSync(join(tools, "package-lock.json"));
const digest = createHash("sha256").update(lock).digest("hex");
const stamp = join(tools, "node_modules", ".installed-lock-sha256");
if (existsSync(stamp) && readFileSync(stamp, "utf8") === digest) process.exit(0);

console.log("e2e tools: installing cdktf-cli and cdktn-cli from test/e2e/tools/package-lock.json");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
execFileSync(npm, ["ci", "--no-audit", "--no-fund", "--loglevel=error"], {
  cwd: tools,
  stdio: "inherit",
  env: { ...process.env, NO_UPDATE_NOTIFIER: "1" },
});
writeFileSync(stamp, digest);
