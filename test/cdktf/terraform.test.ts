import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { App, LocalBackend, TerraformStack, TerraformVariable } from "cdktf";
import type { RamEmulator } from "../../lib/emulator";
import {
  RamScimApplication,
  RamScimUserSync,
  UserSet,
  type RamScimUserSyncProps,
} from "../../lib/cdktf";
import type { UserSetInput } from "../../lib";
import { clientFor, withEmulator } from "../helpers/emulator";

const run = promisify(execFile);
const SECRET = "terraform-Secret-never-shown-1234";
const AK_SECRET = "terraform-ak-Secret-5678";

/** terraform 1.x on PATH, or undefined (the tests then say loudly that they are skipped). */
async function terraformVersion(): Promise<string | undefined> {
  try {
    return (await run("terraform", ["version", "-json"])).stdout;
  } catch {
    return undefined;
  }
}

/** A terraform working directory fed with cdktf's synthesized JSON, state kept between runs. */
class TerraformDir {
  readonly dir = mkdtempSync(join(tmpdir(), "ram-scim-tf-"));
  readonly outputs: string[] = [];
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  synth(build: (stack: TerraformStack) => void): void {
    const outdir = mkdtempSync(join(tmpdir(), "ram-scim-synth-"));
    const app = new App({ outdir, skipValidation: true });
    const stack = new TerraformStack(app, "users");
    new LocalBackend(stack, { path: "terraform.tfstate" });
    build(stack);
    app.synth();
    copyFileSync(join(outdir, "stacks", "users", "cdk.tf.json"), join(this.dir, "cdk.tf.json"));
  }

  /** Runs terraform; resolves with its exit code and output (kept for the secret check). */
  async tf(...args: string[]): Promise<{ code: number; out: string }> {
    const env = {
      ...process.env,
      ...this.env,
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      TF_CLI_CONFIG_FILE: "/dev/null",
    };
    try {
      const r = await run("terraform", [...args, "-no-color"], {
        cwd: this.dir,
        env,
        maxBuffer: 16 * 1024 * 1024,
      });
      this.outputs.push(r.stdout + r.stderr);
      return { code: 0, out: r.stdout + r.stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      this.outputs.push(err.stdout + err.stderr);
      return { code: err.code, out: err.stdout + err.stderr };
    }
  }
}

describe("a real terraform run of synthesized stacks, against the emulator", () => {
  let emulator: RamEmulator;
  let version: string | undefined;
  beforeAll(async () => {
    version = await terraformVersion();
    if (!version)
      console.warn(
        "SKIPPED: terraform is not on PATH, so the real terraform runs of the cdktf constructs did not run",
      );
  });
  beforeEach(async () => {
    emulator = await withEmulator({
      clients: [{ clientId: "9200", clientSecret: SECRET }],
      accessKeys: [{ accessKeyId: "LTAIterraform", accessKeySecret: AK_SECRET }],
      seedUsers: [{ userName: "console.admin" }],
    });
  });
  afterEach(() => emulator.close());

  const team = (...names: string[]): UserSetInput =>
    UserSet.define({
      owner: "tf",
      users: names.map((n) => ({ userName: n, displayName: n.toUpperCase() })),
    });
  const names = () =>
    emulator.directory
      .all()
      .map((u) => `${u.userName}${u.displayName ? `=${u.displayName}` : ""}`)
      .sort();

  it("bring-your-own credentials: apply, edit, converge, drift corrected with every-apply; never shows the secret", async () => {
    if (!version) return;
    const tf = new TerraformDir({ TF_VAR_client_secret: SECRET });
    const sync = (users: UserSetInput, extra: Partial<RamScimUserSyncProps> = {}) =>
      tf.synth((stack) => {
        const secret = new TerraformVariable(stack, "client_secret", {
          type: "string",
          sensitive: true,
        });
        new RamScimUserSync(stack, "staff", {
          users,
          clientId: "9200",
          clientSecret: secret.stringValue,
          scimUrl: emulator.scimUrl,
          tokenUrl: emulator.tokenUrl,
          ...extra,
        });
      });

    sync(team("alice", "bob"));
    expect((await tf.tf("init", "-input=false")).code).toBe(0);
    expect((await tf.tf("plan", "-detailed-exitcode", "-input=false")).code).toBe(2);
    const first = await tf.tf("apply", "-auto-approve", "-input=false");
    expect(first.code).toBe(0);
    // Terraform hides a provisioner's output when its config holds a sensitive value.
    expect(first.out).toContain("(output suppressed due to sensitive value in config)");
    expect(names()).toEqual(["alice=ALICE", "bob=BOB", "console.admin"]);
    expect((await tf.tf("plan", "-detailed-exitcode", "-input=false")).code).toBe(0);

    // Edit the set: a joiner and a leaver.
    sync(team("alice", "carol"));
    expect((await tf.tf("plan", "-detailed-exitcode", "-input=false")).code).toBe(2);
    expect((await tf.tf("apply", "-auto-approve", "-input=false")).code).toBe(0);
    expect(names()).toEqual(["alice=ALICE", "carol=CAROL", "console.admin"]);
    expect((await tf.tf("plan", "-detailed-exitcode", "-input=false")).code).toBe(0);

    // Drift in RAM: invisible to an on-change set, corrected by every-apply.
    const client = clientFor(emulator, { clientId: "9200", clientSecret: SECRET });
    const carol = await client.findUser({ externalId: "tf:carol" });
    await client.replaceUser(carol!.id, {
      userName: "carol",
      displayName: "Changed by hand",
      externalId: "tf:carol",
    });
    expect((await tf.tf("plan", "-detailed-exitcode", "-input=false")).code).toBe(0);
    sync(team("alice", "carol"), { reconcile: "every-apply" });
    expect((await tf.tf("apply", "-auto-approve", "-input=false")).code).toBe(0);
    expect(names()).toContain("carol=CAROL");
    await new Promise((r) => setTimeout(r, 1100)); // plantimestamp() has whole seconds
    expect((await tf.tf("plan", "-detailed-exitcode", "-input=false")).code).toBe(2); // every apply re-runs

    // Destroy leaves the people in RAM.
    expect((await tf.tf("destroy", "-auto-approve", "-input=false")).code).toBe(0);
    expect(names()).toEqual(["alice=ALICE", "carol=CAROL", "console.admin"]);
    for (const out of tf.outputs) expect(out).not.toContain(SECRET);
  }, 120_000);

  it("the application path: app, grant, secret file and users; destroy removes them when asked", async () => {
    if (!version) return;
    const tf = new TerraformDir({
      ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIterraform",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: AK_SECRET,
    });
    tf.synth((stack) => {
      const application = new RamScimApplication(stack, "scim-sync", {
        displayName: "SCIM sync",
        imsEndpoint: emulator.url,
      });
      new RamScimUserSync(stack, "staff", {
        users: team("dora"),
        auditLog: join(tf.dir, "audit.jsonl"),
        application,
        imsEndpoint: emulator.url,
        scimUrl: emulator.scimUrl,
        tokenUrl: emulator.tokenUrl,
        deleteUsersOnDestroy: true,
      });
    });
    expect((await tf.tf("init", "-input=false")).code).toBe(0);
    const applied = await tf.tf("apply", "-auto-approve", "-input=false");
    expect(applied.code).toBe(0);
    expect(applied.out).toContain("Apply complete: 1 done, 0 failed, 0 skipped.");
    const app = emulator.applications.all().find((a) => a.AppName === "scim-sync");
    expect(app).toMatchObject({ provisioned: { scopes: ["/acs/scim"] } });
    expect(app?.secrets).toHaveLength(1);
    expect(names()).toEqual(["console.admin", "dora=DORA"]);
    expect(readFileSync(join(tf.dir, "audit.jsonl"), "utf8")).toContain(
      '"action":"create","user":"dora","outcome":"done"',
    );
    expect((await tf.tf("plan", "-detailed-exitcode", "-input=false")).code).toBe(0);

    expect((await tf.tf("destroy", "-auto-approve", "-input=false")).code).toBe(0);
    expect(names()).toEqual(["console.admin"]);
    expect(emulator.applications.all().map((a) => a.AppName)).not.toContain("scim-sync");
    for (const out of tf.outputs) {
      expect(out).not.toContain(AK_SECRET);
      expect(out).not.toContain(app?.secrets[0]?.AppSecretValue as string);
    }
  }, 120_000);

  it("examples/terraform: the same, written by hand, with no provider download", async () => {
    if (!version) return;
    const tf = new TerraformDir({});
    for (const file of ["main.tf", "users.yaml"])
      copyFileSync(join(__dirname, "../../examples/terraform", file), join(tf.dir, file));
    writeFileSync(join(tf.dir, "scim.secret"), `${SECRET}\n`, { mode: 0o600 });
    const vars = [
      `-var=ram_scim_cli=${join(__dirname, "../../dist/cli/bin.js")}`,
      `-var=node=${process.execPath}`,
      "-var=client_id=9200",
      "-var=client_secret_file=scim.secret",
      `-var=scim_url=${emulator.scimUrl}`,
      `-var=token_url=${emulator.tokenUrl}`,
    ];
    expect((await tf.tf("init", "-input=false")).code).toBe(0);
    expect((await tf.tf("validate")).code).toBe(0);
    const applied = await tf.tf("apply", "-auto-approve", "-input=false", ...vars);
    expect(applied.code).toBe(0);
    expect(applied.out).toContain("Apply complete: 2 done, 0 failed, 0 skipped.");
    expect(names()).toEqual(["alice.zhang=Alice Zhang", "bob.li=Bob Li", "console.admin"]);
    expect((await tf.tf("plan", "-detailed-exitcode", "-input=false", ...vars)).code).toBe(0);
    for (const out of tf.outputs) expect(out).not.toContain(SECRET);
  }, 120_000);
});
