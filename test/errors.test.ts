import * as api from "../lib";
import { RamScimError } from "../lib";
import { StoppedError, UsageError } from "../lib/cli/io";
import { ramScim } from "./helpers/cli";

describe("one error model", () => {
  it("every error class the package exports extends RamScimError", () => {
    const classes = Object.entries(api).filter(
      ([name, value]) => typeof value === "function" && /(Error|Mismatch)$/.test(name),
    );
    expect(classes.length).toBeGreaterThan(6);
    for (const [name, value] of classes)
      expect({
        name,
        extendsBase:
          (value as { prototype: unknown }).prototype instanceof RamScimError ||
          value === RamScimError,
      }).toEqual({
        name,
        extendsBase: true,
      });
    expect(new UsageError("x")).toBeInstanceOf(RamScimError);
    expect(new StoppedError("x", 130).exitCode).toBe(130);
  });

  it("the CLI ends with each error's own exit status, as one line", async () => {
    // A refusal (3) and a mistake (1), from two layers, printed without a stack
    const empty = await ramScim(["plan", "--users-env", "USERS", "--emulator"], {
      USERS: "owner: p\nusers: []\n",
    });
    expect(empty.code).toBe(3);
    const missing = await ramScim(["plan", "/nonexistent/users.yaml", "--emulator"]);
    expect(missing.code).toBe(1);
    for (const r of [empty, missing]) expect(r.err).not.toMatch(/\n\s+at /);
  });
});
