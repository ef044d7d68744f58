// Conversation Participants on both path families, driven through the official twilio client, with
// every response checked against the participant schemas of Twilio's OpenAPI spec; the rules and
// error codes of emulator/README.md ("Participants"), one case each; the state file.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ParticipantListInstance } from "twilio/lib/rest/conversations/v1/conversation/participant";
import type { RunningEmulator } from "../../../emulator";
import { journalPath } from "../../../emulator/state-file";
import {
  ORACLE_MISSING_REASON,
  expectTwilioError,
  raw,
  responseProblems,
  spec,
  twilioClient,
  withEmulator,
  type Exchange,
} from "./support";

const PARTICIPANT_OPERATIONS = ["Create", "Fetch", "Update", "Delete", "List"].flatMap((verb) => [
  `${verb}ConversationParticipant`,
  `${verb}ServiceConversationParticipant`,
]);

const ROLE = "RL" + "a".repeat(32);

/** What is wrong with the client's responses against the spec; empty when every one conforms. */
const conformanceProblems = (exchanges: Exchange[]) =>
  exchanges.flatMap(({ method, url, status, body }) => responseProblems(method, new URL(url).pathname, status, body));

/** A RestException from the twilio client with this status and Twilio code. */
async function expectRefused(promise: Promise<unknown>, status: number, code: number): Promise<void> {
  await expect(promise).rejects.toMatchObject({ status, code, moreInfo: `https://www.twilio.com/docs/errors/${code}` });
}

type Family = "default" | "scoped";

let emulator: RunningEmulator;

/** The client's participant list of a new conversation on the given path family, and where it lives. */
async function newConversation(family: Family, form: Record<string, unknown> = {}) {
  const { v1, exchanges } = twilioClient(emulator);
  if (family === "default") {
    const conversation = await v1.conversations.create(form);
    const context = v1.conversations(conversation.sid);
    return {
      v1,
      exchanges,
      conversation,
      participants: context.participants as ParticipantListInstance,
      base: `/v1/Conversations/${conversation.sid}`,
      serviceSid: undefined as string | undefined,
    };
  }
  const service = await v1.services.create({ friendlyName: "participants" });
  const conversation = await v1.services(service.sid).conversations.create(form);
  const context = v1.services(service.sid).conversations(conversation.sid);
  return {
    v1,
    exchanges,
    conversation,
    // The service-scoped list has the same calls; its instances also carry chatServiceSid.
    participants: context.participants as unknown as ParticipantListInstance,
    base: `/v1/Services/${service.sid}/Conversations/${conversation.sid}`,
    serviceSid: service.sid,
  };
}

const sms = (address: string, proxyAddress: string) => ({
  "messagingBinding.address": address,
  "messagingBinding.proxyAddress": proxyAddress,
});

describe.skipIf(!spec)(`participants through the twilio client (${spec ? "spec present" : ORACLE_MISSING_REASON})`, () => {
  beforeAll(async () => {
    emulator = await withEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });

  describe.each<[Family]>([["default"], ["scoped"]])("on the %s path", (family) => {
    it("creates chat, SMS and WhatsApp participants, fetches by SID and identity, updates, lists and deletes", async () => {
      const { participants, exchanges, conversation, base, serviceSid } = await newConversation(family);
      const chat = await participants.create({ identity: "alice", attributes: '{"role":"agent"}', roleSid: ROLE, xTwilioWebhookEnabled: "true" });
      expect(chat).toMatchObject({
        identity: "alice",
        attributes: '{"role":"agent"}',
        messagingBinding: null,
        roleSid: ROLE,
        conversationSid: conversation.sid,
        lastReadMessageIndex: null,
        lastReadTimestamp: null,
        url: `${emulator.url}${base}/Participants/${chat.sid}`,
      });
      expect(chat.sid).toMatch(/^MB[0-9a-f]{32}$/);
      expect(chat.dateUpdated).toEqual(chat.dateCreated);
      // Only the service-scoped schema has chat_service_sid.
      if (family === "scoped") expect((chat as any).chatServiceSid).toBe(serviceSid);
      else expect((chat as any).chatServiceSid).toBeUndefined();

      // Bindings are account-wide: each family uses numbers of its own.
      const n = family === "default" ? "0" : "1";
      const phone = await participants.create(sms(`+1555867531${n}`, `+1501712266${n}`));
      expect(phone).toMatchObject({
        identity: null,
        attributes: "{}",
        roleSid: null,
        messagingBinding: { type: "sms", address: `+1555867531${n}`, proxy_address: `+1501712266${n}` },
      });
      const whatsapp = await participants.create(sms(`whatsapp:+1555867532${n}`, `whatsapp:+1501712266${n}`));
      expect(whatsapp.messagingBinding).toEqual({
        type: "whatsapp",
        address: `whatsapp:+1555867532${n}`,
        proxy_address: `whatsapp:+1501712266${n}`,
      });

      expect((await participants(chat.sid).fetch()).identity).toBe("alice");
      expect((await participants("alice").fetch()).sid).toBe(chat.sid);
      const changes = {
        attributes: '{"role":"lead"}',
        roleSid: "RL" + "b".repeat(32),
        dateCreated: new Date("2024-01-31T12:00:00Z"),
        dateUpdated: new Date("2024-02-01T08:30:00Z"),
        lastReadMessageIndex: 3,
        lastReadTimestamp: "2024-02-01T08:29:00Z",
      };
      const updated = await participants(chat.sid).update({ ...changes, xTwilioWebhookEnabled: "false" });
      expect(updated).toMatchObject({ identity: "alice", ...changes });

      expect((await participants.list()).map((p) => p.sid)).toEqual([chat.sid, phone.sid, whatsapp.sid]);
      expect(await participants(phone.sid).remove({ xTwilioWebhookEnabled: "true" })).toBe(true);
      await expectRefused(participants(phone.sid).fetch(), 404, 20404);
      expect((await participants.list()).map((p) => p.sid)).toEqual([chat.sid, whatsapp.sid]);
      expect(conformanceProblems(exchanges)).toEqual([]);
    });

    it("creates Group MMS participants: a mobile number alone, a chat identity with a projected address, a bare projected address", async () => {
      const { participants, exchanges } = await newConversation(family);
      const mobile = await participants.create({ "messagingBinding.address": "+15558675310" });
      expect(mobile.messagingBinding).toEqual({ type: "sms", address: "+15558675310" });
      const agent = await participants.create({ identity: "agent", "messagingBinding.projectedAddress": "+15017122661" });
      expect(agent).toMatchObject({ identity: "agent", messagingBinding: { type: "sms", projected_address: "+15017122661" } });
      const number = await participants.create({ "messagingBinding.projectedAddress": "+15017122662" });
      expect(number).toMatchObject({ identity: null, messagingBinding: { type: "sms", projected_address: "+15017122662" } });
      // A bare projected address can take an identity; then no more (50444).
      expect((await participants(number.sid).update({ identity: "late-agent" })).identity).toBe("late-agent");
      await expectRefused(participants(number.sid).update({ identity: "other" }), 400, 50444);
      expect(conformanceProblems(exchanges)).toEqual([]);
    });

    it("pages the list in creation order with followable next and previous page URLs", async () => {
      const { participants, exchanges, base } = await newConversation(family);
      const sids: string[] = [];
      for (let i = 0; i < 5; i++) sids.push((await participants.create({ identity: `user-${i}` })).sid);
      const first = await participants.page({ pageSize: 2 });
      expect(first.instances.map((p) => p.sid)).toEqual(sids.slice(0, 2));
      expect(first.nextPageUrl).toMatch(new RegExp(`^${emulator.url}${base}/Participants\\?PageSize=2&Page=1&PageToken=`));
      const second = await first.nextPage();
      expect(second!.instances.map((p) => p.sid)).toEqual(sids.slice(2, 4));
      // A participant deleted between pages does not shift the next one.
      await participants(sids[4]).remove();
      const created = await participants.create({ identity: "user-5" });
      const third = await second!.nextPage();
      expect(third!.instances.map((p) => p.sid)).toEqual([created.sid]);
      expect(third!.nextPageUrl).toBeUndefined();
      const back = await second!.previousPage();
      expect(back!.instances.map((p) => p.sid)).toEqual(sids.slice(0, 2));
      expect((await participants.list({ pageSize: 2 })).map((p) => p.sid)).toEqual([...sids.slice(0, 4), created.sid]);
      const page = await raw(emulator, "GET", `${base}/Participants?PageSize=2`);
      expect(page.body.meta).toMatchObject({ key: "participants", page: 0, page_size: 2, previous_page_url: null });
      expect(responseProblems("GET", `${base}/Participants`, 200, page.body)).toEqual([]);
      expect(conformanceProblems(exchanges)).toEqual([]);
    });

    it("refuses the same identity twice in a conversation (409 / 50433) but not in another", async () => {
      const { participants } = await newConversation(family);
      await participants.create({ identity: "alice" });
      await expectRefused(participants.create({ identity: "alice" }), 409, 50433);
      const other = await newConversation(family);
      expect((await other.participants.create({ identity: "alice" })).identity).toBe("alice");
    });
  });

  it("refuses a binding held in a conversation that is not closed, in any service (409 / 50416); a closed one, a removed participant or a deleted conversation frees it", async () => {
    const first = await newConversation("default");
    const pair = sms("+15550000001", "+15017120001");
    const held = await first.participants.create(pair);
    // The same pair twice in one conversation, and in another one, on either path family.
    const twice = raw(emulator, "POST", `${first.base}/Participants`, {
      "MessagingBinding.Address": "+15550000001",
      "MessagingBinding.ProxyAddress": "+15017120001",
    });
    const refused = await twice;
    expectTwilioError(refused, 409, 50416);
    expect(refused.body.message).toBe(`A binding for this participant and proxy address already exists in Conversation ${first.conversation.sid}`);
    const second = await newConversation("scoped");
    await expectRefused(second.participants.create(pair), 409, 50416);
    // The same address with another proxy address is another binding.
    expect((await second.participants.create(sms("+15550000001", "+15017120002"))).sid).toMatch(/^MB/);

    // An inactive conversation still holds it; a closed one does not.
    await first.v1.conversations(first.conversation.sid).update({ state: "inactive" });
    await expectRefused(second.participants.create(pair), 409, 50416);
    await first.v1.conversations(first.conversation.sid).update({ state: "closed" });
    const moved = await second.participants.create(pair);
    // Removing the participant frees it, as deleting its conversation does.
    const third = await newConversation("default");
    await expectRefused(third.participants.create(pair), 409, 50416);
    await second.participants(moved.sid).remove();
    const again = await third.participants.create(pair);
    const fourth = await newConversation("default");
    await expectRefused(fourth.participants.create(pair), 409, 50416);
    await third.v1.conversations(third.conversation.sid).remove();
    expect((await fourth.participants.create(pair)).messagingBinding).toEqual({ type: "sms", ...{ address: "+15550000001", proxy_address: "+15017120001" } });
    expect(held.sid).not.toBe(again.sid);
  });

  it("refuses Group MMS twins (409 / 50437): the same mobile number, the same bare projected address, two chat identities with projected addresses", async () => {
    const { participants } = await newConversation("default");
    await participants.create({ "messagingBinding.address": "+15550000010" });
    await expectRefused(participants.create({ "messagingBinding.address": "+15550000010" }), 409, 50437);
    await participants.create({ "messagingBinding.projectedAddress": "+15017120010" });
    await expectRefused(participants.create({ "messagingBinding.projectedAddress": "+15017120010" }), 409, 50437);
    await participants.create({ identity: "agent", "messagingBinding.projectedAddress": "+15017120011" });
    await expectRefused(participants.create({ identity: "agent", "messagingBinding.projectedAddress": "+15017120012" }), 409, 50437);
  });

  describe("validation on create", () => {
    let base: string;
    beforeEach(async () => {
      base = (await newConversation("default")).base;
    });
    const create = (form: Record<string, string>) => raw(emulator, "POST", `${base}/Participants`, form);

    it.each<[string, Record<string, string>, number, number]>([
      ["Identity with an address (50211)", { Identity: "a", "MessagingBinding.Address": "+15550000001" }, 400, 50211],
      ["Identity with a proxy address (50211)", { Identity: "a", "MessagingBinding.ProxyAddress": "+15017122661" }, 400, 50211],
      ["an address that is not a phone number (50407)", { "MessagingBinding.Address": "555-0100", "MessagingBinding.ProxyAddress": "+15017122661" }, 400, 50407],
      ["an unknown channel (50407)", { "MessagingBinding.Address": "fax:+15550000001", "MessagingBinding.ProxyAddress": "+15017122661" }, 400, 50407],
      ["an address over 256 characters (50407)", { "MessagingBinding.Address": `messenger:${"a".repeat(250)}`, "MessagingBinding.ProxyAddress": "messenger:page" }, 400, 50407],
      ["a proxy address that is not a phone number (50408)", { "MessagingBinding.Address": "+15550000001", "MessagingBinding.ProxyAddress": "twilio" }, 400, 50408],
      ["a proxy address on another channel (50408)", { "MessagingBinding.Address": "whatsapp:+15550000001", "MessagingBinding.ProxyAddress": "+15017122661" }, 400, 50408],
      ["the address as its own proxy (50409)", { "MessagingBinding.Address": "+15550000001", "MessagingBinding.ProxyAddress": "+15550000001" }, 400, 50409],
      ["an empty address (50411)", { "MessagingBinding.Address": "", "MessagingBinding.ProxyAddress": "+15017122661" }, 400, 50411],
      ["a proxy address without an address (50411)", { "MessagingBinding.ProxyAddress": "+15017122661" }, 400, 50411],
      ["an empty proxy address (50412)", { "MessagingBinding.Address": "+15550000001", "MessagingBinding.ProxyAddress": "" }, 400, 50412],
      ["a WhatsApp address without a proxy address (50412)", { "MessagingBinding.Address": "whatsapp:+15550000001" }, 400, 50412],
      ["an address with a projected address (50443)", { "MessagingBinding.Address": "+15550000001", "MessagingBinding.ProjectedAddress": "+15017122661" }, 400, 50443],
      ["Attributes that are not JSON (50304)", { Identity: "a", Attributes: "{" }, 400, 50304],
      ["Attributes over 4 KB (50303)", { Identity: "a", Attributes: JSON.stringify("x".repeat(4096)) }, 400, 50303],
      ["neither Identity nor an address", { Attributes: "{}" }, 400, 400],
      ["an empty Identity", { Identity: "" }, 400, 400],
      ["an Identity over 256 characters", { Identity: "a".repeat(257) }, 400, 400],
      ["a RoleSid that is not RL…", { Identity: "a", RoleSid: "RL123" }, 400, 400],
      ["a projected address that is not a +1 number", { Identity: "a", "MessagingBinding.ProjectedAddress": "+447700900123" }, 400, 400],
      ["a Group MMS mobile number that is not +1", { "MessagingBinding.Address": "+447700900123" }, 400, 400],
      ["a bad DateCreated", { Identity: "a", DateCreated: "yesterday" }, 400, 400],
    ])("refuses %s", async (_case, form, status, code) => {
      expectTwilioError(await create(form), status, code);
      expect((await raw(emulator, "GET", `${base}/Participants`)).body.participants).toEqual([]);
    });

    it("accepts an Identity of exactly 256 characters and ignores unknown fields", async () => {
      const created = await create({ Identity: "a".repeat(256), "MessagingBinding.Type": "sms", Unknown: "x" });
      expect(created.status).toBe(201);
      expect(created.body.identity).toHaveLength(256);
    });
  });

  describe("updates Twilio allows and the ones it refuses", () => {
    it("adds and removes a proxy address (50441 / 50440), a projected address (50443 / 50442) and an identity (50444)", async () => {
      const { participants, exchanges } = await newConversation("default");
      const mobile = await participants.create({ "messagingBinding.address": "+15550000020" });
      const paired = await participants(mobile.sid).update({ "messagingBinding.proxyAddress": "+15017120020" });
      expect(paired.messagingBinding).toEqual({ type: "sms", address: "+15550000020", proxy_address: "+15017120020" });
      // Sending the proxy address it already has is refused too.
      await expectRefused(participants(mobile.sid).update({ "messagingBinding.proxyAddress": "+15017120020" }), 400, 50441);
      expect((await participants(mobile.sid).update({ "messagingBinding.proxyAddress": "null" })).messagingBinding).toEqual({ type: "sms", address: "+15550000020" });
      await expectRefused(participants(mobile.sid).update({ "messagingBinding.proxyAddress": "null" }), 400, 50440);
      await expectRefused(participants(mobile.sid).update({ "messagingBinding.proxyAddress": "+15550000020" }), 400, 50409);

      const chat = await participants.create({ identity: "carol" });
      await expectRefused(participants(chat.sid).update({ "messagingBinding.proxyAddress": "+15017120021" }), 400, 50441);
      await expectRefused(participants(chat.sid).update({ "messagingBinding.proxyAddress": "null" }), 400, 50440);
      await expectRefused(participants(chat.sid).update({ "messagingBinding.projectedAddress": "null" }), 400, 50442);
      // A chat participant without a projected address can't take an identity, nor one that has one.
      await expectRefused(participants(chat.sid).update({ identity: "caroline" }), 400, 50444);
      const projected = await participants(chat.sid).update({ "messagingBinding.projectedAddress": "+15017120022" });
      expect(projected.messagingBinding).toEqual({ type: "sms", projected_address: "+15017120022" });
      await expectRefused(participants(chat.sid).update({ identity: "caroline" }), 400, 50444);
      await expectRefused(participants(chat.sid).update({ "messagingBinding.projectedAddress": "+15017120023" }), 400, 50443);
      await expectRefused(participants(mobile.sid).update({ "messagingBinding.projectedAddress": "+15017120023" }), 400, 50443);
      expect((await participants(chat.sid).update({ "messagingBinding.projectedAddress": "null" })).messagingBinding).toBeNull();

      const whatsapp = await participants.create(sms("whatsapp:+15550000021", "whatsapp:+15017120021"));
      await expectRefused(participants(whatsapp.sid).update({ "messagingBinding.proxyAddress": "null" }), 400, 50440);
      // An identity taken in the conversation can't be given to another participant.
      const number = await participants.create({ "messagingBinding.projectedAddress": "+15017120024" });
      await expectRefused(participants(number.sid).update({ identity: "carol" }), 409, 50433);
      expect(conformanceProblems(exchanges)).toEqual([]);
    });

    it("checks the binding a new proxy address makes (409 / 50416), clears LastReadMessageIndex and RoleSid, and leaves what is not sent", async () => {
      const { participants, base } = await newConversation("default");
      const other = await newConversation("default");
      await other.participants.create(sms("+15550000030", "+15017120030"));
      const mobile = await participants.create({ "messagingBinding.address": "+15550000030", attributes: '{"a":1}' });
      await expectRefused(participants(mobile.sid).update({ "messagingBinding.proxyAddress": "+15017120030" }), 409, 50416);
      const read = await participants(mobile.sid).update({ lastReadMessageIndex: 7, roleSid: ROLE });
      expect(read).toMatchObject({ lastReadMessageIndex: 7, roleSid: ROLE, attributes: '{"a":1}' });
      const cleared = await raw(emulator, "POST", `${base}/Participants/${mobile.sid}`, { LastReadMessageIndex: "", RoleSid: "", LastReadTimestamp: "" });
      expect(cleared.body).toMatchObject({ last_read_message_index: null, role_sid: null, last_read_timestamp: null, attributes: '{"a":1}' });
      for (const value of ["-1", "1.5", "x"]) {
        expectTwilioError(await raw(emulator, "POST", `${base}/Participants/${mobile.sid}`, { LastReadMessageIndex: value }), 400, 400);
      }
      expectTwilioError(await raw(emulator, "POST", `${base}/Participants/${mobile.sid}`, { Attributes: "nope" }), 400, 50304);
    });
  });

  it("answers 404 / 20404 for an unknown participant or conversation; identity names a participant only on fetch", async () => {
    const { participants, base } = await newConversation("default");
    const alice = await participants.create({ identity: "alice" });
    await expectRefused(participants("MB" + "0".repeat(32)).fetch(), 404, 20404);
    await expectRefused(participants("nobody").fetch(), 404, 20404);
    await expectRefused(participants("alice").update({ attributes: "{}" }), 404, 20404);
    await expectRefused(participants("alice").remove(), 404, 20404);
    const { v1 } = twilioClient(emulator);
    await expectRefused(v1.conversations("CH" + "0".repeat(32)).participants.list(), 404, 20404);
    await expectRefused(v1.conversations("CH" + "0".repeat(32)).participants.create({ identity: "x" }), 404, 20404);
    // A participant of one conversation is not found through another.
    const other = await newConversation("default");
    await expectRefused(other.participants(alice.sid).fetch(), 404, 20404);
    expectTwilioError(await raw(emulator, "PUT", `${base}/Participants/${alice.sid}`), 405, 20004);
  });

  it("refuses writes in a closed conversation (50377) but still deletes; a new participant reactivates an inactive one", async () => {
    const { v1, participants, conversation } = await newConversation("default", { state: "inactive" });
    const alice = await participants.create({ identity: "alice" });
    expect((await v1.conversations(conversation.sid).fetch()).state).toBe("active");
    await v1.conversations(conversation.sid).update({ state: "closed" });
    await expectRefused(participants.create({ identity: "bob" }), 400, 50377);
    await expectRefused(participants(alice.sid).update({ attributes: "{}" }), 400, 50377);
    expect((await participants(alice.sid).fetch()).identity).toBe("alice");
    expect(await participants(alice.sid).remove()).toBe(true);
  });

  it("starts the conversation's timers again when a participant joins, as a message does", async () => {
    const { v1, participants, conversation } = await newConversation("default", { state: "active", "timers.inactive": "PT1M" });
    emulator.clock.advance(50_000);
    await participants.create({ identity: "late" });
    emulator.clock.advance(50_000);
    expect((await v1.conversations(conversation.sid).fetch()).state).toBe("active");
    emulator.clock.advance(15_000);
    expect((await v1.conversations(conversation.sid).fetch()).state).toBe("inactive");
  });

  it("limits a Group MMS conversation to 10 participants (50436), and any to 50 non-chat (50418) and 1000 in all (50417)", async () => {
    const group = await newConversation("default");
    await group.participants.create({ identity: "agent", "messagingBinding.projectedAddress": "+15017129999" });
    for (let i = 1; i < 10; i++) await group.participants.create({ "messagingBinding.address": `+1555000${String(i).padStart(4, "0")}` });
    await expectRefused(group.participants.create({ identity: "eleventh" }), 400, 50436);

    const { base } = await newConversation("default");
    const add = (form: Record<string, string>) => raw(emulator, "POST", `${base}/Participants`, form);
    const phones = await Promise.all(
      Array.from({ length: 50 }, (_, i) => add({ "MessagingBinding.Address": `+1555100${String(i).padStart(4, "0")}`, "MessagingBinding.ProxyAddress": "+15017120100" })),
    );
    expect(phones.map((r) => r.status)).toEqual(Array(50).fill(201));
    expectTwilioError(await add({ "MessagingBinding.Address": "+15551009999", "MessagingBinding.ProxyAddress": "+15017120100" }), 400, 50418);
    for (let batch = 0; batch < 19; batch++) {
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => add({ Identity: `chat-${batch}-${i}` })));
      expect(answers.every((r) => r.status === 201)).toBe(true);
    }
    expectTwilioError(await add({ Identity: "one-too-many" }), 400, 50417);
    expect((await raw(emulator, "GET", `${base}/Participants?PageSize=100`)).body.participants).toHaveLength(100);
  }, 60_000);

  it("accepts X-Twilio-Webhook-Enabled on create, update and delete, and logs it with the request", async () => {
    const { participants } = await newConversation("scoped");
    const logged = emulator.requests().length;
    const alice = await participants.create({ identity: "alice", xTwilioWebhookEnabled: "true" });
    await participants(alice.sid).update({ attributes: "{}", xTwilioWebhookEnabled: "false" });
    await participants(alice.sid).remove({ xTwilioWebhookEnabled: "true" });
    expect(emulator.requests().slice(logged).map((entry) => [entry.operationId, entry.status, entry.headers["x-twilio-webhook-enabled"]])).toEqual([
      ["CreateServiceConversationParticipant", 201, "true"],
      ["UpdateServiceConversationParticipant", 200, "false"],
      ["DeleteServiceConversationParticipant", 204, "true"],
    ]);
  });

  it("deletes a conversation's participants with it, and a service's with its conversations; the admin state shows them", async () => {
    const { v1, participants, conversation } = await newConversation("default");
    const alice = await participants.create({ identity: "alice" });
    await participants.create(sms("+15550000040", "+15017120040"));
    const state = (await (await fetch(`${emulator.url}/__emulator/state`)).json()) as { participants: any[] };
    expect(state.participants.filter((p: any) => p.conversation_sid === conversation.sid)).toEqual([
      expect.objectContaining({ sid: alice.sid, identity: "alice", chat_service_sid: emulator.defaultServiceSid }),
      expect.objectContaining({ messaging_binding: { type: "sms", address: "+15550000040", proxy_address: "+15017120040" } }),
    ]);
    await v1.conversations(conversation.sid).remove();
    expect((emulator.state().participants as any[]).filter((p) => p.conversation_sid === conversation.sid)).toEqual([]);

    const scoped = await newConversation("scoped");
    await scoped.participants.create({ identity: "bob" });
    await v1.services(scoped.serviceSid!).remove();
    expect((emulator.state().participants as any[]).filter((p) => p.conversation_sid === scoped.conversation.sid)).toEqual([]);
  });

  it("answered every participant operation of both families", () => {
    const answered = new Set(emulator.requests().filter((entry) => entry.status < 400).map((entry) => entry.operationId));
    expect(PARTICIPANT_OPERATIONS.filter((operationId) => !answered.has(operationId))).toEqual([]);
  });
});

describe("participant writes under --aps-limits", () => {
  let limited: RunningEmulator;
  afterEach(async () => {
    await limited?.close();
  });

  it("counts participant creates, updates and deletes against the conversation's 30 per second (429 / 20429)", async () => {
    limited = await withEmulator({ apsLimits: true });
    const a = (await raw(limited, "POST", "/v1/Conversations", {})).body;
    const b = (await raw(limited, "POST", "/v1/Conversations", {})).body;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => raw(limited, "POST", `/v1/Conversations/${a.sid}/Participants`, { Identity: `user-${i}` })),
    );
    const refused = answers.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expectTwilioError(refused[0], 429, 20429);
    expect(limited.state().participants).toHaveLength(40 - refused.length);
    // Another conversation has its own budget; reads are never limited.
    expect((await raw(limited, "POST", `/v1/Conversations/${b.sid}/Participants`, { Identity: "other" })).status).toBe(201);
    expect((await raw(limited, "GET", `/v1/Conversations/${a.sid}/Participants`)).status).toBe(200);
  });

  it("is off without the flag", async () => {
    limited = await withEmulator();
    const a = (await raw(limited, "POST", "/v1/Conversations", {})).body;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => raw(limited, "POST", `/v1/Conversations/${a.sid}/Participants`, { Identity: `user-${i}` })),
    );
    expect(answers.every((r) => r.status === 201)).toBe(true);
  });
});

describe("participants in the state file", () => {
  const freshPath = () => path.join(mkdtempSync(path.join(tmpdir(), "emulator-participants-")), "state.json");
  const participantsOf = async (running: RunningEmulator, base: string) =>
    JSON.stringify((await raw(running, "GET", `${base}/Participants`)).body.participants).replaceAll(running.url, "<origin>");

  it("keeps participants, their updates and deletes across a restart and a replayed journal, with the binding rule intact", async () => {
    const stateFile = freshPath();
    const first = await withEmulator({ stateFile });
    const conversation = (await raw(first, "POST", "/v1/Conversations", { UniqueName: "kept" })).body;
    const base = `/v1/Conversations/${conversation.sid}`;
    const alice = (await raw(first, "POST", `${base}/Participants`, { Identity: "alice", Attributes: '{"a":1}' })).body;
    await raw(first, "POST", `${base}/Participants`, { "MessagingBinding.Address": "+15550000050", "MessagingBinding.ProxyAddress": "+15017120050" });
    const gone = (await raw(first, "POST", `${base}/Participants`, { Identity: "gone" })).body;
    await raw(first, "POST", `${base}/Participants/${alice.sid}`, { LastReadMessageIndex: "4", RoleSid: ROLE });
    await raw(first, "DELETE", `${base}/Participants/${gone.sid}`);
    const journal = readFileSync(journalPath(stateFile), "utf8");
    expect(journal).toMatch(new RegExp(`\\["participants",\\{[^\\]]*"sid":"${alice.sid}"`));
    expect(journal).toContain(`"deleted":["${gone.sid}"]`);
    const before = await participantsOf(first, base);

    // As if killed here: the snapshot from the start plus the journal.
    const killed = freshPath();
    copyFileSync(stateFile, killed);
    copyFileSync(journalPath(stateFile), journalPath(killed));
    await first.close();
    for (const file of [stateFile, killed]) {
      const restarted = await withEmulator({ stateFile: file });
      try {
        expect(await participantsOf(restarted, base)).toBe(before);
        expect((await raw(restarted, "GET", `${base}/Participants/alice`)).body.last_read_message_index).toBe(4);
        const other = (await raw(restarted, "POST", "/v1/Conversations", {})).body;
        expectTwilioError(
          await raw(restarted, "POST", `/v1/Conversations/${other.sid}/Participants`, {
            "MessagingBinding.Address": "+15550000050",
            "MessagingBinding.ProxyAddress": "+15017120050",
          }),
          409,
          50416,
        );
        expectTwilioError(await raw(restarted, "POST", `${base}/Participants`, { Identity: "alice" }), 409, 50433);
      } finally {
        await restarted.close();
      }
    }
  });

  it("loads a state file written before participants were kept", async () => {
    const stateFile = freshPath();
    const first = await withEmulator({ stateFile });
    const conversation = (await raw(first, "POST", "/v1/Conversations", {})).body;
    await first.close();
    const saved = JSON.parse(readFileSync(stateFile, "utf8"));
    delete saved.participants;
    writeFileSync(stateFile, JSON.stringify(saved));
    const second = await withEmulator({ stateFile });
    try {
      expect((await raw(second, "GET", `/v1/Conversations/${conversation.sid}/Participants`)).body.participants).toEqual([]);
      expect((await raw(second, "POST", `/v1/Conversations/${conversation.sid}/Participants`, { Identity: "new" })).status).toBe(201);
    } finally {
      await second.close();
    }
  });
});
