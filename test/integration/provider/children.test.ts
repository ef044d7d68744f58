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
