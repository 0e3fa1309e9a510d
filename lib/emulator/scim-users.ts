import type { RamDirectory, RamUser } from "./directory";
import { DirectoryError, type UserInput } from "./user-rules";
import { FilterError, parseFilter, type EqualityClause } from "./filter";
import type { ResolvedEmulatorOptions } from "./resolve-options";
import { LIST_RESPONSE_SCHEMA, USER_SCHEMA, scimError, type Reply } from "./reply";

/** RAM's documented page size (its list example answers `itemsPerPage: 30`). */
export const DOCUMENTED_PAGE_SIZE = 30;

const KNOWN_ATTRIBUTES = new Set([
  "schemas",
  "id",
  "externalid",
  "username",
  "displayname",
  "meta",
]);

type UserRules = Pick<
  ResolvedEmulatorOptions,
  "maxPageSize" | "ignoreCount" | "unknownAttributes" | "userNameFormat" | "protectConsoleUsers"
>;

/** The `/Users` endpoint of RAM's SCIM service. */
export class ScimUsersEndpoint {
  constructor(
    private readonly directory: RamDirectory,
    private readonly rules: UserRules,
    private readonly baseUrl: () => string,
  ) {}

  list(query: URLSearchParams): Reply {
    let matches: RamUser[];
    const filter = query.get("filter");
    try {
      matches = filter ? this.filtered(parseFilter(filter)) : this.directory.all();
    } catch (e) {
      if (e instanceof FilterError) return scimError(400, e.message, "invalidFilter");
      throw e;
    }
    const startIndex = Math.max(1, toInteger(query.get("startIndex")) ?? 1);
    const requested = toInteger(query.get("count"));
    const pageSize = this.rules.ignoreCount
      ? DOCUMENTED_PAGE_SIZE
      : Math.min(Math.max(0, requested ?? DOCUMENTED_PAGE_SIZE), this.rules.maxPageSize);
    const page = matches.slice(startIndex - 1, startIndex - 1 + pageSize);
    return {
      status: 200,
      body: {
        schemas: [LIST_RESPONSE_SCHEMA],
        totalResults: matches.length,
        itemsPerPage: this.rules.ignoreCount ? DOCUMENTED_PAGE_SIZE : page.length,
        startIndex,
        Resources: page.map((u) => this.represent(u)),
      },
    };
  }

  get(id: string): Reply {
    const user = this.directory.get(id);
    if (!user) return scimError(404, `Resource ${id} not found`);
    return { status: 200, body: this.represent(user) };
  }

  create(body: unknown): Reply {
    return this.write(body, (input) => {
      const user = this.directory.create(input);
      const represented = this.represent(user);
      return { status: 201, headers: { Location: represented.meta.location }, body: represented };
    });
  }

  replace(id: string, body: unknown): Reply {
    const user = this.directory.get(id);
    if (!user) return scimError(404, `Resource ${id} not found`);
    const refused = this.outsideScim(user);
    if (refused) return refused;
    return this.write(body, (input) => ({
      status: 200,
      body: this.represent(this.directory.replace(id, input)),
    }));
  }

  delete(id: string): Reply {
    const user = this.directory.get(id);
    const refused = user ? this.outsideScim(user) : undefined;
    if (refused) return refused;
    try {
      this.directory.delete(id);
      return { status: 204 };
    } catch (e) {
      return directoryErrorReply(e);
    }
  }

  /** With protectConsoleUsers: SCIM may read a user made outside it, not change it. */
  private outsideScim(user: RamUser): Reply | undefined {
    if (!this.rules.protectConsoleUsers || user.origin !== "console") return undefined;
    return scimError(
      400,
      `The user ${user.userName} was not created through SCIM and cannot be changed or deleted through SCIM.`,
      "mutability",
    );
  }

  represent(user: RamUser) {
    const location = `${this.baseUrl()}/Users/${user.id}`;
    return {
      schemas: [USER_SCHEMA],
      id: user.id,
      ...(user.externalId !== undefined ? { externalId: user.externalId } : {}),
      userName:
        this.rules.userNameFormat === "principal"
          ? this.directory.principalName(user)
          : user.userName,
      ...(user.displayName !== undefined ? { displayName: user.displayName } : {}),
      meta: {
        resourceType: "User",
        created: user.created,
        lastModified: user.lastModified,
        location,
      },
    };
  }

  private filtered(clauses: EqualityClause[]): RamUser[] {
    // Each attribute is indexed; an `and` of clauses narrows the first match.
    const [first, ...rest] = clauses;
    if (!first) return [];
    const candidate = this.lookup(first);
    if (!candidate) return [];
    return rest.every((c) => this.lookup(c)?.id === candidate.id) ? [candidate] : [];
  }

  private lookup(clause: EqualityClause): RamUser | undefined {
    switch (clause.attribute) {
      case "id":
        return this.directory.get(clause.value);
      case "userName":
        return this.directory.findByUserName(clause.value);
      case "externalId":
        return this.directory.findByExternalId(clause.value);
    }
  }

  private write(body: unknown, action: (input: UserInput) => Reply): Reply {
    const parsed = this.parseUser(body);
    if ("status" in parsed) return parsed;
    try {
      return action(parsed);
    } catch (e) {
      return directoryErrorReply(e);
    }
  }

  private parseUser(body: unknown): UserInput | Reply {
    if (typeof body !== "object" || body === null || Array.isArray(body))
      return scimError(400, "The request body must be a JSON object", "invalidSyntax");
    // Attribute names are case-insensitive in SCIM (RFC 7643 §2.1).
    const fields = new Map<string, unknown>();
    for (const [key, value] of Object.entries(body)) fields.set(key.toLowerCase(), value);
    const schemas = fields.get("schemas");
    if (schemas !== undefined && (!Array.isArray(schemas) || !schemas.includes(USER_SCHEMA)))
      return scimError(400, `Attribute 'schemas' must contain ${USER_SCHEMA}`, "invalidSyntax");
    if (this.rules.unknownAttributes === "reject") {
      const unknown = [...Object.keys(body)].filter((k) => !KNOWN_ATTRIBUTES.has(k.toLowerCase()));
      if (unknown.length > 0)
        return scimError(
          400,
          `Attribute '${unknown[0]}' is not supported: RAM users take only userName, displayName and externalId`,
          "invalidValue",
        );
    }
    for (const name of ["username", "displayname", "externalid"]) {
      const value = fields.get(name);
      if (value !== undefined && value !== null && typeof value !== "string")
        return scimError(400, `Attribute '${name}' must be a string`, "invalidValue");
    }
    const input: UserInput = { userName: (fields.get("username") as string | undefined) ?? "" };
    const displayName = fields.get("displayname");
    const externalId = fields.get("externalid");
    if (typeof displayName === "string") input.displayName = displayName;
    if (typeof externalId === "string") input.externalId = externalId;
    return input;
  }
}

function directoryErrorReply(e: unknown): Reply {
  if (e instanceof DirectoryError) return scimError(e.status, e.message, e.scimType);
  throw e;
}

function toInteger(value: string | null): number | undefined {
  if (value === null || !/^-?\d+$/.test(value)) return undefined;
  return Number(value);
}
