import { dirname, join, relative, resolve } from "node:path";
import { exampleText } from "../help";
import { Option, type Command } from "commander";
import { stringify } from "yaml";
import type { ScimUser } from "../../core/scim";
import { managedKey, ownerOf } from "../../core/sync/rules/ownership";
import { bareUserName, parseUserSet } from "../../core/users";
import { addConnectionOptions, connect, type ConnectionFlags } from "../connection";
import { makeFolder, writeOutput } from "../files";
import { UsageError, type CliIo } from "../io";

interface ExportFlags extends ConnectionFlags {
  owner?: string;
  all?: boolean;
  output?: string;
  splitBy?: "owner";
  out?: string;
}

/** `ram-scim export`: a users file from what RAM holds. */
export function registerExport(program: Command, io: CliIo, result: { exitCode: number }): void {
  addConnectionOptions(
    program
      .command("export")
      .addHelpText(
        "after",
        exampleText([
          "ram-scim export --owner platform --output users/platform.yaml",
          "ram-scim export --all --split-by owner --out users/",
        ]),
      )
      .description(
        "write a users file from what RAM holds, to start a repository or adopt existing users",
      )
      .option("--owner <owner>", "export the users this owner manages")
      .option("--all", "also export every user nobody manages (console users), listed under adopt")
      .option("-o, --output <file>", "write to a file instead of standard output")
      .addOption(
        new Option("--split-by <what>", "one file per owner, plus adopt candidates").choices([
          "owner",
        ]),
      )
      .option("--out <dir>", "with --split-by: the folder to write the files into"),
  ).action(async (flags: ExportFlags) => {
    result.exitCode = flags.splitBy ? await exportByOwner(flags, io) : await exportOne(flags, io);
  });
}

/** `--split-by owner --out DIR`: one file per owner, plus the adopt candidates. */
async function exportByOwner(flags: ExportFlags, io: CliIo): Promise<number> {
  if (!flags.out)
    throw new UsageError("--split-by owner needs --out DIR: the folder for the files");
  const connection = await connect(flags, io);
  try {
    const split = splitByOwner(await connection.client.listUsers(), flags.out);
    for (const file of split.written) io.stderr(`wrote ${file}\n`);
    for (const warning of split.warnings) io.stderr(`warning: ${warning}\n`);
    return 0;
  } finally {
    await connection.close();
  }
}

/** One owner's users file, to standard output or `--output FILE`. */
async function exportOne(flags: ExportFlags, io: CliIo): Promise<number> {
  if (flags.out)
    throw new UsageError(
      "--out is the folder of --split-by owner; to write one users file, use -o FILE (--output FILE)",
    );
  if (!flags.owner)
    throw new UsageError(
      flags.all
        ? "--all needs --owner: the owner that will adopt the unmanaged users (e.g. --owner platform --all)"
        : "--owner is required: the owner whose users to export (add --all to include unmanaged users)",
    );
  const connection = await connect(flags, io);
  try {
    const schema = schemaPath(flags.output ? dirname(resolve(flags.output)) : process.cwd());
    const text = usersFileFromRam(
      await connection.client.listUsers(),
      flags.owner,
      flags.all === true,
      schema,
    );
    if (flags.output) {
      writeOutput("--output", flags.output, text);
      io.stderr(`wrote ${flags.output}\n`);
    } else io.stdout(text);
    return 0;
  } finally {
    await connection.close();
  }
}

/**
 * A users file that plans no change for `owner`: its managed users with their keys and, with
 * `all`, the users nobody manages, declared and listed under adopt.
 */
export function usersFileFromRam(
  users: readonly ScimUser[],
  owner: string,
  all: boolean,
  schema = SCHEMA_IN_PACKAGE,
): string {
  const declared: Record<string, string>[] = [];
  const adopt: string[] = [];
  const others: string[] = [];
  for (const user of users) {
    const name = bareUserName(user.userName);
    const key = managedKey(user, owner);
    const entry: Record<string, string> = { userName: name };
    if (user.displayName !== undefined) entry.displayName = user.displayName;
    if (key !== undefined) {
      if (key !== name.toLowerCase()) entry.key = key;
      declared.push(entry);
    } else if (user.externalId === undefined && all) {
      declared.push(entry);
      adopt.push(name);
    } else if (user.externalId !== undefined) others.push(name);
  }
  const header = [
    `# yaml-language-server: $schema=${schema}`,
    `# Exported from RAM by ram-scim export on ${new Date().toISOString().slice(0, 10)}.`,
    ...(others.length > 0
      ? [`# Not exported, managed by other owners or IdPs: ${others.join(", ")}`]
      : []),
  ];
  const body: Record<string, unknown> = { owner, users: declared };
  if (adopt.length > 0) body.adopt = adopt;
  if (declared.length === 0) body.allowEmpty = true;
  const text = `${header.join("\n")}\n${stringify(body)}`;
  parseUserSet(text, "exported file"); // a file we write must pass our own validation
  return text;
}

const SCHEMA_IN_PACKAGE = "node_modules/alicloud-ram-scim/dist/core/users/users-file.schema.json";

/** The schema as the installed package holds it, relative to where the file is written. */
function schemaPath(fromDir: string): string {
  return relative(fromDir, resolve(SCHEMA_IN_PACKAGE)).split("\\").join("/");
}

/**
 * A repository's start from today's RAM: `<owner>.yaml` for each owner found in externalIds,
 * whose plan is then empty, and `adopt-candidates.txt` listing the users nobody manages,
 * commented out, to move into a team's file under adopt. A user whose externalId has an owner's
 * prefix but not the `<owner>:<key>` form is listed there too, and named in a warning: no file
 * can declare it, and one such user does not stop the others' export.
 */
export function splitByOwner(
  users: readonly ScimUser[],
  dir: string,
): { written: string[]; warnings: string[] } {
  makeFolder("--out", dir);
  const schema = schemaPath(resolve(dir));
  const owners = [
    ...new Set(users.map((u) => ownerOf(u)).filter((o): o is string => o !== undefined)),
  ].sort();
  const written: string[] = [];
  for (const owner of owners) {
    const file = join(dir, `${owner}.yaml`);
    writeOutput("--out", file, usersFileFromRam(users, owner, false, schema));
    written.push(file);
  }
  const unmanaged = users.filter((u) => ownerOf(u) === undefined);
  const malformed = unmanaged.filter((u) => u.externalId !== undefined && u.externalId !== "");
  const lines = [
    "# Users in RAM that no owner manages (made in the console, or by another IdP).",
    "# To take one over, move its entry into a team's file and list its name under adopt.",
    ...unmanaged.flatMap((u) => [
      `# - userName: ${bareUserName(u.userName)}`,
      ...(u.displayName !== undefined ? [`#   displayName: ${JSON.stringify(u.displayName)}`] : []),
      ...(u.externalId !== undefined
        ? [`#   # externalId now: ${JSON.stringify(u.externalId)}`]
        : []),
    ]),
  ];
  const candidates = join(dir, "adopt-candidates.txt");
  writeOutput("--out", candidates, `${lines.join("\n")}\n`);
  written.push(candidates);
  const warnings = malformed.map(
    (u) =>
      `${u.userName} (id ${u.id}) has externalId ${JSON.stringify(u.externalId)}, not of the "<owner>:<key>" form: no users file manages it; it is listed in ${candidates}`,
  );
  return { written, warnings };
}
