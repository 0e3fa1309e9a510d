import { ImsValidationError } from "./errors";
import type { ApplicationChanges, ApplicationSpec } from "./types";

/** Shortest access-token lifetime IMS accepts, seconds (docs/ram-api.md §2). */
export const TOKEN_VALIDITY_MIN = 900;
/** Longest access-token lifetime IMS accepts, seconds (docs/ram-api.md §2). */
export const TOKEN_VALIDITY_MAX = 10800;

type Problem = { field: string; message: string };

function displayNameProblem(field: string, value: unknown): Problem | undefined {
  if (typeof value !== "string" || value.length === 0 || [...value].length > 24)
    return { field, message: `must be 1-24 characters, got ${JSON.stringify(value)}` };
  return undefined;
}

function validityProblem(field: string, value: unknown): Problem | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== "number" ||
    !Number.isInteger(value) ||
    value < TOKEN_VALIDITY_MIN ||
    value > TOKEN_VALIDITY_MAX
  )
    return {
      field,
      message: `must be a whole number of seconds from ${TOKEN_VALIDITY_MIN} to ${TOKEN_VALIDITY_MAX}, got ${JSON.stringify(value)}`,
    };
  return undefined;
}

function scopesProblem(field: string, value: readonly string[] | undefined): Problem | undefined {
  if (value === undefined) return undefined;
  if (
    value.length === 0 ||
    value.some((s) => typeof s !== "string" || s.trim() === "" || s.includes(";"))
  )
    return {
      field,
      message: `must list at least one scope, none empty or containing ';', got ${JSON.stringify(value)}`,
    };
  return undefined;
}

/** Checks an application before any call: every problem at once, each naming its field. */
export function validateApplicationSpec(spec: ApplicationSpec): void {
  const problems = [
    typeof spec.appName !== "string" || !/^[A-Za-z0-9._-]{1,64}$/.test(spec.appName)
      ? {
          field: "appName",
          message: `must be 1-64 letters, digits, '.', '_' or '-', got ${JSON.stringify(spec.appName)}`,
        }
      : undefined,
    displayNameProblem("displayName", spec.displayName),
    validityProblem("accessTokenValidity", spec.accessTokenValidity),
    scopesProblem("scopes", spec.scopes),
  ].filter((p): p is Problem => p !== undefined);
  if (problems.length > 0) throw new ImsValidationError(problems);
}

export function validateApplicationChanges(changes: ApplicationChanges): void {
  const problems = [
    changes.displayName !== undefined
      ? displayNameProblem("displayName", changes.displayName)
      : undefined,
    validityProblem("accessTokenValidity", changes.accessTokenValidity),
    scopesProblem("scopes", changes.scopes),
  ].filter((p): p is Problem => p !== undefined);
  if (problems.length > 0) throw new ImsValidationError(problems);
}

export function requireId(field: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "")
    throw new ImsValidationError([{ field, message: `is required, got ${JSON.stringify(value)}` }]);
  return value;
}
