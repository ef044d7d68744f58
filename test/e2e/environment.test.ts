import { describe, expect, it } from "vitest";
import { requestsOutsideSpec } from "../support/requests-against-spec";
import { stackResources, twilioResources, writes } from "./harness";
import {
  E2E_TIMEOUT,
  ENVIRONMENT,
  environmentOf,
  findRole,
  outOfBand,
  scenarioNamed,
  withSecrets,
} from "./environment-support";

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
        account: {
          defaultChatService: "the declared service",
          inactive: "PT12H",
          closed: "P7D",
          webhooks: { post: "https://hooks.example.com/twilio/account", method: "POST", filters: ["onConversationAdded"], target: "webhook" },
        },
        addresses: [
          {
            type: "sms",
            address: "+15005550006",
            name: "Support line",
            autoCreation: { enabled: true, type: "webhook", webhook_url: "https://hooks.example.com/twilio/inbound", webhook_method: "POST", webhook_filters: ["onMessageAdded"] },
          },
        ],
        credentials: [{ type: "apn", name: "iOS app", sandbox: "True" }],
        conversations: [
          {
            uniqueName: "welcome",
            participants: [
              { identity: "ada@example.com", role: "agent" },
              { identity: "guest-1", role: "customer" },
            ],
          },
        ],
      });
      expect(requestsOutsideSpec(scenario.emulator.requests())).toEqual([]);

      scenario.emulator.clearRequests();
      await scenario.pulumi(["preview", "--expect-no-changes"]);
      expect(writes(scenario.emulator.requests())).toEqual([]);
      expect(twilioResources(await stackResources(scenario))).toEqual([
        "AccountConfiguration account-configuration",
        "AccountWebhooks account-webhooks",
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
        .replace("filters: [onConversationAdded]", "filters: [onConversationAdded, onConversationRemoved]")
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
          "POST /v1/Configuration/Webhooks",
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
      expect([...after.account.webhooks.filters].sort()).toEqual(["onConversationAdded", "onConversationRemoved"]);
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
      await outOfBand(scenario.emulator, "/v1/Configuration/Webhooks", [["Method", "GET"]]);
      await outOfBand(scenario.emulator, `/v1/Services/${serviceSid}/Users/${userSid}`, [["FriendlyName", "Someone else"]]);
      await outOfBand(scenario.emulator, `/v1/Configuration/Addresses/${addressSid}`, [["AutoCreation.Enabled", "false"]]);
      await scenario.pulumi(["refresh", "--yes", "--skip-preview"]);
      const drifted = await scenario.pulumi(["preview", "--diff", "--expect-no-changes"], { allowFailure: true });
      expect(drifted.code).not.toBe(0);
      for (const name of ["agent", "service-configuration", "service-notifications", "service-webhooks", "account-configuration", "account-webhooks", "support-sms", "ada"]) {
        expect(drifted.stdout).toContain(`::${name}]`);
      }
      expect(drifted.stdout).toContain("~ 8 to update");
      await scenario.up();
      expect(environmentOf(scenario.emulator, before.services[0].sid)).toEqual(after);
      await scenario.pulumi(["preview", "--expect-no-changes"]);
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
