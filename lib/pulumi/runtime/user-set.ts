import { createHash } from "node:crypto";
import {
  apply,
  compactSummary,
  managedAfter,
  needsAccess,
  ownHoldings,
  plan,
  readRamState,
  planTeardown,
  stepGroup,
  stepUserName,
  type ApplyResult,
  type StepOutcome,
  type MaxDeletes,
  type Plan,
} from "../../core/sync";
import { defineUserSet, UserSetError, type UserSet, type UserSetInput } from "../../core/users";
import type { RamAccessClient } from "../../core/ims";
import type { ScimClient } from "../../core/scim";
import {
  accessClient,
  defined,
  isUnknown,
  providerHoldsPath,
  scimClient,
  type ScimInputs,
} from "./context";

export interface UserSetInputs extends ScimInputs {
  userSet: UserSetInput;
  /** IMS endpoint for group membership and blockers. */
  imsEndpoint?: string;
  maxDeletes?: MaxDeletes;
  deleteUsersOnDestroy?: boolean;
  /** On create, take over the people the owner already manages in RAM. @default false: refused */
  adoptExisting?: boolean;
  /** Filled in by check(): what an apply would do now, e.g. "+2 ~1 -1 (alice, bob, carol)". */
  pendingChanges?: string;
}

export interface UserSetOutputs extends UserSetInputs {
  owner: string;
  /** Users the owner manages in RAM after the last apply or refresh. */
  managedUsers: number;
  /** What `pulumi destroy` will do to the people. */
  destroyBehavior: string;
  /** The leavers of the last update and when their access was removed. */
  lastLeavers?: { userName: string; removedAt: string }[];
}

function desired(inputs: UserSetInputs): UserSet {
  return defineUserSet(inputs.userSet);
}

/** One read of RAM and the plan made from it, with the clients that read it. */
interface Live {
  /** The plan; `managedAfter(plan)` is how many users the set manages now (a former owner's too). */
  plan: Plan;
  /** Of those, the ones the owner itself already holds (before any move). */
  own: number;
  /** Of those, the ones the set does not declare (a move would delete them). */
  ownUndeclared: number;
  client: ScimClient;
  access: RamAccessClient | undefined;
}

/** The owner the set had before, when it changes: its people move to the new owner in place. */
function formerOwners(olds: Partial<UserSetInputs> | undefined, news: UserSetInputs): string[] {
  const before = olds?.userSet?.owner;
  return typeof before === "string" && before !== news.userSet.owner ? [before] : [];
}

async function readLive(inputs: UserSetInputs, former: readonly string[]): Promise<Live> {
  const set = desired(inputs);
  const client = scimClient(inputs);
  const access = accessClient(inputs.imsEndpoint, needsAccess(set));
  const state = await readRamState(client, access, set, former);
  const p = plan(set, state, {
    maxDeletes: inputs.maxDeletes,
    maxDeletesName: "maxDeletes",
    formerOwners: former,
  });
  const held = ownHoldings(state.users, set);
  return {
    plan: p,
    own: held.own,
    ownUndeclared: held.undeclared,
    client,
    access,
  };
}

/*
 * The read a preview made, kept in the provider host (one process per engine run) for the
 * update or create that follows it in the same run: check() reads RAM once, diff() and the
 * update use that read. Keyed by a digest of the inputs (secrets never kept as text); used once.
 */
const reads = new Map<string, Live>();
const READS_KEPT = 32;

function readKey(inputs: UserSetInputs, former: readonly string[]): string {
  const { pendingChanges: _ignored, ...rest } = inputs as UserSetInputs & { __provider?: string };
  delete (rest as { __provider?: string }).__provider;
  return createHash("sha256")
    .update(JSON.stringify([comparable(rest), former]))
    .digest("hex");
}

function remember(key: string, live: Live): void {
  reads.delete(key);
  reads.set(key, live);
  while (reads.size > READS_KEPT) reads.delete(reads.keys().next().value as string);
}

function destroyBehavior(inputs: UserSetInputs, managed: number): string {
  return inputs.deleteUsersOnDestroy
    ? `pulumi destroy deletes the ${managed} managed users (deleteUsersOnDestroy is true)`
    : `pulumi destroy leaves the ${managed} managed users in RAM (set deleteUsersOnDestroy: true to remove them)`;
}

function people(n: number): string {
  return `${n} ${n === 1 ? "user" : "users"}`;
}

/** What the preview says: the plan in one line, and an owner change or adoption before it. */
function pending(live: Live, former: readonly string[], creating: boolean, owner: string): string {
  const summary = compactSummary(live.plan);
  if (live.plan.errors.length > 0) return summary;
  const moving = managedAfter(live.plan) - live.own;
  const notes = [
    ...former.map((f) => `owner "${f}" -> "${owner}": ${people(moving)} move in place`),
    ...((creating || former.length > 0) && live.own > 0
      ? [`adopts the ${people(live.own)} owner "${owner}" already manages`]
      : []),
  ];
  if (notes.length === 0) return summary;
  return `${notes.join("; ")}${summary ? `; ${summary}` : ""}`;
}

/**
 * A create must not take over people another stack (or a lost state) holds under its owner,
 * unless asked. Nor a move to another owner: there, people of the new owner whom the set
 * declares count as moved already (a move that failed halfway, run again).
 */
function adoptionProblem(inputs: UserSetInputs, live: Live, creating: boolean): string | undefined {
  const held = creating ? live.own : live.ownUndeclared;
  if (inputs.adoptExisting || held === 0) return undefined;
  const owner = desired(inputs).owner;
  return (
    `owner "${owner}" already manages ${people(held)} in RAM${creating ? "" : " that this set does not declare"}: ` +
    `another stack, or a state that was lost, may hold them. Set adoptExisting: true to take them over, or choose another owner.`
  );
}

/**
 * Validates the set, then reads RAM once so that the preview shows what would change; diff and
 * the update that follow use this read.
 */
export async function check(olds: Partial<UserSetInputs> | undefined, news: UserSetInputs) {
  if (isUnknown(news.userSet)) return { inputs: news, failures: [] };
  try {
    desired(news);
  } catch (e) {
    if (!(e instanceof UserSetError)) throw e;
    return {
      inputs: news,
      failures: e.problems.map((p) => ({
        property: p.path ? `userSet.${p.path}` : "userSet",
        reason: p.message,
      })),
    };
  }
  if (isUnknown([news.clientId, news.clientSecret, news.scimUrl, news.tokenUrl, news.imsEndpoint]))
    return { inputs: news, failures: [] };
  const former = formerOwners(olds, news);
  const creating = olds?.userSet === undefined;
  const live = await readLive(news, former);
  remember(readKey(news, former), live);
  const refused = creating || former.length > 0 ? adoptionProblem(news, live, creating) : undefined;
  if (refused) return { inputs: news, failures: [{ property: "adoptExisting", reason: refused }] };
  return {
    inputs: { ...news, pendingChanges: pending(live, former, creating, news.userSet.owner) },
    failures: [],
  };
}

/**
 * Reconciles on every apply: besides changed inputs, check() read RAM, and any step it still
 * needs (its pendingChanges) counts as a change even when no input changed. Nothing here is
 * replaced: a new owner moves the same people in place.
 */
export async function diff(_id: string, olds: UserSetOutputs, news: UserSetInputs) {
  if (isUnknown(news)) return { changes: true, replaces: [], deleteBeforeReplace: false };
  const inputsChanged = JSON.stringify(comparable(olds)) !== JSON.stringify(comparable(news));
  return {
    changes: inputsChanged || (news.pendingChanges ?? "") !== "" || providerHoldsPath(olds),
    replaces: [],
    deleteBeforeReplace: false,
  };
}

function comparable(i: Partial<UserSetInputs>) {
  return {
    userSet: i.userSet,
    clientId: i.clientId,
    clientSecret: i.clientSecret,
    scimUrl: i.scimUrl,
    tokenUrl: i.tokenUrl,
    site: i.site,
    imsEndpoint: i.imsEndpoint,
    maxDeletes: i.maxDeletes,
    deleteUsersOnDestroy: i.deleteUsersOnDestroy ?? false,
    adoptExisting: i.adoptExisting ?? false,
    pendingChanges: i.pendingChanges ?? "",
  };
}

/** An error the host reports as "created but not in step": the engine keeps id and state. */
class PartialApply extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: UserSetOutputs,
  ) {
    super(message);
  }
  get reasons(): string[] {
    return [this.message];
  }
}

/** Whether a step failed because RAM is not what the read showed (a user gone or taken). */
function staleRead(result: ApplyResult): boolean {
  return result.outcomes.some(
    (o) =>
      o.status === "failed" &&
      (o.error?.status === 404 || (o.error?.status === 409 && !o.error.blockers?.length)),
  );
}

async function reconcile(
  id: string,
  inputs: UserSetInputs,
  former: readonly string[],
  creating: boolean,
): Promise<UserSetOutputs> {
  const key = readKey(inputs, former);
  let live = reads.get(key) ?? (await readLive(inputs, former));
  reads.delete(key);
  if (creating || former.length > 0) {
    const refused = adoptionProblem(inputs, live, creating);
    if (refused) throw new Error(refused);
  }
  let result = await apply(live.client, live.plan, live.access ? { access: live.access } : {});
  const earlier: StepOutcome[] = [];
  if (!result.ok && result.refused.length === 0 && staleRead(result)) {
    // RAM changed since it was read: read again, plan again, and say so.
    console.log(
      `ram-scim: RAM changed since the preview read it (owner "${live.plan.owner}"): planned again`,
    );
    for (const o of result.outcomes) if (o.status === "done") earlier.push(o);
    live = await readLive(inputs, former);
    result = await apply(live.client, live.plan, live.access ? { access: live.access } : {});
  }
  const p = live.plan;
  // The second plan was made after the first apply's steps: count each once.
  const outcomes = [...earlier, ...result.outcomes];
  const managed = managedAfter(p, result);
  // When each leaver's access ended, for the record (the stack's outputs and history keep it).
  const leavers = outcomes
    .filter((o) => o.step.action === "delete" && o.status === "done")
    .map((o) => ({ userName: stepUserName(o.step), removedAt: o.finishedAt }));
  const outputs = (pendingChanges: string) =>
    defined({
      ...inputs,
      owner: p.owner,
      pendingChanges,
      managedUsers: managed,
      destroyBehavior: destroyBehavior(inputs, managed),
      lastLeavers: leavers,
    });
  if (result.ok) return outputs("");
  const lines =
    result.refused.length > 0
      ? result.refused.map((e) => e.message)
      : result.outcomes
          .filter((o) => o.status !== "done")
          .map((o) => `${stepGroup(o.step)} ${stepUserName(o.step)}: ${o.detail ?? o.status}`);
  const message = `RAM is not in step with the user set of owner "${p.owner}":\n- ${lines.join("\n- ")}`;
  // Nothing done: the state stays as it was. During an owner change too, so that the next run
  // still knows the former owner and finds the people not moved yet. Otherwise the state keeps
  // what was done, and the next `pulumi up` continues (the engine records it, then updates).
  if (former.length > 0 || outcomes.every((o) => o.status !== "done")) throw new Error(message);
  throw new PartialApply(message, id, outputs("(not in step: see the last error)"));
}

export async function create(inputs: UserSetInputs) {
  const id = `owner:${inputs.userSet.owner}`;
  return { id, outs: await reconcile(id, inputs, [], true) };
}

/** A new owner is an update: the same people keep their RAM ids; their externalIds move. */
export async function update(id: string, olds: UserSetOutputs, news: UserSetInputs) {
  return { outs: await reconcile(id, news, formerOwners(olds, news), false) };
}

/**
 * `pulumi refresh`: records what RAM now needs. (`pulumi import` cannot reach a dynamic
 * provider: the engine sends no provider text. Adopt with `adoptExisting` instead.)
 */
export async function read(id: string, props?: Partial<UserSetOutputs>) {
  if (!props?.userSet)
    throw new Error(
      `cannot read user set ${id} without its state: dynamic providers cannot be imported; declare the set with adoptExisting: true instead`,
    );
  const inputs = props as UserSetInputs;
  const live = await readLive(inputs, []);
  const managed = managedAfter(live.plan);
  return {
    id,
    props: defined({
      ...props,
      pendingChanges: compactSummary(live.plan),
      managedUsers: managed,
      destroyBehavior: destroyBehavior(inputs, managed),
    }),
  };
}

/** People stay in RAM unless deleteUsersOnDestroy is true. */
export async function remove(_id: string, props: UserSetOutputs): Promise<void> {
  if (!props.deleteUsersOnDestroy) {
    console.log(`ram-scim: ${destroyBehavior(props, props.managedUsers ?? 0)}`);
    return;
  }
  const client = scimClient(props);
  // deleteUsersOnDestroy is the explicit raise of the deletion guard.
  const p = planTeardown(desired(props), await client.listUsers(), { maxDeletes: "100%" });
  const result = await apply(client, p);
  if (!result.ok) {
    const failed = result.outcomes
      .filter((o) => o.status !== "done")
      .map((o) => `${stepUserName(o.step)}: ${o.detail}`);
    throw new Error(
      `could not delete every managed user of owner "${props.owner}":\n- ${failed.join("\n- ")}`,
    );
  }
}
