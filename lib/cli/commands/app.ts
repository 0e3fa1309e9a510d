import type { Command } from "commander";
import {
  RotationRefusedError,
  type ApplicationSpec,
  type ImsClient,
  type NewAppSecret,
  type OAuthApplication,
  type RotationResult,
} from "../../core/ims";
import { validateApplicationSpec } from "../../core/ims/validate";
import { addImsOptions, connectIms, type ImsFlags } from "../ims-connection";
import { UsageError, type CliIo } from "../io";
import { formatOption, integer } from "../parse";
import { prepareSecretFile, type SecretFileTarget } from "../secret-file";
import { registerAppEnsure } from "./app-ensure";

interface Common extends ImsFlags {
  format: "text" | "json";
}
interface AppFlags extends Common {
  appId?: string;
  name?: string;
  displayName?: string;
  tokenValidity?: number;
}
interface SecretFlags extends Common {
  appId: string;
  name?: string;
  secretId?: string;
  out?: string;
  reveal?: boolean;
  force?: boolean;
  remove?: string;
  keep?: string;
  keepOld?: boolean;
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
  const print = (flags: Common, json: unknown, text: string) =>
    io.stdout(flags.format === "json" ? `${JSON.stringify(json, null, 2)}\n` : `${text}\n`);
  /**
   * Runs an action with an IMS client. With `app`, the application may be named by --name
   * instead of --app-id: "required" fails when there is none, "gone-is-done" succeeds quietly
   * (delete and revoke of what is not there).
   */
  const withIms =
    <F extends ImsFlags & { appId?: string; name?: string; format?: string }>(
      action: (ims: ImsClient, flags: F) => Promise<void>,
      app?: "required" | "gone-is-done",
    ) =>
    async (flags: F) => {
      const connection = await connectIms(flags, io);
      try {
        if (app && !flags.appId) {
          if (!flags.name) throw new UsageError("name the application: --app-id ID or --name NAME");
          const found = await connection.ims.findApplication(flags.name);
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
        await action(connection.ims, flags);
        result.exitCode = 0;
      } finally {
        await connection.close();
      }
    };

  addImsOptions(
    app
      .command("create")
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

  addImsOptions(
    app
      .command("delete")
      .description("delete an application (gone already counts as deleted)")
      .option("--app-id <appId>", "AppId")
      .option("--name <appName>", "or the application's AppName")
      .addOption(formatOption()),
  ).action(
    withIms(async (ims, flags: AppFlags) => {
      await ims.deleteApplication(flags.appId as string);
      print(flags, { deleted: flags.appId }, `deleted application ${flags.appId}`);
    }, "gone-is-done"),
  );

  addImsOptions(
    app
      .command("grant")
      .description("authorize the application for /acs/scim in this account")
      .option("--app-id <appId>", "AppId")
      .option("--name <appName>", "or the application's AppName")
      .addOption(formatOption()),
  ).action(
    withIms(async (ims, flags: AppFlags) => {
      const grant = await ims.grant(flags.appId as string);
      print(flags, grant, `granted ${grant.scopes.join(", ")} to application ${grant.appId}`);
    }, "required"),
  );

  addImsOptions(
    app
      .command("revoke")
      .description("remove the authorization: the application gets no more tokens")
      .option("--app-id <appId>", "AppId")
      .option("--name <appName>", "or the application's AppName")
      .addOption(formatOption()),
  ).action(
    withIms(async (ims, flags: AppFlags) => {
      await ims.revoke(flags.appId as string);
      print(flags, { revoked: flags.appId }, `revoked the grant of application ${flags.appId}`);
    }, "gone-is-done"),
  );

  const secret = app
    .command("secret")
    .description("application secrets: create, list, delete, rotate");
  const secretOut = (command: Command) =>
    command
      .option("--out <file>", "write the secret's value to this file, mode 0600 (never to a log)")
      .option("--reveal", "print the secret's value on standard output instead")
      .option("--force", "with --out: replace an existing file");

  addImsOptions(
    secretOut(
      secret
        .command("create")
        .description("make a secret; its value can be read only now")
        .option("--app-id <appId>", "AppId")
        .option("--name <appName>", "or the application's AppName"),
    ).addOption(formatOption()),
  ).action(
    withIms(async (ims, flags: SecretFlags) => {
      const target = checkOut(flags);
      const created = await madeInto(target, () => ims.createSecret(flags.appId));
      handOut(
        created,
        target,
        flags,
        io,
        `created secret ${created.appSecretId} for application ${flags.appId}`,
      );
    }, "required"),
  );

  addImsOptions(
    secret
      .command("list")
      .description("list secret ids, oldest first")
      .option("--app-id <appId>", "AppId")
      .option("--name <appName>", "or the application's AppName")
      .addOption(formatOption()),
  ).action(
    withIms(async (ims, flags: SecretFlags) => {
      const secrets = await ims.listSecrets(flags.appId);
      print(
        flags,
        secrets,
        secrets
          .map((s) => `${s.appSecretId}${s.createDate ? `  ${s.createDate}` : ""}`)
          .join("\n") || "no secrets",
      );
    }, "required"),
  );

  addImsOptions(
    secret
      .command("delete")
      .description("delete a secret (gone already counts as deleted)")
      .option("--app-id <appId>", "AppId")
      .option("--name <appName>", "or the application's AppName")
      .requiredOption("--secret-id <id>", "AppSecretId")
      .addOption(formatOption()),
  ).action(
    withIms(async (ims, flags: SecretFlags & { secretId: string }) => {
      await ims.deleteSecret(flags.appId, flags.secretId);
      print(flags, { deleted: flags.secretId }, `deleted secret ${flags.secretId}`);
    }, "required"),
  );

  addImsOptions(
    secretOut(
      secret
        .command("rotate")
        .description("make a new secret, hand it out, then delete the old one (no downtime)")
        .option("--app-id <appId>", "AppId")
        .option("--name <appName>", "or the application's AppName")
        .option(
          "--keep <secretId>",
          "with two secrets already: the one in use, kept; the other goes",
        )
        .option(
          "--remove <secretId>",
          "with two secrets already: the one nothing uses, deleted first",
        )
        .option("--keep-old", "keep the previous secret; delete it later with `app secret delete`"),
    ).addOption(formatOption()),
  ).action(
    withIms(async (ims, flags: SecretFlags) => {
      if (flags.keep && flags.remove) throw new UsageError("choose one of --keep and --remove");
      const target = checkOut(flags);
      const rotation = await madeInto(target, () => rotate(ims, flags, io));
      const lines = [
        ...(rotation.removedFirst
          ? [`deleted secret ${rotation.removedFirst.appSecretId} first (--remove)`]
          : []),
        `created secret ${rotation.created.appSecretId}`,
      ];
      handOut(rotation.created, target, flags, io, lines.join("\n"), false);
      if (!flags.keepOld) {
        for (const old of rotation.previous) await ims.deleteSecret(flags.appId, old.appSecretId);
        if (rotation.previous.length > 0 && flags.format === "text")
          io.stdout(
            `deleted the previous secret ${rotation.previous.map((s) => s.appSecretId).join(", ")}\n`,
          );
      } else if (flags.format === "text") {
        io.stdout(
          `kept the previous secret ${rotation.previous.map((s) => s.appSecretId).join(", ")}: delete it once nothing uses it\n`,
        );
      }
      if (flags.format === "json")
        (flags.reveal ? revealed(io) : io.stdout)(
          `${JSON.stringify(
            {
              appSecretId: rotation.created.appSecretId,
              ...(flags.reveal
                ? { appSecretValue: rotation.created.value.reveal() }
                : { writtenTo: flags.out }),
              deleted: [
                ...(rotation.removedFirst ? [rotation.removedFirst.appSecretId] : []),
                ...(flags.keepOld ? [] : rotation.previous.map((s) => s.appSecretId)),
              ],
            },
            null,
            2,
          )}\n`,
        );
    }, "required"),
  );

  registerAppEnsure(app, io, result);
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
  const found = flags.appId
    ? await ims.getApplication(flags.appId)
    : await ims.findApplication(flags.name as string);
  if (!found)
    throw new UsageError(
      `no application ${flags.appId ? `with AppId ${flags.appId}` : `named ${flags.name}`} in this account`,
    );
  return found;
}

/**
 * Where the new secret goes, checked before it is made: with --out the file is opened (mode
 * 0600, no link followed) now, so that a value is never made that cannot be kept.
 */
function checkOut(flags: SecretFlags): SecretFileTarget | undefined {
  if (!flags.out && !flags.reveal)
    throw new UsageError(
      "say where the new secret goes: --out FILE (written with mode 0600) or --reveal (printed on standard output)",
    );
  if (flags.out && flags.reveal) throw new UsageError("choose one of --out and --reveal");
  return flags.out ? prepareSecretFile("--out", flags.out, { force: flags.force }) : undefined;
}

/** Runs `make`; the prepared file is removed when no secret came of it. */
async function madeInto<T>(
  target: SecretFileTarget | undefined,
  make: () => Promise<T>,
): Promise<T> {
  try {
    return await make();
  } catch (e) {
    target?.abandon();
    throw e;
  }
}

/**
 * A rotation; at the two-secret limit with neither --keep nor --remove, a person at a terminal
 * is asked which secret is in use (RAM cannot tell), and without one the refusal stands.
 */
async function rotate(ims: ImsClient, flags: SecretFlags, io: CliIo): Promise<RotationResult> {
  const named = flags.remove ? { remove: flags.remove } : flags.keep ? { keep: flags.keep } : {};
  try {
    return await ims.rotateSecret(flags.appId, named);
  } catch (e) {
    if (!(e instanceof RotationRefusedError) || flags.remove || flags.keep) throw e;
    if (!io.interactive || !io.prompt) throw e;
    const ids = e.secrets.map((s) => s.appSecretId);
    io.stderr(`${e.message}\n`);
    const answer = (
      await io.prompt(`Which secret does your configuration use (kept)? ${ids.join(" / ")}: `)
    ).trim();
    if (!ids.includes(answer))
      throw new UsageError(
        `no secret was deleted or made: "${answer}" is not one of ${ids.join(", ")}`,
      );
    return ims.rotateSecret(flags.appId, { keep: answer });
  }
}

/** Standard output for the value the person asked to see: the one place it is not redacted. */
function revealed(io: CliIo): (text: string) => void {
  return io.reveal ?? io.stdout;
}

/** Writes the value where the person asked, and says where; the value goes nowhere else. */
function handOut(
  created: NewAppSecret,
  target: SecretFileTarget | undefined,
  flags: SecretFlags,
  io: CliIo,
  summary: string,
  json = true,
): void {
  if (target) for (const warning of target.write(created.value)) io.stderr(`${warning}\n`);
  if (flags.format === "json") {
    if (json)
      (flags.reveal ? revealed(io) : io.stdout)(
        `${JSON.stringify(
          {
            appId: created.appId,
            appSecretId: created.appSecretId,
            ...(flags.reveal
              ? { appSecretValue: created.value.reveal() }
              : { writtenTo: flags.out }),
          },
          null,
          2,
        )}\n`,
      );
    return;
  }
  io.stdout(`${summary}\n`);
  if (flags.reveal) revealed(io)(`${created.value.reveal()}\n`);
  else io.stdout(`value written to ${flags.out} (mode 0600)\n`);
}
