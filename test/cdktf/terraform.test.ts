import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
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
const REPO = join(__dirname, "..", "..");

/** terraform 1.x on PATH; these tests fail without it (they never pass silently). */
beforeAll(async () => {
  await run("terraform", ["version"]).catch(() => {
    throw new Error("terraform is not on PATH: the real terraform runs of the constructs need it");
  });
});

/**
 * A cdktf project folder as a user has it: the package in node_modules (linked to this build),
 * `cdktf synth` run from the folder, terraform run in cdktf.out/stacks/users with its state there.
 */
class Project {
  readonly dir: string;
  readonly outputs: string[] = [];
  private build: ((stack: TerraformStack) => void) | undefined;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    dir?: string,
  ) {
    this.dir = dir ?? realpathSync(mkdtempSync(join(tmpdir(), "ram-scim-tf-")));
    if (!dir) {
      mkdirSync(join(this.dir, "node_modules"));
      symlinkSync(REPO, join(this.dir, "node_modules", "alicloud-ram-scim"));
    }
  }

  get stackDir(): string {
    return join(this.dir, "cdktf.out", "stacks", "users");
  }

  synth(build: (stack: TerraformStack) => void = this.build!): void {
    this.build = build;
    const cwd = process.cwd();
    process.chdir(this.dir); // as `cdktf synth` runs the app
    try {
      const app = new App({ outdir: join(this.dir, "cdktf.out"), skipValidation: true });
      const stack = new TerraformStack(app, "users");
      new LocalBackend(stack, { path: "terraform.tfstate" });
      build(stack);
      app.synth();
    } finally {
      process.chdir(cwd);
    }
  }

  /** The same project in another folder (another runner, a teammate), synthesized there. */
  copy(): Project {
    const to = realpathSync(mkdtempSync(join(tmpdir(), "ram-scim-tf-moved-")));
    cpSync(this.dir, to, { recursive: true, verbatimSymlinks: true });
    rmSync(join(to, "cdktf.out", "stacks", "users", "cdk.tf.json"));
    rmSync(join(to, "cdktf.out", "stacks", "users", ".terraform"), { recursive: true });
    const moved = new Project(this.env, to);
    moved.synth(this.build);
    return moved;
  }

  /** Runs terraform in the stack's folder; resolves with its exit code and output. */
  async tf(...args: string[]): Promise<{ code: number; out: string }> {
    const env = {
      ...process.env,
      ...this.env,
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      TF_CLI_CONFIG_FILE: "/dev/null",
    };
    const opts = { cwd: this.stackDir, env, maxBuffer: 16 * 1024 * 1024 };
    try {
      const r = await run("terraform", [...args, "-no-color"], opts);
      this.outputs.push(r.stdout + r.stderr);
      return { code: 0, out: r.stdout + r.stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      this.outputs.push(err.stdout + err.stderr);
      return { code: err.code, out: err.stdout + err.stderr };
    }
  }

  async plan(): Promise<{ code: number; out: string }> {
    return this.tf("plan", "-detailed-exitcode", "-input=false");
  }

  async apply(): Promise<string> {
    const r = await this.tf("apply", "-auto-approve", "-input=false");
    expect([r.code, r.code === 0 ? "" : r.out]).toEqual([0, ""]);
    return r.out;
  }

  /**
   * plantimestamp() has whole seconds: waits, only if need be, until the clock has left the
   * second of the last applied plan (read from the state), so that the next plan's differs.
   */
  async pastLastPlanSecond(): Promise<void> {
    const state = readFileSync(join(this.stackDir, "terraform.tfstate"), "utf8");
    const stamps = [...state.matchAll(/"every_apply":\s*"(\d{4}-\d\d-\d\dT[^"]+)"/g)].map((m) =>
      Date.parse(m[1] as string),
    );
    expect(stamps.length).toBeGreaterThan(0);
    expect(stamps.every((t) => Number.isFinite(t))).toBe(true);
    const next = Math.max(...stamps) + 1000;
    while (Date.now() < next)
      await new Promise((resolve) => setTimeout(resolve, next - Date.now()));
  }
}

describe("a real terraform run of synthesized stacks, against the emulator", () => {
  let emulator: RamEmulator;
  beforeEach(async () => {
    emulator = await withEmulator({
      clients: [{ clientId: "9200", clientSecret: SECRET }],
      accessKeys: [{ accessKeyId: "LTAIterraform", accessKeySecret: AK_SECRET }],
      seedUsers: [{ userName: "console.admin" }],
    });
  });
  afterEach(() => emulator.close());

  const team = (...people: [string, string][]): UserSetInput =>
    UserSet.define({
      owner: "tf",
      users: people.map(([userName, displayName]) => ({ userName, displayName })),
    });
  const names = () =>
    emulator.directory
      .all()
      .map((u) => `${u.userName}${u.displayName ? `=${u.displayName}` : ""}`)
      .sort();
  const consoleEdit = async (userName: string, displayName: string) => {
    const client = clientFor(emulator, { clientId: "9200", clientSecret: SECRET });
    const user = await client.findUser({ externalId: `tf:${userName}` });
    await client.replaceUser(user!.id, { userName, displayName, externalId: `tf:${userName}` });
  };

  it("bring-your-own credentials: plans name each person, escaped data reaches RAM as written, the project moves", async () => {
    const project = new Project({ TF_VAR_client_secret: SECRET });
    const sync = (users: UserSetInput, extra: Partial<RamScimUserSyncProps> = {}) =>
      project.synth((stack) => {
        const secret = new TerraformVariable(stack, "client_secret", {
          type: "string",
          sensitive: true,
        });
        secret.addOverride("ephemeral", true);
        new RamScimUserSync(stack, "staff", {
          users,
          clientId: "9200",
          clientSecret: secret.stringValue,
          scimUrl: emulator.scimUrl,
          tokenUrl: emulator.tokenUrl,
          reconcile: "on-change",
          ...extra,
        });
      });

    // A display name Terraform would evaluate if it were not escaped.
    sync(team(["alice", "Alice"], ["bob", "Bob"], ["eve", '${file("/etc/hostname")}']));
    expect((await project.tf("init", "-input=false")).code).toBe(0);
    expect((await project.plan()).code).toBe(2);
    const first = await project.apply();
    // Terraform hides a provisioner's output when its config holds a sensitive value.
    expect(first).toContain("(output suppressed due to sensitive, ephemeral value in config)");
    expect(names()).toEqual([
      "alice=Alice",
      "bob=Bob",
      "console.admin",
      'eve=${file("/etc/hostname")}',
    ]);
    expect((await project.plan()).code).toBe(0);

    // Edit the set: a joiner, a leaver and a new display name, each named in the plan.
    sync(team(["alice", "Alice Zhang"], ["carol", "Carol"], ["eve", '${file("/etc/hostname")}']));
    const edited = await project.tf(
      "plan",
      "-detailed-exitcode",
      "-input=false",
      "-out=saved.plan",
    );
    expect(edited.code).toBe(2);
    // The secret variable is ephemeral: the saved plan (what cdktf diff leaves) does not hold it.
    const saved = await project.tf("show", "-json", "saved.plan");
    expect([saved.code, saved.out]).toEqual([0, expect.stringContaining('"alice"')]);
    expect(edited.out).toMatch(/~ alice\s+=\s+\{\s+~ displayName = "Alice" -> "Alice Zhang"/);
    expect(edited.out).toMatch(/- bob\s+=\s+\{\s+- displayName = "Bob"/);
    expect(edited.out).toMatch(/\+ carol\s+=\s+\{\s+\+ displayName = "Carol"/);
    await project.apply();
    expect(names()).toEqual([
      "alice=Alice Zhang",
      "carol=Carol",
      "console.admin",
      'eve=${file("/etc/hostname")}',
    ]);
    expect((await project.plan()).code).toBe(0);

    // The project in another folder plans no changes and keeps working.
    const moved = project.copy();
    expect((await moved.tf("init", "-input=false")).code).toBe(0);
    const there = await moved.plan();
    expect([there.code, there.out]).toEqual([0, expect.stringContaining("No changes.")]);

    // Drift in RAM: invisible to on-change; the default, every-apply, corrects it.
    await consoleEdit("carol", "Changed by hand");
    expect((await moved.plan()).code).toBe(0);
    moved.synth((stack) => {
      const secret = new TerraformVariable(stack, "client_secret", {
        type: "string",
        sensitive: true,
      });
      secret.addOverride("ephemeral", true);
      new RamScimUserSync(stack, "staff", {
        users: team(["alice", "Alice Zhang"], ["carol", "Carol"], ["eve", "Eve"]),
        clientId: "9200",
        clientSecret: secret.stringValue,
        scimUrl: emulator.scimUrl,
        tokenUrl: emulator.tokenUrl,
      });
    });
    await moved.apply();
    expect(names()).toEqual(["alice=Alice Zhang", "carol=Carol", "console.admin", "eve=Eve"]);
    await consoleEdit("carol", "Changed again");
    await moved.pastLastPlanSecond();
    await moved.apply(); // nothing declared changed: every deploy puts RAM back in step
    expect(names()).toContain("carol=Carol");

    // Destroy leaves the people in RAM.
    expect((await moved.tf("destroy", "-auto-approve", "-input=false")).code).toBe(0);
    expect(names()).toEqual(["alice=Alice Zhang", "carol=Carol", "console.admin", "eve=Eve"]);
    for (const out of [...project.outputs, ...moved.outputs]) expect(out).not.toContain(SECRET);
    for (const state of [project, moved].map((p) => join(p.stackDir, "terraform.tfstate")))
      expect(readFileSync(state, "utf8")).not.toMatch(/"\/(tmp|work|root|home)\//);
  }, 180_000);

  it("the application path: app, grant, secret file in the project, users; re-made when deleted outside; destroy removes them when asked", async () => {
    const env = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIterraform",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: AK_SECRET,
      // Inherited settings of another application must not win over the stack's own.
      RAM_SCIM_CLIENT_ID: "9200",
      RAM_SCIM_CLIENT_SECRET: "not-this-one",
    };
    const project = new Project(env);
    const stack = (users: UserSetInput) => (s: TerraformStack) => {
      const application = new RamScimApplication(s, "scim-sync", {
        displayName: "SCIM sync",
        imsEndpoint: emulator.url,
      });
      new RamScimUserSync(s, "staff", {
        users,
        auditLog: "audit.jsonl",
        application,
        scimUrl: emulator.scimUrl,
        tokenUrl: emulator.tokenUrl,
        deleteUsersOnDestroy: true,
      });
    };
    project.synth(stack(team(["dora", "Dora"])));
    expect((await project.tf("init", "-input=false")).code).toBe(0);
    const applied = await project.apply();
    expect(applied).toContain("Apply complete: 1 done, 0 failed, 0 skipped.");
    const app = () => emulator.applications.all().find((a) => a.AppName === "scim-sync");
    const first = app();
    expect(first).toMatchObject({ provisioned: { scopes: ["/acs/scim"] } });
    expect(first?.secrets).toHaveLength(1);
    expect(names()).toEqual(["console.admin", "dora=Dora"]);
    // The secret and the audit log live in the project, beside cdktf.json; the secret git-ignored.
    const secretFile = join(project.dir, ".ram-scim", "scim-sync.secret");
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(project.dir, ".ram-scim", ".gitignore"), "utf8")).toMatch(/^\*$/m);
    expect(readFileSync(join(project.dir, "audit.jsonl"), "utf8")).toContain(
      '"action":"create","user":"dora","outcome":"done"',
    );
    // `rm -rf cdktf.out` loses the synthesized stack, never the secret.
    expect(existsSync(join(project.dir, "cdktf.out", ".ram-scim"))).toBe(false);

    // Deleted in the console: the next deploy makes it anew, with a grant and a new secret.
    emulator.applications.delete(first!.AppId);
    project.synth(stack(team(["dora", "Dora"], ["emil", "Emil"])));
    const remade = await project.apply();
    expect(remade).toContain("made the application anew: it was missing");
    expect(app()?.AppId).not.toBe(first?.AppId);
    expect(names()).toEqual(["console.admin", "dora=Dora", "emil=Emil"]);

    // Another stack that names the same application is refused, and changes nothing.
    const other = new Project(env);
    other.synth(stack(team(["fred", "Fred"])));
    expect((await other.tf("init", "-input=false")).code).toBe(0);
    const refused = await other.tf("apply", "-auto-approve", "-input=false");
    expect(refused.code).not.toBe(0);
    expect(refused.out).toContain("an application named scim-sync exists already");
    expect(refused.out).toContain("adoptExisting: true");
    expect(names()).toEqual(["console.admin", "dora=Dora", "emil=Emil"]);
    expect(app()?.secrets).toHaveLength(1);

    expect((await project.tf("destroy", "-auto-approve", "-input=false")).code).toBe(0);
    expect(names()).toEqual(["console.admin"]);
    expect(app()).toBeUndefined();
    const value = readFileSync(secretFile, "utf8").trim();
    for (const out of [...project.outputs, ...other.outputs]) {
      expect(out).not.toContain(AK_SECRET);
      expect(out).not.toContain(value);
    }
  }, 180_000);

  it("examples/terraform: the same, written by hand, with no provider download", async () => {
    const project = new Project({});
    for (const file of ["main.tf", "users.yaml"])
      cpSync(join(REPO, "examples/terraform", file), join(project.dir, file));
    writeFileSync(join(project.dir, "scim.secret"), `${SECRET}\n`, { mode: 0o600 });
    const tf = (...args: string[]) =>
      run("terraform", args, {
        cwd: project.dir,
        env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null" },
      }).then(
        (r) => ({ code: 0, out: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({
          code: e.code,
          out: e.stdout + e.stderr,
        }),
      );
    const vars = [
      "-var=every_apply=false",
      "-var=client_id=9200",
      "-var=client_secret_file=scim.secret",
      `-var=scim_url=${emulator.scimUrl}`,
      `-var=token_url=${emulator.tokenUrl}`,
    ];
    expect((await tf("init", "-input=false")).code).toBe(0);
    expect((await tf("validate")).code).toBe(0);
    const applied = await tf("apply", "-auto-approve", "-input=false", ...vars);
    expect([applied.code, applied.out]).toEqual([
      0,
      expect.stringContaining("Apply complete: 2 done, 0 failed, 0 skipped."),
    ]);
    expect(names()).toEqual(["alice.zhang=Alice Zhang", "bob.li=Bob Li", "console.admin"]);
    expect((await tf("plan", "-detailed-exitcode", "-input=false", ...vars)).code).toBe(0);
    // A leaver is named in the plan.
    const file = join(project.dir, "users.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(/ {2}- userName: bob\.li[^]*?key: e1002\n/, ""),
    );
    const plan = await tf("plan", "-detailed-exitcode", "-input=false", "-no-color", ...vars);
    expect(plan.code).toBe(2);
    expect(plan.out).toMatch(/- "bob\.li"\s+= \{\s+- displayName = "Bob Li"/);
    expect(plan.out).not.toContain(SECRET);
  }, 120_000);
});
