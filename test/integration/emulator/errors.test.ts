// Twilio's error body and codes, one case per rule, with the exact status and code.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import twilio from "twilio";
import type { RunningEmulator } from "../../../emulator";
import { expectTwilioError, raw, twilioClient, withEmulator } from "./support";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await withEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

async function createConversation(form: Record<string, string> = {}) {
  const response = await raw(emulator, "POST", "/v1/Conversations", form);
  expect(response.status).toBe(201);
  return response.body as { sid: string; unique_name: string | null };
}

describe("authentication (401 / 20003)", () => {
  it.each([
    ["no credentials", null],
    ["wrong auth token", "AC00000000000000000000000000000000:wrong"],
    ["wrong API secret", "SK00000000000000000000000000000000:wrong"],
    ["API key with the auth token", "SK00000000000000000000000000000000:emulator-auth-token"],
    ["unknown account", "AC11111111111111111111111111111111:emulator-auth-token"],
  ])("refuses %s", async (_case, auth) => {
    const response = await raw(emulator, "GET", "/v1/Conversations", undefined, { auth });
    expectTwilioError(response, 401, 20003);
    expect(response.headers.get("www-authenticate")).toMatch(/^Basic/);
  });

  it("accepts both credential forms, including custom ones", async () => {
    const custom = await withEmulator({
      accountSid: "AC" + "1".repeat(32),
      authToken: "token-1",
      apiKey: "SK" + "2".repeat(32),
      apiSecret: "secret-2",
    });
    try {
      expect((await raw(custom, "GET", "/v1/Services", undefined, { auth: `AC${"1".repeat(32)}:token-1` })).status).toBe(200);
      expect((await raw(custom, "GET", "/v1/Services", undefined, { auth: `SK${"2".repeat(32)}:secret-2` })).status).toBe(200);
      expect((await raw(custom, "GET", "/v1/Services", undefined, { auth: "AC00000000000000000000000000000000:emulator-auth-token" })).status).toBe(401);
      const { v1 } = twilioClient(custom, "apiKey");
      const created = await v1.conversations.create({});
      expect(created.accountSid).toBe("AC" + "1".repeat(32));
    } finally {
      await custom.close();
    }
  });

  it("surfaces through the twilio client as a RestException", async () => {
    const wrong = twilio(emulator.credentials.accountSid, "nope");
    wrong.conversations.baseUrl = emulator.url;
    await expect(wrong.conversations.v1.conversations.list()).rejects.toMatchObject({
      status: 401,
      code: 20003,
      moreInfo: "https://www.twilio.com/docs/errors/20003",
    });
  });
});

describe("not found (404 / 20404)", () => {
  it.each([
    ["a missing conversation SID", "GET", "/v1/Conversations/CH" + "0".repeat(32)],
    ["a missing unique name", "GET", "/v1/Conversations/nobody"],
    ["update of a missing conversation", "POST", "/v1/Conversations/CH" + "0".repeat(32)],
    ["delete of a missing conversation", "DELETE", "/v1/Conversations/CH" + "0".repeat(32)],
    ["messages of a missing conversation", "GET", "/v1/Conversations/CH" + "0".repeat(32) + "/Messages"],
    ["an unknown service", "GET", "/v1/Services/IS" + "0".repeat(32) + "/Conversations"],
    ["a malformed service SID", "GET", "/v1/Services/not-a-sid"],
    ["an unknown path", "GET", "/v1/Participants"],
  ])("answers %s", async (_case, method, path) => {
    expectTwilioError(await raw(emulator, method, path, method === "POST" ? {} : undefined), 404, 20404);
  });

  it("answers a missing message, and a message of another conversation", async () => {
    const a = await createConversation();
    const b = await createConversation();
    const message = (await raw(emulator, "POST", `/v1/Conversations/${a.sid}/Messages`, { Body: "x" })).body;
    expectTwilioError(await raw(emulator, "GET", `/v1/Conversations/${a.sid}/Messages/IM${"0".repeat(32)}`), 404, 20404);
    expectTwilioError(await raw(emulator, "GET", `/v1/Conversations/${b.sid}/Messages/${message.sid}`), 404, 20404);
  });

  it("does not find a conversation through another service's path", async () => {
    const conversation = await createConversation({ UniqueName: "mine" });
    const service = (await raw(emulator, "POST", "/v1/Services", { FriendlyName: "other" })).body;
    expectTwilioError(await raw(emulator, "GET", `/v1/Services/${service.sid}/Conversations/${conversation.sid}`), 404, 20404);
    expectTwilioError(await raw(emulator, "GET", `/v1/Services/${service.sid}/Conversations/mine`), 404, 20404);
  });
});

describe("unique names (409 / 50353)", () => {
  it("refuses a duplicate on create and on update, and frees a deleted name at once", async () => {
    const first = await createConversation({ UniqueName: "dup" });
    expectTwilioError(await raw(emulator, "POST", "/v1/Conversations", { UniqueName: "dup" }), 409, 50353);
    const second = await createConversation({ UniqueName: "other" });
    expectTwilioError(await raw(emulator, "POST", `/v1/Conversations/${second.sid}`, { UniqueName: "dup" }), 409, 50353);
    // Setting a conversation's own name again is not a clash.
    expect((await raw(emulator, "POST", `/v1/Conversations/${first.sid}`, { UniqueName: "dup" })).status).toBe(200);
    expect((await raw(emulator, "DELETE", `/v1/Conversations/dup`)).status).toBe(204);
    expect((await createConversation({ UniqueName: "dup" })).unique_name).toBe("dup");
  });

  it("through the twilio client", async () => {
    const { v1 } = twilioClient(emulator);
    await v1.conversations.create({ uniqueName: "client-dup" });
    await expect(v1.conversations.create({ uniqueName: "client-dup" })).rejects.toMatchObject({ status: 409, code: 50353 });
  });
});

describe("state and timer rules (400)", () => {
  it.each([
    ["State=closed on create", { State: "closed" }, 50384],
    ["timers without State", { "Timers.Inactive": "PT5M" }, 50382],
    ["closed timer without State", { "Timers.Closed": "PT20M" }, 50382],
    ["inactive timer under a minute", { State: "active", "Timers.Inactive": "PT59S" }, 50375],
    ["closed timer under ten minutes", { State: "active", "Timers.Closed": "PT9M59S" }, 50376],
    ["inactive timer in years", { State: "active", "Timers.Inactive": "P1Y" }, 50379],
    ["inactive timer in prose", { State: "active", "Timers.Inactive": "5 minutes" }, 50379],
    ["closed timer in months", { State: "active", "Timers.Closed": "P1M" }, 50380],
    ["closed timer with no parts", { State: "active", "Timers.Closed": "PT" }, 50380],
    ["State=initializing", { State: "initializing" }, 400],
    ["an unknown State", { State: "open" }, 400],
  ])("refuses %s", async (_case, form, code) => {
    expectTwilioError(await raw(emulator, "POST", "/v1/Conversations", form as Record<string, string>), 400, code);
    expect(emulator.state().conversations).toEqual([]);
  });

  it.each([
    ["PT1M", "PT10M"],
    ["P1D", "P1W"],
    ["P1DT2H", "PT600S"],
  ])("accepts timers %s / %s at or above the minimums", async (inactive, closed) => {
    const response = await raw(emulator, "POST", "/v1/Conversations", { State: "active", "Timers.Inactive": inactive, "Timers.Closed": closed });
    expect(response.status).toBe(201);
  });

  it("refuses any update of a closed conversation, and messages into it (50377)", async () => {
    const conversation = await createConversation();
    expect((await raw(emulator, "POST", `/v1/Conversations/${conversation.sid}`, { State: "closed" })).status).toBe(200);
    expectTwilioError(await raw(emulator, "POST", `/v1/Conversations/${conversation.sid}`, { FriendlyName: "x" }), 400, 50377);
    expectTwilioError(await raw(emulator, "POST", `/v1/Conversations/${conversation.sid}`, { State: "active" }), 400, 50377);
    expectTwilioError(await raw(emulator, "POST", `/v1/Conversations/${conversation.sid}/Messages`, { Body: "late" }), 400, 50377);
  });

  it("refuses a message edit in a closed conversation (50377) but lets it be deleted", async () => {
    const conversation = await createConversation();
    const message = (await raw(emulator, "POST", `/v1/Conversations/${conversation.sid}/Messages`, { Body: "x" })).body;
    await raw(emulator, "POST", `/v1/Conversations/${conversation.sid}`, { State: "closed" });
    const path = `/v1/Conversations/${conversation.sid}/Messages/${message.sid}`;
    expectTwilioError(await raw(emulator, "POST", path, { Body: "y" }), 400, 50377);
    expect((await raw(emulator, "DELETE", path)).status).toBe(204);
  });
});

describe("field limits and formats (400)", () => {
  const conversationCases: Array<[string, Record<string, string>, number]> = [
    ["FriendlyName over 256 characters", { FriendlyName: "x".repeat(257) }, 400],
    ["UniqueName over 256 characters", { UniqueName: "x".repeat(257) }, 400],
    ["Attributes over 16 KB", { Attributes: JSON.stringify({ a: "x".repeat(16 * 1024) }) }, 50303],
    ["Attributes that are not JSON", { Attributes: "{not json" }, 50304],
    ["a malformed MessagingServiceSid", { MessagingServiceSid: "MG123" }, 400],
    ["a malformed DateCreated", { DateCreated: "yesterday" }, 400],
  ];
  it.each(conversationCases)("refuses a conversation with %s", async (_case, form, code) => {
    expectTwilioError(await raw(emulator, "POST", "/v1/Conversations", form), 400, code);
  });

  it("accepts values exactly at the limits", async () => {
    const attributes = JSON.stringify({ a: "x".repeat(16 * 1024 - 8) });
    expect(Buffer.byteLength(attributes)).toBe(16 * 1024);
    const conversation = await createConversation({ FriendlyName: "x".repeat(256), Attributes: attributes });
    const messageAttributes = JSON.stringify({ a: "é".repeat((4 * 1024 - 8) / 2) });
    expect(Buffer.byteLength(messageAttributes)).toBe(4 * 1024);
    const response = await raw(emulator, "POST", `/v1/Conversations/${conversation.sid}/Messages`, {
      Body: "b".repeat(1600),
      Subject: "s".repeat(256),
      Attributes: messageAttributes,
      ContentVariables: JSON.stringify({ 1: "v".repeat(256) }),
    });
    expect(response.status).toBe(201);
  });

  const messageCases: Array<[string, Record<string, string>, number]> = [
    ["Body over 1600 characters", { Body: "b".repeat(1601) }, 50504],
    ["Subject over 256 characters", { Subject: "s".repeat(257) }, 400],
    ["Attributes over 4 KB", { Attributes: JSON.stringify({ a: "x".repeat(4 * 1024) }) }, 50303],
    ["Attributes that are not JSON", { Attributes: "nope" }, 50304],
    ["ContentVariables that are not JSON", { ContentSid: "HX" + "a".repeat(32), ContentVariables: "{" }, 50527],
    ["ContentVariables that are a JSON array", { ContentSid: "HX" + "a".repeat(32), ContentVariables: '["a"]' }, 50527],
    ["a ContentVariables value over 256 characters", { ContentSid: "HX" + "a".repeat(32), ContentVariables: JSON.stringify({ 1: "v".repeat(257) }) }, 50541],
    ["a malformed MediaSid", { MediaSid: "ME123" }, 400],
    ["a malformed ContentSid", { ContentSid: "HX-nope" }, 400],
  ];
  it.each(messageCases)("refuses a message with %s", async (_case, form, code) => {
    const conversation = await createConversation();
    expectTwilioError(await raw(emulator, "POST", `/v1/Conversations/${conversation.sid}/Messages`, form), 400, code);
    expect(emulator.state().messages).toEqual([]);
  });

  it("refuses an over-long Body on message update", async () => {
    const conversation = await createConversation();
    const message = (await raw(emulator, "POST", `/v1/Conversations/${conversation.sid}/Messages`, { Body: "x" })).body;
    expectTwilioError(await raw(emulator, "POST", `/v1/Conversations/${conversation.sid}/Messages/${message.sid}`, { Body: "b".repeat(1601) }), 400, 50504);
  });

  it("ignores unknown form fields, as Twilio does", async () => {
    const response = await raw(emulator, "POST", "/v1/Conversations", { FriendlyName: "ok", Colour: "blue", "Timers.Whenever": "x" });
    expect(response.status).toBe(201);
    expect(response.body).not.toHaveProperty("colour");
  });

  it("refuses a Service without FriendlyName", async () => {
    expectTwilioError(await raw(emulator, "POST", "/v1/Services", {}), 400, 400);
  });
});

describe("list parameters", () => {
  it.each([["0"], ["101"], ["ten"]])("refuses PageSize=%s", async (size) => {
    expectTwilioError(await raw(emulator, "GET", `/v1/Conversations?PageSize=${size}`), 400, 400);
  });

  it("refuses a forged PageToken (21481) and an unknown Order", async () => {
    expectTwilioError(await raw(emulator, "GET", "/v1/Conversations?PageToken=garbage"), 400, 21481);
    const conversation = await createConversation();
    expectTwilioError(await raw(emulator, "GET", `/v1/Conversations/${conversation.sid}/Messages?Order=sideways`), 400, 400);
  });

  it("answers a wrong method on a known path with 405", async () => {
    expectTwilioError(await raw(emulator, "DELETE", "/v1/Conversations"), 405, 20004);
  });
});
