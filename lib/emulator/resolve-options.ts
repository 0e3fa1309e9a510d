import type { AccessKey } from "./ims/signature";
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_CLIENT_ID,
  EmulatorOptionsError,
  type EmulatorClient,
  type EmulatorOptions,
  type FaultOptions,
  type SeedUser,
} from "./options";

/** Every option with its default filled in. */
export interface ResolvedEmulatorOptions extends Required<
  Omit<
    EmulatorOptions,
    | "clients"
    | "seedUsers"
    | "seedGroups"
    | "stateFile"
    | "faults"
    | "tokenLifetimeSeconds"
    | "accessKeys"
  >
> {
  readonly tokenLifetimeSeconds: number | undefined;
  readonly clients: readonly EmulatorClient[];
  readonly accessKeys: readonly AccessKey[];
  readonly seedUsers: readonly SeedUser[];
  readonly seedGroups: readonly string[];
  readonly stateFile: string | undefined;
  readonly faults: Required<Omit<FaultOptions, "readRateLimit" | "writeRateLimit">> &
    Pick<FaultOptions, "readRateLimit" | "writeRateLimit">;
}

/** The options with their defaults filled in; throws an EmulatorOptionsError naming each problem. */
export function resolveOptions(
  options: EmulatorOptions,
  generateSecret: () => string,
): ResolvedEmulatorOptions {
  const faults = options.faults ?? {};
  const resolved: ResolvedEmulatorOptions = {
    port: options.port ?? 0,
    host: options.host ?? "127.0.0.1",
    tokenLifetimeSeconds: options.tokenLifetimeSeconds,
    clients: options.clients ?? [{ clientId: DEMO_CLIENT_ID, clientSecret: generateSecret() }],
    accessKeys: options.accessKeys ?? [
      { accessKeyId: DEMO_ACCESS_KEY_ID, accessKeySecret: generateSecret() },
    ],
    accountId: options.accountId ?? "1234567890123456",
    maxPageSize: options.maxPageSize ?? 100,
    ignoreCount: options.ignoreCount ?? false,
    unknownAttributes: options.unknownAttributes ?? "reject",
    userNameFormat: options.userNameFormat ?? "bare",
    lowercaseUserNames: options.lowercaseUserNames ?? false,
    protectConsoleUsers: options.protectConsoleUsers ?? false,
    accountAlias: options.accountAlias ?? "emulator",
    responseContentType: options.responseContentType ?? "json",
    seedUsers: options.seedUsers ?? [],
    // Groups a seeded user belongs to exist too.
    seedGroups: [
      ...new Set([
        ...(options.seedGroups ?? []),
        ...(options.seedUsers ?? []).flatMap((u) => u.blockers?.groups ?? []),
      ]),
    ],
    stateFile: options.stateFile,
    clock: options.clock ?? Date.now,
    faults: {
      latencyMs: faults.latencyMs ?? 0,
      readRateLimit: faults.readRateLimit,
      writeRateLimit: faults.writeRateLimit,
      transientErrorRate: faults.transientErrorRate ?? 0,
      dropConnectionRate: faults.dropConnectionRate ?? 0,
      seed: faults.seed ?? 1,
    },
  };
  checkOptions(resolved);
  return resolved;
}

function checkOptions(o: ResolvedEmulatorOptions): void {
  const problems: string[] = [];
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535)
    problems.push(`port must be an integer from 0 to 65535, got ${o.port}`);
  if (o.tokenLifetimeSeconds !== undefined && !(o.tokenLifetimeSeconds > 0))
    problems.push(`tokenLifetimeSeconds must be positive, got ${o.tokenLifetimeSeconds}`);
  if (!Number.isInteger(o.maxPageSize) || o.maxPageSize < 1)
    problems.push(`maxPageSize must be a positive integer, got ${o.maxPageSize}`);
  if (o.clients.length === 0) problems.push("clients must name at least one application");
  if (typeof o.clock !== "function")
    problems.push(`clock must be a function returning milliseconds, got ${typeof o.clock}`);
  for (const [name, rate] of [
    ["faults.transientErrorRate", o.faults.transientErrorRate],
    ["faults.dropConnectionRate", o.faults.dropConnectionRate],
  ] as const) {
    if (!(rate >= 0 && rate <= 1)) problems.push(`${name} must be between 0 and 1, got ${rate}`);
  }
  for (const [name, limit] of [
    ["faults.readRateLimit", o.faults.readRateLimit],
    ["faults.writeRateLimit", o.faults.writeRateLimit],
  ] as const) {
    if (limit !== undefined && !(limit > 0))
      problems.push(`${name} must be positive when set, got ${limit}`);
  }
  const latency = o.faults.latencyMs;
  const [lo, hi] = typeof latency === "number" ? [latency, latency] : latency;
  if (!(lo >= 0 && hi >= lo))
    problems.push(`faults.latencyMs must be >= 0 (or a [min, max] range), got ${String(latency)}`);
  if (problems.length > 0) throw new EmulatorOptionsError(problems);
}
