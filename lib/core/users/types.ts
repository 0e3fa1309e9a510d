/** Where something was written: a file position, for messages a person can jump to. */
export interface SourcePosition {
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
  readonly source?: SourcePosition;
}

/** The validated set one owner declares. */
export interface UserSet {
  readonly owner: string;
  readonly users: readonly DeclaredUser[];
  /** Bare user names never updated or deleted. */
  readonly protected: readonly string[];
  /** Bare user names to take over from unmanaged RAM users. */
  readonly adopt: readonly string[];
  /** Owners whose declared people this set takes over (the receiving side of a move). */
  readonly transferFrom: readonly string[];
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
  readonly owner: string;
  readonly users: readonly UserInput[];
  readonly protected?: readonly string[];
  readonly adopt?: readonly string[];
  readonly transferFrom?: readonly string[];
  readonly allowEmpty?: boolean;
  readonly managedGroups?: readonly string[];
  readonly forceDelete?: boolean | readonly string[];
}

export interface UserInput {
  readonly userName: string;
  readonly displayName?: string;
  readonly key?: string;
  readonly groups?: readonly string[];
}
