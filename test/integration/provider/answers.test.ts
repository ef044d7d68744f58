// An answer counts only when it is the resource asked for, and a request reaches only the path
// it names: a 2xx that is not a conversation or a message is an error, and no value (a unique
// name of "." or "..") can turn a request for one conversation into one for the list.
import { afterEach, describe, expect, it } from "vitest";
import { createThrough, useEmulator } from "./harness";

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
