import type { Command } from "commander";
import type { ApplicationSpec, ImsClient, OAuthApplication } from "../../core/ims";
import { validateApplicationSpec } from "../../core/ims/validate";
import { addImsOptions, connectIms, type ImsFlags } from "../ims-connection";
import { UsageError, type CliIo } from "../io";
import { formatOption, integer } from "../parse";
import { registerAppEnsure } from "./app-ensure";
import { exampleText } from "../help";
import { registerAppSecret } from "./app-secret";

/** What every `app` command takes: how to reach IMS, and the output format. */
export interface AppFlags extends ImsFlags {
  format: "text" | "json";
  appId?: string;
  name?: string;
  displayName?: string;
  tokenValidity?: number;
}

/** What the `app` commands share: the output, and how an action reaches IMS. */
export interface AppCommands {
  readonly io: CliIo;
  /** Prints `json` with --format json, else `text`. */
  readonly print: (flags: { format: "text" | "json" }, json: unknown, text: string) => void;
  /**
   * Runs an action with an IMS client. With `app`, the application may be named by --name
   * instead of --app-id: "required" fails when there is none, "gone-is-done" succeeds quietly
   * (delete and revoke of what is not there).
   */
  readonly withIms: {
    <F extends AppFlags>(
      action: (ims: ImsClient, flags: F & { appId: string }) => Promise<void>,
      app: "required" | "gone-is-done",
    ): (flags: F) => Promise<void>;
    <F extends ImsFlags>(
      action: (ims: ImsClient, flags: F) => Promise<void>,
    ): (flags: F) => Promise<void>;
  };
}

/**
 * `ram-scim app …`: the RAM console's OAuth steps as commands. A secret's value goes only to a
 * file made with mode 0600, or to standard output with --reveal; never into a log line.
 */
export function registerApp(program: Command, io: CliIo, result: { exitCode: number }): void {
  const app = program
    .command("app")
    .description(
      "the RAM OAuth application for SCIM: create, show, delete, grant, revoke, secrets",
    );
  const commands = appCommands(io, result);
  appCreate(app, commands);
  appShow(app, commands);
  appDelete(app, commands);
  appGrant(app, commands);
  appRevoke(app, commands);
  registerAppSecret(app, commands);
  registerAppEnsure(app, io, result);
}

function appCommands(io: CliIo, result: { exitCode: number }): AppCommands {
  const withIms =
    <F extends AppFlags>(
      action: (ims: ImsClient, flags: F & { appId: string }) => Promise<void>,
      app?: "required" | "gone-is-done",
    ) =>
    async (flags: F) => {
      const connection = await connectIms(flags, io);
      try {
        if (app && !flags.appId) {
          const found = await byName(connection.ims, flags.name);
          if (!found && app === "gone-is-done") {
            io.stdout(
              flags.format === "json"
                ? "{}\n"
                : `no application named ${flags.name}: nothing to do\n`,
            );
            result.exitCode = 0;
            return;
          }
          if (!found) throw new UsageError(`no application named ${flags.name} in this account`);
          flags.appId = found.appId;
        }
        await action(connection.ims, flags as F & { appId: string });
        result.exitCode = 0;
      } finally {
        await connection.close();
      }
    };
  return {
    io,
    print: (flags, json, text) =>
      io.stdout(flags.format === "json" ? `${JSON.stringify(json, null, 2)}\n` : `${text}\n`),
    withIms: withIms,
  };
}

async function byName(
  ims: ImsClient,
  name: string | undefined,
): Promise<OAuthApplication | undefined> {
  if (!name) throw new UsageError("name the application: --app-id ID or --name NAME");
  return ims.findApplication(name);
}

/** `--app-id`/`--name`: how each command that works on one application is told which. */
export function appTarget(command: Command, what = "the application's AppName"): Command {
  return command.option("--app-id <appId>", "AppId").option("--name <appName>", `or ${what}`);
}

function appCreate(app: Command, { withIms, print }: AppCommands): void {
  addImsOptions(
    app
      .command("create")
      .addHelpText(
        "after",
        exampleText([
          'ram-scim app create --name scim-sync --display-name "SCIM sync"',
          "ram-scim app grant --name scim-sync",
          "ram-scim app secret create --name scim-sync --out scim-secret.txt",
        ]),
      )
      .description(
        "create the ServerApp with scope /acs/scim (an existing name is refused unless --adopt)",
      )
      .requiredOption(
        "--name <appName>",
        "AppName: unique in the account, 1-64 letters, digits, '.', '_', '-'",
      )
      .requiredOption("--display-name <name>", "display name, 1-24 characters")
      .option(
        "--token-validity <seconds>",
        "access-token validity, 900-10800 (default 3600)",
        integer("--token-validity", 1),
      )
      .option(
        "--adopt",
        "an application of this name exists already: take it over and bring it in line",
      )
      .addOption(formatOption()),
  ).action(
    // --name and --display-name are required options: commander gives both or stops.
    withIms(
      async (ims, flags: AppFlags & { name: string; displayName: string; adopt?: boolean }) => {
        const spec = {
          appName: flags.name,
          displayName: flags.displayName,
          ...(flags.tokenValidity ? { accessTokenValidity: flags.tokenValidity } : {}),
        };
        const { application, action } = flags.adopt
          ? await ims.ensureApplication(spec)
          : { application: await createNew(ims, spec), action: "created" };
        print(
          flags,
          { action, ...application },
          `${action} application ${application.appName}: AppId (client id) ${application.appId}`,
        );
      },
    ),
  );
}

function appShow(app: Command, { withIms, print }: AppCommands): void {
  addImsOptions(
    app
      .command("show")
      .description("show an application, its grant and its secret ids")
      .option("--app-id <appId>", "the application's AppId")
      .option("--name <appName>", "or its AppName")
      .addOption(formatOption()),
  ).action(
    withIms(async (ims, flags: AppFlags) => {
      const application = await findApp(ims, flags);
      const grant = await ims.getGrant(application.appId);
      const secrets = await ims.listSecrets(application.appId);
      print(
        flags,
        { application, grant: grant ?? null, secrets },
        [
          `application ${application.appName} (${application.displayName})`,
          `  AppId (client id)  ${application.appId}`,
          `  type               ${application.appType}, protocol ${application.protocolVersion}`,
          `  token validity     ${application.accessTokenValidity} s`,
          `  scopes             ${application.predefinedScopes.join(", ")}`,
          `  granted            ${grant ? grant.scopes.join(", ") : "no (run: ram-scim app grant)"}`,
          `  secrets            ${secrets.map((s) => `${s.appSecretId}${s.createDate ? ` (${s.createDate})` : ""}`).join(", ") || "none"}`,
        ].join("\n"),
      );
    }),
  );
}

function appDelete(app: Command, { withIms, print }: AppCommands): void {
  addImsOptions(
    appTarget(
      app.command("delete").description("delete an application (gone already counts as deleted)"),
    ).addOption(formatOption()),
  ).action(
    withIms<AppFlags>(async (ims, flags) => {
      await ims.deleteApplication(flags.appId);
      print(flags, { deleted: flags.appId }, `deleted application ${flags.appId}`);
    }, "gone-is-done"),
  );
}

function appGrant(app: Command, { withIms, print }: AppCommands): void {
  addImsOptions(
    appTarget(
      app.command("grant").description("authorize the application for /acs/scim in this account"),
    ).addOption(formatOption()),
  ).action(
    withIms<AppFlags>(async (ims, flags) => {
      const grant = await ims.grant(flags.appId);
      print(flags, grant, `granted ${grant.scopes.join(", ")} to application ${grant.appId}`);
    }, "required"),
  );
}

function appRevoke(app: Command, { withIms, print }: AppCommands): void {
  addImsOptions(
    appTarget(
      app
        .command("revoke")
        .description("remove the authorization: the application gets no more tokens"),
    ).addOption(formatOption()),
  ).action(
    withIms<AppFlags>(async (ims, flags) => {
      await ims.revoke(flags.appId);
      print(flags, { revoked: flags.appId }, `revoked the grant of application ${flags.appId}`);
    }, "gone-is-done"),
  );
}

/** Creates the application; a name that exists already is refused, and nothing is changed. */
async function createNew(ims: ImsClient, spec: ApplicationSpec): Promise<OAuthApplication> {
  validateApplicationSpec(spec); // before any call, as ensureApplication does
  const existing = await ims.findApplication(spec.appName);
  if (existing)
    throw new UsageError(
      `an application named ${spec.appName} exists already (AppId ${existing.appId}) and was not made by this command: ` +
        "it may belong to the console or to another stack, and nothing was changed. Choose another name, or take it over with --adopt " +
        "(cdktf: adoptExisting: true) if it is yours, for example made by an earlier run that failed",
    );
  return ims.createApplication(spec);
}

async function findApp(ims: ImsClient, flags: AppFlags): Promise<OAuthApplication> {
  if (!flags.appId && !flags.name)
    throw new UsageError("name the application: --app-id ID or --name NAME");
  const found = flags.appId ? await ims.getApplication(flags.appId) : await byName(ims, flags.name);
  if (!found)
    throw new UsageError(
      `no application ${flags.appId ? `with AppId ${flags.appId}` : `named ${flags.name}`} in this account`,
    );
  return found;
}
