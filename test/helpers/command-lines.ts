import type { Command } from "commander";
import { makeProgram } from "../../lib/cli/program";

/** The program as `ram-scim` builds it, with output going nowhere: for reading its commands. */
export const program = makeProgram(
  { stdout: () => undefined, stderr: () => undefined, env: {}, stop: new AbortController().signal },
  { exitCode: 0 },
);

export const commandNames = (c: Command) =>
  c.commands.map((s) => s.name()).filter((n) => n !== "help");
const find = (c: Command, name: string) => c.commands.find((s) => s.name() === name);

/** The long options a command takes, its parents' included. */
function optionsOf(c: Command): Set<string> {
  const names = new Set(["--help", "--version"]);
  for (let at: Command | null = c; at; at = at.parent)
    for (const o of at.options) {
      if (o.long) names.add(o.long);
      if (o.negate && o.long) names.add(o.long);
    }
  return names;
}

/** What is wrong with a `ram-scim …` command line: no such command, or options it does not take. */
export function commandLineProblems(line: string): string[] {
  const wrong: string[] = [];
  const words = line.replace(/#.*$/, "").split(/\s+/);
  let command: Command = program;
  for (const word of words.slice(words.indexOf("ram-scim") + 1)) {
    const sub = /^[a-z][a-z-]*$/.test(word) ? find(command, word) : undefined;
    if (!sub) break;
    command = sub;
  }
  if (command === program) wrong.push(`${line}: no such command`);
  for (const flag of line.match(/(?<=\s)--[a-z][a-z-]*/g) ?? [])
    if (!optionsOf(command).has(flag)) wrong.push(`${line}: ${command.name()} takes no ${flag}`);
  return wrong;
}

/** Every command of the program, subcommands included. */
export function allCommands(c: Command = program): Command[] {
  return c.commands.flatMap((s) => [s, ...allCommands(s)]);
}
