import { Token } from "cdktf";

/** CDK for Terraform's own token markers: a string holding one is resolved, not written as is. */
const TOKEN_MARKER = /[$#&]\{TfToken\[/;

/**
 * Terraform's JSON syntax reads every string as a template: `${…}` and `%{…}` in a value would be
 * evaluated (a display name `${file("/etc/hostname")}` becomes the host's name). `$${` and `%%{`
 * are the escapes that leave the text as written, so user data and props reach RAM unchanged.
 */
export function literal(value: string, what: string): string {
  if (TOKEN_MARKER.test(value))
    throw new Error(
      `${what}: ${JSON.stringify(value)} holds a CDK for Terraform token marker ("\${TfToken["), which synthesis would replace: write it differently`,
    );
  // Function replacements: in a replacement string, "$$" would itself mean one "$".
  return value.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** `literal()` for every string and key of a plain value (objects, lists, strings, numbers, booleans). */
export function literalTree<T>(value: T, what: string): T {
  if (typeof value === "string") return literal(value, what) as T;
  if (Array.isArray(value))
    return value.map((v: unknown, i) => literalTree(v, `${what}[${i}]`)) as T;
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        literal(k, `${what} key`),
        literalTree(v, `${what}.${k}`),
      ]),
    ) as T;
  return value;
}

/** A string token as cdktf encodes it; what surrounds it is the prop's own text. */
const STRING_TOKEN = /(\$\{TfToken\[[A-Za-z0-9:._-]+\]\})/;

/**
 * A prop that may hold Terraform references (a variable's token, another resource's attribute):
 * the tokens pass through, and the text around them is written literally
 * (`logs-${stage}-${x}.jsonl` keeps `${x}` as text and refers to the variable).
 */
export function setting(value: string, what: string): string {
  if (!Token.isUnresolved(value)) return literal(value, what);
  return value
    .split(STRING_TOKEN)
    .map((part, i) => (i % 2 === 1 ? part : literal(part, what)))
    .join("");
}
