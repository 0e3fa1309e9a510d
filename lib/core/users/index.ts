export {
  loadUserSetFile,
  parseUserSet,
  defineUserSet,
  userSetInput,
  checkUserSetText,
} from "./load";
export { loadUserSets, loadConfig, findConfig, expandPaths, CONFIG_FILE } from "./tree";
export type { RepositoryConfig, RepositoryPolicy } from "./tree";
export type { FileDefaults } from "./load";
export { UserSetError, formatProblem } from "./errors";
export type { UserSetProblem } from "./errors";
export { bareUserName, foldUserName, sameUserName } from "./names";
export type { DeclaredUser, SourcePosition, UserInput, UserSet, UserSetInput } from "./types";
