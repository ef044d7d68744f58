// Renaming a conversation's logical name on the real engine: with `renamedFrom` the conversation
// and its messages keep their identity; without it, following the 409 hint (`adopt: ifExists`)
// must never delete the conversation the new resource took over, in the same run or a later one.
import { afterEach, describe, expect, it } from "vitest";
import { conversationResource, newScenario, stackResources, twilioObjects, twilioResources, writes, type Scenario } from "./harness";

const E2E_TIMEOUT = 240_000;
let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.dispose();
  scenario = undefined;
});

const thread = (logicalName: string, uniqueName: string, extra = "") => `
conversations:
  ${logicalName}:
    uniqueName: ${uniqueName}
    friendlyName: Support desk
${extra}    messages:
      - key: hello
        body: Hi
      - body: Second
`;

/** The SIDs a Conversation resource records for its thread, by key. */
async function recordedThread(scenario: Scenario, logicalName: string): Promise<Record<string, string>> {
  const { outputs } = await conversationResource(scenario, logicalName);
  return Object.fromEntries(Object.entries(outputs!.messages as Record<string, { sid: string }>).map(([key, message]) => [key, message.sid]));
}

/** The state holds one resource, the conversation under its new name, recording the messages Twilio holds. */
async function expectOnlyUnderNewName(scenario: Scenario, conversationSid: string): Promise<void> {
  expect(twilioResources(await stackResources(scenario))).toEqual(["Conversation helpdesk"]);
  const held = twilioObjects(scenario.emulator).messages.filter((m) => m.conversation_sid === conversationSid);
  expect(Object.values(await recordedThread(scenario, "helpdesk")).sort()).toEqual(held.map((m) => m.sid).sort());
}

describe("renaming a conversation on the real engine", () => {
  it("with renamedFrom: the plan shows no create or delete, and up sends no write", async () => {
    scenario = await newScenario("rename");
    scenario.writeStack(thread("support", "desk-renamed"));
    await scenario.up();
    const before = twilioObjects(scenario.emulator);
    const sid = (await scenario.outputs()).conversations.support;
    const seeded = await recordedThread(scenario, "support");

    scenario.writeStack(thread("helpdesk", "desk-renamed", "    renamedFrom: support\n"));
    scenario.emulator.clearRequests();
    const preview = await scenario.pulumi(["preview", "--diff"]);
    expect(preview.stdout).not.toMatch(/to create|to delete|to replace|to update/);
    await scenario.up();
    expect(writes(scenario.emulator.requests())).toEqual([]);

    const after = twilioObjects(scenario.emulator);
    expect(after).toEqual(before);
    const outputs = await scenario.outputs();
    expect(outputs.conversations).toEqual({ helpdesk: sid });
    expect(outputs.messages.helpdesk).toEqual(seeded);
    expect(Object.keys(seeded).sort()).toEqual(["1", "hello"]);
    // The same resource under its new name, recording the same messages.
    expect(await recordedThread(scenario, "helpdesk")).toEqual(seeded);
    await expectOnlyUnderNewName(scenario, sid);
    await scenario.pulumi(["preview", "--expect-no-changes"]);

    // Once applied, renamedFrom can go: the state holds the new names.
    scenario.writeStack(thread("helpdesk", "desk-renamed"));
    await scenario.pulumi(["preview", "--expect-no-changes"]);
  }, E2E_TIMEOUT);

  it("without renamedFrom, adopting by the new name: the conversation survives in Twilio", async () => {
    scenario = await newScenario("rename-adopt");
    scenario.writeStack(thread("support", "desk-adopted"));
    await scenario.up();
    const sid = (await scenario.outputs()).conversations.support;

    // The rename alone, with an edit, fails on the unique name, with a hint that names renamedFrom:
    // the conversation holding it is not what the new name declares, so it is not taken. (Without
    // an edit, it would be taken as a killed run's, every declared field matching.)
    scenario.writeStack(thread("helpdesk", "desk-adopted", "    attributes: { team: support }\n"));
    const clash = await scenario.pulumi(["up", "--yes", "--skip-preview"], { allowFailure: true });
    expect(clash.code).not.toBe(0);
    expect(clash.output).toContain("renamedFrom: <previous name>");

    scenario.writeStack(thread("helpdesk", "desk-adopted", "    adopt: ifExists\n"));
    await scenario.up();
    const { conversations, messages } = twilioObjects(scenario.emulator);
    expect(conversations.map((c) => [c.sid, c.unique_name])).toEqual([[sid, "desk-adopted"]]);
    expect((await scenario.outputs()).conversations).toEqual({ helpdesk: sid });
    // The adopting resource took the held messages over (never posted again): one copy of the thread.
    expect(messages.map((m) => m.body)).toEqual(["Hi", "Second"]);
    await expectOnlyUnderNewName(scenario, sid);
    await scenario.pulumi(["preview", "--expect-no-changes"]);
  }, E2E_TIMEOUT);

  it("without renamedFrom, adopted by the new name in one run and the old name deleted in the next: the conversation survives", async () => {
    scenario = await newScenario("rename-later");
    scenario.writeStack(thread("support", "desk-later"));
    await scenario.up();
    const sid = (await scenario.outputs()).conversations.support;

    // The new name adopts the conversation in a run that does not get to the old name's delete.
    scenario.writeStack(thread("helpdesk", "desk-later", "    adopt: ifExists\n"));
    const helpdesk = `urn:pulumi:${scenario.stack}::twilio-conversations::pulumi-nodejs:dynamic/twilio-conversations:Conversation::helpdesk`;
    await scenario.up(["--target", helpdesk]);
    expect(twilioObjects(scenario.emulator).conversations.map((c) => c.sid)).toEqual([sid]);

    // A later run deletes the old name; another declared resource holds the conversation.
    await scenario.up();
    const { conversations, messages } = twilioObjects(scenario.emulator);
    expect(conversations.map((c) => [c.sid, c.unique_name])).toEqual([[sid, "desk-later"]]);
    expect(messages.map((m) => m.body)).toEqual(["Hi", "Second"]);
    expect((await scenario.outputs()).conversations).toEqual({ helpdesk: sid });
    await expectOnlyUnderNewName(scenario, sid);
    await scenario.pulumi(["preview", "--expect-no-changes"]);
  }, E2E_TIMEOUT);
});
