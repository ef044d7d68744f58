// A conversation's seed thread against the emulator, through the Conversation provider as the
// engine calls it: check, then create, or diff and update; each `up` a provider process of its own
// (its own claims), the create journal kept between them. Every request must match Twilio's spec.
import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { RequestLogEntry } from "../../../emulator";
import { httpExchange, type Exchange } from "../../../provider/client/exchange";
import type { Transport } from "../../../provider/client/http";
import { fileJournal } from "../../../provider/client/intents";
import { DEFAULT_RETRY_POLICY } from "../../../provider/client/retry";
import { observedMessage } from "../../../provider/client/wire";
import { conversationProvider } from "../../../provider/resources/conversation-provider";
import { messageOutputs, normalizeMessageInputs } from "../../../provider/resources/message-model";
import { messageProvider } from "../../../provider/resources/message-provider";
import { declaredThread, type DeclaredMessage } from "../../../provider/resources/thread-model";
import { emulatorSettings, testTransport } from "../../support/transport";
import { useStackEmulator } from "./harness";
import { raw } from "../emulator/support";

type Provider = Required<pulumi.dynamic.ResourceProvider>;
type Seed = { key: string } & Omit<DeclaredMessage, "after">;
/** A resource as the engine holds it in state. */
interface Held {
  id: string;
  inputs: Record<string, any>;
  outs: Record<string, any>;
}

const STACK = "threads";
const HX = "HX" + "1".repeat(32);
const HX_OTHER = "HX" + "2".repeat(32);
const ME = "ME" + "3".repeat(32);

const harness = useStackEmulator(STACK);
const exchange = httpExchange();

/**
 * One `up`'s provider process: its own claims; the create journal is the stack's. `beforeSend`
 * sees each request as it leaves, e.g. to set a fault for the third message create.
 */
function run(beforeSend?: (method: string, urlPath: string) => void) {
  const watched: Exchange = (request) => {
    beforeSend?.(request.method, request.url.pathname);
    return exchange(request);
  };
  const transport: Transport = testTransport({
    settings: emulatorSettings(harness.emulator),
    // The harness.emulator has written a request by the time it answers or drops it.
    policy: { ...DEFAULT_RETRY_POLICY, maxWriteMs: 200 },
    exchange: watched,
    intents: fileJournal(harness.journal),
  });
  return {
    transport,
    conversations: conversationProvider(() => transport) as Provider,
    messages: messageProvider(() => transport) as Provider,
  };
}

/** Runs `action` the `nth` time a message create leaves, from then on (1 is the first). */
function onMessageCreate(nth: number, action: () => void) {
  let creates = 0;
  return (method: string, urlPath: string) => {
    if (method === "POST" && /\/Messages$/.test(urlPath) && ++creates === nth) action();
  };
}

/** Outputs as the engine stores them: the provider's runtime echoes the stack into them (see runtime.ts). */
const stored = (outs: Record<string, any>) => ({ ...outs, stack: STACK });

/** What the engine does for one conversation in an `up`: check, then create, or diff and update on a change. */
async function up(provider: Provider, previous: Held | null, inputs: Record<string, unknown>): Promise<Held> {
  const checked = await provider.check(previous?.inputs ?? {}, inputs);
  expect(checked.failures ?? []).toEqual([]);
  const news = checked.inputs!;
  if (!previous) {
    const { id, outs } = await provider.create(news);
    return { id, inputs: news, outs: stored(outs!) };
  }
  const diff = await provider.diff(previous.id, previous.outs, news);
  expect(diff.replaces ?? []).toEqual([]);
  if (!diff.changes) return { ...previous, inputs: news };
  const { outs } = await provider.update(previous.id, previous.outs, news);
  return { id: previous.id, inputs: news, outs: stored(outs!) };
}

/** What the engine records from an error that carries `id` and `properties` (created, or updated in part). */
function heldAfter(error: any, inputs: Record<string, unknown>): Held {
  expect(error).toBeInstanceOf(Error);
  expect(typeof error.id).toBe("string");
  return { id: error.id, inputs, outs: stored(error.properties) };
}

let counter = 0;
function conversationInputs(name: string, messages: Seed[], more: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceName: `${name}-${++counter}`,
    stack: STACK,
    friendlyName: name,
    ...more,
    ...(messages.length > 0 ? { messages: declaredThread(messages) } : {}),
  };
}

/** The inputs with this thread instead. */
function withThread(inputs: Record<string, unknown>, messages: Seed[]): Record<string, unknown> {
  return { ...inputs, messages: declaredThread(messages) };
}

/**
 * Requests in a short form: method, path with the conversation's SID as CH and each recorded
 * message's as its key (and those `extra` names), form.
 */
function shown(requests: RequestLogEntry[], held: Held, extra: Record<string, string> = {}) {
  const names = new Map(Object.entries(extra));
  for (const [key, message] of Object.entries(held.outs.messages ?? {})) names.set((message as any).sid, key);
  names.set(held.id, "CH");
  const named = (urlPath: string) => urlPath.replace(/(CH|IM)[0-9a-f]{32}/g, (sid) => names.get(sid) ?? sid);
  return requests.map((r): [string, string, Record<string, string>] => [r.method, named(r.path), r.form]);
}

/** Requests as method, path and the State they send (null for none): how a thread moves the conversation's state. */
function statesSent(requests: RequestLogEntry[], held: Held) {
  return shown(requests, held).map(([method, urlPath, form]) => [method, urlPath, form.State ?? null]);
}

async function outside(method: "GET" | "POST" | "DELETE", urlPath: string, form: Record<string, string> = {}) {
  const response = await raw(harness.emulator, method, urlPath, form);
  harness.emulator.clearRequests();
  return response;
}

/** The messages Twilio holds in a conversation, in its order. */
function heldIn(conversationSid: string): any[] {
  return (harness.emulator.state().messages as any[]).filter((m) => m.conversation_sid === conversationSid).sort((a, b) => a.index - b.index);
}

const stateOf = (sid: string) => (harness.emulator.state().conversations as any[]).find((c) => c.sid === sid).state;

/** The recorded thread's keys in Twilio's order. */
function recordedOrder(held: Held): string[] {
  return Object.entries(held.outs.messages as Record<string, { index: number }>)
    .sort(([, a], [, b]) => a.index - b.index)
    .map(([key]) => key);
}
const sidsOf = (held: Held) => Object.fromEntries(Object.entries(held.outs.messages as Record<string, { sid: string }>).map(([key, m]) => [key, m.sid]));

/** Twilio holds exactly the recorded thread, in the declared order. */
function expectTwilioHolds(held: Held, keys: string[]): void {
  expect(recordedOrder(held)).toEqual(keys);
  expect(heldIn(held.id).map((m) => m.sid)).toEqual(keys.map((key) => held.outs.messages[key].sid));
}

const SEEDS: Seed[] = [
  { key: "opened", author: "+15005550006", body: "Hi, my order has not arrived yet.", dateCreated: "2024-03-01T09:15:00Z" },
  { key: "ack", author: "agent-grace", body: "Sorry! Let me check with the carrier.", attributes: { internal: false }, dateCreated: "2024-03-01T09:17:30.500Z" },
  { key: "tracking", author: "agent-grace", contentSid: HX, contentVariables: { "1": "Ada" }, dateCreated: "2024-03-01T09:20:00Z" },
  { key: "photo", author: "+15005550006", body: "This is the box.", mediaSid: ME, subject: "Box", dateCreated: "2024-03-01T09:25:00Z", dateUpdated: "2024-03-01T09:26:10Z" },
];
const KEYS = SEEDS.map((seed) => seed.key);

/** A conversation seeded with SEEDS (or `seeds`) by an earlier `up`. */
async function seeded(name: string, seeds: Seed[] = SEEDS, more: Record<string, unknown> = {}): Promise<Held> {
  const held = await up(run().conversations, null, conversationInputs(name, seeds, more));
  harness.take();
  return held;
}

describe("create with a thread", () => {
  it("creates the conversation, then each message in thread order: backdated, with its author; and records each by key", async () => {
    const { transport, conversations } = run();
    const inputs = conversationInputs("order", SEEDS);
    const held = await up(conversations, null, inputs);
    expect(shown(harness.take(), held)).toEqual([
      ["POST", "/v1/Conversations", { FriendlyName: "order" }],
      ["POST", "/v1/Conversations/CH/Messages", { Author: "+15005550006", Body: "Hi, my order has not arrived yet.", DateCreated: "2024-03-01T09:15:00Z" }],
      ["POST", "/v1/Conversations/CH/Messages", { Author: "agent-grace", Body: "Sorry! Let me check with the carrier.", Attributes: '{"internal":false}', DateCreated: "2024-03-01T09:17:30Z" }],
      ["POST", "/v1/Conversations/CH/Messages", { Author: "agent-grace", ContentSid: HX, ContentVariables: '{"1":"Ada"}', DateCreated: "2024-03-01T09:20:00Z" }],
      [
        "POST",
        "/v1/Conversations/CH/Messages",
        { Author: "+15005550006", Body: "This is the box.", MediaSid: ME, Subject: "Box", DateCreated: "2024-03-01T09:25:00Z", DateUpdated: "2024-03-01T09:26:10Z" },
      ],
    ]);
    expectTwilioHolds(held, KEYS);
    expect(heldIn(held.id).map((m) => [m.author, m.date_created])).toEqual([
      ["+15005550006", "2024-03-01T09:15:00Z"],
      ["agent-grace", "2024-03-01T09:17:30Z"],
      ["agent-grace", "2024-03-01T09:20:00Z"],
      ["+15005550006", "2024-03-01T09:25:00Z"],
    ]);
    const twilio = heldIn(held.id);
    expect(held.outs.messages.ack).toEqual({
      sid: twilio[1].sid,
      index: twilio[1].index,
      dateCreated: "2024-03-01T09:17:30Z",
      dateUpdated: twilio[1].date_updated,
      // As Twilio holds them: the date to the whole second.
      declared: { after: "opened", author: "agent-grace", body: "Sorry! Let me check with the carrier.", attributes: { internal: false }, dateCreated: "2024-03-01T09:17:30Z" },
    });
    // Fields Twilio never shows are recorded as declared.
    expect(held.outs.messages.tracking.declared).toEqual({ after: "ack", author: "agent-grace", contentSid: HX, contentVariables: { "1": "Ada" }, dateCreated: "2024-03-01T09:20:00Z" });
    expect(held.outs.messages.photo.declared).toMatchObject({ subject: "Box", mediaSid: ME, dateUpdated: "2024-03-01T09:26:10Z" });
    // Each message is this resource's: no other resource's delete may remove it.
    for (const key of KEYS) expect(transport.claims.heldByAnother(held.outs.messages[key].sid, `${inputs.resourceName}/${key}`)).toBe(true);
    expect(JSON.stringify(held.outs)).not.toContain("undefined");
  });

  it("a conversation without a thread sends no message request, and records an empty thread", async () => {
    const held = await up(run().conversations, null, conversationInputs("quiet", []));
    expect(shown(harness.take(), held).map(([method, urlPath]) => `${method} ${urlPath}`)).toEqual(["POST /v1/Conversations"]);
    expect(held.outs.messages).toEqual({});
  });
});

describe("update of a thread", () => {
  it("the same thread is no change, even with attributes in another key order or a date to the same second", async () => {
    const held = await seeded("steady");
    const { conversations } = run();
    expect(await conversations.diff(held.id, held.outs, held.inputs)).toEqual({ changes: false, replaces: [] });
    const restated = withThread(held.inputs, SEEDS.map((seed) => (seed.key === "opened" ? { ...seed, dateCreated: "2024-03-01T09:15:00.999Z" } : seed)));
    expect(await conversations.diff(held.id, held.outs, restated)).toEqual({ changes: false, replaces: [] });
    expect(harness.take()).toEqual([]);
  });

  it("an edit is one POST to that message, which keeps its SID; a declared dateUpdated is sent again", async () => {
    const held = await seeded("edit");
    const before = sidsOf(held);
    const edited = SEEDS.map((seed) => (seed.key === "ack" ? { ...seed, body: "Found it!" } : seed.key === "photo" ? { ...seed, author: "ada" } : seed));
    const after = await up(run().conversations, held, withThread(held.inputs, edited));
    expect(shown(harness.take(), held)).toEqual([
      ["POST", "/v1/Conversations/CH/Messages/ack", { Body: "Found it!" }],
      ["POST", "/v1/Conversations/CH/Messages/photo", { Author: "ada", DateUpdated: "2024-03-01T09:26:10Z" }],
    ]);
    expect(sidsOf(after)).toEqual(before);
    expectTwilioHolds(after, KEYS);
    expect(heldIn(held.id).map((m) => [m.body, m.author, m.date_updated])[3]).toEqual(["This is the box.", "ada", "2024-03-01T09:26:10Z"]);
    expect(after.outs.messages.ack.declared.body).toBe("Found it!");
    expect(await run().conversations.diff(after.id, after.outs, after.inputs)).toEqual({ changes: false, replaces: [] });
  });

  it("a contentSid change re-creates that message and every one after it, so Twilio keeps the order", async () => {
    const held = await seeded("template");
    const before = sidsOf(held);
    const changed = SEEDS.map((seed) => (seed.key === "tracking" ? { ...seed, contentSid: HX_OTHER } : seed));
    const after = await up(run().conversations, held, withThread(held.inputs, changed));
    expect(shown(harness.take(), held)).toEqual([
      ["DELETE", "/v1/Conversations/CH/Messages/tracking", {}],
      ["DELETE", "/v1/Conversations/CH/Messages/photo", {}],
      ["POST", "/v1/Conversations/CH/Messages", { Author: "agent-grace", ContentSid: HX_OTHER, ContentVariables: '{"1":"Ada"}', DateCreated: "2024-03-01T09:20:00Z" }],
      [
        "POST",
        "/v1/Conversations/CH/Messages",
        { Author: "+15005550006", Body: "This is the box.", MediaSid: ME, Subject: "Box", DateCreated: "2024-03-01T09:25:00Z", DateUpdated: "2024-03-01T09:26:10Z" },
      ],
    ]);
    expectTwilioHolds(after, KEYS);
    expect(sidsOf(after)).toMatchObject({ opened: before.opened, ack: before.ack });
    expect(after.outs.messages.tracking.sid).not.toBe(before.tracking);
    expect(after.outs.messages.photo.sid).not.toBe(before.photo);
    expect(heldIn(held.id).map((m) => m.content_sid)[2]).toBe(HX_OTHER);
    expect(await run().conversations.diff(after.id, after.outs, after.inputs)).toEqual({ changes: false, replaces: [] });
  });

  it("a message inserted mid-thread is created, and those after it re-created", async () => {
    const held = await seeded("insert");
    const before = sidsOf(held);
    const note: Seed = { key: "note", author: "agent-grace", body: "The carrier says tomorrow." };
    const inserted = [SEEDS[0], SEEDS[1], note, SEEDS[2], SEEDS[3]];
    const after = await up(run().conversations, held, withThread(held.inputs, inserted));
    expect(shown(harness.take(), held).map(([method, urlPath, form]) => `${method} ${urlPath} ${form.Body ?? form.ContentSid ?? ""}`)).toEqual([
      "DELETE /v1/Conversations/CH/Messages/tracking ",
      "DELETE /v1/Conversations/CH/Messages/photo ",
      "POST /v1/Conversations/CH/Messages The carrier says tomorrow.",
      `POST /v1/Conversations/CH/Messages ${HX}`,
      "POST /v1/Conversations/CH/Messages This is the box.",
    ]);
    expectTwilioHolds(after, ["opened", "ack", "note", "tracking", "photo"]);
    expect(sidsOf(after)).toMatchObject({ opened: before.opened, ack: before.ack });
    expect(after.outs.messages.tracking.declared.after).toBe("note");
  });

  it("a removed message is deleted, and the others keep their SIDs; the one after it is linked to the one before", async () => {
    const held = await seeded("remove");
    const before = sidsOf(held);
    const after = await up(run().conversations, held, withThread(held.inputs, [SEEDS[0], SEEDS[2], SEEDS[3]]));
    expect(shown(harness.take(), held)).toEqual([["DELETE", "/v1/Conversations/CH/Messages/ack", {}]]);
    expectTwilioHolds(after, ["opened", "tracking", "photo"]);
    expect(sidsOf(after)).toEqual({ opened: before.opened, tracking: before.tracking, photo: before.photo });
    expect(after.outs.messages.tracking.declared.after).toBe("opened");
    expect(await run().conversations.diff(after.id, after.outs, after.inputs)).toEqual({ changes: false, replaces: [] });
  });

  it("a message moved earlier: the one it passed is re-created after it, with those that follow", async () => {
    const held = await seeded("reorder");
    const before = sidsOf(held);
    const after = await up(run().conversations, held, withThread(held.inputs, [SEEDS[0], SEEDS[2], SEEDS[1], SEEDS[3]]));
    expect(shown(harness.take(), held).map(([method, urlPath]) => `${method} ${urlPath}`)).toEqual([
      "DELETE /v1/Conversations/CH/Messages/ack",
      "DELETE /v1/Conversations/CH/Messages/photo",
      "POST /v1/Conversations/CH/Messages",
      "POST /v1/Conversations/CH/Messages",
    ]);
    expectTwilioHolds(after, ["opened", "tracking", "ack", "photo"]);
    expect(sidsOf(after)).toMatchObject({ opened: before.opened, tracking: before.tracking });
  });
});

describe("refresh of a thread", () => {
  it("after a body edited outside: read records Twilio's body in props and inputs, and the next up sets it back", async () => {
    const held = await seeded("drift");
    await outside("POST", `/v1/Conversations/${held.id}/Messages/${held.outs.messages.ack.sid}`, { Body: "Edited outside" });
    const { conversations } = run();
    const read = await conversations.read(held.id, held.outs);
    expect(shown(harness.take(), held)).toEqual([
      ["GET", "/v1/Conversations/CH", {}],
      ["GET", "/v1/Conversations/CH/Messages", {}],
    ]);
    expect(read.props!.messages.ack.declared.body).toBe("Edited outside");
    expect(read.props!.messages.ack.sid).toBe(held.outs.messages.ack.sid);
    expect(read.inputs!.messages.ack).toEqual({ after: "opened", author: "agent-grace", body: "Edited outside", attributes: { internal: false }, dateCreated: "2024-03-01T09:17:30Z" });
    expect(Object.keys(read.inputs!.messages).sort()).toEqual([...KEYS].sort());

    const refreshed: Held = { id: held.id, inputs: read.inputs!, outs: read.props! };
    const after = await up(run().conversations, refreshed, held.inputs);
    expect(shown(harness.take(), held)).toEqual([["POST", "/v1/Conversations/CH/Messages/ack", { Body: "Sorry! Let me check with the carrier." }]]);
    expect(heldIn(held.id)[1].body).toBe("Sorry! Let me check with the carrier.");
    expect(sidsOf(after)).toEqual(sidsOf(held));
  });

  it("after a message deleted outside: read drops it and links the next to the one before; the next up creates it again in its place", async () => {
    const held = await seeded("gone");
    await outside("DELETE", `/v1/Conversations/${held.id}/Messages/${held.outs.messages.ack.sid}`);
    const read = await run().conversations.read(held.id, held.outs);
    harness.take();
    expect(Object.keys(read.props!.messages).sort()).toEqual(["opened", "photo", "tracking"]);
    expect(read.props!.messages.tracking.declared.after).toBe("opened");
    expect(read.inputs!.messages.tracking.after).toBe("opened");
    expect(read.inputs!.messages).not.toHaveProperty("ack");

    const refreshed: Held = { id: held.id, inputs: read.inputs!, outs: read.props! };
    const after = await up(run().conversations, refreshed, held.inputs);
    expect(shown(harness.take(), held).map(([method, urlPath]) => `${method} ${urlPath}`)).toEqual([
      "DELETE /v1/Conversations/CH/Messages/tracking",
      "DELETE /v1/Conversations/CH/Messages/photo",
      "POST /v1/Conversations/CH/Messages",
      "POST /v1/Conversations/CH/Messages",
      "POST /v1/Conversations/CH/Messages",
    ]);
    expectTwilioHolds(after, KEYS);
  });

  it("after every message was deleted outside, read records no thread in the inputs", async () => {
    const held = await seeded("emptied", SEEDS.slice(0, 2));
    for (const key of ["opened", "ack"]) await outside("DELETE", `/v1/Conversations/${held.id}/Messages/${held.outs.messages[key].sid}`);
    const read = await run().conversations.read(held.id, held.outs);
    harness.take();
    expect(read.props!.messages).toEqual({});
    expect(read.inputs).not.toHaveProperty("messages");
  });
});

describe("the create journal of a thread's messages", () => {
  const intentOf = (transport: Transport, held: Held, key: string) => transport.intents!.get(`${STACK}/${held.inputs.resourceName}#${key}`);

  it("each message's create intent is closed once the engine shows the message in state: by a diff, a read or a delete", async () => {
    const { transport } = run();
    const held = await seeded("journal", SEEDS.slice(0, 2));
    expect(intentOf(transport, held, "opened")).toMatchObject({ sid: held.outs.messages.opened.sid });

    await run().conversations.read(held.id, held.outs);
    expect([intentOf(transport, held, "opened"), intentOf(transport, held, "ack")]).toEqual([null, null]);

    const other = await seeded("journal-diff", SEEDS.slice(0, 1));
    await run().conversations.diff(other.id, other.outs, other.inputs);
    expect(intentOf(transport, other, "opened")).toBeNull();

    const removed = await seeded("journal-delete", SEEDS.slice(0, 1));
    await run().conversations.delete(removed.id, removed.outs);
    expect(intentOf(transport, removed, "opened")).toBeNull();
    harness.take();
  });

  it("a conversation destroyed and declared again creates its thread without looking for the messages of the first", async () => {
    const held = await seeded("again", SEEDS.slice(0, 2));
    await run().conversations.delete(held.id, held.outs);
    harness.take();
    // The conversation's own intent is closed by the runtime around every method (see runtime.ts).
    run().transport.intents!.settle(`${STACK}/${held.inputs.resourceName}`, held.id);
    const again = await up(run().conversations, null, held.inputs);
    expect(shown(harness.take(), again).map(([method, urlPath]) => `${method} ${urlPath}`)).toEqual([
      "POST /v1/Conversations",
      "POST /v1/Conversations/CH/Messages",
      "POST /v1/Conversations/CH/Messages",
    ]);
    expectTwilioHolds(again, ["opened", "ack"]);
  });
});

describe("a thread write that fails part way", () => {
  const failAll = () => harness.emulator.setFaults([{ method: "POST", path: "/Messages$", status: 500, count: 100 }]);

  it("in a create: the error carries the conversation and the messages made; the next up makes the rest, none twice", async () => {
    const inputs = conversationInputs("partial", SEEDS);
    const error = await up(run(onMessageCreate(3, failAll)).conversations, null, inputs).catch((e) => e);
    harness.emulator.clearFaults();
    harness.take();
    expect(error.message).toMatch(new RegExp(`^conversation ${error.id} was created, but create message "${inputs.resourceName}/tracking" failed \\(HTTP 500`));
    const partial = heldAfter(error, inputs);
    expect(Object.keys(partial.outs.messages).sort()).toEqual(["ack", "opened"]);
    expect(heldIn(partial.id).map((m) => m.sid)).toEqual([partial.outs.messages.opened.sid, partial.outs.messages.ack.sid]);
    expect(partial.outs).toMatchObject({ sid: partial.id, resourceName: inputs.resourceName, friendlyName: "partial" });

    const finished = await up(run().conversations, partial, inputs);
    const posts = harness.take().filter((r) => r.method === "POST");
    expect(posts.map((r) => r.form.Body ?? r.form.ContentSid)).toEqual([HX, "This is the box."]);
    expectTwilioHolds(finished, KEYS);
    expect(sidsOf(finished)).toMatchObject({ opened: partial.outs.messages.opened.sid, ack: partial.outs.messages.ack.sid });
    expect(await run().conversations.diff(finished.id, finished.outs, inputs)).toEqual({ changes: false, replaces: [] });
  });

  it("in an update: the error says it was updated in part and carries the thread as Twilio holds it; the next up finishes it", async () => {
    const held = await seeded("partial-update");
    // A new first message: every message is re-created after it. The second create fails.
    const changed = withThread(held.inputs, [{ key: "hello", body: "Hello" }, ...SEEDS]);
    const error = await up(run(onMessageCreate(2, failAll)).conversations, held, changed).catch((e) => e);
    harness.emulator.clearFaults();
    harness.take();
    expect(error.message).toMatch(new RegExp(`^conversation ${held.id} was updated in part, but create message "${held.inputs.resourceName}/opened" failed \\(HTTP 500`));
    const partial = heldAfter(error, changed);
    expect(partial.id).toBe(held.id);
    expect(Object.keys(partial.outs.messages)).toEqual(["hello"]);
    expect(heldIn(held.id).map((m) => m.sid)).toEqual([partial.outs.messages.hello.sid]);

    const finished = await up(run().conversations, partial, changed);
    expect(harness.take().filter((r) => r.method === "POST")).toHaveLength(4);
    expectTwilioHolds(finished, ["hello", ...KEYS]);
  });

  it("in a create of a conversation declared closed: left open, the next up seeds the rest, then closes it", async () => {
    const inputs = conversationInputs("partial-closed", SEEDS, { state: "closed" });
    const error = await up(run(onMessageCreate(2, failAll)).conversations, null, inputs).catch((e) => e);
    harness.emulator.clearFaults();
    harness.take();
    const partial = heldAfter(error, inputs);
    expect(stateOf(partial.id)).toBe("active");
    expect(Object.keys(partial.outs.messages)).toEqual(["opened"]);

    const finished = await up(run().conversations, partial, inputs);
    const writes = harness.take().filter((r) => r.method === "POST");
    expect(writes.map((r) => (r.path.endsWith("/Messages") ? "message" : r.form.State))).toEqual(["message", "message", "message", "closed"]);
    expect(stateOf(partial.id)).toBe("closed");
    expectTwilioHolds(finished, KEYS);
  });

  it("a create whose connection drops after Twilio made the message is found, never posted twice", async () => {
    const inputs = conversationInputs("dropped", SEEDS);
    const dropSecond = onMessageCreate(2, () => harness.emulator.setFaults([{ method: "POST", path: "/Messages$", drop: "after", count: 1 }]));
    const held = await up(run(dropSecond).conversations, null, inputs);
    const requests = harness.take();
    expect(requests.filter((r) => r.method === "POST" && r.path.endsWith("/Messages")).map((r) => r.status)).toEqual([201, 0, 201, 201]);
    expectTwilioHolds(held, KEYS);
    expect(heldIn(held.id)).toHaveLength(4);
  });

  it("a create whose connection drops before Twilio saw it is sent again, once", async () => {
    const inputs = conversationInputs("dropped-before", SEEDS);
    const dropThird = onMessageCreate(3, () => harness.emulator.setFaults([{ method: "POST", path: "/Messages$", drop: "before", count: 1 }]));
    const held = await up(run(dropThird).conversations, null, inputs);
    harness.take();
    expectTwilioHolds(held, KEYS);
    expect(heldIn(held.id)).toHaveLength(4);
  });
});

describe("the conversation's state around its thread", () => {
  it.each([
    ["inactive", "inactive", "set back to inactive once"],
    ["closed", "active", "closed (Twilio refuses to create it closed, and a closed one takes no message)"],
  ])("declared %s with a thread: created %s, seeded, then %s", async (state, createdAs) => {
    const inputs = conversationInputs(`seeded-${state}`, SEEDS.slice(0, 2), { state });
    const held = await up(run().conversations, null, inputs);
    expect(statesSent(harness.take(), held)).toEqual([
      ["POST", "/v1/Conversations", createdAs],
      ["POST", "/v1/Conversations/CH/Messages", null],
      ["POST", "/v1/Conversations/CH/Messages", null],
      ["POST", "/v1/Conversations/CH", state],
    ]);
    expect(stateOf(held.id)).toBe(state);
    expect(held.outs.state).toBe(state);
    expectTwilioHolds(held, ["opened", "ack"]);
    expect(await run().conversations.diff(held.id, held.outs, inputs)).toEqual({ changes: false, replaces: [] });
  });

  it("declared inactive: a message added later sets it back to inactive again; an edit needs nothing", async () => {
    const held = await seeded("quiet", SEEDS.slice(0, 2), { state: "inactive" });
    const added = await up(run().conversations, held, withThread(held.inputs, SEEDS.slice(0, 3)));
    expect(statesSent(harness.take(), added)).toEqual([
      ["POST", "/v1/Conversations/CH/Messages", null],
      ["POST", "/v1/Conversations/CH", "inactive"],
    ]);
    expect(stateOf(held.id)).toBe("inactive");

    const edited = await up(run().conversations, added, withThread(held.inputs, [SEEDS[0], { ...SEEDS[1], body: "Edited" }, SEEDS[2]]));
    expect(shown(harness.take(), edited)).toEqual([["POST", "/v1/Conversations/CH/Messages/ack", { Body: "Edited" }]]);
    expect(stateOf(held.id)).toBe("inactive");
    expect(edited.outs.state).toBe("inactive");
  });

  it("closed in the change that adds and edits messages: the messages first, then the close", async () => {
    const held = await seeded("closing", SEEDS.slice(0, 2));
    const news = { ...withThread(held.inputs, [SEEDS[0], { ...SEEDS[1], body: "Last words" }, { key: "bye", body: "Closing this now" }]), state: "closed" };
    const after = await up(run().conversations, held, news);
    expect(shown(harness.take(), after)).toEqual([
      ["POST", "/v1/Conversations/CH/Messages/ack", { Body: "Last words" }],
      ["POST", "/v1/Conversations/CH/Messages", { Body: "Closing this now" }],
      ["POST", "/v1/Conversations/CH", { State: "closed" }],
    ]);
    expect(stateOf(held.id)).toBe("closed");
    expectTwilioHolds(after, ["opened", "ack", "bye"]);
  });

  it("an existing conversation adopted as closed with a thread: seeded, then closed", async () => {
    const uniqueName = `adopted-archive-${++counter}`;
    const existing = (await outside("POST", "/v1/Conversations", { UniqueName: uniqueName })).body.sid as string;
    const inputs = conversationInputs("adopted", SEEDS.slice(0, 2), { uniqueName, adopt: "ifExists", state: "closed" });
    const held = await up(run().conversations, null, inputs);
    expect(held.id).toBe(existing);
    expect(statesSent(harness.take(), held).map(([method, urlPath, state]) => [method, urlPath!.replace(uniqueName, "<uniqueName>"), state])).toEqual([
      ["GET", "/v1/Conversations/<uniqueName>", null],
      ["POST", "/v1/Conversations/CH", null],
      // The thread Twilio holds is looked up, to be taken over: it holds none.
      ["GET", "/v1/Conversations/CH/Messages", null],
      ["POST", "/v1/Conversations/CH/Messages", null],
      ["POST", "/v1/Conversations/CH/Messages", null],
      ["POST", "/v1/Conversations/CH", "closed"],
    ]);
    expect(stateOf(existing)).toBe("closed");
    expectTwilioHolds(held, ["opened", "ack"]);
    expect(held.outs).toMatchObject({ state: "closed", adopted: true });
  });
});

describe("state from when each message was a resource of its own", () => {
  /**
   * A conversation with messages made as the Message resources made them, and the state those
   * left: the conversation's outputs without a thread, and each message resource's own.
   */
  async function legacy(name: string, seeds: Seed[], more: Record<string, unknown> = {}) {
    const inputs = conversationInputs(name, [], more);
    const made = await up(run().conversations, null, inputs);
    const { messages: _none, ...outs } = made.outs;
    const messageResources: Array<{ key: string; id: string; outs: Record<string, unknown> }> = [];
    let afterIndex: number | null = null;
    for (const { key, ...fields } of seeds) {
      const resourceName = `${inputs.resourceName}/${key}`;
      const messageInputs = { resourceName, conversationSid: made.id, ...fields, afterIndex };
      const form = Object.fromEntries(
        Object.entries({ Author: fields.author, Body: fields.body, ContentSid: fields.contentSid, MediaSid: fields.mediaSid, DateCreated: fields.dateCreated, DateUpdated: fields.dateUpdated })
          .filter(([, value]) => value !== undefined)
          .map(([field, value]) => [field, String(value)]),
      );
      if (fields.attributes) form.Attributes = JSON.stringify(fields.attributes);
      if (fields.contentVariables) form.ContentVariables = JSON.stringify(fields.contentVariables);
      const answer = await outside("POST", `/v1/Conversations/${made.id}/Messages`, form);
      expect(answer.status).toBe(201);
      messageResources.push({ key, id: answer.body.sid, outs: { ...messageOutputs(normalizeMessageInputs(messageInputs), observedMessage(answer.body)) } });
      afterIndex = answer.body.index;
    }
    harness.take();
    return { held: { id: made.id, inputs, outs } as Held, messageResources };
  }

  it("the next up takes the messages over: one list request, nothing posted, each SID claimed; the old resources' deletes leave them", async () => {
    const { held, messageResources } = await legacy("legacy", SEEDS);
    const news = withThread(held.inputs, SEEDS);
    const { transport, conversations, messages } = run();
    expect(await conversations.diff(held.id, held.outs, news)).toEqual({ changes: true, replaces: [] });
    const after = await up(conversations, held, news);
    expect(shown(harness.take(), held)).toEqual([["GET", "/v1/Conversations/CH/Messages", {}]]);
    expect(sidsOf(after)).toEqual(Object.fromEntries(messageResources.map(({ key, id }) => [key, id])));
    expectTwilioHolds(after, KEYS);
    for (const { key, id } of messageResources) expect(transport.claims.heldByAnother(id, `${held.inputs.resourceName}/${key}`)).toBe(true);

    // The engine then deletes the message resources the program no longer declares.
    for (const resource of messageResources) await messages.delete(resource.id, resource.outs);
    expect(harness.take()).toEqual([]);
    expect(heldIn(held.id).map((m) => m.sid)).toEqual(messageResources.map(({ id }) => id));
    expect(await run().conversations.diff(after.id, after.outs, news)).toEqual({ changes: false, replaces: [] });
  });

  it("in a run that refreshed the old message resources first (up --refresh), the messages are still taken over", async () => {
    const { held, messageResources } = await legacy("legacy-refreshed", SEEDS.slice(0, 3));
    const { transport, conversations, messages } = run();
    // The runtime holds every SID a method is given, without naming a holder (see runtime.ts): the
    // refresh's reads of the old message resources claim their messages so.
    for (const resource of messageResources) {
      transport.claims.claim(resource.id);
      await messages.read(resource.id, resource.outs);
    }
    harness.take();
    const after = await up(conversations, held, withThread(held.inputs, SEEDS.slice(0, 3)));
    expect(shown(harness.take(), held)).toEqual([["GET", "/v1/Conversations/CH/Messages", {}]]);
    expect(sidsOf(after)).toEqual(Object.fromEntries(messageResources.map(({ key, id }) => [key, id])));
    for (const resource of messageResources) await messages.delete(resource.id, resource.outs);
    expect(harness.take()).toEqual([]);
    expectTwilioHolds(after, ["opened", "ack", "tracking"]);
  });

  it("a message another declared resource holds is not taken over: it is that one's", async () => {
    const { held, messageResources } = await legacy("legacy-shared", SEEDS.slice(0, 2));
    const { transport, conversations } = run();
    // A Message resource of the program, diffed before: it holds the first message.
    transport.claims.claim(messageResources[0].id, "hand-written-notice");
    const after = await up(conversations, held, withThread(held.inputs, SEEDS.slice(0, 2)));
    expect(shown(harness.take(), held).map(([method, urlPath]) => `${method} ${urlPath}`)).toEqual([
      "GET /v1/Conversations/CH/Messages",
      "POST /v1/Conversations/CH/Messages",
      "POST /v1/Conversations/CH/Messages",
    ]);
    expect(Object.values(sidsOf(after))).not.toContain(messageResources[0].id);
  });

  it("a message edited in the same change is re-created with those after it; the old ones are deleted with their resources", async () => {
    const { held, messageResources } = await legacy("legacy-edit", SEEDS.slice(0, 3));
    const news = withThread(held.inputs, [SEEDS[0], { ...SEEDS[1], body: "Edited in the upgrade" }, SEEDS[2]]);
    const { conversations, messages } = run();
    const after = await up(conversations, held, news);
    expect(shown(harness.take(), held).map(([method, urlPath]) => `${method} ${urlPath}`)).toEqual([
      "GET /v1/Conversations/CH/Messages",
      "POST /v1/Conversations/CH/Messages",
      "POST /v1/Conversations/CH/Messages",
    ]);
    expect(after.outs.messages.opened.sid).toBe(messageResources[0].id);
    for (const resource of messageResources) await messages.delete(resource.id, resource.outs);
    const old = { [messageResources[1].id]: "old-ack", [messageResources[2].id]: "old-tracking" };
    expect(shown(harness.take(), after, old).map(([method, urlPath]) => `${method} ${urlPath}`)).toEqual([
      "DELETE /v1/Conversations/CH/Messages/old-ack",
      "DELETE /v1/Conversations/CH/Messages/old-tracking",
    ]);
    expectTwilioHolds(after, ["opened", "ack", "tracking"]);
    expect(heldIn(held.id)[1].body).toBe("Edited in the upgrade");
  });

  it("a closed conversation's messages are taken over too: check lets the thread through, and nothing is sent to the conversation", async () => {
    const { held, messageResources } = await legacy("legacy-closed", SEEDS.slice(0, 2));
    // Closed after seeding, as the old check asked: in a later change.
    const closed = await up(run().conversations, held, { ...held.inputs, state: "closed" });
    harness.take();
    const news = { ...withThread(closed.inputs, SEEDS.slice(0, 2)), state: "closed" };
    const { messages: _none, ...outs } = closed.outs;
    const after = await up(run().conversations, { ...closed, outs }, news);
    expect(shown(harness.take(), held)).toEqual([["GET", "/v1/Conversations/CH/Messages", {}]]);
    expect(sidsOf(after)).toEqual({ opened: messageResources[0].id, ack: messageResources[1].id });
    expect(stateOf(held.id)).toBe("closed");
  });
});
