// What the environment's e2e files share: the example with a push credential, its secrets, and the
// emulator's holdings without SIDs (two environments built from one file compare equal).
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach } from "vitest";
import type { RunningEmulator } from "../../emulator";
import { newScenario, type Scenario } from "./harness";

export const E2E_TIMEOUT = 400_000;
const scenarios: Scenario[] = [];
afterEach(async () => {
  await Promise.all(scenarios.splice(0).map((scenario) => scenario.dispose()));
});

export async function scenarioNamed(name: string, options = {}): Promise<Scenario> {
  const scenario = await newScenario(name, options);
  scenarios.push(scenario);
  return scenario;
}

export const EXAMPLE = fs.readFileSync(path.join(__dirname, "../../examples/environment.yaml"), "utf8");

// Secrets as a test can tell apart from anything else in the output (no leading dash: the CLI would take it for a flag).
export const CERTIFICATE = "MIIBkTCB+wIJAKHBfpegPjMCMA0GCSqGSIb3DQEBCwUAMBExDzANBgNVBAMMBnRl-apn-certificate";
export const PRIVATE_KEY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj-apn-private-key";

/** The example with a push credential whose secrets come from the stack's config. */
export const ENVIRONMENT = `${EXAMPLE}
pushCredentials:
  ios:
    type: apn
    friendlyName: iOS app
    sandbox: true
    certificate: { secret: apnCertificate }
    privateKey: { secret: apnPrivateKey }
`;

export async function withSecrets(scenario: Scenario): Promise<void> {
  await scenario.pulumi(["config", "set", "--secret", "apnCertificate", CERTIFICATE]);
  await scenario.pulumi(["config", "set", "--secret", "apnPrivateKey", PRIVATE_KEY]);
}

/** The roles Twilio gives every new service. */
export const TWILIOS_ROLES = ["channel admin", "channel user", "service admin", "service user"];

/** What the emulator holds of the environment, without SIDs, dates or URLs: two environments built from one file compare equal. */
export function environmentOf(emulator: RunningEmulator, accountsOwnService: string) {
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
      webhooks: { post: state.account.webhooks.post_webhook_url, method: state.account.webhooks.method, filters: state.account.webhooks.filters, target: state.account.webhooks.target },
    },
    addresses: state.account.address_configurations.map((address: any) => ({ type: address.type, address: address.address, name: address.friendly_name, autoCreation: address.auto_creation })),
    credentials: state.account.credentials.map((credential: any) => ({ type: credential.type, name: credential.friendly_name, sandbox: credential.sandbox })),
    conversations: state.conversations
      .filter((c: any) => declared.has(c.chat_service_sid))
      .map((c: any) => ({
        uniqueName: c.unique_name,
        participants: state.participants
          .filter((p: any) => p.conversation_sid === c.sid)
          .map((p: any) => ({ identity: p.identity, role: roleName.get(p.role_sid) }))
          .sort((a: any, b: any) => a.identity.localeCompare(b.identity)),
      })),
  };
}

/** A change made outside the stack (in the console, by a script): one form POST to Twilio. */
export async function outOfBand(emulator: RunningEmulator, urlPath: string, form: Array<[string, string]>): Promise<void> {
  const { accountSid, authToken } = emulator.credentials;
  const response = await fetch(emulator.url + urlPath, {
    method: "POST",
    headers: { Authorization: "Basic " + Buffer.from(`${accountSid}:${authToken}`).toString("base64"), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  if (response.status >= 300) throw new Error(`${urlPath}: ${response.status} ${await response.text()}`);
}

export const findRole = (emulator: RunningEmulator, name: string) => (emulator.state() as any).roles.find((role: any) => role.friendly_name === name && role.chat_service_sid !== undefined && !TWILIOS_ROLES.includes(name));

