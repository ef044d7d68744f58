// The provider against Twilio's timers firing in the emulator: what the declared timers do is no
// drift and no error; any other change of state is drift, set back where Twilio allows it.
import { describe, expect, it } from "vitest";
import { createThrough, useEmulator } from "./harness";

const env = useEmulator();

const desk = (name: string, extra: Record<string, unknown> = {}) => ({
  resourceName: name,
  uniqueName: name,
  friendlyName: "Desk",
  state: "active",
  timers: { inactive: "PT1H", closed: "P1D" },
  ...extra,
});

const message = (conversationSid: string, extra: Record<string, unknown> = {}) => ({
  resourceName: "desk/0",
  conversationSid,
  author: "ada",
  body: "My order is late",
  conversationState: "active",
  ...extra,
});

/** refresh, then preview (check + diff) and up of the unchanged file, as the engine runs them. */
async function refreshPreviewUp(id: string, outs: any, declared: Record<string, unknown>) {
  const read = await env.conversations.read(id, outs);
  const check = await env.conversations.check(read.inputs!, declared);
  const diff = await env.conversations.diff(id, read.props, check.inputs);
  return { read, failures: check.failures ?? [], diff };
}

describe("Twilio's timers move a conversation as the file asked", () => {
  it("inactive, then closed by its timers: recorded by refresh, no change in preview or up, messages kept, delete works", async () => {
    const declared = desk("desk");
    const created = await createThrough(env.conversations, declared);
    const seeded = await createThrough(env.messages, message(created.id));
    env.takeRequests();

    env.emulator.clock.advance("PT1H");
    const inactive = await refreshPreviewUp(created.id, created.outs, declared);
    expect(inactive.read.props).toMatchObject({ state: "inactive", declaredState: "active", timers: declared.timers });
    expect(inactive.failures).toEqual([]);
    expect(inactive.diff).toEqual({ changes: false, replaces: [] });

    env.emulator.clock.advance("P1D");
    const closed = await refreshPreviewUp(created.id, inactive.read.props, declared);
    expect(closed.read.props).toMatchObject({ state: "closed", declaredState: "active", timers: declared.timers });
    expect(closed.failures).toEqual([]);
    expect(closed.diff).toEqual({ changes: false, replaces: [] });

    const messageRead = await env.messages.read(seeded.id, seeded.outs);
    expect(messageRead.id).toBe(seeded.id);
    const messageCheck = await env.messages.check(messageRead.inputs!, message(created.id));
    expect(messageCheck.failures ?? []).toEqual([]);
    expect(await env.messages.diff(seeded.id, messageRead.props, messageCheck.inputs)).toEqual({ changes: false, replaces: [] });
    expect(env.takeRequests().filter((request) => request.method !== "GET")).toEqual([]);

    await env.messages.delete(seeded.id, messageRead.props);
    await env.conversations.delete(created.id, closed.read.props);
    expect(env.takeRequests().map((request) => `${request.method} ${request.status}`)).toEqual(["DELETE 204", "DELETE 204"]);
    expect(env.emulator.state().conversations.filter((c: any) => c.sid === created.id)).toEqual([]);
  });

  it("a file that changes a timer-closed conversation gets a clear error in diff, before any request, after a no-op up too", async () => {
    const declared = desk("desk-edit");
    const created = await createThrough(env.conversations, declared);
    env.emulator.clock.advance("P2D");
    const read = await env.conversations.read(created.id, created.outs);
    env.takeRequests();
    // The inputs a no-op up writes back say `active`: only the outputs still say closed.
    const edited = { ...declared, friendlyName: "Renamed" };
    expect((await env.conversations.check(declared, edited)).failures ?? []).toEqual([]);
    const refused = await env.conversations.diff(created.id, read.props, edited).catch((error: Error) => error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toContain('change closed conversation "desk-edit" failed: friendlyName: can\'t change on a closed conversation');
    expect(env.takeRequests()).toEqual([]);
  });

  it("the file declares the state again after its timer made it inactive: state and timers are sent together", async () => {
    const created = await createThrough(env.conversations, desk("desk-back", { state: "inactive" }));
    env.emulator.clock.advance("PT2H");
    const read = await env.conversations.read(created.id, created.outs);
    const declared = desk("desk-back");
    expect((await env.conversations.diff(created.id, read.props, declared)).changes).toBe(true);
    env.takeRequests();
    const updated = await env.conversations.update(created.id, read.props, declared);
    expect(env.takeRequests().map((request) => request.form)).toEqual([{ State: "active", "Timers.Inactive": "PT1H", "Timers.Closed": "P1D" }]);
    expect(updated.outs).toMatchObject({ state: "active", declaredState: "active" });
    env.emulator.clock.advance("PT59M");
    expect((await env.conversations.read(created.id, updated.outs)).props!.state).toBe("active");
  });
});

describe("a change of state the declared timers don't explain is drift", () => {
  it.each<[string, Record<string, unknown>, Record<string, string>]>([
    ["no timers", { timers: null }, { State: "active" }],
    ["only a closed timer", { timers: { closed: "P1D" } }, { State: "active" }],
  ])("set inactive outside with %s: refresh shows it, up sets the declared state back", async (name, extra, form) => {
    const declared = desk(`drift-${name.replace(/ /g, "-")}`, extra);
    const created = await createThrough(env.conversations, declared);
    await env.outside("POST", `/v1/Conversations/${created.id}`, { State: "inactive" });
    const read = await env.conversations.read(created.id, created.outs);
    expect(read.inputs).toMatchObject({ state: "inactive" });
    expect(await env.conversations.diff(created.id, read.props, declared)).toEqual({ changes: true, replaces: [] });
    env.takeRequests();
    await env.conversations.update(created.id, read.props, declared);
    expect(env.takeRequests().map((request) => request.form)).toEqual([form]);
    expect((env.emulator.state().conversations as any[]).find((c) => c.sid === created.id).state).toBe("active");
  });

  it("closed outside without a closed timer: diff refuses to reopen it, with the way out", async () => {
    const declared = desk("closed-outside", { timers: { inactive: "PT1H" } });
    const created = await createThrough(env.conversations, declared);
    await env.outside("POST", `/v1/Conversations/${created.id}`, { State: "closed" });
    const read = await env.conversations.read(created.id, created.outs);
    const refused = await env.conversations.diff(created.id, read.props, declared).catch((error: Error) => error);
    expect((refused as Error).message).toMatch(/state: was closed and can't become "active": .*give the resource a new name/);
  });
});
