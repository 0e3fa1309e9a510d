/** The attributes RAM lets a client filter on (docs/ram-api.md §3). */
export type FilterableAttribute = "id" | "userName" | "externalId";

/**
 * `attribute eq "value"`. Filter values are JSON strings (RFC 7644 §3.4.2.2), so JSON's own
 * escaping quotes `"` and `\` and control characters correctly.
 */
export function equalityFilter(attribute: FilterableAttribute, value: string): string {
  return `${attribute} eq ${JSON.stringify(value)}`;
}
