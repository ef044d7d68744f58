// Every operation the emulator implements, driven through the official twilio client, with each
// response checked against the response schema of Twilio's OpenAPI spec.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../emulator";
import {
  ALL_CONVERSATION_OPERATIONS,
  ORACLE_MISSING_REASON,
  responseProblems,
  spec,
  specOperationFor,
  twilioClient,
  withEmulator,
  type Auth,
  type Exchange,
} from "./support";

const covered = new Set<string>();

function conformanceProblems(exchanges: Exchange[]): string[] {
  return exchanges.flatMap((exchange) => {
    if (exchange.operationId) covered.add(exchange.operationId);
    return responseProblems(exchange.method, new URL(exchange.url).pathname, exchange.status, exchange.body);
  });
}

describe.skipIf(!spec)(`contract through the twilio client (${spec ? "spec present" : ORACLE_MISSING_REASON})`, () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await withEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });

  describe.each<[Auth]>([["authToken"], ["apiKey"]])("authenticated with %s", (auth) => {
    it("configuration: fetch names the account and its default service", async () => {
      const { v1, exchanges } = twilioClient(emulator, auth);
      const configuration = await v1.configuration().fetch();
      expect(configuration.accountSid).toBe(emulator.credentials.accountSid);
      expect(configuration.defaultChatServiceSid).toBe(emulator.defaultServiceSid);
      expect(configuration.url).toBe(`${emulator.url}/v1/Configuration`);
      expect(conformanceProblems(exchanges)).toEqual([]);
    });

    it("services: create, fetch, list, delete", async () => {
      const { v1, exchanges } = twilioClient(emulator, auth);
      const service = await v1.services.create({ friendlyName: "support desk" });
      expect(service.sid).toMatch(/^IS[0-9a-f]{32}$/);
      expect(service.friendlyName).toBe("support desk");
      expect((await v1.services(service.sid).fetch()).sid).toBe(service.sid);
      const listed = await v1.services.list();
      expect(listed.map((s) => s.sid)).toContain(service.sid);
      expect(listed.map((s) => s.sid)).toContain(emulator.defaultServiceSid);
      expect(await v1.services(service.sid).remove()).toBe(true);
      await expect(v1.services(service.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
      expect(conformanceProblems(exchanges)).toEqual([]);
    });

    it("conversations on the default path: create, fetch by SID and unique name, update, list, delete", async () => {
      const { v1, exchanges } = twilioClient(emulator, auth);
      const name = `contract-${auth}`;
      const created = await v1.conversations.create({
        friendlyName: "Contract",
        uniqueName: name,
        attributes: JSON.stringify({ tier: "gold" }),
        messagingServiceSid: "MG" + "a".repeat(32),
        state: "active",
        "timers.inactive": "PT1M",
        "timers.closed": "PT10M",
        "bindings.email.address": "help@example.com",
        "bindings.email.name": "Help",
        xTwilioWebhookEnabled: "true",
      });
      expect(created.chatServiceSid).toBe(emulator.defaultServiceSid);
      expect(created.uniqueName).toBe(name);
      expect(created.attributes).toBe('{"tier":"gold"}');
      expect(Object.keys(created.timers as object).sort()).toEqual(["date_closed", "date_inactive"]);
      expect(created.bindings).toEqual({ email: { projected_address: "help@example.com", name: "Help" } });
      expect(created.url).toBe(`${emulator.url}/v1/Conversations/${created.sid}`);

      expect((await v1.conversations(created.sid).fetch()).uniqueName).toBe(name);
      expect((await v1.conversations(name).fetch()).sid).toBe(created.sid);
      const updated = await v1.conversations(name).update({ friendlyName: "Renamed", state: "inactive" });
      expect(updated.friendlyName).toBe("Renamed");
      expect(updated.state).toBe("inactive");
      const listed = await v1.conversations.list({ pageSize: 5 });
      expect(listed.map((c) => c.sid)).toContain(created.sid);
      expect(await v1.conversations(created.sid).remove({ xTwilioWebhookEnabled: "false" })).toBe(true);
      await expect(v1.conversations(created.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
      expect(conformanceProblems(exchanges)).toEqual([]);
    });

    it("conversations on the service path: create, fetch, update, list, delete", async () => {
      const { v1, exchanges } = twilioClient(emulator, auth);
      const service = await v1.services.create({ friendlyName: "scoped" });
      const scoped = v1.services(service.sid).conversations;
      const created = await scoped.create({ friendlyName: "Scoped", uniqueName: "shared-name" });
      expect(created.chatServiceSid).toBe(service.sid);
      expect(created.url).toBe(`${emulator.url}/v1/Services/${service.sid}/Conversations/${created.sid}`);
      expect(created.timers).toEqual({});
      expect(created.attributes).toBe("{}");
      expect((await v1.services(service.sid).conversations("shared-name").fetch()).sid).toBe(created.sid);
      const updated = await v1.services(service.sid).conversations(created.sid).update({ attributes: "[1,2]" });
      expect(updated.attributes).toBe("[1,2]");
      expect((await scoped.list()).map((c) => c.sid)).toEqual([created.sid]);
      // The same unique name in another service is a different conversation.
      const elsewhere = await v1.conversations.create({ uniqueName: `shared-name-${auth}` });
      expect(elsewhere.chatServiceSid).toBe(emulator.defaultServiceSid);
      expect(await v1.services(service.sid).conversations(created.sid).remove()).toBe(true);
      expect(await scoped.list()).toEqual([]);
      expect(conformanceProblems(exchanges)).toEqual([]);
    });

    it("messages on the default path: create, fetch, update, list asc/desc, delete", async () => {
      const { v1, exchanges } = twilioClient(emulator, auth);
      const conversation = await v1.conversations.create({ friendlyName: "messages" });
      const messages = v1.conversations(conversation.sid).messages;
      const first = await messages.create({ body: "hello", author: "alice", attributes: '{"a":1}', subject: "hi" });
      const second = await messages.create({ mediaSid: "ME" + "b".repeat(32) });
      const third = await messages.create({
        contentSid: "HX" + "c".repeat(32),
        contentVariables: '{"1":"Ada"}',
        body: "ignored",
        mediaSid: "ME" + "d".repeat(32),
        xTwilioWebhookEnabled: "true",
      });
      expect([first.index, second.index, third.index]).toEqual([0, 1, 2]);
      expect(first.author).toBe("alice");
      expect(second.author).toBe("system");
      expect(second.body).toBeNull();
      expect(second.media).toEqual([expect.objectContaining({ sid: "ME" + "b".repeat(32) })]);
      expect(third).toMatchObject({ body: null, media: null, contentSid: "HX" + "c".repeat(32) });
      expect(first.dateUpdated).toEqual(first.dateCreated);
      expect((await messages(first.sid).fetch()).body).toBe("hello");
      const edited = await messages(first.sid).update({ body: "hello again", attributes: "{}" });
      expect(edited.body).toBe("hello again");
      expect((await messages.list()).map((m) => m.index)).toEqual([0, 1, 2]);
      expect((await messages.list({ order: "desc" })).map((m) => m.index)).toEqual([2, 1, 0]);
      expect(await messages(second.sid).remove()).toBe(true);
      expect((await messages.list()).map((m) => m.sid)).toEqual([first.sid, third.sid]);
      expect(conformanceProblems(exchanges)).toEqual([]);
    });

    it("messages on the service path: create, fetch, update, list, delete", async () => {
      const { v1, exchanges } = twilioClient(emulator, auth);
      const service = await v1.services.create({ friendlyName: "scoped messages" });
      const conversation = await v1.services(service.sid).conversations.create({ uniqueName: "room" });
      const messages = v1.services(service.sid).conversations(conversation.sid).messages;
      const created = await messages.create({ body: "scoped hello" });
      expect(created.chatServiceSid).toBe(service.sid);
      expect(created.url).toBe(
        `${emulator.url}/v1/Services/${service.sid}/Conversations/${conversation.sid}/Messages/${created.sid}`,
      );
      expect((await messages(created.sid).fetch()).body).toBe("scoped hello");
      expect((await messages(created.sid).update({ author: "bob" })).author).toBe("bob");
      expect((await messages.list({ order: "asc" })).map((m) => m.sid)).toEqual([created.sid]);
      expect(await messages(created.sid).remove()).toBe(true);
      expect(await messages.list()).toEqual([]);
      expect(conformanceProblems(exchanges)).toEqual([]);
    });
  });

  it("labels every logged request with the operationId the spec gives its method and path", () => {
    const logged = emulator.requests().filter((entry) => entry.status < 400);
    expect(logged.length).toBeGreaterThan(40);
    for (const entry of logged) {
      expect(entry.operationId, `${entry.method} ${entry.path}`).toBe(specOperationFor(entry.method, entry.path)?.operationId);
    }
  });

  it("the schema check rejects bodies that break the spec", async () => {
    const { v1, exchanges } = twilioClient(emulator);
    const conversation = await v1.conversations.create({});
    await v1.conversations(conversation.sid).messages.create({ body: "x" });
    const [conversationBody, messageBody] = exchanges.map((exchange) => exchange.body as Record<string, unknown>);
    const path = new URL(exchanges[1].url).pathname;
    expect(responseProblems("POST", "/v1/Conversations", 201, conversationBody)).toEqual([]);
    expect(responseProblems("POST", "/v1/Conversations", 201, { ...conversationBody, state: "open" })).not.toEqual([]);
    expect(responseProblems("POST", "/v1/Conversations", 201, { ...conversationBody, sid: "CH1" })).not.toEqual([]);
    expect(responseProblems("POST", path, 201, { ...messageBody, chat_service_sid: emulator.defaultServiceSid })).not.toEqual([]);
    const { index: _index, ...withoutIndex } = messageBody;
    expect(responseProblems("POST", path, 201, withoutIndex)).not.toEqual([]);
  });

  it("covered every operation the emulator implements", () => {
    expect([...covered].sort()).toEqual([...ALL_CONVERSATION_OPERATIONS].sort());
  });
});
