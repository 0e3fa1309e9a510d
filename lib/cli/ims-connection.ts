import type { Command } from "commander";
import { ImsClient, type ImsConnectionOptions } from "../core/ims";
import { startEmulator, type RamEmulator } from "../emulator";
import { type CliIo } from "./io";
import { readSecretFile } from "./secret-file";
import { readEmulatorSeed } from "./emulator-seed";

export interface ImsFlags {
  accessKeyId?: string;
  accessKeySecretFile?: string;
  imsEndpoint?: string;
  emulator?: boolean;
  emulatorState?: string;
  emulatorSeed?: string;
}

/** The options of commands that call IMS. AccessKey secrets come from the environment or a file. */
export function addImsOptions(command: Command): Command {
  return command
    .option(
      "--access-key-id <id>",
      "AccessKey id (default: $ALIBABA_CLOUD_ACCESS_KEY_ID, $ALICLOUD_ACCESS_KEY, then the SDK's default chain)",
    )
    .option(
      "--access-key-secret-file <file>",
      "read the AccessKey secret from a file (default: $ALIBABA_CLOUD_ACCESS_KEY_SECRET)",
    )
    .option(
      "--ims-endpoint <endpoint>",
      "IMS endpoint (default: $RAM_SCIM_IMS_ENDPOINT or ims.aliyuncs.com)",
    )
    .option(
      "--emulator",
      "work against an embedded RAM emulator instead of Alibaba Cloud (offline)",
    )
    .option(
      "--emulator-state <file>",
      "with the embedded emulator: keep its state in this JSON file between runs",
    )
    .option(
      "--emulator-seed <file>",
      "with the embedded emulator: users and groups it holds at start (as `ram-scim emulator --seed`)",
    );
}

export interface ImsConnection {
  readonly ims: ImsClient;
  readonly emulator?: RamEmulator;
  close(): Promise<void>;
}

export async function connectIms(flags: ImsFlags, io: CliIo): Promise<ImsConnection> {
  if (wantsEmbedded(flags)) {
    const emulator = await embeddedEmulator(flags);
    const ims = new ImsClient(emulatorImsOptions(emulator));
    return { ims, emulator, close: () => emulator.close() };
  }
  const accessKeySecret = flags.accessKeySecretFile
    ? readSecretFile("--access-key-secret-file", flags.accessKeySecretFile, io)
    : undefined;
  const ims = new ImsClient({
    env: io.env,
    ...(flags.accessKeyId ? { accessKeyId: flags.accessKeyId } : {}),
    ...(accessKeySecret ? { accessKeySecret } : {}),
    ...(flags.imsEndpoint ? { endpoint: flags.imsEndpoint } : {}),
  });
  return { ims, close: async () => undefined };
}

/** True when the flags ask for the embedded emulator (any of its three flags). */
export function wantsEmbedded(flags: {
  emulator?: boolean;
  emulatorState?: string;
  emulatorSeed?: string;
}): boolean {
  return Boolean(flags.emulator || flags.emulatorState || flags.emulatorSeed);
}

/** The emulator `--emulator`, `--emulator-state` and `--emulator-seed` ask for, started. */
export function embeddedEmulator(flags: {
  emulatorState?: string;
  emulatorSeed?: string;
}): Promise<RamEmulator> {
  return startEmulator({
    port: 0,
    stateFile: flags.emulatorState,
    ...(flags.emulatorSeed ? readEmulatorSeed("--emulator-seed", flags.emulatorSeed) : {}),
  });
}

/** IMS settings that reach an emulator with its demo AccessKey. */
export function emulatorImsOptions(emulator: RamEmulator): ImsConnectionOptions {
  const { accessKeyId, accessKeySecret } = emulator.accessKey;
  return { env: {}, endpoint: emulator.imsEndpoint, accessKeyId, accessKeySecret };
}
