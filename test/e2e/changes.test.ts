import { afterEach, describe, expect, it } from "vitest";
import { raw } from "../integration/emulator/support";
import { conversationResource, newScenario, stackResources, threadOf, twilioObjects, twilioResources, writes, type Scenario } from "./harness";

const E2E_TIMEOUT = 240_000;
let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.dispose();
  scenario = undefined;
});

/** The lines of one resource's block in `preview --diff` (or `refresh --diff`), after its header. */
function resourceBlock(diff: string, resourceName: string): string[] {
  const lines = diff.split("\n");
  const start = lines.findIndex((line, at) => /^\s*[~+\-]+\s*pulumi-nodejs:dynamic\/twilio-conversations:\w+: \((update|replace)\)/.test(line) &&
    lines.slice(at, at + 4).some((next) => next.includes(`::${resourceName}]`)));
  if (start < 0) return [];
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\s*[~+\-]*\s*pulumi-nodejs:dynamic|^Resources:|^\s*pulumi:pulumi:Stack|--outputs:--/.test(line)) break;
    block.push(line);
  }
  return block;
}

/** Where a diff line's name starts, and the marks (`~`, `+`, `-`, `+-`) before it. */
function diffLine(line: string): { column: number; marks: string; name: string | undefined } {
  const column = line.search(/[^\s~+\-]/);
  return { column, marks: line.slice(0, Math.max(column, 0)).trim(), name: /^([\w-]+)\s*:/.exec(line.slice(column))?.[1] };
}

/** Property names marked as changed (`~`, `+`, `-`) in one resource's block of `preview --diff`. */
function changedProperties(diff: string, resourceName: string): string[] {
  const block = resourceBlock(diff, resourceName);
  const indent = Math.min(...block.filter((l) => /^\s+[~+\-]/.test(l)).map((l) => l.search(/[~+\-]/)));
  return block
    .filter((line) => line.search(/[~+\-]/) === indent)
    .map((line) => /^\s*[~+\-]+\s+(\w+)\s*:/.exec(line)?.[1])
    .filter((name): name is string => Boolean(name))
    .sort();
}

/**
 * What one conversation's block shows changing in its `messages`: `+key` (added), `-key` (removed),
 * `~key.field` (a field of a kept message changed; `+`/`-` when added or removed), sorted. The engine sees the thread as one property:
 * a message the provider re-creates shows as the field that makes it so.
 */
function messageChanges(diff: string, resourceName: string): string[] {
  const block = resourceBlock(diff, resourceName);
  const at = block.findIndex((line) => diffLine(line).name === "messages");
  if (at < 0) return [];
  const messagesColumn = diffLine(block[at]).column;
  const changes: string[] = [];
  let key = { name: "", marks: "" };
  for (const line of block.slice(at + 1)) {
    const { column, marks, name } = diffLine(line);
    if (column <= messagesColumn) break;
    if (column === messagesColumn + 4) {
      key = { name: name ?? "", marks };
      if (marks === "+" || marks === "-") changes.push(`${marks}${key.name}`);
    } else if (column === messagesColumn + 8 && key.marks === "~" && marks && name) changes.push(`${marks}${key.name}.${name}`);
  }
  return changes.sort();
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
  it("preview --diff names exactly the edited properties and messages; up edits in place or re-creates as Twilio requires", async () => {
    scenario = await newScenario("changes");
    scenario.writeStack(BEFORE);
    await scenario.up();
    const before = twilioObjects(scenario.emulator);
    const conversationSid = before.conversations[0].sid;
    const hello = before.messages.find((m) => m.body === "Hi");
    const card = before.messages.find((m) => m.content_sid === "HX00000000000000000000000000000001");

    // Editing one message leaves the messages after it alone: the conversation updates in place.
    scenario.writeStack(BEFORE.replace("body: Hi", "body: Hello there"));
    const bodyOnly = await scenario.pulumi(["preview", "--diff"]);
    expect(bodyOnly.stdout).toContain("1 to update");
    expect(bodyOnly.stdout).not.toMatch(/to replace|to create|to delete/);
    expect(changedProperties(bodyOnly.stdout, "support")).toEqual(["messages"]);
    expect(messageChanges(bodyOnly.stdout, "support")).toEqual(["~hello.body"]);
    // The preview of an update knows only inputs: the message SIDs in the stack outputs are known
    // after apply, never shown as removed.
    const previewOutputs = bodyOnly.stdout.slice(bodyOnly.stdout.indexOf("--outputs:--"));
    expect(previewOutputs).not.toMatch(/^\s*-\s+(hello|card)\s*:/m);

    scenario.writeStack(AFTER);
    const preview = await scenario.pulumi(["preview", "--diff"]);
    expect(changedProperties(preview.stdout, "support")).toEqual(["attributes", "friendlyName", "messages", "state", "timers"]);
    // A create-only field shows as the field that changed; the provider re-creates that message inside the update.
    expect(messageChanges(preview.stdout, "support")).toEqual(["~card.contentSid", "~hello.body"]);
    expect(preview.stdout).toContain("1 to update");
    expect(preview.stdout).not.toMatch(/to replace|to create|to delete/);

    scenario.emulator.clearRequests();
    await scenario.up();
    const after = twilioObjects(scenario.emulator);
    const conversation = after.conversations.find((c) => c.unique_name === "support-changes");
    expect(conversation).toMatchObject({ sid: conversationSid, friendly_name: "Support desk", state: "inactive" });
    expect(JSON.parse(conversation.attributes)).toEqual({ team: "support", tier: 1 });
    const [helloAfter, newCard] = threadOf(scenario.emulator, conversationSid);
    expect(helloAfter).toMatchObject({ sid: hello.sid, body: "Hello there" });
    expect(newCard.sid).not.toBe(card.sid);
    expect(newCard.content_sid).toBe("HX00000000000000000000000000000002");
    expect(after.messages).toHaveLength(2);
    // The card goes first, the greeting is edited in place, the new card follows it, and the
    // conversation is set inactive last (a new message would have made it active again).
    expect(writes(scenario.emulator.requests())).toEqual([
      `DELETE /v1/Conversations/${conversationSid}/Messages/${card.sid}`,
      `POST /v1/Conversations/${conversationSid}/Messages/${hello.sid}`,
      `POST /v1/Conversations/${conversationSid}/Messages`,
      `POST /v1/Conversations/${conversationSid}`,
    ]);
    expect((await scenario.outputs()).messages.support).toEqual({ hello: hello.sid, card: newCard.sid });
    await scenario.pulumi(["preview", "--expect-no-changes"]);
  }, E2E_TIMEOUT);

  it("an email sender (bindings.email) is created with the conversation, previews clean, and its name changes in place", async () => {
    scenario = await newScenario("bindings");
    const stack = (name: string) => `
conversations:
  mail:
    uniqueName: mail-bindings
    bindings:
      email: { address: support@example.com, name: ${name} }
`;
    scenario.writeStack(stack("Support"));
    await scenario.up();
    const [created] = twilioObjects(scenario.emulator).conversations;
    expect(created.bindings).toEqual({ email: { projected_address: "support@example.com", name: "Support" } });
    await scenario.pulumi(["preview", "--expect-no-changes"]);

    scenario.writeStack(stack("Help desk"));
    const preview = await scenario.pulumi(["preview", "--diff"]);
    expect(preview.stdout).toContain("1 to update");
    expect(preview.stdout).not.toMatch(/to replace|to create|to delete/);
    expect(changedProperties(preview.stdout, "mail")).toEqual(["bindings"]);
    scenario.emulator.clearRequests();
    await scenario.up();
    expect(writes(scenario.emulator.requests())).toEqual([`POST /v1/Conversations/${created.sid}`]);
    const [updated] = twilioObjects(scenario.emulator).conversations;
    expect(updated).toMatchObject({ sid: created.sid, bindings: { email: { projected_address: "support@example.com", name: "Help desk" } } });
    await scenario.pulumi(["preview", "--expect-no-changes"]);
  }, E2E_TIMEOUT);

  it("a backdated conversation is created with its date, previews clean, and a new date changes it in place", async () => {
    scenario = await newScenario("backdated");
    const stack = (date: string) => `
conversations:
  archive:
    uniqueName: archive-backdated
    dateCreated: ${date}
`;
    scenario.writeStack(stack("2023-06-01T08:00:00Z"));
    await scenario.up();
    const [created] = twilioObjects(scenario.emulator).conversations;
    expect(created.date_created).toBe("2023-06-01T08:00:00Z");
    await scenario.pulumi(["preview", "--expect-no-changes"]);

    scenario.writeStack(stack("2022-12-24T18:30:00Z"));
    const preview = await scenario.pulumi(["preview", "--diff"]);
    expect(preview.stdout).toContain("1 to update");
    expect(preview.stdout).not.toMatch(/to replace|to create|to delete/);
    expect(changedProperties(preview.stdout, "archive")).toEqual(["dateCreated"]);
    scenario.emulator.clearRequests();
    await scenario.up();
    expect(writes(scenario.emulator.requests())).toEqual([`POST /v1/Conversations/${created.sid}`]);
    const [updated] = twilioObjects(scenario.emulator).conversations;
    expect(updated).toMatchObject({ sid: created.sid, date_created: "2022-12-24T18:30:00Z" });
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
    await raw(scenario.emulator, "POST", `/v1/Conversations/${support.sid}`, { FriendlyName: "Renamed by hand", Attributes: '{"team":"ops"}' });
    await raw(scenario.emulator, "DELETE", `/v1/Conversations/${lobby.sid}`);

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
    const existing = (await raw(scenario.emulator, "POST", "/v1/Conversations", { UniqueName: "legacy-desk", FriendlyName: "Made by hand" })).body as { sid: string };
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

const ALPHA = "{ key: a, body: Alpha }";
const BRAVO = "{ key: b, body: Bravo }";
const cardMessage = (template: 1 | 2) => `{ key: c, contentSid: HX0000000000000000000000000000000${template}, contentVariables: { "1": Ada } }`;
const DELTA = "{ key: d, body: Delta }";
const THREAD = [ALPHA, BRAVO, cardMessage(1), DELTA];

/** A stack of one conversation, `desk` (unique name `desk-<name>`), seeding these messages (YAML flow mappings). */
const desk = (name: string, messages: string[], extra = "") => `
conversations:
  desk:
    uniqueName: desk-${name}
${extra}    messages:
${messages.map((message) => `      - ${message}`).join("\n")}
`;

interface HeldMessage {
  key: string;
  sid: string;
}

/**
 * The desk conversation's thread in the emulator, in order, each message named by the key its
 * Conversation resource records for that SID; the resource records each at the index Twilio gives it.
 */
async function heldThread(current: Scenario): Promise<HeldMessage[]> {
  const resource = await conversationResource(current, "desk");
  const recorded = resource.outputs!.messages as Record<string, { sid: string; index: number }>;
  const keyOf = new Map(Object.entries(recorded).map(([key, message]) => [message.sid, key]));
  const held = threadOf(current.emulator, resource.id!).map((m) => ({ key: keyOf.get(m.sid) ?? `unrecorded ${m.sid}`, sid: m.sid, index: m.index }));
  const byKey = (thread: Array<{ key: string; sid: string; index: number }>) => Object.fromEntries(thread.map(({ key, sid, index }) => [key, { sid, index }]));
  expect(byKey(held)).toEqual(byKey(Object.entries(recorded).map(([key, { sid, index }]) => ({ key, sid, index }))));
  return held.map(({ key, sid }) => ({ key, sid }));
}

/** The stack outputs name the SIDs of the thread as Twilio holds it. */
async function expectOutputsNaming(current: Scenario, thread: HeldMessage[]): Promise<void> {
  expect((await current.outputs()).messages.desk).toEqual(Object.fromEntries(thread.map(({ key, sid }) => [key, sid])));
}

/** An up's writes, messages named by key (deletes, edits, from the thread before it) or by what they post (creates). */
function threadWrites(current: Scenario, before: HeldMessage[]): string[] {
  const keyOf = new Map(before.map(({ key, sid }) => [sid, key]));
  return current.emulator
    .requests()
    .filter((r) => r.method !== "GET")
    .map((r) => {
      const message = /\/Messages(?:\/(\w+))?$/.exec(r.path);
      if (!message) return `${r.method} ${r.path}`;
      if (r.method === "DELETE") return `delete ${keyOf.get(message[1])}`;
      if (message[1]) return `edit ${keyOf.get(message[1])} ${Object.keys(r.form).join(",")}`;
      return `create ${r.form.Body ?? r.form.ContentSid}`;
    });
}

const sidOf = (thread: HeldMessage[], key: string) => thread.find((message) => message.key === key)?.sid;

/** A new scenario whose stack has seeded THREAD in `desk-<name>`. */
async function seededDesk(name: string): Promise<Scenario> {
  const current = await newScenario(`thread-${name}`);
  try {
    current.writeStack(desk(name, THREAD));
    await current.up();
    return current;
  } catch (error) {
    await current.dispose();
    throw error;
  }
}

/** Writes the stack, checks what preview --diff shows in the thread, runs up; returns the thread and the up's writes. */
async function applyThread(current: Scenario, yaml: string, shown: string[]): Promise<{ before: HeldMessage[]; after: HeldMessage[]; sent: string[] }> {
  const before = await heldThread(current);
  current.writeStack(yaml);
  const preview = await current.pulumi(["preview", "--diff"]);
  expect(messageChanges(preview.stdout, "desk")).toEqual(shown);
  expect(preview.stdout).not.toMatch(/to replace|to create|to delete/);
  current.emulator.clearRequests();
  await current.up();
  const sent = threadWrites(current, before);
  const after = await heldThread(current);
  await current.pulumi(["preview", "--expect-no-changes"]);
  return { before, after, sent };
}

describe("a conversation's seed thread on the real engine", () => {
  it("a body edit updates that message in place; a contentSid change re-creates it and the messages after it, in order", async () => {
    scenario = await seededDesk("edits");
    expect((await heldThread(scenario)).map((m) => m.key)).toEqual(["a", "b", "c", "d"]);

    const edited = await applyThread(scenario, desk("edits", [ALPHA, "{ key: b, body: Bravo again }", cardMessage(1), DELTA]), ["~b.body"]);
    // One message POST, to the edited message's SID: every message keeps its SID and place.
    expect(edited.sent).toEqual(["edit b Body"]);
    expect(edited.after).toEqual(edited.before);
    expect(threadOf(scenario.emulator, (await conversationResource(scenario, "desk")).id!).map((m) => m.body)).toEqual(["Alpha", "Bravo again", null, "Delta"]);

    const recarded = await applyThread(scenario, desk("edits", [ALPHA, "{ key: b, body: Bravo again }", cardMessage(2), DELTA]), ["~c.contentSid"]);
    expect(recarded.sent).toEqual(["delete c", "delete d", "create HX00000000000000000000000000000002", "create Delta"]);
    expect(recarded.after.map((m) => m.key)).toEqual(["a", "b", "c", "d"]);
    expect(recarded.after.slice(0, 2)).toEqual(recarded.before.slice(0, 2));
    for (const key of ["c", "d"]) expect(sidOf(recarded.after, key)).not.toBe(sidOf(recarded.before, key));
    const held = twilioObjects(scenario.emulator).messages;
    expect(held.find((m) => m.sid === sidOf(recarded.after, "c")).content_sid).toBe("HX00000000000000000000000000000002");
    expect(held).toHaveLength(4);
    await expectOutputsNaming(scenario, recarded.after);
  }, E2E_TIMEOUT);

  it("a message inserted mid-thread is posted in its place; removing a message deletes only it", async () => {
    scenario = await seededDesk("insert");

    const INSERTED = "{ key: a2, body: Inserted }";
    // The plan shows one new message and one changed link, not a shifted list.
    const inserted = await applyThread(scenario, desk("insert", [ALPHA, INSERTED, BRAVO, cardMessage(1), DELTA]), ["+a2", "~b.after"]);
    // Twilio appends: the messages after the new one are posted again behind it.
    expect(inserted.sent).toEqual(["delete b", "delete c", "delete d", "create Inserted", "create Bravo", "create HX00000000000000000000000000000001", "create Delta"]);
    expect(inserted.after.map((m) => m.key)).toEqual(["a", "a2", "b", "c", "d"]);
    expect(sidOf(inserted.after, "a")).toBe(sidOf(inserted.before, "a"));

    const removed = await applyThread(scenario, desk("insert", [ALPHA, INSERTED, cardMessage(1), DELTA]), ["-b", "~c.after"]);
    expect(removed.sent).toEqual(["delete b"]);
    expect(removed.after).toEqual(inserted.after.filter((m) => m.key !== "b"));
    expect(twilioObjects(scenario.emulator).messages).toHaveLength(4);
    await expectOutputsNaming(scenario, removed.after);
  }, E2E_TIMEOUT);

  it("a message deleted outside is recorded gone by refresh, and up posts it again with the messages after it", async () => {
    scenario = await seededDesk("drift");
    const seeded = await heldThread(scenario);
    const conversationSid = (await conversationResource(scenario, "desk")).id!;
    const deleted = await raw(scenario.emulator, "DELETE", `/v1/Conversations/${conversationSid}/Messages/${sidOf(seeded, "b")}`);
    expect(deleted.status).toBe(204);

    const refresh = await scenario.pulumi(["refresh", "--yes", "--diff"]);
    // b is dropped from the recorded thread, and c now follows a.
    expect(messageChanges(refresh.stdout, "desk")).toEqual(["-b", "~c.declared"]);
    const refreshed = await conversationResource(scenario, "desk");
    expect(Object.keys(refreshed.outputs!.messages).sort()).toEqual(["a", "c", "d"]);
    expect(refreshed.inputs!.messages).toEqual({ a: { body: "Alpha" }, c: { after: "a", contentSid: "HX00000000000000000000000000000001", contentVariables: { 1: "Ada" } }, d: { after: "c", body: "Delta" } });
    const drifted = await scenario.pulumi(["preview", "--expect-no-changes"], { allowFailure: true });
    expect(drifted.code).not.toBe(0);

    const repaired = await applyThread(scenario, desk("drift", THREAD), ["+b", "~c.after"]);
    expect(repaired.sent).toEqual(["delete c", "delete d", "create Bravo", "create HX00000000000000000000000000000001", "create Delta"]);
    expect(repaired.after.map((m) => m.key)).toEqual(["a", "b", "c", "d"]);
    expect(sidOf(repaired.after, "a")).toBe(sidOf(seeded, "a"));
    expect(twilioObjects(scenario.emulator).messages).toHaveLength(4);
    await expectOutputsNaming(scenario, repaired.after);
  }, E2E_TIMEOUT);

  it("a conversation declared closed with messages from the start is seeded, then closed", async () => {
    scenario = await newScenario("thread-closed");
    scenario.writeStack(desk("closed", [ALPHA, BRAVO], "    state: closed\n"));
    await scenario.up();
    const [conversation] = twilioObjects(scenario.emulator).conversations;
    expect(conversation.state).toBe("closed");
    const thread = await heldThread(scenario);
    expect(thread.map((m) => m.key)).toEqual(["a", "b"]);
    // Created open, seeded in order, then closed: a closed conversation takes no messages.
    expect(threadWrites(scenario, [])).toEqual(["POST /v1/Conversations", "create Alpha", "create Bravo", `POST /v1/Conversations/${conversation.sid}`]);
    expect(scenario.emulator.requests().filter((r) => r.method !== "GET").map((r) => r.form.State)).toEqual(["active", undefined, undefined, "closed"]);
    // Its Conversation resource is the only one the state holds: the messages are part of it.
    expect(twilioResources(await stackResources(scenario))).toEqual(["Conversation desk"]);
    await expectOutputsNaming(scenario, thread);
    await scenario.pulumi(["preview", "--expect-no-changes"]);
  }, E2E_TIMEOUT);
});
