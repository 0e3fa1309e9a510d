export { loadUserSetFile, parseUserSet, defineUserSet, userSetInput } from "./load";
export { UserSetError, formatProblem } from "./errors";
export type { UserSetProblem } from "./errors";
export { bareUserName, foldUserName, sameUserName } from "./names";
export type { DeclaredUser, SourcePosition, UserInput, UserSet, UserSetInput } from "./types";
