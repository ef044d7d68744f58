import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { raw } from "../integration/emulator/support";
import { conversationResource, newScenario, seededScenario, stackResources, threadOf, twilioObjects, twilioResources, writes, type Scenario } from "./harness";

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

const MAIL = (name: string) => `  mail:
    uniqueName: mail-bindings
    bindings:
      email: { address: support@example.com, name: ${name} }
`;
const ARCHIVE = (date: string) => `  archive:
    uniqueName: archive-backdated
    dateCreated: ${date}
`;
const LEGACY = `  legacy:
    uniqueName: legacy-desk
    friendlyName: Managed now
    adopt: ifExists
`;

/**
 * One stack for the edits below, each to a conversation of its own: support (its thread), mail
 * (an email sender), archive (backdated) and legacy (adopted). One up creates them, one edits them.
 */
describe("edits on the real engine, each to its own conversation of one stack", () => {
  let shared: Scenario;
  let existing: { sid: string };
  const conversationNamed = (uniqueName: string) => twilioObjects(shared.emulator).conversations.find((c) => c.unique_name === uniqueName);
  beforeAll(async () => {
    shared = await newScenario("edits");
    existing = (await raw(shared.emulator, "POST", "/v1/Conversations", { UniqueName: "legacy-desk", FriendlyName: "Made by hand" })).body as { sid: string };
    shared.writeStack(`${BEFORE}${MAIL("Support")}${ARCHIVE("2023-06-01T08:00:00Z")}${LEGACY}`);
    await shared.up();
  }, E2E_TIMEOUT);
  afterAll(() => shared?.dispose(), E2E_TIMEOUT);

  it("adopts a conversation that exists already, by unique name", async () => {
    const matching = twilioObjects(shared.emulator).conversations.filter((c) => c.unique_name === "legacy-desk");
    expect(matching).toHaveLength(1);
    expect(matching[0]).toMatchObject({ sid: existing.sid, friendly_name: "Managed now" });
    expect((await shared.outputs()).conversations.legacy).toBe(existing.sid);
  }, E2E_TIMEOUT);

  it("an email sender (bindings.email) is created with the conversation, a backdated conversation with its date, and both preview clean", async () => {
    expect(conversationNamed("mail-bindings").bindings).toEqual({ email: { projected_address: "support@example.com", name: "Support" } });
    expect(conversationNamed("archive-backdated").date_created).toBe("2023-06-01T08:00:00Z");
    await shared.pulumi(["preview", "--expect-no-changes"]);
  }, E2E_TIMEOUT);

  it("preview --diff names exactly the edited properties and messages; up edits in place or re-creates as Twilio requires; an email sender's name and a backdated date change in place", async () => {
    const before = twilioObjects(shared.emulator);
    const conversationSid = conversationNamed("support-changes").sid;
    const mail = conversationNamed("mail-bindings");
    const archive = conversationNamed("archive-backdated");
    const hello = before.messages.find((m) => m.body === "Hi");
    const card = before.messages.find((m) => m.content_sid === "HX00000000000000000000000000000001");
    const withOthers = (support: string, mailName: string, archiveDate: string) => `${support}${MAIL(mailName)}${ARCHIVE(archiveDate)}${LEGACY}`;

    // Editing one message leaves the messages after it alone: the conversation updates in place.
    shared.writeStack(withOthers(BEFORE.replace("body: Hi", "body: Hello there"), "Support", "2023-06-01T08:00:00Z"));
    const bodyOnly = await shared.pulumi(["preview", "--diff"]);
    expect(bodyOnly.stdout).toContain("1 to update");
    expect(bodyOnly.stdout).not.toMatch(/to replace|to create|to delete/);
    expect(changedProperties(bodyOnly.stdout, "support")).toEqual(["messages"]);
    expect(messageChanges(bodyOnly.stdout, "support")).toEqual(["~hello.body"]);
    // The preview of an update knows only inputs: the message SIDs in the stack outputs are known
    // after apply, never shown as removed.
    const previewOutputs = bodyOnly.stdout.slice(bodyOnly.stdout.indexOf("--outputs:--"));
    expect(previewOutputs).not.toMatch(/^\s*-\s+(hello|card)\s*:/m);

    shared.writeStack(withOthers(AFTER, "Help desk", "2022-12-24T18:30:00Z"));
    const preview = await shared.pulumi(["preview", "--diff"]);
    expect(changedProperties(preview.stdout, "support")).toEqual(["attributes", "friendlyName", "messages", "state", "timers"]);
    // A create-only field shows as the field that changed; the provider re-creates that message inside the update.
    expect(messageChanges(preview.stdout, "support")).toEqual(["~card.contentSid", "~hello.body"]);
    expect(changedProperties(preview.stdout, "mail")).toEqual(["bindings"]);
    expect(changedProperties(preview.stdout, "archive")).toEqual(["dateCreated"]);
    // support, mail and archive; legacy is unchanged.
    expect(preview.stdout).toContain("3 to update");
    expect(preview.stdout).not.toMatch(/to replace|to create|to delete/);

    shared.emulator.clearRequests();
    await shared.up();
    const after = twilioObjects(shared.emulator);
    const conversation = after.conversations.find((c) => c.unique_name === "support-changes");
    expect(conversation).toMatchObject({ sid: conversationSid, friendly_name: "Support desk", state: "inactive" });
    expect(JSON.parse(conversation.attributes)).toEqual({ team: "support", tier: 1 });
    const [helloAfter, newCard] = threadOf(shared.emulator, conversationSid);
    expect(helloAfter).toMatchObject({ sid: hello.sid, body: "Hello there" });
    expect(newCard.sid).not.toBe(card.sid);
    expect(newCard.content_sid).toBe("HX00000000000000000000000000000002");
    expect(after.messages).toHaveLength(2);
    const sent = writes(shared.emulator.requests());
    // The card goes first, the greeting is edited in place, the new card follows it, and the
    // conversation is set inactive last (a new message would have made it active again).
    expect(sent.filter((write) => write.includes(conversationSid))).toEqual([
      `DELETE /v1/Conversations/${conversationSid}/Messages/${card.sid}`,
      `POST /v1/Conversations/${conversationSid}/Messages/${hello.sid}`,
      `POST /v1/Conversations/${conversationSid}/Messages`,
      `POST /v1/Conversations/${conversationSid}`,
    ]);
    // The email sender's name and the date: one update of each conversation, in place.
    expect(sent.filter((write) => !write.includes(conversationSid)).sort()).toEqual([`POST /v1/Conversations/${mail.sid}`, `POST /v1/Conversations/${archive.sid}`].sort());
    expect(conversationNamed("mail-bindings")).toMatchObject({ sid: mail.sid, bindings: { email: { projected_address: "support@example.com", name: "Help desk" } } });
    expect(conversationNamed("archive-backdated")).toMatchObject({ sid: archive.sid, date_created: "2022-12-24T18:30:00Z" });
    expect((await shared.outputs()).messages.support).toEqual({ hello: hello.sid, card: newCard.sid });
    await shared.pulumi(["preview", "--expect-no-changes"]);
  }, E2E_TIMEOUT);
});

describe("edits on the real engine", () => {
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

    const refresh = await scenario.pulumi(["refresh", "--yes", "--skip-preview", "--diff"]);
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

});

const ALPHA = "{ key: a, body: Alpha }";
const BRAVO = "{ key: b, body: Bravo }";
const cardMessage = (template: 1 | 2) => `{ key: c, contentSid: HX0000000000000000000000000000000${template}, contentVariables: { "1": Ada } }`;
const DELTA = "{ key: d, body: Delta }";
const THREAD = [ALPHA, BRAVO, cardMessage(1), DELTA];

/** A conversation `desk-<name>` (its unique name too) of a stack, seeding these messages (YAML flow mappings). */
const deskEntry = (name: string, messages: string[], extra = "") => `  desk-${name}:
    uniqueName: desk-${name}
${extra}    messages:
${messages.map((message) => `      - ${message}`).join("\n")}
`;

/** A stack of these conversations (see deskEntry), by name. */
const desks = (threads: Record<string, string[]>) => `conversations:\n${Object.entries(threads).map(([name, messages]) => deskEntry(name, messages)).join("")}`;

interface HeldMessage {
  key: string;
  sid: string;
}

/**
 * The thread of conversation desk-<name> in the emulator, in order, each message named by the key
 * its Conversation resource records for that SID; the resource records each at the index Twilio gives it.
 */
async function heldThread(current: Scenario, name: string): Promise<HeldMessage[]> {
  const resource = await conversationResource(current, `desk-${name}`);
  const recorded = resource.outputs!.messages as Record<string, { sid: string; index: number }>;
  const keyOf = new Map(Object.entries(recorded).map(([key, message]) => [message.sid, key]));
  const held = threadOf(current.emulator, resource.id!).map((m) => ({ key: keyOf.get(m.sid) ?? `unrecorded ${m.sid}`, sid: m.sid, index: m.index }));
  const byKey = (thread: Array<{ key: string; sid: string; index: number }>) => Object.fromEntries(thread.map(({ key, sid, index }) => [key, { sid, index }]));
  expect(byKey(held)).toEqual(byKey(Object.entries(recorded).map(([key, { sid, index }]) => ({ key, sid, index }))));
  return held.map(({ key, sid }) => ({ key, sid }));
}

/** The stack outputs name the SIDs of desk-<name>'s thread as Twilio holds it. */
async function expectOutputsNaming(current: Scenario, name: string, thread: HeldMessage[]): Promise<void> {
  expect((await current.outputs()).messages[`desk-${name}`]).toEqual(Object.fromEntries(thread.map(({ key, sid }) => [key, sid])));
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

/**
 * Declares desk-<name>'s new thread in `threads` and writes the stack, checks what preview --diff
 * shows in that thread, runs up; returns the thread and the up's writes (the other desks unchanged, only its own).
 */
async function applyThread(current: Scenario, threads: Record<string, string[]>, name: string, messages: string[], shown: string[]): Promise<{ before: HeldMessage[]; after: HeldMessage[]; sent: string[] }> {
  const before = await heldThread(current, name);
  threads[name] = messages;
  current.writeStack(desks(threads));
  const preview = await current.pulumi(["preview", "--diff"]);
  expect(messageChanges(preview.stdout, `desk-${name}`)).toEqual(shown);
  expect(preview.stdout).not.toMatch(/to replace|to create|to delete/);
  current.emulator.clearRequests();
  await current.up();
  const sent = threadWrites(current, before);
  const after = await heldThread(current, name);
  await current.pulumi(["preview", "--expect-no-changes"]);
  return { before, after, sent };
}

/** Twilio holds exactly the declared messages: their number across the stack's desks. */
function expectMessagesHeld(current: Scenario, threads: Record<string, string[]>): void {
  expect(twilioObjects(current.emulator).messages).toHaveLength(Object.values(threads).reduce((count, messages) => count + messages.length, 0));
}

/**
 * One stack seeds THREAD in three desks, one per test below (edits, insert, drift); each test
 * changes its own desk alone, so the up that seeds them is shared.
 */
describe("a conversation's seed thread on the real engine", () => {
  let shared: Scenario;
  const threads: Record<string, string[]> = { edits: THREAD, insert: THREAD, drift: THREAD };
  beforeAll(async () => {
    shared = await seededScenario("threads", desks(threads));
  }, E2E_TIMEOUT);
  afterAll(() => shared?.dispose(), E2E_TIMEOUT);

  it("a body edit updates that message in place; a contentSid change re-creates it and the messages after it, in order", async () => {
    expect((await heldThread(shared, "edits")).map((m) => m.key)).toEqual(["a", "b", "c", "d"]);

    const edited = await applyThread(shared, threads, "edits", [ALPHA, "{ key: b, body: Bravo again }", cardMessage(1), DELTA], ["~b.body"]);
    // One message POST, to the edited message's SID: every message keeps its SID and place.
    expect(edited.sent).toEqual(["edit b Body"]);
    expect(edited.after).toEqual(edited.before);
    expect(threadOf(shared.emulator, (await conversationResource(shared, "desk-edits")).id!).map((m) => m.body)).toEqual(["Alpha", "Bravo again", null, "Delta"]);

    const recarded = await applyThread(shared, threads, "edits", [ALPHA, "{ key: b, body: Bravo again }", cardMessage(2), DELTA], ["~c.contentSid"]);
    expect(recarded.sent).toEqual(["delete c", "delete d", "create HX00000000000000000000000000000002", "create Delta"]);
    expect(recarded.after.map((m) => m.key)).toEqual(["a", "b", "c", "d"]);
    expect(recarded.after.slice(0, 2)).toEqual(recarded.before.slice(0, 2));
    for (const key of ["c", "d"]) expect(sidOf(recarded.after, key)).not.toBe(sidOf(recarded.before, key));
    const held = twilioObjects(shared.emulator).messages;
    expect(held.find((m) => m.sid === sidOf(recarded.after, "c")).content_sid).toBe("HX00000000000000000000000000000002");
    expectMessagesHeld(shared, threads);
    await expectOutputsNaming(shared, "edits", recarded.after);
  }, E2E_TIMEOUT);

  it("a message inserted mid-thread is posted in its place; removing a message deletes only it", async () => {
    const INSERTED = "{ key: a2, body: Inserted }";
    // The plan shows one new message and one changed link, not a shifted list.
    const inserted = await applyThread(shared, threads, "insert", [ALPHA, INSERTED, BRAVO, cardMessage(1), DELTA], ["+a2", "~b.after"]);
    // Twilio appends: the messages after the new one are posted again behind it.
    expect(inserted.sent).toEqual(["delete b", "delete c", "delete d", "create Inserted", "create Bravo", "create HX00000000000000000000000000000001", "create Delta"]);
    expect(inserted.after.map((m) => m.key)).toEqual(["a", "a2", "b", "c", "d"]);
    expect(sidOf(inserted.after, "a")).toBe(sidOf(inserted.before, "a"));

    const removed = await applyThread(shared, threads, "insert", [ALPHA, INSERTED, cardMessage(1), DELTA], ["-b", "~c.after"]);
    expect(removed.sent).toEqual(["delete b"]);
    expect(removed.after).toEqual(inserted.after.filter((m) => m.key !== "b"));
    expectMessagesHeld(shared, threads);
    await expectOutputsNaming(shared, "insert", removed.after);
  }, E2E_TIMEOUT);

  it("a message deleted outside is recorded gone by refresh, and up posts it again with the messages after it", async () => {
    const seeded = await heldThread(shared, "drift");
    const conversationSid = (await conversationResource(shared, "desk-drift")).id!;
    const deleted = await raw(shared.emulator, "DELETE", `/v1/Conversations/${conversationSid}/Messages/${sidOf(seeded, "b")}`);
    expect(deleted.status).toBe(204);

    const refresh = await shared.pulumi(["refresh", "--yes", "--skip-preview", "--diff"]);
    // b is dropped from the recorded thread, and c now follows a.
    expect(messageChanges(refresh.stdout, "desk-drift")).toEqual(["-b", "~c.declared"]);
    const refreshed = await conversationResource(shared, "desk-drift");
    expect(Object.keys(refreshed.outputs!.messages).sort()).toEqual(["a", "c", "d"]);
    expect(refreshed.inputs!.messages).toEqual({ a: { body: "Alpha" }, c: { after: "a", contentSid: "HX00000000000000000000000000000001", contentVariables: { 1: "Ada" } }, d: { after: "c", body: "Delta" } });
    const drifted = await shared.pulumi(["preview", "--expect-no-changes"], { allowFailure: true });
    expect(drifted.code).not.toBe(0);

    const repaired = await applyThread(shared, threads, "drift", THREAD, ["+b", "~c.after"]);
    expect(repaired.sent).toEqual(["delete c", "delete d", "create Bravo", "create HX00000000000000000000000000000001", "create Delta"]);
    expect(repaired.after.map((m) => m.key)).toEqual(["a", "b", "c", "d"]);
    expect(sidOf(repaired.after, "a")).toBe(sidOf(seeded, "a"));
    expectMessagesHeld(shared, threads);
    await expectOutputsNaming(shared, "drift", repaired.after);
  }, E2E_TIMEOUT);
});

describe("a conversation's seed thread on the real engine, declared closed", () => {
  it("a conversation declared closed with messages from the start is seeded, then closed", async () => {
    scenario = await newScenario("thread-closed");
    scenario.writeStack(`conversations:\n${deskEntry("closed", [ALPHA, BRAVO], "    state: closed\n")}`);
    await scenario.up();
    const [conversation] = twilioObjects(scenario.emulator).conversations;
    expect(conversation.state).toBe("closed");
    const thread = await heldThread(scenario, "closed");
    expect(thread.map((m) => m.key)).toEqual(["a", "b"]);
    // Created open, seeded in order, then closed: a closed conversation takes no messages.
    expect(threadWrites(scenario, [])).toEqual(["POST /v1/Conversations", "create Alpha", "create Bravo", `POST /v1/Conversations/${conversation.sid}`]);
    expect(scenario.emulator.requests().filter((r) => r.method !== "GET").map((r) => r.form.State)).toEqual(["active", undefined, undefined, "closed"]);
    // Its Conversation resource is the only one the state holds: the messages are part of it.
    expect(twilioResources(await stackResources(scenario))).toEqual(["Conversation desk-closed"]);
    await expectOutputsNaming(scenario, "closed", thread);
    await scenario.pulumi(["preview", "--expect-no-changes"]);
  }, E2E_TIMEOUT);
});
