import { inspect } from "node:util";

const REDACTED = "[redacted]";

/**
 * A secret value that does not leak by accident: `String()`, `JSON.stringify`, `util.inspect`
 * and template literals all show `[redacted]`. Only `reveal()` gives the value.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The value itself: call it only where the value must be sent. */
  reveal(): string {
    return this.#value;
  }

  /** `[redacted]`, so that string conversion and template literals hide the value. */
  toString(): string {
    return REDACTED;
  }

  /** `[redacted]`, so that `JSON.stringify` hides the value. */
  toJSON(): string {
    return REDACTED;
  }

  /** `[redacted]`, so that `util.inspect` and `console.log` hide the value. */
  [inspect.custom](): string {
    return REDACTED;
  }
}

/**
 * The shortest value taken as a secret: a shorter one could not be hidden in output without
 * hiding ordinary words too (the redaction does not search for it).
 */
export const SHORTEST_SECRET = 4;

/**
 * Why `text`, read from a file or standard input as a secret, cannot be one; undefined when it
 * can. A trailing newline is not part of the secret. A secret is one line: several lines mean
 * another file was given (two arguments swapped), and such a file must not be sent as a secret.
 */
export function secretTextProblem(text: string): string | undefined {
  const value = secretValue(text);
  if (value === "") return "it is empty";
  if (value.length < SHORTEST_SECRET)
    return `it holds ${value.length} characters, too few for a secret`;
  const lines = value.split(/\r?\n/).length;
  if (lines > 1)
    return `it holds ${lines} lines, and a secret is one line: is it the right file (two arguments swapped)?`;
  // eslint-disable-next-line no-control-regex -- finding them is the point
  if (/[\u0000-\u001f\u007f]/.test(value)) return "it holds control characters";
  return undefined;
}

/** The secret in a file's or standard input's text: the text without its trailing newline. */
export function secretValue(text: string): string {
  return text.replace(/\r?\n$/, "");
}
