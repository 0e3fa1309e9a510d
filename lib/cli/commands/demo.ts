import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { exampleText } from "../help";
import { ImsClient } from "../../core/ims";
import { emulatorImsOptions } from "../ims-connection";
import { ScimClient } from "../../core/scim";
import { startEmulator, type RamEmulator, type SeedUser } from "../../emulator";
import { wantsColor, type CliIo } from "../io";
import { applyFile, planFor } from "./reconcile";
import { renderPlan } from "../../core/sync";
import { loadUserSetFile } from "../../core/users";

/** The package's own folder: examples/ sits beside lib/ and dist/. */
const PACKAGE_ROOT = join(__dirname, "..", "..", "..");

/**
 * The README's first command: the emulator in-process with users RAM already holds, the plan for
 * examples/users.yaml, the apply, and a second plan that is empty. No credentials, no network.
 */
export function registerDemo(program: Command, io: CliIo, result: { exitCode: number }): void {
  program
    .command("demo")
    .addHelpText("after", exampleText(["ram-scim demo"]))
    .description("plan and apply examples/users.yaml against an in-process RAM emulator (offline)")
    .action(async () => {
      result.exitCode = await runDemo(io);
    });
}

/** The walkthrough; the exit status is the apply's. */
async function runDemo(io: CliIo): Promise<number> {
  const file = join(PACKAGE_ROOT, "examples", "users.yaml");
  const seed = JSON.parse(
    readFileSync(join(PACKAGE_ROOT, "examples", "emulator-seed.json"), "utf8"),
  ) as SeedUser[];
  const emulator = await startEmulator({ port: 0, seedUsers: seed });
  const say = (text = "") => io.stdout(`${text}\n`);
  try {
    say(`RAM emulator on ${emulator.url}, holding ${seed.length} users: a console user,`);
    say("other teams' users, and platform users that examples/users.yaml renames, updates,");
    say("adopts or no longer declares.");
    say();
    const client = await consoleSteps(emulator, say);
    const desired = loadUserSetFile(file);
    const code = await applyFile(desired, { client }, { format: "text", autoApprove: true }, io);
    say();
    say("$ ram-scim plan examples/users.yaml   # again: RAM now matches the file");
    const again = await planFor(desired, { client }, undefined, io);
    io.stdout(renderPlan(again, "text", { color: wantsColor(io) }));
    const counters = emulator.counters();
    say();
    say(
      `The emulator served ${counters.total} requests: ${Object.entries(counters.byRoute)
        .map(([r, n]) => `${r} ×${n}`)
        .join(", ")}.`,
    );
    say(
      "Next: `npm run emulator`, then in another shell its `export` lines and `npx ram-scim plan examples/users.yaml`; or add --emulator to any command (an emulator in-process).",
    );
    return code;
  } finally {
    await emulator.close();
  }
}

/**
 * The console steps, through the official IMS SDK: application, grant, secret, each shown as
 * the command that does it; the SCIM client those credentials give.
 */
async function consoleSteps(
  emulator: RamEmulator,
  say: (text?: string) => void,
): Promise<ScimClient> {
  const ims = new ImsClient(emulatorImsOptions(emulator));
  say('$ ram-scim app create --name scim-sync --display-name "SCIM sync"');
  const { application } = await ims.ensureApplication({
    appName: "scim-sync",
    displayName: "SCIM sync",
  });
  const appId = application.appId;
  say(`created application scim-sync: AppId (client id) ${appId}`);
  say(`$ ram-scim app grant --app-id ${appId}`);
  await ims.grant(appId);
  say(`granted /acs/scim to application ${appId}`);
  say(
    `$ ram-scim app secret create --app-id ${appId} --out scim-secret.txt   # the demo keeps it in memory instead`,
  );
  const secret = await ims.createSecret(appId);
  say(`created secret ${secret.appSecretId}`);
  say();
  say(
    `$ RAM_SCIM_CLIENT_ID=${appId} ram-scim apply examples/users.yaml --client-secret-file scim-secret.txt`,
  );
  return new ScimClient({
    env: {},
    clientId: appId,
    clientSecret: secret.value,
    scimUrl: emulator.scimUrl,
    tokenUrl: emulator.tokenUrl,
  });
}
