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
    return value.map((v, i) => literalTree(v, `${what}[${i}]`)) as unknown as T;
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        literal(k, `${what} key`),
        literalTree(v, `${what}.${k}`),
      ]),
    ) as T;
  return value;
}

/**
 * A prop that may be a Terraform reference (a variable's token, another resource's attribute):
 * tokens pass through, anything else is written literally.
 */
export function setting(value: string, what: string): string {
  return Token.isUnresolved(value) ? value : literal(value, what);
}
