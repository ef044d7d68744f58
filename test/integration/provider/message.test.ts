import { describe, expect, it } from "vitest";
import { createThrough, useEmulator } from "./harness";

const env = useEmulator();

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const MEDIA_SID = "ME0123456789abcdef0123456789abcdef";
const CONTENT_SID = "HX0123456789abcdef0123456789abcdef";

const everyField = {
  author: "agent-7",
  body: "Hello from the seed",
  attributes: { priority: "high", tags: ["x", "y"], score: 3 },
  subject: "Welcome",
  dateCreated: "2024-01-31T09:30:00Z",
  dateUpdated: "2024-01-31T09:45:00Z",
};

let conversationCounter = 0;

async function newConversation(serviceSid?: string): Promise<string> {
  conversationCounter += 1;
  const path = serviceSid ? `/v1/Services/${serviceSid}/Conversations` : "/v1/Conversations";
  const response = await env.outside("POST", path, { UniqueName: `messages-${conversationCounter}` });
  expect(response.status).toBe(201);
  return response.body.sid;
}

async function createService(name: string): Promise<string> {
  const response = await env.outside("POST", "/v1/Services", { FriendlyName: name });
  return response.body.sid;
}

function storedMessage(sid: string) {
  return env.emulator.state().messages.find((m: any) => m.sid === sid) as any;
}

function messagesIn(conversationSid: string) {
  return env.emulator.state().messages.filter((m: any) => m.conversation_sid === conversationSid) as any[];
}

const isoSeconds = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe("create", () => {
  it("creates a message with every field in the default service, in one request", async () => {
    const conversationSid = await newConversation();
    env.takeRequests();
    const { id, outs } = await createThrough(env.messages, { resourceName: "hello", conversationSid, ...everyField });
    const requests = env.takeRequests();
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /v1/Conversations/${conversationSid}/Messages`]);
    expect(requests[0].form).toEqual({
      Author: "agent-7",
      Body: "Hello from the seed",
      Attributes: '{"priority":"high","score":3,"tags":["x","y"]}',
      Subject: "Welcome",
      DateCreated: "2024-01-31T09:30:00Z",
      DateUpdated: "2024-01-31T09:45:00Z",
    });
    expect(requests[0].headers["x-twilio-webhook-enabled"]).toBe("false");
    expect(requests[0].status).toBe(201);
    expect(id).toMatch(/^IM[0-9a-f]{32}$/);
    expect(outs).toMatchObject({
      sid: id,
      accountSid: env.emulator.credentials.accountSid,
      conversationSid,
      chatServiceSid: null,
      author: "agent-7",
      body: "Hello from the seed",
      attributes: everyField.attributes,
      subject: "Welcome",
      dateCreated: "2024-01-31T09:30:00Z",
      dateUpdated: "2024-01-31T09:45:00Z",
      mediaSid: null,
      contentSid: null,
      webhooksEnabled: false,
    });
    expect(outs.index).toBe(0);
    expect(outs.declared.sort()).toEqual(["attributes", "author", "body", "dateCreated", "dateUpdated", "subject"]);
    expect(JSON.stringify(outs)).not.toContain("undefined");
    expect(Object.values(outs)).not.toContain(undefined);
    expect(storedMessage(id)).toMatchObject({
      body: "Hello from the seed",
      author: "agent-7",
      subject: "Welcome",
      date_created: "2024-01-31T09:30:00Z",
      chat_service_sid: env.emulator.defaultServiceSid,
    });
  });

  it("creates in a named Conversation Service through the service-scoped path, with webhooks on when asked", async () => {
    const serviceSid = await createService("messages-service");
    const conversationSid = await newConversation(serviceSid);
    env.takeRequests();
    const { id, outs } = await createThrough(env.messages, {
      resourceName: "scoped",
      chatServiceSid: serviceSid,
      conversationSid,
      webhooksEnabled: true,
      ...everyField,
    });
    const requests = env.takeRequests();
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      // The first check naming a service verifies it exists.
      `GET /v1/Services/${serviceSid}`,
      `POST /v1/Services/${serviceSid}/Conversations/${conversationSid}/Messages`,
    ]);
    expect(requests[1].form).toEqual({
      Author: "agent-7",
      Body: "Hello from the seed",
      Attributes: '{"priority":"high","score":3,"tags":["x","y"]}',
      Subject: "Welcome",
      DateCreated: "2024-01-31T09:30:00Z",
      DateUpdated: "2024-01-31T09:45:00Z",
    });
    expect(requests[1].headers["x-twilio-webhook-enabled"]).toBe("true");
    expect(outs).toMatchObject({ sid: id, chatServiceSid: serviceSid, conversationSid, webhooksEnabled: true, index: 0 });
    expect(outs.url).toContain(`/Services/${serviceSid}/Conversations/${conversationSid}/Messages/${id}`);
    expect(JSON.stringify(outs)).not.toContain("undefined");
    expect(Object.values(outs)).not.toContain(undefined);
    expect(storedMessage(id).chat_service_sid).toBe(serviceSid);
  });

  it("stamps the creation time when no dates are declared", async () => {
    const conversationSid = await newConversation();
    const before = Math.floor(Date.now() / 1000) * 1000;
    const { outs } = await createThrough(env.messages, { resourceName: "now", conversationSid, body: "hi" });
    expect(outs.dateCreated).toMatch(isoSeconds);
    expect(outs.dateUpdated).toMatch(isoSeconds);
    expect(Date.parse(outs.dateCreated)).toBeGreaterThanOrEqual(before);
    expect(outs.author).toBe("system");
    expect(outs.declared).toEqual(["body"]);
    expect(Object.values(outs)).not.toContain(undefined);
  });

  it("creates a media message", async () => {
    const conversationSid = await newConversation();
    env.takeRequests();
    const { id, outs } = await createThrough(env.messages, { resourceName: "picture", conversationSid, mediaSid: MEDIA_SID });
    const requests = env.takeRequests();
    expect(requests).toHaveLength(1);
    expect(requests[0].form).toEqual({ MediaSid: MEDIA_SID });
    expect(outs).toMatchObject({ sid: id, mediaSid: MEDIA_SID, body: null, contentSid: null });
    expect(Object.values(outs)).not.toContain(undefined);
    expect(await env.messages.diff(id, outs, { resourceName: "picture", conversationSid, mediaSid: MEDIA_SID })).toEqual({
      changes: false,
      replaces: [],
    });
  });

  it("creates a content-template message, sending the variables as JSON text", async () => {
    const conversationSid = await newConversation();
    env.takeRequests();
    const contentVariables = { "1": "Ada", "2": "Tuesday 10:00" };
    const inputs = { resourceName: "template", conversationSid, contentSid: CONTENT_SID, contentVariables };
    const { id, outs } = await createThrough(env.messages, inputs);
    const requests = env.takeRequests();
    expect(requests).toHaveLength(1);
    expect(requests[0].form).toEqual({ ContentSid: CONTENT_SID, ContentVariables: JSON.stringify(contentVariables) });
    expect(JSON.parse(requests[0].form.ContentVariables)).toEqual(contentVariables);
    expect(outs).toMatchObject({ sid: id, contentSid: CONTENT_SID, contentVariables, body: null, mediaSid: null });
    expect(JSON.parse(storedMessage(id).content_variables)).toEqual(contentVariables);
    expect(Object.values(outs)).not.toContain(undefined);
    expect(await env.messages.diff(id, outs, inputs)).toEqual({ changes: false, replaces: [] });
  });

  it("gives messages created one after another increasing indexes", async () => {
    const conversationSid = await newConversation();
    const indexes: number[] = [];
    for (const n of [1, 2, 3, 4]) {
      const { outs } = await createThrough(env.messages, { resourceName: `seq-${n}`, conversationSid, body: `message ${n}` });
      indexes.push(outs.index);
    }
    for (let i = 1; i < indexes.length; i++) expect(indexes[i]).toBeGreaterThan(indexes[i - 1]);
    expect(messagesIn(conversationSid).map((m) => m.body)).toEqual(["message 1", "message 2", "message 3", "message 4"]);
  });
});

describe("check", () => {
  async function failuresOf(inputs: Record<string, unknown>) {
    env.takeRequests();
    const result = await env.messages.check({}, { resourceName: "bad", conversationSid: "CH0123456789abcdef0123456789abcdef", ...inputs });
    expect(env.takeRequests()).toEqual([]);
    return result.failures ?? [];
  }

  it("accepts a body of exactly 1600 characters", async () => {
    expect(await failuresOf({ body: "x".repeat(1600) })).toEqual([]);
  });

  it("refuses a body over 1600 characters", async () => {
    expect(await failuresOf({ body: "x".repeat(1601) })).toEqual([{ property: "body", reason: expect.stringContaining("1600") }]);
  });

  it("refuses a contentSid together with a body", async () => {
    expect(await failuresOf({ body: "hi", contentSid: CONTENT_SID })).toEqual([
      { property: "contentSid", reason: expect.stringContaining("contentSid cannot be combined with body") },
    ]);
  });

  it("refuses contentVariables without a contentSid", async () => {
    expect(await failuresOf({ body: "hi", contentVariables: { "1": "x" } })).toEqual([
      { property: "contentVariables", reason: expect.stringContaining("contentVariables without a contentSid") },
    ]);
  });

  it("refuses a malformed mediaSid", async () => {
    expect(await failuresOf({ mediaSid: "ME123" })).toEqual([{ property: "mediaSid", reason: expect.stringContaining("ME…") }]);
  });

  it("refuses a message with no body, media or content", async () => {
    expect(await failuresOf({ author: "someone" })).toEqual([
      { property: "body", reason: expect.stringContaining("the message has no content: no body, mediaSid or contentSid") },
    ]);
  });

  it("makes no request when create is refused by check", async () => {
    const conversationSid = await newConversation();
    const inputs = { resourceName: "refused", conversationSid, body: "y".repeat(1700) };
    const error = await createThrough(env.messages, inputs).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(env.takeRequests()).toEqual([]);
    expect(messagesIn(conversationSid)).toEqual([]);
  });
});

describe("update", () => {
  const edits: Array<[string, unknown, Record<string, string>]> = [
    ["author", "agent-8", { Author: "agent-8" }],
    ["body", "Edited body", { Body: "Edited body" }],
    ["attributes", { priority: "low" }, { Attributes: '{"priority":"low"}' }],
    ["subject", "Re: Welcome", { Subject: "Re: Welcome" }],
    ["dateCreated", "2024-01-30T08:00:00Z", { DateCreated: "2024-01-30T08:00:00Z" }],
    ["dateUpdated", "2024-02-01T10:00:00Z", {}],
  ];

  it.each(edits)("changes %s in place with one request that sends only that field (and the declared DateUpdated)", async (property, value, form) => {
    const conversationSid = await newConversation();
    const inputs = { resourceName: `edit-${property}`, conversationSid, ...everyField };
    const { id, outs } = await createThrough(env.messages, inputs);
    const news = { ...inputs, [property]: value };
    expect(await env.messages.diff(id, outs, news)).toEqual({ changes: true, replaces: [] });
    env.takeRequests();
    const updated = await env.messages.update(id, outs, news);
    const requests = env.takeRequests();
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /v1/Conversations/${conversationSid}/Messages/${id}`]);
    expect(requests[0].form).toEqual({ ...form, DateUpdated: property === "dateUpdated" ? value : everyField.dateUpdated });
    expect(requests[0].headers["x-twilio-webhook-enabled"]).toBe("false");
    expect(updated.outs[property]).toEqual(value);
    expect(updated.outs.sid).toBe(id);
    expect(Object.values(updated.outs)).not.toContain(undefined);
    expect(await env.messages.diff(id, updated.outs, news)).toEqual({ changes: false, replaces: [] });
  });

  it("sends only the changed field when dateUpdated is not declared", async () => {
    const conversationSid = await newConversation();
    const inputs = { resourceName: "undated", conversationSid, body: "before" };
    const { id, outs } = await createThrough(env.messages, inputs);
    env.takeRequests();
    const updated = await env.messages.update(id, outs, { ...inputs, body: "after" });
    expect(env.takeRequests().map((r) => r.form)).toEqual([{ Body: "after" }]);
    expect(updated.outs.body).toBe("after");
    expect(storedMessage(id).body).toBe("after");
  });

  it("sends nothing when only webhooksEnabled changes", async () => {
    const conversationSid = await newConversation();
    const inputs = { resourceName: "quiet", conversationSid, body: "same" };
    const { id, outs } = await createThrough(env.messages, inputs);
    const news = { ...inputs, webhooksEnabled: true };
    expect(await env.messages.diff(id, outs, news)).toEqual({ changes: true, replaces: [] });
    env.takeRequests();
    const updated = await env.messages.update(id, outs, news);
    expect(env.takeRequests()).toEqual([]);
    expect(updated.outs.webhooksEnabled).toBe(true);
    expect(await env.messages.diff(id, updated.outs, news)).toEqual({ changes: false, replaces: [] });
  });
});

describe("replace decisions", () => {
  it.each([
    ["mediaSid", { mediaSid: MEDIA_SID }, { mediaSid: "ME" + "f".repeat(32) }],
    ["contentSid", { contentSid: CONTENT_SID }, { contentSid: "HX" + "f".repeat(32) }],
    ["contentVariables", { contentSid: CONTENT_SID, contentVariables: { "1": "a" } }, { contentVariables: { "1": "b" } }],
  ] as Array<[string, Record<string, unknown>, Record<string, unknown>]>)(
    "changing %s replaces the message",
    async (property, declared, change) => {
      const conversationSid = await newConversation();
      const inputs = { resourceName: `replace-${property}`, conversationSid, ...declared };
      const { id, outs } = await createThrough(env.messages, inputs);
      env.takeRequests();
      expect(await env.messages.diff(id, outs, { ...inputs, ...change })).toEqual({ changes: true, replaces: [property] });
      expect(env.takeRequests()).toEqual([]);
    },
  );

  it("moving to another conversation replaces the message", async () => {
    const conversationSid = await newConversation();
    const inputs = { resourceName: "mover", conversationSid, body: "hi" };
    const { id, outs } = await createThrough(env.messages, inputs);
    const elsewhere = await newConversation();
    expect(await env.messages.diff(id, outs, { ...inputs, conversationSid: elsewhere })).toEqual({
      changes: true,
      replaces: ["conversationSid"],
    });
  });

  it("moving to another service replaces the message", async () => {
    const conversationSid = await newConversation();
    const inputs = { resourceName: "service-mover", conversationSid, body: "hi" };
    const { id, outs } = await createThrough(env.messages, inputs);
    const serviceSid = await createService("other");
    expect(await env.messages.diff(id, outs, { ...inputs, chatServiceSid: serviceSid })).toEqual({
      changes: true,
      replaces: ["chatServiceSid"],
    });
  });

  it("shows no change when attributes are reordered", async () => {
    const conversationSid = await newConversation();
    const inputs = { resourceName: "reordered", conversationSid, ...everyField };
    const { id, outs } = await createThrough(env.messages, inputs);
    const reordered = { ...inputs, attributes: { tags: ["x", "y"], score: 3, priority: "high" } };
    expect(await env.messages.diff(id, outs, reordered)).toEqual({ changes: false, replaces: [] });
  });

  describe("afterIndex: a message stays after the one it follows", () => {
    async function pair() {
      const conversationSid = await newConversation();
      await createThrough(env.messages, { resourceName: "opening", conversationSid, body: "zero" });
      const first = await createThrough(env.messages, { resourceName: "first", conversationSid, body: "one" });
      const inputs = { resourceName: "second", conversationSid, body: "two", afterIndex: first.outs.index };
      const second = await createThrough(env.messages, inputs);
      expect(second.outs.index).toBeGreaterThan(first.outs.index);
      expect(await env.messages.diff(second.id, second.outs, inputs)).toEqual({ changes: false, replaces: [] });
      return { conversationSid, first, second, inputs };
    }

    it("a predecessor re-created with a higher index replaces the follower", async () => {
      const { conversationSid, first, second, inputs } = await pair();
      await env.messages.delete(first.id, first.outs);
      const recreated = await createThrough(env.messages, { resourceName: "first", conversationSid, body: "one" });
      expect(recreated.outs.index).toBeGreaterThan(second.outs.index);
      expect(await env.messages.diff(second.id, second.outs, { ...inputs, afterIndex: recreated.outs.index })).toEqual({
        changes: true,
        replaces: ["afterIndex"],
      });
    });

    it("an unknown predecessor index (preview) replaces the follower", async () => {
      const { second, inputs } = await pair();
      expect(await env.messages.diff(second.id, second.outs, { ...inputs, afterIndex: UNKNOWN })).toEqual({
        changes: true,
        replaces: ["afterIndex"],
      });
    });

    it("a predecessor index still lower than the follower's does not replace it", async () => {
      const { first, second, inputs } = await pair();
      expect(first.outs.index).toBeGreaterThan(0);
      const lower = first.outs.index - 1;
      const diff = await env.messages.diff(second.id, second.outs, { ...inputs, afterIndex: lower });
      expect(diff.replaces).toEqual([]);
      env.takeRequests();
      const updated = await env.messages.update(second.id, second.outs, { ...inputs, afterIndex: lower });
      expect(env.takeRequests()).toEqual([]);
      expect(updated.outs.afterIndex).toBe(lower);
    });
  });
});

describe("refresh and delete", () => {
  it("finds a body edited outside and puts the declared one back", async () => {
    const conversationSid = await newConversation();
    const inputs = { resourceName: "drift", conversationSid, ...everyField };
    const { id, outs } = await createThrough(env.messages, inputs);
    await env.outside("POST", `/v1/Conversations/${conversationSid}/Messages/${id}`, { Body: "Changed by hand" });
    const read = await env.messages.read(id, outs);
    expect(read.id).toBe(id);
    expect(read.props).toMatchObject({ body: "Changed by hand", author: "agent-7" });
    expect(read.inputs).toMatchObject({ body: "Changed by hand", conversationSid, author: "agent-7" });
    expect(read.inputs).not.toHaveProperty("sid");
    expect(await env.messages.diff(id, read.props, inputs)).toEqual({ changes: true, replaces: [] });
    env.takeRequests();
    const updated = await env.messages.update(id, read.props, inputs);
    const requests = env.takeRequests();
    expect(requests).toHaveLength(1);
    expect(requests[0].form).toEqual({ Body: "Hello from the seed", DateUpdated: everyField.dateUpdated });
    expect(updated.outs.body).toBe("Hello from the seed");
    expect(storedMessage(id).body).toBe("Hello from the seed");
  });

  it("reads a message deleted outside as gone", async () => {
    const conversationSid = await newConversation();
    const { id, outs } = await createThrough(env.messages, { resourceName: "gone", conversationSid, body: "bye" });
    await env.outside("DELETE", `/v1/Conversations/${conversationSid}/Messages/${id}`);
    expect(await env.messages.read(id, outs)).toEqual({ id: "" });
  });

  it("deletes idempotently: a message already gone counts as deleted", async () => {
    const conversationSid = await newConversation();
    const { id, outs } = await createThrough(env.messages, { resourceName: "twice", conversationSid, body: "twice" });
    env.takeRequests();
    await env.messages.delete(id, outs);
    await env.messages.delete(id, outs);
    expect(env.takeRequests().filter((r) => r.method === "DELETE").map((r) => r.status)).toEqual([204, 404]);
    expect(storedMessage(id)).toBeUndefined();
  });

  it("an edit in a closed conversation fails with Twilio's 50377 and the hint", async () => {
    const conversationSid = await newConversation();
    const inputs = { resourceName: "archived", conversationSid, body: "old" };
    const { id, outs } = await createThrough(env.messages, inputs);
    await env.outside("POST", `/v1/Conversations/${conversationSid}`, { State: "closed" });
    env.takeRequests();
    const error = await env.messages.update(id, outs, { ...inputs, body: "new" }).catch((e) => e);
    expect(error.message).toContain('update message "archived" failed (HTTP 400, Twilio error 50377)');
    expect(error.message).toContain("hint: the conversation is closed, and a closed conversation takes no new or edited messages");
    expect(env.takeRequests()).toHaveLength(1);
    expect(storedMessage(id).body).toBe("old");
  });
});
