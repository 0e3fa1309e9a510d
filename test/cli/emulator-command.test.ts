import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { join } from "node:path";
import { ramScimWhileUp } from "../helpers/cli";

/** Runs the CLI in-process; `stopWhen` ends a long-running command once output shows up. */
const cli = (args: string[], stopWhen?: (out: string) => Promise<void>) =>
  ramScimWhileUp(args, stopWhen);

describe("ram-scim emulator", () => {
  const dir = mkdtempSync(join(tmpdir(), "ram-scim-cli-"));

  it("prints the URLs and credentials, serves SCIM with the switches given, and stops on a signal", async () => {
    const seed = join(dir, "seed.json");
    writeFileSync(seed, JSON.stringify([{ userName: "Seeded.User", displayName: "Seeded" }]));
    const secretFile = join(dir, "secret");
    writeFileSync(secretFile, "emulator-secret\n");
    let listed: unknown;
    const { code, out } = await cli(
      [
        "emulator",
        "--port",
        "0",
        "--seed",
        seed,
        "--client-id",
        "123",
        "--client-secret-file",
        secretFile,
        "--user-name-format",
        "principal",
        "--account-alias",
        "acme",
      ],
      async (text) => {
        const url = /SCIM base URL\s+(\S+)/.exec(text)?.[1] as string;
        const tokenRes = await fetch(
          `${url}/v1/token?grant_type=client_credentials&client_id=123`,
          {
            method: "POST",
            headers: {
              Authorization: `Basic ${Buffer.from("123:emulator-secret").toString("base64")}`,
            },
          },
        );
        const { access_token } = (await tokenRes.json()) as { access_token: string };
        listed = await (
          await fetch(`${url}/Users`, { headers: { Authorization: `Bearer ${access_token}` } })
        ).json();
      },
    );
    expect(code).toBe(0);
    expect(out).toContain("export RAM_SCIM_CLIENT_ID=123");
    // The banner names the secret's file; the value itself is never printed.
    expect(out).toContain(`export RAM_SCIM_CLIENT_SECRET_FILE=${secretFile}`);
    expect(out).not.toContain("emulator-secret");
    expect(out).toContain("ram-scim emulator stopped");
    expect(listed).toMatchObject({
      totalResults: 1,
      Resources: [{ userName: "Seeded.User@acme.onaliyun.com" }],
    });
  });

  it.each([
    [["emulator", "--port", "http"], "--port must be a whole number from 0 to 65535"],
    [
      ["emulator", "--transient-error-rate", "10"],
      "--transient-error-rate must be a share from 0 to 1",
    ],
    [["emulator", "--latency", "80-20"], "--latency takes milliseconds"],
    [["emulator", "--user-name-format", "upn"], "Allowed choices are bare, principal"],
    [
      ["emulator", "--seed", "/nonexistent/seed.json"],
      "--seed /nonexistent/seed.json:1:1: cannot read it: no such file",
    ],
    [["emulator", "--nope"], "unknown option '--nope'"],
  ])("refuses %j with a clear message and no stack trace", async (args, message) => {
    const { code, err } = await cli(args);
    expect(code).toBe(1);
    expect(err).toContain(message);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it("says which seed entry is wrong", async () => {
    const seed = join(dir, "bad-seed.json");
    writeFileSync(seed, JSON.stringify([{ userName: "ok" }, { displayName: "nameless" }]));
    const { code, err } = await cli(["emulator", "--seed", seed]);
    expect(code).toBe(1);
    expect(err).toContain(`--seed ${seed}: user #2 has no "userName" string`);
  });

  it("explains a port in use", async () => {
    const blocker = createServer().listen(0, "127.0.0.1");
    await new Promise((r) => blocker.once("listening", r));
    const port = (blocker.address() as { port: number }).port;
    const { code, err } = await cli(["emulator", "--port", String(port)]);
    blocker.close();
    expect(code).toBe(1);
    expect(err).toContain(`port ${port} on 127.0.0.1 is in use`);
  });
});

describe("ram-scim demo", () => {
  it("plans and applies the example file against the in-process emulator, then plans nothing", async () => {
    const { code, out, err } = await cli(["demo"]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toMatch(/created application scim-sync: AppId \(client id\) \d{19}/);
    expect(out).toContain("granted /acs/scim to application");
    expect(out).toContain("Plan: 2 to create, 2 to update, 1 to adopt, 1 to delete, 0 unchanged.");
    expect(out).toContain("Apply complete: 6 done, 0 failed, 0 skipped.");
    expect(out).toContain(
      'No changes. RAM matches the user set of owner "platform" (5 unchanged).',
    );
  });

  it("--emulator-seed gives the embedded emulator users and groups, so a groups example runs offline", async () => {
    const users = join(mkdtempSync(join(tmpdir(), "ram-scim-groups-")), "groups.yaml");
    writeFileSync(
      users,
      "owner: platform\nmanagedGroups: [developers, admins]\nforceDelete: [former.staff]\nusers:\n  - userName: alice.zhang\n    key: e1001\n    groups: [developers]\n",
    );
    const seed = join(__dirname, "../../examples/emulator-groups.json");
    const { code, out, err } = await cli(["plan", users, "--emulator-seed", seed]);
    expect([code, err]).toEqual([0, ""]);
    expect(out).toContain("- delete former.staff");
    expect(out).toContain("+ add alice.zhang to group developers");
    const empty = await cli(["plan", users, "--emulator"]);
    expect(empty.code).toBe(1);
    expect(empty.out + empty.err).toContain("managedGroups names groups that do not exist");
  });
});
