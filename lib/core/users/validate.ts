import Ajv, { type ErrorObject } from "ajv";
import { bareUserName, foldUserName } from "./names";
import type { UserSetProblem } from "./errors";
import type { DeclaredUser, SourcePosition, UserSet } from "./types";
import schema from "./users-file.schema.json";

/** A path into the set: `["users", 2, "displayName"]`. */
export type ValuePath = readonly (string | number)[];

/** Finds where a value (or, with `key`, a field name) was written; undefined for code input. */
export type Locator = (path: ValuePath, key?: boolean) => SourcePosition | undefined;

/** Field names RAM's SCIM cannot take, with the reason (docs/ram-api.md §1.3, §3). */
const UNSUPPORTED: Record<string, string> = {
  email: "RAM's SCIM does not take email addresses (mapping email is not supported)",
  emails: "RAM's SCIM does not take email addresses (mapping email is not supported)",
  mail: "RAM's SCIM does not take email addresses (mapping email is not supported)",
  mobile: "RAM's SCIM does not take phone numbers (mapping mobile is not supported)",
  phone: "RAM's SCIM does not take phone numbers (mapping mobile is not supported)",
  phonenumbers: "RAM's SCIM does not take phone numbers (mapping mobile is not supported)",
  active:
    "RAM users have no enabled or disabled state over SCIM: to remove someone's access, remove them from the file",
  enabled:
    "RAM users have no enabled or disabled state over SCIM: to remove someone's access, remove them from the file",
  name: "RAM users have no structured name: use displayName",
  givenname: "RAM users have no structured name: use displayName",
  familyname: "RAM users have no structured name: use displayName",
};

const USER_FIELDS = ["userName", "displayName", "key", "groups"];
const TOP_FIELDS = [
  "owner",
  "users",
  "protected",
  "adopt",
  "transferFrom",
  "allowEmpty",
  "managedGroups",
  "forceDelete",
];

type Validator = ReturnType<Ajv["compile"]>;
let compiled: { file: Validator; user: Validator } | undefined;

/**
 * The users-file JSON Schema (the same one editors use), compiled once as two validators: the
 * file without its users' contents, and one user. Ajv gathers the errors of array items by
 * concatenating lists, quadratic in the number of errors; checking each user on its own keeps
 * validation linear (100,000 invalid users as fast as 100,000 valid ones).
 */
function schemaValidators(): { file: Validator; user: Validator } {
  if (compiled) return compiled;
  const ajv = new Ajv({ allErrors: true, strict: true });
  ajv.addSchema(schema);
  const { $id, ...rest } = schema;
  const file = ajv.compile({
    ...rest,
    $id: `${$id}#file`,
    properties: { ...rest.properties, users: { type: "array" } },
  });
  const user = ajv.compile({ $ref: `${$id}#/definitions/user` });
  compiled = { file, user };
  return compiled;
}

/** Every schema error of `value`, the users' with their paths under `/users/N`. */
function schemaErrors(value: unknown): ErrorObject[] {
  const { file, user } = schemaValidators();
  const errors: ErrorObject[] = [];
  if (!file(value)) for (const e of file.errors ?? []) errors.push(e);
  const users = (value as { users?: unknown } | null)?.users;
  if (typeof value === "object" && value !== null && Array.isArray(users))
    users.forEach((u: unknown, i) => {
      if (!user(u))
        for (const e of user.errors ?? [])
          errors.push({ ...e, instancePath: `/users/${i}${e.instancePath}` });
    });
  return errors;
}

export function pathText(path: ValuePath): string {
  return path.reduce<string>(
    (text, part) =>
      typeof part === "number"
        ? `${text}[${part}]`
        : !/^[A-Za-z_$][\w$-]{0,63}$/.test(part)
          ? `${text}[${quoted(part)}]` // a field name from the file: escaped and cut short
          : text
            ? `${text}.${part}`
            : part,
    "",
  );
}

/** Records a problem at a path of the file (`atKey`: at the field's name rather than its value). */
type Report = (
  path: ValuePath,
  message: string,
  atKey?: boolean,
  safety?: UserSetProblem["safety"],
) => void;

/** The strings of a list field, bare of anything else a wrong file may hold there. */
function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? (value as unknown[]).filter((v): v is string => typeof v === "string")
    : [];
}

/**
 * Checks a user set against the schema and the rules no schema can say (duplicates, adopt
 * entries, an empty list), and returns every problem at once, or the normalized set.
 */
export function validateUserSet(
  value: unknown,
  locate: Locator = () => undefined,
  source?: string,
): { problems: UserSetProblem[]; set?: UserSet } {
  const problems: UserSetProblem[] = [];
  const report: Report = (path, message, atKey = false, safety) =>
    problems.push({
      path: pathText(path),
      message,
      position: locate(path, atKey),
      ...(safety ? { safety } : {}),
    });
  shapeProblems(value, report);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    if (problems.length === 0) report([], "the file must be a mapping with owner and users");
    return { problems: inFileOrder(problems) };
  }
  const input = value as Record<string, unknown>;
  const owner = typeof input.owner === "string" ? input.owner : "";
  const managedGroups = strings(input.managedGroups);
  const { users, byName } = declaredUsers(input, owner, new Set(managedGroups), report, locate);
  const names = (field: "protected" | "adopt" | "forceDelete") =>
    strings(input[field]).map(bareUserName);
  const adopt = names("adopt");
  const transferFrom = strings(input.transferFrom);
  listProblems(input, owner, adopt, transferFrom, byName, report);
  if (problems.length > 0) return { problems: inFileOrder(problems) };
  return {
    problems,
    set: {
      owner,
      users,
      protected: names("protected"),
      adopt,
      transferFrom: [...new Set(transferFrom)],
      allowEmpty: input.allowEmpty === true,
      managedGroups: [...new Set(managedGroups)],
      forceDelete:
        input.forceDelete === true
          ? true
          : Array.isArray(input.forceDelete)
            ? names("forceDelete")
            : false,
      ...(source ? { source } : {}),
    },
  };
}

/** The schema's problems (one per path), then control characters in any string. */
function shapeProblems(value: unknown, report: Report): void {
  const seen = new Set<string>();
  for (const error of schemaErrors(value)) {
    const described = describeSchemaError(error, value);
    const key = pathText(described.path);
    if (seen.has(key)) continue;
    seen.add(key);
    report(described.path, described.message, described.atKey);
  }
  forEachString(value, [], (text, path) => {
    const at = text.search(CONTROL);
    if (at >= 0 && !seen.has(pathText(path)))
      report(
        path,
        `holds the control character U+${text.codePointAt(at)?.toString(16).toUpperCase().padStart(4, "0")} at character ${[...text.slice(0, at)].length + 1}: RAM would store it as given; remove it`,
      );
  });
}

/**
 * The declared users, normalized (bare names, default keys, owner-form externalIds), with
 * names and keys declared twice and groups outside managedGroups reported. `byName`: the first
 * entry of each folded name.
 */
function declaredUsers(
  input: Record<string, unknown>,
  owner: string,
  managedGroups: ReadonlySet<string>,
  report: Report,
  locate: Locator,
): { users: DeclaredUser[]; byName: Map<string, number> } {
  const users: DeclaredUser[] = [];
  const byName = new Map<string, number>();
  const byKey = new Map<string, number>();
  const rawUsers = Array.isArray(input.users) ? (input.users as unknown[]) : [];
  rawUsers.forEach((raw, i) => {
    if (typeof raw !== "object" || raw === null) return;
    const u = raw as Record<string, unknown>;
    if (typeof u.userName !== "string") return;
    const userName = bareUserName(u.userName);
    const key = typeof u.key === "string" ? u.key : userName.toLowerCase();
    const folded = foldUserName(userName);
    const sameName = byName.get(folded);
    if (sameName !== undefined) {
      report(
        ["users", i, "userName"],
        `${quoted(u.userName)} is declared twice (also ${where(locate, ["users", sameName, "userName"], `users[${sameName}]`)}); RAM user names ignore case`,
      );
    } else byName.set(folded, i);
    const sameKey = byKey.get(key.toLowerCase());
    // A default key repeats a repeated name: that is one mistake, already reported.
    const keyFollowsName = sameName !== undefined && typeof u.key !== "string";
    if (sameKey !== undefined && !keyFollowsName) {
      const explained =
        typeof u.key === "string" ? "" : " (the default key is the lower-cased user name)";
      report(
        ["users", i, typeof u.key === "string" ? "key" : "userName"],
        `key ${quoted(key)} is already used by users[${sameKey}] (${where(locate, ["users", sameKey], `users[${sameKey}]`)})${explained}; give each person a distinct key`,
      );
    } else if (sameKey === undefined) byKey.set(key.toLowerCase(), i);
    const groups = strings(u.groups);
    groups.forEach((g, j) => {
      if (!managedGroups.has(g))
        report(
          ["users", i, "groups", j],
          `group ${quoted(g)} is not listed in managedGroups: list it there to let this set manage its members`,
        );
    });
    users.push({
      userName,
      groups: [...new Set(groups)],
      ...(typeof u.displayName === "string" ? { displayName: u.displayName } : {}),
      key,
      externalId: `${owner}:${key}`,
      ...(locate(["users", i]) ? { source: locate(["users", i]) } : {}),
    });
  });
  return { users, byName };
}

/** Adopt entries not declared, the set's own owner under transferFrom, and an empty list. */
function listProblems(
  input: Record<string, unknown>,
  owner: string,
  adopt: readonly string[],
  transferFrom: readonly string[],
  byName: ReadonlyMap<string, number>,
  report: Report,
): void {
  adopt.forEach((name, i) => {
    if (!byName.has(foldUserName(name)))
      report(
        ["adopt", i],
        `${quoted(name)} is not declared under users: adopt takes over an existing RAM user for a declared entry; declare it or remove it from adopt`,
      );
  });
  transferFrom.forEach((from, i) => {
    if (from === owner)
      report(
        ["transferFrom", i],
        `${quoted(from)} is this set's own owner: transferFrom names the owners people move from; remove it`,
      );
  });
  if (Array.isArray(input.users) && input.users.length === 0 && input.allowEmpty !== true)
    report(
      ["users"],
      "the users list is empty. An empty set deletes no one, but it is usually a mistake (a bad merge, the wrong file); set allowEmpty: true if it is meant",
      false,
      "empty-set",
    );
}

/**
 * C0 and C1 control characters, DEL and the bidirectional overrides: never part of a name,
 * invisible in a console, able to make a name read as another.
 */
// eslint-disable-next-line no-control-regex -- finding them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Calls `visit` for every string in a parsed file (values, not field names), with its path. */
function forEachString(
  value: unknown,
  path: (string | number)[],
  visit: (text: string, path: ValuePath) => void,
): void {
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => forEachString(v, [...path, i], visit));
  else if (typeof value === "object" && value !== null)
    for (const [k, v] of Object.entries(value)) forEachString(v, [...path, k], visit);
}

/** Problems sorted by line and column; those without a position keep their order. */
function inFileOrder(problems: UserSetProblem[]): UserSetProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => {
      const pa = a.p.position;
      const pb = b.p.position;
      if (!pa || !pb) return a.i - b.i;
      return pa.line - pb.line || pa.col - pb.col || a.i - b.i;
    })
    .map(({ p }) => p);
}

function where(locate: Locator, path: ValuePath, fallback: string): string {
  const p = locate(path);
  return p ? `at ${p.line}:${p.col}` : fallback;
}

/** Turns one of ajv's errors into a sentence that says what is allowed and what to do. */
function describeSchemaError(
  error: ErrorObject,
  root: unknown,
): { path: ValuePath; message: string; atKey?: boolean } {
  const path: (string | number)[] = error.instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const value = path.reduce<unknown>(
    (v, p) => (v as Record<string | number, unknown> | undefined)?.[p],
    root,
  );
  const field = path[path.length - 1];
  const inUser = path[0] === "users" && path.length >= 2;
  switch (error.keyword) {
    case "required":
      return {
        path,
        message: `missing required field "${(error.params as { missingProperty: string }).missingProperty}"`,
      };
    case "additionalProperties": {
      const name = (error.params as { additionalProperty: string }).additionalProperty;
      const allowed = inUser ? USER_FIELDS : TOP_FIELDS;
      // Own fields only: a field named "constructor" is an unknown field, not Object's.
      const reason =
        inUser && Object.hasOwn(UNSUPPORTED, name.toLowerCase())
          ? UNSUPPORTED[name.toLowerCase()]
          : undefined;
      const suggestion = allowed.find((f) => f.toLowerCase() === name.toLowerCase());
      const message = reason
        ? `"${name}" is not supported: ${reason}; remove it`
        : suggestion
          ? `unknown field ${quoted(name)}: did you mean "${suggestion}"?`
          : `unknown field ${quoted(name)}: ${inUser ? "a user takes" : "the file takes"} ${allowed.join(", ")}`;
      return { path: [...path, name], message, atKey: true };
    }
    case "type":
      // The whole file's value is not echoed: a file given in the wrong place may be a secret.
      return {
        path,
        message:
          path.length === 0
            ? `the file must be a mapping with owner and users, got ${typeName(value, false)}: is it the users file?`
            : `must be ${article((error.params as { type: string }).type)}, got ${typeName(value)}`,
      };
    case "pattern":
    case "maxLength":
    case "minLength":
      return { path, message: patternMessage(field, path, value) };
    default:
      return { path, message: error.message ?? "is not valid" };
  }
}

function patternMessage(
  field: string | number | undefined,
  path: ValuePath,
  value: unknown,
): string {
  const text = quoted(value);
  if (field === "owner")
    return `${text} is not a valid owner: 1-64 letters, digits, '.', '-', '_', starting with a letter or digit (it prefixes every externalId as "<owner>:<key>")`;
  if (field === "displayName") {
    const length = [...String(value)].length;
    return length === 0
      ? "must not be empty (leave displayName out to keep the one RAM has)"
      : `${text} is ${length} characters; RAM allows 1-24`;
  }
  if (field === "key")
    return `${text} is not a valid key: 1-128 letters, digits, '.', '_', '@', '+', '-'`;
  if (path[0] === "managedGroups" || path.includes("groups"))
    return `${text} is not a valid RAM group name: 1-64 letters, digits, '.', '-'`;
  const listed = ["protected", "adopt", "forceDelete"].includes(String(path[0]))
    ? ` in ${String(path[0])}`
    : "";
  return `${text}${listed} is not a valid RAM user name: 1-64 letters, digits, '.', '-', '_' (user@alias.onaliyun.com is accepted too)`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function typeName(value: unknown, withValue = true): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return withValue ? `${typeof value} ${quoted(value)}` : `${article(typeof value)}`;
}

/** The longest part of a value a message quotes: a 5 MB value gives a short message. */
const QUOTED_CHARACTERS = 80;

/** `text` cut to {@link QUOTED_CHARACTERS} characters, saying how long it was. */
function clip(text: string): string {
  const chars = [...text.slice(0, QUOTED_CHARACTERS * 2 + 2)];
  return chars.length <= QUOTED_CHARACTERS
    ? text
    : `${chars.slice(0, QUOTED_CHARACTERS).join("")}… (${[...text].length} characters)`;
}

/** A value as JSON for a message (every control character escaped), a long string cut short. */
export function quoted(value: unknown): string {
  if (typeof value !== "string") return clip(JSON.stringify(value) ?? String(value));
  const chars = [...value.slice(0, QUOTED_CHARACTERS * 2 + 2)];
  const shown =
    chars.length <= QUOTED_CHARACTERS ? value : chars.slice(0, QUOTED_CHARACTERS).join("");
  const json = JSON.stringify(shown).replace(
    new RegExp(CONTROL.source, "g"),
    (c) => `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, "0")}`,
  );
  return shown === value ? json : `${json}… (${[...value].length} characters)`;
}
