// Behaviour beyond single requests: pagination, the state machine, timers, dates and indexes.
import * as http from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../emulator";
import { raw, twilioClient, withEmulator } from "./support";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await withEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

async function post(path: string, form: Record<string, string> = {}) {
  const response = await raw(emulator, "POST", path, form);
  expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  return response.body;
}

async function followPages(firstPath: string): Promise<{ items: any[]; pages: any[] }> {
  const items: any[] = [];
  const pages: any[] = [];
  let next: string | null = emulator.url + firstPath;
  while (next !== null) {
    expect(next.startsWith(emulator.url)).toBe(true);
    const page = await raw(emulator, "GET", next.slice(emulator.url.length));
    expect(page.status).toBe(200);
    pages.push(page.body);
    items.push(...page.body[page.body.meta.key]);
    next = page.body.meta.next_page_url;
  }
  return { items, pages };
}

describe("pagination", () => {
  it("pages over 120 conversations through the twilio client (default page size 50)", async () => {
    for (let i = 0; i < 120; i++) await post("/v1/Conversations", { UniqueName: `c${i}` });
    const { v1, exchanges } = twilioClient(emulator);
    const all = await v1.conversations.list();
    expect(all.map((c) => c.uniqueName)).toEqual(Array.from({ length: 120 }, (_, i) => `c${i}`));
    const pageSizes = exchanges.map((e) => (e.body as any).conversations.length);
    expect(pageSizes).toEqual([50, 50, 20]);
    expect((exchanges[0].body as any).meta).toMatchObject({ page: 0, page_size: 50, key: "conversations", previous_page_url: null });
    expect((exchanges[2].body as any).meta.next_page_url).toBeNull();
  });

  it("pages over 150 messages with PageSize 100 both ways, and previous_page_url leads back", async () => {
    const conversation = await post("/v1/Conversations");
    for (let i = 0; i < 150; i++) await post(`/v1/Conversations/${conversation.sid}/Messages`, { Body: `m${i}` });
    const asc = await followPages(`/v1/Conversations/${conversation.sid}/Messages?PageSize=100`);
    expect(asc.items.map((m) => m.index)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    expect(asc.pages.map((p) => p.meta.page)).toEqual([0, 1]);
    const desc = await followPages(`/v1/Conversations/${conversation.sid}/Messages?PageSize=100&Order=desc`);
    expect(desc.items.map((m) => m.index)).toEqual(Array.from({ length: 150 }, (_, i) => 149 - i));
    expect(desc.pages[1].meta.next_page_url).toBeNull();
    expect(desc.pages[1].meta.url).toContain("Order=desc");

    const previous = desc.pages[1].meta.previous_page_url as string;
    const back = await raw(emulator, "GET", previous.slice(emulator.url.length));
    expect(back.body.messages.map((m: any) => m.index)).toEqual(desc.pages[0].messages.map((m: any) => m.index));
  });

  it("neither skips nor repeats items when earlier items are deleted between pages", async () => {
    const conversation = await post("/v1/Conversations");
    const sids: string[] = [];
    for (let i = 0; i < 30; i++) sids.push((await post(`/v1/Conversations/${conversation.sid}/Messages`, { Body: `m${i}` })).sid);
    const first = await raw(emulator, "GET", `/v1/Conversations/${conversation.sid}/Messages?PageSize=10`);
    for (const sid of sids.slice(0, 5)) await raw(emulator, "DELETE", `/v1/Conversations/${conversation.sid}/Messages/${sid}`);
    const second = await raw(emulator, "GET", first.body.meta.next_page_url.slice(emulator.url.length));
    expect(second.body.messages.map((m: any) => m.index)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it("pages services and scoped conversations", async () => {
    for (let i = 0; i < 3; i++) await post("/v1/Services", { FriendlyName: `s${i}` });
    const services = await followPages("/v1/Services?PageSize=2");
    expect(services.items).toHaveLength(4);
    expect(services.pages.map((p) => p.meta.key)).toEqual(["services", "services"]);
    const scoped = services.items[3].sid;
    for (let i = 0; i < 3; i++) await post(`/v1/Services/${scoped}/Conversations`, { FriendlyName: `x${i}` });
    const conversations = await followPages(`/v1/Services/${scoped}/Conversations?PageSize=1`);
    expect(conversations.items.map((c) => c.friendly_name)).toEqual(["x0", "x1", "x2"]);
    expect(conversations.pages[1].meta.first_page_url).toBe(`${emulator.url}/v1/Services/${scoped}/Conversations?PageSize=1&Page=0`);
  });

  it("filters by State and by creation dates, newest first when a date filter is used", async () => {
    await post("/v1/Conversations", { UniqueName: "old", DateCreated: "2020-01-01T10:00:00Z" });
    await post("/v1/Conversations", { UniqueName: "mid", DateCreated: "2021-06-15T10:00:00Z", State: "inactive" });
    await post("/v1/Conversations", { UniqueName: "new", DateCreated: "2022-12-31T23:00:00Z" });
    const byState = await raw(emulator, "GET", "/v1/Conversations?State=inactive");
    expect(byState.body.conversations.map((c: any) => c.unique_name)).toEqual(["mid"]);
    const byDate = await raw(emulator, "GET", "/v1/Conversations?StartDate=2021-01-01T00:00:00Z&EndDate=2022-12-31");
    expect(byDate.body.conversations.map((c: any) => c.unique_name)).toEqual(["new", "mid"]);
    expect(byDate.body.meta.url).toContain("StartDate=2021-01-01T00%3A00%3A00Z");
  });
});

describe("state machine", () => {
  it("moves active ⇄ inactive, then to closed, which is terminal", async () => {
    const conversation = await post("/v1/Conversations");
    expect(conversation.state).toBe("active");
    expect((await post(`/v1/Conversations/${conversation.sid}`, { State: "inactive" })).state).toBe("inactive");
    expect((await post(`/v1/Conversations/${conversation.sid}`, { State: "active" })).state).toBe("active");
    expect((await post(`/v1/Conversations/${conversation.sid}`, { State: "inactive" })).state).toBe("inactive");
    expect((await post(`/v1/Conversations/${conversation.sid}`, { State: "closed" })).state).toBe("closed");
    const reopen = await raw(emulator, "POST", `/v1/Conversations/${conversation.sid}`, { State: "active" });
    expect(reopen.body.code).toBe(50377);
    expect((await raw(emulator, "GET", `/v1/Conversations/${conversation.sid}`)).body.state).toBe("closed");
  });

  it("can be created inactive, and a new message makes an inactive conversation active", async () => {
    const conversation = await post("/v1/Conversations", { State: "inactive" });
    expect(conversation.state).toBe("inactive");
    await post(`/v1/Conversations/${conversation.sid}/Messages`, { Body: "wake up" });
    expect((await raw(emulator, "GET", `/v1/Conversations/${conversation.sid}`)).body.state).toBe("active");
  });

  it("goes straight from active to closed", async () => {
    const conversation = await post("/v1/Conversations");
    expect((await post(`/v1/Conversations/${conversation.sid}`, { State: "closed" })).state).toBe("closed");
  });
});

describe("timers", () => {
  it("answers absolute date_inactive/date_closed counted from the write", async () => {
    const conversation = await post("/v1/Conversations", { State: "active", "Timers.Inactive": "PT1M", "Timers.Closed": "P1DT2H" });
    const created = Date.parse(conversation.date_created);
    expect(Date.parse(conversation.timers.date_inactive) - created).toBe(60_000);
    expect(Date.parse(conversation.timers.date_closed) - created).toBe(26 * 3600_000);
  });

  it("sets timers on update without State, recomputes from the update, and clears one with an empty value", async () => {
    const conversation = await post("/v1/Conversations", { DateCreated: "2020-01-01T00:00:00Z" });
    expect(conversation.timers).toEqual({});
    const updated = await post(`/v1/Conversations/${conversation.sid}`, { "Timers.Inactive": "PT10M", "Timers.Closed": "PT20M" });
    const at = Date.parse(updated.date_updated);
    expect(Date.parse(updated.timers.date_inactive) - at).toBe(600_000);
    const cleared = await post(`/v1/Conversations/${conversation.sid}`, { "Timers.Inactive": "" });
    expect(Object.keys(cleared.timers)).toEqual(["date_closed"]);
  });
});

describe("dates, indexes and fields", () => {
  it("backdates DateCreated and DateUpdated on conversations and messages", async () => {
    const conversation = await post("/v1/Conversations", { DateCreated: "2019-05-01T12:00:00Z", DateUpdated: "2019-05-02T12:00:00Z" });
    expect([conversation.date_created, conversation.date_updated]).toEqual(["2019-05-01T12:00:00Z", "2019-05-02T12:00:00Z"]);
    const message = await post(`/v1/Conversations/${conversation.sid}/Messages`, { DateCreated: "2019-05-03T08:30:00Z" });
    expect([message.date_created, message.date_updated]).toEqual(["2019-05-03T08:30:00Z", "2019-05-03T08:30:00Z"]);
    const edited = await post(`/v1/Conversations/${conversation.sid}/Messages/${message.sid}`, { DateUpdated: "2019-06-01T00:00:00Z" });
    expect(edited.date_updated).toBe("2019-06-01T00:00:00Z");
    const renamed = await post(`/v1/Conversations/${conversation.sid}`, { FriendlyName: "now" });
    expect(Date.parse(renamed.date_updated)).toBeGreaterThan(Date.parse("2019-05-02T12:00:00Z"));
  });

  it("numbers messages from 0 and never reuses an index after a delete", async () => {
    const conversation = await post("/v1/Conversations");
    const path = `/v1/Conversations/${conversation.sid}/Messages`;
    const first = await post(path, { Body: "a" });
    const second = await post(path, { Body: "b" });
    await raw(emulator, "DELETE", `${path}/${second.sid}`);
    const third = await post(path, { Body: "c" });
    expect([first.index, second.index, third.index]).toEqual([0, 1, 2]);
  });

  it("addresses messages through the conversation's unique name (Twilio's behaviour there is unverified)", async () => {
    const conversation = await post("/v1/Conversations", { UniqueName: "lobby" });
    const message = await post("/v1/Conversations/lobby/Messages", { Body: "hi" });
    expect(message.conversation_sid).toBe(conversation.sid);
    expect(message.url).toContain(`/Conversations/${conversation.sid}/Messages/`);
  });

  it("deletes a conversation's messages with it and stores Subject for the state dump only", async () => {
    const conversation = await post("/v1/Conversations");
    const message = await post(`/v1/Conversations/${conversation.sid}/Messages`, { Body: "b", Subject: "Re: order" });
    expect(message).not.toHaveProperty("subject");
    expect(emulator.state().messages).toEqual([expect.objectContaining({ sid: message.sid, subject: "Re: order" })]);
    await raw(emulator, "DELETE", `/v1/Conversations/${conversation.sid}`);
    expect(emulator.state().messages).toEqual([]);
    expect((await raw(emulator, "GET", `/v1/Conversations/${conversation.sid}/Messages/${message.sid}`)).status).toBe(404);
  });

  it("records X-Twilio-Webhook-Enabled per request", async () => {
    const { v1 } = twilioClient(emulator);
    const conversation = await v1.conversations.create({ xTwilioWebhookEnabled: "true" });
    await v1.conversations(conversation.sid).update({ friendlyName: "x", xTwilioWebhookEnabled: "false" });
    await v1.conversations(conversation.sid).fetch();
    const seen = emulator.requests().map((entry) => [entry.operationId, entry.headers["x-twilio-webhook-enabled"]]);
    expect(seen).toEqual([
      ["CreateConversation", "true"],
      ["UpdateConversation", "false"],
      ["FetchConversation", undefined],
    ]);
  });

  it("answers url and links on the origin the client used (its Host header)", async () => {
    const conversation = await post("/v1/Conversations");
    expect(conversation.links.messages).toBe(`${emulator.url}/v1/Conversations/${conversation.sid}/Messages`);
    const body = await new Promise<any>((resolve, reject) => {
      const request = http.get(
        `${emulator.url}/v1/Conversations/${conversation.sid}`,
        {
          headers: { host: "emulator.test:8080" },
          auth: `${emulator.credentials.accountSid}:${emulator.credentials.authToken}`,
        },
        (response) => {
          let text = "";
          response.on("data", (chunk) => (text += chunk));
          response.on("end", () => resolve(JSON.parse(text)));
        },
      );
      request.on("error", reject);
    });
    expect(body.url).toBe(`http://emulator.test:8080/v1/Conversations/${conversation.sid}`);
  });
});
