import { existsSync, readFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";

export const PACKAGE_NAME = "alicloud-ram-scim";

/**
 * How the provider host finds the providers' code. Installed in a project, by package name, so
 * the serialized provider works wherever the project is checked out; in this repository (its
 * tests), the compiled file, since the package does not sit in its own node_modules.
 */
export function runtimeModule(from: string = __dirname): string {
  if (from.split(sep).includes("node_modules")) return `${PACKAGE_NAME}/pulumi-runtime`;
  return join(packageRoot(from), "dist", "pulumi", "runtime", "index.js");
}

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === PACKAGE_NAME
    )
      return dir;
    if (dirname(dir) === dir)
      throw new Error(`cannot find the ${PACKAGE_NAME} package above ${from}`);
  }
}
