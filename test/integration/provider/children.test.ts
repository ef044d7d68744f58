// The run after an interrupted one (kill -9 between Twilio's answers and the engine's checkpoint)
// of a conversation with participants and a scoped webhook: each create finds what its own
// interrupted create made, through the create journal, and posts nothing again.
import { describe, expect, it } from "vitest";
import { fileJournal } from "../../../provider/client/intents";
import { PARTICIPANTS, SCOPED_WEBHOOKS, childFields } from "../../../provider/resources/children-model";
import { createThrough, useEmulator } from "./harness";

const env = useEmulator();

describe("after an interrupted run that made the conversation, its participants and its webhook", () => {
  it("the next create takes each back from the journal: the conversation by SID, participants by identity or binding, the webhook by what it sent", async () => {
    const journal = fileJournal(process.env.TWILIO_CONVERSATIONS_INTENTS_DIR!);
    const sentAt = Date.now() - 5_000;
    const ada = { identity: "ada-lovelace", attributes: { role: "agent" } };
    const sms = { messagingBinding: { address: "+15551234567", proxyAddress: "+15557654321" } };
    const crm = { target: "webhook", url: "https://example.com/hooks/crm", filters: ["onMessageAdded"] };
    // The interrupted run: the conversation's answer was recorded, the children's were not.
    const conversation = (await env.outside("POST", "/v1/Conversations", { FriendlyName: "Desk" })).body.sid as string;
    const base = `/v1/Conversations/${conversation}`;
    const madeAda = (await env.outside("POST", `${base}/Participants`, { Identity: "ada-lovelace", Attributes: '{"role":"agent"}' })).body.sid as string;
    const madeSms = (await env.outside("POST", `${base}/Participants`, { "MessagingBinding.Address": "+15551234567", "MessagingBinding.ProxyAddress": "+15557654321" })).body.sid as string;
    const madeCrm = (await env.outside("POST", `${base}/Webhooks`, { Target: "webhook", "Configuration.Url": "https://example.com/hooks/crm", "Configuration.Filters": "onMessageAdded" })).body.sid as string;
    await journal.put("interrupted/desk", { sentAt, sid: conversation, sent: { scope: { serviceSid: null }, fields: {} } });
    await journal.put("interrupted/desk#participants/ada", { sentAt, sid: null, sent: { fields: childFields(PARTICIPANTS, ada) } });
    await journal.put("interrupted/desk#participants/sms", { sentAt, sid: null, sent: { fields: childFields(PARTICIPANTS, sms) } });
    await journal.put("interrupted/desk#scopedWebhooks/crm", { sentAt, sid: null, sent: { fields: childFields(SCOPED_WEBHOOKS, crm) } });

    const created = await createThrough(env.conversations, {
      resourceName: "desk",
      stack: "interrupted",
      friendlyName: "Desk",
      participants: { ada, sms },
      scopedWebhooks: { crm },
    });

    expect(created.id).toBe(conversation);
    expect(env.takeRequests().filter((request) => request.method === "POST")).toEqual([]);
    const outs = created.outs as { participants: Record<string, { sid: string }>; scopedWebhooks: Record<string, { sid: string }> };
    expect([outs.participants.ada.sid, outs.participants.sms.sid, outs.scopedWebhooks.crm.sid]).toEqual([madeAda, madeSms, madeCrm]);
    // The engine's next look at the state closes the intents.
    await env.conversations.diff!(conversation, created.outs, { resourceName: "desk", stack: "interrupted", friendlyName: "Desk", participants: { ada, sms }, scopedWebhooks: { crm } });
    expect(journal.get("interrupted/desk#participants/ada")).toBeNull();
    expect(journal.get("interrupted/desk#scopedWebhooks/crm")).toBeNull();
  });
});

describe("a new conversation's participants and webhook, written at once", () => {
  it("when Twilio refuses one participant, the others and the webhook still end written, are recorded with the conversation, and the next update creates only the refused one", async () => {
    const sms = { messagingBinding: { address: "+15559990000", proxyAddress: "+15557654321" } };
    // Another active conversation holds the binding: Twilio refuses it (409, 50416).
    const other = (await env.outside("POST", "/v1/Conversations", { FriendlyName: "Other" })).body.sid as string;
    await env.outside("POST", `/v1/Conversations/${other}/Participants`, { "MessagingBinding.Address": sms.messagingBinding.address, "MessagingBinding.ProxyAddress": sms.messagingBinding.proxyAddress });
    env.takeRequests();
    const inputs = {
      resourceName: "together",
      stack: "children",
      friendlyName: "Together",
      participants: { ada: { identity: "ada-lovelace" }, grace: { identity: "grace-hopper" }, sms },
      scopedWebhooks: { crm: { target: "webhook", url: "https://example.com/hooks/crm", filters: ["onMessageAdded"] } },
    };

    const error = (await createThrough(env.conversations, inputs).then(
      () => expect.fail("the refused participant fails the create"),
      (failure: unknown) => failure,
    )) as { id: string; properties: { participants: Record<string, { sid: string }>; scopedWebhooks: Record<string, { sid: string }> }; message: string };

    expect(error.message).toMatch(/sms/);
    expect(Object.keys(error.properties.participants).sort()).toEqual(["ada", "grace"]);
    expect(Object.keys(error.properties.scopedWebhooks)).toEqual(["crm"]);
    const posts = env.takeRequests().filter((request) => request.method === "POST").map((request) => request.path.replace(error.id, "CH"));
    expect(posts.filter((path) => path === "/v1/Conversations/CH/Participants")).toHaveLength(3);
    expect(posts.filter((path) => path === "/v1/Conversations/CH/Webhooks")).toHaveLength(1);

    // The other conversation lets the binding go; the next update adds only the refused participant.
    await env.outside("DELETE", `/v1/Conversations/${other}`, {});
    env.takeRequests();
    const diff = await env.conversations.diff!(error.id, error.properties, inputs);
    expect(diff.changes).toBe(true);
    const { outs } = await env.conversations.update!(error.id, error.properties, inputs);
    expect(Object.keys((outs as typeof error.properties).participants).sort()).toEqual(["ada", "grace", "sms"]);
    const writes = env.takeRequests().filter((request) => request.method !== "GET").map((request) => `${request.method} ${request.path.replace(error.id, "CH")}`);
    expect(writes).toEqual(["POST /v1/Conversations/CH/Participants"]);
  });
});
