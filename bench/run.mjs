// npm run bench: figures for the reconciler against the emulator (each in its own process).
// BENCH_SIZES=1000 runs the small size only.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
const BIN = join(ROOT, "dist/cli/bin.js");
const sizes = (process.env.BENCH_SIZES ?? "1000,10000").split(",").map(Number);
const work = mkdtempSync(join(tmpdir(), "ram-scim-bench-"));
const secretFile = join(work, "secret");
writeFileSync(secretFile, "bench-secret\n");

function people(n) {
  return Array.from({ length: n }, (_, i) => {
    const userName = `person${String(i).padStart(5, "0")}`;
    return { userName, displayName: `Person ${i}`, key: `k${i}` };
  });
}

function usersFile(n) {
  const file = join(work, `users-${n}.json`);
  writeFileSync(file, JSON.stringify({ owner: "bench", users: people(n) }));
  return file;
}

function seedFile(n) {
  const file = join(work, `seed-${n}.json`);
  const seed = people(n).map((p) => ({
    userName: p.userName,
    displayName: p.displayName,
    externalId: `bench:${p.key}`,
  }));
  writeFileSync(file, JSON.stringify(seed));
  return file;
}

/** Starts `ram-scim emulator` in a child process and resolves with its URL. */
function startEmulator(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        BIN,
        "emulator",
        "--port",
        "0",
        "--client-id",
        "9001",
        "--client-secret-file",
        secretFile,
        ...args,
      ],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const url = /listening on (\S+)/.exec(out)?.[1];
      if (url) resolve({ url, stop: () => child.kill("SIGTERM") });
    });
    child.on("exit", (code) => reject(new Error(`emulator exited with ${code}: ${out}`)));
  });
}

function scenario(name, file, url) {
  return new Promise((resolve, reject) => {
    const env = {
      ...process.env,
      RAM_SCIM_CLIENT_ID: "9001",
      RAM_SCIM_CLIENT_SECRET_FILE: secretFile,
      RAM_SCIM_URL: url,
      RAM_SCIM_TOKEN_URL: `${url}/v1/token`,
    };
    const child = spawn(process.execPath, [join(ROOT, "bench/scenario.mjs"), name, file], {
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${name} exited with ${code}`)),
    );
  });
}

async function counters(url) {
  return (await fetch(`${url}/_emulator/counters`)).json();
}

const rows = [];
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;

for (const n of sizes) {
  const file = usersFile(n);
  const emulator = await startEmulator(["--seed", seedFile(n)]);
  try {
    const before = await counters(emulator.url);
    const noop = await scenario("noop-plan", file, emulator.url);
    const served = (await counters(emulator.url)).total - before.total;
    const pages = Math.ceil(n / 100);
    rows.push([
      `no-op plan, ${n} users`,
      `${served} requests (minimum ${pages} pages + 1 token)`,
      s(noop.ms),
      `${noop.maxRssMb.toFixed(0)} MB`,
      `steps ${noop.steps}`,
    ]);

    const perUser = await scenario("per-user", file, emulator.url);
    rows.push([
      `  one look-up per user, ${n} users`,
      `${perUser.requests} requests (${(perUser.requests / served).toFixed(0)}x)`,
      `${s(perUser.ms)} (${(perUser.ms / noop.ms).toFixed(0)}x)`,
      `${perUser.maxRssMb.toFixed(0)} MB`,
      `found ${perUser.found}`,
    ]);

    const preview = await scenario("pulumi-preview", file, emulator.url);
    rows.push([
      `Pulumi preview + up, ${n} users, 1 changed`,
      `preview ${preview.previewRequests} (minimum ${pages} pages + 1 token), up ${preview.updateRequests}`,
      s(preview.ms),
      `${preview.maxRssMb.toFixed(0)} MB`,
      `pendingChanges "${preview.pending}"`,
    ]);
  } finally {
    emulator.stop();
  }
}

const createN = Math.min(...sizes, 1000);
const limit = 20;
const emulator = await startEmulator(["--write-rate-limit", String(limit)]);
try {
  const created = await scenario("apply", usersFile(createN), emulator.url);
  const c = await counters(emulator.url);
  const ideal = (createN / limit) * 1000;
  rows.push([
    `create ${createN} users, server limit ${limit} writes/s`,
    `${created.requests} requests, ${c.throttled} answered 429`,
    `${s(created.ms)} (limit allows ${s(ideal)})`,
    `${created.maxRssMb.toFixed(0)} MB`,
    `throughput ${((ideal / created.ms) * 100).toFixed(0)} % of the limit`,
  ]);
} finally {
  emulator.stop();
}

// Validation stays linear in the input however many problems it finds.
const validateN = Number(process.env.BENCH_VALIDATE_USERS ?? 100_000);
const invalidFile = join(work, `invalid-${validateN}.json`);
writeFileSync(
  invalidFile,
  JSON.stringify({
    owner: "bench",
    users: people(validateN).map((p) => ({ ...p, userName: `${p.userName} has spaces` })),
  }),
);
const valid = await scenario("validate", usersFile(validateN), "http://127.0.0.1:1");
const invalid = await scenario("validate", invalidFile, "http://127.0.0.1:1");
rows.push([
  `validate ${validateN} valid users`,
  "0 (offline)",
  s(valid.ms),
  `${valid.maxRssMb.toFixed(0)} MB`,
  `${valid.users} users, ${valid.problems} problems`,
]);
rows.push([
  `validate ${validateN} invalid users`,
  "0 (offline)",
  `${s(invalid.ms)} (${(invalid.ms / valid.ms).toFixed(1)}x valid)`,
  `${invalid.maxRssMb.toFixed(0)} MB`,
  `${invalid.problems} problems, message of ${invalid.messageLines} lines`,
]);

const head = ["scenario", "requests", "wall time", "peak RSS", "notes"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
console.log(line(head));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const r of rows) console.log(line(r));
