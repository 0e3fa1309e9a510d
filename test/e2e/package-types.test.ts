import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import {
  consumerProject,
  ok,
  pack,
  PULUMI_TEMPLATE_TSCONFIG,
  REPO,
  scratch,
  sh,
  tool,
} from "./helpers";

/** What Pulumi's TypeScript template wrote before 2026-03 (node10) and since (nodenext). */
const PULUMI_TEMPLATE = PULUMI_TEMPLATE_TSCONFIG;

/** A program using every public entry point; the cdktf ones each with its own engine. */
const CONSUMER = `
import { defineUserSet, plan, ScimClient, type UserSet } from "alicloud-ram-scim";
import { startEmulator, type RamEmulator } from "alicloud-ram-scim/emulator";
import * as forPulumi from "alicloud-ram-scim/pulumi";
import { configure, providers } from "alicloud-ram-scim/pulumi-runtime";
import * as cdktf from "cdktf";
import * as cdktn from "cdktn";
import * as forCdktf from "alicloud-ram-scim/cdktf";
import * as forCdktn from "alicloud-ram-scim/cdktn";

const users = forCdktf.UserSet.define({ owner: "platform", users: [{ userName: "alice" }] });
const a = new cdktf.TerraformStack(new cdktf.App(), "a");
const app: forCdktf.RamScimApplication = new forCdktf.RamScimApplication(a, "app", {
  displayName: "SCIM",
});
export const sync = new forCdktf.RamScimUserSync(a, "users", { users, application: app });
const b = new cdktn.TerraformStack(new cdktn.App(), "b");
const props: forCdktn.RamScimUserSyncProps = { users, clientId: "1", reconcile: "on-change" };
export const other = new forCdktn.RamScimUserSync(b, "users", props);
const set: UserSet = defineUserSet({ owner: "o", users: [{ userName: "bob" }] });
export const planned = plan(set, []);
export const emulated: Promise<RamEmulator> = startEmulator({ port: 0 });
export const client = ScimClient;
export const component: typeof forPulumi.RamScimUserSet = forPulumi.RamScimUserSet;
export const runtime = [configure, providers.userSet.check];
`;

describe("the package as users get it: npm pack, installed in a scratch project", () => {
  let project: string;
  const configs: Record<string, Record<string, unknown>> = {};
  beforeAll(async () => {
    project = await consumerProject("ram-scim-types-", [
      "cdktf@0.21.0",
      "cdktn@0.24.0",
      "constructs@~10.7.2",
      "@pulumi/pulumi@3.248.0",
      "typescript@~5.9.3",
      "@types/node@^20",
    ]);
    writeFileSync(join(project, "consumer.ts"), CONSUMER);
    const template = (cli: string) =>
      (
        JSON.parse(
          readFileSync(tool(`${cli}/bundle/templates/typescript/tsconfig.json`), "utf8"),
        ) as { compilerOptions: Record<string, unknown> }
      ).compilerOptions;
    Object.assign(configs, {
      "cdktf init (module CommonJS, node10)": template("cdktf-cli"),
      "cdktn init (module CommonJS, node10)": template("cdktn-cli"),
      "Pulumi until 2026-03 (node10, no skipLibCheck)": {
        ...PULUMI_TEMPLATE,
        module: "commonjs",
        moduleResolution: "node",
      },
      "Pulumi since 2026-03 (nodenext, no skipLibCheck)": {
        ...PULUMI_TEMPLATE,
        module: "nodenext",
        moduleResolution: "nodenext",
      },
      node16: { strict: true, module: "node16", moduleResolution: "node16", target: "es2022" },
      bundler: { strict: true, module: "esnext", moduleResolution: "bundler", target: "es2022" },
    });
  }, 600_000);

  it("the templates' settings are what these tests assume", () => {
    expect(configs["cdktf init (module CommonJS, node10)"]).toMatchObject({ module: "CommonJS" });
    expect(configs["cdktf init (module CommonJS, node10)"]).not.toHaveProperty("moduleResolution");
  });

  it.each([
    "cdktf init (module CommonJS, node10)",
    "cdktn init (module CommonJS, node10)",
    "Pulumi until 2026-03 (node10, no skipLibCheck)",
    "Pulumi since 2026-03 (nodenext, no skipLibCheck)",
    "node16",
    "bundler",
  ])(
    "every public entry point type-checks under %s",
    async (name) => {
      const file = join(project, `tsconfig.${name.replace(/\W+/g, "-")}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          compilerOptions: { ...configs[name], noEmit: true, incremental: false },
          files: ["consumer.ts"],
        }),
      );
      const run = await sh(join(project, "node_modules", ".bin", "tsc"), ["-p", file], {
        cwd: project,
        env: process.env,
      });
      expect([run.code, run.out]).toEqual([0, ""]);
    },
    120_000,
  );

  it("its CLI runs from the project with no terminal: --version, and the demo", async () => {
    const env = { ...process.env, CI: "true" };
    const version = await sh("npx", ["--no-install", "ram-scim", "--version"], {
      cwd: project,
      env,
    });
    expect(ok(version, "ram-scim --version").trim()).toBe(
      (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version,
    );
    const demo = ok(
      await sh("npx", ["--no-install", "ram-scim", "demo"], { cwd: project, env }),
      "demo",
    );
    expect(demo).toContain("Apply complete");
    expect(demo).toContain("No changes.");
  }, 120_000);

  it("holds every file the README and the shipped examples name", () => {
    const installed = join(project, "node_modules", "alicloud-ram-scim");
    const readme = readFileSync(join(installed, "README.md"), "utf8");
    // Paths of the package itself the README names (source folders excepted: they are the
    // repository's, and the README says so).
    const named = [...readme.matchAll(/(?<![\w/.-])((?:examples|docs|dist)\/[\w./-]*[\w])/g)].map(
      (m) => m[1] as string,
    );
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((p) => !existsSync(join(installed, p)))).toEqual([]);
    // Schemas the shipped examples point editors at, relative to each example file.
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((e) =>
        statSync(join(dir, e)).isDirectory() ? files(join(dir, e)) : [join(dir, e)],
      );
    const schemaRefs = files(join(installed, "examples")).flatMap((f) =>
      [...readFileSync(f, "utf8").matchAll(/\$schema=(\S+)/g)].map((m) =>
        join(dirname(f), m[1] as string),
      ),
    );
    expect(schemaRefs.length).toBeGreaterThan(3);
    expect(schemaRefs.filter((p) => !existsSync(p)).map((p) => relative(installed, p))).toEqual([]);
    for (const file of [
      "LICENSE",
      "CHANGELOG.md",
      "dist/core/sync/json-output.schema.json",
      "docs/json-output.md",
    ])
      expect(existsSync(join(installed, file))).toBe(true);
  });

  it("examples/gitops installs as its README says, then validates and plans offline", async () => {
    // GIVEN the example copied out of the installed package, as its README starts
    const repo = join(scratch("ram-scim-gitops-"), "my-ram-users");
    cpSync(join(project, "node_modules", "alicloud-ram-scim", "examples", "gitops"), repo, {
      recursive: true,
    });
    const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies["alicloud-ram-scim"]).toMatch(/^\^0\./);
    const env = { ...process.env, CI: "true" };
    const run = (command: string, args: string[], cwd = repo) =>
      sh(command, args, { cwd, env, timeoutMs: 300_000 });
    // WHEN its README's steps run: the ignore file, the tarball kept in vendor/ (until the
    // package is on the registry), npm install
    renameSync(join(repo, "gitignore"), join(repo, ".gitignore"));
    mkdirSync(join(repo, "vendor"));
    const tarball = pack();
    cpSync(tarball, join(repo, "vendor", basename(tarball)));
    ok(await run("git", ["init", "-q"]), "git init");
    ok(
      await run("npm", ["install", "--no-audit", "--no-fund", `./vendor/${basename(tarball)}`]),
      "npm install",
    );
    // THEN git would commit the lock and the tarball but not node_modules, a checkout of it
    // elsewhere (the pipeline's) installs with npm ci, and the pipeline's commands work there
    const status = ok(
      await run("git", ["status", "--porcelain", "--untracked-files=all"]),
      "git status",
    );
    expect(status).toContain("package-lock.json");
    expect(status).toContain(`vendor/${basename(tarball)}`);
    expect(status).not.toContain("node_modules");
    const checkout = join(scratch("ram-scim-gitops-ci-"), "checkout");
    cpSync(repo, checkout, { recursive: true, filter: (from) => !from.includes("node_modules") });
    ok(await run("npm", ["ci", "--no-audit", "--no-fund"], checkout), "npm ci");
    expect(ok(await run("npm", ["run", "--silent", "validate"], checkout), "validate")).toContain(
      "ok (owner platform",
    );
    const plan = ok(
      await run("npx", ["--no-install", "ram-scim", "plan", "users", "--emulator"], checkout),
      "plan",
    );
    expect(plan).toContain("+ create alice.zhang");
  }, 600_000);
});
