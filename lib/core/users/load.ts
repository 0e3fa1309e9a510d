import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { LARGEST_USERS_FILE, readTextFile, TextFileError } from "../text-file";
import { UserSetError, type UserSetProblem } from "./errors";
import type { SourcePosition, UserSet, UserSetInput } from "./types";
import { validateUserSet, type Locator, type ValuePath } from "./validate";

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
  /** Used when the file declares no owner. */
  readonly owner?: string;
  /** Extra checks of each user, reported with positions. */
  readonly check?: (set: UserSet, locate: Locator) => UserSetProblem[];
}

/** Parses and validates one file's text; every problem, or the set. */
export function checkUserSetText(
  text: string,
  file: string,
  defaults: FileDefaults = {},
): { problems: UserSetProblem[]; set?: UserSet } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const at = (offset: number): SourcePosition => ({ file, ...lineCounter.linePos(offset) });
  if (doc.errors.length > 0) {
    const problems: UserSetProblem[] = doc.errors.map((e) => ({
      path: "",
      message: `${e.code === "DUPLICATE_KEY" ? "duplicate field" : "not valid YAML/JSON"}: ${firstLine(e.message)}`,
      position: { file, line: e.linePos?.[0].line ?? 1, col: e.linePos?.[0].col ?? 1 },
    }));
    return { problems };
  }
  const value = doc.toJS() as unknown;
  if (
    defaults.owner &&
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !("owner" in value)
  )
    (value as Record<string, unknown>).owner = defaults.owner;
  const locate = locator(doc, at);
  const result = validateUserSet(value, locate, file);
  if (result.set && defaults.check) {
    const extra = defaults.check(result.set, locate);
    if (extra.length > 0) return { problems: extra };
  }
  return result;
}

/** A user set written in code (the Pulumi and cdktf adapters' way in); same rules as a file. */
export function defineUserSet(input: UserSetInput): UserSet {
  const { problems, set } = validateUserSet(input);
  if (!set) throw new UserSetError(problems, "defineUserSet");
  return set;
}

function locator(doc: Document, at: (offset: number) => SourcePosition): Locator {
  return (path: ValuePath, key = false) => {
    let node: unknown = doc.contents;
    let keyNode: Node | undefined;
    for (const part of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && p.key.value === part);
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
