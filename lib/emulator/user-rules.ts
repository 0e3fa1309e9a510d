/** Why a write was refused; the HTTP layer turns it into a SCIM error. */
export class DirectoryError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: string | undefined,
    detail: string,
  ) {
    super(detail);
    this.name = "DirectoryError";
  }
}

/** A user's writable attributes, as a SCIM body carries them. */
export interface UserInput {
  userName: string;
  displayName?: string;
  externalId?: string;
}

/** The account's settings that RAM's naming rules depend on. */
export interface NamingRules {
  readonly accountAlias: string;
  readonly lowercaseUserNames: boolean;
}

/**
 * Principal-name part before `@`: letters, digits, `.`, `-`, `_`, 1–64 characters (docs/ram-api.md
 * §4).
 */
const USER_PART = /^[A-Za-z0-9._-]{1,64}$/;
const PRINCIPAL_NAME_MAX = 128;
const DISPLAY_NAME_MAX = 24;

/**
 * The attributes RAM would store, or a 400 DirectoryError naming the first one it refuses.
 * Uniqueness is the directory's to check.
 */
export function checkAttributes(input: UserInput, rules: NamingRules): UserInput {
  const out: UserInput = { userName: checkUserName(input.userName, rules) };
  if (input.displayName !== undefined && input.displayName !== null)
    out.displayName = checkDisplayName(input.displayName);
  if (input.externalId !== undefined && input.externalId !== null)
    out.externalId = checkExternalId(input.externalId);
  return out;
}

/** `alice@<alias>.onaliyun.com` → `alice`; anything else is returned as it is. */
export function bareName(name: string, accountAlias: string): string {
  const suffix = `@${accountAlias}.onaliyun.com`;
  return name.toLowerCase().endsWith(suffix.toLowerCase())
    ? name.slice(0, name.length - suffix.length)
    : name;
}

/** The bare name to store: principal names of this account only, RAM's characters and lengths. */
function checkUserName(given: unknown, rules: NamingRules): string {
  if (typeof given !== "string" || given.length === 0)
    throw new DirectoryError(400, "invalidValue", "Attribute 'userName' is required");
  const userName = bareName(given, rules.accountAlias);
  if (given.includes("@") && userName === given) {
    throw new DirectoryError(
      400,
      "invalidValue",
      `Attribute 'userName' has an invalid value '${given}': ` +
        `the domain must be ${rules.accountAlias}.onaliyun.com`,
    );
  }
  const principalLength = userName.length + `@${rules.accountAlias}.onaliyun.com`.length;
  if (!USER_PART.test(userName) || principalLength > PRINCIPAL_NAME_MAX) {
    throw new DirectoryError(
      400,
      "invalidValue",
      `Attribute 'userName' has an invalid value '${given}': ` +
        "1-64 characters of letters, digits, '.', '-' and '_' are allowed",
    );
  }
  return rules.lowercaseUserNames ? userName.toLowerCase() : userName;
}

function checkDisplayName(given: unknown): string {
  const length = [...String(given)].length;
  if (typeof given !== "string" || length < 1 || length > DISPLAY_NAME_MAX) {
    throw new DirectoryError(
      400,
      "invalidValue",
      `Attribute 'displayName' has an invalid value: 1-${DISPLAY_NAME_MAX} characters are allowed, got ${length}`,
    );
  }
  return given;
}

function checkExternalId(given: unknown): string {
  if (typeof given !== "string" || given.length === 0)
    throw new DirectoryError(
      400,
      "invalidValue",
      "Attribute 'externalId' must be a non-empty string",
    );
  return given;
}
