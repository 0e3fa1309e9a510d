import { readFileSync, statSync } from "node:fs";
import { sourceFiles } from "./helpers/files";
import { dirname, join, resolve } from "node:path";

const LIB = resolve(__dirname, "../lib");
const ADAPTER_PACKAGES = /^(cdktf|constructs|@cdktf\/|@pulumi\/)/;

/** The modules a source file imports: relative ones resolved to files, others by name. */
function imports(file: string): { local: string[]; packages: string[] } {
  const text = readFileSync(file, "utf8");
  const specs = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+"([^"]+)"|require\("([^"]+)"\)/g),
  ].map((m) => (m[1] ?? m[2]) as string);
  const local: string[] = [];
  const packages: string[] = [];
  for (const spec of specs) {
    if (!spec.startsWith(".")) packages.push(spec);
    else {
      const base = resolve(dirname(file), spec);
      const candidates = [`${base}.ts`, join(base, "index.ts"), base];
      const found = candidates.find((c) => {
        try {
          return statSync(c).isFile();
        } catch {
          return false;
        }
      });
      if (found) local.push(found);
    }
  }
  return { local, packages };
}

/** Every package reachable from `entry` through relative imports. */
function reachablePackages(entry: string): Map<string, string> {
  const seen = new Set<string>();
  const packages = new Map<string, string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const found = imports(file);
    for (const p of found.packages) packages.set(p, file);
    stack.push(...found.local);
  }
  return packages;
}

describe("layers (docs/architecture.md)", () => {
  it("the CLI never loads cdktf, constructs or @pulumi/*", () => {
    const offenders = [...reachablePackages(join(LIB, "cli/bin.ts"))].filter(([p]) =>
      ADAPTER_PACKAGES.test(p),
    );
    expect(offenders).toEqual([]);
  });

  it("the core imports no adapter, CLI or emulator code", () => {
    for (const file of sourceFiles(join(LIB, "core"))) {
      const { local, packages } = imports(file);
      expect({ file, packages: packages.filter((p) => ADAPTER_PACKAGES.test(p)) }).toEqual({
        file,
        packages: [],
      });
      expect({ file, local: local.filter((l) => !l.startsWith(join(LIB, "core"))) }).toEqual({
        file,
        local: [],
      });
    }
  });

  it("the emulator shares no code with the clients it tests", () => {
    for (const file of sourceFiles(join(LIB, "emulator"))) {
      const { local } = imports(file);
      expect({ file, local: local.filter((l) => !l.startsWith(join(LIB, "emulator"))) }).toEqual({
        file,
        local: [],
      });
    }
  });

  it("the adapters import only the core and their own folder (no CLI or emulator code)", () => {
    for (const adapter of ["cdktf", "pulumi"])
      for (const file of sourceFiles(join(LIB, adapter))) {
        const outside = imports(file).local.filter(
          (l) => !l.startsWith(join(LIB, adapter)) && !l.startsWith(join(LIB, "core")),
        );
        expect({ file, outside }).toEqual({ file, outside: [] });
      }
  });
});
