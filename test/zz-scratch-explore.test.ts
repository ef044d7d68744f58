import { it } from "vitest";
import { validate } from "../provider/index";
it("explore", () => {
  const text = `service:
  friendlyName: Support
  configuration:
    defaultConversationRole: agnet
    defaultChatServiceRole: agent
roles:
  agent:
    friendlyName: agent
    type: conversation
    permissions: [sendMessage]
  staff:
    friendlyName: agent
    type: service
    permissions: []
users:
  ada: { identity: ada, role: staf }
  ada2: { identity: ada, role: agent }
account:
  configuration:
    defaultInactiveTimer: PT10S
  webhooks: { preWebhookUrl: "ftp://x", method: PUT, target: other }
addressConfigurations:
  a: { type: sms, address: "+1500", autoCreation: { type: webhook, studioFlowSid: FW123, studioRetryCount: "2" } }
  b: { type: sms, address: "+1500", addressCountry: us }
pushCredentials:
  ios: { type: apn, certificate: { secret: "1bad key" } }
  android: { type: fcm, apiKey: { secret: key } }
conversations: {}
`;
  const r = validate({ text, label: "env.yaml" });
  console.log(r.ok ? "ok" : r.text);
  const t2 = `account:\n  configuration:\n    defaultChatService: stack\nconversations: {}\n`;
  const r2 = validate({ text: t2, label: "env.yaml" });
  console.log(r2.ok ? "ok" : r2.text);
});
