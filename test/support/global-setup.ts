// The suite's watch over the processes its tests start: every one inherits this run's mark, and a
// marked process still running once the tests are over fails the run, named, and is ended.
import { randomUUID } from "node:crypto";
import { SUITE_RUN_VARIABLE, describeProcesses, survivors } from "./processes";

/** How long processes ended by the last tests may take to exit. */
const GRACE_MS = 5_000;

export function setup(): void {
  // A fresh mark even when a run starts another (test/integration/suite): each watches its own.
  process.env[SUITE_RUN_VARIABLE] = randomUUID();
}

export async function teardown(): Promise<void> {
  const left = await survivors(SUITE_RUN_VARIABLE, process.env[SUITE_RUN_VARIABLE]!, GRACE_MS);
  if (left.length === 0) return;
  for (const { pid } of left) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Gone meanwhile.
    }
  }
  // Vitest reports an error thrown here but still exits 0: the exit code is set as well.
  process.exitCode = 1;
  throw new Error(
    `${left.length} process(es) started by the tests outlived them (now killed):\n${describeProcesses(left)}\n` +
      "start long-lived processes with spawnGroup and end them with stopGroup (test/support/processes.ts)",
  );
}
