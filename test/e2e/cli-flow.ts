import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ScimClient } from "../../lib/core/scim";
import { startEmulator, type RamEmulator } from "../../lib/emulator";
import { ok, pack, REPO, scratch, sh, TOOLS, type Run } from "./helpers";

const AK_ID = "LTAIe2eProjectKey";
const AK_SECRET = "e2e-AccessKey-Secret-never-printed";

/** One engine's CLI as a user runs it: the binary, the Node.js it needs, the example it ships. */
export interface Engine {
  readonly name: "cdktf" | "cdktn";
  /** Path of the CLI in the e2e tools. */
  readonly cli: string;
  /** The node that runs everything (ts-node, npm, the CLI's local-exec commands, our code). */
  readonly node: string;
  /**
   * The node that runs the CLI itself, when it must be the one its native modules were
   * installed for (cdktf-cli's terminal binding); default `node`.
   */
  readonly cliNode?: string;
}

/**
 * The whole life of a project made by `<engine> init --template=typescript`, with this package
 * installed from its tarball and the shipped example copied in, driven by the engine's real CLI
 * against an emulator, with no terminal:
 * init, providers reach `terraform init`, synth, deploy, an edit, diff names the people, deploy,
 * the project moved to another folder plans nothing but the every-apply steps, a deploy there
 * undoes a change made in the console, destroy (people kept).
 */
export function describeCliFlow(engine: Engine): void {
  describe(`the ${engine.name} CLI on a project from \`${engine.name} init\`, the tarball and examples/${engine.name}`, () => {
    let emulator: RamEmulator;
    const outputs: string[] = [];
    beforeAll(async () => {
      emulator = await startEmulator({
        port: 0,
        accessKeys: [{ accessKeyId: AK_ID, accessKeySecret: AK_SECRET }],
        seedUsers: [{ userName: "console.admin" }],
      });
    });
    afterAll(() => emulator?.close());

    const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
      const { NODE_ENV: _test, ...inherited } = process.env;
      return {
        ...inherited,
        PATH: `${dirname(engine.node)}:${join(TOOLS, ".bin")}:${process.env.PATH}`,
        CI: "1",
        CHECKPOINT_DISABLE: "1",
        NO_UPDATE_NOTIFIER: "1",
        TF_CLI_CONFIG_FILE: "/dev/null",
        MANAGE_GROUPS: "false",
        RAM_SCIM_IMS_ENDPOINT: emulator.imsEndpoint,
        RAM_SCIM_URL: emulator.scimUrl,
        RAM_SCIM_TOKEN_URL: emulator.tokenUrl,
        ALIBABA_CLOUD_ACCESS_KEY_ID: AK_ID,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: AK_SECRET,
        // Another application's settings, inherited: the stack's own must win.
        RAM_SCIM_CLIENT_ID: emulator.client.clientId,
        RAM_SCIM_CLIENT_SECRET: emulator.client.clientSecret,
        ...extra,
      };
    };
    const cli = async (
      project: string,
      args: string[],
      extra: NodeJS.ProcessEnv = {},
    ): Promise<Run> => {
      const run = await sh(engine.cliNode ?? engine.node, [engine.cli, ...args], {
        cwd: project,
        env: env(extra),
        timeoutMs: 600_000,
      });
      outputs.push(run.out);
      return run;
    };
    const npm = async (project: string, args: string[]) =>
      ok(
        await sh("npm", [...args, "--no-audit", "--no-fund"], {
          cwd: project,
          env: env(),
          timeoutMs: 600_000,
        }),
        `npm ${args[0]}`,
      );
    const people = () =>
      emulator.directory
        .all()
        .map((u) => `${u.userName}=${u.displayName ?? ""}`)
        .sort();
    const application = () => emulator.applications.all().find((a) => a.AppName === "scim-sync");

    it("init, synth, deploy, diff, deploy, moved, deploy, destroy", async () => {
      // GIVEN a project as `init` makes it, with this package from its tarball
      const project = join(scratch(`ram-scim-${engine.name}-`), "ram-users");
      mkdirSync(project);
      ok(
        await sh(
          engine.cliNode ?? engine.node,
          [
            engine.cli,
            "init",
            "--template=typescript",
            "--local",
            "--project-name=ram-users",
            "--project-description=RAM users",
            "--enable-crash-reporting=false",
          ],
          { cwd: project, env: env(), timeoutMs: 600_000 },
        ),
        `${engine.name} init`,
      );
      // TypeScript 7 (the registry's latest, which the cdktf template takes) breaks ts-node.
      await npm(project, ["install", pack(), "typescript@~5.9.3"]);
      for (const file of ["main.ts", "users.yaml"])
        cpSync(join(REPO, "examples", engine.name, file), join(project, file));
      const tsconfig = JSON.parse(readFileSync(join(project, "tsconfig.json"), "utf8")) as {
        compilerOptions: unknown;
      };
      expect(tsconfig.compilerOptions).toMatchObject({
        module: "CommonJS",
      });
      ok(await sh("git", ["init", "-q"], { cwd: project, env: env() }), "git init");

      // WHEN the stack has the alicloud provider (groups): the CLI's validation passes and
      // terraform init is reached, which then needs the registry, as for any user.
      const groups = await cli(project, ["diff"], { MANAGE_GROUPS: "true" });
      expect(groups.code).not.toBe(0);
      expect(groups.out).not.toMatch(/"version"\],"message":"Required"/);
      expect(groups.out).toMatch(/Finding aliyun\/alicloud versions matching "~> 1\.230"/);
      expect(groups.out).toContain("registry.terraform.io");

      // WHEN synthesized: nothing of this machine's folders in what is persisted
      ok(await cli(project, ["synth"]), `${engine.name} synth`);
      const stack = JSON.parse(
        readFileSync(join(project, "cdktf.out/stacks/ram-users/cdk.tf.json"), "utf8"),
      ) as { resource?: unknown; output?: unknown; data?: unknown };
      const persisted = JSON.stringify({
        resource: stack.resource,
        output: stack.output,
        data: stack.data,
      });
      expect(persisted).not.toContain(project);
      expect(persisted).not.toMatch(/"\/(tmp|root|home|usr|opt|work)\//);

      // WHEN deployed
      ok(await cli(project, ["deploy", "--auto-approve"]), `${engine.name} deploy`);
      const owner = `${engine.name}-example`;
      expect(people()).toEqual(["alice.zhang=Alice Zhang", "bob.li=Bob Li", "console.admin="]);
      expect(emulator.directory.all().find((u) => u.userName === "bob.li")?.externalId).toBe(
        `${owner}:e1002`,
      );
      expect(application()).toMatchObject({ provisioned: { scopes: ["/acs/scim"] } });
      const secretFile = join(project, ".ram-scim", "scim-sync.secret");
      expect(statSync(secretFile).mode & 0o777).toBe(0o600);
      const secret = readFileSync(secretFile, "utf8").trim();
      // The secret is git-ignored; `git add -A` would not take it.
      expect(
        (
          await sh("git", ["check-ignore", "-q", ".ram-scim/scim-sync.secret"], {
            cwd: project,
            env: env(),
          })
        ).code,
      ).toBe(0);
      expect(
        ok(await sh("git", ["status", "--porcelain"], { cwd: project, env: env() }), "git status"),
      ).not.toContain(".ram-scim");

      // WHEN the users file changes: the diff names who joins, changes (old -> new) and leaves
      const file = join(project, "users.yaml");
      writeFileSync(
        file,
        readFileSync(file, "utf8")
          .replace("displayName: Alice Zhang", "displayName: Alice Z. Zhang")
          .replace(
            /userName: bob\.li\n(\s+)displayName: Bob Li\n(\s+)key: e1002/,
            "userName: carol.wu\n$1displayName: Carol Wu\n$2key: e1003",
          ),
      );
      const diff = ok(await cli(project, ["diff"]), `${engine.name} diff`);
      expect(diff).toMatch(
        /~ "alice\.zhang" = \{\s+~ displayName = "Alice Zhang" -> "Alice Z\. Zhang"/,
      );
      expect(diff).toMatch(/- "bob\.li"\s+= \{\s+- displayName = "Bob Li"/);
      expect(diff).toMatch(/\+ "carol\.wu"\s+= \{\s+\+ displayName = "Carol Wu"/);
      // The plan the diff saved holds the secret file's name, never its value.
      const shown = await sh("terraform", ["show", "-json", "plan"], {
        cwd: join(project, "cdktf.out/stacks/ram-users"),
        env: env(),
      });
      expect(ok(shown, "terraform show of the saved plan")).toContain(".ram-scim/scim-sync.secret");
      outputs.push(shown.out);
      ok(await cli(project, ["deploy", "--auto-approve"]), `${engine.name} deploy of the edit`);
      expect(people()).toEqual([
        "alice.zhang=Alice Z. Zhang",
        "carol.wu=Carol Wu",
        "console.admin=",
      ]);

      // WHEN the project moves to another folder (another runner, a teammate) after `npm ci`
      const moved = join(scratch(`ram-scim-${engine.name}-moved-`), "elsewhere");
      cpSync(project, moved, {
        recursive: true,
        filter: (source) => !/\/(node_modules|cdktf\.out)$/.test(source),
      });
      await npm(moved, ["ci"]);
      const there = ok(await cli(moved, ["diff"]), `${engine.name} diff in the moved project`);
      // THEN only the every-apply steps are planned, changed in nothing but their timestamp
      expect(there).toContain("Plan: 2 to add, 0 to change, 2 to destroy.");
      const replaced = [...there.matchAll(/# (terraform_data\.\S+) .*must be replaced/g)].map(
        (m) => m[1],
      );
      expect(replaced.map((r) => r?.replace(/_[0-9A-F]{8}$/, "")).sort()).toEqual([
        "terraform_data.scim-sync_ensure",
        "terraform_data.staff_apply",
      ]);
      const changed = new Set([...there.matchAll(/^\s+~ (\S+)\s+=/gm)].map((m) => m[1]));
      expect([...changed].sort()).toEqual(["every_apply", "id", "triggers_replace"]);

      // WHEN someone changes a person in the console: the next deploy, from there, undoes it
      const app = application()!;
      const scim = new ScimClient({
        env: {},
        clientId: app.AppId,
        clientSecret: secret,
        scimUrl: emulator.scimUrl,
        tokenUrl: emulator.tokenUrl,
      });
      const carol = await scim.findUser({ externalId: `${owner}:e1003` });
      await scim.replaceUser(carol!.id, {
        userName: "carol.wu",
        displayName: "Changed by hand",
        externalId: `${owner}:e1003`,
      });
      ok(
        await cli(moved, ["deploy", "--auto-approve"]),
        `${engine.name} deploy in the moved project`,
      );
      expect(people()).toContain("carol.wu=Carol Wu");

      // WHEN destroyed from there: the application goes, the people stay (the default)
      ok(await cli(moved, ["destroy", "--auto-approve"]), `${engine.name} destroy`);
      expect(application()).toBeUndefined();
      expect(people()).toEqual([
        "alice.zhang=Alice Z. Zhang",
        "carol.wu=Carol Wu",
        "console.admin=",
      ]);

      // AND no output, state or synthesized file held a secret or a folder of this machine
      const persistedFiles = [project, moved].flatMap((dir) =>
        readdirSync(dir)
          .filter((f) => f.endsWith(".tfstate") || f.endsWith(".tfstate.backup"))
          .map((f) => readFileSync(join(dir, f), "utf8")),
      );
      expect(persistedFiles.length).toBeGreaterThanOrEqual(2);
      for (const text of [...outputs, ...persistedFiles]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(AK_SECRET);
        expect(text).not.toContain(emulator.client.clientSecret);
      }
      for (const state of persistedFiles) {
        expect(state).not.toContain(project);
        expect(state).not.toContain(moved);
        expect(state).not.toContain(engine.node);
      }
    }, 1_200_000);
  });
}
