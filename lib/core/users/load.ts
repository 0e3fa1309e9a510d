import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  visit,
} from "yaml";
import { LARGEST_USERS_FILE, readTextFile, TextFileError } from "../text-file";
import { UserSetError, type UserSetProblem } from "./errors";
import type { SourcePosition, UserSet, UserSetInput } from "./types";
import { quoted, validateUserSet, type Locator, type ValuePath } from "./validate";

/**
 * Reads a users file (YAML, or JSON, which the YAML parser reads too) and validates it. Throws a
 * UserSetError listing every problem as FILE:LINE:COL.
 */
export function loadUserSetFile(file: string): UserSet {
  const read = readUsersFile(file);
  if ("problem" in read) throw new UserSetError([read.problem], file);
  return parseUserSet(read.text, file);
}

/**
 * A users file's text, or why it cannot be one, positioned: not found, a folder or device,
 * over {@link LARGEST_USERS_FILE}, not UTF-8 (at the first bad byte).
 */
export function readUsersFile(
  file: string,
  what = "the users file",
): { text: string } | { problem: UserSetProblem } {
  try {
    return { text: readTextFile(file, LARGEST_USERS_FILE, what) };
  } catch (e) {
    if (!(e instanceof TextFileError)) throw e;
    return {
      problem: { path: "", message: e.reason, position: { file, line: e.line, col: e.col } },
    };
  }
}

/** Parses and validates a users file's text; `file` names it in messages. */
export function parseUserSet(text: string, file: string, defaults: FileDefaults = {}): UserSet {
  const { problems, set } = checkUserSetText(text, file, defaults);
  if (!set) throw new UserSetError(problems, file);
  return set;
}

/** What a file inherits from the repository's ram-scim.yaml. */
export interface FileDefaults {
  /**
   * Used when the file declares no owner.
   * @default - none: a file without an owner is invalid
   */
  readonly owner?: string;
  /**
   * @internal Extra checks of each user, reported with positions: how `loadUserSets` applies
   * ram-scim.yaml's policy. Typed with the validator's own `Locator`, which is not public.
   */
  readonly check?: (set: UserSet, locate: Locator) => UserSetProblem[];
}

/** Parses and validates one file's text; every problem, or the set. */
export function checkUserSetText(
  text: string,
  file: string,
  defaults: FileDefaults = {},
): {
  /** Every problem found, positioned; empty when the set is valid. */
  problems: UserSetProblem[];
  /** The validated set; absent when there are problems. */
  set?: UserSet;
} {
  const lineCounter = new LineCounter();
  // Duplicate keys are found below in linear time; the parser's own check is quadratic.
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: false });
  const at = (offset: number): SourcePosition => ({ file, ...lineCounter.linePos(offset) });
  const parseProblems: UserSetProblem[] = doc.errors.map((e) => ({
    path: "",
    message: `not valid YAML/JSON: ${firstLine(e.message)}`,
    position: { file, line: e.linePos?.[0].line ?? 1, col: e.linePos?.[0].col ?? 1 },
  }));
  if (parseProblems.length === 0) for (const p of duplicateKeys(doc, at)) parseProblems.push(p);
  if (parseProblems.length > 0) return { problems: parseProblems };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (e) {
    // yaml refuses aliases that expand without bound (a "billion laughs" file).
    return {
      problems: [
        {
          path: "",
          message: `not a users file: ${firstLine((e as Error).message)}; write the values out instead of aliases`,
          position: { file, line: 1, col: 1 },
        },
      ],
    };
  }
  if (
    defaults.owner &&
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !("owner" in value)
  )
    (value as Record<string, unknown>).owner = defaults.owner;
  const found = locator(doc, at);
  // Every problem in a file has a place: the start of the file when nothing nearer exists.
  const locate: Locator = (path, key) => found(path, key) ?? { file, line: 1, col: 1 };
  const result = validateUserSet(value, locate, file);
  if (result.set && defaults.check) {
    const extra = defaults.check(result.set, locate);
    if (extra.length > 0) return { problems: extra };
  }
  return result;
}

/** A field written twice in one mapping, at the second one (a later one would win silently). */
function duplicateKeys(doc: Document, at: (offset: number) => SourcePosition): UserSetProblem[] {
  const problems: UserSetProblem[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const name = pair.key.value;
        if (seen.has(name))
          problems.push({
            path: "",
            message: `duplicate field: ${quoted(String(name))} is written twice in this mapping; keep one`,
            position: pair.key.range ? at(pair.key.range[0]) : at(0),
          });
        seen.add(name);
      }
    },
  });
  return problems;
}

/** A user set written in code (the Pulumi and cdktf adapters' way in); same rules as a file. */
export function defineUserSet(input: UserSetInput): UserSet {
  const { problems, set } = validateUserSet(input);
  if (!set) throw new UserSetError(problems, "defineUserSet");
  return set;
}

function locator(doc: Document, at: (offset: number) => SourcePosition): Locator {
  // Each mapping's fields indexed on first use: a lookup per problem stays constant, even for a
  // mapping of 50,000 unknown fields.
  const indexes = new WeakMap<object, Map<unknown, Pair>>();
  const field = (map: YAMLMap, name: string | number): Pair | undefined => {
    let index = indexes.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items)
        if (isScalar(p.key) && !index.has(p.key.value)) index.set(p.key.value, p);
      indexes.set(map, index);
    }
    return index.get(name);
  };
  return (path: ValuePath, key = false) => {
    let node: unknown = doc.contents;
    let keyNode: Node | undefined;
    for (const part of path) {
      if (isMap(node)) {
        const pair = field(node, part);
        if (!pair) return rangeOf(node, at);
        keyNode = pair.key as Node;
        node = pair.value;
      } else if (isSeq(node) && typeof part === "number") {
        keyNode = undefined;
        node = node.items[part];
      } else {
        return rangeOf(node, at);
      }
    }
    return rangeOf(key && keyNode ? keyNode : node, at);
  };
}

function rangeOf(
  node: unknown,
  at: (offset: number) => SourcePosition,
): SourcePosition | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? at(range[0]) : undefined;
}

function firstLine(message: string): string {
  return message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? message;
}

/** A validated set as plain data again (no source positions): what adapters hand to engines. */
export function userSetInput(set: UserSet): UserSetInput {
  return {
    owner: set.owner,
    users: set.users.map((u) => ({
      userName: u.userName,
      key: u.key,
      ...(u.displayName !== undefined ? { displayName: u.displayName } : {}),
      ...(u.groups.length > 0 ? { groups: [...u.groups] } : {}),
    })),
    protected: [...set.protected],
    adopt: [...set.adopt],
    ...(set.transferFrom.length > 0 ? { transferFrom: [...set.transferFrom] } : {}),
    allowEmpty: set.allowEmpty,
    ...(set.managedGroups.length > 0 ? { managedGroups: [...set.managedGroups] } : {}),
    ...(set.forceDelete !== false
      ? { forceDelete: set.forceDelete === true ? true : [...set.forceDelete] }
      : {}),
  };
}
