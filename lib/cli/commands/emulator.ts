import { randomBytes } from "node:crypto";
import { exampleText } from "../help";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Option, type Command } from "commander";
import { startEmulator, type EmulatorOptions, type RamEmulator } from "../../emulator";
import { DEMO_ACCESS_KEY_ID, DEMO_CLIENT_ID } from "../../emulator/options";
import { UsageError, type CliIo } from "../io";
import { integer, latency, positiveNumber, share } from "../parse";
import { readSecretFile } from "../secret-file";
import { readEmulatorSeed } from "../emulator-seed";

interface EmulatorFlags {
  port: number;
  host: string;
  tokenLifetime?: number;
  clientId: string;
  clientSecretFile?: string;
  accessKeyId: string;
  accessKeySecretFile?: string;
  maxPageSize?: number;
  ignoreCount?: boolean;
  unknownAttributes?: "reject" | "ignore";
  userNameFormat?: "bare" | "principal";
  lowercaseUserNames?: boolean;
  protectConsoleUsers?: boolean;
  accountAlias?: string;
  contentType?: "json" | "scim+json";
  seed?: string;
  state?: string;
  latency?: number | [number, number];
  readRateLimit?: number;
  writeRateLimit?: number;
  transientErrorRate?: number;
  dropConnectionRate?: number;
  faultSeed?: number;
}

/** `ram-scim emulator`: RAM's SCIM, OAuth and IMS endpoints on this machine, until interrupted. */
export function registerEmulator(program: Command, io: CliIo, result: { exitCode: number }): void {
  const command = program
    .command("emulator")
    .addHelpText(
      "after",
      exampleText([
        "ram-scim emulator",
        "ram-scim emulator --port 0 --seed examples/emulator-seed.json --latency 20-80",
      ]),
    )
    .description("run the RAM emulator (OAuth token endpoint and SCIM /Users) until interrupted");
  faultOptions(behaviourOptions(identityOptions(command))).action(async (flags: EmulatorFlags) => {
    result.exitCode = await runEmulator(flags, io);
  });
}

/** Where it listens, and the application and AccessKey it accepts. */
function identityOptions(command: Command): Command {
  return command
    .option("--port <port>", "TCP port, 0 for any free one", integer("--port", 0, 65535), 8686)
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--client-id <id>", "AppId of the emulated OAuth application", DEMO_CLIENT_ID)
    .option(
      "--client-secret-file <file>",
      "read the application secret from a file (default: a new random one)",
    )
    .option("--access-key-id <id>", "AccessKey id accepted on IMS calls", DEMO_ACCESS_KEY_ID)
    .option(
      "--access-key-secret-file <file>",
      "read that AccessKey's secret from a file (default: a new random one)",
    );
}

/** How it answers: token lifetime, paging, user names, content type, users at start, state. */
function behaviourOptions(command: Command): Command {
  return command
    .option("--token-lifetime <seconds>", "access-token lifetime", integer("--token-lifetime", 1))
    .option(
      "--max-page-size <n>",
      "largest page honoured on GET /Users (default 100)",
      integer("--max-page-size", 1),
    )
    .option("--ignore-count", "ignore count and answer pages of the documented 30")
    .addOption(
      new Option("--unknown-attributes <mode>", "emails, active, …: refuse or drop them").choices([
        "reject",
        "ignore",
      ]),
    )
    .addOption(
      new Option("--user-name-format <format>", "userName in answers").choices([
        "bare",
        "principal",
      ]),
    )
    .option("--lowercase-user-names", "store user names lower-cased, as IDaaS pushes them")
    .option(
      "--protect-console-users",
      "SCIM refuses to change or delete users made outside SCIM, as IDaaS documents (the answer is a guess)",
    )
    .option("--account-alias <alias>", "account alias in principal names (default emulator)")
    .addOption(
      new Option("--content-type <type>", "content type of answers").choices(["json", "scim+json"]),
    )
    .option(
      "--seed <file>",
      'users present at start: a JSON array (userName, displayName, externalId, blockers), or {"users": [...], "groups": [...]}',
    )
    .option("--state <file>", "load state from this file and save it there on change and exit");
}

/** Faults to test a client against: latency, rate limits, errors, dropped connections. */
function faultOptions(command: Command): Command {
  return command
    .option("--latency <ms>", "added latency per request: 50 or 20-80", latency("--latency"))
    .option(
      "--read-rate-limit <perSecond>",
      "SCIM reads per second before 429",
      positiveNumber("--read-rate-limit"),
    )
    .option(
      "--write-rate-limit <perSecond>",
      "SCIM writes per second before 429",
      positiveNumber("--write-rate-limit"),
    )
    .option(
      "--transient-error-rate <share>",
      "share of requests answered 500/503",
      share("--transient-error-rate"),
    )
    .option(
      "--drop-connection-rate <share>",
      "share of connections dropped",
      share("--drop-connection-rate"),
    )
    .option("--fault-seed <n>", "seed of the fault injection", integer("--fault-seed", 0));
}

/** Starts it, prints the banner, and serves until the run is stopped; the exit status. */
async function runEmulator(flags: EmulatorFlags, io: CliIo): Promise<number> {
  const secrets = secretFiles(flags, io);
  try {
    const emulator = await startOrExplain(toOptions(flags, secrets));
    if (emulator.exposed) io.stderr(exposedWarning(flags.host));
    io.stdout(describe(emulator, secrets));
    await new Promise<void>((resolve) => {
      if (io.stop.aborted) resolve();
      io.stop.addEventListener("abort", () => resolve(), { once: true });
    });
    await emulator.close();
    io.stdout("ram-scim emulator stopped\n");
    return 0;
  } finally {
    secrets.cleanup();
  }
}

/** The emulator's two secrets, each in a file: the banner names the file, never the value. */
interface SecretFiles {
  readonly clientSecret: string;
  readonly clientSecretFile: string;
  readonly accessKeySecret: string;
  readonly accessKeySecretFile: string;
  /** Removes the files this run made (not the ones it was given). */
  cleanup(): void;
}

/**
 * Reads the secrets from the files given, and makes the others at random into a private folder
 * (mode 0700, files 0600) that goes when the emulator stops. Either way the run's redactor knows
 * them, so that nothing it prints shows them.
 */
function secretFiles(f: EmulatorFlags, io: CliIo): SecretFiles {
  let folder: string | undefined;
  const made = (name: string): { value: string; file: string } => {
    folder ??= mkdtempSync(join(tmpdir(), "ram-scim-emulator-"));
    const file = join(folder, name);
    const value = randomBytes(24).toString("base64url");
    writeFileSync(file, `${value}\n`, { mode: 0o600, flag: "wx" });
    io.secrets?.add(value);
    return { value, file };
  };
  const given = (flag: string, file: string) => ({
    value: readSecretFile(flag, file, io),
    file: resolve(file),
  });
  const client = f.clientSecretFile
    ? given("--client-secret-file", f.clientSecretFile)
    : made("client-secret");
  const accessKey = f.accessKeySecretFile
    ? given("--access-key-secret-file", f.accessKeySecretFile)
    : made("access-key-secret");
  return {
    clientSecret: client.value,
    clientSecretFile: client.file,
    accessKeySecret: accessKey.value,
    accessKeySecretFile: accessKey.file,
    cleanup: () => {
      if (folder) rmSync(folder, { recursive: true, force: true });
    },
  };
}

function toOptions(f: EmulatorFlags, secrets: SecretFiles): EmulatorOptions {
  const { clientSecret, accessKeySecret } = secrets;
  return {
    port: f.port,
    host: f.host,
    tokenLifetimeSeconds: f.tokenLifetime,
    clients: [{ clientId: f.clientId, clientSecret }],
    accessKeys: [{ accessKeyId: f.accessKeyId, accessKeySecret }],
    maxPageSize: f.maxPageSize,
    ignoreCount: f.ignoreCount,
    unknownAttributes: f.unknownAttributes,
    userNameFormat: f.userNameFormat,
    lowercaseUserNames: f.lowercaseUserNames,
    protectConsoleUsers: f.protectConsoleUsers,
    accountAlias: f.accountAlias,
    responseContentType: f.contentType,
    ...(f.seed ? readEmulatorSeed("--seed", f.seed) : {}),
    stateFile: f.state,
    faults: {
      latencyMs: f.latency,
      readRateLimit: f.readRateLimit,
      writeRateLimit: f.writeRateLimit,
      transientErrorRate: f.transientErrorRate,
      dropConnectionRate: f.dropConnectionRate,
      seed: f.faultSeed,
    },
  };
}

async function startOrExplain(options: EmulatorOptions): Promise<RamEmulator> {
  try {
    return await startEmulator(options);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE")
      throw new UsageError(
        `port ${options.port} on ${options.host} is in use: choose another with --port (0 picks a free one)`,
      );
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND")
      throw new UsageError(`--host ${options.host}: no such interface on this machine`);
    throw e;
  }
}

function exposedWarning(host: string): string {
  return [
    "",
    `WARNING: the emulator listens on ${host}, beyond this machine. Anyone who reaches this port can`,
    "  get tokens with the demo credentials and change its users. It is a test tool: bind it to",
    "  127.0.0.1 (the default) unless a container or CI service must reach it, and never expose it",
    "  to a network you do not control. Clients on this machine use the loopback URL below.",
    "",
    "",
  ].join("\n");
}

/** What a person needs to point the CLI or their own client at the emulator; no secret's value. */
function describe(e: RamEmulator, secrets: SecretFiles): string {
  return [
    `RAM emulator listening on ${e.url}`,
    `  SCIM base URL   ${e.scimUrl}`,
    `  token URL       ${e.tokenUrl}`,
    `  counters        ${e.url}/_emulator/counters`,
    "",
    "Demo credentials of the emulated OAuth application (they work on this emulator only):",
    `  export RAM_SCIM_URL=${e.scimUrl}`,
    `  export RAM_SCIM_TOKEN_URL=${e.tokenUrl}`,
    `  export RAM_SCIM_CLIENT_ID=${e.client.clientId}`,
    `  export RAM_SCIM_CLIENT_SECRET_FILE=${shellWord(secrets.clientSecretFile)}`,
    "",
    "Demo AccessKey for the IMS API (ram-scim app …, the official SDK):",
    `  export RAM_SCIM_IMS_ENDPOINT=${e.url}`,
    `  export ALIBABA_CLOUD_ACCESS_KEY_ID=${e.accessKey.accessKeyId}`,
    `  export ALIBABA_CLOUD_ACCESS_KEY_SECRET="$(cat ${shellWord(secrets.accessKeySecretFile)})"`,
    "",
    "Press Ctrl+C to stop.",
    "",
  ].join("\n");
}

/** A path as one shell word. */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
}
