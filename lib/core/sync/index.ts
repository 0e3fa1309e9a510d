export { plan, planTeardown, summarize, hasChanges, stepGroup, stepUserName, ORDER } from "./plan";
export { apply, stopReason } from "./apply";
export { readRamState, needsAccess } from "./read-state";
export { managedAfter, ownHoldings } from "./managed";
export type { OwnHoldings } from "./managed";
export type {
  AccessDirectory,
  ApplyOptions,
  ApplyResult,
  StepOutcome,
  UserDirectory,
} from "./apply";
export * from "./render";
export { parseMaxDeletes } from "./rules/guard";
export type * from "./types";
export { diffUserSets, diffSummary } from "./diff";
export { renderDiff } from "./render/diff";
export type { OwnerDiff, UserChange } from "./diff";
export {
  savePlans,
  parseSavedPlan,
  savedFor,
  checkSameSteps,
  desiredDigest,
  stepsDigest,
  SavedPlanMismatch,
} from "./saved";
export type { SavedPlan, SavedSet } from "./saved";
