import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SeedUser } from "../../lib/emulator";
import { RawScim, withEmulator } from "../helpers/emulator";

describe("examples/emulator-seed.json", () => {
  it("seeds a console user, another owner's user and a user RAM will not delete yet", async () => {
    const seed = JSON.parse(
      readFileSync(join(__dirname, "../../examples/emulator-seed.json"), "utf8"),
    ) as SeedUser[];
    const emulator = await withEmulator({ seedUsers: seed });
    try {
      const scim = new RawScim(emulator);
      const { body } = await scim.send("GET", "/Users");
      expect(body.Resources.map((u: { userName: string }) => u.userName)).toEqual([
        "console.admin",
        "ops.bot",
        "former.staff",
      ]);
      const refused = await scim.send("DELETE", `/Users/${body.Resources[2].id}`);
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain("DeleteConflict.User.MFADevice");
    } finally {
      await emulator.close();
    }
  });
});
