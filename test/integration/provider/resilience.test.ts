import { afterEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../../emulator";
import { raw } from "../emulator/support";
import { requestsOutsideSpec } from "../../support/requests-against-spec";
import { createThrough, emulatorConfig, loadProvider, useEmulator } from "./harness";

const env = useEmulator();

afterEach(() => env.emulator.clearFaults());

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;

function conversationsNamed(friendlyName: string) {
  return env.emulator.state().conversations.filter((c: any) => c.friendly_name === friendlyName) as any[];
}

function messagesIn(conversationSid: string) {
  return env.emulator.state().messages.filter((m: any) => m.conversation_sid === conversationSid) as any[];
}

async function newConversation(): Promise<string> {
  const response = await env.outside("POST", "/v1/Conversations", { UniqueName: unique("resilience") });
  expect(response.status).toBe(201);
  return response.body.sid;
}

const summary = (requests: ReturnType<typeof env.takeRequests>) => requests.map((r) => `${r.method} ${r.path} ${r.status}`);

describe("throttling", () => {
  it.each([
    ["with Retry-After: 0", { retryAfter: 0 }],
    ["without Retry-After (backoff with jitter)", {}],
  ])("a storm of five 429s on create %s: retried until created, exactly once", async (_label, extra) => {
    const friendlyName = unique("storm");
    env.emulator.setFaults([{ method: "POST", path: "^/v1/Conversations$", status: 429, count: 5, ...extra }]);
    env.takeRequests();
    const { id, outs } = await createThrough(env.conversations, { resourceName: friendlyName, friendlyName });
    expect(outs.sid).toBe(id);
    expect(summary(env.takeRequests())).toEqual([
      ...Array(5).fill("POST /v1/Conversations 429"),
      "POST /v1/Conversations 201",
    ]);
    expect(conversationsNamed(friendlyName).map((c) => c.sid)).toEqual([id]);
  });

  it("gives up after twilio:maxAttempts and names the throttling", async () => {
    const provider = await loadProvider("conversation", emulatorConfig(env.emulator, { "twilio:maxAttempts": "3" }));
    try {
      const friendlyName = unique("bounded");
      env.emulator.setFaults([{ method: "POST", path: "^/v1/Conversations$", status: 429, count: 10, retryAfter: 0 }]);
      env.takeRequests();
      const error = await createThrough(provider, { resourceName: friendlyName, friendlyName }).catch((e) => e);
      expect(error.message).toContain(`create conversation "${friendlyName}" failed (HTTP 429, Twilio error 20429)`);
      expect(summary(env.takeRequests())).toEqual(Array(3).fill("POST /v1/Conversations 429"));
      expect(conversationsNamed(friendlyName)).toEqual([]);
    } finally {
      // One runtime serves every provider of the process: put the shared settings back.
      await env.conversations.configure({ config: configLookup(emulatorConfig(env.emulator)) } as any);
    }
  });
});

describe("a connection dropped after the create was applied", () => {
  it("conversation with a uniqueName: found by name, not created twice", async () => {
    const uniqueName = unique("dropped-named");
    env.emulator.setFaults([{ method: "POST", path: "^/v1/Conversations$", drop: "after", count: 1 }]);
    env.takeRequests();
    const { id, outs } = await createThrough(env.conversations, { resourceName: uniqueName, uniqueName, friendlyName: uniqueName });
    const requests = env.takeRequests();
    expect(summary(requests)).toEqual(["POST /v1/Conversations 0", `GET /v1/Conversations/${uniqueName} 200`]);
    expect(requests.filter((r) => r.method === "POST")).toHaveLength(1);
    expect(outs).toMatchObject({ sid: id, uniqueName, friendlyName: uniqueName });
    expect(conversationsNamed(uniqueName).map((c) => c.sid)).toEqual([id]);
  });

  it("conversation without a uniqueName: found through the list, not created twice", async () => {
    const friendlyName = unique("dropped-anonymous");
    env.emulator.setFaults([{ method: "POST", path: "^/v1/Conversations$", drop: "after", count: 1 }]);
    env.takeRequests();
    const { id, outs } = await createThrough(env.conversations, {
      resourceName: friendlyName,
      friendlyName,
      attributes: { origin: friendlyName },
    });
    const requests = env.takeRequests();
    expect(summary(requests)).toEqual(["POST /v1/Conversations 0", "GET /v1/Conversations 200"]);
    expect(requests[1].query).toHaveProperty("StartDate");
    expect(outs).toMatchObject({ sid: id, friendlyName, attributes: { origin: friendlyName } });
    expect(conversationsNamed(friendlyName).map((c) => c.sid)).toEqual([id]);
  });

  it("message: found in the conversation's newest messages, not posted twice", async () => {
    const conversationSid = await newConversation();
    const path = `/v1/Conversations/${conversationSid}/Messages`;
    await createThrough(env.messages, { resourceName: "earlier", conversationSid, body: "an earlier message" });
    env.emulator.setFaults([{ method: "POST", path: `^${path}$`, drop: "after", count: 1 }]);
    env.takeRequests();
    const { id, outs } = await createThrough(env.messages, {
      resourceName: "dropped-message",
      conversationSid,
      author: "seed",
      body: "sent once",
      attributes: { n: 1 },
    });
    const requests = env.takeRequests();
    expect(summary(requests)).toEqual([`POST ${path} 0`, `GET ${path} 200`]);
    expect(outs).toMatchObject({ sid: id, body: "sent once", author: "seed", index: 1 });
    expect(messagesIn(conversationSid).map((m) => [m.sid, m.body])).toEqual([
      [expect.any(String), "an earlier message"],
      [id, "sent once"],
    ]);
  });

  it("message with a backdated creation time: matched by that time", async () => {
    const conversationSid = await newConversation();
    const path = `/v1/Conversations/${conversationSid}/Messages`;
    env.emulator.setFaults([{ method: "POST", path: `^${path}$`, drop: "after", count: 1 }]);
    env.takeRequests();
    const { id, outs } = await createThrough(env.messages, {
      resourceName: "dropped-backdated",
      conversationSid,
      body: "from the archive",
      dateCreated: "2023-06-01T12:00:00Z",
    });
    expect(summary(env.takeRequests())).toEqual([`POST ${path} 0`, `GET ${path} 200`]);
    expect(outs).toMatchObject({ sid: id, dateCreated: "2023-06-01T12:00:00Z" });
    expect(messagesIn(conversationSid).map((m) => m.sid)).toEqual([id]);
  });
});

/**
 * The requests with repeated lookups folded: a lookup that finds nothing is repeated once the
 * longest time a write can take has passed, unless that time has already passed (timing-bound).
 */
function lookedForThenResent(requests: string[]): string[] {
  return requests.filter((request, n) => !(request.startsWith("GET ") && request === requests[n - 1]));
}

describe("a connection dropped before the create was applied", () => {
  it("conversation: looked for, looked for again once no write can still land, sent again, created once", async () => {
    const uniqueName = unique("dropped-before");
    env.emulator.setFaults([{ method: "POST", path: "^/v1/Conversations$", drop: "before", count: 1 }]);
    env.takeRequests();
    const { id } = await createThrough(env.conversations, { resourceName: uniqueName, uniqueName, friendlyName: uniqueName });
    expect(lookedForThenResent(summary(env.takeRequests()))).toEqual([
      "POST /v1/Conversations 0",
      `GET /v1/Conversations/${uniqueName} 404`,
      "POST /v1/Conversations 201",
    ]);
    expect(conversationsNamed(uniqueName).map((c) => c.sid)).toEqual([id]);
  });

  it("message: looked for, looked for again once no write can still land, sent again, created once", async () => {
    const conversationSid = await newConversation();
    const path = `/v1/Conversations/${conversationSid}/Messages`;
    env.emulator.setFaults([{ method: "POST", path: `^${path}$`, drop: "before", count: 1 }]);
    env.takeRequests();
    const { id } = await createThrough(env.messages, { resourceName: "resent", conversationSid, body: "resent" });
    expect(lookedForThenResent(summary(env.takeRequests()))).toEqual([`POST ${path} 0`, `GET ${path} 200`, `POST ${path} 201`]);
    expect(messagesIn(conversationSid).map((m) => m.sid)).toEqual([id]);
  });
});

describe("which failures are retried", () => {
  it("a 503 on a read is retried", async () => {
    const uniqueName = unique("read-503");
    const { id, outs } = await createThrough(env.conversations, { resourceName: uniqueName, uniqueName });
    env.emulator.setFaults([{ method: "GET", path: `^/v1/Conversations/${id}$`, status: 503, count: 2, retryAfter: 0 }]);
    env.takeRequests();
    const read = await env.conversations.read(id, outs);
    expect(read.id).toBe(id);
    expect(read.props).toMatchObject({ uniqueName });
    expect(summary(env.takeRequests())).toEqual([
      `GET /v1/Conversations/${id} 503`,
      `GET /v1/Conversations/${id} 503`,
      `GET /v1/Conversations/${id} 200`,
    ]);
  });

  it("a 500 on an update is retried", async () => {
    const conversationSid = await newConversation();
    const inputs = { resourceName: "update-500", conversationSid, body: "before" };
    const { id, outs } = await createThrough(env.messages, inputs);
    const path = `/v1/Conversations/${conversationSid}/Messages/${id}`;
    env.emulator.setFaults([{ method: "POST", path: `^${path}$`, status: 500, count: 1 }]);
    env.takeRequests();
    const updated = await env.messages.update(id, outs, { ...inputs, body: "after" });
    expect(updated.outs.body).toBe("after");
    expect(summary(env.takeRequests())).toEqual([`POST ${path} 500`, `POST ${path} 200`]);
    expect(messagesIn(conversationSid).find((m) => m.sid === id).body).toBe("after");
  });

  it("a refused state change (HTTP 400) is not retried", async () => {
    const uniqueName = unique("final");
    const inputs = { resourceName: uniqueName, uniqueName, state: "closed" };
    const { id, outs } = await createThrough(env.conversations, inputs);
    env.takeRequests();
    const error = await env.conversations.update(id, outs, { ...inputs, state: "active" }).catch((e) => e);
    expect(error.message).toContain(`update conversation "${uniqueName}" failed (HTTP 400, Twilio error 50377)`);
    expect(summary(env.takeRequests())).toEqual([`POST /v1/Conversations/${id} 400`]);
    expect(env.emulator.state().conversations.find((c: any) => c.sid === id)).toMatchObject({ state: "closed" });
  });

  it("a message in a missing conversation (HTTP 404) is not retried", async () => {
    const conversationSid = "CH" + "0".repeat(32);
    env.takeRequests();
    const error = await createThrough(env.messages, { resourceName: "orphan", conversationSid, body: "hi" }).catch((e) => e);
    expect(error.message).toContain('create message "orphan" failed (HTTP 404, Twilio error 20404)');
    expect(env.takeRequests()).toHaveLength(1);
  });
});

describe("pacing", () => {
  it("45 concurrent message creates in one conversation stay within Twilio's 30 per second: no 429", async () => {
    const limited = await startEmulator({ apsLimits: true });
    try {
      const provider = await loadProvider("message", emulatorConfig(limited));
      const conversation = await raw(limited, "POST", "/v1/Conversations", { UniqueName: "paced" });
      const conversationSid: string = conversation.body.sid;
      limited.clearRequests();
      const results = await Promise.all(
        Array.from({ length: 45 }, (_, n) =>
          createThrough(provider, { resourceName: `paced-${n}`, conversationSid, body: `paced ${n}` }),
        ),
      );
      const [verification, ...requests] = limited.requests();
      // Another endpoint: the first checks verify it with one read, shared by all 45.
      expect(`${verification.method} ${verification.path} ${verification.status}`).toBe("GET /v1/Configuration 200");
      expect(requests.map((r) => r.status).filter((status) => status !== 201)).toEqual([]);
      expect(requests).toHaveLength(45);
      expect(new Set(results.map((r) => r.id)).size).toBe(45);
      expect(limited.state().messages.filter((m: any) => m.conversation_sid === conversationSid)).toHaveLength(45);
      expect(requestsOutsideSpec(requests)).toEqual([]);
    } finally {
      await limited.close();
      await env.messages.configure({ config: configLookup(emulatorConfig(env.emulator)) } as any);
    }
  });
});

function configLookup(config: Record<string, string>) {
  return { get: (key: string) => config[key], require: (key: string) => config[key] };
}
