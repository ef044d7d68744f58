// Participants and conversation-scoped webhooks inside the Conversation resource, on the real
// engine: create, no-change preview, in-place update, re-creation, refresh after a change made
// outside, deletion, and lost answers; asserted through the emulator's state and request log.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { raw } from "../integration/emulator/support";
import { requestsOutsideSpec } from "../support/requests-against-spec";
import { conversationResource, newScenario, seededScenario, threadOf, twilioObjects, writes, type Scenario } from "./harness";

const E2E_TIMEOUT = 300_000;
let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.dispose();
  scenario = undefined;
});

interface EmulatorState {
  participants: any[];
  webhooks: any[];
}
const children = (s: Scenario) => s.emulator.state() as unknown as EmulatorState;
const participantsOf = (s: Scenario, conversationSid: string) => children(s).participants.filter((p) => p.conversation_sid === conversationSid);
const webhooksOf = (s: Scenario, conversationSid: string) => children(s).webhooks.filter((w) => w.conversation_sid === conversationSid);
const byIdentity = (participants: any[], identity: string) => participants.find((p) => p.identity === identity);

const STACK = `
conversations:
  desk:
    uniqueName: desk-participants
    friendlyName: Desk
    participants:
      ada:
        identity: ada-lovelace
        attributes: { role: agent }
      grace:
        identity: grace-hopper
        lastReadMessageIndex: 1
      sms-1:
        messagingBinding: { address: "+15551234567", proxyAddress: "+15557654321" }
    scopedWebhooks:
      crm:
        target: webhook
        url: https://example.com/hooks/crm
        method: POST
        filters: [onMessageAdded, onParticipantAdded]
    messages:
      - key: hello
        author: { participant: ada }
        body: Hello, how can I help?
      - key: reply
        author: { participant: sms-1 }
        body: My order is late
      - key: answer
        author: { participant: grace }
        body: Let me look
      - key: bye
        body: Closing soon
`;

/**
 * In order on one stack of STACK, created by one up: what it made, then drift made outside and
 * undone, then edits, re-creations and removals.
 */
describe("participants and scoped webhooks on the real engine, in order on one stack", () => {
  let shared: Scenario;
  beforeAll(async () => {
    shared = await seededScenario("participants", STACK);
  }, E2E_TIMEOUT);
  afterAll(() => shared?.dispose(), E2E_TIMEOUT);

  it("creates them with the conversation, before its messages; a preview shows no change; a refresh lists each kind once", async () => {
    const conversationSid = twilioObjects(shared.emulator).conversations[0].sid;
    const log = shared.emulator.requests();
    expect(requestsOutsideSpec(log)).toEqual([]);
    // The conversation; then its participants (grace's read index by an update: Twilio's create has
    // no such key) and its webhook, written at once; then its messages, in order.
    const base = `/v1/Conversations/${conversationSid}`;
    const grace = byIdentity(participantsOf(shared, conversationSid), "grace-hopper");
    const sent = writes(log);
    expect(sent[0]).toBe("POST /v1/Conversations");
    expect(sent.slice(1, 6).sort()).toEqual(
      [`POST ${base}/Participants`, `POST ${base}/Participants`, `POST ${base}/Participants/${grace.sid}`, `POST ${base}/Participants`, `POST ${base}/Webhooks`].sort(),
    );
    expect(sent.slice(6)).toEqual(Array.from({ length: 4 }, () => `POST ${base}/Messages`));
    console.log(`requests to create (3 participants, 1 webhook, 4 messages): ${log.length} (${writes(log).length} writes; reads: ${log.filter((r) => r.method === "GET").map((r) => r.path).join(", ")})`);
    const participants = participantsOf(shared, conversationSid);
    expect(participants).toHaveLength(3);
    expect(JSON.parse(byIdentity(participants, "ada-lovelace").attributes)).toEqual({ role: "agent" });
    expect(grace.last_read_message_index).toBe(1);
    expect(participants.find((p) => p.identity === null).messaging_binding).toMatchObject({ address: "+15551234567", proxy_address: "+15557654321" });
    const [crm] = webhooksOf(shared, conversationSid);
    expect(crm).toMatchObject({ target: "webhook", configuration: { url: "https://example.com/hooks/crm", method: "post", filters: ["onMessageAdded", "onParticipantAdded"] } });
    // Messages authored by participants carry the participant's identity, or its address.
    expect(threadOf(shared.emulator, conversationSid).map((m) => m.author)).toEqual(["ada-lovelace", "+15551234567", "grace-hopper", "system"]);
    // Stack outputs: participant SIDs by key.
    const outputs = await shared.outputs();
    expect(outputs.participants.desk).toEqual({
      ada: byIdentity(participants, "ada-lovelace").sid,
      grace: grace.sid,
      "sms-1": participants.find((p) => p.identity === null).sid,
    });

    shared.emulator.clearRequests();
    await shared.pulumi(["preview", "--expect-no-changes"]);
    console.log(`requests of a no-change preview: ${shared.emulator.requests().length} (${shared.emulator.requests().map((r) => `${r.method} ${r.path}`).join(", ")})`);
    expect(shared.emulator.requests().filter((r) => r.method !== "GET")).toEqual([]);

    shared.emulator.clearRequests();
    await shared.pulumi(["refresh", "--yes", "--skip-preview"]);
    const refreshLog = shared.emulator.requests();
    console.log(`requests of a refresh: ${refreshLog.length} (${refreshLog.map((r) => `${r.method} ${r.path}`).join(", ")})`);
    // One list per kind of child, one for the messages, one fetch of the conversation.
    expect(refreshLog.filter((r) => /\/Participants$/.test(r.path))).toHaveLength(1);
    expect(refreshLog.filter((r) => /\/Webhooks$/.test(r.path))).toHaveLength(1);
    expect(writes(refreshLog)).toEqual([]);
    await shared.pulumi(["preview", "--expect-no-changes"]);
  }, E2E_TIMEOUT);

  it("refresh reads what changed outside and the next up sets it back; a participant deleted outside is added again", async () => {
    const conversationSid = twilioObjects(shared.emulator).conversations[0].sid;
    const base = `/v1/Conversations/${conversationSid}`;
    const ada = byIdentity(participantsOf(shared, conversationSid), "ada-lovelace");
    const grace = byIdentity(participantsOf(shared, conversationSid), "grace-hopper");
    const [crm] = webhooksOf(shared, conversationSid);
    await raw(shared.emulator, "POST", `${base}/Participants/${ada.sid}`, { Attributes: '{"role":"changed by hand"}' });
    await raw(shared.emulator, "DELETE", `${base}/Participants/${grace.sid}`);
    await raw(shared.emulator, "POST", `${base}/Webhooks/${crm.sid}`, { "Configuration.Url": "https://example.com/elsewhere" });

    const plan = await shared.run("node", ["scripts/cli.js", "drift", "--stack", shared.stack]);
    expect(plan.stdout).toContain("participant desk/ada (changed)");
    expect(plan.stdout).toContain('attributes.role: "agent" → "changed by hand"');
    expect(plan.stdout).toContain("participant desk/grace (gone)");
    expect(plan.stdout).toContain("webhook desk/crm (changed)");

    await shared.pulumi(["refresh", "--yes", "--skip-preview"]);
    const state = await conversationResource(shared, "desk");
    expect(state.inputs!.participants.ada.attributes).toEqual({ role: "changed by hand" });
    expect(Object.keys(state.outputs!.participants).sort()).toEqual(["ada", "sms-1"]);
    const preview = await shared.pulumi(["preview", "--diff"]);
    expect(preview.stdout).toContain("1 to update");

    shared.emulator.clearRequests();
    await shared.up();
    const now = participantsOf(shared, conversationSid);
    expect(JSON.parse(byIdentity(now, "ada-lovelace").attributes)).toEqual({ role: "agent" });
    expect(byIdentity(now, "grace-hopper")).toBeDefined();
    expect(webhooksOf(shared, conversationSid)[0].configuration.url).toBe("https://example.com/hooks/crm");
    expect(requestsOutsideSpec(shared.emulator.requests())).toEqual([]);
    await shared.pulumi(["preview", "--expect-no-changes"]);
  }, E2E_TIMEOUT);

  it("edits update in place; identity and target changes re-create; removals delete", async () => {
    const conversationSid = twilioObjects(shared.emulator).conversations[0].sid;
    const base = `/v1/Conversations/${conversationSid}`;
    const grace = byIdentity(participantsOf(shared, conversationSid), "grace-hopper");
    const [crm] = webhooksOf(shared, conversationSid);
    // In place: attributes and the webhook's URL and filters; same SIDs.
    const edited = STACK.replace("attributes: { role: agent }", "attributes: { role: lead }")
      .replace("https://example.com/hooks/crm", "https://example.com/hooks/crm-v2")
      .replace("filters: [onMessageAdded, onParticipantAdded]", "filters: [onMessageAdded]");
    shared.writeStack(edited);
    // npm run plan names each child that changes, by its key, inside its conversation.
    const plan = await shared.run("node", ["scripts/cli.js", "plan", "--stack", shared.stack]);
    expect(plan.stdout).toContain("Plan: 2 to update");
    expect(plan.stdout).toContain('~ participant desk/ada (update)\n    attributes.role: "agent" → "lead"');
    expect(plan.stdout).toContain('~ webhook desk/crm (update)\n    url: "https://example.com/hooks/crm" → "https://example.com/hooks/crm-v2"');
    expect(plan.stdout).not.toContain("conversation desk");
    shared.emulator.clearRequests();
    await shared.up();
    const ada = byIdentity(participantsOf(shared, conversationSid), "ada-lovelace");
    expect(writes(shared.emulator.requests())).toEqual([`POST ${base}/Participants/${ada.sid}`, `POST ${base}/Webhooks/${crm.sid}`]);
    expect(requestsOutsideSpec(shared.emulator.requests())).toEqual([]);
    expect(shared.emulator.requests().find((r) => r.path.endsWith(ada.sid))!.form).toEqual({ Attributes: '{"role":"lead"}' });
    expect(JSON.parse(ada.attributes)).toEqual({ role: "lead" });
    expect(webhooksOf(shared, conversationSid)).toEqual([
      expect.objectContaining({ sid: crm.sid, configuration: { url: "https://example.com/hooks/crm-v2", method: "post", filters: ["onMessageAdded"] } }),
    ]);
    await shared.pulumi(["preview", "--expect-no-changes"]);

    // Create-only: a new identity re-creates the participant (deleted first: Twilio holds one per
    // identity), a new target re-creates the webhook; the conversation and messages stay.
    const replaced = edited
      .replace("identity: grace-hopper", "identity: grace-brewster")
      .replace(/target: webhook\n        url: https:\/\/example.com\/hooks\/crm-v2\n        method: POST\n        filters: \[onMessageAdded\]/, "target: trigger\n        url: https://example.com/hooks/crm-v2\n        method: POST\n        triggers: [help]");
    shared.writeStack(replaced);
    shared.emulator.clearRequests();
    await shared.up();
    const after = participantsOf(shared, conversationSid);
    const brewster = byIdentity(after, "grace-brewster");
    const [trigger] = webhooksOf(shared, conversationSid);
    const answer = threadOf(shared.emulator, conversationSid)[2];
    expect(writes(shared.emulator.requests())).toEqual([
      `DELETE ${base}/Participants/${grace.sid}`,
      `POST ${base}/Participants`,
      `POST ${base}/Participants/${brewster.sid}`,
      `DELETE ${base}/Webhooks/${crm.sid}`,
      `POST ${base}/Webhooks`,
      // The message authored by grace follows her new identity, edited in place.
      `POST ${base}/Messages/${answer.sid}`,
    ]);
    expect(answer.author).toBe("grace-brewster");
    expect(byIdentity(after, "grace-hopper")).toBeUndefined();
    expect(brewster.last_read_message_index).toBe(1);
    expect(trigger).toMatchObject({ target: "trigger", configuration: { triggers: ["help"] } });
    expect(twilioObjects(shared.emulator).conversations.map((c) => c.sid)).toEqual([conversationSid]);
    await shared.pulumi(["preview", "--expect-no-changes"]);

    // Removed entries are deleted alone.
    const removed = replaced.replace(/      grace:\n        identity: grace-brewster\n        lastReadMessageIndex: 1\n/, "").replace(/    scopedWebhooks:[\s\S]*?triggers: \[help\]\n/, "").replace("author: { participant: grace }", "author: grace-hopper");
    shared.writeStack(removed);
    shared.emulator.clearRequests();
    await shared.up();
    expect(writes(shared.emulator.requests()).filter((w) => !w.includes("/Messages"))).toEqual([
      `DELETE ${base}/Participants/${brewster.sid}`,
      `DELETE ${base}/Webhooks/${trigger.sid}`,
    ]);
    expect(participantsOf(shared, conversationSid)).toHaveLength(2);
    expect(webhooksOf(shared, conversationSid)).toEqual([]);
    await shared.pulumi(["preview", "--expect-no-changes"]);

    await shared.pulumi(["destroy", "--yes", "--skip-preview"]);
    expect(children(shared).participants).toEqual([]);
  }, E2E_TIMEOUT);
});

describe("participants and scoped webhooks on the real engine", () => {
  it("lost answers to participant and webhook creates never duplicate them", async () => {
    scenario = await newScenario("participants-faults");
    scenario.writeStack(STACK);
    scenario.emulator.setFaults([
      { method: "POST", path: "/Participants$", drop: "after", count: 3 },
      { method: "POST", path: "/Webhooks$", drop: "after", count: 1 },
    ]);
    await scenario.up();
    scenario.emulator.clearFaults();
    const conversationSid = twilioObjects(scenario.emulator).conversations[0].sid;
    const log = scenario.emulator.requests();
    const dropped = (pattern: RegExp) => log.filter((r) => r.method === "POST" && pattern.test(r.path) && r.status === 0).length;
    expect([dropped(/\/Participants$/), dropped(/\/Webhooks$/)]).toEqual([3, 1]);
    expect(participantsOf(scenario, conversationSid).map((p) => p.identity ?? p.messaging_binding.address).sort()).toEqual(["+15551234567", "ada-lovelace", "grace-hopper"]);
    expect(webhooksOf(scenario, conversationSid)).toHaveLength(1);
    expect(requestsOutsideSpec(log)).toEqual([]);
    await scenario.pulumi(["preview", "--expect-no-changes"]);
  }, E2E_TIMEOUT);

  it("an adopted conversation's participants and webhooks that Twilio holds as declared are taken over, not created twice", async () => {
    scenario = await newScenario("participants-adopt");
    const made = (await raw(scenario.emulator, "POST", "/v1/Conversations", { UniqueName: "desk-adopted", FriendlyName: "Made by hand" })).body as { sid: string };
    const base = `/v1/Conversations/${made.sid}`;
    const ada = (await raw(scenario.emulator, "POST", `${base}/Participants`, { Identity: "ada-lovelace", Attributes: '{"role":"agent"}' })).body as { sid: string };
    const hook = (await raw(scenario.emulator, "POST", `${base}/Webhooks`, [
      ["Target", "webhook"],
      ["Configuration.Url", "https://example.com/hooks/crm"],
      ["Configuration.Method", "POST"],
      ["Configuration.Filters", "onMessageAdded"],
    ])).body as { sid: string };
    scenario.writeStack(`
conversations:
  desk:
    uniqueName: desk-adopted
    adopt: ifExists
    participants:
      ada: { identity: ada-lovelace, attributes: { role: lead } }
      grace: { identity: grace-hopper }
    scopedWebhooks:
      crm: { target: webhook, url: https://example.com/hooks/crm, method: POST, filters: [onMessageAdded] }
`);
    scenario.emulator.clearRequests();
    await scenario.up();
    const grace = byIdentity(participantsOf(scenario, made.sid), "grace-hopper");
    // ada is taken over and updated in place, grace created, the webhook taken over as it is.
    expect(writes(scenario.emulator.requests())).toEqual([`POST ${base}/Participants/${ada.sid}`, `POST ${base}/Participants`]);
    expect(participantsOf(scenario, made.sid).map((p) => p.sid).sort()).toEqual([ada.sid, grace.sid].sort());
    expect(JSON.parse(byIdentity(participantsOf(scenario, made.sid), "ada-lovelace").attributes)).toEqual({ role: "lead" });
    expect(webhooksOf(scenario, made.sid).map((w) => w.sid)).toEqual([hook.sid]);
    expect(requestsOutsideSpec(scenario.emulator.requests())).toEqual([]);
    await scenario.pulumi(["preview", "--expect-no-changes"]);
  }, E2E_TIMEOUT);
});
