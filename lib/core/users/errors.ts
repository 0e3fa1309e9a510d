import { RamScimError } from "../errors";
import type { SourcePosition } from "./types";

/** One thing wrong with a user set, where it is, and what to do. */
export interface UserSetProblem {
  /** Path of the value in the set, e.g. `users[2].displayName`; empty for the whole file. */
  readonly path: string;
  /** What is wrong, with the value and the fix. */
  readonly message: string;
  /** Where in the file the value is; absent for a set defined in code. */
  readonly position?: SourcePosition;
  /**
   * Set when the problem is a safety rule rather than a mistake in the file: `empty-set`, an
   * empty users list without allowEmpty (it would look like everyone left).
   */
  readonly safety?: "empty-set";
}

/**
 * One problem as a line, `FILE:LINE:COL: path: message`; `fallbackSource` stands in for an unknown
 * position.
 */
export function formatProblem(p: UserSetProblem, fallbackSource = "user set"): string {
  const where = p.position
    ? `${p.position.file}:${p.position.line}:${p.position.col}`
    : fallbackSource;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** Problems a message lists; the rest are counted (all stay in `problems`). */
export const PROBLEMS_LISTED = 50;

/** The problems as lines, at most {@link PROBLEMS_LISTED}, then how many more there are. */
export function formatProblems(problems: readonly UserSetProblem[], source = "user set"): string {
  const lines = problems.slice(0, PROBLEMS_LISTED).map((p) => formatProblem(p, source));
  const more = problems.length - PROBLEMS_LISTED;
  if (more > 0)
    lines.push(`… and ${more} more problem${more === 1 ? "" : "s"} (${problems.length} in all)`);
  return lines.join("\n");
}

/** Every problem found in a user set, all at once. */
export class UserSetError extends RamScimError {
  constructor(
    /** Every problem found; the message lists the first 50 and counts the rest. */
    readonly problems: readonly UserSetProblem[],
    /** The file, or what else the set came from (e.g. `defineUserSet`), for messages. */
    readonly source = "user set",
  ) {
    // An empty users list alone is a safety rule's refusal (3), not a mistake in the file (1).
    super(
      formatProblems(problems, source),
      problems.length > 0 && problems.every((p) => p.safety !== undefined) ? 3 : 1,
    );
    this.name = "UserSetError";
  }
}
