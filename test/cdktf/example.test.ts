import { App, Testing } from "cdktf";
import { UsersStack } from "../../examples/cdktf/main";

describe("examples/cdktf", () => {
  it("synthesizes: the RAM group and policy, the application chain and the user set", () => {
    const app = new App({ skipValidation: true, outdir: Testing.app().outdir });
    const json = JSON.parse(Testing.synth(new UsersStack(app, "ram-users")));
    expect(Object.keys(json.resource.alicloud_ram_group)).toHaveLength(1);
    expect(Object.keys(json.resource.alicloud_ram_group_policy_attachment)).toHaveLength(1);
    const data = Object.keys(json.resource.terraform_data);
    expect(data.map((k) => k.replace(/_[0-9A-F]{8}$/, ""))).toEqual(
      expect.arrayContaining([
        "scim-sync_application",
        "scim-sync_settings",
        "scim-sync_grant",
        "scim-sync_secret",
        "staff_apply",
      ]),
    );
    expect(json.output.secret_file.value).toBe("${path.root}/.ram-scim/scim-sync.secret");
  });
});
