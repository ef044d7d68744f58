import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../emulator";
import { requestsOutsideSpec } from "../support/requests-against-spec";
import { newScenario, stackResources, twilioResources, writes, type Scenario } from "./harness";

const E2E_TIMEOUT = 400_000;
const scenarios: Scenario[] = [];
afterEach(async () => {
  await Promise.all(scenarios.splice(0).map((scenario) => scenario.dispose()));
});

async function scenarioNamed(name: string, options = {}): Promise<Scenario> {
  const scenario = await newScenario(name, options);
  scenarios.push(scenario);
  return scenario;
}

const EXAMPLE = fs.readFileSync(path.join(__dirname, "../../examples/environment.yaml"), "utf8");

// Secrets as a test can tell apart from anything else in the output (no leading dash: the CLI would take it for a flag).
const CERTIFICATE = "MIIBkTCB+wIJAKHBfpegPjMCMA0GCSqGSIb3DQEBCwUAMBExDzANBgNVBAMMBnRl-apn-certificate";
const PRIVATE_KEY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj-apn-private-key";

/** The example with a push credential whose secrets come from the stack's config. */
const ENVIRONMENT = `${EXAMPLE}
pushCredentials:
  ios:
    type: apn
    friendlyName: iOS app
    sandbox: true
    certificate: { secret: apnCertificate }
    privateKey: { secret: apnPrivateKey }
`;

async function withSecrets(scenario: Scenario): Promise<void> {
  await scenario.pulumi(["config", "set", "--secret", "apnCertificate", CERTIFICATE]);
  await scenario.pulumi(["config", "set", "--secret", "apnPrivateKey", PRIVATE_KEY]);
}

/** The roles Twilio gives every new service. */
const TWILIOS_ROLES = ["channel admin", "channel user", "service admin", "service user"];

/** What the emulator holds of the environment, without SIDs, dates or URLs: two environments built from one file compare equal. */
function environmentOf(emulator: RunningEmulator, accountsOwnService: string) {
  const state = emulator.state() as any;
  const services = state.services.filter((service: any) => service.sid !== accountsOwnService);
  const roleName = new Map<string, string>(state.roles.map((role: any) => [role.sid, role.friendly_name]));
  const declared = new Set(services.map((service: any) => service.sid));
  return {
    services: services.map((service: any) => service.friendly_name),
    roles: state.roles
      .filter((role: any) => declared.has(role.chat_service_sid) && !TWILIOS_ROLES.includes(role.friendly_name))
      .map((role: any) => ({ name: role.friendly_name, type: role.type, permissions: [...role.permissions].sort() }))
      .sort((a: any, b: any) => a.name.localeCompare(b.name)),
    configuration: state.serviceConfigurations
      .filter((entry: any) => declared.has(entry.configuration.chat_service_sid))
      .map(({ configuration, notifications, webhooks }: any) => ({
        defaultConversationCreatorRole: roleName.get(configuration.default_conversation_creator_role_sid),
        defaultConversationRole: roleName.get(configuration.default_conversation_role_sid),
        defaultChatServiceRole: roleName.get(configuration.default_chat_service_role_sid),
        reachability: configuration.reachability_enabled,
        notifications: { log: notifications.log_enabled, newMessage: notifications.new_message, added: notifications.added_to_conversation },
        webhooks: { post: webhooks.post_webhook_url, method: webhooks.method, filters: [...webhooks.filters].sort() },
      })),
    users: state.users
      .filter((user: any) => declared.has(user.chat_service_sid))
      .map((user: any) => ({ identity: user.identity, name: user.friendly_name, attributes: JSON.parse(user.attributes), role: roleName.get(user.role_sid) })),
    account: {
      defaultChatService: declared.has(state.account.configuration.default_chat_service_sid) ? "the declared service" : state.account.configuration.default_chat_service_sid,
      inactive: state.account.configuration.default_inactive_timer,
      closed: state.account.configuration.default_closed_timer,
    },
    addresses: state.account.address_configurations.map((address: any) => ({ type: address.type, address: address.address, name: address.friendly_name, autoCreation: address.auto_creation })),
    credentials: state.account.credentials.map((credential: any) => ({ type: credential.type, name: credential.friendly_name, sandbox: credential.sandbox })),
    conversations: state.conversations.filter((c: any) => declared.has(c.chat_service_sid)).map((c: any) => c.unique_name),
  };
}

describe("the environment example on the real engine", () => {
  it(
    "up builds it from nothing, a second preview is clean, and the requests conform to the spec",
    async () => {
      const scenario = await scenarioNamed("environment");
      await withSecrets(scenario);
      scenario.writeStack(ENVIRONMENT);
      // The account's own default service, before the stack makes its service the default.
      const accountsOwnService = scenario.emulator.defaultServiceSid;
      await scenario.up();
      if (process.env.DUMP) console.log(JSON.stringify(scenario.emulator.state(), null, 1));
      const built = environmentOf(scenario.emulator, accountsOwnService);
      expect(built).toEqual({
        services: ["Support (staging)"],
        roles: [
          { name: "agent", type: "conversation", permissions: ["addParticipant", "editConversationAttributes", "leaveConversation", "removeParticipant", "sendMediaMessage", "sendMessage"] },
          { name: "customer", type: "conversation", permissions: ["leaveConversation", "sendMediaMessage", "sendMessage"] },
          { name: "staff", type: "service", permissions: ["createConversation", "editOwnUserInfo", "joinConversation"] },
        ],
        configuration: [
          {
            defaultConversationCreatorRole: "agent",
            defaultConversationRole: "customer",
            defaultChatServiceRole: "staff",
            reachability: true,
            notifications: {
              log: true,
              newMessage: { enabled: true, template: "${PARTICIPANT}: ${MESSAGE}", sound: "default", badge_count_enabled: true, with_media: { enabled: false, template: null } },
              added: { enabled: true, template: "You joined ${CONVERSATION}", sound: null },
            },
            webhooks: { post: "https://hooks.example.com/twilio/conversations", method: "POST", filters: ["onConversationAdded", "onMessageAdded"] },
          },
        ],
        users: [{ identity: "ada@example.com", name: "Ada (support lead)", attributes: { team: "support", shift: "early" }, role: "staff" }],
        account: { defaultChatService: "the declared service", inactive: "PT12H", closed: "P7D" },
        addresses: [
          {
            type: "sms",
            address: "+15005550006",
            name: "Support line",
            autoCreation: { enabled: true, type: "webhook", webhook_url: "https://hooks.example.com/twilio/inbound", webhook_method: "POST", webhook_filters: ["onMessageAdded"] },
          },
        ],
        credentials: [{ type: "apn", name: "iOS app", sandbox: "True" }],
        conversations: ["welcome"],
      });
      expect(requestsOutsideSpec(scenario.emulator.requests())).toEqual([]);

      scenario.emulator.clearRequests();
      await scenario.pulumi(["preview", "--expect-no-changes"]);
      expect(writes(scenario.emulator.requests())).toEqual([]);
      expect(twilioResources(await stackResources(scenario))).toEqual([
        "AccountConfiguration account-configuration",
        "AddressConfiguration support-sms",
        "Conversation welcome",
        "PushCredential ios",
        "Role agent",
        "Role customer",
        "Role staff",
        "Service service",
        "ServiceConfiguration service-configuration",
        "ServiceNotifications service-notifications",
        "ServiceWebhooks service-webhooks",
        "User ada",
      ]);
    },
    E2E_TIMEOUT,
  );
});
