import { defineUserSet, loadUserSetFile, userSetInput } from "./load";
import type { UserSetInput } from "./types";

/**
 * Ways to declare the users, for the constructs of every adapter. Each checks the set at once
 * and reports every problem together (with FILE:LINE:COL for a file), at synth or preview.
 */
export const UserSet = {
  /** A users file (YAML or JSON), relative to the working directory of `cdktf synth` or the Pulumi program. */
  fromFile(path: string): UserSetInput {
    return userSetInput(loadUserSetFile(path));
  },
  /** Users written in code; the same rules as a file. */
  define(input: UserSetInput): UserSetInput {
    return userSetInput(defineUserSet(input));
  },
};
