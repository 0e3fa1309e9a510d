import { Option, type Command } from "commander";
import { LARGEST_USERS_FILE, readTextFile, TextFileError } from "../core/text-file";
import { UsageError } from "./io";

/** Option value parsers whose errors name the flag and the value. */

export function integer(flag: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
      throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${value}"`);
    return Number(value);
  };
}

export function positiveNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n <= 0)
      throw new UsageError(`${flag} must be a positive number, got "${value}"`);
    return n;
  };
}

export function share(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !(n >= 0 && n <= 1))
      throw new UsageError(`${flag} must be a share from 0 to 1 (0.1 is 10 %), got "${value}"`);
    return n;
  };
}

/** `50` or `20-80` (milliseconds). */
export function latency(flag: string) {
  return (value: string): number | [number, number] => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(value);
    if (!m || (m[2] !== undefined && Number(m[2]) < Number(m[1])))
      throw new UsageError(`${flag} takes milliseconds, as 50 or as a range 20-80, got "${value}"`);
    return m[2] === undefined ? Number(m[1]) : [Number(m[1]), Number(m[2])];
  };
}

/** A JSON file, with an error that names the file and what went wrong. */
export function readJsonFile(flag: string, file: string): unknown {
  const text = readLimited(flag, file, LARGEST_USERS_FILE, "it");
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${flag} ${file}: ${jsonProblem(e, text)}`);
  }
}

/**
 * Where JSON.parse stopped, as line and column, without the text it quotes: a secret file given
 * by mistake must not be shown.
 */
export function jsonProblem(e: unknown, text: string): string {
  const at = /position (\d+)/.exec((e as Error).message)?.[1];
  if (at === undefined)
    return /end of (JSON )?input/i.test((e as Error).message)
      ? "not valid JSON (it ends too early, or is empty)"
      : "not valid JSON (it does not start as JSON does)";
  const before = text.slice(0, Number(at)).split("\n");
  return `not valid JSON at line ${before.length}, column ${[...(before.at(-1) ?? "")].length + 1}`;
}

/** A text file given by `flag`, at most `limit` bytes of UTF-8; errors name the flag and file. */
export function readLimited(flag: string, file: string, limit: number, what: string): string {
  try {
    return readTextFile(file, limit, what);
  } catch (e) {
    if (!(e instanceof TextFileError)) throw e;
    throw new UsageError(`${flag} ${e.message}`);
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration as `90s`, `15m`, `1h`, `500ms` (a bare number is seconds); answers milliseconds. */
export function duration(flag: string) {
  return (value: string): number => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
    const ms = m ? Number(m[1]) * (UNIT_MS[m[2] ?? "s"] as number) : NaN;
    if (!m || !(ms > 0))
      throw new UsageError(`${flag} takes a duration such as 90s, 15m or 1h, got "${value}"`);
    return ms;
  };
}

/** `--format`, text by default: text|json for commands whose answer a script may read. */
export function formatOption(formats: readonly string[] = ["text", "json"]): Option {
  return new Option("--format <format>", "output format").choices(formats).default("text");
}

/** The variable each option falls back on (see fromEnv). */
const FALLBACKS = new WeakMap<Option, string>();

/**
 * An option that falls back on an environment variable, as commander's `Option.env()` does, but
 * read from the environment the program was given (`io.env`) instead of `process.env`, so that a
 * program run in-process (tests, library callers) sees only its own. The help says so as
 * commander's would: `(env: NAME)`. {@link envFallbacks} applies it before each action.
 */
export function fromEnv(option: Option, variable: string): Option {
  option.description = `${option.description} (env: ${variable})`;
  FALLBACKS.set(option, variable);
  return option;
}

/**
 * Before each action: an option given by {@link fromEnv} and not on the command line takes its
 * variable's value, parsed by the option's own parser; an error names the variable, not the flag.
 */
export function envFallbacks(program: Command, env: NodeJS.ProcessEnv): void {
  program.hook("preAction", (_program, action) => {
    for (const option of action.options) {
      const variable = FALLBACKS.get(option);
      const value = variable ? env[variable] : undefined;
      if (!variable || !value) continue;
      const key = option.attributeName();
      const source = action.getOptionValueSource(key);
      if (source !== undefined && source !== "default") continue;
      let parsed: unknown = value;
      try {
        if (option.parseArg) parsed = option.parseArg(value, undefined);
      } catch (e) {
        if (!(e instanceof UsageError) || !option.long) throw e;
        throw new UsageError(e.message.replace(option.long, variable));
      }
      action.setOptionValueWithSource(key, parsed, "env");
    }
  });
}

/** The variable an option's value came from (see {@link fromEnv}), or undefined when it did not. */
export function envSource(command: Command, key: string): string | undefined {
  if (command.getOptionValueSource(key) !== "env") return undefined;
  const option = command.options.find((o) => o.attributeName() === key);
  return option ? FALLBACKS.get(option) : undefined;
}
