import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RamEmulator } from "../../lib/emulator";
import { RawScim, withEmulator } from "../helpers/emulator";

describe("emulator: state file", () => {
  const dir = mkdtempSync(join(tmpdir(), "ram-scim-state-"));

  it("saves users on close and loads them at the next start instead of the seed", async () => {
    const stateFile = join(dir, "state.json");
    const first = await withEmulator({ stateFile, seedUsers: [{ userName: "seeded" }] });
    const { body } = await new RawScim(first).send("POST", "/Users", {
      userName: "made",
      externalId: "t:made",
    });
    await first.close();
    expect(
      (JSON.parse(readFileSync(stateFile, "utf8")) as { users: unknown[] }).users,
    ).toHaveLength(2);

    const second = await withEmulator({ stateFile, seedUsers: [{ userName: "ignored" }] });
    try {
      const scim = new RawScim(second);
      expect((await scim.send("GET", `/Users/${body?.id}`)).body).toMatchObject({
        userName: "made",
        externalId: "t:made",
      });
      const names = (await scim.send("GET", "/Users")).body?.Resources.map(
        (u: { userName: string }) => u.userName,
      );
      expect(names).toEqual(["seeded", "made"]);
    } finally {
      await second.close();
    }
  });

  it("says which file is broken", () => {
    const stateFile = join(dir, "broken.json");
    writeFileSync(stateFile, "{ nope");
    expect(() => new RamEmulator({ stateFile })).toThrow(`state file ${stateFile}: not valid JSON`);
  });
});
