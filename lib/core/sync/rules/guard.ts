import type { GuardVerdict, MaxDeletes, PlanProblem } from "../types";

export const DEFAULT_MIN_DELETES = 5;
export const DEFAULT_DELETE_SHARE = 0.25;

/**
 * Deletion guard: a plan that deletes more than the limit (default: 5 users or 25 % of the
 * managed ones, whichever is larger) is refused as a whole, with the way to raise the limit.
 */
export function deletionGuard(
  deletes: number,
  managed: number,
  maxDeletes: MaxDeletes | undefined,
  optionName = "maxDeletes",
): { verdict: GuardVerdict; problem?: PlanProblem } {
  let limit: number;
  let limitSource: string;
  if (maxDeletes === undefined) {
    limit = Math.max(DEFAULT_MIN_DELETES, Math.floor(managed * DEFAULT_DELETE_SHARE));
    limitSource = `default: max(${DEFAULT_MIN_DELETES}, 25 % of ${managed} managed)`;
  } else if (typeof maxDeletes === "string") {
    const share = Number(maxDeletes.slice(0, -1));
    limit = Math.floor((managed * share) / 100);
    limitSource = `${optionName} ${maxDeletes} of ${managed} managed`;
  } else {
    limit = maxDeletes;
    limitSource = `${optionName} ${maxDeletes}`;
  }
  const verdict: GuardVerdict = { deletes, managed, limit, limitSource, refused: deletes > limit };
  if (!verdict.refused) return { verdict };
  return {
    verdict,
    problem: {
      rule: "deletion-guard",
      message:
        `the plan deletes ${deletes} users, more than the limit of ${limit} (${limitSource}); nothing is applied. ` +
        `If these deletions are meant, raise the limit: ${optionName} ${deletes}.`,
    },
  };
}

/** Reads `10` or `30%`; undefined when the text is neither. */
export function parseMaxDeletes(text: string): MaxDeletes | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  if (/^\d+(\.\d+)?%$/.test(text) && Number(text.slice(0, -1)) <= 100) return text as `${number}%`;
  return undefined;
}
