// Every environment kind's form and answer, and how each of its rows compares, pinned row by row
// from a fixture that declares every property and every part: the bytes of the form Twilio is sent
// and the values (and their order) read from its answer, written out by hand.
import { describe, expect, it } from "vitest";
import { observedOf } from "../../../provider/client/environment";
import { formOf } from "../../../provider/client/wire";
import { formBody } from "../../../provider/client/http";
import {
  ACCOUNT_CONFIGURATION_PROPERTIES,
  ACCOUNT_WEBHOOKS_PROPERTIES,
  ADDRESS_CONFIGURATION_PROPERTIES,
  ENVIRONMENT_KINDS,
  PUSH_CREDENTIAL_PROPERTIES,
  ROLE_PROPERTIES,
  SERVICE_CONFIGURATION_PROPERTIES,
  SERVICE_NOTIFICATIONS_PROPERTIES,
  SERVICE_PROPERTIES,
  SERVICE_WEBHOOKS_PROPERTIES,
  USER_PROPERTIES,
  type EnvironmentKindName,
  type EnvironmentValues,
} from "../../../provider/domain/environment";
import { partsOf } from "../../../provider/domain/properties";
import { UNKNOWN } from "../../../provider/domain/unknown";
import type {
  AccountConfigurationArgs,
  AccountWebhooksArgs,
  AddressConfigurationArgs,
  PushCredentialArgs,
  RoleArgs,
  ServiceArgs,
  ServiceConfigurationArgs,
  ServiceNotificationsArgs,
  ServiceWebhooksArgs,
  UserArgs,
} from "../../../provider/resources/environment";
import { propertyDiffers } from "../../../provider/diff/compare";

const SID = (prefix: string, digit: string) => prefix + digit.repeat(32);

interface Fixture {
  /** Every property of the kind's table, every part of a composite. */
  declared: Record<string, unknown>;
  /** The form's body, byte for byte. */
  body: string;
  /** What Twilio answers, with every key the table reads. */
  answer: Record<string, unknown>;
  /** The values read from it, in their order. */
  observed: Record<string, unknown>;
  /** The values read from an answer that holds none of them (and no SID or URL). */
  empty: Record<string, unknown>;
}

const NONE = { sid: null, url: null, accountSid: null };
const notification = { enabled: true, template: "t", sound: "s" };
const notificationAnswer = { enabled: true, template: "t", sound: "s" };
const noNotification = { enabled: null, template: null, sound: null };
const autoCreation = {
  enabled: true,
  type: "studio" as const,
  conversationServiceSid: SID("IS", "1"),
  webhookUrl: "https://h.example.com/in",
  webhookMethod: "post",
  webhookFilters: ["onMessageAdded", "onParticipantAdded"],
  studioFlowSid: SID("FW", "2"),
  studioRetryCount: 3,
};

// Every kind's declared values, typed from its table.
const SERVICE = { friendlyName: "Support" } satisfies EnvironmentValues<typeof SERVICE_PROPERTIES>;
const SERVICE_CONFIGURATION = { defaultConversationCreatorRoleSid: SID("RL", "1"), defaultConversationRoleSid: SID("RL", "2"), defaultChatServiceRoleSid: SID("RL", "3"), reachabilityEnabled: true } satisfies EnvironmentValues<typeof SERVICE_CONFIGURATION_PROPERTIES>;
const SERVICE_NOTIFICATIONS = {
  logEnabled: false,
  newMessage: { ...notification, badgeCountEnabled: true, withMedia: { enabled: false, template: "m" } },
  addedToConversation: notification,
  removedFromConversation: { enabled: false, template: "r", sound: "default" },
} satisfies EnvironmentValues<typeof SERVICE_NOTIFICATIONS_PROPERTIES>;
const SERVICE_WEBHOOKS = { preWebhookUrl: "https://h.example.com/pre", postWebhookUrl: "https://h.example.com/post", method: "GET", filters: ["onMessageAdd", "onMessageAdded"] } satisfies EnvironmentValues<typeof SERVICE_WEBHOOKS_PROPERTIES>;
const ROLE = { friendlyName: "agent", type: "conversation", permissions: ["sendMessage", "leaveConversation"] } satisfies EnvironmentValues<typeof ROLE_PROPERTIES>;
const USER = { identity: "ada", friendlyName: "Ada", attributes: { team: "support", lead: true }, roleSid: SID("RL", "4") } satisfies EnvironmentValues<typeof USER_PROPERTIES>;
const ACCOUNT_CONFIGURATION = { defaultChatServiceSid: SID("IS", "1"), defaultMessagingServiceSid: SID("MG", "2"), defaultInactiveTimer: "PT1H", defaultClosedTimer: "P1D" } satisfies EnvironmentValues<typeof ACCOUNT_CONFIGURATION_PROPERTIES>;
const ACCOUNT_WEBHOOKS = { preWebhookUrl: "https://h.example.com/pre", postWebhookUrl: "https://h.example.com/post", method: "POST", filters: ["onConversationAdded"], target: "flex" } satisfies EnvironmentValues<typeof ACCOUNT_WEBHOOKS_PROPERTIES>;
const ADDRESS_CONFIGURATION = { type: "whatsapp", address: "+15005550006", friendlyName: "Inbound", autoCreation, addressCountry: "US" } satisfies EnvironmentValues<typeof ADDRESS_CONFIGURATION_PROPERTIES>;
const PUSH_CREDENTIAL = { type: "apn", friendlyName: "iOS", sandbox: false, certificate: "CERT", privateKey: "KEY", apiKey: "API", secret: "S" } satisfies EnvironmentValues<typeof PUSH_CREDENTIAL_PROPERTIES>;

const FIXTURES: Record<EnvironmentKindName, Fixture> = {
  service: {
    declared: SERVICE,
    body: "FriendlyName=Support",
    answer: { sid: SID("IS", "1"), url: "https://x/IS", account_sid: SID("AC", "0"), friendly_name: "Support" },
    observed: { sid: SID("IS", "1"), url: "https://x/IS", accountSid: SID("AC", "0"), friendlyName: "Support" },
    empty: { ...NONE, friendlyName: null },
  },
  serviceConfiguration: {
    declared: SERVICE_CONFIGURATION,
    body: `DefaultConversationCreatorRoleSid=${SID("RL", "1")}&DefaultConversationRoleSid=${SID("RL", "2")}&DefaultChatServiceRoleSid=${SID("RL", "3")}&ReachabilityEnabled=true`,
    answer: {
      url: "https://x/Configuration",
      account_sid: SID("AC", "0"),
      default_conversation_creator_role_sid: SID("RL", "1"),
      default_conversation_role_sid: SID("RL", "2"),
      default_chat_service_role_sid: SID("RL", "3"),
      reachability_enabled: false,
    },
    observed: {
      sid: null,
      url: "https://x/Configuration",
      accountSid: SID("AC", "0"),
      defaultConversationCreatorRoleSid: SID("RL", "1"),
      defaultConversationRoleSid: SID("RL", "2"),
      defaultChatServiceRoleSid: SID("RL", "3"),
      reachabilityEnabled: false,
    },
    empty: { ...NONE, defaultConversationCreatorRoleSid: null, defaultConversationRoleSid: null, defaultChatServiceRoleSid: null, reachabilityEnabled: null },
  },
  serviceNotifications: {
    declared: SERVICE_NOTIFICATIONS,
    body: [
      "LogEnabled=false",
      "NewMessage.Enabled=true",
      "NewMessage.Template=t",
      "NewMessage.Sound=s",
      "NewMessage.BadgeCountEnabled=true",
      "NewMessage.WithMedia.Enabled=false",
      "NewMessage.WithMedia.Template=m",
      "AddedToConversation.Enabled=true",
      "AddedToConversation.Template=t",
      "AddedToConversation.Sound=s",
      "RemovedFromConversation.Enabled=false",
      "RemovedFromConversation.Template=r",
      "RemovedFromConversation.Sound=default",
    ].join("&"),
    answer: {
      url: "https://x/Notifications",
      log_enabled: true,
      new_message: { ...notificationAnswer, badge_count_enabled: true, with_media: { enabled: false, template: "m" } },
      added_to_conversation: notificationAnswer,
      removed_from_conversation: { enabled: false, template: null },
    },
    observed: {
      sid: null,
      url: "https://x/Notifications",
      accountSid: null,
      logEnabled: true,
      newMessage: { enabled: true, template: "t", sound: "s", badgeCountEnabled: true, withMedia: { enabled: false, template: "m" } },
      addedToConversation: { enabled: true, template: "t", sound: "s" },
      removedFromConversation: { enabled: false, template: null, sound: null },
    },
    empty: {
      ...NONE,
      logEnabled: null,
      newMessage: { ...noNotification, badgeCountEnabled: null, withMedia: { enabled: null, template: null } },
      addedToConversation: noNotification,
      removedFromConversation: noNotification,
    },
  },
  serviceWebhooks: {
    declared: SERVICE_WEBHOOKS,
    body: "PreWebhookUrl=https%3A%2F%2Fh.example.com%2Fpre&PostWebhookUrl=https%3A%2F%2Fh.example.com%2Fpost&Method=GET&Filters=onMessageAdd&Filters=onMessageAdded",
    answer: { url: "https://x/Webhooks", pre_webhook_url: "https://h.example.com/pre", post_webhook_url: null, method: "GET", filters: ["onMessageAdded"] },
    observed: { sid: null, url: "https://x/Webhooks", accountSid: null, preWebhookUrl: "https://h.example.com/pre", postWebhookUrl: null, method: "GET", filters: ["onMessageAdded"] },
    empty: { ...NONE, preWebhookUrl: null, postWebhookUrl: null, method: null, filters: null },
  },
  role: {
    declared: ROLE,
    body: "FriendlyName=agent&Type=conversation&Permission=sendMessage&Permission=leaveConversation",
    answer: { sid: SID("RL", "1"), url: "https://x/RL", account_sid: SID("AC", "0"), friendly_name: "agent", type: "conversation", permissions: ["leaveConversation", "sendMessage"] },
    observed: { sid: SID("RL", "1"), url: "https://x/RL", accountSid: SID("AC", "0"), friendlyName: "agent", type: "conversation", permissions: ["leaveConversation", "sendMessage"] },
    empty: { ...NONE, friendlyName: null, type: null, permissions: null },
  },
  user: {
    declared: USER,
    body: `Identity=ada&FriendlyName=Ada&Attributes=%7B%22lead%22%3Atrue%2C%22team%22%3A%22support%22%7D&RoleSid=${SID("RL", "4")}`,
    answer: { sid: SID("US", "1"), identity: "ada", friendly_name: "Ada", attributes: '{"team": "support", "lead": true}', role_sid: SID("RL", "4") },
    observed: {
      sid: SID("US", "1"),
      url: null,
      accountSid: null,
      identity: "ada",
      friendlyName: "Ada",
      attributes: { team: "support", lead: true },
      roleSid: SID("RL", "4"),
      jsonTexts: { attributes: '{"team": "support", "lead": true}' },
    },
    empty: { ...NONE, identity: null, friendlyName: null, attributes: null, roleSid: null, jsonTexts: {} },
  },
  accountConfiguration: {
    declared: ACCOUNT_CONFIGURATION,
    body: `DefaultChatServiceSid=${SID("IS", "1")}&DefaultMessagingServiceSid=${SID("MG", "2")}&DefaultInactiveTimer=PT1H&DefaultClosedTimer=P1D`,
    answer: { url: "https://x/Configuration", account_sid: SID("AC", "0"), default_chat_service_sid: SID("IS", "1"), default_messaging_service_sid: null, default_inactive_timer: "PT60M", default_closed_timer: null },
    observed: {
      sid: null,
      url: "https://x/Configuration",
      accountSid: SID("AC", "0"),
      defaultChatServiceSid: SID("IS", "1"),
      defaultMessagingServiceSid: null,
      defaultInactiveTimer: "PT60M",
      defaultClosedTimer: null,
    },
    empty: { ...NONE, defaultChatServiceSid: null, defaultMessagingServiceSid: null, defaultInactiveTimer: null, defaultClosedTimer: null },
  },
  accountWebhooks: {
    declared: ACCOUNT_WEBHOOKS,
    body: "PreWebhookUrl=https%3A%2F%2Fh.example.com%2Fpre&PostWebhookUrl=https%3A%2F%2Fh.example.com%2Fpost&Method=POST&Filters=onConversationAdded&Target=flex",
    answer: { url: "https://x/Webhooks", pre_webhook_url: null, post_webhook_url: "https://h.example.com/post", method: "post", filters: [], target: "webhook" },
    observed: { sid: null, url: "https://x/Webhooks", accountSid: null, preWebhookUrl: null, postWebhookUrl: "https://h.example.com/post", method: "post", filters: [], target: "webhook" },
    empty: { ...NONE, preWebhookUrl: null, postWebhookUrl: null, method: null, filters: null, target: null },
  },
  addressConfiguration: {
    declared: ADDRESS_CONFIGURATION,
    body: [
      "Type=whatsapp",
      "Address=%2B15005550006",
      "FriendlyName=Inbound",
      "AutoCreation.Enabled=true",
      "AutoCreation.Type=studio",
      `AutoCreation.ConversationServiceSid=${SID("IS", "1")}`,
      "AutoCreation.WebhookUrl=https%3A%2F%2Fh.example.com%2Fin",
      "AutoCreation.WebhookMethod=post",
      "AutoCreation.WebhookFilters=onMessageAdded",
      "AutoCreation.WebhookFilters=onParticipantAdded",
      `AutoCreation.StudioFlowSid=${SID("FW", "2")}`,
      "AutoCreation.StudioRetryCount=3",
      "AddressCountry=US",
    ].join("&"),
    answer: {
      sid: SID("IG", "1"),
      type: "whatsapp",
      address: "+15005550006",
      friendly_name: "Inbound",
      address_country: "US",
      auto_creation: { enabled: true, type: "studio", conversation_service_sid: SID("IS", "1"), webhook_url: null, webhook_method: "POST", webhook_filters: ["onMessageAdded"], studio_flow_sid: SID("FW", "2"), studio_retry_count: 3 },
    },
    observed: {
      sid: SID("IG", "1"),
      url: null,
      accountSid: null,
      type: "whatsapp",
      address: "+15005550006",
      friendlyName: "Inbound",
      autoCreation: {
        enabled: true,
        type: "studio",
        conversationServiceSid: SID("IS", "1"),
        webhookUrl: null,
        webhookMethod: "POST",
        webhookFilters: ["onMessageAdded"],
        studioFlowSid: SID("FW", "2"),
        studioRetryCount: 3,
      },
      addressCountry: "US",
    },
    empty: {
      ...NONE,
      type: null,
      address: null,
      friendlyName: null,
      autoCreation: { enabled: null, type: null, conversationServiceSid: null, webhookUrl: null, webhookMethod: null, webhookFilters: null, studioFlowSid: null, studioRetryCount: null },
      addressCountry: null,
    },
  },
  pushCredential: {
    declared: PUSH_CREDENTIAL,
    body: "Type=apn&FriendlyName=iOS&Sandbox=false&Certificate=CERT&PrivateKey=KEY&ApiKey=API&Secret=S",
    answer: { sid: SID("CR", "1"), type: "apn", friendly_name: "iOS", sandbox: "False", certificate: "CERT", private_key: "KEY" },
    observed: { sid: SID("CR", "1"), url: null, accountSid: null, type: "apn", friendlyName: "iOS", sandbox: false },
    empty: { ...NONE, type: null, friendlyName: null, sandbox: null },
  },
};

/** A property's parts, by dotted path ("" for a plain one). */
const partPaths = (kind: EnvironmentKindName, property: string) => {
  const form = ENVIRONMENT_KINDS[kind].table[property].form;
  return typeof form === "string" ? [""] : partsOf(form!).map(([part]) => part);
};

const valueAtPath = (value: unknown, path: string): unknown =>
  path === "" ? value : path.split(".").reduce<unknown>((at, key) => (at as Record<string, unknown> | null | undefined)?.[key], value);

describe("every environment kind's form and answer, from a fixture of every row", () => {
  const kinds = Object.keys(ENVIRONMENT_KINDS) as EnvironmentKindName[];

  it("the fixtures declare every property and every part of every kind", () => {
    expect(Object.keys(FIXTURES).sort()).toEqual([...kinds].sort());
    for (const kind of kinds) {
      expect(Object.keys(FIXTURES[kind].declared), kind).toEqual(Object.keys(ENVIRONMENT_KINDS[kind].table));
      for (const property of Object.keys(ENVIRONMENT_KINDS[kind].table)) {
        for (const part of partPaths(kind, property)) expect(valueAtPath(FIXTURES[kind].declared[property], part), `${kind}.${property}.${part}`).not.toBeUndefined();
      }
    }
  });

  for (const kind of Object.keys(FIXTURES) as EnvironmentKindName[]) {
    const fixture = FIXTURES[kind];
    const table = ENVIRONMENT_KINDS[kind].table;

    it(`${kind}: the form, byte for byte`, () => {
      expect(formBody(formOf(table, fixture.declared))).toBe(fixture.body);
    });

    it(`${kind}: the values read from Twilio's answer, and from an answer that holds none`, () => {
      expect(JSON.stringify(observedOf(table, fixture.answer))).toBe(JSON.stringify(fixture.observed));
      expect(JSON.stringify(observedOf(table, {}))).toBe(JSON.stringify(fixture.empty));
    });

    it(`${kind}: each declared value equals itself as Twilio would hold it, and nothing asks for a change where nothing is declared`, () => {
      for (const [property, row] of Object.entries(table)) {
        expect(propertyDiffers(row, fixture.declared[property], fixture.declared[property]), `${kind}.${property}`).toBe(false);
        expect(propertyDiffers(row, null, fixture.observed[property] ?? "held"), `${kind}.${property}`).toBe(false);
        expect(propertyDiffers(row, fixture.declared[property], null), `${kind}.${property}`).toBe(true);
        expect(propertyDiffers(row, UNKNOWN, fixture.declared[property]), `${kind}.${property}`).toBe(true);
      }
    });
  }
});

describe("the values' types, from the tables", () => {
  it("each kind's declared values, typed from its table, are what its resource's arguments take (a type error otherwise)", () => {
    const inService = { chatServiceSid: SID("IS", "9") };
    const args = [
      SERVICE satisfies ServiceArgs,
      { ...SERVICE_CONFIGURATION, ...inService } satisfies ServiceConfigurationArgs,
      { ...SERVICE_NOTIFICATIONS, ...inService } satisfies ServiceNotificationsArgs,
      { ...SERVICE_WEBHOOKS, ...inService } satisfies ServiceWebhooksArgs,
      ROLE satisfies RoleArgs,
      USER satisfies UserArgs,
      ACCOUNT_CONFIGURATION satisfies AccountConfigurationArgs,
      ACCOUNT_WEBHOOKS satisfies AccountWebhooksArgs,
      ADDRESS_CONFIGURATION satisfies AddressConfigurationArgs,
      PUSH_CREDENTIAL satisfies PushCredentialArgs,
    ];
    expect(args.map((values) => Object.keys(values).filter((key) => key !== "chatServiceSid"))).toEqual(Object.values(FIXTURES).map((fixture) => Object.keys(fixture.declared)));
  });
});

describe("how each kind of environment row compares", () => {
  const row = <K extends EnvironmentKindName>(kind: K, property: string) => ENVIRONMENT_KINDS[kind].table[property];
  const cases: Array<[what: string, kind: EnvironmentKindName, property: string, declared: unknown, held: unknown, differs: boolean]> = [
    ["text, exactly", "user", "friendlyName", "Ada", "Ada", false],
    ["text, case counts", "user", "friendlyName", "Ada", "ada", true],
    ["a boolean", "serviceConfiguration", "reachabilityEnabled", true, false, true],
    ["a boolean against its text", "serviceConfiguration", "reachabilityEnabled", true, "true", false],
    ["a list as a set: order", "role", "permissions", ["a", "b"], ["b", "a"], false],
    ["a list as a set: repeats", "role", "permissions", ["a"], ["a", "a"], false],
    ["a list as a set: an item more", "role", "permissions", ["a"], ["a", "b"], true],
    ["a list against one value", "role", "permissions", ["a"], "a", true],
    ["an empty list against none", "serviceWebhooks", "filters", [], null, true],
    ["a method without case", "serviceWebhooks", "method", "post", "POST", false],
    ["a method", "serviceWebhooks", "method", "GET", "POST", true],
    ["JSON: key order", "user", "attributes", { a: 1, b: 2 }, { b: 2, a: 1 }, false],
    ["JSON: list order counts", "user", "attributes", { a: [1, 2] }, { a: [2, 1] }, true],
    ["a duration in other units", "accountConfiguration", "defaultInactiveTimer", "PT1H", "PT60M", false],
    ["a longer duration", "accountConfiguration", "defaultInactiveTimer", "PT1H", "PT2H", true],
    ["a composite: a part left out", "addressConfiguration", "autoCreation", { enabled: true }, { enabled: true, type: "webhook" }, false],
    ["a composite: its method part without case", "addressConfiguration", "autoCreation", { webhookMethod: "post" }, { webhookMethod: "POST" }, false],
    ["a composite: its list part as a set", "addressConfiguration", "autoCreation", { webhookFilters: ["b", "a"] }, { webhookFilters: ["a", "b"] }, false],
    ["a composite: a number against its text", "addressConfiguration", "autoCreation", { studioRetryCount: 3 }, { studioRetryCount: "3" }, false],
    ["a composite: a part held as none", "addressConfiguration", "autoCreation", { enabled: false }, { enabled: null }, true],
    ["a composite: a held object with no such part", "addressConfiguration", "autoCreation", { type: "webhook" }, null, true],
    ["a composite: its other parts keep their case", "addressConfiguration", "autoCreation", { webhookUrl: "https://h/a" }, { webhookUrl: "https://h/A" }, true],
    ["a composite: nested parts", "serviceNotifications", "newMessage", { withMedia: { template: "m" } }, { withMedia: { template: "n" } }, true],
    ["a composite wholly unknown", "serviceNotifications", "newMessage", UNKNOWN, { enabled: true }, true],
    ["a composite with an unknown part", "serviceNotifications", "newMessage", { enabled: UNKNOWN }, { enabled: true }, true],
  ];
  for (const [what, kind, property, declared, held, differs] of cases) {
    it(`${what} (${kind}.${property})`, () => {
      expect(propertyDiffers(row(kind, property), declared, held)).toBe(differs);
    });
  }
});
