import { RamScimError } from "../errors";
import { createHash } from "node:crypto";
import type { UserSet } from "../users/types";
import { planJson } from "./render";
import type { MaxDeletes, Plan } from "./types";

/**
 * A reviewed plan kept for a later apply (`ram-scim plan --out`, `apply --plan`), as Terraform's
 * `-out`: per owner, the steps, a digest of the declared set they came from, and the digest of
 * the steps themselves. The apply plans again from the files and RAM as they are then, and goes
 * ahead only when that gives the very same steps.
 */
export interface SavedPlan {
  /** The file's version; `parseSavedPlan` refuses any other. */
  readonly formatVersion: 1;
  /** Tells a saved plan from the other JSON documents `ram-scim` writes. */
  readonly kind: "saved-plan";
  /** When the plan was made, an ISO 8601 date-time (UTC). */
  readonly createdAt: string;
  /**
   * The --max-deletes the plan was made with, if any: for the record only. An apply judges the
   * guard with its own limit (flag, variable or default), never one the file brings. Absent when
   * the plan was made with the default limit.
   */
  readonly maxDeletes?: MaxDeletes;
  /** One entry per owner planned, in the order the plans were given to `savePlans`. */
  readonly sets: readonly SavedSet[];
}

/** One owner's part of a {@link SavedPlan}: what the apply checks before it goes ahead. */
export interface SavedSet {
  /** The set's owner; an apply finds its entry by it. */
  readonly owner: string;
  /** sha256 of the declared set (its users, adopt, protected, …; not where it was read from). */
  readonly desiredDigest: string;
  /** sha256 of the steps: what an apply must find again. */
  readonly stepsDigest: string;
  /** The plan as `--format json` prints it, for people and tools to read. */
  readonly plan: ReturnType<typeof planJson>;
}

/**
 * Why a saved plan may not be applied: the files or RAM no longer give the same plan. Nothing
 * was changed and a person must plan again: a refusal (exit 3).
 */
export class SavedPlanMismatch extends RamScimError {
  constructor(message: string) {
    super(message, 3);
    this.name = "SavedPlanMismatch";
  }
}

function sha256(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

/** The declared set as it matters to a plan: its content, not the file it came from. */
export function desiredDigest(set: UserSet): string {
  const { source: _from, users, ...content } = set;
  // Where each person was written (file, line) is no part of the plan: a comment or a checkout
  // in another folder is the same set.
  return sha256({ ...content, users: users.map(({ source: _at, ...u }) => u) });
}

/** The steps of a plan, by content (ids, users, changes, order), not by when it was made. */
export function stepsDigest(plan: Plan): string {
  return sha256(planJson(plan).steps);
}

/**
 * The saved plan of `ram-scim plan --out`: each set's plan with the digests an apply checks.
 * `maxDeletes` is recorded as given (undefined: the default limit); `now` is the creation time.
 */
export function savePlans(
  plans: readonly { set: UserSet; plan: Plan }[],
  maxDeletes: MaxDeletes | undefined,
  now: Date = new Date(),
): SavedPlan {
  return {
    formatVersion: 1,
    kind: "saved-plan",
    createdAt: now.toISOString(),
    ...(maxDeletes !== undefined ? { maxDeletes } : {}),
    sets: plans.map(({ set, plan }) => ({
      owner: set.owner,
      desiredDigest: desiredDigest(set),
      stepsDigest: stepsDigest(plan),
      plan: planJson(plan),
    })),
  };
}

/** Reads a saved plan's text; says what is wrong with it, never a stack. */
export function parseSavedPlan(text: string, where: string): SavedPlan {
  let value: Partial<SavedPlan>;
  try {
    value = JSON.parse(text) as Partial<SavedPlan>;
  } catch (e) {
    void e; // JSON.parse quotes the text: a secret file given here by mistake must not be shown
    throw new SavedPlanMismatch(
      `${where} is not JSON: give the file \`ram-scim plan --out\` wrote`,
    );
  }
  if (value.kind !== "saved-plan" || value.formatVersion !== 1 || !Array.isArray(value.sets))
    throw new SavedPlanMismatch(
      `${where} is not a saved plan of this version (kind "saved-plan", formatVersion 1): give the file \`ram-scim plan --out\` wrote`,
    );
  return value as SavedPlan;
}

/** The saved entry for one set, after checking that the set is the one that was reviewed. */
export function savedFor(saved: SavedPlan, set: UserSet, where: string): SavedSet {
  const entry = saved.sets.find((s) => s.owner === set.owner);
  if (!entry)
    throw new SavedPlanMismatch(
      `${where} has no plan for owner "${set.owner}": plan again with these files and review it`,
    );
  if (entry.desiredDigest !== desiredDigest(set))
    throw new SavedPlanMismatch(
      `the users files of owner "${set.owner}" changed since ${where} was saved: plan again and review it`,
    );
  return entry;
}

/** Checks that a fresh plan gives the saved steps; names the first difference when not. */
export function checkSameSteps(entry: SavedSet, fresh: Plan, where: string): void {
  if (stepsDigest(fresh) === entry.stepsDigest) return;
  const line = (s: { action: string; userName: string; id?: string }) =>
    `${s.action} ${s.userName}${s.id ? ` (id ${s.id})` : ""}`;
  const before = entry.plan.steps.map(line);
  const now = planJson(fresh).steps.map(line);
  const nowSet = new Set(now);
  const beforeSet = new Set(before);
  const gone = before.filter((l) => !nowSet.has(l));
  const added = now.filter((l) => !beforeSet.has(l));
  const detail = [
    ...gone.slice(0, 5).map((l) => `no longer planned: ${l}`),
    ...added.slice(0, 5).map((l) => `newly needed: ${l}`),
  ];
  throw new SavedPlanMismatch(
    `RAM changed since ${where} was saved, so owner "${entry.owner}" no longer gets the reviewed plan` +
      `${detail.length > 0 ? `:\n- ${detail.join("\n- ")}` : " (the same steps, in another form)"}\n` +
      `Nothing was changed: plan again and review it.`,
  );
}
