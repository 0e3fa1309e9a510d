import type { Command } from "commander";
import { exampleText } from "../help";
import { ImsClient } from "../../core/ims";
import { parseMaxDeletes, stepLine, stepsByUser, type Plan } from "../../core/sync";
import { parseUserSet } from "../../core/users";
import { connect } from "../connection";
import { UsageError, type CliIo } from "../io";
import { EXTERNAL_PLAN_QUERY_KEYS, type ExternalPlanQuery } from "../../core/settings";
import { planFor } from "./reconcile";
import { usersText } from "./users-input";

/**
 * Terraform's `external` program protocol: a JSON object on standard input, a flat JSON object of
 * strings on standard output, and on failure a message on standard error and a non-zero exit.
 * It plans exactly as `ram-scim plan` does (groups and leavers' blockers included) and answers
 * the steps per person: `{"alice": "~ update alice (id …): displayName \"A\" -> \"B\""}`, `{}`
 * when RAM matches. A plan that may not be applied fails, with the reasons.
 * The client secret never travels in the query (Terraform keeps it in the state): it comes from
 * the environment or a file.
 */
export function registerExternalPlan(
  program: Command,
  io: CliIo,
  result: { exitCode: number },
): void {
  program
    .command("external-plan")
    .addHelpText(
      "after",
      exampleText([
        `echo '{"users": "owner: platform\\nusers: []\\nallowEmpty: true"}' | ram-scim external-plan`,
      ]),
    )
    .description(
      "Terraform `external` data source program: plan against RAM, answer the steps per person",
    )
    .action(async () => {
      result.exitCode = await externalPlan(io);
    });
}

/** Reads the query, plans, and answers on standard output; the exit status. */
async function externalPlan(io: CliIo): Promise<number> {
  const query = await readQuery(io);
  const desired = parseUserSet(usersText(query.users), "query.users");
  const maxDeletes = query.max_deletes ? parseMaxDeletes(query.max_deletes) : undefined;
  if (query.max_deletes && maxDeletes === undefined)
    throw new UsageError(
      `external-plan: max_deletes takes a count (10) or a share (30%), got "${query.max_deletes}"`,
    );
  if (query.site && query.site !== "cn" && query.site !== "intl")
    throw new UsageError(`external-plan: site takes "cn" or "intl", got "${query.site}"`);
  // Settings in the query win over variables Terraform inherited.
  const env = {
    ...io.env,
    ...(query.ims_endpoint ? { RAM_SCIM_IMS_ENDPOINT: query.ims_endpoint } : {}),
  };
  const scoped: CliIo = { ...io, env };
  // The stack's application, gone from RAM: the next deploy makes it anew (its ensure step),
  // so that is the plan, not an error that would block every plan and destroy until then.
  const app = query.app_name
    ? await new ImsClient({ env }).findApplication(query.app_name)
    : undefined;
  if (query.app_name && !app) {
    io.stdout(
      `${JSON.stringify({
        [`application ${query.app_name}`]:
          "missing in RAM: the next deploy makes it anew, with its grant and a new secret, then applies the users",
      })}\n`,
    );
    return 0;
  }
  const connection = await connect(
    {
      ...(query.client_id ? { clientId: query.client_id } : {}),
      ...(app ? { clientId: app.appId } : {}),
      ...(query.client_secret_file ? { clientSecretFile: query.client_secret_file } : {}),
      ...(query.scim_url ? { scimUrl: query.scim_url } : {}),
      ...(query.token_url ? { tokenUrl: query.token_url } : {}),
      ...(query.site === "cn" || query.site === "intl" ? { site: query.site } : {}),
    },
    scoped,
  );
  try {
    const p = await planFor(desired, connection, maxDeletes, scoped, "maxDeletes");
    if (p.errors.length > 0) throw new UsageError(refusal(p));
    io.stdout(`${JSON.stringify(stepsByUser(p))}\n`);
    return 0;
  } finally {
    await connection.close();
  }
}

/** Why a plan may not be applied, with what it would have made. */
function refusal(p: Plan): string {
  const made =
    p.steps.length > 0
      ? `\nIt would have made:\n${p.steps.map((s) => `  ${stepLine(s)}`).join("\n")}`
      : "";
  return `the plan for owner "${p.owner}" cannot be applied:\n${p.errors.map((e) => `  ✗ ${e.message}`).join("\n")}${made}`;
}

async function readQuery(io: CliIo): Promise<ExternalPlanQuery & { users: string }> {
  if (!io.readStdin) throw new UsageError("external-plan reads its query on standard input");
  let query: unknown;
  try {
    query = JSON.parse(await io.readStdin());
  } catch (e) {
    throw new UsageError(
      `external-plan: the query on standard input is not JSON (${(e as Error).message})`,
    );
  }
  if (typeof query !== "object" || query === null || Array.isArray(query))
    throw new UsageError("external-plan: the query must be a JSON object");
  const unknown = Object.keys(query).filter(
    (k) => !(EXTERNAL_PLAN_QUERY_KEYS as readonly string[]).includes(k),
  );
  if (unknown.length > 0)
    throw new UsageError(
      `external-plan: unknown query keys ${unknown.join(", ")}; it takes ${EXTERNAL_PLAN_QUERY_KEYS.join(", ")}`,
    );
  const typed = query as ExternalPlanQuery;
  if (!typed.users)
    throw new UsageError('external-plan: the query needs "users", the users file (JSON or YAML)');
  return { ...typed, users: typed.users };
}
