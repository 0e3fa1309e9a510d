// --timeout must fire however much garbage is collected in the meantime: Node holds timeout
// signals weakly, and a run once went on past its time when its timer was collected.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const io = join(__dirname, "..", "..", "dist", "cli", "io.js");

/** Runs `runSignal` in a node with collection on demand, collecting before the time is up. */
function firesAfterCollection(): string {
  const script = `
    const stop = new AbortController().signal;
    let signal = require(${JSON.stringify(io)}).runSignal({ stop }, 100);
    let fired = "never fired";
    signal.addEventListener("abort", () => (fired = "fired: " + signal.reason.name));
    for (let i = 0; i < 5; i++) global.gc();
    const collecting = setInterval(() => global.gc(), 10);
    setTimeout(() => { clearInterval(collecting); process.stdout.write(fired); }, 400);
  `;
  const run = spawnSync(process.execPath, ["--expose-gc", "-e", script], { encoding: "utf8" });
  return `${run.stdout}${run.stderr}`;
}

describe("runSignal", () => {
  it("fires its timeout even when everything collectable is collected first", () => {
    if (!existsSync(io)) throw new Error("dist/ is missing: run `npm run build` (npm test does)");
    expect(firesAfterCollection()).toBe("fired: TimeoutError");
  });
});
