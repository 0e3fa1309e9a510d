/** Where something was written: a file position, for messages a person can jump to. */
export interface SourcePosition {
  /** The file's path, as it was given to the loader. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly col: number;
}

/** A person who must exist in RAM. */
export interface DeclaredUser {
  /** The name as RAM holds it: bare (a principal-name suffix is removed). */
  readonly userName: string;
  /** Undefined: RAM keeps whatever display name the user has. */
  readonly displayName?: string;
  /** Stable per person; a rename keeps it. */
  readonly key: string;
  /** `<owner>:<key>`: how the reconciler recognises the users it manages. */
  readonly externalId: string;
  /** Managed RAM groups this person belongs to. */
  readonly groups: readonly string[];
  /** Where the user's entry was written; absent for a set defined in code. */
  readonly source?: SourcePosition;
}

/** The validated set one owner declares. */
export interface UserSet {
  /**
   * Namespace of the set: its users carry externalId `<owner>:<key>`; other owners' users are never
   * touched.
   */
  readonly owner: string;
  /** The people who must exist in RAM. */
  readonly users: readonly DeclaredUser[];
  /** Bare user names never updated or deleted. */
  readonly protected: readonly string[];
  /** Bare user names to take over from unmanaged RAM users. */
  readonly adopt: readonly string[];
  /** Owners whose declared people this set takes over (the receiving side of a move). */
  readonly transferFrom: readonly string[];
  /** An empty users list is meant; without it an empty list is refused as a likely mistake. */
  readonly allowEmpty: boolean;
  /** Groups whose membership the set manages. */
  readonly managedGroups: readonly string[];
  /** Clear leavers' deletion blockers first: all of them, or those named. */
  readonly forceDelete: boolean | readonly string[];
  /** The file it came from, if any. */
  readonly source?: string;
}

/** What `defineUserSet` takes: the users file's shape. */
export interface UserSetInput {
  /** Namespace of the set: every user it creates carries externalId `<owner>:<key>`. */
  readonly owner: string;
  /** The people who must exist in RAM; an empty list needs `allowEmpty`. */
  readonly users: readonly UserInput[];
  /**
   * User names never updated or deleted, declared or not (e.g. break-glass accounts).
   * @default [] - no user is protected
   */
  readonly protected?: readonly string[];
  /**
   * Declared user names that exist in RAM unmanaged (console, IDaaS) and are to be taken over.
   * @default [] - a declared name that RAM holds unmanaged is a plan error
   */
  readonly adopt?: readonly string[];
  /**
   * Owners whose people this set takes over when it declares them (the receiving side of a move).
   * @default [] - other owners' users are never touched
   */
  readonly transferFrom?: readonly string[];
  /**
   * Accept an empty users list. An empty set never deletes anyone.
   * @default false - an empty list usually means a bad merge or the wrong file, so it is refused
   */
  readonly allowEmpty?: boolean;
  /**
   * RAM user groups whose membership this set manages; a user's `groups` must be listed here.
   * @default [] - no group membership is managed
   */
  readonly managedGroups?: readonly string[];
  /**
   * Clear a leaver's deletion blockers (docs/ram-api.md §1.4) before deleting: `true` for every
   * leaver, or a list of user names.
   * @default false - the plan lists each leaver's blockers and RAM's refusal is reported as a
   * failed delete
   */
  readonly forceDelete?: boolean | readonly string[];
}

/** One person as written in a users file or in code, before validation. */
export interface UserInput {
  /**
   * RAM user name: 1-64 letters, digits, `.`, `-`, `_`; a principal name `user@alias.onaliyun.com`
   * is accepted.
   */
  readonly userName: string;
  /**
   * 1-24 characters.
   * @default - none: RAM keeps whatever display name the user has
   */
  readonly displayName?: string;
  /**
   * Stable id of the person (an employee number); a rename keeps it.
   * @default - the lower-cased user name
   */
  readonly key?: string;
  /**
   * RAM user groups this person belongs to; each must be listed in `managedGroups`.
   * @default [] - the person is in none of the managed groups
   */
  readonly groups?: readonly string[];
}
