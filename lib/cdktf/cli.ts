import { existsSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { Annotations, App, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { literal } from "./escape";

/**
 * How Terraform's commands reach the ram-scim CLI. Nothing here is an absolute path of the
 * machine unless you give one: the commands run in the project folder and find `node` on PATH,
 * so the same project plans alike from another folder or another CI runner.
 */
export interface RamScimCli {
  /**
   * The node command.
   * @default "node", found on PATH where Terraform runs
   */
  readonly node?: string;
  /**
   * The CLI script, relative to the project folder (where `cdktf synth` runs).
   * @default this package's `dist/cli/bin.js` in the project's `node_modules`
   */
  readonly script?: string;
}

/** What a local-exec or an external program needs to run the CLI, all relative. */
export interface CliRuntime {
  readonly node: string;
  readonly script: string;
  /** The project folder, relative to the stack's folder under cdktf.out (where Terraform runs). */
  readonly workingDir: string;
}

const PACKAGE = "alicloud-ram-scim";

/**
 * The commands are constants: everything that varies reaches them through `environment`, which
 * local-exec passes without a shell seeing it, so no user data or secret is ever interpolated
 * into a command string.
 */
export const RUN = '"$RAM_SCIM_NODE" "$RAM_SCIM_CLI"';

/**
 * Resolves the CLI for constructs in `scope`'s stack; the project folder is the synth's. The
 * values are escaped for Terraform's templates (a folder may hold `${`).
 */
export function cliRuntime(scope: Construct, cli: RamScimCli = {}): CliRuntime {
  const project = process.cwd();
  const stack = TerraformStack.of(scope);
  const stackDir = resolve(App.of(scope).outdir, "stacks", stack.node.id);
  const warn = (text: string) => Annotations.of(scope).addWarning(text);
  if (cli.script && isAbsolute(cli.script))
    warn(
      `cli.script ${cli.script} is an absolute path: the synthesized stack only works on this machine and in this folder. Give it relative to the project folder`,
    );
  const workingDir = posix(relative(stackDir, project)) || ".";
  if (!/^(\.\.\/)*\.\.$|^\.$/.test(workingDir))
    warn(
      `the synthesized stack is written outside the project folder (${stackDir}): Terraform reaches the project through ${workingDir}, which holds this machine's folder layout. Keep the output folder inside the project (cdktf's default, cdktf.out)`,
    );
  return {
    node: literal(cli.node || "node", "cli.node"),
    script: literal(posix(cli.script || installedScript(project)), "cli.script"),
    workingDir: literal(workingDir, "the project folder"),
  };
}

/**
 * The CLI as the project sees it: through its node_modules (without following an `npm link` or
 * `file:` symlink out of the project), else this package's own build (a checkout of this repo).
 */
function installedScript(project: string): string {
  for (let dir = project; ; dir = dirname(dir)) {
    const installed = join(dir, "node_modules", PACKAGE);
    if (existsSync(join(installed, "package.json")))
      return relative(project, join(installed, "dist", "cli", "bin.js"));
    if (dirname(dir) === dir) break;
  }
  // From dist/cdktf (built) or lib/cdktf (sources under test): the package root is two up.
  const own = join(realpathSync(join(__dirname, "..", "..")), "dist", "cli", "bin.js");
  if (!existsSync(own))
    throw new Error(
      `cannot find the ram-scim CLI: install ${PACKAGE} in the project (npm install ${PACKAGE}), or build this package, or set cli.script`,
    );
  return relative(project, own);
}

function posix(path: string): string {
  return path.split(sep).join("/");
}
