import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { UserSetError, type UserSetProblem } from "./errors";
import { checkUserSetText, readUsersFile, type FileDefaults } from "./load";
import { foldUserName } from "./names";
import type { DeclaredUser, UserSet } from "./types";
import type { Locator } from "./validate";

/** The repository-wide settings file: an owner for files that name none, and team conventions. */
export const CONFIG_FILE = "ram-scim.yaml";

/** A team's conventions in ram-scim.yaml's `policy`, checked in every users file below it. */
export interface RepositoryPolicy {
  /**
   * Every userName must match (e.g. "^[a-z]+\\.[a-z]+$").
   * @default - none: any valid RAM user name
   */
  readonly userNamePattern?: string;
  /**
   * Every displayName must match.
   * @default - none: any valid display name
   */
  readonly displayNamePattern?: string;
  /**
   * Every user must give a key (an employee number), not rely on the default.
   * @default false - the lower-cased user name serves as the key
   */
  readonly requireKey?: boolean;
  /**
   * Names protected in every set, added to each set's own `protected`.
   * @default [] - only the sets' own protected names
   */
  readonly protected?: readonly string[];
}

/** A ram-scim.yaml as read: the repository-wide settings for the users files below it. */
export interface RepositoryConfig {
  /** Path of the ram-scim.yaml it was read from, for messages. */
  readonly file: string;
  /**
   * Owner of the users files that name none.
   * @default - none: every users file must name its owner
   */
  readonly owner?: string;
  /** The team's conventions; `{}` when the file has none. */
  readonly policy: RepositoryPolicy;
}

const USER_FILE = /\.(ya?ml|json)$/i;

/**
 * Files named by `paths`: a file as it is, a folder's users files (not ram-scim.yaml), or a
 * simple glob in the last part (`users/*.yaml`).
 */
export function expandPaths(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    if (/[*?]/.test(basename(path))) {
      const dir = dirname(path);
      const pattern = new RegExp(
        `^${basename(path)
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, ".*")
          .replace(/\?/g, ".")}$`,
      );
      if (existsSync(dir))
        for (const name of readdirSync(dir).sort())
          if (pattern.test(name) && name !== CONFIG_FILE) files.push(join(dir, name));
    } else if (existsSync(path) && statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort())
        if (USER_FILE.test(name) && name !== CONFIG_FILE) files.push(join(path, name));
    } else files.push(path);
  }
  return [...new Set(files)];
}

/** The nearest ram-scim.yaml at or above `dir`. */
export function findConfig(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const candidate = join(d, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(d) === d || existsSync(join(d, ".git"))) return undefined;
  }
}

/** Reads ram-scim.yaml, with its problems positioned. */
export function loadConfig(file: string): RepositoryConfig {
  const read = readUsersFile(file, CONFIG_FILE);
  if ("problem" in read) throw new UserSetError([read.problem], file);
  const { text } = read;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const fail = (message: string, offset = 0): never => {
    throw new UserSetError(
      [{ path: "", message, position: { file, ...lineCounter.linePos(offset) } }],
      file,
    );
  };
  if (doc.errors.length > 0)
    fail(`not valid YAML: ${doc.errors[0]?.message.split("\n")[0]}`, doc.errors[0]?.pos[0]);
  const value = (doc.toJS() ?? {}) as Record<string, unknown>;
  const known = ["owner", "policy"];
  for (const key of Object.keys(value))
    if (!known.includes(key)) fail(`unknown field "${key}": ${CONFIG_FILE} takes owner and policy`);
  const policy = (value.policy ?? {}) as Record<string, unknown>;
  const policyKeys = ["userNamePattern", "displayNamePattern", "requireKey", "protected"];
  for (const key of Object.keys(policy))
    if (!policyKeys.includes(key))
      fail(`unknown policy field "${key}": a policy takes ${policyKeys.join(", ")}`);
  for (const key of ["userNamePattern", "displayNamePattern"]) {
    const pattern = policy[key];
    if (pattern === undefined) continue;
    if (typeof pattern !== "string")
      fail(`policy.${key} takes a regular expression as a string, got ${JSON.stringify(pattern)}`);
    try {
      new RegExp(pattern as string);
    } catch (e) {
      fail(`policy.${key} is not a valid regular expression: ${(e as Error).message}`);
    }
  }
  return {
    file,
    ...(typeof value.owner === "string" ? { owner: value.owner } : {}),
    policy: policy,
  };
}

/** `file` relative to the working folder when it is inside it, else as it is. */
function shownPath(file: string): string {
  const from = relative(process.cwd(), file);
  return from && !from.startsWith("..") && !isAbsolute(from) ? from : file;
}

/** The policy's checks as problems of one file, positioned. */
function policyCheck(
  config: RepositoryConfig,
): (set: UserSet, locate: Locator) => UserSetProblem[] {
  const { policy } = config;
  // Named as a person finds it from here: an absolute path would put the runner's folders into
  // pull-request comments.
  const where = shownPath(config.file);
  const userName = policy.userNamePattern ? new RegExp(policy.userNamePattern) : undefined;
  const displayName = policy.displayNamePattern ? new RegExp(policy.displayNamePattern) : undefined;
  return (set, locate) => {
    const problems: UserSetProblem[] = [];
    set.users.forEach((u, i) => {
      const at = (field: string) => ({
        path: `users[${i}].${field}`,
        position: locate(["users", i, field]) ?? locate(["users", i]),
      });
      if (userName && !userName.test(u.userName))
        problems.push({
          ...at("userName"),
          message: `"${u.userName}" does not follow the team's policy userNamePattern ${policy.userNamePattern} (${where})`,
        });
      if (displayName && u.displayName !== undefined && !displayName.test(u.displayName))
        problems.push({
          ...at("displayName"),
          message: `"${u.displayName}" does not follow the team's policy displayNamePattern ${policy.displayNamePattern} (${where})`,
        });
      if (policy.requireKey && !hasKey(u, i, locate))
        problems.push({
          ...at("userName"),
          message: `${u.userName} has no key: the team's policy requires one per person (${where})`,
        });
    });
    return problems;
  };
}

/**
 * Whether the file gives the user a key. The locator answers the user's own position for a field
 * that is not there; without positions (code input), a key other than the default counts.
 */
function hasKey(u: DeclaredUser, i: number, locate: Locator): boolean {
  const key = locate(["users", i, "key"]);
  const user = locate(["users", i]);
  if (!key || !user) return u.key !== u.userName.toLowerCase();
  return key.line !== user.line || key.col !== user.col;
}

/**
 * The user sets declared by files and folders: files without an owner take the one of
 * ram-scim.yaml; files of the same owner form one set; the team's policy is checked; a person
 * declared in two places (any owners) is an error naming both. Every problem at once.
 */
export function loadUserSets(paths: readonly string[]): UserSet[] {
  const files = expandPaths(paths);
  const problems: UserSetProblem[] = [];
  if (files.length === 0)
    throw new UserSetError(
      [{ path: "", message: `no users files found in ${paths.join(", ")}` }],
      paths.join(", "),
    );
  const sets: UserSet[] = [];
  for (const file of files) {
    const read = readUsersFile(file);
    if ("problem" in read) {
      problems.push(read.problem);
      continue;
    }
    const { text } = read;
    const configFile = findConfig(dirname(file));
    const config = configFile ? loadConfig(configFile) : undefined;
    const defaults: FileDefaults = config
      ? { ...(config.owner ? { owner: config.owner } : {}), check: policyCheck(config) }
      : {};
    const result = checkUserSetText(text, file, defaults);
    if (!result.set) {
      for (const p of result.problems) problems.push(p); // a spread overflows the stack at ~100k
      continue;
    }
    const protectedByPolicy = config?.policy.protected ?? [];
    sets.push({
      ...result.set,
      protected: [...new Set([...result.set.protected, ...protectedByPolicy])],
    });
  }

  // The same person in two places, whatever the files' owners; one key twice for one owner.
  const seen = new Map<string, DeclaredUser>();
  const keys = new Map<string, DeclaredUser>();
  for (const set of sets)
    for (const user of set.users) {
      const sameKey = keys.get(user.externalId);
      if (sameKey && sameKey.source?.file !== user.source?.file)
        problems.push({
          path: "key",
          message: `key "${user.key}" of owner ${set.owner} is used twice: also by ${sameKey.userName} at ${sameKey.source?.file}:${sameKey.source?.line}:${sameKey.source?.col}`,
          ...(user.source ? { position: user.source } : {}),
        });
      else if (!sameKey) keys.set(user.externalId, user);
      const first = seen.get(foldUserName(user.userName));
      if (first && first.source?.file !== user.source?.file)
        problems.push({
          path: "userName",
          message: `${user.userName} is declared twice: also at ${first.source?.file}:${first.source?.line}:${first.source?.col}`,
          ...(user.source ? { position: user.source } : {}),
        });
      else if (!first) seen.set(foldUserName(user.userName), user);
    }
  if (problems.length > 0) throw new UserSetError(problems, files.join(", "));
  return mergeByOwner(sets);
}

/** Files of one owner are one set. */
function mergeByOwner(sets: readonly UserSet[]): UserSet[] {
  const byOwner = new Map<string, UserSet>();
  for (const set of sets) {
    const prior = byOwner.get(set.owner);
    if (!prior) {
      byOwner.set(set.owner, set);
      continue;
    }
    const force =
      prior.forceDelete === true || set.forceDelete === true
        ? true
        : [...(prior.forceDelete || []), ...(set.forceDelete || [])];
    byOwner.set(set.owner, {
      owner: set.owner,
      users: [...prior.users, ...set.users],
      protected: [...new Set([...prior.protected, ...set.protected])],
      adopt: [...new Set([...prior.adopt, ...set.adopt])],
      transferFrom: [...new Set([...prior.transferFrom, ...set.transferFrom])],
      allowEmpty: prior.allowEmpty || set.allowEmpty,
      managedGroups: [...new Set([...prior.managedGroups, ...set.managedGroups])],
      forceDelete: force,
      source: `${prior.source}, ${set.source}`,
    });
  }
  return [...byOwner.values()];
}
