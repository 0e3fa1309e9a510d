import { writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import type { Command } from "commander";
import { stringify } from "yaml";
import type { ScimUser } from "../../core/scim";
import { managedKey } from "../../core/sync/rules/ownership";
import { bareUserName, parseUserSet } from "../../core/users";
import { addConnectionOptions, connect, type ConnectionFlags } from "../connection";
import { UsageError, type CliIo } from "../io";

interface ExportFlags extends ConnectionFlags {
  owner?: string;
  all?: boolean;
  output?: string;
}

export function registerExport(program: Command, io: CliIo, result: { exitCode: number }): void {
  addConnectionOptions(
    program
      .command("export")
      .description(
        "write a users file from what RAM holds, to start a repository or adopt existing users",
      )
      .option("--owner <owner>", "export the users this owner manages")
      .option("--all", "also export every user nobody manages (console users), listed under adopt")
      .option("-o, --output <file>", "write to a file instead of standard output"),
  ).action(async (flags: ExportFlags) => {
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
        writeFileSync(flags.output, text);
        io.stderr(`wrote ${flags.output}\n`);
      } else io.stdout(text);
      result.exitCode = 0;
    } finally {
      await connection.close();
    }
  });
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
