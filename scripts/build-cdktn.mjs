// The cdktn entry (CDK Terrain) is the cdktf entry's build with its imports pointed at cdktn:
// one source, each entry loading its own engine. `npm run typecheck` checks that source against
// cdktn's declarations too (tsconfig.cdktn.json), so this only renames module specifiers.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const from = join(root, "dist", "cdktf");
const to = join(root, "dist", "cdktn");
// `require("cdktf")`, `from "cdktf"`, `import("cdktf")`: the engine, never a path that contains it.
const SPECIFIER = /(require\(|from |import\()"cdktf(\/[^"]*)?"/g;

rmSync(to, { recursive: true, force: true });
let renamed = 0;
function copy(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const source = join(dir, entry.name);
    const target = join(to, source.slice(from.length));
    if (entry.isDirectory()) {
      copy(source);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    let text = readFileSync(source, "utf8");
    if (/\.(js|d\.ts)$/.test(entry.name))
      text = text.replace(SPECIFIER, (_all, lead, sub = "") => {
        renamed++;
        return `${lead}"cdktn${sub}"`;
      });
    writeFileSync(target, text);
  }
}
copy(from);
if (renamed === 0)
  throw new Error("build-cdktn: no cdktf import found in dist/cdktf; is it built?");
console.log(`build-cdktn: dist/cdktn written (${renamed} imports of cdktf now load cdktn)`);
