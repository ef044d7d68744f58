// kill -9 in the middle of `pulumi up` on a CI runner that is lost with its disk: the next `up`
// runs from a fresh checkout, with no create journal, against the same backend. It must find in
// Twilio what the killed run made: nothing made twice, nothing lost, the next `up` converges and
// the preview after it is clean. The stack has conversations with and without a uniqueName (two
// of them twins), participants, scoped webhooks, seed threads, a role and a user. `npm test` runs 1
// trial each way; `KILL_TRIALS=10 npx vitest run test/e2e/kill-lost-journal.test.ts` the full set.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { newScenario, twilioObjects, type Scenario } from "./harness";
import { KILL_MARGIN, interruption, killMidUp, random, recoverAsUser } from "./kill-support";

const TRIALS = Number(process.env.KILL_TRIALS ?? 1);
const E2E_TIMEOUT = 120_000 + TRIALS * 90_000;
let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.dispose();
  scenario = undefined;
});

/** One declared conversation, as a trial checks it in Twilio. */
interface Declared {
  friendlyName: string;
  bodies: string[];
  participants: string[];
  webhookUrl: string | null;
}

/** Per trial: a role, a user, a named conversation, two twins without a uniqueName, and one more without. */
function stackFor(tag: string): { yaml: string; sections: Sections; conversations: Declared[]; role: string; user: string } {
  const messages = (bodies: string[]) => "    messages:\n" + bodies.map((body) => `      - { author: ada, body: "${body}" }\n`).join("");
  const participant = (identity: string) => `    participants:\n      p:\n        identity: ${identity}\n`;
  const webhook = (url: string) => `    scopedWebhooks:\n      crm: { target: webhook, url: "${url}", filters: [onMessageAdded] }\n`;
  const named: Declared = { friendlyName: `Named ${tag}`, bodies: ["hello", "hello", "how can we help?", "bye"], participants: [`ada-${tag}`], webhookUrl: `https://example.com/named/${tag}` };
  const twin: Declared = { friendlyName: `Twin ${tag}`, bodies: ["same", "same"], participants: [`bob-${tag}`], webhookUrl: `https://example.com/twin/${tag}` };
  const solo: Declared = { friendlyName: `Solo ${tag}`, bodies: ["one", "two", "three"], participants: [], webhookUrl: null };
  const role = `role-${tag}`;
  const user = `user-${tag}`;
  const sections: Sections = {
    roles: `  r${tag}:\n    friendlyName: ${role}\n    type: conversation\n    permissions: [sendMessage]\n`,
    users: `  u${tag}:\n    identity: ${user}\n    friendlyName: User ${tag}\n`,
    conversations:
    `  named-${tag}:\n    uniqueName: lost-${tag}\n    friendlyName: ${named.friendlyName}\n${participant(named.participants[0])}${webhook(named.webhookUrl!)}${messages(named.bodies)}` +
    ["a", "b"].map((twinOf) => `  twin-${twinOf}-${tag}:\n    friendlyName: ${twin.friendlyName}\n    attributes: { twin: true }\n${participant(twin.participants[0])}${webhook(twin.webhookUrl!)}${messages(twin.bodies)}`).join("") +
    `  solo-${tag}:\n    friendlyName: ${solo.friendlyName}\n${messages(solo.bodies)}`,
  };
  return { yaml: stackYaml(sections), sections, conversations: [named, twin, twin, solo], role, user };
}

/** A stack file's roles, users and conversations, each the entries below its key. */
interface Sections {
  roles: string;
  users: string;
  conversations: string;
}

/** The stack file of these sections, one after another (entries of several trials side by side). */
function stackYaml(...parts: Sections[]): string {
  return (["roles", "users", "conversations"] as const).map((key) => `${key}:\n${parts.map((part) => part[key]).join("")}`).join("");
}

/** The writes of a trial's `up`: every object it creates, and the deletes of the previous trial's (its conversations, role and user). */
function writesOf(declared: ReturnType<typeof stackFor>): { creates: number; deletes: number } {
  const inConversations = declared.conversations.reduce((count, c) => count + 1 + c.bodies.length + c.participants.length + (c.webhookUrl ? 1 : 0), 0);
  return { creates: 2 + inConversations, deletes: declared.conversations.length + 2 };
}

/** What Twilio holds of a trial, against what it declares: objects made twice, objects missing. */
function tally(s: Scenario, declared: ReturnType<typeof stackFor>): { duplicates: number; lost: number; stray: string[] } {
  const state = s.emulator.state() as unknown as { conversations: any[]; messages: any[]; participants: any[]; webhooks: any[]; roles: any[]; users: any[] };
  let duplicates = 0;
  let lost = 0;
  const stray: string[] = [];
  const wanted = new Map<string, Declared[]>();
  for (const conversation of declared.conversations) wanted.set(conversation.friendlyName, [...(wanted.get(conversation.friendlyName) ?? []), conversation]);
  for (const [friendlyName, list] of wanted) {
    const held = state.conversations.filter((c) => c.friendly_name === friendlyName);
    duplicates += Math.max(0, held.length - list.length);
    lost += Math.max(0, list.length - held.length);
    const expected = list[0];
    for (const conversation of held) {
      const bodies = state.messages.filter((m) => m.conversation_sid === conversation.sid).sort((a, b) => a.index - b.index).map((m) => m.body);
      duplicates += Math.max(0, bodies.length - expected.bodies.length);
      lost += Math.max(0, expected.bodies.length - bodies.length);
      if (JSON.stringify(bodies) !== JSON.stringify(expected.bodies.slice(0, bodies.length))) stray.push(`${conversation.sid}: ${JSON.stringify(bodies)}`);
      const identities = state.participants.filter((p) => p.conversation_sid === conversation.sid).map((p) => p.identity);
      duplicates += Math.max(0, identities.length - expected.participants.length);
      lost += expected.participants.filter((identity) => !identities.includes(identity)).length;
      const hooks = state.webhooks.filter((w) => w.conversation_sid === conversation.sid);
      const wantedHooks = expected.webhookUrl ? 1 : 0;
      duplicates += Math.max(0, hooks.length - wantedHooks);
      lost += Math.max(0, wantedHooks - hooks.length);
    }
  }
  // Conversations of earlier trials are deleted by this one's `up`: any left is one made twice.
  duplicates += state.conversations.filter((c) => !wanted.has(c.friendly_name)).length;
  const roles = state.roles.filter((r) => String(r.friendly_name).startsWith("role-"));
  const users = state.users.filter((u) => String(u.identity).startsWith("user-"));
  for (const [held, name] of [
    [roles.filter((r) => r.friendly_name === declared.role), declared.role],
    [users.filter((u) => u.identity === declared.user), declared.user],
  ] as const) {
    duplicates += Math.max(0, held.length - 1);
    lost += held.length === 0 ? 1 : 0;
    void name;
  }
  duplicates += roles.filter((r) => r.friendly_name !== declared.role).length + users.filter((u) => u.identity !== declared.user).length;
  return { duplicates, lost, stray };
}

const WAYS = [
  { named: "the tree, the journal lost with the runner's disk,", env: {} },
  // The engine records nothing of the killed run in state either: Twilio alone knows what it made.
  { named: "the tree, state written only at the end and the journal lost,", env: { PULUMI_SKIP_CHECKPOINTS: "true" } },
] as const;

describe.each(WAYS)("kill -9 of $named in the middle of pulumi up", ({ env }) => {
  it(
    `${TRIALS} trials: 0 duplicates, 0 lost, the next up (a fresh runner) converges and the preview is clean`,
    async () => {
      const unsaved = Object.keys(env).length > 0;
      scenario = await newScenario(`lost-${unsaved ? "unsaved" : "saved"}`);
      const next = random(unsaved ? 2323 : 23);
      const table: string[] = [];
      let previousDeletes = 0;
      let converged = 0;
      for (let trial = 0; trial < TRIALS; trial++) {
        const tag = `${unsaved ? "u" : "s"}${trial}`;
        const declared = stackFor(tag);
        scenario.writeStack(declared.yaml);
        const { creates, deletes } = writesOf(declared);
        const writesOfUp = creates + previousDeletes;
        previousDeletes = deletes;
        const afterWrites = 1 + Math.floor(next() * Math.max(1, writesOfUp - KILL_MARGIN));
        const extraMs = Math.floor(next() * 30);
        const kill = await killMidUp(scenario, "tree", afterWrites, extraMs, env);
        expect(interruption(kill, "tree"), `trial ${trial}: ${JSON.stringify(kill)} of ${writesOfUp} writes`).toEqual({ running: true, killedSome: true, endedByTheKill: true });
        // The next runner is a fresh checkout: no journal.
        fs.rmSync(path.join(scenario.dir, "intents"), { recursive: true, force: true });
        const recovery = await recoverAsUser(scenario);
        const counted = tally(scenario, declared);
        const preview = await scenario.pulumi(["preview", "--expect-no-changes"], { allowFailure: true });
        if (counted.duplicates === 0 && counted.lost === 0 && preview.code === 0) converged++;
        table.push(
          `trial ${trial}: killed after ${kill.writes} of ${writesOfUp} writes; duplicates ${counted.duplicates}, lost ${counted.lost}, ` +
            `${preview.code === 0 ? "converged" : "not converged"}; ${recovery || "nothing to clean"}`,
        );
        expect(counted).toEqual({ duplicates: 0, lost: 0, stray: [] });
        expect(preview.code, preview.output).toBe(0);
        const outputs = await scenario.outputs();
        const held = twilioObjects(scenario.emulator).conversations.map((c) => c.sid);
        for (const name of [`named-${tag}`, `twin-a-${tag}`, `twin-b-${tag}`, `solo-${tag}`]) expect(held).toContain(outputs.conversations[name]);
        expect(new Set([outputs.conversations[`twin-a-${tag}`], outputs.conversations[`twin-b-${tag}`]]).size).toBe(2);
        process.stderr.write(`lost-journal ${unsaved ? "unsaved " : ""}trial ${trial} done\n`);
      }
      console.log(`kill -9 ${unsaved ? "(PULUMI_SKIP_CHECKPOINTS) " : ""}with the journal lost: ${converged}/${TRIALS} converged\n  ${table.join("\n  ")}`);
    },
    E2E_TIMEOUT,
  );
});

describe("a normal up", () => {
  it(
    "pays nothing for recovery once the journal follows the stack: one request per object created, and the one read that verifies the target",
    async () => {
      scenario = await newScenario("lost-cost");
      // The stack's first up in this folder: the journal starts following the stack.
      scenario.writeStack(stackFor("first").yaml);
      await scenario.up();
      // It looked in Twilio (reads only) for what has no natural key: one list per service and per role.
      const first = scenario.emulator.requests();
      expect(first.filter((r) => r.method === "POST")).toHaveLength(writesOf(stackFor("first")).creates);
      const firstReads = first.filter((r) => r.method !== "POST").map((r) => `${r.method} ${r.path}`);
      const second = stackFor("second");
      // The second trial's objects beside the first's: all created, none deleted.
      scenario.writeStack(stackYaml(stackFor("first").sections, second.sections));
      scenario.emulator.clearRequests();
      await scenario.up();
      const requests = scenario.emulator.requests();
      const { creates } = writesOf(second);
      expect(requests.filter((r) => r.method === "POST")).toHaveLength(creates);
      expect(requests.filter((r) => r.method !== "POST").map((r) => `${r.method} ${r.path}`)).toEqual(["GET /v1/Configuration"]);
      console.log(`the stack's first up in a fresh journal folder: ${first.length} requests for ${writesOf(stackFor("first")).creates} objects created (reads: ${firstReads.join(", ")})`);
      console.log(`a normal up: ${requests.length} requests for ${creates} objects created`);
    },
    E2E_TIMEOUT,
  );
});
