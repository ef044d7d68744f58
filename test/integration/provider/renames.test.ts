// A conversation renamed in the stack file without `renamedFrom`, then adopted by its new name
// (`adopt: ifExists`, as the 409 hint suggests): the engine creates the new resource, which takes
// the conversation over, then deletes the old one. That delete must leave the conversation alone.
import { afterEach, describe, expect, it } from "vitest";
import { observedMessage } from "../../../provider/client/wire";
import { messageOutputs, normalizeMessageInputs } from "../../../provider/resources/message-model";
import { createThrough, emulatorConfig, loadProviderAfresh, useEmulator } from "./harness";

const env = useEmulator();

const conversationsNamed = (uniqueName: string) => (env.emulator.state().conversations as any[]).filter((c) => c.unique_name === uniqueName);

describe("a conversation adopted by a resource of another name in the same run", () => {
  it("is not deleted by the delete of the resource it belonged to", async () => {
    const before = await createThrough(env.conversations, { resourceName: "support", uniqueName: "desk", friendlyName: "Desk" });
    const after = await createThrough(env.conversations, { resourceName: "helpdesk", uniqueName: "desk", friendlyName: "Desk", adopt: "ifExists" });
    expect(after.id).toBe(before.id);
    env.takeRequests();
    await env.conversations.delete(before.id, before.outs);
    expect(env.takeRequests().filter((r) => r.method === "DELETE")).toEqual([]);
    expect(conversationsNamed("desk").map((c) => c.sid)).toEqual([before.id]);
  });

  it("keeps the participants and webhooks the new resource took over; the old resource's delete deletes the others it made there", async () => {
    const crm = { target: "webhook", url: "https://example.com/hooks/crm", filters: ["onMessageAdded"] };
    // An earlier run made the old resource; this run's engine never shows it before it deletes it.
    const earlier = await loadProviderAfresh("conversation", emulatorConfig(env.emulator));
    const before = await createThrough(earlier, {
      resourceName: "front",
      uniqueName: "front-desk",
      participants: { ada: { identity: "ada-lovelace" }, grace: { identity: "grace-hopper" } },
      scopedWebhooks: { crm },
    });
    const after = await createThrough(env.conversations, {
      resourceName: "front-office",
      uniqueName: "front-desk",
      adopt: "ifExists",
      participants: { ada: { identity: "ada-lovelace" } },
    });
    expect(after.id).toBe(before.id);
    env.takeRequests();
    await env.conversations.delete(before.id, before.outs);
    const deleted = env.takeRequests().filter((r) => r.method === "DELETE").map((r) => r.path.replace(before.id, "CH"));
    const made = before.outs as { participants: Record<string, { sid: string }>; scopedWebhooks: Record<string, { sid: string }> };
    expect(deleted.sort()).toEqual([`/v1/Conversations/CH/Participants/${made.participants.grace.sid}`, `/v1/Conversations/CH/Webhooks/${made.scopedWebhooks.crm.sid}`].sort());
    const state = env.emulator.state() as { participants: any[]; webhooks: any[] };
    expect(state.participants.filter((p) => p.conversation_sid === before.id).map((p) => p.identity)).toEqual(["ada-lovelace"]);
    expect(state.webhooks.filter((w) => w.conversation_sid === before.id)).toEqual([]);
  });

  it("is still deleted by the delete of the resource that adopted it (destroy)", async () => {
    await createThrough(env.conversations, { resourceName: "old-name", uniqueName: "kept-desk" });
    const adopted = await createThrough(env.conversations, { resourceName: "new-name", uniqueName: "kept-desk", adopt: "ifExists" });
    await env.conversations.delete(adopted.id, adopted.outs);
    expect(conversationsNamed("kept-desk")).toEqual([]);
  });
});

describe("a message whose key was renamed, the new create's answer lost", () => {
  // The old resource is from an earlier run: removed from the program, it is never diffed, so
  // nothing claims its message before the new resource's recovery looks for what it made.
  afterEach(() => env.emulator.clearFaults());

  it("ends with exactly one message in Twilio, held by the new resource: the old resource's delete leaves it", async () => {
    const conversationSid = (await env.outside("POST", "/v1/Conversations", { FriendlyName: "Renamed thread" })).body.sid;
    const content = { conversationSid, author: "ada", body: "Welcome", dateCreated: "2024-03-01T09:00:00Z", afterIndex: null };
    const oldInputs = { resourceName: "thread/welcome", ...content };
    const made = await env.outside("POST", `/v1/Conversations/${conversationSid}/Messages`, {
      Author: "ada",
      Body: "Welcome",
      DateCreated: "2024-03-01T09:00:00Z",
    });
    const oldOuts = messageOutputs(normalizeMessageInputs(oldInputs), observedMessage(made.body));

    env.emulator.setFaults([{ method: "POST", path: "/Messages$", drop: "before", count: 1 }]);
    const created = await createThrough(env.messages, { resourceName: "thread/greeting", ...content });
    env.emulator.clearFaults();
    await env.messages.delete(made.body.sid, oldOuts);

    const held = (env.emulator.state().messages as any[]).filter((m) => m.conversation_sid === conversationSid).map((m) => m.sid);
    expect(held).toEqual([created.id]);
  });
});
