import { afterEach, describe, expect, it } from "vitest";
import { newScenario, twilioObjects, type Scenario } from "./harness";

const E2E_TIMEOUT = 240_000;
let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.dispose();
  scenario = undefined;
});

/** Property names marked as changed (`~`, `+`, `-`) in one resource's block of `preview --diff`. */
function changedProperties(diff: string, resourceName: string): string[] {
  const lines = diff.split("\n");
  const start = lines.findIndex((line) => /^\s*[~+\-]+\s*pulumi-nodejs:dynamic\/twilio-conversations:\w+: \((update|replace)\)/.test(line) &&
    lines.slice(lines.indexOf(line), lines.indexOf(line) + 4).some((next) => next.includes(`::${resourceName}]`)));
  if (start < 0) return [];
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\s*[~+\-]*\s*pulumi-nodejs:dynamic|^Resources:|^\s*pulumi:pulumi:Stack|--outputs:--/.test(line)) break;
    block.push(line);
  }
  const indent = Math.min(...block.filter((l) => /^\s+[~+\-]/.test(l)).map((l) => l.search(/[~+\-]/)));
  return block
    .filter((line) => line.search(/[~+\-]/) === indent)
    .map((line) => /^\s*[~+\-]+\s+(\w+)\s*:/.exec(line)?.[1])
    .filter((name): name is string => Boolean(name))
    .sort();
}

const BEFORE = `
conversations:
  support:
    uniqueName: support-changes
    friendlyName: Support
    state: active
    timers: { inactive: PT1H, closed: P1D }
    attributes: { team: support, tier: 2 }
    messages:
      - key: hello
        body: Hi
      - key: card
        contentSid: HX00000000000000000000000000000001
        contentVariables: { "1": Ada }
`;

const AFTER = `
conversations:
  support:
    uniqueName: support-changes
    friendlyName: Support desk
    state: inactive
    timers: { inactive: PT2H, closed: P1D }
    attributes: { team: support, tier: 1 }
    messages:
      - key: hello
        body: Hello there
      - key: card
        contentSid: HX00000000000000000000000000000002
        contentVariables: { "1": Ada }
`;

describe("edits on the real engine", () => {
  it("preview --diff names exactly the edited properties; up updates in place or replaces as Twilio requires", async () => {
    scenario = await newScenario("changes");
    scenario.writeStack(BEFORE);
    await scenario.up();
    const before = twilioObjects(scenario.emulator);
    const hello = before.messages.find((m) => m.body === "Hi");
    const card = before.messages.find((m) => m.content_sid === "HX00000000000000000000000000000001");

    // Editing one message leaves the messages after it alone.
    scenario.writeStack(BEFORE.replace("body: Hi", "body: Hello there"));
    const bodyOnly = await scenario.pulumi(["preview", "--diff"]);
    expect(bodyOnly.stdout).toContain("1 to update");
    expect(bodyOnly.stdout).not.toMatch(/to replace|to create|to delete/);
    expect(changedProperties(bodyOnly.stdout, "support/hello")).toEqual(["body"]);
    // The stack outputs name SIDs, which an in-place edit does not change: no output shows as changing.
    expect(bodyOnly.stdout).not.toContain("--outputs:--");

    scenario.writeStack(AFTER);
    const preview = await scenario.pulumi(["preview", "--diff"]);
    expect(changedProperties(preview.stdout, "support")).toEqual(["attributes", "friendlyName", "state", "timers"]);
    // conversationState is what the provider re-applies after seeding; it costs no request here.
    expect(changedProperties(preview.stdout, "support/hello")).toEqual(["body", "conversationState"]);
    // A replacement lists the old outputs that go away too; the declared change is contentSid alone.
    expect(preview.stdout).toMatch(/\+-\s*pulumi-nodejs:dynamic\/twilio-conversations:Message: \(replace\)/);
    // afterIndex shows as unknown because the message before it is being edited; only contentSid replaces.
    expect(changedProperties(preview.stdout, "support/card").filter((p) => ["afterSid", "contentSid", "contentVariables", "body"].includes(p))).toEqual(["contentSid"]);
    expect(preview.stdout).toContain("2 to update");
    expect(preview.stdout).toContain("1 to replace");

    await scenario.up();
    const after = twilioObjects(scenario.emulator);
    const conversation = after.conversations.find((c) => c.unique_name === "support-changes");
    expect(conversation).toMatchObject({ friendly_name: "Support desk", state: "inactive" });
    expect(JSON.parse(conversation.attributes)).toEqual({ team: "support", tier: 1 });
    const helloAfter = after.messages.find((m) => m.sid === hello.sid);
    expect(helloAfter.body).toBe("Hello there");
    expect(after.messages.find((m) => m.sid === card.sid)).toBeUndefined();
    const newCard = after.messages.find((m) => m.content_sid === "HX00000000000000000000000000000002");
    expect(newCard.index).toBeGreaterThan(helloAfter.index);
    expect(after.messages).toHaveLength(2);
    await scenario.pulumi(["preview", "--expect-no-changes"]);
  }, E2E_TIMEOUT);

  it("refresh finds changes made outside and up undoes them; a conversation deleted outside is recreated", async () => {
    scenario = await newScenario("drift");
    scenario.writeStack(`
conversations:
  support:
    uniqueName: support-drift
    friendlyName: Support
    attributes: { team: support }
  lobby:
    uniqueName: lobby-drift
    friendlyName: Lobby
`);
    await scenario.up();
    const { conversations } = twilioObjects(scenario.emulator);
    const support = conversations.find((c) => c.unique_name === "support-drift");
    const lobby = conversations.find((c) => c.unique_name === "lobby-drift");
    await fetch(`${scenario.emulator.url}/v1/Conversations/${support.sid}`, {
      method: "POST",
      headers: authHeaders(scenario),
      body: new URLSearchParams({ FriendlyName: "Renamed by hand", Attributes: '{"team":"ops"}' }),
    });
    await fetch(`${scenario.emulator.url}/v1/Conversations/${lobby.sid}`, { method: "DELETE", headers: authHeaders(scenario) });

    const refresh = await scenario.pulumi(["refresh", "--yes", "--diff"]);
    expect(refresh.stdout).toContain("Renamed by hand");
    expect(refresh.stdout).toMatch(/- pulumi-nodejs:dynamic\/twilio-conversations:Conversation: \(delete\)|deleted/);
    const drifted = await scenario.pulumi(["preview", "--expect-no-changes", "--diff"], { allowFailure: true });
    expect(drifted.code).not.toBe(0);
    expect(changedProperties(drifted.stdout, "support")).toEqual(["attributes", "friendlyName"]);

    await scenario.up();
    const repaired = twilioObjects(scenario.emulator).conversations;
    expect(repaired.find((c) => c.sid === support.sid)).toMatchObject({ friendly_name: "Support", attributes: '{"team":"support"}' });
    const recreated = repaired.find((c) => c.unique_name === "lobby-drift");
    expect(recreated.sid).not.toBe(lobby.sid);
    await scenario.pulumi(["preview", "--expect-no-changes"]);
  }, E2E_TIMEOUT);

  it("a seeded conversation can be closed later and keeps its messages; a new message there is refused at preview", async () => {
    scenario = await newScenario("close-later");
    const seeded = (state: string, extra = "") => `
conversations:
  archive:
    uniqueName: archive-later
    state: ${state}
    messages:
      - key: first
        body: First
${extra}`;
    scenario.writeStack(seeded("active"));
    await scenario.up();
    scenario.writeStack(seeded("closed"));
    await scenario.up();
    const { conversations, messages } = twilioObjects(scenario.emulator);
    expect(conversations.map((c) => c.state)).toEqual(["closed"]);
    expect(messages.map((m) => m.body)).toEqual(["First"]);
    await scenario.pulumi(["preview", "--expect-no-changes"]);

    scenario.writeStack(seeded("closed", "      - key: late\n        body: Too late\n"));
    scenario.emulator.clearRequests();
    const refused = await scenario.pulumi(["preview"], { allowFailure: true });
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain("a closed conversation takes no new messages");
    expect(scenario.emulator.requests().filter((r) => r.method !== "GET")).toEqual([]);
  }, E2E_TIMEOUT);

  it("adopts a conversation that exists already, by unique name", async () => {
    scenario = await newScenario("adopt");
    const existing = await fetch(`${scenario.emulator.url}/v1/Conversations`, {
      method: "POST",
      headers: authHeaders(scenario),
      body: new URLSearchParams({ UniqueName: "legacy-desk", FriendlyName: "Made by hand" }),
    }).then((response) => response.json() as Promise<{ sid: string }>);
    scenario.writeStack(`
conversations:
  legacy:
    uniqueName: legacy-desk
    friendlyName: Managed now
    adopt: ifExists
`);
    await scenario.up();
    const matching = twilioObjects(scenario.emulator).conversations.filter((c) => c.unique_name === "legacy-desk");
    expect(matching).toHaveLength(1);
    expect(matching[0]).toMatchObject({ sid: existing.sid, friendly_name: "Managed now" });
    expect((await scenario.outputs()).conversations.legacy).toBe(existing.sid);
  }, E2E_TIMEOUT);
});

function authHeaders(scenario: Scenario): Record<string, string> {
  const { accountSid, authToken } = scenario.emulator.credentials;
  return {
    authorization: "Basic " + Buffer.from(`${accountSid}:${authToken}`).toString("base64"),
    "content-type": "application/x-www-form-urlencoded",
  };
}
