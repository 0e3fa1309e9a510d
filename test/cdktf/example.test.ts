import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as cdktf from "cdktf";
import * as cdktn from "cdktn";
import { UsersStack as CdktfStack } from "../../examples/cdktf/main";
import { UsersStack as CdktnStack } from "../../examples/cdktn/main";

/** Each example synthesized by its own engine. */
const examples: [string, () => string][] = [
  [
    "examples/cdktf",
    () => {
      const app = new cdktf.App({ skipValidation: true, outdir: cdktf.Testing.app().outdir });
      return cdktf.Testing.synth(new CdktfStack(app, "ram-users"));
    },
  ],
  [
    "examples/cdktn",
    () => {
      const app = new cdktn.App({ skipValidation: true, outdir: cdktn.Testing.app().outdir });
      return cdktn.Testing.synth(new CdktnStack(app, "ram-users"));
    },
  ],
];

/** The parts of the synthesized stack the test reads. */
interface Synthesized {
  resource: {
    alicloud_ram_group: object;
    alicloud_ram_group_policy_attachment: object;
    terraform_data: object;
  };
  terraform: { required_providers: { alicloud: { version?: string } } };
  output: { secret_file: { value: unknown } };
}

describe.each(examples)("%s", (_name, synth) => {
  it("synthesizes: the RAM group and policy, the application chain and the user set", () => {
    const json = JSON.parse(synth()) as Synthesized;
    expect(Object.keys(json.resource.alicloud_ram_group)).toHaveLength(1);
    expect(Object.keys(json.resource.alicloud_ram_group_policy_attachment)).toHaveLength(1);
    expect(json.terraform.required_providers.alicloud.version).toBeDefined();
    const data = Object.keys(json.resource.terraform_data);
    expect(data.map((k) => k.replace(/_[0-9A-F]{8}$/, "")).sort()).toEqual([
      "scim-sync_application",
      "scim-sync_ensure",
      "scim-sync_grant",
      "scim-sync_secret",
      "staff_apply",
    ]);
    expect(json.output.secret_file.value).toBe(".ram-scim/scim-sync.secret");
  });
});

it("examples/cdktn is examples/cdktf with the other engine's names, nothing else", () => {
  const code = (engine: string) => {
    const text = readFileSync(join(__dirname, "../../examples", engine, "main.ts"), "utf8");
    return text.slice(text.indexOf("import")).replaceAll(engine, "ENGINE");
  };
  expect(code("cdktn")).toBe(code("cdktf"));
});
