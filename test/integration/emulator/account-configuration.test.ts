// The account's Conversations configuration (/v1/Configuration) and webhook configuration
// (/v1/Configuration/Webhooks), through the official twilio client, with every response checked
// against the spec's response schema; each refusal with its code; the state dump and the state file.
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadStateFile } from "../../../emulator/state-file";
import { ORACLE_MISSING_REASON, exchangeProblems, expectTwilioError, raw, sharedEmulator, spec, temporaryStateFile, twilioClient, withEmulator } from "./support";

const emulator = sharedEmulator();
const MESSAGING_SERVICE = "MG" + "a".repeat(32);

describe.skipIf(!spec)(`account configuration through the twilio client (${spec ? "spec present" : ORACLE_MISSING_REASON})`, () => {
  it("fetches the defaults: the default service, no messaging service, no timers", async () => {
    const { v1, exchanges } = twilioClient(emulator);
    const configuration = await v1.configuration().fetch();
    expect(configuration).toMatchObject({
      accountSid: emulator.credentials.accountSid,
      defaultChatServiceSid: emulator.defaultServiceSid,
      defaultMessagingServiceSid: null,
      defaultInactiveTimer: null,
      defaultClosedTimer: null,
      url: `${emulator.url}/v1/Configuration`,
      links: {
        service: `${emulator.url}/v1/Services/${emulator.defaultServiceSid}/Configuration`,
        webhooks: `${emulator.url}/v1/Configuration/Webhooks`,
      },
    });
    expect(exchangeProblems(exchanges)).toEqual([]);
  });

  it("updates every field; later fetches answer them; the new default service backs /v1/Conversations", async () => {
    const { v1, exchanges } = twilioClient(emulator, "apiKey");
    const original = emulator.defaultServiceSid;
    const service = await v1.services.create({ friendlyName: "new default" });
    const updated = await v1.configuration().update({
      defaultChatServiceSid: service.sid,
      defaultMessagingServiceSid: MESSAGING_SERVICE,
      defaultInactiveTimer: "PT1M",
      defaultClosedTimer: "PT10M",
    });
    expect(updated).toMatchObject({
      defaultChatServiceSid: service.sid,
      defaultMessagingServiceSid: MESSAGING_SERVICE,
      defaultInactiveTimer: "PT1M",
      defaultClosedTimer: "PT10M",
      links: { service: `${emulator.url}/v1/Services/${service.sid}/Configuration`, webhooks: `${emulator.url}/v1/Configuration/Webhooks` },
    });
    expect((await v1.configuration().fetch()).toJSON()).toEqual(updated.toJSON());
    expect(emulator.defaultServiceSid).toBe(service.sid);
    const conversation = await v1.conversations.create({ friendlyName: "on the new default" });
    expect(conversation.chatServiceSid).toBe(service.sid);
    // The old default is an ordinary service now; the new one can't be deleted.
    expectTwilioError(await raw(emulator, "DELETE", `/v1/Services/${service.sid}`), 400, 400);
    await v1.configuration().update({ defaultChatServiceSid: original });
    expect((await v1.configuration().fetch()).defaultChatServiceSid).toBe(original);
    expect(exchangeProblems(exchanges)).toEqual([]);
  });

  it("changes only the fields sent; an empty messaging service, an empty timer or PT0S clears it", async () => {
    await raw(emulator, "POST", "/v1/Configuration", { DefaultMessagingServiceSid: MESSAGING_SERVICE, DefaultInactiveTimer: "P1D", DefaultClosedTimer: "P2DT1H" });
    const partial = await raw(emulator, "POST", "/v1/Configuration", { DefaultClosedTimer: "PT0S" });
    expect(partial.body).toMatchObject({ default_messaging_service_sid: MESSAGING_SERVICE, default_inactive_timer: "P1D", default_closed_timer: null });
    const cleared = await raw(emulator, "POST", "/v1/Configuration", { DefaultMessagingServiceSid: "", DefaultInactiveTimer: "" });
    expect(cleared.body).toMatchObject({ default_messaging_service_sid: null, default_inactive_timer: null, default_closed_timer: null });
    expect(cleared.body.default_chat_service_sid).toBe(emulator.defaultServiceSid);
  });

  it("gives new conversations, in any service, the default timers and messaging service they don't set themselves", async () => {
    const { v1, exchanges } = twilioClient(emulator);
    await v1.configuration().update({ defaultInactiveTimer: "PT1M", defaultClosedTimer: "PT10M", defaultMessagingServiceSid: MESSAGING_SERVICE });
    const plain = await v1.conversations.create({});
    const created = plain.dateCreated.getTime();
    expect(plain.messagingServiceSid).toBe(MESSAGING_SERVICE);
    expect(plain.timers).toEqual({
      date_inactive: new Date(created + 60_000).toISOString().replace(".000", ""),
      date_closed: new Date(created + 600_000).toISOString().replace(".000", ""),
    });
    const own = await v1.conversations.create({ state: "active", "timers.inactive": "PT5M", messagingServiceSid: "MG" + "b".repeat(32) });
    expect(own.messagingServiceSid).toBe("MG" + "b".repeat(32));
    expect(own.timers).toEqual({
      date_inactive: new Date(own.dateCreated.getTime() + 300_000).toISOString().replace(".000", ""),
      date_closed: new Date(own.dateCreated.getTime() + 600_000).toISOString().replace(".000", ""),
    });
    const service = await v1.services.create({ friendlyName: "elsewhere" });
    expect((await v1.services(service.sid).conversations.create({})).timers).toHaveProperty("date_closed");
    // The default timers fire like a conversation's own.
    emulator.clock.advance(61_000);
    expect((await v1.conversations(plain.sid).fetch()).state).toBe("inactive");
    expect((await v1.conversations(own.sid).fetch()).state).toBe("active");
    // Switched off, they no longer apply.
    await v1.configuration().update({ defaultInactiveTimer: "PT0S", defaultClosedTimer: "PT0S" });
    expect((await v1.conversations.create({})).timers).toEqual({});
    expect(exchangeProblems(exchanges)).toEqual([]);
  });

  it.each<[string, number, number, Record<string, string>]>([
    ["a DefaultChatServiceSid of no service", 400, 50050, { DefaultChatServiceSid: "IS" + "0".repeat(32) }],
    ["a malformed DefaultChatServiceSid", 400, 400, { DefaultChatServiceSid: "IS123" }],
    ["an empty DefaultChatServiceSid", 400, 400, { DefaultChatServiceSid: "" }],
    ["a malformed DefaultMessagingServiceSid", 400, 50341, { DefaultMessagingServiceSid: "MG123" }],
    ["a DefaultInactiveTimer under 1 minute", 400, 50375, { DefaultInactiveTimer: "PT59S" }],
    ["a DefaultClosedTimer under 10 minutes", 400, 50376, { DefaultClosedTimer: "PT9M" }],
    ["a DefaultInactiveTimer that is no duration", 400, 50379, { DefaultInactiveTimer: "soon" }],
    ["a DefaultClosedTimer in months", 400, 50380, { DefaultClosedTimer: "P1M" }],
  ])("refuses %s with %i / %i and changes nothing", async (_case, status, code, form) => {
    const before = (await raw(emulator, "GET", "/v1/Configuration")).body;
    expectTwilioError(await raw(emulator, "POST", "/v1/Configuration", { DefaultInactiveTimer: "PT5M", ...form }), status, code);
    expect((await raw(emulator, "GET", "/v1/Configuration")).body).toEqual(before);
  });

  it("has no list, create or delete: other methods are 405 / 20004", async () => {
    expectTwilioError(await raw(emulator, "DELETE", "/v1/Configuration"), 405, 20004);
    expectTwilioError(await raw(emulator, "DELETE", "/v1/Configuration/Webhooks"), 405, 20004);
    expectTwilioError(await raw(emulator, "PUT", "/v1/Configuration"), 405, 20004);
  });
});

describe.skipIf(!spec)(`account webhook configuration through the twilio client (${spec ? "spec present" : ORACLE_MISSING_REASON})`, () => {
  it("fetches the defaults and updates every field, filters sent as repeated keys", async () => {
    const { v1, exchanges } = twilioClient(emulator);
    const initial = await v1.configuration.webhooks().fetch();
    expect(initial).toMatchObject({
      accountSid: emulator.credentials.accountSid,
      method: "POST",
      filters: [],
      preWebhookUrl: null,
      postWebhookUrl: null,
      target: "webhook",
      url: `${emulator.url}/v1/Configuration/Webhooks`,
    });
    const updated = await v1.configuration.webhooks().update({
      method: "GET",
      filters: ["onConversationUpdated", "onMessageAdd", "onUserAdded"],
      preWebhookUrl: "https://example.com/pre",
      postWebhookUrl: "http://example.com/post",
      target: "flex",
    });
    expect(updated).toMatchObject({
      method: "GET",
      filters: ["onConversationUpdated", "onMessageAdd", "onUserAdded"],
      preWebhookUrl: "https://example.com/pre",
      postWebhookUrl: "http://example.com/post",
      target: "flex",
    });
    expect((await v1.configuration.webhooks().fetch()).toJSON()).toEqual(updated.toJSON());
    // Only what is sent changes; a lone empty Filters clears the list, an empty URL clears it.
    const partial = await v1.configuration.webhooks().update({ method: "post" });
    expect(partial).toMatchObject({ method: "POST", target: "flex", filters: ["onConversationUpdated", "onMessageAdd", "onUserAdded"] });
    const cleared = await raw(emulator, "POST", "/v1/Configuration/Webhooks", { Filters: "", PreWebhookUrl: "", Target: "webhook" });
    expect(cleared.body).toMatchObject({ filters: [], pre_webhook_url: null, post_webhook_url: "http://example.com/post", target: "webhook" });
    expect(exchangeProblems(exchanges)).toEqual([]);
  });

  it.each<[string, Record<string, string> | Array<[string, string]>]>([
    ["an unknown Method", { Method: "PUT" }],
    ["an unknown Target", { Target: "studio" }],
    ["a PreWebhookUrl that is not absolute", { PreWebhookUrl: "/hooks" }],
    ["a PostWebhookUrl that is not http(s)", { PostWebhookUrl: "ftp://example.com" }],
    ["an unknown filter among good ones", [["Filters", "onMessageAdded"], ["Filters", "onNothing"]]],
  ])("refuses %s with 400 / 400 and changes nothing", async (_case, form) => {
    const before = (await raw(emulator, "GET", "/v1/Configuration/Webhooks")).body;
    expectTwilioError(await raw(emulator, "POST", "/v1/Configuration/Webhooks", form), 400, 400);
    expect((await raw(emulator, "GET", "/v1/Configuration/Webhooks")).body).toEqual(before);
  });
});

describe("account settings in the state dump and the state file", () => {
  it("shows both singletons in /__emulator/state", async () => {
    await raw(emulator, "POST", "/v1/Configuration", { DefaultInactiveTimer: "PT2M" });
    await raw(emulator, "POST", "/v1/Configuration/Webhooks", { Target: "flex" });
    const dump = (await (await fetch(`${emulator.url}/__emulator/state`)).json()) as { account: any };
    expect(dump.account.configuration).toEqual((await raw(emulator, "GET", "/v1/Configuration")).body);
    expect(dump.account.webhooks).toEqual((await raw(emulator, "GET", "/v1/Configuration/Webhooks")).body);
  });

  it("keeps both singletons and the default service across restarts (journal, then snapshot); a reset forgets the settings", async () => {
    const { stateFile, remove } = temporaryStateFile("emulator-account-");
    let running = await withEmulator({ stateFile });
    try {
      const service = (await raw(running, "POST", "/v1/Services", { FriendlyName: "kept default" })).body.sid;
      await raw(running, "POST", "/v1/Configuration", { DefaultChatServiceSid: service, DefaultMessagingServiceSid: MESSAGING_SERVICE, DefaultClosedTimer: "PT15M" });
      await raw(running, "POST", "/v1/Configuration/Webhooks", [["Filters", "onMessageAdded"], ["Filters", "onMessageRemoved"], ["Method", "GET"]]);
      const paths = (body: any) => ({ ...body, url: new URL(body.url).pathname, ...(body.links ? { links: Object.fromEntries(Object.entries(body.links).map(([k, v]) => [k, new URL(v as string).pathname])) } : {}) });
      const configuration = paths((await raw(running, "GET", "/v1/Configuration")).body);
      const webhooks = paths((await raw(running, "GET", "/v1/Configuration/Webhooks")).body);
      // The journal alone (the snapshot was written at start) already holds them.
      const journaled = loadStateFile(stateFile)!;
      expect(journaled.defaultServiceSid).toBe(service);
      expect([...journaled.account.keys()].sort()).toEqual(["configuration", "configuration/webhooks"]);
      // Restarted twice: from the snapshot written on close, then again.
      for (let restart = 0; restart < 2; restart++) {
        await running.close();
        running = await withEmulator({ stateFile });
        expect(paths((await raw(running, "GET", "/v1/Configuration")).body)).toEqual(configuration);
        expect(paths((await raw(running, "GET", "/v1/Configuration/Webhooks")).body)).toEqual(webhooks);
        expect(running.defaultServiceSid).toBe(service);
        expect((await raw(running, "POST", "/v1/Conversations", {})).body.chat_service_sid).toBe(service);
      }
      running.reset();
      expect((await raw(running, "GET", "/v1/Configuration")).body).toMatchObject({ default_messaging_service_sid: null, default_closed_timer: null });
      expect((await raw(running, "GET", "/v1/Configuration/Webhooks")).body).toMatchObject({ method: "POST", filters: [] });
    } finally {
      await running.close();
      remove();
    }
  });

  it("loads a state file written before account-level records were kept", async () => {
    const { stateFile, remove } = temporaryStateFile("emulator-account-");
    try {
      const first = await withEmulator({ stateFile });
      const conversation = (await raw(first, "POST", "/v1/Conversations", { UniqueName: "old" })).body.sid;
      await first.close();
      const saved = JSON.parse(readFileSync(stateFile, "utf8"));
      delete saved.account;
      delete saved.addressConfigurations;
      delete saved.credentials;
      writeFileSync(stateFile, JSON.stringify(saved));
      const second = await withEmulator({ stateFile });
      try {
        expect((await raw(second, "GET", "/v1/Conversations/old")).body.sid).toBe(conversation);
        expect((await raw(second, "GET", "/v1/Configuration")).body.default_chat_service_sid).toBe(second.defaultServiceSid);
        expect((await raw(second, "POST", "/v1/Configuration", { DefaultInactiveTimer: "PT1M" })).status).toBe(200);
      } finally {
        await second.close();
      }
    } finally {
      remove();
    }
  });
});
