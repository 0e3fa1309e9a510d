import type { Command } from "commander";
import { ScimClient, type ScimUser } from "../../core/scim";
import { startEmulator } from "../../emulator";
import type { CliIo } from "../io";

/**
 * The README's first command: the emulator in-process, then the SCIM client against it, with
 * no credentials and no network. (The reconciler's plan/apply demo replaces the middle part.)
 */
export function registerDemo(program: Command, io: CliIo, result: { exitCode: number }): void {
  program
    .command("demo")
    .description(
      "show the SCIM client against an in-process RAM emulator (no credentials, no network)",
    )
    .action(async () => {
      const emulator = await startEmulator({
        port: 0,
        seedUsers: [
          { userName: "console.admin", displayName: "Console Admin" },
          {
            userName: "leaver",
            displayName: "Leaver",
            externalId: "platform:leaver",
            blockers: { accessKeys: ["LTAI5tDemoKey"] },
          },
        ],
      });
      try {
        const say = (line = "") => io.stdout(`${line}\n`);
        say(`RAM emulator on ${emulator.url} (OAuth token endpoint and SCIM /Users)`);
        const client = new ScimClient({
          env: {},
          clientId: emulator.client.clientId,
          clientSecret: emulator.client.clientSecret,
          scimUrl: emulator.scimUrl,
          tokenUrl: emulator.tokenUrl,
        });
        await client.authenticate();
        say(
          `Token obtained for application ${client.settings.clientId} (client credentials, HTTP Basic)`,
        );
        say();
        say("RAM before:");
        listing(say, await client.listUsers());

        say();
        const joiners = [
          { userName: "alice.zhang", displayName: "Alice Zhang", externalId: "platform:e1001" },
          { userName: "bob.li", displayName: "Bob Li", externalId: "platform:e1002" },
        ];
        for (const j of joiners) {
          const u = await client.createUser(j);
          say(`+ created ${u.userName} (id ${u.id}, externalId ${u.externalId})`);
        }
        const bob = await client.findUser({ externalId: "platform:e1002" });
        if (bob) {
          await client.replaceUser(bob.id, {
            userName: "bob.li",
            displayName: "Bob Li (SRE)",
            externalId: "platform:e1002",
          });
          say(`~ updated bob.li: displayName "Bob Li" -> "Bob Li (SRE)"`);
        }
        const leaver = await client.findUser({ userName: "leaver" });
        if (leaver) {
          try {
            await client.deleteUser(leaver.id);
          } catch (e) {
            say(
              `! delete leaver refused by RAM: ${(e as { blockers?: string[] }).blockers?.join(", ")} still attached`,
            );
            emulator.setBlockers(leaver.id, {});
            await client.deleteUser(leaver.id);
            say("- deleted leaver after its AccessKey was removed");
          }
        }
        const duplicate = await client
          .createUser({ userName: "ALICE.ZHANG", externalId: "platform:other" })
          .catch((e: Error) => e);
        if (duplicate instanceof Error)
          say(`! a second "ALICE.ZHANG" is refused: ${(duplicate as { detail?: string }).detail}`);

        say();
        say("RAM after:");
        listing(say, await client.listUsers());
        const c = emulator.counters();
        say();
        say(
          `${c.total} requests served: ${Object.entries(c.byRoute)
            .map(([r, n]) => `${r} ×${n}`)
            .join(", ")}`,
        );
        say("Run the emulator on its own with: npm run emulator");
        result.exitCode = 0;
      } finally {
        await emulator.close();
      }
    });
}

function listing(say: (line?: string) => void, users: ScimUser[]): void {
  for (const u of users)
    say(
      `  ${u.userName.padEnd(16)} ${(u.displayName ?? "").padEnd(16)} ${u.externalId ?? "(console user, no externalId)"}`,
    );
}
