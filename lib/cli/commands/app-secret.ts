import type { Command } from "commander";
import {
  RotationRefusedError,
  type ImsClient,
  type NewAppSecret,
  type RotationResult,
} from "../../core/ims";
import { addImsOptions } from "../ims-connection";
import { UsageError, type CliIo } from "../io";
import { formatOption } from "../parse";
import { prepareSecretFile, type SecretFileTarget } from "../secret-file";
import { appTarget, type AppCommands, type AppFlags } from "./app";
import { exampleText } from "../help";

interface SecretFlags extends AppFlags {
  appId: string;
  secretId?: string;
  out?: string;
  reveal?: boolean;
  force?: boolean;
  remove?: string;
  keep?: string;
  keepOld?: boolean;
}

/** `ram-scim app secret …`: a secret's value goes to a 0600 file, or to standard output with --reveal. */
export function registerAppSecret(app: Command, commands: AppCommands): void {
  const secret = app
    .command("secret")
    .description("application secrets: create, list, delete, rotate");
  secretCreate(secret, commands);
  secretList(secret, commands);
  secretDelete(secret, commands);
  secretRotate(secret, commands);
}

/** `--out`/`--reveal`/`--force`: where a new secret's value goes. */
function secretOut(command: Command): Command {
  return command
    .option("--out <file>", "write the secret's value to this file, mode 0600 (never to a log)")
    .option("--reveal", "print the secret's value on standard output instead")
    .option("--force", "with --out: replace an existing file");
}

function secretCreate(secret: Command, { withIms, io }: AppCommands): void {
  addImsOptions(
    secretOut(
      appTarget(
        secret.command("create").description("make a secret; its value can be read only now"),
      ),
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
}

function secretList(secret: Command, { withIms, print }: AppCommands): void {
  addImsOptions(
    appTarget(secret.command("list").description("list secret ids, oldest first")).addOption(
      formatOption(),
    ),
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
}

function secretDelete(secret: Command, { withIms, print }: AppCommands): void {
  addImsOptions(
    appTarget(
      secret.command("delete").description("delete a secret (gone already counts as deleted)"),
    )
      .requiredOption("--secret-id <id>", "AppSecretId")
      .addOption(formatOption()),
  ).action(
    withIms(async (ims, flags: SecretFlags & { secretId: string }) => {
      await ims.deleteSecret(flags.appId, flags.secretId);
      print(flags, { deleted: flags.secretId }, `deleted secret ${flags.secretId}`);
    }, "required"),
  );
}

function secretRotate(secret: Command, { withIms, io }: AppCommands): void {
  addImsOptions(
    secretOut(
      appTarget(
        secret
          .command("rotate")
          .addHelpText(
            "after",
            exampleText([
              "ram-scim app secret rotate --name scim-sync --out scim-secret.txt --force",
              "ram-scim app secret rotate --name scim-sync --out new-secret.txt --keep-old",
            ]),
          )
          .description("make a new secret, hand it out, then delete the old one (no downtime)"),
      )
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
      await retire(ims, rotation, flags, io);
    }, "required"),
  );
}

/** After a rotation: the previous secret deleted (or kept with --keep-old), and what was done said. */
async function retire(
  ims: ImsClient,
  rotation: RotationResult,
  flags: SecretFlags,
  io: CliIo,
): Promise<void> {
  const previous = rotation.previous.map((s) => s.appSecretId);
  if (!flags.keepOld) {
    for (const old of previous) await ims.deleteSecret(flags.appId, old);
    if (previous.length > 0 && flags.format === "text")
      io.stdout(`deleted the previous secret ${previous.join(", ")}\n`);
  } else if (flags.format === "text") {
    io.stdout(`kept the previous secret ${previous.join(", ")}: delete it once nothing uses it\n`);
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
            ...(flags.keepOld ? [] : previous),
          ],
        },
        null,
        2,
      )}\n`,
    );
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
