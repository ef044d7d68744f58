// Grouped seeding (`seeding: { groups }`) on the real engine: switching a stack between one
// resource per conversation and groups, either way, creates, deletes and re-posts nothing; and one
// conversation's failure inside a group is recorded and finished by the next `up`.
import { afterEach, describe, expect, it } from "vitest";
import { newScenario, stackResources, twilioObjects, twilioResources, writes, type Scenario } from "./harness";
import { interruption, killMidUp, recoverAsUser } from "./kill-support";

const E2E_TIMEOUT = 300_000;
let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.dispose();
  scenario = undefined;
});

const NAMES = ["lobby", "desk", "hall"];

function stackYaml(seeding: string): string {
  const lines = [seeding, "conversations:"];
  for (const name of NAMES) {
    lines.push(`  ${name}:`, `    uniqueName: seed-${name}`, `    friendlyName: Seed ${name}`);
    if (name === "desk") lines.push("    participants:", "      ada: { identity: ada }");
    lines.push("    messages:", `      - { key: hello, author: ada, body: Hello from ${name} }`, `      - { key: bye, author: ada, body: Bye from ${name} }`);
  }
  return `${lines.join("\n")}\n`;
}

const GROUPED = stackYaml("seeding: { groups: 2 }");
const PER_CONVERSATION = stackYaml("");

/** What Twilio holds, every object by SID. */
function held(scenario: Scenario) {
  const state = scenario.emulator.state() as { conversations: any[]; messages: any[]; participants: any[] };
  const sids = (list: any[]) => list.map((item) => item.sid).sort();
  return { conversations: sids(state.conversations), messages: sids(state.messages), participants: sids(state.participants) };
}

/** Writes that Twilio applied: a create refused for its taken unique name (409, then taken over) applied nothing. */
function applied(scenario: Scenario): string[] {
  return writes(scenario.emulator.requests().filter((request) => request.status >= 200 && request.status < 300));
}

describe("grouped seeding on the real engine", () => {
  it("switching a stack into groups and back creates, deletes and re-posts nothing; the outputs stay", async () => {
    scenario = await newScenario("grouped-switch");
    scenario.writeStack(PER_CONVERSATION);
    await scenario.up();
    const before = held(scenario);
    const outputs = await scenario.outputs();
    expect(before.conversations).toHaveLength(3);
    expect(before.messages).toHaveLength(6);

    for (const [yaml, kind] of [
      [GROUPED, "ConversationGroup"],
      [PER_CONVERSATION, "Conversation"],
    ] as const) {
      scenario.writeStack(yaml);
      scenario.emulator.clearRequests();
      await scenario.up();
      expect(held(scenario)).toEqual(before);
      expect(applied(scenario)).toEqual([]);
      expect(await scenario.outputs()).toEqual(outputs);
      const resources = twilioResources(await stackResources(scenario));
      expect(resources.every((resource) => resource.startsWith(`${kind} `))).toBe(true);
      if (kind === "Conversation") expect(resources).toEqual(NAMES.map((name) => `Conversation ${name}`).sort());
      await scenario.pulumi(["preview", "--expect-no-changes"]);
      // A refresh reads every member back as recorded.
      await scenario.pulumi(["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);
    }
  }, E2E_TIMEOUT);

  it("one conversation's failure inside a group keeps what the others made, and the next up finishes it", async () => {
    scenario = await newScenario("grouped-failure");
    scenario.writeStack(GROUPED);
    scenario.emulator.setFaults([{ method: "POST", path: "/Participants$", status: 500, count: 1000 }]);
    const failed = await scenario.pulumi(["up", "--yes", "--skip-preview"], { allowFailure: true });
    expect(failed.code).not.toBe(0);
    expect(failed.output).toMatch(/1 of the group's conversations failed/);
    expect(failed.output).toMatch(/conversation desk: conversation CH[0-9a-f]{32} was created, but/);
    const partial = twilioObjects(scenario.emulator);
    expect(partial.conversations).toHaveLength(3);
    expect(partial.messages).toHaveLength(4);

    scenario.emulator.clearFaults();
    scenario.emulator.clearRequests();
    await scenario.up();
    // Only desk's participant and thread: nothing made twice.
    expect(writes(scenario.emulator.requests()).map((write) => write.replace(/CH[0-9a-f]{32}/, "CH"))).toEqual([
      "POST /v1/Conversations/CH/Participants",
      "POST /v1/Conversations/CH/Messages",
      "POST /v1/Conversations/CH/Messages",
    ]);
    const finished = twilioObjects(scenario.emulator);
    expect(finished.conversations).toHaveLength(3);
    expect(finished.messages).toHaveLength(6);
    const outputs = await scenario.outputs();
    expect(Object.keys(outputs.conversations).sort()).toEqual([...NAMES].sort());
    for (const name of NAMES) expect(Object.keys(outputs.messages[name]).sort()).toEqual(["bye", "hello"]);
    expect(Object.keys(outputs.participants.desk)).toEqual(["ada"]);
    await scenario.pulumi(["preview", "--expect-no-changes"]);
  }, E2E_TIMEOUT);

  it("kill -9 of the tree mid-up, at two points: 0 duplicates, 0 lost, the next up converges and the preview is clean", async () => {
    scenario = await newScenario("grouped-kill");
    // Named conversations and two without a unique name (told apart by the journal alone), 3 messages each.
    const names = ["k1", "k2", "k3", "k4", "twin-a", "twin-b"];
    const lines = ["seeding: { groups: 2 }", "conversations:"];
    for (const name of names) {
      lines.push(`  ${name}:`, ...(name.startsWith("twin") ? ["    friendlyName: Twin"] : [`    uniqueName: kill-${name}`, `    friendlyName: Named ${name}`]), "    messages:");
      for (const body of ["one", "two", "three"]) lines.push(`      - { author: ada, body: "${name.startsWith("twin") ? "twin" : name} ${body}" }`);
    }
    scenario.writeStack(`${lines.join("\n")}\n`);
    const expected = names.map((name) => (name.startsWith("twin") ? ["Twin", ["one", "two", "three"].map((body) => `twin ${body}`)] : [`Named ${name}`, ["one", "two", "three"].map((body) => `${name} ${body}`)]));
    const exactly = () => {
      const { conversations, messages } = twilioObjects(scenario!.emulator);
      const held = conversations.map((c) => [c.friendly_name, messages.filter((m) => m.conversation_sid === c.sid).sort((a, b) => a.index - b.index).map((m) => m.body)]);
      const sort = (list: unknown[]) => list.map((entry) => JSON.stringify(entry)).sort();
      expect(sort(held)).toEqual(sort(expected));
    };
    for (const afterWrites of [5, 14]) {
      const kill = await killMidUp(scenario, "tree", afterWrites, 3, {});
      expect(interruption(kill, "tree")).toEqual({ running: true, killedSome: true, endedByTheKill: true });
      await recoverAsUser(scenario);
      exactly();
      await scenario.pulumi(["preview", "--expect-no-changes"]);
      // The next trial starts from nothing again.
      await scenario.pulumi(["destroy", "--yes", "--skip-preview"]);
      expect(twilioObjects(scenario.emulator).conversations).toEqual([]);
    }
  }, E2E_TIMEOUT);
});
