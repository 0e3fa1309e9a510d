import {
  apply,
  compactSummary,
  needsAccess,
  plan,
  readRamState,
  planTeardown,
  stepGroup,
  stepUserName,
  summarize,
  type MaxDeletes,
  type Plan,
} from "../../core/sync";
import { defineUserSet, UserSetError, type UserSet, type UserSetInput } from "../../core/users";
import type { RamAccessClient } from "../../core/ims";
import type { ScimClient } from "../../core/scim";
import { accessClient, defined, isUnknown, scimClient, type ScimInputs } from "./context";

export interface UserSetInputs extends ScimInputs {
  userSet: UserSetInput;
  /** IMS endpoint for group membership and blockers. */
  imsEndpoint?: string;
  maxDeletes?: MaxDeletes;
  deleteUsersOnDestroy?: boolean;
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

async function livePlan(inputs: UserSetInputs): Promise<Plan> {
  return (await liveState(inputs)).plan;
}

/** One read of RAM: the plan, the clients that read it, and how many users the owner manages. */
async function liveState(inputs: UserSetInputs): Promise<{
  plan: Plan;
  managed: number;
  client: ScimClient;
  access: RamAccessClient | undefined;
}> {
  const set = desired(inputs);
  const client = scimClient(inputs);
  const access = accessClient(inputs.imsEndpoint, needsAccess(set));
  const state = await readRamState(client, access, set);
  const managed = state.users.filter((u) => u.externalId?.startsWith(`${set.owner}:`)).length;
  return {
    plan: plan(set, state, { maxDeletes: inputs.maxDeletes, maxDeletesName: "maxDeletes" }),
    managed,
    client,
    access,
  };
}

function destroyBehavior(inputs: UserSetInputs, managed: number): string {
  return inputs.deleteUsersOnDestroy
    ? `pulumi destroy deletes the ${managed} managed users (deleteUsersOnDestroy is true)`
    : `pulumi destroy leaves the ${managed} managed users in RAM (set deleteUsersOnDestroy: true to remove them)`;
}

/** Validates the set, then reads RAM live so that the preview shows what would change. */
export async function check(_olds: unknown, news: UserSetInputs) {
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
  if (isUnknown([news.clientId, news.clientSecret, news.scimUrl, news.tokenUrl]))
    return { inputs: news, failures: [] };
  return {
    inputs: { ...news, pendingChanges: compactSummary(await livePlan(news)) },
    failures: [],
  };
}

/**
 * Reconciles on every apply: besides changed inputs, RAM itself is read and any step it still
 * needs counts as a change, even when no input changed.
 */
export async function diff(_id: string, olds: UserSetOutputs, news: UserSetInputs) {
  const replaces = olds.owner !== news.userSet?.owner ? ["userSet.owner"] : [];
  const inputsChanged = JSON.stringify(comparable(olds)) !== JSON.stringify(comparable(news));
  if (isUnknown(news)) return { changes: true, replaces };
  const drift = (await livePlan(news)).steps.length > 0;
  return {
    changes: inputsChanged || drift || replaces.length > 0,
    replaces,
    deleteBeforeReplace: true,
  };
}

function comparable(i: UserSetInputs) {
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
    pendingChanges: i.pendingChanges ?? "",
  };
}

async function reconcile(inputs: UserSetInputs): Promise<UserSetOutputs> {
  // The client that read RAM applies too: one token, not two.
  const { plan: p, managed: before, client, access } = await liveState(inputs);
  const result = await apply(client, p, access ? { access } : {});
  if (!result.ok) {
    const lines =
      result.refused.length > 0
        ? result.refused.map((e) => e.message)
        : result.outcomes
            .filter((o) => o.status !== "done")
            .map((o) => `${stepGroup(o.step)} ${stepUserName(o.step)}: ${o.detail ?? o.status}`);
    throw new Error(
      `RAM is not in step with the user set of owner "${p.owner}":\n- ${lines.join("\n- ")}`,
    );
  }
  const s = summarize(p);
  const managed = before + s.create + s.adopt - s.delete;
  // When each leaver's access ended, for the record (the stack's outputs and history keep it).
  const leavers = result.outcomes
    .filter((o) => o.step.action === "delete")
    .map((o) => ({ userName: stepUserName(o.step), removedAt: o.finishedAt }));
  return defined({
    ...inputs,
    owner: p.owner,
    pendingChanges: "",
    managedUsers: managed,
    destroyBehavior: destroyBehavior(inputs, managed),
    lastLeavers: leavers,
  });
}

export async function create(inputs: UserSetInputs) {
  return { id: `owner:${inputs.userSet.owner}`, outs: await reconcile(inputs) };
}

export async function update(_id: string, _olds: UserSetOutputs, news: UserSetInputs) {
  return { outs: await reconcile(news) };
}

/** `pulumi refresh` records what RAM now needs; `pulumi import` takes the owner's users as they are. */
export async function read(id: string, props?: Partial<UserSetOutputs>) {
  if (!props?.userSet) {
    const owner = id.replace(/^owner:/, "");
    return {
      id,
      props: defined({ ...props, owner, userSet: { owner, users: [], allowEmpty: true } }),
    };
  }
  const inputs = props as UserSetInputs;
  const p = await livePlan(inputs);
  const managed =
    p.unchanged +
    p.steps.filter((s) => s.action === "update").length +
    p.steps.filter((s) => s.action === "delete").length;
  return {
    id,
    props: defined({
      ...props,
      pendingChanges: compactSummary(p),
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
  const p = planTeardown(desired(props), await client.listUsers());
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
