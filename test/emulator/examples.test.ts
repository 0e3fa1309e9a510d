import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SeedUser } from "../../lib/emulator";
import { RawScim, withEmulator } from "../helpers/emulator";

describe("examples/emulator-seed.json", () => {
  it("seeds the demo's RAM, with a user RAM will not delete yet", async () => {
    const seed = JSON.parse(
      readFileSync(join(__dirname, "../../examples/emulator-seed.json"), "utf8"),
    ) as SeedUser[];
    const emulator = await withEmulator({ seedUsers: seed });
    try {
      const scim = new RawScim(emulator);
      const { body } = await scim.send("GET", "/Users");
      expect(body?.totalResults).toBe(seed.length);
      expect(
        body?.Resources.filter((u: { externalId?: string }) => !u.externalId).map(
          (u: { userName: string }) => u.userName,
        ),
      ).toEqual(["console.admin", "legacy.ops"]);
      const held = body?.Resources.find((u: { userName: string }) => u.userName === "held.leaver");
      const refused = await scim.send("DELETE", `/Users/${held?.id}`);
      expect(refused.status).toBe(409);
      expect(refused.body?.detail).toContain("DeleteConflict.User.MFADevice");
    } finally {
      await emulator.close();
    }
  });
});
