/**
 * What a person most often runs, for the end of a command's help (commander's `addHelpText`).
 * Each line is a whole command line; test/help.test.ts checks that each names commands and
 * options that exist.
 */
export function exampleText(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;
}
