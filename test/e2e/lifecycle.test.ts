import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { newScenario, seededScenario, stackResources, twilioObjects, twilioResources, type Scenario } from "./harness";

const E2E_TIMEOUT = 240_000;
let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.dispose();
  scenario = undefined;
});

const SUPPORT = `
conversations:
  support:
    uniqueName: support-e2e
    friendlyName: Support
    state: active
    timers: { inactive: PT1H, closed: P1D }
    attributes: { team: support, tier: 2, routing: { queue: general, skills: [billing, refunds] } }
    messages:
      - key: welcome
        author: system
        body: Welcome to support
      - key: question
        author: ada
        body: My order is late
        dateCreated: 2024-03-01T09:00:00Z
  lobby:
    friendlyName: Lobby
`;

// The same declarations with every mapping's keys in another order.
const SUPPORT_REORDERED = `
conversations:
  lobby:
    friendlyName: Lobby
  support:
    attributes: { routing: { skills: [billing, refunds], queue: general }, tier: 2, team: support }
    timers: { closed: P1D, inactive: PT1H }
    state: active
    friendlyName: Support
    uniqueName: support-e2e
    messages:
      - body: Welcome to support
        author: system
        key: welcome
      - dateCreated: 2024-03-01T09:00:00Z
        body: My order is late
        author: ada
        key: question
`;

/** In order on one stack: up, the checks of what it made, previews of the same file, destroy. */
describe("pulumi up, preview and destroy on the real engine, in order on one stack", () => {
  let shared: Scenario;
  beforeAll(async () => {
    shared = await seededScenario("lifecycle", SUPPORT);
  }, E2E_TIMEOUT);
  afterAll(() => shared?.dispose(), E2E_TIMEOUT);

  it("up creates exactly what the file declares", async () => {
    const { conversations, messages } = twilioObjects(shared.emulator);
    expect(conversations.map((c) => [c.unique_name, c.friendly_name, c.state]).sort()).toEqual([
      [null, "Lobby", "active"],
      ["support-e2e", "Support", "active"],
    ]);
    const support = conversations.find((c) => c.unique_name === "support-e2e");
    expect(JSON.parse(support.attributes)).toEqual({ team: "support", tier: 2, routing: { queue: "general", skills: ["billing", "refunds"] } });
    expect(support.timers.date_inactive).toBeTruthy();
    const thread = messages.filter((m) => m.conversation_sid === support.sid).sort((a, b) => a.index - b.index);
    expect(thread.map((m) => [m.author, m.body])).toEqual([
      ["system", "Welcome to support"],
      ["ada", "My order is late"],
    ]);
    expect(thread[1].date_created).toBe("2024-03-01T09:00:00Z");
    expect(messages).toHaveLength(2);

    const outputs = await shared.outputs();
    expect(outputs.conversations.support).toBe(support.sid);
    expect(outputs.messages.support).toEqual({ welcome: thread[0].sid, question: thread[1].sid });

    // One resource per conversation: the thread is an input of it (each message naming the one
    // before), and its outputs record each message's SID and index.
    const resources = await stackResources(shared);
    expect(twilioResources(resources)).toEqual(["Conversation lobby", "Conversation support"]);
    const supportResource = resources.find((resource) => resource.id === support.sid)!;
    expect(supportResource.inputs!.messages).toEqual({
      welcome: { author: "system", body: "Welcome to support" },
      question: { after: "welcome", author: "ada", body: "My order is late", dateCreated: "2024-03-01T09:00:00Z" },
    });
    const recorded = supportResource.outputs!.messages;
    expect(Object.keys(recorded).sort()).toEqual(["question", "welcome"]);
    expect([recorded.welcome, recorded.question].map((m: any) => [m.sid, m.index])).toEqual(thread.map((m) => [m.sid, m.index]));
    // A conversation without messages declares no thread.
    expect(resources.find((resource) => resource.urn.endsWith("::lobby"))!.inputs).not.toHaveProperty("messages");
  }, E2E_TIMEOUT);

  it("a second preview shows no changes, also after reordering keys and attributes", async () => {
    shared.emulator.clearRequests();
    await shared.pulumi(["preview", "--expect-no-changes"]);
    shared.writeStack(SUPPORT_REORDERED);
    await shared.pulumi(["preview", "--expect-no-changes"]);
    await shared.pulumi(["up", "--yes", "--skip-preview", "--expect-no-changes"]);
    expect(shared.emulator.requests().filter((r) => r.method !== "GET")).toEqual([]);
  }, E2E_TIMEOUT);

  it("destroy leaves the emulator empty", async () => {
    await shared.pulumi(["destroy", "--yes", "--skip-preview"]);
    expect(twilioObjects(shared.emulator)).toEqual({ conversations: [], messages: [] });
  }, E2E_TIMEOUT);
});

describe("pulumi up, preview and destroy on the real engine", () => {
  it("removing a conversation deletes it and its messages; a retained one stays in Twilio", async () => {
    scenario = await newScenario("removal");
    scenario.writeStack(`
conversations:
  doomed:
    uniqueName: doomed
    messages:
      - body: first
      - body: second
  kept:
    uniqueName: kept
    retainOnDelete: true
    messages:
      - body: history
  stays:
    uniqueName: stays
`);
    await scenario.up();
    expect(twilioObjects(scenario.emulator).messages).toHaveLength(3);
    scenario.writeStack(`
conversations:
  stays:
    uniqueName: stays
`);
    await scenario.up();
    const { conversations, messages } = twilioObjects(scenario.emulator);
    expect(conversations.map((c) => c.unique_name).sort()).toEqual(["kept", "stays"]);
    expect(messages.map((m) => m.body)).toEqual(["history"]);
    expect(twilioResources(await stackResources(scenario))).toEqual(["Conversation stays"]);
  }, E2E_TIMEOUT);

  it("protect: destroy refuses to delete protected conversations and their messages", async () => {
    scenario = await newScenario("protect");
    scenario.writeStack(`
guards:
  protect: true
conversations:
  vault:
    uniqueName: vault
    messages:
      - body: keep me
`);
    await scenario.up();
    const refused = await scenario.pulumi(["destroy", "--yes", "--skip-preview"], { allowFailure: true });
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/protected/i);
    expect(twilioObjects(scenario.emulator).conversations.map((c) => c.unique_name)).toEqual(["vault"]);
    expect(twilioObjects(scenario.emulator).messages).toHaveLength(1);
    expect(twilioResources(await stackResources(scenario))).toEqual(["Conversation vault"]);

    scenario.writeStack(`
conversations:
  vault:
    uniqueName: vault
    messages:
      - body: keep me
`);
    await scenario.up();
    await scenario.pulumi(["destroy", "--yes", "--skip-preview"]);
    expect(twilioObjects(scenario.emulator)).toEqual({ conversations: [], messages: [] });
  }, E2E_TIMEOUT);
});
