// What the kill tests share: killing `pulumi up` part way (the whole process tree, or the
// provider alone), and what README § Troubleshooting tells a user to type after it.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Scenario } from "./harness";

/** A small deterministic generator, so a failing trial can be run again. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

export const writes = (s: Scenario) => s.emulator.requests().filter((r) => r.method !== "GET").length;

/** The live processes below `root` (pulumi puts its plugins in process groups of their own). */
function descendants(root: number): Array<{ pid: number; args: string }> {
  const listing = execFileSync("ps", ["-e", "-o", "pid=,ppid=,stat=,args="], { encoding: "utf8" });
  const processes = listing
    .split("\n")
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/))
    .filter((match): match is RegExpMatchArray => match !== null && !match[3].startsWith("Z"))
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), args: match[4] }));
  const found: Array<{ pid: number; args: string }> = [];
  const parents = [root];
  while (parents.length > 0) {
    const parent = parents.pop()!;
    for (const child of processes.filter((p) => p.ppid === parent)) {
      found.push(child);
      parents.push(child.pid);
    }
  }
  return found;
}

function killNow(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

/** Writes left unsent at the latest kill point drawn. */
export const KILL_MARGIN = 4;

/** What a kill found and did: it interrupted `up` only if `up` was running and had writes left. */
export interface Kill {
  /** `up` had not exited when the kill was sent. */
  running: boolean;
  /** How many processes were sent SIGKILL. */
  killed: number;
  /** The writes `up` had sent when it was killed. */
  writes: number;
  /** How the killed `up` exited: by the signal (the tree) or with an error (its provider gone). */
  exit: { code: number | null; signal: NodeJS.Signals | null };
}

/** Starts `up` (with `env`), waits for the chosen number of writes (plus a few ms), and kills. */
export async function killMidUp(s: Scenario, way: "tree" | "provider", afterWrites: number, extraMs: number, env: Record<string, string>): Promise<Kill> {
  const start = writes(s);
  const { child, done } = s.start(["up", "--yes", "--skip-preview"], env);
  const pulumiPid = child.pid!;
  const deadline = Date.now() + 60_000;
  while (writes(s) - start < afterWrites && child.exitCode === null && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await new Promise((resolve) => setTimeout(resolve, extraMs));
  const running = child.exitCode === null;
  const below = descendants(pulumiPid);
  const targets = way === "tree" ? [pulumiPid, ...below.map((p) => p.pid)] : below.filter((p) => p.args.includes("dynamic-provider")).map((p) => p.pid);
  const writesAtKill = writes(s) - start;
  killNow(targets);
  await done;
  if (way === "tree") {
    // Orphans of the tree are reaped by init; wait until none is alive.
    while (below.some(({ pid }) => alive(pid))) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { running, killed: targets.length, writes: writesAtKill, exit: { code: child.exitCode, signal: child.signalCode } };
}

/**
 * Whether the kill interrupted `up`: it was still running and the kill ended it (the tree by
 * SIGKILL, or `up` failing once its provider was gone). Writes may all have been sent by then
 * (the last ones are a burst of parallel deletes): what was not yet recorded is still at stake.
 */
export function interruption(kill: Kill, way: "tree" | "provider") {
  return {
    running: kill.running,
    killedSome: kill.killed > 0,
    endedByTheKill: way === "tree" ? kill.exit.signal === "SIGKILL" : kill.exit.code !== 0,
  };
}

function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

/** Exactly what README § Troubleshooting tells a user to type after a crash. */
export async function recoverAsUser(s: Scenario): Promise<string> {
  const emptyAttrs = findFiles(path.join(s.dir, "backend", ".pulumi"), ".json.attrs").filter((file) => fs.statSync(file).size === 0);
  for (const file of emptyAttrs) fs.rmSync(file);
  const cancel = await s.pulumi(["cancel", "--yes"], { allowFailure: true });
  const up = await s.up();
  return [
    emptyAttrs.length ? `${emptyAttrs.length} empty .json.attrs removed` : "",
    `pulumi cancel exited ${cancel.code}`,
    /pending operations/i.test(up.output) ? "up warned of pending operations" : "",
  ]
    .filter(Boolean)
    .join(", ");
}

function findFiles(dir: string, suffix: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? findFiles(full, suffix) : entry.name.endsWith(suffix) ? [full] : [];
  });
}

