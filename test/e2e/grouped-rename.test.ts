// Grouped seeding (`seeding: { groups }`) on the real engine, when conversations move between
// group resources: a change of the number of groups, and renames (`renamedFrom`) within a group
// and across groups. None creates, deletes or posts again anything: each conversation keeps its
// SID and its messages, and `npm run plan` shows no create or delete.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
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

/** Seeds this stack file: what Twilio then holds, and the stack's outputs. */
async function seeded(scenario: Scenario, yaml: string) {
  scenario.writeStack(yaml);
  await scenario.up();
  return { before: held(scenario), outputs: await scenario.outputs() };
}

async function plan(scenario: Scenario) {
  return scenario.run("node", ["scripts/cli.js", "plan", "--stack", scenario.stack]);
}

// With groups: 4 hall and cellar share group 2, desk is in group 0, lobby in group 3; with
// groups: 7 desk and lobby share group 6, cellar moves to group 0 and hall stays in group 2.
const NAMES = ["lobby", "desk", "hall", "cellar"];

/** In order on one stack seeded with groups: 4: to 7 groups with an edit, then back to 4. */
describe("conversations moving between groups on the real engine, in order on one stack", () => {
  let shared: Scenario;
  let before: ReturnType<typeof held>;
  let outputs: Record<string, any>;
  beforeAll(async () => {
    shared = await newScenario("grouped-regroup");
    ({ before, outputs } = await seeded(shared, stackYaml(4, NAMES)));
    expect(Object.keys(before)).toHaveLength(4);
  }, E2E_TIMEOUT);
  afterAll(() => shared?.dispose(), E2E_TIMEOUT);
  const FRONT_DESK = (yaml: string) => yaml.replace("friendlyName: Seed desk", "friendlyName: Front desk");

  it("a change of the number of groups with an edit is refused as the plan says, deletes nothing, and converges once moved first", async () => {
    const edited = FRONT_DESK(stackYaml(7, NAMES));
    shared.writeStack(edited);
    const planned = await plan(shared);
    expect(planned.stdout).toMatch(/~ conversation desk \(update\)\n {4}friendlyName: "Seed desk" → "Front desk"\n {4}why: .*up refuses this change \(409\)/);
    const refused = await shared.pulumi(["up", "--yes", "--skip-preview"], { allowFailure: true });
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/conversation desk: create conversation "group-6-of-7\/desk" failed \(HTTP 409, Twilio error 50353\)/);
    expect(held(shared)).toEqual(before);

    // Moved with nothing else changed, then changed.
    shared.writeStack(stackYaml(7, NAMES));
    shared.emulator.clearRequests();
    await shared.up();
    expect(applied(shared)).toEqual([]);
    expect(held(shared)).toEqual(before);
    expect(await shared.outputs()).toEqual(outputs);
    shared.writeStack(edited);
    shared.emulator.clearRequests();
    await shared.up();
    expect(applied(shared).map((write) => write.replace(/CH[0-9a-f]{32}/, "CH"))).toEqual(["POST /v1/Conversations/CH"]);
  }, E2E_TIMEOUT);

  it("changing the number of groups (back from 7 to 4) creates, deletes and re-posts nothing; the plan shows no change", async () => {
    shared.writeStack(FRONT_DESK(stackYaml(4, NAMES)));
    const planned = await plan(shared);
    expect(planned.stdout).not.toMatch(/conversation .* \((create|delete|replace|update)\)|message .* \((create|delete|replace)\)/);
    shared.emulator.clearRequests();
    await shared.up();
    expect(applied(shared)).toEqual([]);
    expect(held(shared)).toEqual(before);
    expect(await shared.outputs()).toEqual(outputs);
    await shared.pulumi(["preview", "--expect-no-changes"]);
    await shared.pulumi(["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);
  }, E2E_TIMEOUT);
});

/**
 * Given what Twilio held and the outputs before, renames as `renamed` says (new name → previous
 * name) and checks that the plan shows each rename and nothing else, that up sends no write, and
 * that each conversation keeps its SID, messages and participants under its new name.
 */
async function renameKeepsEverything(scenario: Scenario, seed: { before: ReturnType<typeof held>; outputs: Record<string, any> }, groups: number, after: string[], renamed: Record<string, string>): Promise<void> {
  const { before: heldBefore, outputs } = seed;
  scenario.writeStack(stackYaml(groups, after, renamed));
  const planned = await plan(scenario);
  expect(planned.code, planned.output).toBe(2);
  const lines = planned.stdout.split("\n").filter((line) => /^\S/.test(line) && !line.startsWith("Plan:"));
  expect(lines.filter((line) => !line.startsWith("~ output")).sort()).toEqual(Object.keys(renamed).map((name) => `~ conversation ${name} (renamed, recorded in state, no request to Twilio)`).sort());
  scenario.emulator.clearRequests();
  await scenario.up();
  expect(applied(scenario)).toEqual([]);
  expect(held(scenario)).toEqual(heldBefore);
  const now = await scenario.outputs();
  const renamedOutputs = (byName: Record<string, unknown>) => Object.fromEntries(after.map((name) => [name, byName[renamed[name] ?? name]]));
  expect(now.conversations).toEqual(renamedOutputs(outputs.conversations));
  expect(now.messages).toEqual(renamedOutputs(outputs.messages));
  expect(now.participants).toEqual(renamedOutputs(outputs.participants));
  // The groups record each conversation under its new name alone.
  const members = (await stackResources(scenario)).filter((resource) => resource.type.endsWith(":ConversationGroup")).flatMap((group) => Object.keys(group.outputs?.members ?? {}));
  expect(members.sort()).toEqual([...after].sort());
  await scenario.pulumi(["preview", "--expect-no-changes"]);
}

// With groups: 2, support and hall are in group 0, helpdesk and lobby in group 1.
/** In order on one stack seeded with support and lobby: support renamed hall, then hall renamed helpdesk with an edit. */
describe("renames between groups on the real engine, in order on one stack", () => {
  let shared: Scenario;
  beforeAll(async () => {
    shared = await newScenario("grouped-rename");
  }, E2E_TIMEOUT);
  afterAll(() => shared?.dispose(), E2E_TIMEOUT);

  it("a rename within a group keeps the conversation, its messages and participants: no write, the plan shows a rename", async () => {
    const seed = await seeded(shared, stackYaml(2, ["support", "lobby"]));
    await renameKeepsEverything(shared, seed, 2, ["hall", "lobby"], { hall: "support" });
  }, E2E_TIMEOUT);

  it("a rename into another group that empties the old one, with an edit in the same up, keeps the conversation and sends the edit alone", async () => {
    // hall (unique name seed-support, from the rename before) is alone in group 0.
    const heldBefore = held(shared);
    const outputs = await shared.outputs();
    shared.writeStack(stackYaml(2, ["helpdesk", "lobby"], { helpdesk: "support" }).replace("renamedFrom: support", "renamedFrom: hall").replace("friendlyName: Seed support", "friendlyName: Help desk"));
    const planned = await plan(shared);
    expect(planned.stdout).toContain('~ conversation helpdesk (update)\n    friendlyName: "Seed support" → "Help desk"\n    why: it was hall (renamedFrom)');
    expect(planned.stdout).not.toMatch(/\((create|delete|replace)\)/);
    shared.emulator.clearRequests();
    await shared.up();
    expect(applied(shared).map((write) => write.replace(/CH[0-9a-f]{32}/, "CH"))).toEqual(["POST /v1/Conversations/CH"]);
    expect(held(shared)).toEqual(heldBefore);
    const now = await shared.outputs();
    expect(now.conversations).toEqual({ helpdesk: outputs.conversations.hall, lobby: outputs.conversations.lobby });
    expect(now.messages.helpdesk).toEqual(outputs.messages.hall);
    expect(twilioResources(await stackResources(shared))).toEqual(["ConversationGroup group-1-of-2"]);
    await shared.pulumi(["preview", "--expect-no-changes"]);

    // A group registers each member's inputs as JSON text: preview --diff still shows the change
    // field by field, inside the member, and nothing of the others.
    shared.writeStack(stackYaml(2, ["helpdesk", "lobby"], { helpdesk: "support" }).replace("renamedFrom: support", "renamedFrom: hall").replace("friendlyName: Seed support", "friendlyName: Help desk (EU)"));
    const diff = await shared.pulumi(["preview", "--diff"]);
    expect(diff.stdout).toMatch(/~ helpdesk: \(json\) \{\n\s+~ friendlyName: "Help desk" => "Help desk \(EU\)"\n/);
    expect(diff.stdout).not.toMatch(/~ lobby/);
  }, E2E_TIMEOUT);
});

describe("conversations moving between groups on the real engine", () => {
  it("a rename into another group, both groups kept, takes the conversation over: no write, the plan shows a rename", async () => {
    scenario = await newScenario("grouped-rename-across");
    const seed = await seeded(scenario, stackYaml(2, ["support", "hall", "lobby"]));
    await renameKeepsEverything(scenario, seed, 2, ["helpdesk", "hall", "lobby"], { helpdesk: "support" });
    expect(twilioResources(await stackResources(scenario)).sort()).toEqual(["ConversationGroup group-0-of-2", "ConversationGroup group-1-of-2"]);
  }, E2E_TIMEOUT);

  it("switching into groups keeps a conversation with a uniqueName; the plan says, before any write, that one without is made anew, as up then does", async () => {
    scenario = await newScenario("grouped-switch-unnamed");
    const conversations = "conversations:\n  named:\n    uniqueName: seed-named\n    messages: [{ key: hello, author: ada, body: Hi }]\n  plain:\n    friendlyName: Plain\n    messages: [{ key: hello, author: ada, body: Hi }]\n";
    scenario.writeStack(conversations);
    await scenario.up();
    const before = (await scenario.outputs()).conversations;

    scenario.writeStack(`seeding: { groups: 2 }\n${conversations}`);
    scenario.emulator.clearRequests();
    const planned = await plan(scenario);
    expect(planned.stdout).toContain("+- conversation plain (replace)");
    expect(planned.stdout).toMatch(/why: it moves to another resource \(seeding.groups changed, or the stack switched modes\) and has no uniqueName to be taken over by: it is made anew/);
    expect(planned.stdout).not.toMatch(/conversation named/);
    expect(applied(scenario)).toEqual([]);

    await scenario.up();
    const after = (await scenario.outputs()).conversations;
    expect(after.named).toBe(before.named);
    expect(after.plain).not.toBe(before.plain);
    const conversationsHeld = (scenario.emulator.state() as { conversations: Array<{ sid: string }> }).conversations.map((conversation) => conversation.sid).sort();
    expect(conversationsHeld).toEqual([after.named, after.plain].sort());
  }, E2E_TIMEOUT);
});
