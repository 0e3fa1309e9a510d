import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * The packages a consumer's compiler must load to read our public declarations. Only the engine
 * each entry is for, and Node's own: never a third-party SDK (its types fail under the
 * templates' settings, and they are not ours to promise).
 */
const DIST = resolve(__dirname, "../dist");

function reachedPackages(entry: string): Map<string, string> {
  const seen = new Set<string>();
  const packages = new Map<string, string>();
  const queue = [join(DIST, entry)];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:from|import\(|require\()\s*["']([^"']+)["']/g)) {
      const spec = m[1] as string;
      if (!spec.startsWith(".")) {
        if (!packages.has(spec)) packages.set(spec, file.slice(DIST.length + 1));
        continue;
      }
      const base = resolve(dirname(file), spec).replace(/\.js$/, "");
      const found = [`${base}.d.ts`, join(base, "index.d.ts")].find((c) => existsSync(c));
      if (found) queue.push(found);
    }
  }
  return packages;
}

describe("public declarations (as built: npm test builds first)", () => {
  it.each([
    ["index.d.ts", []],
    ["emulator/index.d.ts", []],
    ["pulumi/index.d.ts", ["@pulumi/pulumi"]],
    ["pulumi/runtime/index.d.ts", []],
    ["cdktf/index.d.ts", ["cdktf", "constructs"]],
    ["cdktn/index.d.ts", ["cdktn", "constructs"]],
  ])("%s reaches only %j and node: modules", (entry, allowed) => {
    const outside = [...reachedPackages(entry)]
      .filter(([name]) => !name.startsWith("node:") && !allowed.includes(name))
      .map(([name, from]) => `${name} (from ${from})`);
    expect(outside).toEqual([]);
  });
});
