import { Option } from "commander";
import { loadUserSets, parseUserSet, type UserSet } from "../../core/users";
import { UsageError, type CliIo } from "../io";

/** `--users-env VARIABLE`: the users file handed over in a variable (what the cdktf constructs do). */
export function usersEnvOption() {
  return new Option(
    "--users-env <variable>",
    "read the users file (YAML or JSON, or base64 of either) from this environment variable",
  );
}

/**
 * The user sets: from files, folders or globs (one set per owner, ram-scim.yaml's owner and
 * policy applied), or from a variable holding one file base64-encoded. Checked before RAM is asked.
 */
export function usersFrom(
  paths: readonly string[],
  usersEnv: string | undefined,
  io: CliIo,
): UserSet[] {
  if (paths.length > 0 && usersEnv)
    throw new UsageError("give users files or --users-env, not both");
  if (usersEnv) {
    const value = io.env[usersEnv];
    if (!value) throw new UsageError(`--users-env ${usersEnv}: the variable is not set or empty`);
    return [parseUserSet(usersText(value), `$${usersEnv}`)];
  }
  if (paths.length === 0)
    throw new UsageError("name the users files or folders (or give --users-env VARIABLE)");
  return loadUserSets(paths);
}

/**
 * A users file handed over in a variable or a query: its text (what the cdktf constructs send:
 * JSON) or that text base64-encoded (`filebase64()` in plain Terraform). A users file always holds
 * a `:`, which base64 never does.
 */
export function usersText(value: string): string {
  return /^[A-Za-z0-9+/=\s]+$/.test(value) ? Buffer.from(value, "base64").toString("utf8") : value;
}
