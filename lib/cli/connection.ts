import { Option, type Command } from "commander";
import { hasAccessKey, ImsClient, RamAccessClient } from "../core/ims";
import { embeddedEmulator, emulatorImsOptions, wantsEmbedded } from "./ims-connection";
import { ScimClient, type ScimClientOptions, type Site } from "../core/scim";
import type { RamEmulator } from "../emulator";
import { UsageError, type CliIo } from "./io";
import { acceptSecret, readSecretFile } from "./secret-file";
import { integer } from "./parse";

export interface ConnectionFlags {
  clientId?: string;
  clientSecretFile?: string;
  clientSecretStdin?: boolean;
  clientSecret?: string;
  scimUrl?: string;
  tokenUrl?: string;
  site?: Site;
  emulator?: boolean;
  emulatorState?: string;
  emulatorSeed?: string;
  concurrency?: number;
  appName?: string;
}

/** The options every command that talks to RAM takes. Never the secret's value itself. */
export function addConnectionOptions(command: Command): Command {
  return command
    .option("--client-id <appId>", "OAuth application AppId (default: $RAM_SCIM_CLIENT_ID)")
    .option(
      "--client-secret-file <file>",
      "read the application secret from a file (default: $RAM_SCIM_CLIENT_SECRET_FILE, else the value in $RAM_SCIM_CLIENT_SECRET)",
    )
    .option("--client-secret-stdin", "read the application secret from standard input")
    .addOption(new Option("--client-secret <value>").hideHelp())
    .addOption(
      new Option(
        "--site <site>",
        "cn or intl: picks the default URLs (default: $RAM_SCIM_SITE or cn)",
      ).choices(["cn", "intl"]),
    )
    .option("--scim-url <url>", "SCIM base URL (default: $RAM_SCIM_URL or the site's)")
    .option("--token-url <url>", "OAuth token URL (default: $RAM_SCIM_TOKEN_URL or the site's)")
    .option(
      "--app-name <appName>",
      "find the client id by the application's AppName through IMS (default: $RAM_SCIM_APP_NAME)",
    )
    .option(
      "--emulator",
      "work against an embedded RAM emulator instead of Alibaba Cloud (offline)",
    )
    .option(
      "--emulator-state <file>",
      "with the embedded emulator: keep its users in this JSON file between runs",
    )
    .option(
      "--emulator-seed <file>",
      "with the embedded emulator: users and groups it holds at start (as `ram-scim emulator --seed`)",
    );
}

export function addConcurrencyOption(command: Command): Command {
  return command.option(
    "--concurrency <n>",
    "SCIM requests in flight at once (default 8)",
    integer("--concurrency", 1, 64),
  );
}

/** A connected client, and what to close when the command ends. */
export interface Connection {
  readonly client: ScimClient;
  /** IMS/RAM with AccessKey credentials, for groups and blockers; undefined when none were given. */
  readonly access?: RamAccessClient;
  readonly emulator?: RamEmulator;
  close(): Promise<void>;
}

export async function connect(flags: ConnectionFlags, io: CliIo): Promise<Connection> {
  if (flags.clientSecret !== undefined)
    throw new UsageError(
      "--client-secret is not accepted: a secret on the command line shows in `ps` and shell history. " +
        "Use RAM_SCIM_CLIENT_SECRET, --client-secret-file FILE or --client-secret-stdin",
    );
  if (wantsEmbedded(flags)) return connectEmbedded(flags, io);
  const access = hasAccessKey(io.env) ? new RamAccessClient({ env: io.env }) : undefined;
  // An explicit --app-name beats an inherited RAM_SCIM_CLIENT_ID; empty variables count as unset.
  const clientId =
    flags.clientId ||
    (flags.appName
      ? await clientIdByName(flags.appName, io)
      : io.env.RAM_SCIM_CLIENT_ID || (await clientIdByName(io.env.RAM_SCIM_APP_NAME, io)));
  const options: ScimClientOptions = {
    env: io.env,
    ...(clientId ? { clientId } : {}),
    ...(flags.site ? { site: flags.site } : {}),
    ...(flags.scimUrl ? { scimUrl: flags.scimUrl } : {}),
    ...(flags.tokenUrl ? { tokenUrl: flags.tokenUrl } : {}),
    ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
  };
  const secret = await clientSecret(flags, io);
  // Hidden from everything this run prints, with the Basic credentials it travels in.
  io.secrets?.add(secret ?? io.env.RAM_SCIM_CLIENT_SECRET, clientId);
  return {
    client: new ScimClient({
      ...options,
      ...(secret ? { clientSecret: secret } : {}),
      onEvent: (event) => {
        // A rate limit or a 5xx is routine; a network that does not answer is worth a line.
        if (!event.reason.startsWith("HTTP"))
          io.stderr(
            `ram-scim: no answer from ${new URL(event.url).host} (${event.reason}); trying again in ${(event.delayMs / 1000).toFixed(1)} s\n`,
          );
      },
    }),
    access,
    close: async () => undefined,
  };
}

/**
 * The embedded emulator, reached with the credentials the flags name (an application made with
 * `app create … --emulator-state FILE`, say), else with its demo application. Endpoint flags
 * make no sense here and are refused; a RAM_SCIM_CLIENT_ID left in the environment is not used,
 * and the run says so.
 */
async function connectEmbedded(flags: ConnectionFlags, io: CliIo): Promise<Connection> {
  const endpoint = flags.scimUrl
    ? "--scim-url"
    : flags.tokenUrl
      ? "--token-url"
      : flags.site
        ? "--site"
        : undefined;
  if (endpoint)
    throw new UsageError(
      `${endpoint} and --emulator do not go together: the embedded emulator has its own endpoints`,
    );
  const given =
    flags.clientId || flags.appName || flags.clientSecretFile || flags.clientSecretStdin;
  const emulator = await embeddedEmulator(flags);
  try {
    let clientId = emulator.client.clientId;
    let secret: string | undefined = emulator.client.clientSecret;
    if (given) {
      const found = flags.appName
        ? await new ImsClient(emulatorImsOptions(emulator)).findApplication(flags.appName)
        : undefined;
      if (flags.appName && !found)
        throw new UsageError(
          `no OAuth application named ${flags.appName} in the embedded emulator`,
        );
      clientId = found?.appId ?? flags.clientId ?? io.env.RAM_SCIM_CLIENT_ID ?? "";
      secret = await clientSecret(flags, io);
      if (!clientId || !secret)
        throw new UsageError(
          "with --emulator, give both the application (--client-id or --app-name) and its secret (--client-secret-file or --client-secret-stdin), or neither for the emulator's demo application",
        );
    } else if (io.env.RAM_SCIM_CLIENT_ID)
      io.stderr(
        "ram-scim: --emulator: using the emulator's demo application, not RAM_SCIM_CLIENT_ID (give --client-id and --client-secret-file to use another)\n",
      );
    io.secrets?.add(secret, clientId);
    const client = new ScimClient({
      env: {},
      clientId,
      clientSecret: secret,
      scimUrl: emulator.scimUrl,
      tokenUrl: emulator.tokenUrl,
      ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
    });
    const access = new RamAccessClient(emulatorImsOptions(emulator));
    return { client, emulator, access, close: () => emulator.close() };
  } catch (e) {
    await emulator.close();
    throw e;
  }
}

/** The client secret from --client-secret-stdin or a secret file; undefined: the environment's. */
async function clientSecret(flags: ConnectionFlags, io: CliIo): Promise<string | undefined> {
  if (flags.clientSecretStdin) {
    if (!io.readStdin) throw new UsageError("--client-secret-stdin: no standard input to read");
    return acceptSecret("--client-secret-stdin: standard input", await io.readStdin(), io);
  }
  if (flags.clientSecretFile)
    return readSecretFile("--client-secret-file", flags.clientSecretFile, io);
  if (io.env.RAM_SCIM_CLIENT_SECRET_FILE)
    return readSecretFile("RAM_SCIM_CLIENT_SECRET_FILE", io.env.RAM_SCIM_CLIENT_SECRET_FILE, io);
  return undefined;
}

/** The AppId of the application named so, through IMS (as `ram-scim app` reaches it). */
async function clientIdByName(appName: string | undefined, io: CliIo): Promise<string | undefined> {
  if (!appName) return undefined;
  const ims = new ImsClient({ env: io.env });
  const app = await ims.findApplication(appName);
  if (!app)
    throw new UsageError(
      `no OAuth application named ${appName} in this account: make it with ram-scim app create --name ${appName} (a cdktf stack that declares it makes it anew on its next deploy; deploy once, then destroy)`,
    );
  return app.appId;
}
