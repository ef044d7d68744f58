// Nothing a test starts outlives it. A test file is run by a vitest of its own with a probe in the
// environment, which every process it starts inherits; once that vitest has exited, no process
// holding the probe may be left.
import { randomUUID } from "node:crypto";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { setup, teardown } from "../../support/global-setup";
import { SUITE_RUN_VARIABLE, describeProcesses, processesMarked, spawnGroup, survivors, type ProcessInfo } from "../../support/processes";

const ROOT = path.resolve(__dirname, "../../..");
const VITEST = path.join(ROOT, "node_modules/vitest/vitest.mjs");
const PROBE = "TWILIO_CONVERSATIONS_LEAK_PROBE";

let vitest: ChildProcess | undefined;
let left: ProcessInfo[] = [];
afterEach(async () => {
  // What a failing run left is ended here, by its pid, so that this test leaves nothing either.
  for (const leftover of left) {
    try {
      process.kill(leftover.pid, "SIGKILL");
    } catch {
      // Gone.
    }
  }
  left = [];
  // Only while it runs (a test cut short): once it has exited, its group's number may be another's.
  if (vitest?.pid !== undefined && vitest.exitCode === null && vitest.signalCode === null) {
    try {
      process.kill(-vitest.pid, "SIGKILL");
    } catch {
      // Its group has ended.
    }
  }
  vitest = undefined;
});

/** Runs one test file (the tests whose names match `name`) in a vitest of its own; what it printed, its exit code and the processes it left. */
async function runAlone(file: string, name: string) {
  const probe = randomUUID();
  // Not spawnGroup, which would end what the run left in its group as soon as it exits: detached
  // all the same, so that afterEach can end its group.
  const child = (vitest = spawn(process.execPath, [VITEST, "run", file, "-t", name], {
    cwd: ROOT,
    env: { ...process.env, [PROBE]: probe, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  }));
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  // Its process group is left alone until the end: ending it would end what the run left in it.
  left = await survivors(PROBE, probe, 2_000);
  return { code, output, left };
}

describe("processes the tests start", () => {
  it("the README's `npm run emulator` test leaves no emulator running", async () => {
    const run = await runAlone("test/integration/readme/commands.test.ts", "npm run emulator");
    expect(run.output).toMatch(/Tests +1 passed/);
    expect(run.code).toBe(0);
    expect(describeProcesses(run.left)).toBe("");
  }, 60_000);

  it("the suite's teardown fails the run on a process left running, names it and ends it", async () => {
    const outerRun = process.env[SUITE_RUN_VARIABLE];
    const exitCode = process.exitCode;
    setup();
    const run = process.env[SUITE_RUN_VARIABLE]!;
    try {
      // A process a test forgot: it inherits the mark, as everything the tests start does.
      const forgotten = spawnGroup(process.execPath, ["-e", "setInterval(() => {}, 1000)"]);
      await new Promise((resolve) => forgotten.once("spawn", resolve));
      expect(processesMarked(SUITE_RUN_VARIABLE, run).map((p) => p.pid)).toEqual([forgotten.pid]);

      const failure = await teardown().then(() => undefined, (error: Error) => error.message);
      expect(failure).toContain(`pid ${forgotten.pid} in ${process.cwd()}: ${process.execPath} -e setInterval(() => {}, 1000)`);
      expect(process.exitCode).toBe(1);
      expect(await survivors(SUITE_RUN_VARIABLE, run, 2_000)).toEqual([]);
      await expect(teardown()).resolves.toBeUndefined();
    } finally {
      process.env[SUITE_RUN_VARIABLE] = outerRun;
      process.exitCode = exitCode;
    }
  }, 30_000);
});
