// A conversation group (grouped seeding) against the emulator, through its provider as the engine
// calls it: each member made, diffed, updated and deleted by the Conversation provider's own
// methods; one member's failure recorded with what every member made, and finished by the next `up`.
import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { RequestLogEntry } from "../../../emulator";
import { httpExchange } from "../../../provider/client/exchange";
import type { Transport } from "../../../provider/client/http";
import { fileJournal } from "../../../provider/client/intents";
import { DEFAULT_RETRY_POLICY } from "../../../provider/client/retry";
import { conversationGroupProvider, type GroupOutputs } from "../../../provider/resources/group-provider";
import { declaredThread } from "../../../provider/resources/thread-model";
import { expandMembers, recordOf } from "../../../provider/domain/member-records";
import { emulatorSettings, testTransport } from "../../support/transport";
import { useStackEmulator } from "./harness";

type Provider = Required<pulumi.dynamic.ResourceProvider>;
interface Held {
  id: string;
  outs: GroupOutputs;
}

const STACK = "groups";
const harness = useStackEmulator(STACK);
const exchange = httpExchange();

/** One `up`'s provider process: its own claims; the create journal is the stack's. */
function run(): Provider {
  const transport: Transport = testTransport({
    settings: emulatorSettings(harness.emulator),
    policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1, maxWriteMs: 200 },
    exchange,
    intents: fileJournal(harness.journal),
  });
  return conversationGroupProvider(() => transport) as Provider;
}

let counter = 0;
/** A member's inputs, as its own Conversation resource would register them. */
function member(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceName: name,
    stack: STACK,
    friendlyName: name,
    messages: declaredThread([
      { key: "hello", body: `hello from ${name}`, author: "ada" },
      { key: "bye", body: `bye from ${name}`, author: "ada" },
    ]),
    ...extra,
  };
}

/** A group's inputs, each member's as the program registers inputs that hold only values: their JSON text. */
function group(members: Record<string, Record<string, unknown>>): Record<string, unknown> {
  return { resourceName: `group-${++counter}`, stack: STACK, members: Object.fromEntries(Object.entries(members).map(([name, inputs]) => [name, JSON.stringify(inputs)])) };
}

/** What the engine does for one group in an `up`: check, then create, or diff and update on a change. */
async function up(provider: Provider, previous: Held | null, inputs: Record<string, unknown>): Promise<Held> {
  const checked = await provider.check({}, inputs);
  expect(checked.failures ?? []).toEqual([]);
  if (!previous) {
    const { id, outs } = await provider.create(checked.inputs!);
    return { id, outs: outs as GroupOutputs };
  }
  const diff = await provider.diff(previous.id, previous.outs, checked.inputs!);
  expect(diff.replaces ?? []).toEqual([]);
  if (!diff.changes) return previous;
  const { outs } = await provider.update(previous.id, previous.outs, checked.inputs!);
  return { id: previous.id, outs: outs as GroupOutputs };
}

const writes = (requests: RequestLogEntry[]) => requests.filter((request) => request.method !== "GET").map((request) => `${request.method} ${request.path.replace(/(CH|IM|MB)[0-9a-f]{32}/g, "$1")}`);
const held = (sid: string) => (harness.emulator.state().conversations as any[]).filter((conversation) => conversation.sid === sid);
const threadOf = (sid: string) => (harness.emulator.state().messages as any[]).filter((message) => message.conversation_sid === sid).map((message) => message.body);

/** Each member's record in full, as the group's provider methods read it (state holds them compact). */
const inFull = (outs: GroupOutputs) => expandMembers(outs.members, outs.shared);

describe("a conversation group", () => {
  it("creates each member with its thread, records it by logical name, and a second `up` sends nothing", async () => {
    const inputs = group({ alpha: member("alpha"), beta: member("beta"), gamma: member("gamma") });
    harness.take();
    const created = await up(run(), null, inputs);
    expect(Object.keys(created.outs.members)).toEqual(["alpha", "beta", "gamma"]);
    for (const name of ["alpha", "beta", "gamma"]) {
      const { id, outs } = inFull(created.outs)[name];
      expect(held(id)).toHaveLength(1);
      expect(outs.friendlyName).toBe(name);
      expect(outs.stack).toBe(STACK);
      expect(Object.keys(outs.messages ?? {})).toEqual(["hello", "bye"]);
      expect(threadOf(id)).toEqual([`hello from ${name}`, `bye from ${name}`]);
    }
    expect(writes(harness.take()).filter((write) => write === "POST /v1/Conversations")).toHaveLength(3);

    const again = await up(run(), created, inputs);
    expect(again).toBe(created);
    expect(writes(harness.take())).toEqual([]);
  });

  it("records members compact (what they share held once), and reads members recorded whole before: no write, and an edit sends that member's alone", async () => {
    const inputs = group({ alpha: member("alpha"), beta: member("beta") });
    const created = await up(run(), null, inputs);
    harness.take();
    expect(created.outs.shared?.values).toMatchObject({ stack: STACK, accountSid: harness.emulator.credentials.accountSid });
    const kept = created.outs.members.alpha;
    expect(typeof kept).toBe("string");
    expect(recordOf(kept).outs).not.toHaveProperty("accountSid");
    expect(recordOf(kept).outs).not.toHaveProperty("url");
    expect(inFull(created.outs).alpha.outs.url).toMatch(new RegExp(`/v1/Conversations/${recordOf(kept).id}$`));

    // State written before compaction: each member whole, no shared outputs.
    const whole: Held = { id: created.id, outs: { resourceName: created.outs.resourceName, members: inFull(created.outs) } };
    expect(await up(run(), whole, inputs)).toBe(whole);
    // Inputs registered as objects (before, or waiting on another resource's output) read the same.
    const asObjects = { ...inputs, members: { alpha: member("alpha"), beta: member("beta") } };
    expect(await up(run(), whole, asObjects)).toBe(whole);
    expect(await up(run(), created, asObjects)).toBe(created);
    expect(writes(harness.take())).toEqual([]);
    const edited = await up(run(), whole, { ...inputs, members: { ...(inputs.members as object), alpha: member("alpha", { friendlyName: "Alpha desk" }) } });
    expect(writes(harness.take())).toEqual(["POST /v1/Conversations/CH"]);
    expect(inFull(edited.outs).alpha.outs.friendlyName).toBe("Alpha desk");
    expect(inFull(edited.outs).beta).toEqual(inFull(created.outs).beta);
  });

  it("adding, editing and removing one member sends that member's writes alone", async () => {
    const inputs = group({ alpha: member("alpha"), beta: member("beta") });
    const created = await up(run(), null, inputs);
    harness.take();

    const added = await up(run(), created, { ...inputs, members: { ...(inputs.members as object), delta: member("delta") } });
    expect(writes(harness.take())).toEqual(["POST /v1/Conversations", "POST /v1/Conversations/CH/Messages", "POST /v1/Conversations/CH/Messages"]);
    expect(inFull(added.outs).alpha).toEqual(inFull(created.outs).alpha);

    const edited = await up(run(), added, { ...inputs, members: { alpha: member("alpha", { friendlyName: "Alpha desk" }), beta: member("beta"), delta: member("delta") } });
    expect(writes(harness.take())).toEqual(["POST /v1/Conversations/CH"]);
    expect(inFull(edited.outs).alpha.outs.friendlyName).toBe("Alpha desk");
    expect(held(inFull(edited.outs).alpha.id)[0].friendly_name).toBe("Alpha desk");

    const removed = await up(run(), edited, { ...inputs, members: { alpha: member("alpha", { friendlyName: "Alpha desk" }), delta: member("delta") } });
    expect(writes(harness.take())).toEqual(["DELETE /v1/Conversations/CH"]);
    expect(Object.keys(removed.outs.members)).toEqual(["alpha", "delta"]);
    expect(held(inFull(edited.outs).beta.id)).toEqual([]);

    await run().delete(removed.id, removed.outs);
    expect(writes(harness.take())).toEqual(["DELETE /v1/Conversations/CH", "DELETE /v1/Conversations/CH"]);
  });

  it("one member's failure keeps what every member made; the next `up` finishes it and makes nothing twice", async () => {
    const withParticipant = member("desk", { participants: { ada: { identity: "ada" } } });
    const inputs = group({ lobby: member("lobby"), desk: withParticipant, hall: member("hall") });
    harness.emulator.setFaults([{ method: "POST", path: "/Participants$", status: 500, count: 100 }]);
    let failure: any;
    await run()
      .create(inputs)
      .catch((error) => (failure = error));
    expect(failure).toBeInstanceOf(Error);
    expect(failure.message).toMatch(/1 of the group's conversations failed:\nconversation desk: conversation CH[0-9a-f]{32} was created, but/);
    expect(failure.message).toMatch(/run `pulumi up` again to finish/);
    const partial: Held = { id: failure.id, outs: failure.properties };
    expect(Object.keys(partial.outs.members).sort()).toEqual(["desk", "hall", "lobby"]);
    expect(inFull(partial.outs).desk.outs.participants).toEqual({});
    expect(inFull(partial.outs).desk.outs.messages ?? {}).toEqual({});
    expect(Object.keys(inFull(partial.outs).lobby.outs.messages ?? {})).toEqual(["hello", "bye"]);
    harness.emulator.clearFaults();
    harness.take();

    const finished = await up(run(), partial, inputs);
    expect(writes(harness.take())).toEqual(["POST /v1/Conversations/CH/Participants", "POST /v1/Conversations/CH/Messages", "POST /v1/Conversations/CH/Messages"]);
    for (const name of ["lobby", "desk", "hall"]) {
      const { id } = inFull(finished.outs)[name];
      expect(inFull(finished.outs)[name].id).toBe(inFull(partial.outs)[name].id);
      expect(threadOf(id)).toEqual([`hello from ${name}`, `bye from ${name}`]);
    }
    expect(Object.keys(inFull(finished.outs).desk.outs.participants ?? {})).toEqual(["ada"]);
  });

  it("journals each member's create under the key its own resource would have", async () => {
    const inputs = group({ journaled: member("journaled") });
    const created = await up(run(), null, inputs);
    const intent = fileJournal(harness.journal).get(`${STACK}/journaled`);
    expect(intent?.sid).toBe(inFull(created.outs).journaled.id);
    // The next run holds it (the group's state names it): its intent is closed.
    await up(run(), created, inputs);
    expect(fileJournal(harness.journal).get(`${STACK}/journaled`)).toBeNull();
  });

  it("check names a member's problem by its logical name", async () => {
    const checked = await run().check({}, group({ broken: member("broken", { state: "sleeping" }) }));
    expect(checked.failures?.map((failure) => failure.property)).toEqual(["members.broken.state"]);
  });

  it.each(["the giving group first", "the taking group first"])(
    "a member renamed into another group is taken over there and given away here, %s: no write, the same conversation and thread",
    async (order) => {
      const uniqueName = `desk-${counter}`;
      // Named apart from the other order's: the stack's journal keys a create by its resource's name.
      const desk = (name: string) => member(name, { resourceName: `${uniqueName}/${name}`, friendlyName: "Desk", uniqueName, messages: member("support").messages });
      const giving = group({ support: desk("support"), hall: member("hall") });
      const taking = group({ lobby: member("lobby") });
      const [gave, took] = [await up(run(), null, giving), await up(run(), null, taking)];
      const { id } = inFull(gave.outs).support;
      const messages = inFull(gave.outs).support.outs.messages;
      harness.take();

      // One `up`: one provider process for both groups.
      const provider = run();
      const givingNext = { ...giving, members: { hall: member("hall") }, renamedAway: { support: { to: "helpdesk", uniqueName } } };
      const takingNext = { ...taking, members: { lobby: member("lobby"), helpdesk: desk("helpdesk") }, renamedFrom: { helpdesk: "support" } };
      const [given, taken] =
        order === "the giving group first"
          ? [await up(provider, gave, givingNext), await up(provider, took, takingNext)]
          : await up(provider, took, takingNext).then(async (taken) => [await up(provider, gave, givingNext), taken]);

      expect(Object.keys(given.outs.members)).toEqual(["hall"]);
      expect(inFull(taken.outs).helpdesk.id).toBe(id);
      expect(inFull(taken.outs).helpdesk.outs.messages).toEqual(messages);
      expect(held(id)).toHaveLength(1);
      expect(threadOf(id)).toEqual(["hello from support", "bye from support"]);
      // Adopted by its unique name: nothing is written.
      expect(writes(harness.take())).toEqual([]);
    },
  );

  it("a member renamed into another group may change in the same up: the conversation is kept and changed, its thread continued", async () => {
    const uniqueName = `edited-${counter}`;
    const desk = (name: string, extra: Record<string, unknown> = {}) => member(name, { resourceName: `${uniqueName}/${name}`, friendlyName: "Desk", uniqueName, messages: member("support").messages, ...extra });
    const gave = await up(run(), null, group({ support: desk("support") }));
    const took = await up(run(), null, group({ lobby: member("lobby") }));
    const { id } = inFull(gave.outs).support;
    harness.take();
    const provider = run();
    const thread = declaredThread([
      { key: "hello", body: "hello from support", author: "ada" },
      { key: "bye", body: "bye from support", author: "ada" },
      { key: "later", body: "later", author: "ada" },
    ]);
    const taken = await up(provider, took, { resourceName: took.id, stack: STACK, members: { lobby: member("lobby"), helpdesk: desk("helpdesk", { friendlyName: "Help desk", messages: thread }) }, renamedFrom: { helpdesk: "support" } });
    await up(provider, gave, { resourceName: gave.id, stack: STACK, members: {}, renamedAway: { support: { to: "helpdesk", uniqueName } } });
    expect(inFull(taken.outs).helpdesk.id).toBe(id);
    expect(inFull(taken.outs).helpdesk.outs.friendlyName).toBe("Help desk");
    expect(threadOf(id)).toEqual(["hello from support", "bye from support", "later"]);
    expect(writes(harness.take())).toEqual(["POST /v1/Conversations/CH", "POST /v1/Conversations/CH/Messages"]);
  });

  it("refuses, before any request, to give away a member whose unique name is not the one the other group takes it over by", async () => {
    const giving = group({ support: member("support", { uniqueName: `kept-${counter}` }) });
    const gave = await up(run(), null, giving);
    harness.take();
    const next = { ...giving, members: {}, renamedAway: { support: { to: "helpdesk", uniqueName: "another" } } };
    await expect(run().diff(gave.id, gave.outs, next)).rejects.toThrow(/is renamed helpdesk, which another group takes over by its uniqueName: helpdesk declares uniqueName "another", and it holds "kept-/);
    expect(harness.take()).toEqual([]);
  });

  it("renames a member within the group: its record moves to the new name, with no write", async () => {
    const inputs = group({ support: member("support") });
    const created = await up(run(), null, inputs);
    const { id } = inFull(created.outs).support;
    harness.take();
    const renamed = await up(run(), created, { ...inputs, members: { hall: { ...member("support"), resourceName: "hall" } }, renamedFrom: { hall: "support" } });
    expect(Object.keys(renamed.outs.members)).toEqual(["hall"]);
    expect(inFull(renamed.outs).hall.id).toBe(id);
    expect(inFull(renamed.outs).hall.outs.resourceName).toBe("hall");
    expect(writes(harness.take())).toEqual([]);
  });
});
