// An account the stack only takes over (adopt: require) and leaves as it found it: on the real
// engine, neither `up` nor `destroy` writes anything when the stack declares what Twilio holds,
// and after `destroy` every object Twilio holds is byte for byte what it was before.
import { describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../emulator";
import { writes } from "./harness";
import { E2E_TIMEOUT, outOfBand, scenarioNamed } from "./environment-support";

/** Attributes as a person typed them: keys in no sorted order, which Twilio keeps as sent. */
const TRUCK = '{"plate":"HB-442-LX","hazmat":true}';
const VAN = '{"zone":"north","capacity":12,"active":false}';

/** Builds, outside the stack, an account with a service and everything the stack file below declares. */
async function existingAccount(emulator: RunningEmulator): Promise<void> {
  const post = (path: string, form: Array<[string, string]>) => outOfBand(emulator, path, form);
  await post("/v1/Services", [["FriendlyName", "Dispatch"]]);
  const service = (emulator.state() as any).services.find((s: any) => s.friendly_name === "Dispatch").sid as string;
  const at = (path: string) => `/v1/Services/${service}${path}`;
  await post(at("/Roles"), [["FriendlyName", "dispatcher"], ["Type", "service"], ["Permission", "createConversation"], ["Permission", "joinConversation"]]);
  await post(at("/Roles"), [["FriendlyName", "driver"], ["Type", "conversation"], ["Permission", "sendMessage"], ["Permission", "leaveConversation"]]);
  const role = (name: string) => (emulator.state() as any).roles.find((r: any) => r.friendly_name === name && r.chat_service_sid === service).sid as string;
  await post(at("/Configuration"), [["DefaultChatServiceRoleSid", role("dispatcher")], ["DefaultConversationRoleSid", role("driver")], ["ReachabilityEnabled", "true"]]);
  await post(at("/Configuration/Notifications"), [["LogEnabled", "true"], ["NewMessage.Enabled", "true"], ["NewMessage.Template", "${MESSAGE}"]]);
  await post(at("/Configuration/Webhooks"), [["PostWebhookUrl", "https://hooks.example.com/dispatch"], ["Method", "POST"], ["Filters", "onMessageAdded"], ["Filters", "onConversationAdded"]]);
  await post(at("/Users"), [["Identity", "truck-1"], ["FriendlyName", "Truck 1"], ["Attributes", TRUCK], ["RoleSid", role("dispatcher")]]);
  await post(at("/Users"), [["Identity", "van-2"], ["Attributes", VAN]]);
  await post("/v1/Configuration/Addresses", [
    ["Type", "sms"],
    ["Address", "+15005550006"],
    ["FriendlyName", "Dispatch line"],
    ["AutoCreation.Enabled", "true"],
    ["AutoCreation.Type", "webhook"],
    ["AutoCreation.WebhookUrl", "https://hooks.example.com/inbound"],
    ["AutoCreation.WebhookMethod", "POST"],
  ]);
  await post("/v1/Configuration", [["DefaultInactiveTimer", "PT12H"], ["DefaultClosedTimer", "P7D"]]);
  await post("/v1/Configuration/Webhooks", [["PostWebhookUrl", "https://hooks.example.com/account"], ["Method", "POST"], ["Filters", "onConversationAdded"], ["Target", "webhook"]]);
}

/** The stack file that declares the account as it is, taking each object over. */
const ADOPTED = `
service:
  friendlyName: Dispatch
  adopt: require
  configuration:
    defaultChatServiceRole: dispatcher
    defaultConversationRole: driver
    reachabilityEnabled: true
  notifications:
    logEnabled: true
    newMessage: { enabled: true, template: "\${MESSAGE}" }
  webhooks:
    postWebhookUrl: https://hooks.example.com/dispatch
    method: POST
    filters: [onConversationAdded, onMessageAdded]

roles:
  dispatcher: { friendlyName: dispatcher, type: service, permissions: [joinConversation, createConversation], adopt: require }
  driver: { friendlyName: driver, type: conversation, permissions: [sendMessage, leaveConversation], adopt: require }

users:
  truck:
    identity: truck-1
    friendlyName: Truck 1
    attributes: { plate: HB-442-LX, hazmat: true }
    role: dispatcher
    adopt: require
  van:
    identity: van-2
    attributes: { zone: north, capacity: 12, active: false }
    adopt: require

account:
  configuration:
    defaultInactiveTimer: PT12H
    defaultClosedTimer: P7D
  webhooks:
    postWebhookUrl: https://hooks.example.com/account
    method: POST
    filters: [onConversationAdded]
    target: webhook

addressConfigurations:
  dispatch-sms:
    type: sms
    address: "+15005550006"
    friendlyName: Dispatch line
    autoCreation: { enabled: true, type: webhook, webhookUrl: https://hooks.example.com/inbound, webhookMethod: POST }
    adopt: require

conversations: {}
`;

describe("an adopted account the stack leaves as found", () => {
  it(
    "adopt: require, up and destroy send no write, and every object Twilio holds is byte for byte what it was",
    async () => {
      const scenario = await scenarioNamed("environment-adopted");
      await existingAccount(scenario.emulator);
      const before = JSON.stringify(scenario.emulator.state());
      expect(before).toContain(JSON.stringify(TRUCK));
      scenario.writeStack(ADOPTED);
      scenario.emulator.clearRequests();

      await scenario.up();
      expect(writes(scenario.emulator.requests())).toEqual([]);
      await scenario.pulumi(["preview", "--expect-no-changes"]);

      scenario.emulator.clearRequests();
      await scenario.pulumi(["destroy", "--yes", "--skip-preview"]);
      // Every adopted object was read to see what it holds; none was written.
      expect(scenario.emulator.requests().length).toBeGreaterThan(0);
      expect(writes(scenario.emulator.requests())).toEqual([]);
      expect(JSON.stringify(scenario.emulator.state())).toBe(before);
    },
    E2E_TIMEOUT,
  );
});
