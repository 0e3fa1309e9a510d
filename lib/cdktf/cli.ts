import { existsSync } from "node:fs";
import { join } from "node:path";

/** How Terraform's local-exec runs the CLI: node and the installed package's bin, no network npx. */
export interface RamScimCli {
  /** The node binary. @default the one running the synth (process.execPath) */
  readonly node?: string;
  /** The CLI script. @default this package's dist/cli/bin.js, resolved at synth time */
  readonly script?: string;
}

export function resolveCli(cli: RamScimCli = {}): { node: string; script: string } {
  const script = cli.script ?? defaultScript();
  return { node: cli.node ?? process.execPath, script };
}

function defaultScript(): string {
  // Compiled: dist/cdktf -> dist/cli/bin.js. From sources (tests): lib/cdktf -> dist/cli/bin.js.
  for (const candidate of [
    join(__dirname, "..", "cli", "bin.js"),
    join(__dirname, "..", "..", "dist", "cli", "bin.js"),
  ])
    if (existsSync(candidate)) return candidate;
  throw new Error(
    "cannot find the ram-scim CLI (dist/cli/bin.js): build the package, or pass cli.script",
  );
}

/**
 * The commands are constants: everything that varies reaches them through `environment`, which
 * local-exec passes without a shell seeing it, so no user data or secret is ever interpolated
 * into a command string.
 */
export const RUN = '"$RAM_SCIM_NODE" "$RAM_SCIM_CLI"';
