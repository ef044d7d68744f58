// kill -9 in the middle of `pulumi up`, of the whole process tree or of the provider process
// alone, then what the README tells a user to do: nothing duplicated, nothing lost, the next `up`
// converges and the preview after it is clean. `npm test` runs 2 trials each way;
// `KILL_TRIALS=10 npx vitest run test/e2e/kill.test.ts` runs the full set.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { newScenario, twilioObjects, type Scenario } from "./harness";

const TRIALS = Number(process.env.KILL_TRIALS ?? 2);
const E2E_TIMEOUT = 120_000 + TRIALS * 60_000;
let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.dispose();
  scenario = undefined;
});

/** Per trial: a named conversation, two identical ones without a unique name, each with a thread. */
function stackFor(tag: string): { yaml: string; threads: Record<string, string[]> } {
  const threads: Record<string, string[]> = {
    [`Named ${tag}`]: ["hello", "hello", "how can we help?", "bye"],
    [`Twin ${tag}`]: ["same", "same"],
  };
  const messages = (bodies: string[]) => bodies.map((body) => `      - { author: ada, body: "${body}" }\n`).join("");
  const yaml =
    "conversations:\n" +
    `  named-${tag}:\n    uniqueName: kill-${tag}\n    friendlyName: Named ${tag}\n    messages:\n${messages(threads[`Named ${tag}`])}` +
    `  twin-a-${tag}:\n    friendlyName: Twin ${tag}\n    attributes: { twin: true }\n    messages:\n${messages(threads[`Twin ${tag}`])}` +
    `  twin-b-${tag}:\n    friendlyName: Twin ${tag}\n    attributes: { twin: true }\n    messages:\n${messages(threads[`Twin ${tag}`])}`;
  return { yaml, threads };
}

/** A small deterministic generator, so a failing trial can be run again. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const writes = (s: Scenario) => s.emulator.requests().filter((r) => r.method !== "GET").length;

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
const KILL_MARGIN = 4;

/** What a kill found and did: it interrupted `up` only if `up` was running and had writes left. */
interface Kill {
  /** `up` had not exited when the kill was sent. */
  running: boolean;
  /** How many processes were sent SIGKILL. */
  killed: number;
  /** The writes `up` had sent when it was killed. */
  writes: number;
  /** How the killed `up` exited: by the signal (the tree) or with an error (its provider gone). */
  exit: { code: number | null; signal: NodeJS.Signals | null };
}

/** Starts `up`, waits for the chosen number of writes (plus a few ms), and kills. */
async function killMidUp(s: Scenario, way: "tree" | "provider", afterWrites: number, extraMs: number): Promise<Kill> {
  const start = writes(s);
  const { child, done } = s.start(["up", "--yes", "--skip-preview"]);
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
function interruption(kill: Kill, way: "tree" | "provider") {
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
async function recoverAsUser(s: Scenario): Promise<string> {
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

/** Each declared conversation's friendly name and thread (the twins twice). */
function declaredThreads(threads: Record<string, string[]>): Array<[string, string[]]> {
  return Object.entries(threads).flatMap(([name, bodies]): Array<[string, string[]]> => (name.startsWith("Twin") ? [[name, bodies], [name, bodies]] : [[name, bodies]]));
}

/** The objects a stack file declares: each conversation and each message, one create each. */
function declaredObjects(threads: Record<string, string[]>): number {
  return declaredThreads(threads).reduce((count, [, bodies]) => count + 1 + bodies.length, 0);
}

/** Twilio holds exactly the declared conversations and threads: none twice, none missing. */
function expectExactly(s: Scenario, threads: Record<string, string[]>): void {
  const { conversations, messages } = twilioObjects(s.emulator);
  const expected = declaredThreads(threads);
  const held = conversations.map((c) => [c.friendly_name, messages.filter((m) => m.conversation_sid === c.sid).sort((a, b) => a.index - b.index).map((m) => m.body)]);
  const sort = (list: unknown[]) => list.map((entry) => JSON.stringify(entry)).sort();
  expect(sort(held)).toEqual(sort(expected));
}

describe.each(["tree", "provider"] as const)("kill -9 of the %s in the middle of pulumi up", (way) => {
  it(
    `${TRIALS} trials: 0 duplicates, 0 lost, the next up converges and the preview is clean`,
    async () => {
      scenario = await newScenario(`kill-${way}`);
      const next = random(way === "tree" ? 9 : 99);
      const results: string[] = [];
      let previous = 0;
      for (let trial = 0; trial < TRIALS; trial++) {
        const { yaml, threads } = stackFor(`${way}${trial}`);
        scenario.writeStack(yaml);
        // The creates of this trial's objects and the deletes of the previous trial's: kill
        // anywhere among them, before the last.
        const writesOfUp = declaredObjects(threads) + previous;
        previous = declaredObjects(threads);
        // A margin of writes before the end: the wait below and the polling let a few more
        // writes land before the kill, and a kill after the last one would interrupt nothing.
        const afterWrites = 1 + Math.floor(next() * Math.max(1, writesOfUp - KILL_MARGIN));
        const extraMs = Math.floor(next() * 30);
        const kill = await killMidUp(scenario, way, afterWrites, extraMs);
        // A trial whose kill interrupted nothing would prove nothing.
        expect(interruption(kill, way), `trial ${trial}: ${JSON.stringify(kill)} of ${writesOfUp} writes`).toEqual({
          running: true,
          killedSome: true,
          endedByTheKill: true,
        });
        const recovery = await recoverAsUser(scenario);
        expectExactly(scenario, threads);
        await scenario.pulumi(["preview", "--expect-no-changes"]);
        process.stderr.write(`${way} trial ${trial} done\n`);
        const when = `killed after ${kill.writes} of ${writesOfUp} writes (${afterWrites} + ${extraMs} ms)`;
        results.push(`trial ${trial}: ${when}; ${recovery || "nothing to clean"}`);
      }
      console.log(`kill -9 of the ${way}:\n  ${results.join("\n  ")}`);
    },
    E2E_TIMEOUT,
  );
});
