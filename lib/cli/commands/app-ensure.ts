import { existsSync } from "node:fs";
import type { Command } from "commander";
import { exampleText } from "../help";
import {
  SCIM_SCOPE,
  type ApplicationSpec,
  type ImsClient,
  type OAuthApplication,
} from "../../core/ims";
import { addImsOptions, connectIms, type ImsFlags } from "../ims-connection";
import { UsageError, type CliIo } from "../io";
import { formatOption, integer } from "../parse";
import { checkSecretFolder, prepareSecretFile, type SecretFileTarget } from "../secret-file";

interface EnsureFlags extends ImsFlags {
  name: string;
  displayName: string;
  tokenValidity?: number;
  secretFile: string;
  format: "text" | "json";
}

/**
 * `ram-scim app ensure`: what the cdktf application runs on every deploy. The application this
 * stack made is put back in line: made anew with its grant and a new secret (written to
 * --secret-file) when it was deleted outside, its display name and token lifetime restored, the
 * /acs/scim grant renewed. Run only after the stack made or adopted the application.
 */
export function registerAppEnsure(app: Command, io: CliIo, result: { exitCode: number }): void {
  addImsOptions(
    app
      .command("ensure")
      .addHelpText(
        "after",
        exampleText([
          'ram-scim app ensure --name scim-sync --display-name "SCIM sync" --secret-file .ram-scim/scim-sync.secret',
        ]),
      )
      .description(
        "put this stack's application back in line: re-create it (grant, new secret) when it is gone, restore its settings and grant",
      )
      .requiredOption("--name <appName>", "AppName")
      .requiredOption("--display-name <name>", "display name, 1-24 characters")
      .option(
        "--token-validity <seconds>",
        "access-token validity, 900-10800 (default 3600)",
        integer("--token-validity", 1),
      )
      .requiredOption(
        "--secret-file <file>",
        "where a new secret goes when the application has to be made anew (mode 0600)",
      )
      .addOption(formatOption()),
  ).action(async (flags: EnsureFlags) => {
    const connection = await connectIms(flags, io);
    try {
      // Where a new secret would go is checked before anything is made; the file itself is
      // opened only when a secret is to be written (an existing one may be a link, and stays).
      checkSecretFolder("--secret-file", flags.secretFile);
      const { application, done } = await ensure(connection.ims, flags, io);
      io.stdout(
        flags.format === "json"
          ? `${JSON.stringify({ appId: application.appId, appName: application.appName, done }, null, 2)}\n`
          : `application ${application.appName} (AppId ${application.appId}): ${done.length > 0 ? done.join("; ") : "in line"}\n`,
      );
      result.exitCode = 0;
    } finally {
      await connection.close();
    }
  });
}

/** The application put back in line, and what that took, in words. */
async function ensure(
  ims: ImsClient,
  flags: EnsureFlags,
  io: CliIo,
): Promise<{ application: OAuthApplication; done: string[] }> {
  const spec: ApplicationSpec = {
    appName: flags.name,
    displayName: flags.displayName,
    ...(flags.tokenValidity ? { accessTokenValidity: flags.tokenValidity } : {}),
  };
  const done: string[] = [];
  let target: SecretFileTarget | undefined;
  try {
    const { application, action } = await ims.ensureApplication(spec);
    if (action === "created") done.push("made the application anew: it was missing");
    if (action === "updated") done.push("restored its settings");
    const grant = await ims.getGrant(application.appId);
    if (!grant?.scopes.includes(SCIM_SCOPE)) {
      await ims.grant(application.appId);
      done.push(`granted ${SCIM_SCOPE}`);
    }
    if (action !== "created" && !existsSync(flags.secretFile))
      throw new UsageError(
        `the secret file ${flags.secretFile} of application ${application.appName} is missing here: it is written where the secret was made. ` +
          "Restore it from where you keep secrets, or make a new secret here (cdktf: change secretRotation; CLI: ram-scim app secret rotate " +
          `--name ${application.appName} --out ${flags.secretFile}), after which copies elsewhere stop working`,
      );
    if (action === "created") {
      target = prepareSecretFile("--secret-file", flags.secretFile, { force: true });
      const secret = await ims.createSecret(application.appId);
      for (const warning of target.write(secret.value)) io.stderr(`${warning}\n`);
      done.push(`wrote a new secret to ${flags.secretFile}`);
    }
    return { application, done };
  } finally {
    target?.abandon(); // a no-op once the value replaced the file
  }
}
