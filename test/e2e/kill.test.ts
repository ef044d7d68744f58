// kill -9 in the middle of `pulumi up`, of the whole process tree or of the provider process
// alone, then what the README tells a user to do: nothing duplicated, nothing lost, the next `up`
// converges and the preview after it is clean. Each conversation's seed messages are created
// inside its create, each journaled under its own intent first. `npm test` runs 2 trials each way,
// and 1 of the tree killed while the engine writes state only at the end (PULUMI_SKIP_CHECKPOINTS,
// which the README allows for stacks of this provider alone); `KILL_TRIALS=10 npx vitest run
// test/e2e/kill.test.ts` runs the full set.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { newScenario, twilioObjects, type Scenario } from "./harness";
import { KILL_MARGIN, interruption, killMidUp, random, recoverAsUser } from "./kill-support";

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

/** Each declared conversation's friendly name and thread (the twins twice). */
function declaredThreads(threads: Record<string, string[]>): Array<[string, string[]]> {
  return Object.entries(threads).flatMap(([name, bodies]): Array<[string, string[]]> => (name.startsWith("Twin") ? [[name, bodies], [name, bodies]] : [[name, bodies]]));
}

/** The creates a stack file's objects take: each conversation and each message of its thread. */
function declaredObjects(threads: Record<string, string[]>): number {
  return declaredThreads(threads).reduce((count, [, bodies]) => count + 1 + bodies.length, 0);
}

/** The deletes of a stack file's objects: one per conversation (Twilio deletes its thread with it). */
function deletesOf(threads: Record<string, string[]>): number {
  return declaredThreads(threads).length;
}

/** The resource names of a trial's conversations (see `stackFor`). */
function resourceNames(tag: string): string[] {
  return [`named-${tag}`, `twin-a-${tag}`, `twin-b-${tag}`];
}

/** A create intent left in the journal (one file per resource, or per message of a thread). */
interface OpenIntent {
  key: string;
  sid: string | null;
}

/** The journal's open intents: what creates recorded and no later run has yet seen in state (a folder per stack). */
function openIntents(s: Scenario): OpenIntent[] {
  const dir = path.join(s.dir, "intents");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => fs.readdirSync(path.join(dir, entry.name)).filter((file) => file.endsWith(".json") && file !== "ledger.json").map((file) => path.join(dir, entry.name, file)))
    .map((file) => JSON.parse(fs.readFileSync(file, "utf8")) as OpenIntent)
    .map(({ key, sid }) => ({ key, sid }));
}

/**
 * What the journal holds after a kill: each message the killed run made is under its own intent,
 * `<stack>/<conversation>#<key>` (its position: the trial's messages are unkeyed), naming its SID
 * unless the answer was lost; its conversation's intent names the conversation. Returns the SIDs
 * the intents name, which the recovery must keep.
 */
function expectJournaled(s: Scenario, tag: string, threads: Record<string, string[]>, before: Set<string>): { conversations: string[]; messages: string[] } {
  const intents = openIntents(s);
  const byKey = new Map(intents.map((intent) => [intent.key, intent]));
  const names = resourceNames(tag);
  const allowed = new Set(
    names.flatMap((name) => {
      const bodies = threads[name.startsWith("named") ? `Named ${tag}` : `Twin ${tag}`];
      return [`${s.stack}/${name}`, ...bodies.map((_, position) => `${s.stack}/${name}#${position}`)];
    }),
  );
  expect(intents.map((intent) => intent.key).filter((key) => !allowed.has(key))).toEqual([]);
  const nameOf = new Map(names.map((name) => [byKey.get(`${s.stack}/${name}`)?.sid, name]));
  const made = twilioObjects(s.emulator).messages.filter((m) => !before.has(m.sid));
  for (const message of made) {
    const name = nameOf.get(message.conversation_sid);
    expect(name, `the conversation of ${message.sid} is journaled`).toBeDefined();
    const intent = byKey.get(`${s.stack}/${name}#${message.index}`);
    expect(intent, `message ${message.index} of ${name} is journaled`).toBeDefined();
    expect([message.sid, null]).toContain(intent!.sid);
  }
  const named = (list: OpenIntent[]) => list.flatMap((intent) => (intent.sid ? [intent.sid] : []));
  return { conversations: named(intents.filter((i) => !i.key.includes("#"))), messages: named(intents.filter((i) => i.key.includes("#"))) };
}

/** The stack outputs name, for each conversation of the trial, the SID of each message by its key. */
async function expectOutputsName(s: Scenario, tag: string): Promise<void> {
  const { conversations, messages } = twilioObjects(s.emulator);
  const outputs = await s.outputs();
  for (const name of resourceNames(tag)) {
    const thread = messages.filter((m) => m.conversation_sid === outputs.conversations[name]).sort((a, b) => a.index - b.index);
    expect(conversations.map((c) => c.sid)).toContain(outputs.conversations[name]);
    expect(outputs.messages[name]).toEqual(Object.fromEntries(thread.map((m, position) => [String(position), m.sid])));
  }
}

/** Twilio holds exactly the declared conversations and threads: none twice, none missing. */
function expectExactly(s: Scenario, threads: Record<string, string[]>): void {
  const { conversations, messages } = twilioObjects(s.emulator);
  const expected = declaredThreads(threads);
  const held = conversations.map((c) => [c.friendly_name, messages.filter((m) => m.conversation_sid === c.sid).sort((a, b) => a.index - b.index).map((m) => m.body)]);
  const sort = (list: unknown[]) => list.map((entry) => JSON.stringify(entry)).sort();
  expect(sort(held)).toEqual(sort(expected));
}

const WAYS = [
  { way: "tree", trials: TRIALS, env: {}, named: "the tree" },
  { way: "provider", trials: TRIALS, env: {}, named: "the provider" },
  // The engine records nothing of the run in state: every object it made is known to the journal alone.
  { way: "tree", trials: Math.ceil(TRIALS / 2), env: { PULUMI_SKIP_CHECKPOINTS: "true" }, named: "the tree, state written only at the end," },
] as const;

describe.each(WAYS)("kill -9 of $named in the middle of pulumi up", ({ way, trials, env }) => {
  it(
    `${trials} trials: 0 duplicates, 0 lost, the next up converges and the preview is clean`,
    async () => {
      const unsaved = Object.keys(env).length > 0;
      scenario = await newScenario(`kill-${way}${unsaved ? "-unsaved" : ""}`);
      const next = random(way === "tree" ? (unsaved ? 999 : 9) : 99);
      const results: string[] = [];
      let previous = 0;
      for (let trial = 0; trial < trials; trial++) {
        const tag = `${way}${unsaved ? "u" : ""}${trial}`;
        const { yaml, threads } = stackFor(tag);
        scenario.writeStack(yaml);
        // The creates of this trial's objects and the deletes of the previous trial's: kill
        // anywhere among them, before the last. The messages are created inside their
        // conversation's create, one request each.
        const writesOfUp = declaredObjects(threads) + previous;
        previous = deletesOf(threads);
        const before = new Set(twilioObjects(scenario.emulator).messages.map((m) => m.sid));
        // A margin of writes before the end: the wait below and the polling let a few more
        // writes land before the kill, and a kill after the last one would interrupt nothing.
        const afterWrites = 1 + Math.floor(next() * Math.max(1, writesOfUp - KILL_MARGIN));
        const extraMs = Math.floor(next() * 30);
        const kill = await killMidUp(scenario, way, afterWrites, extraMs, env);
        // A trial whose kill interrupted nothing would prove nothing.
        expect(interruption(kill, way), `trial ${trial}: ${JSON.stringify(kill)} of ${writesOfUp} writes`).toEqual({
          running: true,
          killedSome: true,
          endedByTheKill: true,
        });
        const journaled = expectJournaled(scenario, tag, threads, before);
        const recovery = await recoverAsUser(scenario);
        expectExactly(scenario, threads);
        // The recovery took what the killed run made rather than making it again.
        const held = twilioObjects(scenario.emulator);
        expect(journaled.messages.filter((sid) => !held.messages.some((m) => m.sid === sid))).toEqual([]);
        expect(journaled.conversations.filter((sid) => !held.conversations.some((c) => c.sid === sid))).toEqual([]);
        await expectOutputsName(scenario, tag);
        await scenario.pulumi(["preview", "--expect-no-changes"]);
        // The preview saw every object in state: no intent is left open.
        expect(openIntents(scenario)).toEqual([]);
        process.stderr.write(`${way} trial ${trial} done\n`);
        const when = `killed after ${kill.writes} of ${writesOfUp} writes (${afterWrites} + ${extraMs} ms)`;
        const taken = `${journaled.conversations.length} conversations and ${journaled.messages.length} messages journaled`;
        results.push(`trial ${trial}: ${when}; ${taken}; ${recovery || "nothing to clean"}`);
      }
      console.log(`kill -9 of the ${way}:\n  ${results.join("\n  ")}`);
    },
    E2E_TIMEOUT,
  );
});
