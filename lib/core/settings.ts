/*
 * The contract between the cdktf constructs and the CLI they run (in core, so that both layers
 * read it without the adapters depending on the CLI): each setting by the key
 * Terraform keeps it under (a resource's `input` or `triggers_replace`, the `external` query)
 * and the environment variable the command reads it from. One list for both sides, so that a
 * setting cannot be written by one and missed by the other.
 */

/** A user set's settings: `apply`, `teardown` and `external-plan` read them. */
export const USER_SET_SETTINGS = {
  max_deletes: "RAM_SCIM_MAX_DELETES",
  scim_url: "RAM_SCIM_URL",
  token_url: "RAM_SCIM_TOKEN_URL",
  site: "RAM_SCIM_SITE",
  client_id: "RAM_SCIM_CLIENT_ID",
  app_name: "RAM_SCIM_APP_NAME",
  client_secret_file: "RAM_SCIM_CLIENT_SECRET_FILE",
  ims_endpoint: "RAM_SCIM_IMS_ENDPOINT",
  audit_log: "RAM_SCIM_AUDIT_LOG",
} as const;

/** An application's settings: the `app` commands read them (the flags name the variables). */
export const APPLICATION_SETTINGS = {
  app_name: "RAM_SCIM_APP_NAME",
  ims_endpoint: "RAM_SCIM_IMS_ENDPOINT",
  display_name: "RAM_SCIM_APP_DISPLAY_NAME",
  token_validity: "RAM_SCIM_APP_TOKEN_VALIDITY",
  secret_file: "RAM_SCIM_SECRET_FILE",
} as const;

export type UserSetSetting = keyof typeof USER_SET_SETTINGS;
export type ApplicationSetting = keyof typeof APPLICATION_SETTINGS;

/** The `external` data source's query: the users file and a user set's settings but the audit log (a plan writes none). */
export type ExternalPlanQuery = { users?: string } & Partial<
  Record<Exclude<UserSetSetting, "audit_log">, string>
>;

/** Every key an `external-plan` query may hold. */
export const EXTERNAL_PLAN_QUERY_KEYS: readonly (keyof ExternalPlanQuery)[] = [
  "users",
  ...(Object.keys(USER_SET_SETTINGS) as UserSetSetting[]).filter((k) => k !== "audit_log"),
];
