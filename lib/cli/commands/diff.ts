import { execFileSync } from "node:child_process";
import { exampleText } from "../help";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { Option, type Command } from "commander";
import { diffUserSets, renderDiff } from "../../core/sync";
import { CONFIG_FILE, loadUserSets, UserSetError, type UserSet } from "../../core/users";
import { UsageError, type CliIo } from "../io";

interface DiffFlags {
  git?: string;
  head?: string;
  format: "text" | "markdown" | "json";
  detailedExitcode?: boolean;
}

/**
 * `ram-scim diff BASE HEAD` or `ram-scim diff --git REV [PATHS…]`: who joins, changes and leaves
 * between two versions of the users files, with no call to RAM (a pull request from a fork can
 * run it without the secret). Exit 0 (with --detailed-exitcode: 0 no change, 2 changes), 1 error.
 */
export function registerDiff(program: Command, io: CliIo, result: { exitCode: number }): void {
  program
    .command("diff")
    .addHelpText(
      "after",
      exampleText([
        "ram-scim diff --git origin/main users/",
        "ram-scim diff --git origin/main users/ --format markdown --detailed-exitcode",
      ]),
    )
    .description(
      "who joins, changes and leaves between two versions of the users files (no RAM call; exit 0, or 1 on error; with --detailed-exitcode 2 when people change)",
    )
    .argument(
      "[paths...]",
      "BASE HEAD (files or folders); with --git, the users paths (default: users)",
    )
    .option(
      "--git <rev>",
      "compare the files at this git revision (e.g. origin/main) with the working tree",
    )
    .option("--head <rev>", "with --git: compare with this revision instead of the working tree")
    .option("--detailed-exitcode", "exit 2 when people change, 0 when none do")
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["text", "markdown", "json"])
        .default("text"),
    )
    .action((paths: string[], flags: DiffFlags) => {
      let base: UserSet[];
      let head: UserSet[];
      if (flags.git) {
        const targets = paths.length > 0 ? paths : ["users"];
        base = setsAtRevision(flags.git, targets);
        head = flags.head ? setsAtRevision(flags.head, targets) : loadUserSets(targets);
      } else {
        const [older, newer, ...more] = paths;
        if (older === undefined || newer === undefined || more.length > 0)
          throw new UsageError(
            "diff takes BASE and HEAD (files or folders), or --git REV [PATHS…]",
          );
        base = loadUserSets([older]);
        head = loadUserSets([newer]);
      }
      const diffs = diffUserSets(base, head);
      io.stdout(renderDiff(diffs, flags.format));
      result.exitCode = diffs.length > 0 && flags.detailedExitcode ? 2 : 0;
    });
}

function git(args: string[], cwd: string): string {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    const err = e as { stderr?: string; code?: string };
    if (err.code === "ENOENT") throw new UsageError("--git needs git on PATH");
    throw new UsageError(
      `git ${args.join(" ")}: ${(err.stderr ?? String(e)).trim().split("\n")[0]}`,
    );
  }
}

/**
 * The user sets as they were at `rev`: the users files and every ram-scim.yaml of that revision,
 * written into a scratch folder laid out like the repository, then read as usual.
 */
function setsAtRevision(rev: string, paths: readonly string[]): UserSet[] {
  const root = git(["rev-parse", "--show-toplevel"], process.cwd()).trim();
  const scratch = mkdtempSync(join(tmpdir(), "ram-scim-diff-"));
  try {
    mkdirSync(join(scratch, ".git")); // where ram-scim.yaml lookups stop, as in the repository
    const relativePaths = paths.map((p) => relative(root, resolve(p)) || ".");
    const listed = git(["ls-tree", "-r", "--name-only", rev, "--", ...relativePaths], root)
      .split("\n")
      .filter(Boolean);
    const configs = git(["ls-tree", "-r", "--name-only", rev], root)
      .split("\n")
      .filter((f) => f === CONFIG_FILE || f.endsWith(`/${CONFIG_FILE}`));
    for (const file of [...new Set([...listed, ...configs])]) {
      const target = join(scratch, file);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, git(["show", `${rev}:${file}`], root));
    }
    const inScratch = relativePaths.map((p) => join(scratch, p));
    // Files are named as git names them (`REV:users/a.yaml`), never by the scratch folder.
    const named = (file: string) =>
      file.startsWith(scratch) ? `${rev}:${relative(scratch, file).split(sep).join("/")}` : file;
    try {
      return listed.length === 0
        ? []
        : loadUserSets(inScratch).map((set) => ({
            ...set,
            ...(set.source ? { source: named(set.source) } : {}),
            users: set.users.map((u) =>
              u.source ? { ...u, source: { ...u.source, file: named(u.source.file) } } : u,
            ),
          }));
    } catch (e) {
      if (!(e instanceof UserSetError)) throw e;
      throw new UserSetError(
        e.problems.map((p) =>
          p.position ? { ...p, position: { ...p.position, file: named(p.position.file) } } : p,
        ),
        named(e.source),
      );
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
