// The run after a killed one on a runner that lost its disk: no journal says what the killed run
// made, and the create finds it in Twilio. The stack here is one the journal has not followed.
import { describe, expect, it } from "vitest";
import { createThrough, useEmulator } from "./harness";

const env = useEmulator();
const STACK = "fresh-runner";
const stateOf = () => env.emulator.state() as unknown as { conversations: any[]; messages: any[]; participants: any[] };
const thread = [
  { key: "0", author: "ada", body: "hello" },
  { key: "1", author: "ada", body: "hello", after: "0" },
  { key: "2", author: "bot", body: "bye", after: "1" },
];
const messagesOf = (keys: typeof thread) => Object.fromEntries(keys.map(({ key, ...message }) => [key, message]));

describe("a conversation with a uniqueName that a killed run made", () => {
  it("is taken when Twilio refuses its name: its participant and the first messages too; the rest is posted, nothing twice", async () => {
    const made = (await env.outside("POST", "/v1/Conversations", { UniqueName: "lost-desk", FriendlyName: "Desk" })).body.sid as string;
    await env.outside("POST", `/v1/Conversations/${made}/Participants`, { Identity: "ada" });
    await env.outside("POST", `/v1/Conversations/${made}/Messages`, { Author: "ada", Body: "hello" });
    const inputs = { resourceName: "desk", stack: STACK, uniqueName: "lost-desk", friendlyName: "Desk", participants: { ada: { identity: "ada" } }, messages: messagesOf(thread) };

    const created = await createThrough(env.conversations, inputs);

    expect(created.id).toBe(made);
    const writes = env.takeRequests().filter((request) => request.method !== "GET").map((request) => `${request.method} ${request.path}`);
    // The refused create, then the two messages the killed run had not posted.
    expect(writes).toEqual(["POST /v1/Conversations", `POST /v1/Conversations/${made}/Messages`, `POST /v1/Conversations/${made}/Messages`]);
    expect(stateOf().messages.filter((m) => m.conversation_sid === made).map((m) => m.body)).toEqual(["hello", "hello", "bye"]);
    expect(stateOf().participants.filter((p) => p.conversation_sid === made).map((p) => p.identity)).toEqual(["ada"]);
    expect(created.outs.adopted).toBe(false);
  });

  it("whose thread diverges from the declared one is refused with what differs, and nothing is deleted or posted", async () => {
    const made = (await env.outside("POST", "/v1/Conversations", { UniqueName: "diverged", FriendlyName: "Diverged" })).body.sid as string;
    await env.outside("POST", `/v1/Conversations/${made}/Messages`, { Author: "ada", Body: "hello" });
    await env.outside("POST", `/v1/Conversations/${made}/Messages`, { Author: "eve", Body: "not declared" });
    const inputs = { resourceName: "diverged", stack: STACK, uniqueName: "diverged", friendlyName: "Diverged", messages: messagesOf(thread) };

    const failure = await createThrough(env.conversations, inputs).catch((error: Error) => error);

    expect(String(failure)).toMatch(/conversation CH\w+, which a previous run made, holds, at position 1, a message by "eve" that is not the declared one/);
    expect(String(failure)).toMatch(/never deletes messages/);
    expect(env.takeRequests().filter((request) => request.method !== "GET").map((request) => `${request.method} ${request.path}`)).toEqual(["POST /v1/Conversations"]);
    expect(stateOf().messages.filter((m) => m.conversation_sid === made).map((m) => m.body)).toEqual(["hello", "not declared"]);
  });

  it("with a field that differs is not taken: the refusal stands with its hint to adopt", async () => {
    await env.outside("POST", "/v1/Conversations", { UniqueName: "someone-elses", FriendlyName: "Theirs" });
    const failure = await createThrough(env.conversations, { resourceName: "mine", stack: STACK, uniqueName: "someone-elses", friendlyName: "Mine" }).catch((error: Error) => error);
    expect(String(failure)).toMatch(/50353/);
    expect(String(failure)).toMatch(/adopt: ifExists/);
  });
});

describe("a conversation without a uniqueName that a killed run made", () => {
  it("is taken when it is the one conversation no resource holds with every declared field, its thread a prefix", async () => {
    const made = (await env.outside("POST", "/v1/Conversations", { FriendlyName: "Solo", Attributes: '{"team":"a"}' })).body.sid as string;
    await env.outside("POST", `/v1/Conversations/${made}/Messages`, { Author: "ada", Body: "hello" });
    // Not this resource's: another friendly name, and one whose thread is not a prefix of the declared one.
    await env.outside("POST", "/v1/Conversations", { FriendlyName: "Other", Attributes: '{"team":"a"}' });
    const foreign = (await env.outside("POST", "/v1/Conversations", { FriendlyName: "Solo", Attributes: '{"team":"a"}' })).body.sid as string;
    await env.outside("POST", `/v1/Conversations/${foreign}/Messages`, { Author: "someone", Body: "else" });

    const created = await createThrough(env.conversations, { resourceName: "solo", stack: `${STACK}-solo`, friendlyName: "Solo", attributes: { team: "a" }, messages: messagesOf(thread) });

    expect(created.id).toBe(made);
    expect(stateOf().conversations.filter((c) => c.friendly_name === "Solo")).toHaveLength(2);
    expect(stateOf().messages.filter((m) => m.conversation_sid === made).map((m) => m.body)).toEqual(["hello", "hello", "bye"]);
  });

  it("is refused when two such conversations match and the stack declares one: either could be another's", async () => {
    for (let n = 0; n < 2; n++) await env.outside("POST", "/v1/Conversations", { FriendlyName: "Ambiguous" });
    const failure = await createThrough(env.conversations, { resourceName: "ambiguous", stack: `${STACK}-ambiguous`, friendlyName: "Ambiguous" }).catch((error: Error) => error);
    expect(String(failure)).toMatch(/2 conversations that no resource holds match every declared field/);
    expect(String(failure)).toMatch(/give the conversation a uniqueName/);
    expect(stateOf().conversations.filter((c) => c.friendly_name === "Ambiguous")).toHaveLength(2);
  });

  it("once the journal has followed the stack, a create sends its one request and looks for nothing", async () => {
    const stack = `${STACK}-followed`;
    await createThrough(env.conversations, { resourceName: "first", stack, friendlyName: "First" });
    env.takeRequests();
    await createThrough(env.conversations, { resourceName: "second", stack, friendlyName: "Second", messages: messagesOf(thread) });
    expect(env.takeRequests().map((request) => `${request.method} ${request.path.replace(/CH\w+/, "CH")}`)).toEqual([
      "POST /v1/Conversations",
      "POST /v1/Conversations/CH/Messages",
      "POST /v1/Conversations/CH/Messages",
      "POST /v1/Conversations/CH/Messages",
    ]);
  });
});
