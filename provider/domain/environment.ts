// The environment's resources (a service and what configures it, roles, users, the account's
// configuration, address configurations, push credentials), each as one property table of the rows
// every kind has (domain/row.ts): per field, its key in the stack file, the type of its value,
// Twilio's form key(s) and answer key(s), how it compares, when it may change and whether it is
// secret. Pure data: client/wire.ts builds forms and reads answers from it, diff/compare.ts
// compares with it. The registry of kinds (ENVIRONMENT_KINDS) gives each table its Pulumi type
// and its place in the stack file: the resource classes, the runtime's providers, the program, the
// stack file's sections, export and the plan's words follow it.
import type { JsonObject } from "./json";
import type { FieldRule } from "./properties";
import { as, type FieldRow, type ValueOf } from "./row";
import type { SidKind, TextField, Timer } from "./rules";

/**
 * What an environment field's value must be: the type of its key in the stack file
 * (schemas/environment.ts) and what `check` and validate judge of it (environment-rules.ts). The
 * conversation side's rules where one fits (`string`, `boolean`: the type alone; a SID, a text
 * limit, a choice), or the environment's own: an http(s) `webhookUrl`, a webhook `method` (GET or
 * POST in either case), a list of `events`, `permissions` (at least one), a `json` object, a
 * `timer`'s ISO 8601 duration, a `country` code, and the composite values' parts (`notification`,
 * `newMessageNotification`, `autoCreation`). A secret row's key names the config key that holds it.
 */
export type EnvironmentRule =
  | Extract<FieldRule, "string" | "boolean" | { sid: SidKind } | { text: TextField } | { oneOf: readonly string[] }>
  | "webhookUrl"
  | "method"
  | "events"
  | "permissions"
  | "json"
  | { timer: Timer }
  | "country"
  | "notification"
  | "newMessageNotification"
  | "autoCreation";

/**
 * One field of an environment resource: the row every kind has (domain/row.ts), declared under its
 * key in the stack file and always sent in a form. A composite field (an object in the stack file)
 * names one form key and one answer key per part, by the part's dotted path below the field. Its
 * doc comment describes its key in the JSON Schema and the reference, and its argument.
 */
export interface EnvironmentRow extends FieldRow {
  yaml: string;
  form: string | Readonly<Record<string, string>>;
  /** `create-only`: a change replaces the object (Twilio has no update for it, or one that could not keep it whole). */
  change: "update" | "create-only";
  rule: EnvironmentRule;
}

export type EnvironmentTable = Readonly<Record<string, EnvironmentRow>>;

/** A resource's declared values, typed from its table (as a conversation's are): those Twilio requires always, the others optional, null when not managed. */
export type EnvironmentValues<T> = { -readonly [K in keyof T as T[K] extends { required: true } ? K : never]: ValueOf<T[K]> } & {
  -readonly [K in keyof T as T[K] extends { required: true } ? never : K]?: ValueOf<T[K]> | null;
};

export const ROLE_TYPES = ["conversation", "service"] as const;
export const WEBHOOK_METHODS = ["GET", "POST"] as const;
export const ACCOUNT_WEBHOOK_TARGETS = ["webhook", "flex"] as const;
export const ADDRESS_TYPES = ["sms", "whatsapp", "messenger", "gbm", "email", "rcs", "apple", "chat"] as const;
export const AUTO_CREATION_TYPES = ["webhook", "studio", "default"] as const;
export const PUSH_CREDENTIAL_TYPES = ["apn", "fcm", "gcm"] as const;

/** The form keys and answer keys of a composite's parts: each part's key under Twilio's form prefix and answer key. */
function composite(form: string, answer: string, parts: Readonly<Record<string, readonly [form: string, answer: string]>>) {
  return {
    form: Object.fromEntries(Object.entries(parts).map(([part, [key]]) => [part, `${form}.${key}`])),
    answer: Object.fromEntries(Object.entries(parts).map(([part, [, key]]) => [part, `${answer}.${key}`])),
  };
}

const NOTIFICATION_PARTS = { enabled: ["Enabled", "enabled"], template: ["Template", "template"], sound: ["Sound", "sound"] } as const;

/** One notification of a service: whether it is sent, its template and its sound. */
export interface Notification {
  enabled?: boolean;
  template?: string;
  sound?: string;
}

/** The new-message notification, with its badge count and its own for messages with media. */
export interface NewMessageNotification extends Notification {
  badgeCountEnabled?: boolean;
  withMedia?: { enabled?: boolean; template?: string };
}

/** What an address configuration makes of a message from an address no conversation holds. */
export interface AutoCreation {
  enabled?: boolean;
  type?: (typeof AUTO_CREATION_TYPES)[number];
  conversationServiceSid?: string;
  webhookUrl?: string;
  /** GET or POST (in either case). */
  webhookMethod?: string;
  webhookFilters?: string[];
  studioFlowSid?: string;
  studioRetryCount?: number;
}

// The rows' doc comments are the documentation of the reference generated from them; notes for
// this code are line comments. Twilio answers each value as JSON of its own type (read: "value"),
// but for attributes (JSON text) and a push credential's sandbox (a boolean as text).

export const SERVICE_PROPERTIES = {
  /** The service's name. Twilio cannot rename a service: a new name replaces it (and everything in it). */
  friendlyName: {
    yaml: "friendlyName", value: as<string>(), form: "FriendlyName", answer: "friendly_name", read: "value", compare: "value", change: "create-only", secret: false,
    required: true, rule: { text: "friendlyName" },
  },
} as const satisfies EnvironmentTable;

export const SERVICE_CONFIGURATION_PROPERTIES = {
  /** The conversation role of a participant who creates a conversation: a role declared under roles (its key), or an existing role's RL… SID. */
  defaultConversationCreatorRoleSid: {
    yaml: "defaultConversationCreatorRole", value: as<string>(), form: "DefaultConversationCreatorRoleSid", answer: "default_conversation_creator_role_sid",
    read: "value", compare: "value", change: "update", secret: false, rule: { sid: "role" },
  },
  /** The conversation role of a participant added to a conversation: a role declared under roles (its key), or an existing role's RL… SID. */
  defaultConversationRoleSid: {
    yaml: "defaultConversationRole", value: as<string>(), form: "DefaultConversationRoleSid", answer: "default_conversation_role_sid", read: "value",
    compare: "value", change: "update", secret: false, rule: { sid: "role" },
  },
  /** The service role of a new user: a role declared under roles (its key), or an existing role's RL… SID. */
  defaultChatServiceRoleSid: {
    yaml: "defaultChatServiceRole", value: as<string>(), form: "DefaultChatServiceRoleSid", answer: "default_chat_service_role_sid", read: "value",
    compare: "value", change: "update", secret: false, rule: { sid: "role" },
  },
  /** Whether participants see each other's online state. */
  reachabilityEnabled: {
    yaml: "reachabilityEnabled", value: as<boolean>(), form: "ReachabilityEnabled", answer: "reachability_enabled", read: "value", compare: "value",
    change: "update", secret: false, rule: "boolean",
  },
} as const satisfies EnvironmentTable;

export const SERVICE_NOTIFICATIONS_PROPERTIES = {
  /** Log push notifications. */
  logEnabled: {
    yaml: "logEnabled", value: as<boolean>(), form: "LogEnabled", answer: "log_enabled", read: "value", compare: "value", change: "update", secret: false,
    rule: "boolean",
  },
  /** The push notification of a new message. A part left out is not managed. */
  newMessage: {
    yaml: "newMessage", value: as<NewMessageNotification>(),
    ...composite("NewMessage", "new_message", {
      ...NOTIFICATION_PARTS,
      badgeCountEnabled: ["BadgeCountEnabled", "badge_count_enabled"],
      "withMedia.enabled": ["WithMedia.Enabled", "with_media.enabled"],
      "withMedia.template": ["WithMedia.Template", "with_media.template"],
    }),
    read: "value", compare: "value", change: "update", secret: false, rule: "newMessageNotification",
  },
  /** The push notification to a user added to a conversation. A part left out is not managed. */
  addedToConversation: {
    yaml: "addedToConversation", value: as<Notification>(), ...composite("AddedToConversation", "added_to_conversation", NOTIFICATION_PARTS),
    read: "value", compare: "value", change: "update", secret: false, rule: "notification",
  },
  /** The push notification to a user removed from a conversation. A part left out is not managed. */
  removedFromConversation: {
    yaml: "removedFromConversation", value: as<Notification>(), ...composite("RemovedFromConversation", "removed_from_conversation", NOTIFICATION_PARTS),
    read: "value", compare: "value", change: "update", secret: false, rule: "notification",
  },
} as const satisfies EnvironmentTable;

export const SERVICE_WEBHOOKS_PROPERTIES = {
  /** The URL Twilio calls before an action (it may refuse it): an absolute http(s) URL. */
  preWebhookUrl: {
    yaml: "preWebhookUrl", value: as<string>(), form: "PreWebhookUrl", answer: "pre_webhook_url", read: "value", compare: "value", change: "update", secret: false,
    rule: "webhookUrl",
  },
  /** The URL Twilio calls after an action: an absolute http(s) URL. */
  postWebhookUrl: {
    yaml: "postWebhookUrl", value: as<string>(), form: "PostWebhookUrl", answer: "post_webhook_url", read: "value", compare: "value", change: "update", secret: false,
    rule: "webhookUrl",
  },
  /** GET or POST (in either case). */
  method: {
    yaml: "method", value: as<(typeof WEBHOOK_METHODS)[number]>(), form: "Method", answer: "method", read: "value", compare: "value", caseless: [""],
    change: "update", secret: false, rule: "method",
  },
  /** The events sent, as Twilio names them (onMessageAdded, …): a set, their order never shows as a change. */
  filters: {
    yaml: "filters", value: as<string[]>(), form: "Filters", answer: "filters", read: "value", compare: "set", change: "update", secret: false, rule: "events",
  },
} as const satisfies EnvironmentTable;

export const ROLE_PROPERTIES = {
  /** The role's name; a new name replaces the role. */
  friendlyName: {
    yaml: "friendlyName", value: as<string>(), form: "FriendlyName", answer: "friendly_name", read: "value", compare: "value", change: "create-only", secret: false,
    required: true, rule: { text: "friendlyName" },
  },
  /** conversation (a participant's role) or service (a user's role); a new type replaces the role. */
  type: {
    yaml: "type", value: as<(typeof ROLE_TYPES)[number]>(), form: "Type", answer: "type", read: "value", compare: "value", change: "create-only", secret: false,
    required: true, rule: { oneOf: ROLE_TYPES },
  },
  /**
   * What the role may do (sendMessage, leaveConversation, …), at least one: a set, their order
   * never shows as a change. Updated in place (Twilio replaces the whole set).
   */
  permissions: {
    yaml: "permissions", value: as<string[]>(), form: "Permission", answer: "permissions", read: "value", compare: "set", change: "update", secret: false,
    required: true, rule: "permissions",
  },
} as const satisfies EnvironmentTable;

export const USER_PROPERTIES = {
  /** The user's identity; a new identity replaces the user. */
  identity: {
    yaml: "identity", value: as<string>(), form: "Identity", answer: "identity", read: "value", compare: "value", change: "create-only", secret: false, required: true,
    rule: "string",
  },
  /** The user's display name. */
  friendlyName: {
    yaml: "friendlyName", value: as<string>(), form: "FriendlyName", answer: "friendly_name", read: "value", compare: "value", change: "update", secret: false,
    rule: { text: "friendlyName" },
  },
  /** Free-form metadata as a YAML mapping (sent as JSON). */
  attributes: {
    yaml: "attributes", value: as<JsonObject>(), form: "Attributes", encode: "json", answer: "attributes", read: "json", compare: "json", change: "update", secret: false,
    rule: "json",
  },
  /** The user's service role: a role declared under roles (its key), or an existing role's RL… SID. */
  roleSid: {
    yaml: "role", value: as<string>(), form: "RoleSid", answer: "role_sid", read: "value", compare: "value", change: "update", secret: false, rule: { sid: "role" },
  },
} as const satisfies EnvironmentTable;

export const ACCOUNT_CONFIGURATION_PROPERTIES = {
  /** The account's default Conversation Service: an IS… SID, or "stack" for the service this stack declares. */
  defaultChatServiceSid: {
    yaml: "defaultChatService", value: as<string>(), form: "DefaultChatServiceSid", answer: "default_chat_service_sid", read: "value", compare: "value",
    change: "update", secret: false, rule: { sid: "chatService" },
  },
  /** The account's default Messaging Service (MG…). */
  defaultMessagingServiceSid: {
    yaml: "defaultMessagingServiceSid", value: as<string>(), form: "DefaultMessagingServiceSid", answer: "default_messaging_service_sid", read: "value",
    compare: "value", change: "update", secret: false, rule: { sid: "messagingService" },
  },
  /** ISO 8601 duration after which new conversations become inactive, e.g. `PT1H`. */
  defaultInactiveTimer: {
    yaml: "defaultInactiveTimer", value: as<string>(), form: "DefaultInactiveTimer", answer: "default_inactive_timer", read: "value", compare: "duration",
    change: "update", secret: false, rule: { timer: "inactive" },
  },
  /** ISO 8601 duration after which new conversations close, e.g. `P7D`. */
  defaultClosedTimer: {
    yaml: "defaultClosedTimer", value: as<string>(), form: "DefaultClosedTimer", answer: "default_closed_timer", read: "value", compare: "duration",
    change: "update", secret: false, rule: { timer: "closed" },
  },
} as const satisfies EnvironmentTable;

export const ACCOUNT_WEBHOOKS_PROPERTIES = {
  ...SERVICE_WEBHOOKS_PROPERTIES,
  /** webhook or flex. */
  target: {
    yaml: "target", value: as<(typeof ACCOUNT_WEBHOOK_TARGETS)[number]>(), form: "Target", answer: "target", read: "value", compare: "value", change: "update",
    secret: false, rule: { oneOf: ACCOUNT_WEBHOOK_TARGETS },
  },
} as const satisfies EnvironmentTable;

export const ADDRESS_CONFIGURATION_PROPERTIES = {
  /** The channel; a new type replaces the configuration. */
  type: {
    yaml: "type", value: as<(typeof ADDRESS_TYPES)[number]>(), form: "Type", answer: "type", read: "value", compare: "value", change: "create-only", secret: false,
    required: true, rule: { oneOf: ADDRESS_TYPES },
  },
  /** The address (a phone number in E.164, an email address, …); a new address replaces the configuration. */
  address: {
    yaml: "address", value: as<string>(), form: "Address", answer: "address", read: "value", compare: "value", change: "create-only", secret: false, required: true,
    rule: "string",
  },
  /** A name for the configuration. */
  friendlyName: {
    yaml: "friendlyName", value: as<string>(), form: "FriendlyName", answer: "friendly_name", read: "value", compare: "value", change: "update", secret: false,
    rule: { text: "friendlyName" },
  },
  /** How a conversation opens when a message arrives at the address. */
  autoCreation: {
    yaml: "autoCreation", value: as<AutoCreation>(),
    ...composite("AutoCreation", "auto_creation", {
      enabled: ["Enabled", "enabled"],
      type: ["Type", "type"],
      conversationServiceSid: ["ConversationServiceSid", "conversation_service_sid"],
      webhookUrl: ["WebhookUrl", "webhook_url"],
      webhookMethod: ["WebhookMethod", "webhook_method"],
      webhookFilters: ["WebhookFilters", "webhook_filters"],
      studioFlowSid: ["StudioFlowSid", "studio_flow_sid"],
      studioRetryCount: ["StudioRetryCount", "studio_retry_count"],
    }),
    read: "value", compare: "value", caseless: ["webhookMethod"], change: "update", secret: false, rule: "autoCreation",
  },
  /** ISO 3166-1 alpha-2 code; a new country replaces the configuration. */
  addressCountry: {
    yaml: "addressCountry", value: as<string>(), form: "AddressCountry", answer: "address_country", read: "value", compare: "value", change: "create-only",
    secret: false, rule: "country",
  },
} as const satisfies EnvironmentTable;

// Sent, never answered: state keeps a fingerprint of each, as a Pulumi secret.
const SECRET = { answer: null, compare: "value", change: "update", secret: true } as const;

export const PUSH_CREDENTIAL_PROPERTIES = {
  /** apn (Apple), fcm (Firebase) or gcm. Twilio would update it in place, but a new type takes other secrets: it replaces the credential. */
  type: {
    yaml: "type", value: as<(typeof PUSH_CREDENTIAL_TYPES)[number]>(), form: "Type", answer: "type", read: "value", compare: "value", change: "create-only",
    secret: false, required: true, rule: { oneOf: PUSH_CREDENTIAL_TYPES },
  },
  /** A name for the credential. */
  friendlyName: {
    yaml: "friendlyName", value: as<string>(), form: "FriendlyName", answer: "friendly_name", read: "value", compare: "value", change: "update", secret: false,
    rule: { text: "friendlyName" },
  },
  /** APN: the sandbox environment. Twilio answers it as text ("True"/"False"). */
  sandbox: {
    yaml: "sandbox", value: as<boolean>(), form: "Sandbox", answer: "sandbox", read: "boolean", compare: "value", change: "update", secret: false, rule: "boolean",
  },
  /** APN: the certificate (PEM), as a secret. */
  certificate: { yaml: "certificate", value: as<string>(), form: "Certificate", ...SECRET, rule: "string" },
  /** APN: the private key (PEM), as a secret. */
  privateKey: { yaml: "privateKey", value: as<string>(), form: "PrivateKey", ...SECRET, rule: "string" },
  /** GCM: the API key, as a secret. */
  apiKey: { yaml: "apiKey", value: as<string>(), form: "ApiKey", ...SECRET, rule: "string" },
  /** FCM: the server key, as a secret. */
  secret: { yaml: "secret", value: as<string>(), form: "Secret", ...SECRET, rule: "string" },
} as const satisfies EnvironmentTable;

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
  table: EnvironmentTable;
  shape: "singleton" | "collection";
  placement: Placement;
  /** Where its entries sit in the stack file: keys, `*` for a mapping's values (a collection's entries, keyed by resource name). */
  at: readonly string[];
  /**
   * Its path in Twilio's API below the account's (`/v1`) or the service's (`/v1/Services/IS…`): a
   * singleton's own, a collection's list (one object's is the list's, then its SID or natural key).
   */
  path: string;
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
 * The registry of kinds: a kind is its entry here (its table, where it sits in the stack file, its
 * path, how Twilio holds it). The resource classes and their arguments, the provider the runtime
 * serves, the program, the stack file's schema, the plan's words and the reference follow it. Its
 * order is the program's, after the kinds others name. An entry's doc comment describes the kind's
 * entries in the stack file (the JSON Schema and the reference).
 */
const KINDS = {
  /** A Conversation Service: one this stack declares (created or adopted, and deleted last), or an existing one, by SID, whose configuration it sets. */
  service: {
    noun: "service", type: "Service", table: SERVICE_PROPERTIES, shape: "collection", placement: "account", at: ["service"],
    path: "/Services",
    naturalKey: "friendlyName", listItems: "services",
  },
  /** The service's configuration: its default roles and reachability. Destroy puts back what was found. */
  serviceConfiguration: {
    noun: "service configuration", type: "ServiceConfiguration", table: SERVICE_CONFIGURATION_PROPERTIES, shape: "singleton", placement: "service", at: ["service", "configuration"],
    path: "/Configuration",
    references: { defaultConversationCreatorRoleSid: conversationRole, defaultConversationRoleSid: conversationRole, defaultChatServiceRoleSid: serviceRole },
  },
  /** The service's push notifications. Destroy puts back what was found. */
  serviceNotifications: {
    noun: "service notifications", type: "ServiceNotifications", table: SERVICE_NOTIFICATIONS_PROPERTIES, shape: "singleton", placement: "service", at: ["service", "notifications"],
    path: "/Configuration/Notifications",
  },
  /** The service's pre- and post-event webhooks. Destroy puts back what was found. */
  serviceWebhooks: {
    noun: "service webhooks", type: "ServiceWebhooks", table: SERVICE_WEBHOOKS_PROPERTIES, shape: "singleton", placement: "service", at: ["service", "webhooks"],
    path: "/Configuration/Webhooks",
  },
  /** A role of the stack's service (or of the default service). */
  role: {
    noun: "role", type: "Role", table: ROLE_PROPERTIES, shape: "collection", placement: "service-or-default", at: ["roles", "*"],
    path: "/Roles",
    naturalKey: "friendlyName", listItems: "roles",
  },
  /** A user of the stack's service (or of the default service). */
  user: {
    noun: "user", type: "User", table: USER_PROPERTIES, shape: "collection", placement: "service-or-default", at: ["users", "*"],
    path: "/Users",
    references: { roleSid: serviceRole },
    naturalKey: "identity", naturalKeyUnique: true, listItems: "users", fetchesByNaturalKey: true,
  },
  /** The account's Conversations defaults. Destroy puts back what was found. */
  accountConfiguration: {
    noun: "account configuration", type: "AccountConfiguration", table: ACCOUNT_CONFIGURATION_PROPERTIES, shape: "singleton", placement: "account", at: ["account", "configuration"],
    path: "/Configuration",
    references: { defaultChatServiceSid: { to: "service" } },
  },
  /** The account's webhooks. Destroy puts back what was found. */
  accountWebhooks: {
    noun: "account webhooks", type: "AccountWebhooks", table: ACCOUNT_WEBHOOKS_PROPERTIES, shape: "singleton", placement: "account", at: ["account", "webhooks"],
    path: "/Configuration/Webhooks",
  },
  /** An address that opens conversations by itself. Adopted by its address. */
  addressConfiguration: {
    noun: "address configuration", type: "AddressConfiguration", table: ADDRESS_CONFIGURATION_PROPERTIES, shape: "collection", placement: "account", at: ["addressConfigurations", "*"],
    path: "/Configuration/Addresses",
    naturalKey: "address", naturalKeyUnique: true, listItems: "address_configurations", fetchesByNaturalKey: true,
  },
  /** A push credential. Twilio never answers its secrets back, so drift on them cannot be seen. */
  pushCredential: {
    noun: "push credential", type: "PushCredential", table: PUSH_CREDENTIAL_PROPERTIES, shape: "collection", placement: "account", at: ["pushCredentials", "*"],
    path: "/Credentials",
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
