import { createHash } from "node:crypto";
import type { Command } from "commander";
import { compactSummary, parseMaxDeletes, plan, planJson } from "../../core/sync";
import { parseUserSet } from "../../core/users";
import { connect } from "../connection";
import { UsageError, type CliIo } from "../io";

/** What Terraform's `external` data source sends: a flat JSON object of strings. */
interface ExternalQuery {
  users?: string;
  max_deletes?: string;
  scim_url?: string;
  token_url?: string;
  site?: string;
  client_id?: string;
  app_name?: string;
  client_secret_file?: string;
}

const KNOWN = [
  "users",
  "max_deletes",
  "scim_url",
  "token_url",
  "site",
  "client_id",
  "app_name",
  "client_secret_file",
];

/**
 * Terraform's `external` program protocol: a JSON object on standard input, a flat JSON object of
 * strings on standard output, and on failure a message on standard error and a non-zero exit.
 * The result's `digest` changes exactly when RAM differs from the users file, so a
 * `terraform_data` that takes it in `triggers_replace` is replaced (re-applied) only then.
 * The client secret never travels in the query: it comes from the environment or a file.
 */
export function registerExternalPlan(
  program: Command,
  io: CliIo,
  result: { exitCode: number },
): void {
  program
    .command("external-plan")
    .description(
      "Terraform `external` data source program: plan against RAM, answer {digest, summary, changes}",
    )
    .action(async () => {
      if (!io.readStdin) throw new UsageError("external-plan reads its query on standard input");
      let query: ExternalQuery;
      try {
        query = JSON.parse(await io.readStdin()) as ExternalQuery;
      } catch (e) {
        throw new UsageError(
          `external-plan: the query on standard input is not JSON (${(e as Error).message})`,
        );
      }
      if (typeof query !== "object" || query === null || Array.isArray(query))
        throw new UsageError("external-plan: the query must be a JSON object");
      const unknown = Object.keys(query).filter((k) => !KNOWN.includes(k));
      if (unknown.length > 0)
        throw new UsageError(
          `external-plan: unknown query keys ${unknown.join(", ")}; it takes ${KNOWN.join(", ")}`,
        );
      if (!query.users)
        throw new UsageError(
          'external-plan: the query needs "users", the users file base64-encoded',
        );
      const desired = parseUserSet(
        Buffer.from(query.users, "base64").toString("utf8"),
        "query.users",
      );
      const maxDeletes = query.max_deletes ? parseMaxDeletes(query.max_deletes) : undefined;
      if (query.max_deletes && maxDeletes === undefined)
        throw new UsageError(
          `external-plan: max_deletes takes a count (10) or a share (30%), got "${query.max_deletes}"`,
        );
      const connection = await connect(
        {
          ...(query.client_id ? { clientId: query.client_id } : {}),
          ...(query.app_name ? { appName: query.app_name } : {}),
          ...(query.client_secret_file ? { clientSecretFile: query.client_secret_file } : {}),
          ...(query.scim_url ? { scimUrl: query.scim_url } : {}),
          ...(query.token_url ? { tokenUrl: query.token_url } : {}),
          ...(query.site === "cn" || query.site === "intl" ? { site: query.site } : {}),
        },
        io,
      );
      try {
        const p = plan(desired, await connection.client.listUsers(), {
          maxDeletes,
          maxDeletesName: "maxDeletes",
        });
        // The digest covers the steps, not ids that change from run to run.
        const steps = planJson(p).steps.map((s) => ({
          action: s.action,
          userName: s.userName,
          changes: s.changes,
        }));
        const digest = createHash("sha256")
          .update(JSON.stringify({ steps, errors: p.errors }))
          .digest("hex");
        io.stdout(
          `${JSON.stringify({
            digest: p.steps.length === 0 && p.errors.length === 0 ? "in-step" : digest,
            summary: compactSummary(p) || "in step",
            changes: String(p.steps.length > 0),
          })}\n`,
        );
        result.exitCode = 0;
      } finally {
        await connection.close();
      }
    });
}
