// The examples each command's --help ends with: real commands with options they take.
import { allCommands, commandLineProblems } from "../helpers/command-lines";
import { ramScim } from "../helpers/cli";

describe("--help examples", () => {
  it("the commands people run most show examples", async () => {
    for (const name of [
      ["plan"],
      ["apply"],
      ["validate"],
      ["diff"],
      ["app", "create"],
      ["emulator"],
    ]) {
      const { out } = await ramScim([...name, "--help"]);
      expect({ name, examples: out.includes("\nExamples:\n  $ ram-scim ") }).toEqual({
        name,
        examples: true,
      });
    }
  });

  it("every example names a command and options that exist", async () => {
    const wrong: string[] = [];
    let seen = 0;
    for (const command of allCommands()) {
      const path: string[] = [];
      for (let at: typeof command | null = command; at?.parent; at = at.parent)
        path.unshift(at.name());
      const { out } = await ramScim([...path, "--help"]);
      const lines = out
        .split("\n")
        .filter((l) => l.startsWith("  $ "))
        .map((l) => l.slice(4));
      seen += lines.length;
      for (const line of lines) wrong.push(...commandLineProblems(line));
    }
    expect(seen).toBeGreaterThan(15);
    expect(wrong).toEqual([]);
  });
});
