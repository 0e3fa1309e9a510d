/**
 * The emulator's own reading of SCIM filters, limited to what RAM accepts (docs/ram-api.md §3):
 * `eq` and `and`, on `id`, `userName` and `externalId`. It shares nothing with the client's
 * filter builder on purpose.
 */

export type FilterAttribute = "id" | "userName" | "externalId";

export interface EqualityClause {
  readonly attribute: FilterAttribute;
  readonly value: string;
}

export class FilterError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = "FilterError";
  }
}

const ATTRIBUTES: Record<string, FilterAttribute> = {
  id: "id",
  username: "userName",
  externalid: "externalId",
};

/** Parses `a eq "x" and b eq y` into clauses that must all hold. */
export function parseFilter(text: string): EqualityClause[] {
  const tokens = tokenize(text);
  const clauses: EqualityClause[] = [];
  let i = 0;
  for (;;) {
    const attr = tokens[i];
    const op = tokens[i + 1];
    const value = tokens[i + 2];
    if (!attr || attr.kind !== "word")
      throw new FilterError(`Expected an attribute name at position ${attr?.at ?? text.length}`);
    const attribute = ATTRIBUTES[attr.text.toLowerCase()];
    if (!attribute)
      throw new FilterError(
        `Filtering on '${attr.text}' is not supported; only id, userName and externalId can be filtered`,
      );
    if (!op || op.kind !== "word")
      throw new FilterError(`Expected an operator after '${attr.text}'`);
    if (op.text.toLowerCase() !== "eq")
      throw new FilterError(`Operator '${op.text}' is not supported; only 'eq' and 'and' are`);
    if (!value || (value.kind !== "string" && value.kind !== "word"))
      throw new FilterError(`Expected a value after '${attr.text} ${op.text}'`);
    clauses.push({ attribute, value: value.text });
    i += 3;
    const next = tokens[i];
    if (!next) return clauses;
    if (next.kind !== "word" || next.text.toLowerCase() !== "and")
      throw new FilterError(
        `Unexpected '${next.text}' at position ${next.at}; only 'and' can join comparisons`,
      );
    i += 1;
  }
}

interface Token {
  readonly kind: "word" | "string" | "symbol";
  readonly text: string;
  readonly at: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === " " || c === "\t") {
      i += 1;
    } else if (c === '"') {
      const start = i;
      i += 1;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      if (i >= text.length)
        throw new FilterError(`Unterminated string starting at position ${start}`);
      i += 1;
      let value: unknown;
      try {
        value = JSON.parse(text.slice(start, i));
      } catch {
        throw new FilterError(`Invalid string literal at position ${start}`);
      }
      tokens.push({ kind: "string", text: value as string, at: start });
    } else if ("()[]".includes(c)) {
      throw new FilterError(`Grouping with '${c}' is not supported`);
    } else {
      const start = i;
      while (i < text.length && !' \t"()[]'.includes(text[i] as string)) i += 1;
      tokens.push({ kind: "word", text: text.slice(start, i), at: start });
    }
  }
  return tokens;
}
