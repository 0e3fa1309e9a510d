import type { Command } from "commander";
import { exampleText } from "../help";
import { ScimClient, ScimConfigError, ScimError } from "../../core/scim";
import { TLS_CODES } from "../../core/scim/transport";
import { addConnectionOptions, connect, type ConnectionFlags } from "../connection";
import { ImsError } from "../../core/ims";
import { UsageError, type CliIo } from "../io";
import { formatOption } from "../parse";

/** One step of the way to RAM, checked. */
interface Check {
  readonly check: "settings" | "token" | "scim";
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * Checks the way to RAM one step at a time (settings, token, one list call) and, for a failure,
 * says what most likely causes it.
 */
export function registerDoctor(program: Command, io: CliIo, result: { exitCode: number }): void {
  addConnectionOptions(
    program
      .command("doctor")
      .addHelpText(
        "after",
        exampleText([
          "ram-scim doctor --app-name scim-sync --client-secret-file scim-secret.txt",
          "ram-scim doctor --emulator --format json",
        ]),
      )
      .description("check the settings, the token and one SCIM call, and explain what fails")
      .addOption(formatOption()),
  ).action(async (flags: ConnectionFlags & { format: "text" | "json" }) => {
    const checks = await runChecks(flags, io);
    const ok = checks.every((c) => c.ok);
    io.stdout(
      flags.format === "json"
        ? `${JSON.stringify({ formatVersion: 1, kind: "doctor", ok, checks }, null, 2)}\n`
        : checks.map((c) => `${c.ok ? "✓" : "✗"} ${LABEL[c.check]}: ${c.detail}\n`).join(""),
    );
    result.exitCode = ok ? 0 : 1;
  });
}

const LABEL: Record<Check["check"], string> = {
  settings: "settings",
  token: "token",
  scim: "SCIM",
};

/** The checks in order, up to the first that fails. */
async function runChecks(flags: ConnectionFlags, io: CliIo): Promise<Check[]> {
  let connection;
  try {
    connection = await connect({ ...flags }, io);
  } catch (e) {
    // Settings that cannot work, an application name IMS cannot look up: the first check fails.
    if (e instanceof ScimConfigError || e instanceof ImsError || e instanceof UsageError)
      return [{ check: "settings", ok: false, detail: e.message }];
    throw e;
  }
  const client: ScimClient = connection.client;
  const s = client.settings;
  const checks: Check[] = [
    {
      check: "settings",
      ok: true,
      detail: `application ${s.clientId}, SCIM ${s.scimUrl}, token ${s.tokenUrl}`,
    },
  ];
  try {
    try {
      await client.authenticate();
      checks.push({ check: "token", ok: true, detail: "obtained with the client credentials" });
    } catch (e) {
      checks.push({ check: "token", ok: false, detail: diagnose(e, "token", s.tokenUrl) });
      return checks;
    }
    try {
      const count = await client.countUsers();
      checks.push({
        check: "scim",
        ok: true,
        detail: `GET /Users answered; RAM holds ${count} users`,
      });
    } catch (e) {
      checks.push({ check: "scim", ok: false, detail: diagnose(e, "scim", s.scimUrl) });
    }
    return checks;
  } finally {
    await connection.close();
  }
}

export function diagnose(e: unknown, stage: "token" | "scim", url: string): string {
  if (!(e instanceof ScimError)) return (e as Error).message;
  const host = new URL(url).host;
  const otherSite = "If the account is on the other site, switch with --site intl (or --site cn).";
  if (e.code === "ENOTFOUND" || e.code === "EAI_AGAIN")
    return `cannot resolve ${host} (DNS, ${e.code}). Check the URL and this machine's DNS. ${otherSite}`;
  if (e.code === "ECONNREFUSED")
    return `nothing listens at ${host} (connection refused). Check the URL and port.`;
  if (e.code === "TIMEOUT")
    return `no answer from ${host} in time. A firewall or a proxy may be in the way.`;
  if (e.code && TLS_CODES.test(e.code))
    return `the TLS connection to ${host} failed (${e.code}). A proxy that intercepts HTTPS needs its CA in NODE_EXTRA_CA_CERTS.`;
  if (e.status === undefined) return `no answer from ${host}: ${e.code ?? ""} ${e.detail}`;
  if (stage === "token" && (e.status === 401 || e.status === 400))
    return (
      `the token endpoint refused the credentials (${e.status}: ${e.detail}). ` +
      "RAM_SCIM_CLIENT_ID must be the OAuth application's AppId and the secret its AppSecretValue; " +
      `a deleted secret no longer works. ${otherSite}`
    );
  if (e.status === 401)
    return `SCIM refused the token (401: ${e.detail}). The application must be a ServerApp with the /acs/scim scope.`;
  if (e.status === 403)
    return `SCIM forbids the call (403: ${e.detail}). Authorize the application for /acs/scim in this account (RAM console → OAuth Applications → the application → authorize).`;
  if (e.status === 404)
    return `no SCIM service at ${url} (404). The base URL has /Users directly under it, e.g. https://scim.aliyun.com.`;
  return `HTTP ${e.status}: ${e.detail}`;
}
