import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv from "ajv";
import type { RamEmulator } from "../../lib/emulator";
import outputSchema from "../../lib/core/sync/json-output.schema.json";
import { ramScim } from "../helpers/cli";
import { withEmulator } from "../helpers/emulator";
import { match } from "../helpers/match";

const SECRET = "leaver-cli-secret";
const AK_SECRET = "leaver-cli-ak-secret";

describe("ram-scim apply with groups, forceDelete and an audit log", () => {
  let emulator: RamEmulator;
  let env: NodeJS.ProcessEnv;
  const dir = mkdtempSync(join(tmpdir(), "ram-scim-leavers-"));
  beforeEach(async () => {
    emulator = await withEmulator({
      clients: [{ clientId: "9300", clientSecret: SECRET }],
      accessKeys: [{ accessKeyId: "LTAIcli", accessKeySecret: AK_SECRET }],
      seedGroups: ["developers"],
      seedUsers: [
        {
          userName: "carol",
          externalId: "team:e3",
          blockers: { accessKeys: ["LTAIcarol"], groups: ["developers"], mfaDevice: true },
        },
      ],
    });
    env = {
      RAM_SCIM_CLIENT_ID: "9300",
      RAM_SCIM_CLIENT_SECRET: SECRET,
      RAM_SCIM_URL: emulator.scimUrl,
      RAM_SCIM_TOKEN_URL: emulator.tokenUrl,
      RAM_SCIM_IMS_ENDPOINT: emulator.url,
      ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIcli",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: AK_SECRET,
    };
  });
  afterEach(() => emulator.close());

  it("adds the joiner to its group, clears the leaver, writes one audit line per step, in schema-valid JSON", async () => {
    const file = join(dir, "team.yaml");
    writeFileSync(
      file,
      "owner: team\nmanagedGroups: [developers]\nforceDelete: [carol]\nusers:\n  - userName: alice\n    key: e1\n    groups: [developers]\n",
    );
    const audit = join(dir, "audit.jsonl");
    const r = await ramScim(
      ["apply", "--auto-approve", file, "--format", "json", "--audit-log", audit],
      env,
    );
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { steps: { action: string; blocker?: string }[] };
    expect(new Ajv({ strict: true }).validate(outputSchema, doc)).toBe(true);
    expect(doc.steps.map((s) => s.action).sort()).toEqual(
      [
        "add-to-group",
        "clear-blocker",
        "clear-blocker",
        "create",
        "delete",
        "remove-from-group",
      ].sort(),
    );
    expect(doc.steps.find((s) => s.blocker === "AccessKey")).toMatchObject({
      target: "LTAIcarol",
      status: "done",
      userName: "carol",
    });
    const lines = readFileSync(audit, "utf8")
      .trim()
      .split("\n")
      .map((l): unknown => JSON.parse(l));
    expect(lines).toHaveLength(6);
    expect(lines[0]).toEqual({
      time: match.stringMatching(/Z$/),
      step: match.any(String),
      action: match.any(String),
      user: match.any(String),
      outcome: "done",
    });
    expect(readFileSync(audit, "utf8")).not.toContain(SECRET);
    expect(readFileSync(audit, "utf8")).not.toContain(AK_SECRET);
    expect(emulator.directory.findByUserName("carol")).toBeUndefined();
    expect(emulator.directory.findByUserName("alice")?.blockers.groups).toEqual(["developers"]);
  });

  it("says in the plan what blocks a leaver and how to proceed, without forceDelete", async () => {
    const file = join(dir, "plain.yaml");
    writeFileSync(file, "owner: team\nusers:\n  - userName: alice\n    key: e1\n");
    const r = await ramScim(["plan", file, "--detailed-exitcode"], env);
    expect(r.code).toBe(2);
    expect(r.out).toContain(
      "carol still has 1 AccessKey(s), an MFA device, groups developers: RAM will refuse the delete. Add it to forceDelete to clear them first.",
    );
  });
});
