// A message seeded into a conversation declared inactive makes it active in Twilio; the provider
// sets it back. When that second request fails, the next `up` must finish it; and refresh must
// keep the declared state, so no plan shows a change nobody made.
import { afterEach, describe, expect, it } from "vitest";
import { createThrough, useEmulator } from "./harness";

const env = useEmulator();
afterEach(() => env.emulator.clearFaults());

let counter = 0;

async function inactiveConversation(): Promise<string> {
  const response = await env.outside("POST", "/v1/Conversations", { UniqueName: `seeding-${++counter}`, State: "inactive" });
  expect(response.body.state).toBe("inactive");
  return response.body.sid;
}

/** Seeds a message while every update of the conversation fails: the create is left unfinished. */
async function seedWhileRestoringFails(resourceName: string) {
  const conversationSid = await inactiveConversation();
  const inputs = { resourceName, conversationSid, body: "Hello", conversationState: "inactive" };
  env.emulator.setFaults([{ method: "POST", path: `^/v1/Conversations/${conversationSid}$`, status: 500, count: 50, retryAfter: 0 }]);
  const error = await createThrough(env.messages, inputs).catch((e) => e);
  env.emulator.clearFaults();
  return { conversationSid, inputs, error };
}

const stateOf = (sid: string) => (env.emulator.state().conversations as any[]).find((c) => c.sid === sid).state;

describe("a message seeded into a conversation declared inactive", () => {
  it("when setting the conversation back to inactive fails, the next up sees a change and finishes it", async () => {
    const { conversationSid, inputs, error } = await seedWhileRestoringFails("quiet/hello");
    expect(error.message).toMatch(/^message IM[0-9a-f]{32} was created, but set the conversation inactive again after seeding "quiet\/hello" failed \(HTTP 500/);
    expect(stateOf(conversationSid)).toBe("active");

    // The next `up`: the recorded state names the unfinished step, so the plan has a change.
    expect((await env.messages.diff(error.id, error.properties, inputs)).changes).toBe(true);
    env.takeRequests();
    const { outs } = await env.messages.update(error.id, error.properties, inputs);
    expect(env.takeRequests().map((r) => [r.method, r.path, r.form])).toEqual([
      ["POST", `/v1/Conversations/${conversationSid}`, { State: "inactive" }],
    ]);
    expect(stateOf(conversationSid)).toBe("inactive");
    expect((await env.messages.diff(error.id, outs, inputs)).changes).toBe(false);
    expect(JSON.stringify(outs)).not.toContain("undefined");
  });

  it("when the conversation is no longer declared inactive by then, the next up only clears the record", async () => {
    const { inputs, error } = await seedWhileRestoringFails("quiet/later");
    env.takeRequests();
    const { outs } = await env.messages.update(error.id, error.properties, { ...inputs, conversationState: "active" });
    expect(env.takeRequests()).toEqual([]);
    expect((await env.messages.diff(error.id, outs, { ...inputs, conversationState: "active" })).changes).toBe(false);
  });
});

describe("refresh of a message", () => {
  it("keeps the declared conversationState, so read then diff shows no change", async () => {
    const conversationSid = await inactiveConversation();
    const inputs = { resourceName: "quiet/refresh", conversationSid, body: "Hi", conversationState: "inactive" };
    const { id, outs } = await createThrough(env.messages, inputs);
    const read = await env.messages.read(id, outs);
    expect(read.inputs).toMatchObject({ conversationState: "inactive", body: "Hi", conversationSid });
    expect(await env.messages.diff(id, read.props, inputs)).toEqual({ changes: false, replaces: [] });
    // What the engine diffs for display: refreshed inputs against the program's, key by key.
    const program = (await env.messages.check(read.inputs, inputs)).inputs!;
    const shown = Object.keys(program).filter((key) => JSON.stringify(program[key] ?? null) !== JSON.stringify(read.inputs![key] ?? null));
    expect(shown).toEqual([]);
  });

  it("a change of the conversation's declared state is recorded on its messages without a request", async () => {
    const conversationSid = await inactiveConversation();
    const inputs = { resourceName: "quiet/toggle", conversationSid, body: "Hi", conversationState: "inactive" };
    const { id, outs } = await createThrough(env.messages, inputs);
    const activeNow = { ...inputs, conversationState: "active" };
    expect((await env.messages.diff(id, outs, activeNow)).changes).toBe(true);
    env.takeRequests();
    const updated = await env.messages.update(id, outs, activeNow);
    expect(env.takeRequests()).toEqual([]);
    const read = await env.messages.read(id, updated.outs);
    expect(read.inputs).toMatchObject({ conversationState: "active" });
  });

  it("a message recorded before conversationState was kept in outputs shows no change", async () => {
    const conversationSid = await inactiveConversation();
    const inputs = { resourceName: "quiet/legacy", conversationSid, body: "Hi", conversationState: "inactive" };
    const { id, outs } = await createThrough(env.messages, inputs);
    const { conversationState: _dropped, conversationStateToRestore: _also, ...legacy } = outs;
    expect((await env.messages.diff(id, legacy, inputs)).changes).toBe(false);
  });
});
