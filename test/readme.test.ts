import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { checkUserSetText } from "../lib/core/users";
import { sourceFiles } from "./helpers/files";
import { commandLineProblems, commandNames, program } from "./helpers/command-lines";

// The README is what a newcomer follows first: these tests keep what it says true.
const ROOT = join(__dirname, "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");

/** Fenced blocks of the given language, with the line each starts on. */
function blocks(text: string, lang: string): { code: string; line: number }[] {
  const out: { code: string; line: number }[] = [];
  const re = new RegExp("^```" + lang + "\\n([\\s\\S]*?)^```", "gm");
  for (const m of text.matchAll(re))
    out.push({ code: m[1] as string, line: text.slice(0, m.index).split("\n").length + 1 });
  return out;
}

describe("README", () => {
  it("the status table lists exactly the commands ram-scim --help prints", () => {
    const row = README.split("\n").find((l) => l.startsWith("| CLI: `ram-scim "));
    expect(row).toBeDefined();
    const listed = (/`ram-scim ([^`]+)`/.exec(row as string)?.[1] as string).split(" / ");
    expect([...listed].sort()).toEqual(commandNames(program).sort());
  });

  it("the commands table has a row for each command", () => {
    const rows = README.split("\n").filter((l) => l.startsWith("| `ram-scim "));
    const documented = new Set(rows.map((r) => /^\| `ram-scim ([a-z-]+)/.exec(r)?.[1]));
    expect(commandNames(program).filter((n) => !documented.has(n))).toEqual([]);
  });

  it("every users file in it validates", () => {
    const files = blocks(README, "yaml").filter((b) => /^owner:/m.test(b.code));
    expect(files.length).toBeGreaterThan(0);
    for (const b of files) {
      const { problems } = checkUserSetText(b.code, `README.md:${b.line}`);
      expect(problems.map((p) => p.message)).toEqual([]);
    }
  });

  it("every ram-scim command line in it names a command and options that exist", () => {
    const lines = [
      ...blocks(README, "sh").flatMap((b) =>
        b.code.split("\n").map((l) => l.replace(/\s#.*$/, "")),
      ),
      ...[...README.matchAll(/`((?:npx )?ram-scim [^`]+)`/g)].map((m) => m[1] as string),
    ].filter((l) => /(^|\s|`)ram-scim [a-z]/.test(l));
    expect(lines.length).toBeGreaterThan(20);
    const wrong = lines.flatMap(commandLineProblems);
    expect(wrong).toEqual([]);
  });

  it("documents every environment variable the CLI and the core read", () => {
    const read = new Set<string>();
    for (const file of [
      ...sourceFiles(join(ROOT, "lib/cli")),
      ...sourceFiles(join(ROOT, "lib/core")),
    ])
      for (const m of readFileSync(file, "utf8").matchAll(
        /env\.((?:RAM_SCIM|ALIBABA_CLOUD|ALICLOUD)_[A-Z_]+|NO_COLOR)|fromEnv\([^)]*"(RAM_SCIM_[A-Z_]+)"/g,
      ))
        read.add((m[1] ?? m[2]) as string);
    expect(read.size).toBeGreaterThan(10);
    expect([...read].filter((v) => !README.includes(`\`${v}\``) && !README.includes(v))).toEqual(
      [],
    );
  });

  it("every file of this repository that it names exists", () => {
    const named = [
      ...README.matchAll(/(?<![\w/.-])((?:examples|docs|lib|test|scripts|bench)\/[\w./-]*[\w])/g),
    ].map((m) => m[1] as string);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
    for (const file of ["LICENSE", "CHANGELOG.md"])
      expect(statSync(join(ROOT, file)).size).toBeGreaterThan(0);
  });
});
