// Every process a test starts ends with the test: each is started in a process group of its own
// (so that what it starts in turn, such as the emulator below `npm run`, ends with it) and the group
// is ended, not only its leader. The suite's global setup marks everything it starts with a variable
// in the environment, which children inherit, and fails when a marked process outlives the run.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import * as fs from "node:fs";
import { createInterface } from "node:readline";

/** Holds the run's own value in the environment of every process the suite starts. */
export const SUITE_RUN_VARIABLE = "TWILIO_CONVERSATIONS_TEST_RUN";

export interface ProcessInfo {
  pid: number;
  args: string;
  cwd: string;
}

/** Live processes (zombies left out) whose environment holds `name=value`, but for `except`. */
export function processesMarked(name: string, value: string, except: readonly number[] = [process.pid]): ProcessInfo[] {
  const mark = `${name}=${value}`;
  const found: ProcessInfo[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || except.includes(pid)) continue;
    try {
      if (!fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(mark)) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) continue;
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
      found.push({ pid, args, cwd: readLink(`/proc/${pid}/cwd`) });
    } catch {
      // Gone meanwhile, or another user's.
    }
  }
  return found;
}

function readLink(file: string): string {
  try {
    return fs.readlinkSync(file);
  } catch {
    return "?";
  }
}

/** Waits up to `graceMs` for the marked processes to end; returns those still running. */
export async function survivors(name: string, value: string, graceMs: number, except?: readonly number[]): Promise<ProcessInfo[]> {
  const deadline = Date.now() + graceMs;
  let left = processesMarked(name, value, except);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = processesMarked(name, value, except);
  }
  return left;
}

export function describeProcesses(processes: readonly ProcessInfo[]): string {
  return processes.map((p) => `  pid ${p.pid} in ${p.cwd}: ${p.args}`).join("\n");
}

/** Groups started here and not yet ended: killed when this test process exits, whatever the reason. */
const liveGroups = new Set<number>();
process.once("exit", () => {
  for (const group of liveGroups) signalGroup(group, "SIGKILL");
});

function signalGroup(group: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `command` as the leader of a process group of its own; stdin ignored, stdout and stderr
 * piped unless `options` say. When the leader exits, what is left of its group is killed with it
 * (then, not later: an emptied group's number may be given to another).
 */
export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options, detached: true });
  const group = child.pid;
  if (group !== undefined) {
    liveGroups.add(group);
    child.once("exit", () => {
      signalGroup(group, "SIGKILL");
      liveGroups.delete(group);
    });
  }
  return child;
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/**
 * Ends the child's process group: `signal` to every member, then SIGKILL to whatever is left after
 * `graceMs`. Resolves with the leader's exit code (null when a signal ended it); nothing to do once
 * the leader has exited, as its group ended with it.
 */
export async function stopGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM", graceMs = 5_000): Promise<number | null> {
  const group = child.pid;
  if (group === undefined || hasExited(child)) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + graceMs;
  let sent = signalGroup(group, signal);
  while (sent && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    sent = signalGroup(group, 0 as unknown as NodeJS.Signals);
  }
  if (sent) signalGroup(group, "SIGKILL");
  return exited;
}

/** The first line the child prints on stdout; rejects if it exits first. */
export function firstLine(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`exited with ${code} before printing a line`)));
    createInterface({ input: child.stdout! }).once("line", resolve);
  });
}
