// An answer counts only when it is the resource asked for, and a request reaches only the path
// it names: a 2xx that is not a conversation or a message is an error, and no value (a unique
// name of "." or "..") can turn a request for one conversation into one for the list.
import { afterEach, describe, expect, it } from "vitest";
import { createThrough, useEmulator } from "./harness";
import { nothingSent } from "../../support/rows";
import { httpAnswer, jsonAnswer, socketError, testTransport } from "../../support/transport";
import { createConversation } from "../../../provider/client/conversations";
import { DEFAULT_RETRY_POLICY } from "../../../provider/client/retry";
import { resolveSettings } from "../../../provider/config";
import { CONVERSATION_PROPERTIES } from "../../../provider/domain/properties";
import { TwilioConversationsError } from "../../../provider/errors";

const env = useEmulator();
afterEach(() => env.emulator.clearFaults());

const BOGUS_ANSWERS = [
  ["an HTML 200", "<html><head><title>Sign in</title></head>\n<body>Wi-Fi login</body></html>", 'a text/html body: "<html><head><title>Sign in</title></head> <body>Wi-Fi login</body></html>"'],
  ["an empty 200", "", "an empty body"],
  ["a JSON 200 without a SID", '{"ok":true}', 'JSON without a SID: "{\\"ok\\":true}"'],
] as const;

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;

describe("a 2xx answer that is not the resource", () => {
  it.each(BOGUS_ANSWERS)("creating a conversation, %s is an error, never a success with ID \"undefined\"", async (_label, body, described) => {
    env.emulator.setFaults([{ method: "POST", path: "^/v1/Conversations$", status: 200, body, count: 1 }]);
    const friendlyName = unique("bogus");
    const outcome = await createThrough(env.conversations, { resourceName: friendlyName, friendlyName }).catch((error) => error);
    expect(outcome).toBeInstanceOf(Error);
    expect(outcome.message).toContain(`create conversation "${friendlyName}" failed (HTTP 200): the answer is ${described}, not a conversation`);
    expect(outcome.message).toContain("hint: check that TWILIO_CONVERSATIONS_BASE_URL");
    expect(outcome.message).not.toContain(env.emulator.credentials.authToken);
  });

  it.each(BOGUS_ANSWERS)("creating a message, %s is an error", async (_label, body, described) => {
    const conversation = await env.outside("POST", "/v1/Conversations", { FriendlyName: unique("thread") });
    env.emulator.setFaults([{ method: "POST", path: "/Messages$", status: 200, body, count: 1 }]);
    const outcome = await createThrough(env.messages, { resourceName: "t/hello", conversationSid: conversation.body.sid, body: "Hello" }).catch((error) => error);
    expect(outcome).toBeInstanceOf(Error);
    expect(outcome.message).toContain(`create message "t/hello" failed (HTTP 200): the answer is ${described}, not a message`);
  });

  it("reading a conversation, an HTML 200 is an error, not a conversation that lost its fields", async () => {
    const uniqueName = unique("read");
    const { id, outs } = await createThrough(env.conversations, { resourceName: uniqueName, uniqueName });
    env.emulator.setFaults([{ method: "GET", path: `^/v1/Conversations/${id}$`, status: 200, body: "<html>maintenance</html>", count: 1 }]);
    const outcome = await env.conversations.read(id, outs).catch((error) => error);
    expect(outcome).toBeInstanceOf(Error);
    expect(outcome.message).toContain(", not a conversation");
  });

  it("updating a message, an empty 200 is an error", async () => {
    const conversation = await env.outside("POST", "/v1/Conversations", { FriendlyName: unique("edit") });
    const inputs = { resourceName: "e/one", conversationSid: conversation.body.sid, body: "One" };
    const { id, outs } = await createThrough(env.messages, inputs);
    env.emulator.setFaults([{ method: "POST", path: `/Messages/${id}$`, status: 200, body: "", count: 1 }]);
    const outcome = await env.messages.update(id, outs, { ...inputs, body: "Two" }).catch((error) => error);
    expect(outcome).toBeInstanceOf(Error);
    expect(outcome.message).toContain("the answer is an empty body, not a message");
  });
});

describe("a value that would change the request path", () => {
  // `create` is called without `check`, which refuses these names too: the URL building must hold on its own.
  it.each([".", "..", ""])("uniqueName %j is refused before any request, never read as the list", async (uniqueName) => {
    env.takeRequests();
    const outcome = await env.conversations
      .create({ resourceName: "dots", uniqueName, adopt: "ifExists" })
      .catch((error) => error);
    expect(outcome).toBeInstanceOf(Error);
    expect(outcome.message).toContain('look up conversation to adopt "dots" failed');
    expect(outcome.message).toContain(`${JSON.stringify(uniqueName)} cannot be one segment of a request path: GET /v1/Conversations/${uniqueName} would reach`);
    expect(env.takeRequests()).toEqual([]);
  });

  it("a unique name with characters that mean something in a URL reaches exactly its conversation", async () => {
    const uniqueName = "a b%2F#c?d=..";
    const theirs = await env.outside("POST", "/v1/Conversations", { UniqueName: uniqueName });
    env.takeRequests();
    const adopted = await env.conversations.create({ resourceName: "odd", uniqueName, adopt: "ifExists" });
    expect(adopted.id).toBe(theirs.body.sid);
    expect(env.takeRequests()[0].path).toBe(`/v1/Conversations/${encodeURIComponent(uniqueName)}`);
  });
});

// The lookups a create runs after its answer was lost read lists: an answer that is not a page of
// that list must fail the create, never read as "nothing found" and send the create again.
const NOT_A_PAGE = [
  ["an HTML 200", "<html><body>Wi-Fi login</body></html>", (what: string) => `a text/html body: "<html><body>Wi-Fi login</body></html>", not a page of ${what}`],
  ["an empty 200", "", (what: string) => `an empty body, not a page of ${what}`],
  ["a JSON 200 without the list", '{"ok":true}', (what: string) => `JSON without a ${what} list and meta: "{\\"ok\\":true}", not a page of ${what}`],
  ["a JSON 200 with the list but no meta", '{"conversations":[],"messages":[]}', (what: string) => `JSON without a ${what} list and meta: "{\\"conversations\\":[],\\"messages\\":[]}", not a page of ${what}`],
] as const;

const STRAY_HINT = "the create may have been applied: look for a stray object before running `pulumi up` again";
const posts = (requests: Array<{ method: string; path: string }>, path: RegExp) => requests.filter((r) => r.method === "POST" && path.test(r.path));

describe("a lookup after a lost answer that is not a page of the list", () => {
  it.each(NOT_A_PAGE)("creating a conversation, %s on the lookup fails the create after one request, never a duplicate", async (_label, body, described) => {
    const friendlyName = unique("lost-lookup");
    env.emulator.setFaults([
      { method: "POST", path: "^/v1/Conversations$", drop: "after", count: 1 },
      { method: "GET", path: "^/v1/Conversations$", status: 200, body, count: 10 },
    ]);
    env.takeRequests();
    const outcome = await createThrough(env.conversations, { resourceName: friendlyName, friendlyName }).catch((error) => error);
    expect(outcome).toBeInstanceOf(Error);
    expect(outcome.message).toContain(`create conversation "${friendlyName}" failed (HTTP 200): the answer is ${described("conversations")}`);
    expect(outcome.message).toContain(STRAY_HINT);
    expect(posts(env.takeRequests(), /^\/v1\/Conversations$/)).toHaveLength(1);
    expect((env.emulator.state().conversations as any[]).filter((c) => c.friendly_name === friendlyName)).toHaveLength(1);
  });

  it.each(NOT_A_PAGE)("creating a message, %s on the lookup fails the create after one request, never a duplicate", async (_label, body, described) => {
    const conversation = await env.outside("POST", "/v1/Conversations", { FriendlyName: unique("lost-thread") });
    const sid = conversation.body.sid;
    env.emulator.setFaults([
      { method: "POST", path: "/Messages$", drop: "after", count: 1 },
      { method: "GET", path: "/Messages$", status: 200, body, count: 10 },
    ]);
    // A name of its own: the create journal keeps each failed create's intent under its name.
    const resourceName = unique("lost/hello");
    env.takeRequests();
    const outcome = await createThrough(env.messages, { resourceName, conversationSid: sid, author: "ada", body: "Hello" }).catch((error) => error);
    expect(outcome).toBeInstanceOf(Error);
    expect(outcome.message).toContain(`create message "${resourceName}" failed (HTTP 200): the answer is ${described("messages")}`);
    expect(outcome.message).toContain(STRAY_HINT);
    expect(posts(env.takeRequests(), /\/Messages$/)).toHaveLength(1);
    expect((env.emulator.state().messages as any[]).filter((m) => m.conversation_sid === sid)).toHaveLength(1);
  });

  it("creating a conversation with a unique name, an HTML 200 on the lookup by name fails the create and says to look for a stray one", async () => {
    const uniqueName = unique("lost-named");
    env.emulator.setFaults([
      { method: "POST", path: "^/v1/Conversations$", drop: "after", count: 1 },
      { method: "GET", path: `^/v1/Conversations/${uniqueName}$`, status: 200, body: "<html>maintenance</html>", count: 10 },
    ]);
    env.takeRequests();
    const outcome = await createThrough(env.conversations, { resourceName: uniqueName, uniqueName }).catch((error) => error);
    expect(outcome).toBeInstanceOf(Error);
    expect(outcome.message).toContain(`create conversation "${uniqueName}" failed (HTTP 200): the answer is a text/html body: "<html>maintenance</html>", not a conversation`);
    expect(outcome.message).toContain(STRAY_HINT);
    expect(posts(env.takeRequests(), /^\/v1\/Conversations$/)).toHaveLength(1);
  });
});

describe("a later page of the lookup that is not a page of the list", () => {
  // Scripted: the emulator's faults match a path, not a page of it.
  it("an HTML 200 on the second page fails the create after one request", async () => {
    const sent: string[] = [];
    const firstPage = {
      conversations: [],
      meta: { page: 0, page_size: 100, key: "conversations", next_page_url: "https://conversations.test/v1/Conversations?PageSize=100&Page=1&PageToken=PT1" },
    };
    const transport = testTransport({
      settings: resolveSettings(() => undefined, {
        TWILIO_ACCOUNT_SID: "AC" + "1".repeat(32),
        TWILIO_AUTH_TOKEN: "token-value-1234",
        TWILIO_CONVERSATIONS_BASE_URL: "https://conversations.test",
      }),
      policy: { ...DEFAULT_RETRY_POLICY, maxWriteMs: 0 },
      exchange: async ({ method, url }) => {
        sent.push(`${method} ${url.pathname}${url.searchParams.has("Page") ? " page " + url.searchParams.get("Page") : ""}`);
        if (method === "POST") throw socketError("ECONNRESET", "socket hang up");
        if (!url.searchParams.has("Page")) return jsonAnswer(200, firstPage);
        return httpAnswer(200, "<html>Sign in</html>", { "content-type": "text/html" });
      },
    });
    const fields = { ...nothingSent(CONVERSATION_PROPERTIES), friendlyName: "Paged" };
    const outcome = await createConversation(transport, { serviceSid: null }, fields, false, { operation: "create conversation", resource: "paged" }).catch((error) => error);
    expect(outcome).toBeInstanceOf(TwilioConversationsError);
    expect(outcome.message).toContain('create conversation "paged" failed (HTTP 200): the answer is a text/html body: "<html>Sign in</html>", not a page of conversations');
    expect(outcome.message).toContain(STRAY_HINT);
    expect(sent).toEqual(["POST /v1/Conversations", "GET /v1/Conversations", "GET /v1/Conversations page 1"]);
  });
});
