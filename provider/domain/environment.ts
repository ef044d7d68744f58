// The environment's resources (a service and what configures it, roles, users, the account's
// configuration, address configurations, push credentials), each as one property table: per
// field, its key in the stack file, Twilio's form key(s) and answer key(s), how it compares, when
// it may change and whether it is secret. Pure data: client/environment.ts builds forms and reads
// answers from it, diff/environment.ts compares with it. The registry of kinds (ENVIRONMENT_KINDS)
// gives each table its Pulumi type and its place in the stack file: the resource classes, the
// runtime's providers, the program, the stack file's sections, export and the plan's words follow it.

/**
 * How a declared value is compared with the one Twilio holds: `value` as a JSON value with lists
 * taken as sets (Twilio keeps permissions and filters in no order of ours); `json` as a JSON value
 * where order counts (attributes).
 */
export type SettingComparison = "value" | "json" | "duration";

/**
 * One field of an environment resource. A composite field (an object in the stack file) names one
 * form key and one answer key per part, by the part's dotted path below the field.
 */
export interface SettingRow {
  /** The key under the resource's entry in the stack file. */
  yaml: string;
  form: string | Readonly<Record<string, string>>;
  /** Where Twilio's answer holds it; null when Twilio never answers it (secrets). */
  answer: string | Readonly<Record<string, string>> | null;
  /** `json`: sent as JSON text and answered as JSON text (attributes). */
  encode?: "json";
  /** `boolean`: Twilio answers a boolean as text (`"True"`), read back as the boolean declared. */
  read?: "boolean";
  compare: SettingComparison;
  /** `create-only`: a change replaces the object (Twilio has no update for it, or one that could not keep it whole). */
  change: "update" | "create-only";
  /** Sent, never answered, never stored: state keeps a fingerprint of it, as a Pulumi secret. */
  secret?: true;
  /** Twilio requires it on create. */
  required?: true;
  /** Parts (`""`: the value itself) compared without case: methods, which Twilio takes and answers in either case. */
  caseless?: readonly string[];
}

export type SettingTable = Readonly<Record<string, SettingRow>>;

const update = (yaml: string, form: SettingRow["form"], answer: SettingRow["answer"], compare: SettingComparison = "value"): SettingRow => ({
  yaml, form, answer, compare, change: "update",
});
const createOnly = (yaml: string, form: string, answer: string | null, extra: Partial<SettingRow> = {}): SettingRow => ({
  yaml, form, answer, compare: "value", change: "create-only", ...extra,
});
const secret = (yaml: string, form: string): SettingRow & { secret: true } => ({ yaml, form, answer: null, compare: "value", change: "update", secret: true });

/** The parts of a notification (enabled, template, sound) under Twilio's form prefix and answer key. */
function notificationParts(yaml: string, form: string, answer: string, extra: Record<string, [form: string, answer: string]> = {}) {
  const parts: Record<string, [string, string]> = {
    enabled: ["Enabled", "enabled"],
    template: ["Template", "template"],
    sound: ["Sound", "sound"],
    ...extra,
  };
  return update(
    yaml,
    Object.fromEntries(Object.entries(parts).map(([part, [key]]) => [part, `${form}.${key}`])),
    Object.fromEntries(Object.entries(parts).map(([part, [, key]]) => [part, `${answer}.${key}`])),
  );
}

export const SERVICE_PROPERTIES = {
  /** Twilio has no update for a service: a new name is a new service. */
  friendlyName: createOnly("friendlyName", "FriendlyName", "friendly_name", { required: true }),
} as const satisfies SettingTable;

export const SERVICE_CONFIGURATION_PROPERTIES = {
  defaultConversationCreatorRoleSid: update("defaultConversationCreatorRole", "DefaultConversationCreatorRoleSid", "default_conversation_creator_role_sid"),
  defaultConversationRoleSid: update("defaultConversationRole", "DefaultConversationRoleSid", "default_conversation_role_sid"),
  defaultChatServiceRoleSid: update("defaultChatServiceRole", "DefaultChatServiceRoleSid", "default_chat_service_role_sid"),
  reachabilityEnabled: update("reachabilityEnabled", "ReachabilityEnabled", "reachability_enabled"),
} as const satisfies SettingTable;

export const SERVICE_NOTIFICATIONS_PROPERTIES = {
  logEnabled: update("logEnabled", "LogEnabled", "log_enabled"),
  newMessage: notificationParts("newMessage", "NewMessage", "new_message", {
    badgeCountEnabled: ["BadgeCountEnabled", "badge_count_enabled"],
    "withMedia.enabled": ["WithMedia.Enabled", "with_media.enabled"],
    "withMedia.template": ["WithMedia.Template", "with_media.template"],
  }),
  addedToConversation: notificationParts("addedToConversation", "AddedToConversation", "added_to_conversation"),
  removedFromConversation: notificationParts("removedFromConversation", "RemovedFromConversation", "removed_from_conversation"),
} as const satisfies SettingTable;

export const SERVICE_WEBHOOKS_PROPERTIES = {
  preWebhookUrl: update("preWebhookUrl", "PreWebhookUrl", "pre_webhook_url"),
  postWebhookUrl: update("postWebhookUrl", "PostWebhookUrl", "post_webhook_url"),
  method: { ...update("method", "Method", "method"), caseless: [""] },
  filters: update("filters", "Filters", "filters"),
} as const satisfies SettingTable;

export const ROLE_PROPERTIES = {
  friendlyName: createOnly("friendlyName", "FriendlyName", "friendly_name", { required: true }),
  type: createOnly("type", "Type", "type", { required: true }),
  /** Twilio replaces the whole set on update; a set, so their order never shows as a change. */
  permissions: { ...update("permissions", "Permission", "permissions"), required: true },
} as const satisfies SettingTable;

export const USER_PROPERTIES = {
  identity: createOnly("identity", "Identity", "identity", { required: true }),
  friendlyName: update("friendlyName", "FriendlyName", "friendly_name"),
  attributes: { ...update("attributes", "Attributes", "attributes", "json"), encode: "json" },
  roleSid: update("role", "RoleSid", "role_sid"),
} as const satisfies SettingTable;

export const ACCOUNT_CONFIGURATION_PROPERTIES = {
  defaultChatServiceSid: update("defaultChatService", "DefaultChatServiceSid", "default_chat_service_sid"),
  defaultMessagingServiceSid: update("defaultMessagingServiceSid", "DefaultMessagingServiceSid", "default_messaging_service_sid"),
  defaultInactiveTimer: update("defaultInactiveTimer", "DefaultInactiveTimer", "default_inactive_timer", "duration"),
  defaultClosedTimer: update("defaultClosedTimer", "DefaultClosedTimer", "default_closed_timer", "duration"),
} as const satisfies SettingTable;

export const ACCOUNT_WEBHOOKS_PROPERTIES = {
  ...SERVICE_WEBHOOKS_PROPERTIES,
  target: update("target", "Target", "target"),
} as const satisfies SettingTable;

const AUTO_CREATION_PARTS = {
  enabled: ["Enabled", "enabled"],
  type: ["Type", "type"],
  conversationServiceSid: ["ConversationServiceSid", "conversation_service_sid"],
  webhookUrl: ["WebhookUrl", "webhook_url"],
  webhookMethod: ["WebhookMethod", "webhook_method"],
  webhookFilters: ["WebhookFilters", "webhook_filters"],
  studioFlowSid: ["StudioFlowSid", "studio_flow_sid"],
  studioRetryCount: ["StudioRetryCount", "studio_retry_count"],
} as const;

export const ADDRESS_CONFIGURATION_PROPERTIES = {
  type: createOnly("type", "Type", "type", { required: true }),
  address: createOnly("address", "Address", "address", { required: true }),
  friendlyName: update("friendlyName", "FriendlyName", "friendly_name"),
  autoCreation: {
    ...update(
      "autoCreation",
      Object.fromEntries(Object.entries(AUTO_CREATION_PARTS).map(([part, [key]]) => [part, `AutoCreation.${key}`])),
      Object.fromEntries(Object.entries(AUTO_CREATION_PARTS).map(([part, [, key]]) => [part, `auto_creation.${key}`])),
    ),
    caseless: ["webhookMethod"],
  },
  addressCountry: createOnly("addressCountry", "AddressCountry", "address_country"),
} as const satisfies SettingTable;

export const PUSH_CREDENTIAL_PROPERTIES = {
  /** Twilio would update it in place, but a new type takes other secrets: it replaces the credential. */
  type: createOnly("type", "Type", "type", { required: true }),
  friendlyName: update("friendlyName", "FriendlyName", "friendly_name"),
  /** Twilio answers it as text ("True"/"False"). */
  sandbox: { ...update("sandbox", "Sandbox", "sandbox"), read: "boolean" },
  certificate: secret("certificate", "Certificate"),
  privateKey: secret("privateKey", "PrivateKey"),
  apiKey: secret("apiKey", "ApiKey"),
  secret: secret("secret", "Secret"),
} as const satisfies SettingTable;

/** Where an environment resource lives: in a service, in a service or the default one, or in the account. */
export type Placement = "service" | "service-or-default" | "account";

/**
 * A property whose value in the stack file names another entry of it: a role (its key under
 * `roles`, or an `RL…` SID) of the given type, or the service this stack declares (`stack`).
 */
export type Reference = { to: "role"; roleType: "conversation" | "service" } | { to: "service" };

/**
 * One kind of environment resource: its table and how Twilio holds it. A singleton is never
 * created or deleted: `up` sets what is declared and `destroy` puts back what was found. A
 * collection's object is created, or adopted by its `naturalKey` (then, like a singleton, put back
 * as found on destroy rather than deleted).
 */
export interface EnvironmentKind {
  name: EnvironmentKindName;
  /** How messages name one: "role", "service configuration". */
  noun: string;
  /** Its Pulumi type, `pulumi-nodejs:dynamic/twilio-conversations:<type>`: part of every URN, never to change. */
  type: string;
  table: SettingTable;
  shape: "singleton" | "collection";
  placement: Placement;
  /** Where its entries sit in the stack file: keys, `*` for a mapping's values (a collection's entries, keyed by resource name). */
  at: readonly string[];
  /** Its properties that name another entry of the stack file, resolved by the program. */
  references?: Readonly<Record<string, Reference>>;
  /** The property that names one object among its kind, for adoption and lost-answer recovery. */
  naturalKey?: string;
  /** Twilio refuses a second object with the same natural key in one place (a user's identity in a service, an address). */
  naturalKeyUnique?: true;
  /** The other properties a lost create's recovery matches on (a push credential has no natural key). */
  recoveryMatch?: readonly string[];
  /** Without a natural key: the properties an adoption finds the object by, all equal (the oldest such object is taken). */
  adoptBy?: readonly string[];
  /** The key of a list answer's items. */
  listItems?: string;
  /** Whether Twilio's fetch path takes the natural key in place of the SID. */
  fetchesByNaturalKey?: boolean;
}

const conversationRole: Reference = { to: "role", roleType: "conversation" };
const serviceRole: Reference = { to: "role", roleType: "service" };

/**
 * The registry of kinds: a kind is its entry here (its table, where it sits in the stack file, how
 * Twilio holds it). The resource classes, the provider the runtime serves, the program, the plan's
 * words and the reference follow it. Its order is the program's, after the kinds others name.
 */
const KINDS = {
  service: {
    noun: "service", type: "Service", table: SERVICE_PROPERTIES, shape: "collection", placement: "account", at: ["service"],
    naturalKey: "friendlyName", listItems: "services",
  },
  serviceConfiguration: {
    noun: "service configuration", type: "ServiceConfiguration", table: SERVICE_CONFIGURATION_PROPERTIES, shape: "singleton", placement: "service", at: ["service", "configuration"],
    references: { defaultConversationCreatorRoleSid: conversationRole, defaultConversationRoleSid: conversationRole, defaultChatServiceRoleSid: serviceRole },
  },
  serviceNotifications: {
    noun: "service notifications", type: "ServiceNotifications", table: SERVICE_NOTIFICATIONS_PROPERTIES, shape: "singleton", placement: "service", at: ["service", "notifications"],
  },
  serviceWebhooks: {
    noun: "service webhooks", type: "ServiceWebhooks", table: SERVICE_WEBHOOKS_PROPERTIES, shape: "singleton", placement: "service", at: ["service", "webhooks"],
  },
  role: {
    noun: "role", type: "Role", table: ROLE_PROPERTIES, shape: "collection", placement: "service-or-default", at: ["roles", "*"],
    naturalKey: "friendlyName", listItems: "roles",
  },
  user: {
    noun: "user", type: "User", table: USER_PROPERTIES, shape: "collection", placement: "service-or-default", at: ["users", "*"],
    references: { roleSid: serviceRole },
    naturalKey: "identity", naturalKeyUnique: true, listItems: "users", fetchesByNaturalKey: true,
  },
  accountConfiguration: {
    noun: "account configuration", type: "AccountConfiguration", table: ACCOUNT_CONFIGURATION_PROPERTIES, shape: "singleton", placement: "account", at: ["account", "configuration"],
    references: { defaultChatServiceSid: { to: "service" } },
  },
  accountWebhooks: {
    noun: "account webhooks", type: "AccountWebhooks", table: ACCOUNT_WEBHOOKS_PROPERTIES, shape: "singleton", placement: "account", at: ["account", "webhooks"],
  },
  addressConfiguration: {
    noun: "address configuration", type: "AddressConfiguration", table: ADDRESS_CONFIGURATION_PROPERTIES, shape: "collection", placement: "account", at: ["addressConfigurations", "*"],
    naturalKey: "address", naturalKeyUnique: true, listItems: "address_configurations", fetchesByNaturalKey: true,
  },
  pushCredential: {
    noun: "push credential", type: "PushCredential", table: PUSH_CREDENTIAL_PROPERTIES, shape: "collection", placement: "account", at: ["pushCredentials", "*"],
    recoveryMatch: ["type", "friendlyName"], adoptBy: ["type", "friendlyName"], listItems: "credentials",
  },
} as const satisfies Readonly<Record<string, Omit<EnvironmentKind, "name">>>;

export type EnvironmentKindName = keyof typeof KINDS;

/** A kind's registry entry with its literal types (for the types that must follow it). */
export type EnvironmentKindOf<K extends EnvironmentKindName> = (typeof KINDS)[K];
/** A kind's own table, with its rows' literal types. */
export type EnvironmentTableOf<K extends EnvironmentKindName> = EnvironmentKindOf<K>["table"];

/** The top-level keys of the stack file that hold a collection's entries by key: `roles`, `users`, … */
export type EnvironmentCollectionSection = {
  [K in EnvironmentKindName]: EnvironmentKindOf<K> extends { at: readonly [infer Section extends string, "*"] } ? Section : never;
}[EnvironmentKindName];

export const ENVIRONMENT_KINDS = Object.fromEntries(
  Object.entries(KINDS).map(([name, kind]) => [name, { name, ...kind }]),
) as unknown as Readonly<Record<EnvironmentKindName, EnvironmentKind>>;

/** The kinds whose entries sit directly inside the place `at` of the stack file: a service's configuration, the account's webhooks, a section's entries. */
export function kindsPlacedIn(at: readonly string[]): EnvironmentKind[] {
  return Object.values(ENVIRONMENT_KINDS).filter((kind) => kind.at.length === at.length + 1 && at.every((key, position) => kind.at[position] === key));
}

/** A kind's name in kebab case (`service-configuration`): its reference page, and the resource name of a single entry, part of its URN. */
export const kebabName = (kind: EnvironmentKindName): string => kind.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

export const ROLE_TYPES = ["conversation", "service"] as const;
export const WEBHOOK_METHODS = ["GET", "POST"] as const;
export const ACCOUNT_WEBHOOK_TARGETS = ["webhook", "flex"] as const;
export const ADDRESS_TYPES = ["sms", "whatsapp", "messenger", "gbm", "email", "rcs", "apple", "chat"] as const;
export const AUTO_CREATION_TYPES = ["webhook", "studio", "default"] as const;
export const PUSH_CREDENTIAL_TYPES = ["apn", "fcm", "gcm"] as const;

/** The properties of a table that are secret. */
export function secretSettings(table: SettingTable): string[] {
  return Object.keys(table).filter((property) => table[property].secret);
}
