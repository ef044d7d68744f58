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

/** A change made outside the stack (in the console, by a script): one form POST to Twilio. */
async function outOfBand(emulator: RunningEmulator, urlPath: string, form: Array<[string, string]>): Promise<void> {
  const { accountSid, authToken } = emulator.credentials;
  const response = await fetch(emulator.url + urlPath, {
    method: "POST",
    headers: { Authorization: "Basic " + Buffer.from(`${accountSid}:${authToken}`).toString("base64"), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  if (response.status >= 300) throw new Error(`${urlPath}: ${response.status} ${await response.text()}`);
}

const findRole = (emulator: RunningEmulator, name: string) => (emulator.state() as any).roles.find((role: any) => role.friendly_name === name && role.chat_service_sid !== undefined && !TWILIOS_ROLES.includes(name));

describe("changes to the environment on the real engine", () => {
  it(
    "edits to each singleton and to role permissions update in place; drift is found by refresh and undone by up",
    async () => {
      const scenario = await scenarioNamed("environment-edits");
      await withSecrets(scenario);
      scenario.writeStack(ENVIRONMENT);
      await scenario.up();
      const before = scenario.emulator.state() as any;
      const serviceSid = before.services.find((service: any) => service.friendly_name === "Support (staging)").sid;
      const agent = findRole(scenario.emulator, "agent");

      // Only the order of permissions and filters changes: no change at all.
      const reordered = ENVIRONMENT.replace(
        "permissions: [sendMessage, sendMediaMessage, addParticipant, removeParticipant, editConversationAttributes, leaveConversation]",
        "permissions: [leaveConversation, editConversationAttributes, removeParticipant, addParticipant, sendMediaMessage, sendMessage]",
      ).replace("filters: [onMessageAdded, onConversationAdded]", "filters: [onConversationAdded, onMessageAdded]");
      expect(reordered).not.toEqual(ENVIRONMENT);
      scenario.writeStack(reordered);
      await scenario.pulumi(["preview", "--expect-no-changes"]);

      const edited = ENVIRONMENT.replace("permissions: [sendMessage, sendMediaMessage, addParticipant,", "permissions: [sendMessage, sendMediaMessage, deleteOwnMessage, addParticipant,")
        .replace("reachabilityEnabled: true", "reachabilityEnabled: false")
        .replace('template: "${PARTICIPANT}: ${MESSAGE}"', 'template: "New from ${PARTICIPANT}"')
        .replace("filters: [onMessageAdded, onConversationAdded]", "filters: [onMessageAdded]")
        .replace("defaultInactiveTimer: PT12H", "defaultInactiveTimer: PT6H")
        .replace("friendlyName: Support line", "friendlyName: Support line (US)")
        .replace("friendlyName: Ada (support lead)", "friendlyName: Ada Lovelace");
      scenario.writeStack(edited);
      scenario.emulator.clearRequests();
      await scenario.up();
      const userSid = (scenario.emulator.state() as any).users.find((user: any) => user.identity === "ada@example.com").sid;
      const addressSid = (scenario.emulator.state() as any).account.address_configurations[0].sid;
      // One update each, to the same objects: nothing is replaced.
      expect(writes(scenario.emulator.requests()).sort()).toEqual(
        [
          `POST /v1/Services/${serviceSid}/Roles/${agent.sid}`,
          `POST /v1/Services/${serviceSid}/Configuration`,
          `POST /v1/Services/${serviceSid}/Configuration/Notifications`,
          `POST /v1/Services/${serviceSid}/Configuration/Webhooks`,
          "POST /v1/Configuration",
          `POST /v1/Configuration/Addresses/${addressSid}`,
          `POST /v1/Services/${serviceSid}/Users/${userSid}`,
        ].sort(),
      );
      const after = environmentOf(scenario.emulator, before.services[0].sid);
      expect(after.roles.find((role: any) => role.name === "agent")!.permissions).toContain("deleteOwnMessage");
      expect(findRole(scenario.emulator, "agent").sid).toBe(agent.sid);
      expect(after.configuration[0]).toMatchObject({ reachability: false, webhooks: { filters: ["onMessageAdded"] } });
      expect(after.configuration[0].notifications.newMessage.template).toBe("New from ${PARTICIPANT}");
      expect(after.account.inactive).toBe("PT6H");
      expect(after.addresses[0].name).toBe("Support line (US)");
      expect(after.users[0].name).toBe("Ada Lovelace");
      expect(requestsOutsideSpec(scenario.emulator.requests())).toEqual([]);
      await scenario.pulumi(["preview", "--expect-no-changes"]);

      // Drift on each: someone changes them in the console.
      await outOfBand(scenario.emulator, `/v1/Services/${serviceSid}/Roles/${agent.sid}`, [["Permission", "sendMessage"]]);
      await outOfBand(scenario.emulator, `/v1/Services/${serviceSid}/Configuration`, [["ReachabilityEnabled", "true"]]);
      await outOfBand(scenario.emulator, `/v1/Services/${serviceSid}/Configuration/Notifications`, [["NewMessage.Template", "drifted"]]);
      await outOfBand(scenario.emulator, `/v1/Services/${serviceSid}/Configuration/Webhooks`, [["PostWebhookUrl", "https://elsewhere.example.com/hook"]]);
      await outOfBand(scenario.emulator, "/v1/Configuration", [["DefaultClosedTimer", "P30D"]]);
      await outOfBand(scenario.emulator, `/v1/Configuration/Addresses/${addressSid}`, [["AutoCreation.Enabled", "false"]]);
      await scenario.pulumi(["refresh", "--yes"]);
      const drifted = await scenario.pulumi(["preview", "--diff", "--expect-no-changes"], { allowFailure: true });
      expect(drifted.code).not.toBe(0);
      for (const name of ["agent", "service-configuration", "service-notifications", "service-webhooks", "account-configuration", "support-sms"]) {
        expect(drifted.stdout).toContain(`::${name}]`);
      }
      expect(drifted.stdout).toContain("~ 6 to update");
      await scenario.up();
      expect(environmentOf(scenario.emulator, before.services[0].sid)).toEqual(after);
      await scenario.pulumi(["preview", "--expect-no-changes"]);
    },
    E2E_TIMEOUT,
  );

  it(
    "destroy removes what the stack created and puts back what it only configured; no secret reaches state, plans or outputs",
    async () => {
      const scenario = await scenarioNamed("environment-destroy");
      await withSecrets(scenario);
      const found = (scenario.emulator.state() as any).account;
      scenario.writeStack(ENVIRONMENT);
      const up = await scenario.up();
      const preview = await scenario.pulumi(["preview", "--diff"]);
      const exported = (await scenario.pulumi(["stack", "export"])).stdout;
      const outputs = JSON.stringify(await scenario.outputs());
      for (const text of [up.output, preview.output, exported, outputs, JSON.stringify(scenario.emulator.requests())]) {
        expect(text).not.toContain(CERTIFICATE);
        expect(text).not.toContain(PRIVATE_KEY);
      }
      // The fingerprints are kept as Pulumi secrets too.
      const credential = (await stackResources(scenario)).find((resource) => resource.type.endsWith(":PushCredential"))!;
      expect(JSON.parse(exported).deployment.resources.find((resource: any) => resource.urn === credential.urn).outputs.fingerprints).toHaveProperty("ciphertext");

      await scenario.pulumi(["destroy", "--yes"]);
      const state = scenario.emulator.state() as any;
      expect(state.services.map((service: any) => service.friendly_name)).toEqual(["Default Conversations Service"]);
      expect(state.roles.filter((role: any) => !TWILIOS_ROLES.includes(role.friendly_name))).toEqual([]);
      expect(state.users).toEqual([]);
      expect(state.conversations).toEqual([]);
      expect(state.account.address_configurations).toEqual([]);
      expect(state.account.credentials).toEqual([]);
      // The account's configuration is back to what it was before the stack took it over.
      expect(state.account.configuration).toEqual(found.configuration);
      expect(requestsOutsideSpec(scenario.emulator.requests())).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  it(
    "the same file under a second stack, in another account, builds an identical second environment",
    async () => {
      const first = await scenarioNamed("environment-first");
      const second = await scenarioNamed("environment-second", { accountSid: "AC11111111111111111111111111111111", authToken: "second-account-token" });
      await Promise.all([withSecrets(first), withSecrets(second)]);
      first.writeStack(ENVIRONMENT);
      second.writeStack(ENVIRONMENT);
      const owned = [first.emulator.defaultServiceSid, second.emulator.defaultServiceSid];
      await Promise.all([first.up(), second.up()]);
      const [one, two] = [environmentOf(first.emulator, owned[0]), environmentOf(second.emulator, owned[1])];
      expect(two).toEqual(one);
      expect(one.roles).toHaveLength(3);
      const [sidsOne, sidsTwo] = [(await first.outputs()).environment, (await second.outputs()).environment];
      expect(sidsTwo.service).not.toBe(sidsOne.service);
    },
    E2E_TIMEOUT,
  );
});

describe("the plan of the environment", () => {
  it(
    "names each resource that changes, says why one is replaced, shows a changed secret as changed only, and says drift on secrets cannot be seen",
    async () => {
      const scenario = await scenarioNamed("environment-plan");
      await withSecrets(scenario);
      const plan = () => scenario.run("node", ["scripts/plan.js", "--stack", scenario.stack]);
      scenario.writeStack(ENVIRONMENT);
      const created = await plan();
      expect(created.code, created.output).toBe(2);
      expect(created.stdout).toContain("+ service service (create)");
      expect(created.stdout).toContain("+ role agent (create)");
      expect(created.stdout).toContain("+ push credential ios (create)");
      expect(created.stdout).toContain("why: Twilio never answers certificate or privateKey back: a change made outside the stack cannot be seen");
      await scenario.up();
      const clean = await plan();
      expect(clean.stdout.trim()).toBe("No changes.");

      await scenario.pulumi(["config", "set", "--secret", "apnCertificate", "MIIBrotated-apn-certificate"]);
      scenario.writeStack(
        ENVIRONMENT.replace("type: service\n    permissions: [createConversation", "type: service\n    permissions: [editAnyUserInfo, createConversation").replace(
          "  customer:\n    friendlyName: customer\n    type: conversation",
          "  customer:\n    friendlyName: customer-2024\n    type: conversation",
        ),
      );
      const changed = await plan();
      expect(changed.code).toBe(2);
      const lines = changed.stdout.split("\n");
      // The service configuration names the replaced role: it is set to the new one.
      expect(lines[0]).toBe("Plan: 3 to update, 1 to replace");
      expect(changed.stdout).toContain("~ service configuration service-configuration (update)\n    defaultConversationRoleSid: ");
      expect(changed.stdout).toContain("~ role staff (update)\n    permissions: ");
      expect(changed.stdout).toContain('+- role customer (replace)\n    friendlyName: "customer" → "customer-2024"\n    why: friendlyName can only be set at creation');
      expect(changed.stdout).toContain("~ push credential ios (update)\n    certificate or privateKey: [secret] → [secret] (changed)");
      expect(changed.stdout).not.toContain("MIIBrotated");
      expect(changed.stdout).not.toContain(CERTIFICATE);

      // What the plan said is what up does.
      const credentialBefore = (scenario.emulator.state() as any).account.credentials[0];
      scenario.emulator.clearRequests();
      await scenario.up();
      const state = scenario.emulator.state() as any;
      expect(state.account.credentials).toHaveLength(1);
      expect(state.account.credentials[0].sid).toBe(credentialBefore.sid);
      const credentialWrites = scenario.emulator.requests().filter((request) => request.method === "POST" && request.path.startsWith("/v1/Credentials/"));
      expect(credentialWrites.map((request) => Object.keys(request.form))).toEqual([["Certificate"]]);
      const customer = state.roles.find((role: any) => role.friendly_name === "customer-2024");
      expect(state.roles.some((role: any) => role.friendly_name === "customer")).toBe(false);
      expect(state.serviceConfigurations.map((entry: any) => entry.configuration.default_conversation_role_sid)).toContain(customer.sid);
      expect((await plan()).stdout.trim()).toBe("No changes.");
    },
    E2E_TIMEOUT,
  );
});

describe("deleting a declared service", () => {
  it(
    "destroy refuses while the service holds a conversation the stack does not declare, and deletes it with deleteWithConversations: true",
    async () => {
      const scenario = await scenarioNamed("environment-guard");
      scenario.writeStack("service:\n  friendlyName: Guarded\nconversations: {}\n");
      await scenario.up();
      const serviceSid = (await scenario.outputs()).environment.service;
      await outOfBand(scenario.emulator, `/v1/Services/${serviceSid}/Conversations`, [["UniqueName", "made-by-hand"]]);
      const refused = await scenario.pulumi(["destroy", "--yes"], { allowFailure: true });
      expect(refused.code).not.toBe(0);
      expect(refused.output).toContain(`service ${serviceSid} still holds 1 conversation(s) that the stack does not declare (made-by-hand)`);
      expect(refused.output).toContain("set `deleteWithConversations: true` on the service");
      expect((scenario.emulator.state() as any).services.map((service: any) => service.sid)).toContain(serviceSid);

      scenario.writeStack("service:\n  friendlyName: Guarded\n  deleteWithConversations: true\nconversations: {}\n");
      scenario.emulator.clearRequests();
      await scenario.up();
      expect(writes(scenario.emulator.requests())).toEqual([]);
      await scenario.pulumi(["destroy", "--yes"]);
      const state = scenario.emulator.state() as any;
      expect(state.services.map((service: any) => service.sid)).not.toContain(serviceSid);
      expect(state.conversations).toEqual([]);
    },
    E2E_TIMEOUT,
  );
});
