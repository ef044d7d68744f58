// Conversation-scoped webhooks on both path families, through the official twilio client, with
// every response checked against the spec's response schema; each documented error with its code;
// pagination; the state dump and the state file.
import { beforeEach, describe, expect, it } from "vitest";
import { loadStateFile } from "../../../emulator/state-file";
import { ORACLE_MISSING_REASON, exchangeProblems, expectTwilioError, raw, responseProblems, sharedEmulator, spec, temporaryStateFile, twilioClient, withEmulator } from "./support";

const FLOW = "FW" + "a".repeat(32);
const OTHER_FLOW = "FW" + "b".repeat(32);

const emulator = sharedEmulator();

describe.skipIf(!spec)(`webhooks through the twilio client (${spec ? "spec present" : ORACLE_MISSING_REASON})`, () => {
  it("default path: creates webhook, trigger and studio webhooks; fetches, lists, updates and deletes them", async () => {
    const { v1, exchanges } = twilioClient(emulator);
    const conversation = await v1.conversations.create({ uniqueName: "hooks" });
    const hooks = v1.conversations(conversation.sid).webhooks;

    const webhook = await hooks.create({
      target: "webhook",
      "configuration.url": "https://example.com/events",
      "configuration.method": "get",
      "configuration.filters": ["onMessageAdded", "onConversationUpdated"],
      "configuration.replayAfter": 0,
    });
    expect(webhook.sid).toMatch(/^WH[0-9a-f]{32}$/);
    expect(webhook).toMatchObject({
      accountSid: emulator.credentials.accountSid,
      conversationSid: conversation.sid,
      target: "webhook",
      configuration: { url: "https://example.com/events", method: "get", filters: ["onMessageAdded", "onConversationUpdated"], replay_after: 0 },
      url: `${emulator.url}/v1/Conversations/${conversation.sid}/Webhooks/${webhook.sid}`,
    });
    expect(webhook.dateUpdated).toEqual(webhook.dateCreated);

    const trigger = await hooks.create({
      target: "trigger",
      "configuration.url": "https://example.com/keywords",
      "configuration.triggers": ["help", "agent"],
    });
    // No method given: POST (UNVERIFIED default).
    expect(trigger.configuration).toEqual({ url: "https://example.com/keywords", method: "post", triggers: ["help", "agent"] });

    const studio = await hooks.create({ target: "studio", "configuration.flowSid": FLOW, "configuration.url": "https://ignored.example" });
    expect(studio.configuration).toEqual({ flow_sid: FLOW });

    // The unique name stands for the conversation in the path, as it does for messages.
    expect((await v1.conversations("hooks").webhooks(webhook.sid).fetch()).configuration).toEqual(webhook.configuration);
    expect((await hooks.list()).map((h) => [h.sid, h.target])).toEqual([
      [webhook.sid, "webhook"],
      [trigger.sid, "trigger"],
      [studio.sid, "studio"],
    ]);

    const updated = await hooks(webhook.sid).update({
      "configuration.url": "https://example.com/v2",
      "configuration.method": "post",
      "configuration.filters": ["onMessageRemoved"],
    });
    expect(updated.configuration).toEqual({ url: "https://example.com/v2", method: "post", filters: ["onMessageRemoved"], replay_after: 0 });
    expect(updated.target).toBe("webhook");
    expect(updated.dateCreated).toEqual(webhook.dateCreated);
    expect((await hooks(trigger.sid).update({ "configuration.triggers": ["urgent"] })).configuration).toMatchObject({ triggers: ["urgent"] });
    expect((await hooks(studio.sid).update({ "configuration.flowSid": OTHER_FLOW })).configuration).toEqual({ flow_sid: OTHER_FLOW });

    expect(await hooks(trigger.sid).remove()).toBe(true);
    await expect(hooks(trigger.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    expect((await hooks.list()).map((h) => h.sid)).toEqual([webhook.sid, studio.sid]);
    expect(exchangeProblems(exchanges)).toEqual([]);
  });

  it("service path: the same operations, with chat_service_sid and scoped URLs", async () => {
    const { v1, exchanges } = twilioClient(emulator);
    const service = await v1.services.create({ friendlyName: "scoped hooks" });
    const conversation = await v1.services(service.sid).conversations.create({ uniqueName: "room" });
    const hooks = v1.services(service.sid).conversations(conversation.sid).webhooks;

    const created = await hooks.create({
      target: "webhook",
      "configuration.url": "https://example.com/scoped",
      "configuration.filters": ["onParticipantAdded"],
    });
    expect(created.chatServiceSid).toBe(service.sid);
    expect(created.url).toBe(`${emulator.url}/v1/Services/${service.sid}/Conversations/${conversation.sid}/Webhooks/${created.sid}`);
    const studio = await hooks.create({ target: "studio", "configuration.flowSid": FLOW, "configuration.replayAfter": 7 });
    expect(studio.configuration).toEqual({ flow_sid: FLOW, replay_after: 7 });

    expect((await hooks(created.sid).fetch()).sid).toBe(created.sid);
    expect((await v1.services(service.sid).conversations("room").webhooks.list()).map((h) => h.sid)).toEqual([created.sid, studio.sid]);
    expect((await hooks(created.sid).update({ "configuration.method": "get" })).configuration).toMatchObject({ method: "get" });
    expect(await hooks(created.sid).remove()).toBe(true);
    expect((await hooks.list()).map((h) => h.sid)).toEqual([studio.sid]);

    // The default path does not reach a conversation of another service.
    await expect(v1.conversations(conversation.sid).webhooks.list()).rejects.toMatchObject({ status: 404, code: 20404 });
    expect(exchangeProblems(exchanges)).toEqual([]);
  });

  it("pages through at most 5 a page, following next_page_url; PageSize outside 1–5 is refused", async () => {
    const { v1, exchanges } = twilioClient(emulator);
    const conversation = await v1.conversations.create({});
    const hooks = v1.conversations(conversation.sid).webhooks;
    const sids: string[] = [];
    for (let i = 0; i < 5; i++) {
      sids.push((await hooks.create({ target: "trigger", "configuration.url": `https://example.com/${i}`, "configuration.triggers": [`k${i}`] })).sid);
    }
    const first = await hooks.page({ pageSize: 2 });
    expect(first.instances.map((h) => h.sid)).toEqual(sids.slice(0, 2));
    const second = await first.nextPage();
    expect(second!.instances.map((h) => h.sid)).toEqual(sids.slice(2, 4));
    const third = await second!.nextPage();
    expect(third!.instances.map((h) => h.sid)).toEqual(sids.slice(4));
    expect(await third!.nextPage()).toBeUndefined();
    expect((await hooks.list({ pageSize: 2 })).map((h) => h.sid)).toEqual(sids);

    const listPath = `/v1/Conversations/${conversation.sid}/Webhooks`;
    const whole = await raw(emulator, "GET", listPath);
    expect(whole.body.meta).toMatchObject({ page: 0, page_size: 5, key: "webhooks", next_page_url: null, previous_page_url: null });
    expect(whole.body.meta.first_page_url).toBe(`${emulator.url}${listPath}?PageSize=5&Page=0`);
    expect(whole.body.webhooks).toHaveLength(5);
    expect(responseProblems("GET", listPath, 200, whole.body)).toEqual([]);
    expectTwilioError(await raw(emulator, "GET", `${listPath}?PageSize=6`), 400, 400);
    expectTwilioError(await raw(emulator, "GET", `${listPath}?PageSize=0`), 400, 400);
    expectTwilioError(await raw(emulator, "GET", `${listPath}?PageToken=nope`), 400, 21481);
    expect(exchangeProblems(exchanges)).toEqual([]);
  });
});

describe("webhook rules and their error codes", () => {
  let conversationSid: string;
  let hooksPath: string;
  beforeEach(async () => {
    conversationSid = (await raw(emulator, "POST", "/v1/Conversations", {})).body.sid;
    hooksPath = `/v1/Conversations/${conversationSid}/Webhooks`;
  });

  const webhookForm = (extra: Array<[string, string]> = []): Array<[string, string]> => [
    ["Target", "webhook"],
    ["Configuration.Url", "https://example.com/h"],
    ["Configuration.Filters", "onMessageAdded"],
    ...extra,
  ];

  it.each<[string, number, Array<[string, string]>]>([
    ["no Target", 50368, [["Configuration.Url", "https://example.com"]]],
    ["an empty Target", 50368, [["Target", ""]]],
    ["an unknown Target", 50364, [["Target", "sms"]]],
    ["a webhook without Configuration.Url", 50369, [["Target", "webhook"], ["Configuration.Filters", "onMessageAdded"]]],
    ["a webhook with an empty Configuration.Url", 50369, [["Target", "webhook"], ["Configuration.Url", ""], ["Configuration.Filters", "onMessageAdded"]]],
    ["a webhook without Configuration.Filters", 50370, [["Target", "webhook"], ["Configuration.Url", "https://example.com"]]],
    ["a pre-event filter (only post-event webhooks)", 50365, [["Target", "webhook"], ["Configuration.Url", "https://example.com"], ["Configuration.Filters", "onMessageAdd"]]],
    ["an unknown filter among good ones", 50365, [["Target", "webhook"], ["Configuration.Url", "https://example.com"], ["Configuration.Filters", "onMessageAdded"], ["Configuration.Filters", "onNothing"]]],
    ["a trigger without Configuration.Url", 50369, [["Target", "trigger"], ["Configuration.Triggers", "help"]]],
    ["a trigger without Configuration.Triggers", 50371, [["Target", "trigger"], ["Configuration.Url", "https://example.com"]]],
    ["a trigger with 6 keywords", 50362, [["Target", "trigger"], ["Configuration.Url", "https://example.com"], ...["a", "b", "c", "d", "e", "f"].map((k): [string, string] => ["Configuration.Triggers", k])]],
    ["an empty trigger keyword", 50366, [["Target", "trigger"], ["Configuration.Url", "https://example.com"], ["Configuration.Triggers", ""]]],
    ["a trigger keyword of 249 characters", 50366, [["Target", "trigger"], ["Configuration.Url", "https://example.com"], ["Configuration.Triggers", "k".repeat(249)]]],
    ["a studio webhook without Configuration.FlowSid", 50367, [["Target", "studio"]]],
    ["a malformed Configuration.FlowSid", 50367, [["Target", "studio"], ["Configuration.FlowSid", "FW123"]]],
    ["a relative Configuration.Url", 400, webhookForm([["Configuration.Url", "/relative"]])],
    ["a non-HTTP Configuration.Url", 400, webhookForm([["Configuration.Url", "ftp://example.com"]])],
    ["an unknown Configuration.Method", 400, webhookForm([["Configuration.Method", "PUT"]])],
    ["a negative Configuration.ReplayAfter", 400, webhookForm([["Configuration.ReplayAfter", "-1"]])],
    ["a non-numeric Configuration.ReplayAfter", 400, webhookForm([["Configuration.ReplayAfter", "x"]])],
  ])("refuses %s with code %i and creates nothing", async (_case, code, form) => {
    expectTwilioError(await raw(emulator, "POST", hooksPath, form), 400, code);
    expect(emulator.state().webhooks).toEqual([]);
  });

  it("takes 248-character keywords and 5 of them, keeps repeated filters in order, and either case of method", async () => {
    const keywords = ["k".repeat(248), "b", "c", "d", "e"];
    const trigger = await raw(emulator, "POST", hooksPath, [
      ["Target", "trigger"],
      ["Configuration.Url", "https://example.com"],
      ...keywords.map((k): [string, string] => ["Configuration.Triggers", k]),
    ]);
    expect(trigger.status).toBe(201);
    expect(trigger.body.configuration.triggers).toEqual(keywords);
    const webhook = await raw(emulator, "POST", hooksPath, webhookForm([["Configuration.Filters", "onDeliveryUpdated"], ["Configuration.Method", "GET"]]));
    expect(webhook.body.configuration.filters).toEqual(["onMessageAdded", "onDeliveryUpdated"]);
    // The spec's enum is lower-case, the resource pages show GET/POST: both are taken, answered lower-case.
    expect(webhook.body.configuration.method).toBe("get");
  });

  it("allows 5 webhooks per conversation; the sixth is 50361, and a delete makes room", async () => {
    const sids: string[] = [];
    for (let i = 0; i < 5; i++) sids.push((await raw(emulator, "POST", hooksPath, webhookForm())).body.sid);
    expectTwilioError(await raw(emulator, "POST", hooksPath, [["Target", "studio"], ["Configuration.FlowSid", FLOW]]), 400, 50361);
    // The limit is per conversation.
    const other = (await raw(emulator, "POST", "/v1/Conversations", {})).body.sid;
    expect((await raw(emulator, "POST", `/v1/Conversations/${other}/Webhooks`, webhookForm())).status).toBe(201);
    expect((await raw(emulator, "DELETE", `${hooksPath}/${sids[0]}`)).status).toBe(204);
    expect((await raw(emulator, "POST", hooksPath, webhookForm())).status).toBe(201);
  });

  it("updates only the Configuration fields of the webhook's own target; Target and ReplayAfter stay", async () => {
    const created = (await raw(emulator, "POST", hooksPath, webhookForm([["Configuration.ReplayAfter", "3"]]))).body;
    const updated = await raw(emulator, "POST", `${hooksPath}/${created.sid}`, [
      ["Target", "studio"],
      ["Configuration.ReplayAfter", "9"],
      ["Configuration.FlowSid", FLOW],
      ["Configuration.Triggers", "ignored"],
    ]);
    expect(updated.status).toBe(200);
    expect(updated.body.target).toBe("webhook");
    expect(updated.body.configuration).toEqual(created.configuration);
    expectTwilioError(await raw(emulator, "POST", `${hooksPath}/${created.sid}`, { "Configuration.Url": "" }), 400, 50369);
    expectTwilioError(await raw(emulator, "POST", `${hooksPath}/${created.sid}`, { "Configuration.Filters": "onUserAdded" }), 400, 50365);
    const studio = (await raw(emulator, "POST", hooksPath, [["Target", "studio"], ["Configuration.FlowSid", FLOW]])).body;
    expectTwilioError(await raw(emulator, "POST", `${hooksPath}/${studio.sid}`, { "Configuration.FlowSid": "" }), 400, 50367);
    const stored = emulator.state().webhooks as any[];
    expect(stored.find((w) => w.sid === created.sid).configuration).toEqual(created.configuration);
  });

  it("answers 404 / 20404 for an unknown, malformed or foreign webhook SID and an unknown conversation", async () => {
    const created = (await raw(emulator, "POST", hooksPath, webhookForm())).body;
    const other = (await raw(emulator, "POST", "/v1/Conversations", {})).body.sid;
    for (const method of ["GET", "POST", "DELETE"]) {
      expectTwilioError(await raw(emulator, method, `${hooksPath}/WH${"0".repeat(32)}`, method === "POST" ? {} : undefined), 404, 20404);
      expectTwilioError(await raw(emulator, method, `${hooksPath}/not-a-sid`, method === "POST" ? {} : undefined), 404, 20404);
      expectTwilioError(await raw(emulator, method, `/v1/Conversations/${other}/Webhooks/${created.sid}`, method === "POST" ? {} : undefined), 404, 20404);
    }
    expectTwilioError(await raw(emulator, "GET", `/v1/Conversations/CH${"0".repeat(32)}/Webhooks`), 404, 20404);
    expectTwilioError(await raw(emulator, "POST", `/v1/Conversations/CH${"0".repeat(32)}/Webhooks`, webhookForm()), 404, 20404);
    expectTwilioError(await raw(emulator, "PUT", hooksPath), 405, 20004);
  });

  it("goes with its conversation, and with the service that holds it", async () => {
    const service = (await raw(emulator, "POST", "/v1/Services", { FriendlyName: "doomed" })).body;
    const scoped = (await raw(emulator, "POST", `/v1/Services/${service.sid}/Conversations`, {})).body;
    await raw(emulator, "POST", `/v1/Services/${service.sid}/Conversations/${scoped.sid}/Webhooks`, webhookForm());
    const kept = (await raw(emulator, "POST", hooksPath, webhookForm())).body;
    const doomed = (await raw(emulator, "POST", `/v1/Conversations`, {})).body.sid;
    await raw(emulator, "POST", `/v1/Conversations/${doomed}/Webhooks`, webhookForm());
    expect(emulator.state().webhooks).toHaveLength(3);

    expect((await raw(emulator, "DELETE", `/v1/Conversations/${doomed}`)).status).toBe(204);
    expect((await raw(emulator, "DELETE", `/v1/Services/${service.sid}`)).status).toBe(204);
    expect((emulator.state().webhooks as any[]).map((w) => w.sid)).toEqual([kept.sid]);
  });

  it("writes are not APS-limited: Twilio's per-second limits do not name webhooks", async () => {
    const limited = await withEmulator({ apsLimits: true });
    try {
      const conversation = (await raw(limited, "POST", "/v1/Conversations", {})).body.sid;
      const path_ = `/v1/Conversations/${conversation}/Webhooks`;
      const sid = (await raw(limited, "POST", path_, webhookForm())).body.sid;
      const answers = await Promise.all(
        Array.from({ length: 40 }, () => raw(limited, "POST", `${path_}/${sid}`, { "Configuration.Method": "GET" })),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200));
    } finally {
      await limited.close();
    }
  });
});

describe("webhooks in the state dump and the state file", () => {
  it("shows webhooks in /__emulator/state with their service", async () => {
    const service = (await raw(emulator, "POST", "/v1/Services", { FriendlyName: "dump" })).body;
    const scoped = (await raw(emulator, "POST", `/v1/Services/${service.sid}/Conversations`, {})).body;
    const created = (
      await raw(emulator, "POST", `/v1/Services/${service.sid}/Conversations/${scoped.sid}/Webhooks`, [
        ["Target", "studio"],
        ["Configuration.FlowSid", FLOW],
      ])
    ).body;
    const dump = (await (await fetch(`${emulator.url}/__emulator/state`)).json()) as { webhooks: unknown[] };
    expect(dump.webhooks).toEqual([created]);
    const onDefault = (await raw(emulator, "POST", "/v1/Conversations", {})).body.sid;
    await raw(emulator, "POST", `/v1/Conversations/${onDefault}/Webhooks`, [["Target", "studio"], ["Configuration.FlowSid", FLOW]]);
    expect(emulator.state().webhooks[1]).toMatchObject({ chat_service_sid: emulator.defaultServiceSid, conversation_sid: onDefault });
  });

  it("keeps webhooks, their updates and deletes across a restart (journal, then snapshot)", async () => {
    const { stateFile, remove } = temporaryStateFile("emulator-webhooks-");
    let running = await withEmulator({ stateFile });
    try {
      const conversation = (await raw(running, "POST", "/v1/Conversations", { UniqueName: "kept" })).body.sid;
      const hooks = `/v1/Conversations/${conversation}/Webhooks`;
      const kept = (
        await raw(running, "POST", hooks, [
          ["Target", "webhook"],
          ["Configuration.Url", "https://example.com/a"],
          ["Configuration.Filters", "onMessageAdded"],
          ["Configuration.Filters", "onMessageRemoved"],
          ["Configuration.ReplayAfter", "2"],
        ])
      ).body;
      const gone = (await raw(running, "POST", hooks, [["Target", "studio"], ["Configuration.FlowSid", FLOW]])).body.sid;
      await raw(running, "POST", `${hooks}/${kept.sid}`, { "Configuration.Url": "https://example.com/b" });
      await raw(running, "DELETE", `${hooks}/${gone}`);
      // While running, the journal holds what the snapshot does not yet.
      expect([...loadStateFile(stateFile)!.webhooks.keys()]).toEqual([kept.sid]);
      const before = (await raw(running, "GET", `${hooks}/${kept.sid}`)).body;
      expect(before.configuration).toEqual({ url: "https://example.com/b", method: "post", filters: ["onMessageAdded", "onMessageRemoved"], replay_after: 2 });
      await running.close();

      running = await withEmulator({ stateFile });
      // Only the origin (a new port) differs.
      const origin = (url: string) => url.replace(running.url, "");
      const after = (await raw(running, "GET", `${hooks}/${kept.sid}`)).body;
      expect({ ...after, url: origin(after.url) }).toEqual({ ...before, url: before.url.replace(/^http:\/\/[^/]+/, "") });
      expect((await raw(running, "GET", hooks)).body.webhooks).toEqual([after]);
      expectTwilioError(await raw(running, "GET", `${hooks}/${gone}`), 404, 20404);
      // The restored per-conversation count still holds the limit.
      for (let i = 0; i < 4; i++) expect((await raw(running, "POST", hooks, [["Target", "studio"], ["Configuration.FlowSid", FLOW]])).status).toBe(201);
      expectTwilioError(await raw(running, "POST", hooks, [["Target", "studio"], ["Configuration.FlowSid", FLOW]]), 400, 50361);
    } finally {
      await running.close();
      remove();
    }
  });
});
