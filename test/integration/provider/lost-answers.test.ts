// What a create does when its answer is lost, and when a 404 can't be trusted: never take another
// object for the one just created, never forget one that was created, never drop one from state
// because the provider looks in the wrong place.
import { afterEach, describe, expect, it } from "vitest";
import { createThrough, useEmulator } from "./harness";

const env = useEmulator();
afterEach(() => env.emulator.clearFaults());

const anHourAgo = () => new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
const conversations = () => env.emulator.state().conversations as any[];
const messagesIn = (sid: string) => (env.emulator.state().messages as any[]).filter((m) => m.conversation_sid === sid);

describe("a create whose answer is lost", () => {
  it("never takes an older conversation with the same unique name for its own (adopt: never still refuses it)", async () => {
    await env.outside("POST", "/v1/Conversations", { UniqueName: "vip", FriendlyName: "VIP customer", DateCreated: anHourAgo() });
    env.emulator.setFaults([{ method: "POST", path: "^/v1/Conversations$", status: 503, count: 1, retryAfter: 0 }]);
    const error = await createThrough(env.conversations, { resourceName: "seed", uniqueName: "vip", friendlyName: "Seed" }).catch((e) => e);
    expect(error.message).toContain("Twilio error 50353");
    expect(conversations().filter((c) => c.unique_name === "vip").map((c) => c.friendly_name)).toEqual(["VIP customer"]);
  });

  it("never takes an older identical conversation without a unique name for its own", async () => {
    const theirs = await env.outside("POST", "/v1/Conversations", { FriendlyName: "Lobby", DateCreated: anHourAgo() });
    env.emulator.setFaults([{ method: "POST", path: "^/v1/Conversations$", drop: "before", count: 1 }]);
    const { id } = await createThrough(env.conversations, { resourceName: "lobby", friendlyName: "Lobby" });
    expect(id).not.toBe(theirs.body.sid);
    expect(conversations().filter((c) => c.friendly_name === "Lobby")).toHaveLength(2);
  });

  it("refuses to guess for a conversation with nothing to tell it apart, and says what to do", async () => {
    env.emulator.setFaults([{ method: "POST", path: "^/v1/Conversations$", drop: "after", count: 1 }]);
    const before = conversations().length;
    const error = await createThrough(env.conversations, { resourceName: "bare" }).catch((e) => e);
    expect(error.message).toContain("cannot be told apart");
    expect(error.message).toContain("hint: give the conversation a uniqueName");
    expect(conversations()).toHaveLength(before + 1);
  });

  it("never takes an older identical backdated message (a replaced one) for the new one", async () => {
    const conversation = await env.outside("POST", "/v1/Conversations", { FriendlyName: "Thread" });
    const sid = conversation.body.sid;
    const fields = { Author: "ada", Body: "Hello", DateCreated: "2024-03-01T09:00:00Z" };
    const first = await env.outside("POST", `/v1/Conversations/${sid}/Messages`, { Author: "grace", Body: "Before" });
    const twin = await env.outside("POST", `/v1/Conversations/${sid}/Messages`, fields);
    env.emulator.setFaults([{ method: "POST", path: "/Messages$", drop: "before", count: 1 }]);
    const { id, outs } = await createThrough(env.messages, {
      resourceName: "thread/hello",
      conversationSid: sid,
      author: "ada",
      body: "Hello",
      dateCreated: "2024-03-01T09:00:00Z",
      afterIndex: twin.body.index,
    });
    expect(id).not.toBe(twin.body.sid);
    expect(outs.index).toBeGreaterThan(twin.body.index);
    expect(messagesIn(sid).map((m) => m.sid)).toEqual([first.body.sid, twin.body.sid, id]);
  });

  it("finds its own backdated message when the connection dropped after it was written", async () => {
    const conversation = await env.outside("POST", "/v1/Conversations", { FriendlyName: "Thread 2" });
    const sid = conversation.body.sid;
    env.emulator.setFaults([{ method: "POST", path: "/Messages$", drop: "after", count: 1 }]);
    const { id } = await createThrough(env.messages, {
      resourceName: "thread2/hello",
      conversationSid: sid,
      author: "ada",
      body: "Hello",
      dateCreated: "2024-03-01T09:00:00Z",
      afterIndex: null,
    });
    expect(messagesIn(sid).map((m) => m.sid)).toEqual([id]);
  });
});

describe("a create made of two requests", () => {
  it("records the conversation when closing it fails, so the next run finishes instead of creating it again", async () => {
    env.emulator.setFaults([{ method: "POST", path: "^/v1/Conversations/CH", status: 500, count: 50, retryAfter: 0 }]);
    const error = await createThrough(env.conversations, { resourceName: "archive", uniqueName: "archive", state: "closed" }).catch((e) => e);
    env.emulator.clearFaults();
    expect(error.message).toMatch(/^conversation CH[0-9a-f]{32} was created, but/);
    expect(error.properties).toMatchObject({ sid: error.id, uniqueName: "archive", state: "active" });
    const updated = await env.conversations.update(error.id, error.properties, { resourceName: "archive", uniqueName: "archive", state: "closed" });
    expect(updated.outs.state).toBe("closed");
    expect(conversations().filter((c) => c.unique_name === "archive")).toHaveLength(1);
  });
});

describe("a 404 that cannot mean deleted", () => {
  it("refresh and delete refuse it when the object was made in another account or through another host", async () => {
    const { id, outs } = await createThrough(env.conversations, { resourceName: "elsewhere", uniqueName: "elsewhere" });
    const otherAccount = { ...outs, accountSid: "AC11111111111111111111111111111111" };
    await env.outside("DELETE", `/v1/Conversations/${id}`);
    for (const olds of [otherAccount, { ...outs, url: outs.url.replace("127.0.0.1", "localhost") }]) {
      const read = await env.conversations.read(id, olds).catch((e) => e);
      expect(read.message).toContain("Twilio answered 404, which is not taken to mean deleted");
      const deleted = await env.conversations.delete(id, olds).catch((e) => e);
      expect(deleted.message).toContain("hint: point the provider back at where the object lives");
    }
    expect(await env.conversations.read(id, outs)).toEqual({ id: "" });
  });
});

describe("adoption", () => {
  it("applies declared timers to the adopted conversation", async () => {
    await env.outside("POST", "/v1/Conversations", { UniqueName: "legacy-timers" });
    env.takeRequests();
    const { outs } = await createThrough(env.conversations, {
      resourceName: "legacy",
      uniqueName: "legacy-timers",
      state: "active",
      timers: { inactive: "PT1H" },
      adopt: "ifExists",
    });
    const update = env.takeRequests().find((r) => r.method === "POST");
    expect(update?.form).toMatchObject({ "Timers.Inactive": "PT1H" });
    expect(outs.dateInactive).not.toBeNull();
  });
});
