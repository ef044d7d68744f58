// Grouped seeding (`seeding: { groups }`) on the real engine, when conversations move between
// group resources: a change of the number of groups, and renames (`renamedFrom`) within a group
// and across groups. None creates, deletes or posts again anything: each conversation keeps its
// SID and its messages, and `npm run plan` shows no create or delete.
import { afterEach, describe, expect, it } from "vitest";
import { newScenario, stackResources, twilioResources, writes, type Scenario } from "./harness";

const E2E_TIMEOUT = 300_000;
let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.dispose();
  scenario = undefined;
});

/**
 * A grouped stack of these conversations, each with a unique name, a participant and a thread.
 * `renamed` maps a declared name to the name it had before (`renamedFrom`); its unique name stays.
 */
function stackYaml(groups: number, names: readonly string[], renamed: Record<string, string> = {}): string {
  const lines = [`seeding: { groups: ${groups} }`, "conversations:"];
  for (const name of names) {
    const was = renamed[name] ?? name;
    lines.push(`  ${name}:`, `    uniqueName: seed-${was}`, `    friendlyName: Seed ${was}`);
    if (renamed[name]) lines.push(`    renamedFrom: ${was}`);
    lines.push("    participants:", "      ada: { identity: ada }");
    lines.push("    messages:", `      - { key: hello, author: ada, body: Hello from ${was} }`, `      - { key: bye, author: ada, body: Bye from ${was} }`);
  }
  return `${lines.join("\n")}\n`;
}

/** Every conversation Twilio holds, by SID, with its messages' and participants' SIDs. */
function held(scenario: Scenario) {
  const state = scenario.emulator.state() as { conversations: any[]; messages: any[]; participants: any[] };
  const within = (list: any[], sid: string) => list.filter((item) => item.conversation_sid === sid).map((item) => item.sid).sort();
  return Object.fromEntries(
    state.conversations.map((conversation) => [conversation.sid, { uniqueName: conversation.unique_name, messages: within(state.messages, conversation.sid), participants: within(state.participants, conversation.sid) }]),
  );
}

/** Writes that Twilio applied: a create refused for its taken unique name (409, then taken over) applied nothing. */
function applied(scenario: Scenario): string[] {
  return writes(scenario.emulator.requests().filter((request) => request.status >= 200 && request.status < 300));
}

async function plan(scenario: Scenario) {
  return scenario.run("node", ["scripts/cli.js", "plan", "--stack", scenario.stack]);
}

describe("conversations moving between groups on the real engine", () => {
  // With groups: 4 hall and cellar share group 2, desk is in group 0, lobby in group 3; with
  // groups: 7 desk and lobby share group 6, cellar moves to group 0 and hall stays in group 2.
  const NAMES = ["lobby", "desk", "hall", "cellar"];

  it("changing the number of groups creates, deletes and re-posts nothing; the plan shows no change", async () => {
    scenario = await newScenario("grouped-regroup");
    scenario.writeStack(stackYaml(4, NAMES));
    await scenario.up();
    const before = held(scenario);
    const outputs = await scenario.outputs();
    expect(Object.keys(before)).toHaveLength(4);

    scenario.writeStack(stackYaml(7, NAMES));
    const planned = await plan(scenario);
    expect(planned.stdout).not.toMatch(/conversation .* \((create|delete|replace|update)\)|message .* \((create|delete|replace)\)/);
    scenario.emulator.clearRequests();
    await scenario.up();
    expect(applied(scenario)).toEqual([]);
    expect(held(scenario)).toEqual(before);
    expect(await scenario.outputs()).toEqual(outputs);
    await scenario.pulumi(["preview", "--expect-no-changes"]);
    await scenario.pulumi(["refresh", "--yes", "--expect-no-changes"]);
  }, E2E_TIMEOUT);
});
