import { inspect } from "node:util";
import { Secret, SHORTEST_SECRET } from "./secret";

/** What a hidden value is replaced with, everywhere. */
export const REDACTED = "[redacted]";

/** Names of query parameters, JSON fields and headers whose value is a credential. */
// The prefix is bounded and starts at a name's beginning: an unbounded lazy prefix backtracks
// quadratically on long runs of name characters.
const SECRET_NAME = String.raw`(?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]{0,40}?(?:secret|token|password|passwd|signature|api[_-]?key)(?:[_-]?value)?`;

/**
 * The shapes of a credential in free text, whoever wrote the text (us, a server that echoed a
 * request, an SDK): each keeps what identifies the place and hides the value.
 */
const SHAPES: readonly { pattern: RegExp; keep: (...groups: string[]) => string }[] = [
  // An HTTP Authorization value: `Basic dXNlcjpzZWNyZXQ=`, `Bearer eyJ…` (not "Basic auth").
  {
    pattern: /\b(Basic|Bearer)\s+(?=\S*[0-9+/=])[A-Za-z0-9._~+/=-]{8,}/gi,
    keep: (_, scheme) => `${scheme} ${REDACTED}`,
  },
  // URL user-info, all of it: `https://user:p@ss@host`, `https://ghp_token@host`.
  {
    pattern: /\b([a-z][a-z0-9+.-]{0,20}:\/\/)[^\s/?#"'<>]*@/gi,
    keep: (_, scheme) => `${scheme}${REDACTED}@`,
  },
  // A query parameter or form field: `client_secret=…`, `&access_token=…`.
  {
    pattern: new RegExp(String.raw`(${SECRET_NAME})=([^&\s#"'<>]+)`, "gi"),
    keep: (_, name) => `${name}=${REDACTED}`,
  },
  // A JSON field: `"client_secret": "…"`, `"AppSecretValue":"…"`, `"authorization": "…"`.
  {
    pattern: new RegExp(
      String.raw`"(${SECRET_NAME}|authorization)"(\s*:\s*)"(?:[^"\\]|\\.)*"`,
      "gi",
    ),
    keep: (_, name, colon) => `"${name}"${colon}"${REDACTED}"`,
  },
];

/**
 * One rule for hiding credentials in anything a person or a log will read: known values (a
 * client secret, an AccessKey secret, and the forms they travel in — Basic credentials,
 * percent-encoded, JSON-escaped) and the shapes credentials take in text (Authorization
 * values, URL user-info, secret-named parameters and fields). Every message path applies it:
 * the SCIM and IMS clients to what a server sends back, the CLI to everything it prints.
 */
export class Redactor {
  // A private field: util.inspect and JSON.stringify of a client never list the values.
  readonly #known = new Set<string>();
  #pattern: RegExp | undefined;

  /** Hides `value` from now on, with the forms it is sent in (`id` for HTTP Basic). */
  add(value: string | Secret | undefined, id?: string): this {
    const plain = value instanceof Secret ? value.reveal() : value;
    if (plain === undefined || plain.length < SHORTEST_SECRET) return this;
    const percent = encodeURIComponent(plain);
    const forms = [
      plain,
      plain.trim(),
      plain.replace(/\s+/g, " "), // a server that collapsed whitespace
      percent,
      percent.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
      new URLSearchParams({ v: plain }).toString().slice(2), // form encoding
      JSON.stringify(plain).slice(1, -1),
      Buffer.from(plain, "utf8").toString("base64"),
      Buffer.from(plain, "utf8").toString("base64url"),
    ];
    if (id !== undefined) {
      forms.push(Buffer.from(`${id}:${plain}`, "utf8").toString("base64"));
      forms.push(Buffer.from(`${id}:${plain}`, "utf8").toString("base64url"));
    }
    for (const form of forms) if (form.length >= SHORTEST_SECRET) this.#known.add(form);
    this.#pattern = undefined;
    return this;
  }

  toJSON(): string {
    return "Redactor";
  }

  [inspect.custom](): string {
    return `Redactor(${this.#known.size} values)`;
  }

  /**
   * `text` with every known value hidden, in any letter case: for data a person asked for
   * (an export, a plan), where a display name that merely looks like a credential must stay.
   */
  hideKnown(text: string): string {
    if (this.#known.size === 0) return text;
    // Longest first, so that a value containing another is hidden whole.
    this.#pattern ??= new RegExp(
      [...this.#known]
        .sort((a, b) => b.length - a.length)
        .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("|"),
      "gi",
    );
    return text.replace(this.#pattern, REDACTED);
  }

  /** `text` with every known value and every credential shape replaced by `[redacted]`. */
  redact(text: string): string {
    let out = this.hideKnown(text);
    for (const { pattern, keep } of SHAPES)
      out = out.replace(pattern, (...m: unknown[]) => keep(...(m.slice(0, -2) as string[])));
    return out;
  }
}

/** `text` with credential shapes and the given values hidden: {@link Redactor} for one use. */
export function redact(text: string, ...secrets: (string | Secret | undefined)[]): string {
  const redactor = new Redactor();
  for (const s of secrets) redactor.add(s);
  return redactor.redact(text);
}
