import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { consumerProject, PULUMI_TEMPLATE_TSCONFIG, sh, tool } from "./helpers";

/** What Pulumi's TypeScript template wrote before 2026-03 (node10) and since (nodenext). */
const PULUMI_TEMPLATE = PULUMI_TEMPLATE_TSCONFIG;

/** A program using both entries, each with its own engine. */
const CONSUMER = `
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
`;

describe("the packed package's types, under the tsconfigs users' templates write", () => {
  let project: string;
  const configs: Record<string, Record<string, unknown>> = {};
  beforeAll(async () => {
    project = await consumerProject("ram-scim-types-", [
      "cdktf@0.21.0",
      "cdktn@0.24.0",
      "constructs@~10.7.2",
      "typescript@~5.9.3",
      "@types/node@^20",
    ]);
    writeFileSync(join(project, "consumer.ts"), CONSUMER);
    const template = (cli: string) =>
      JSON.parse(readFileSync(tool(`${cli}/bundle/templates/typescript/tsconfig.json`), "utf8"))
        .compilerOptions as Record<string, unknown>;
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
    "alicloud-ram-scim/cdktf and /cdktn type-check under %s",
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
});
