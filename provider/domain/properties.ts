// One property table per resource of the conversation side, in the row type every kind has
// (row.ts, which the environment's tables use too): each row is the single place that says, for
// one field, its key in the stack file, the TypeScript type of its value (arguments, inputs,
// forms, answers and outputs are typed from it), the form key Twilio takes and the answer key it
// shows it under, how two values compare, when it may change (and whether once the conversation
// is closed), whether it is secret, which `check` rule it obeys and how a lost answer's recovery
// matches it. Pure data: client/ builds forms and reads answers from it, diff/ compares with it,
// resources/ derives the declared list, refresh and the closed-conversation guard from it. The
// rules that are more than a field's row (state and timers, closing after create, the thread's
// order) stay code beside the code that uses them.
import type { JsonObject } from "./json";
import { as, isField, type Change, type FieldRow, type KeysWhere, type ObservedRow, type RowTable, type ValueOf } from "./row";
import {
  ADOPT_MODES,
  CONVERSATION_STATES,
  WEBHOOK_METHODS,
  WEBHOOK_TARGETS,
  type AdoptMode,
  type AttributesOwner,
  type ConversationState,
  type ShapeRule,
  type SidKind,
  type TextField,
  type WebhookMethod,
  type WebhookTarget,
} from "./rules";

export {
  as,
  partsOf,
  secretProperties,
  setValueAt,
  valueAt,
  type AnswerKeys,
  type Change,
  type Comparison,
  type Expect,
  type FieldRow,
  type FormKeys,
  type KeysWhere,
  type ObservedRow,
  type SameKeys,
  type ValueOf,
} from "./row";

/** Whether a change is refused once the conversation is closed; `own rule`: decided by code (state). */
export type WhenClosed = "refused" | "allowed" | "own rule";

/**
 * How a lost answer's recovery matches a property against what Twilio holds: `ignored` (Twilio
 * never shows it as sent); `when-sent` (compared only when the create sent it); `{unsent}` (as sent,
 * and when not sent at Twilio's default `unsent`), optionally not when another property was sent
 * (`except`, whose value replaces this one); `account-default` (as sent, and when not sent, none or
 * the account's default messaging service); `natural-key` (as sent, none when not sent, and what
 * Twilio holds one of at most: a lost create is found by these rows alone).
 */
export type Recovery = "ignored" | "when-sent" | "account-default" | "natural-key" | { unsent: unknown; except?: string };

/**
 * The per-field rule `check` applies (check.ts turns each into code): a parameterized kind, one
 * check.ts writes for several rows, or a shape rule of rules.ts (SHAPE_RULES, checked as one value).
 */
export type FieldRule =
  | { sid: SidKind }
  | { text: TextField }
  | { oneOf: readonly string[] }
  | { attributes: AttributesOwner }
  | ShapeRule
  | "string"
  | "boolean"
  | "uniqueName"
  | "timers"
  | "timestamp"
  | "participantRole"
  | "messageIndex"
  | "url"
  | "webhookFilters"
  | "webhookTriggers";

/** A field of the conversation side: the row every kind has, with what the conversation's own rules read. */
export interface DeclaredRow extends FieldRow {
  /** The value of an undeclared one: it takes no null (otherwise an undeclared value is null). */
  default?: unknown;
  /**
   * `after`: Twilio's create form has no such key, though its update form has; a create that
   * declares it is followed by an update that sends it.
   */
  onCreate?: "after";
  /**
   * For a create-only row whose key Twilio's update form has, but takes only in cases that never
   * change a declared value (adding one where none is held): why it is create-only here.
   */
  narrowUpdate?: string;
  closed: WhenClosed;
  recovery: Recovery;
  rule: FieldRule | null;
  /** Twilio requires it on create: the stack file must declare it. */
  required?: true;
}

export type PropertyRow = DeclaredRow | ObservedRow;
type Table = Readonly<Record<string, PropertyRow>>;

const observed = (answer: string) => ({ change: "observed", answer, secret: false }) as const;

// The rows' doc comments are the documentation of the arguments, inputs and outputs derived from
// them (what a user reads in an editor); notes for this code are line comments.

/** The Conversation resource's properties, in the order `check` reports them. */
export const CONVERSATION_PROPERTIES = {
  sid: { ...observed("sid"), always: true },
  accountSid: { ...observed("account_sid"), always: true },
  /** `IS…` SID of the Conversation Service; omitted or null means the account's default service. */
  // In the request path, not the form; the stack file names it once, as `service`.
  chatServiceSid: {
    yaml: null, value: as<string>(), form: null, answer: "chat_service_sid", always: true, compare: "text", change: "create-only", closed: "allowed",
    secret: false, recovery: "ignored", rule: { sid: "chatService" },
  },
  /** Unique name within the Conversation Service, usable in place of the SID. */
  uniqueName: {
    yaml: "uniqueName", value: as<string>(), form: "UniqueName", answer: "unique_name", compare: "text", change: "update", closed: "refused", secret: false,
    recovery: { unsent: null }, rule: "uniqueName",
  },
  /** Display name. */
  friendlyName: {
    yaml: "friendlyName", value: as<string>(), form: "FriendlyName", answer: "friendly_name", compare: "text", change: "update", closed: "refused", secret: false,
    recovery: { unsent: null }, rule: { text: "friendlyName" },
  },
  /** `active`, `inactive` or `closed`. Twilio refuses creating a closed conversation, so the provider creates it active and then closes it. */
  // Compared and sent by the rules of diff/conversation-state.ts; closed is final (check.ts).
  state: {
    yaml: "state", value: as<ConversationState>(), form: "State", answer: "state", always: true, compare: "text", change: "update", closed: "own rule",
    secret: false, recovery: { unsent: "active" }, rule: { oneOf: CONVERSATION_STATES },
  },
  /** State timers as ISO 8601 durations, e.g. `PT1H` (weeks, days, hours, minutes, seconds; no years or months). Need a state. */
  // Twilio answers the dates the timers set (dateInactive, dateClosed), never the durations: recorded as declared.
  timers: {
    yaml: "timers", value: as<ConversationTimers>(), form: { inactive: "Timers.Inactive", closed: "Timers.Closed" }, answer: null, compare: "duration",
    change: "update", closed: "refused", secret: false, recovery: "ignored", rule: "timers",
  },
  /** Free-form metadata as a YAML mapping (a JSON object, sent as JSON), compared as a value (key order and formatting never show as a change). */
  attributes: {
    yaml: "attributes", value: as<JsonObject>(), form: "Attributes", encode: "json", answer: "attributes", read: "json", compare: "json", change: "update",
    closed: "refused", secret: false, recovery: { unsent: {} }, rule: { attributes: "conversation" },
  },
  /** `MG…` SID of the Messaging Service for non-chat participants. */
  messagingServiceSid: {
    yaml: "messagingServiceSid", value: as<string>(), form: "MessagingServiceSid", answer: "messaging_service_sid", compare: "text", change: "update",
    closed: "refused", secret: false, recovery: "account-default", rule: { sid: "messagingService" },
  },
  /**
   * Bindings of the conversation to channels: Twilio takes an email sender, the default sender of the
   * conversation's outbound emails. A part left out is not managed: Twilio keeps what it holds.
   */
  // Twilio answers the address as `projected_address`.
  bindings: {
    yaml: "bindings", value: as<ConversationBindings>(),
    form: { "email.address": "Bindings.Email.Address", "email.name": "Bindings.Email.Name" },
    answer: { "email.address": "bindings.email.projected_address", "email.name": "bindings.email.name" },
    compare: "text", change: "update", closed: "refused", secret: false, recovery: { unsent: null }, rule: "bindings",
  },
  /**
   * Creation time to record, an ISO 8601 UTC timestamp such as 2024-01-02T03:04:05Z, for backdating
   * seed conversations; when absent, Twilio records the time of the create.
   */
  dateCreated: {
    yaml: "dateCreated", value: as<string>(), form: "DateCreated", encode: "date", answer: "date_created", always: true, compare: "instant", change: "update",
    closed: "refused", secret: false, recovery: "when-sent", rule: "timestamp",
  },
  /**
   * What to do when a conversation with this uniqueName already exists: `never` (fail; the default),
   * `ifExists` (take it over), `require` (fail unless it exists). `ifExists` and `require` need a uniqueName.
   */
  adopt: {
    yaml: "adopt", value: as<AdoptMode>(), default: "never", form: null, answer: null, compare: "text", change: "recorded", closed: "allowed", secret: false,
    recovery: "ignored", rule: { oneOf: ADOPT_MODES },
  },
  /**
   * Sends `X-Twilio-Webhook-Enabled: true` on this conversation's writes, so that Twilio fires
   * webhooks for them. Default false; in the stack file (`webhooks`), it overrides `defaults.webhooks`.
   */
  webhooksEnabled: {
    yaml: "webhooks", value: as<boolean>(), default: false, form: null, answer: null, compare: "text", change: "recorded", closed: "allowed", secret: false,
    recovery: "ignored", rule: "boolean",
  },
  dateUpdated: { ...observed("date_updated"), always: true },
  dateInactive: observed("timers.date_inactive"),
  dateClosed: observed("timers.date_closed"),
  url: { ...observed("url"), always: true },
} as const satisfies Table;

/**
 * A message's properties: a seed message of a Conversation's thread, and the typed Message
 * resource (which adds its conversation, its place and its settings: message-model.ts).
 */
export const MESSAGE_PROPERTIES = {
  sid: { ...observed("sid"), always: true },
  accountSid: { ...observed("account_sid"), always: true },
  conversationSid: { ...observed("conversation_sid"), always: true },
  index: { ...observed("index"), read: "number", always: true },
  /**
   * Author identity; Twilio uses `system` when absent. In the stack file, `{ participant: <key> }`
   * names a participant declared in this conversation: its identity (or its messagingBinding.address) is the author.
   */
  // Twilio answers "system" for a message sent without one.
  author: {
    yaml: "author", value: as<string>(), form: "Author", answer: "author", always: true, compare: "text", change: "update", closed: "refused", secret: false,
    recovery: { unsent: "system" }, rule: "string",
  },
  /** Message text. */
  // A content template replaces the body: not matched when a contentSid was sent.
  body: {
    yaml: "body", value: as<string>(), form: "Body", answer: "body", compare: "text", change: "update", closed: "refused", secret: false,
    recovery: { unsent: null, except: "contentSid" }, rule: { text: "body" },
  },
  /** Free-form metadata as a YAML mapping. */
  attributes: {
    yaml: "attributes", value: as<JsonObject>(), form: "Attributes", encode: "json", answer: "attributes", read: "json", compare: "json", change: "update",
    closed: "refused", secret: false, recovery: { unsent: {} }, rule: { attributes: "message" },
  },
  /** `ME…` SID of uploaded media to attach; only at creation (a change re-creates the message). */
  mediaSid: {
    yaml: "mediaSid", value: as<string>(), form: "MediaSid", answer: "media.0.sid", compare: "text", change: "create-only", closed: "refused", secret: false,
    recovery: { unsent: null }, rule: { sid: "media" },
  },
  /** `HX…` SID of a content template; cannot be combined with body or mediaSid. Only at creation. */
  contentSid: {
    yaml: "contentSid", value: as<string>(), form: "ContentSid", answer: "content_sid", compare: "text", change: "create-only", closed: "refused", secret: false,
    recovery: { unsent: null }, rule: { sid: "content" },
  },
  /** Values for the content template's placeholders. Needs contentSid. */
  // Twilio never shows them: recorded as declared.
  contentVariables: {
    yaml: "contentVariables", value: as<Record<string, string>>(), form: "ContentVariables", encode: "json", answer: null, compare: "json", change: "create-only",
    closed: "refused", secret: false, recovery: "ignored", rule: "contentVariables",
  },
  /** Subject for the email channel. */
  // Twilio never shows it: recorded as declared.
  subject: {
    yaml: "subject", value: as<string>(), form: "Subject", answer: null, compare: "text", change: "update", closed: "refused", secret: false,
    recovery: "ignored", rule: { text: "subject" },
  },
  /** Creation time to record, an ISO 8601 UTC timestamp such as 2024-01-02T03:04:05Z, for backdating seed threads. */
  dateCreated: {
    yaml: "dateCreated", value: as<string>(), form: "DateCreated", encode: "date", answer: "date_created", always: true, compare: "instant", change: "update",
    closed: "refused", secret: false, recovery: "when-sent", rule: "timestamp",
  },
  /** Last-edit time to record, an ISO 8601 UTC timestamp not before dateCreated. */
  dateUpdated: {
    yaml: "dateUpdated", value: as<string>(), form: "DateUpdated", encode: "date", answer: "date_updated", always: true, compare: "instant", change: "update",
    closed: "refused", secret: false, recovery: "when-sent", rule: "timestamp",
  },
  url: { ...observed("url"), always: true },
} as const satisfies Table;

/**
 * A participant of a conversation, kept by key inside its Conversation resource: a chat participant
 * by `identity`, an SMS or WhatsApp one by `messagingBinding.address` and `proxyAddress`, a Group MMS
 * one by its number alone or by a `projectedAddress`. Twilio holds one participant per identity
 * and per binding in a conversation, so a lost create's answer is found by them (natural-key).
 */
export const PARTICIPANT_PROPERTIES = {
  sid: observed("sid"),
  /** Chat identity (a Conversations User's identity). Only at creation: a change re-creates the participant. */
  // Twilio's update takes an identity only for a Group MMS participant that has none: create-only here.
  identity: {
    narrowUpdate: "only a Group MMS participant with no identity takes one (50444)",
    yaml: "identity", value: as<string>(), form: "Identity", answer: "identity", compare: "text", change: "create-only", closed: "refused", secret: false,
    recovery: "natural-key", rule: { text: "identity" },
  },
  /** An SMS or WhatsApp participant. Only at creation: any change re-creates the participant. */
  // The address is create-only in Twilio; the proxy and projected addresses can only be added where
  // none is held or removed (50440-50443), never changed: any change re-creates the participant.
  messagingBinding: {
    narrowUpdate: "the address is create-only; a proxy or projected address is only added where none is held, or removed (50440-50443)",
    yaml: "messagingBinding", value: as<MessagingBinding>(),
    form: { address: "MessagingBinding.Address", proxyAddress: "MessagingBinding.ProxyAddress", projectedAddress: "MessagingBinding.ProjectedAddress" },
    answer: { address: "messaging_binding.address", proxyAddress: "messaging_binding.proxy_address", projectedAddress: "messaging_binding.projected_address" },
    compare: "text", change: "create-only", closed: "refused", secret: false, recovery: "natural-key", rule: "messagingBinding",
  },
  /** Free-form metadata as a YAML mapping. Updated in place. */
  attributes: {
    yaml: "attributes", value: as<JsonObject>(), form: "Attributes", encode: "json", answer: "attributes", read: "json", compare: "json", change: "update",
    closed: "refused", secret: false, recovery: "ignored", rule: { attributes: "participant" },
  },
  /**
   * A conversation-level role, by its `RL…` SID; in the stack file (`role`), also one declared under
   * roles, by its key. When absent, Twilio gives the service's default conversation role. Updated in place.
   */
  roleSid: {
    yaml: "role", value: as<string>(), form: "RoleSid", answer: "role_sid", compare: "text", change: "update", closed: "refused", secret: false,
    recovery: "ignored", rule: "participantRole",
  },
  /** Creation time to record, an ISO 8601 UTC timestamp (backdating). */
  dateCreated: {
    yaml: "dateCreated", value: as<string>(), form: "DateCreated", encode: "date", answer: "date_created", compare: "instant", change: "update",
    closed: "refused", secret: false, recovery: "ignored", rule: "timestamp",
  },
  /** Last-update time to record, an ISO 8601 UTC timestamp. */
  dateUpdated: {
    yaml: "dateUpdated", value: as<string>(), form: "DateUpdated", encode: "date", answer: "date_updated", compare: "instant", change: "update",
    closed: "refused", secret: false, recovery: "ignored", rule: "timestamp",
  },
  /** Index of the last message the participant read. Set by an update after the create (Twilio's create does not take it). */
  lastReadMessageIndex: {
    yaml: "lastReadMessageIndex", value: as<number>(), form: "LastReadMessageIndex", onCreate: "after", answer: "last_read_message_index", read: "number",
    compare: "number", change: "update", closed: "refused", secret: false, recovery: "ignored", rule: "messageIndex",
  },
  /** When the participant last read, an ISO 8601 UTC timestamp. Set by an update after the create. */
  lastReadTimestamp: {
    yaml: "lastReadTimestamp", value: as<string>(), form: "LastReadTimestamp", onCreate: "after", answer: "last_read_timestamp", compare: "instant",
    change: "update", closed: "refused", secret: false, recovery: "ignored", rule: "timestamp",
  },
  url: observed("url"),
} as const satisfies Table;

/**
 * A conversation-scoped webhook, kept by key inside its Conversation resource. Twilio's update takes
 * the Configuration fields but not the target or the replay index: those re-create it. Nothing
 * names a webhook but its SID: a lost create is found by everything it sent, and its date.
 */
export const WEBHOOK_PROPERTIES = {
  sid: observed("sid"),
  /** `webhook` (url, method, filters), `trigger` (url, method, triggers) or `studio` (flowSid). Only at creation: a change re-creates the webhook. */
  target: {
    required: true, yaml: "target", value: as<WebhookTarget>(), form: "Target", answer: "target", compare: "text", change: "create-only", closed: "allowed", secret: false,
    recovery: { unsent: null }, rule: { oneOf: WEBHOOK_TARGETS },
  },
  /** The absolute URL Twilio calls (webhook and trigger). Updated in place. */
  url: {
    yaml: "url", value: as<string>(), form: "Configuration.Url", answer: "configuration.url", compare: "text", change: "update", closed: "allowed", secret: false,
    recovery: { unsent: null }, rule: "url",
  },
  /** `GET` or `POST` (webhook and trigger). Updated in place. */
  // The stack file says GET or POST, as Twilio's pages do; the spec's enum is lowercase.
  method: {
    yaml: "method", value: as<WebhookMethod>(), form: "Configuration.Method", encode: "lowercase", answer: "configuration.method", read: "uppercase",
    compare: "text", change: "update", closed: "allowed", secret: false, recovery: "when-sent", rule: { oneOf: WEBHOOK_METHODS },
  },
  /** The post-action events that call the webhook (target webhook). Updated in place. */
  filters: {
    yaml: "filters", value: as<string[]>(), form: "Configuration.Filters", encode: "list", answer: "configuration.filters", read: "list", compare: "json",
    change: "update", closed: "allowed", secret: false, recovery: { unsent: null }, rule: "webhookFilters",
  },
  /** Keywords in a message that call the webhook (target trigger). Updated in place. */
  triggers: {
    yaml: "triggers", value: as<string[]>(), form: "Configuration.Triggers", encode: "list", answer: "configuration.triggers", read: "list", compare: "json",
    change: "update", closed: "allowed", secret: false, recovery: { unsent: null }, rule: "webhookTriggers",
  },
  /** `FW…` SID of the Studio Flow (target studio). Updated in place. */
  flowSid: {
    yaml: "flowSid", value: as<string>(), form: "Configuration.FlowSid", answer: "configuration.flow_sid", compare: "text", change: "update", closed: "allowed",
    secret: false, recovery: { unsent: null }, rule: { sid: "studioFlow" },
  },
  /** The message index from which messages are replayed to the webhook. Only at creation. */
  replayAfter: {
    yaml: "replayAfter", value: as<number>(), form: "Configuration.ReplayAfter", answer: "configuration.replay_after", read: "number", compare: "number",
    change: "create-only", closed: "allowed", secret: false, recovery: { unsent: null }, rule: "messageIndex",
  },
} as const satisfies Table;

/** A conversation's timers: ISO 8601 durations after which it becomes inactive, and closed. */
export interface ConversationTimers {
  inactive?: string | null;
  closed?: string | null;
}

/** The value of a conversation's `bindings`: the email address and name its outbound emails are sent from. */
export interface ConversationBindings {
  email?: { address?: string | null; name?: string | null };
}

/** A participant's messaging binding: its own address and the Twilio number it talks to, or a Group MMS projected address. */
export interface MessagingBinding {
  address?: string | null;
  proxyAddress?: string | null;
  projectedAddress?: string | null;
}

export type ConversationTable = typeof CONVERSATION_PROPERTIES;
export type MessageTable = typeof MESSAGE_PROPERTIES;
export type ParticipantTable = typeof PARTICIPANT_PROPERTIES;
export type WebhookTable = typeof WEBHOOK_PROPERTIES;

/** Properties the stack declares. */
export type Declarable<T> = KeysWhere<T, { yaml: string }>;
/** Properties sent in Twilio's form. */
export type Sent<T> = KeysWhere<T, { form: string | Readonly<Record<string, string>> }>;
/** Properties Twilio shows in its answer. */
export type Answered<T> = KeysWhere<T, { answer: string | Readonly<Record<string, string>> }>;
export type ChangedBy<T, C extends Change> = KeysWhere<T, { change: C }>;

/** Properties the stack declares, or the path holds (every row but those only Twilio sets). */
export type DeclaredProperty<T> = KeysWhere<T, { change: Change }>;

/** A declared row's value after `check`: null when not declared, unless the row has a default. */
export type InputValue<Row> = Row extends { default: unknown } ? ValueOf<Row> : ValueOf<Row> | null;

/** Every declared property, as inputs hold them after `check`. */
export type DeclaredValues<T> = { -readonly [K in keyof T as K extends DeclaredProperty<T> ? K : never]: InputValue<T[K]> };
/** What a form is built from: each property sent, null when not sent. */
export type SentValues<T> = { -readonly [K in keyof T as K extends Sent<T> ? K : never]: ValueOf<T[K]> | null };

function keysWhere<T extends RowTable, K extends keyof T & string>(table: T, keep: (row: T[K]) => boolean): K[] {
  return (Object.keys(table) as K[]).filter((key) => keep(table[key]));
}

export const isDeclared = (row: PropertyRow): row is DeclaredRow => row.change !== "observed";

export function declarable<T extends RowTable>(table: T): Declarable<T>[] {
  return keysWhere(table, (row) => isField(row) && row.yaml !== null);
}

/** Every declared property (those the path holds too), in table order. */
export function declaredProperties<T extends RowTable>(table: T): DeclaredProperty<T>[] {
  return keysWhere(table, isField);
}

/** The rows' defaults: an input at its default is left out of stored inputs, as an undeclared one is. */
export function defaults<T extends Table>(table: T): Partial<DeclaredValues<T>> {
  return Object.fromEntries(
    Object.entries(table).flatMap(([property, row]) => (isDeclared(row) && row.default !== undefined ? [[property, row.default]] : [])),
  ) as Partial<DeclaredValues<T>>;
}

export function sent<T extends RowTable>(table: T): Sent<T>[] {
  return keysWhere(table, (row) => isField(row) && row.form !== null);
}

export function answered<T extends RowTable>(table: T): Answered<T>[] {
  return keysWhere(table, (row) => row.answer !== null);
}

export function changedBy<T extends RowTable, C extends Change>(table: T, change: C): ChangedBy<T, C>[] {
  return keysWhere(table, (row) => row.change === change);
}

/** Declared properties a closed conversation refuses to change. */
export function refusedWhenClosed<T extends Table>(table: T): Declarable<T>[] {
  return keysWhere(table, (row) => isDeclared(row) && row.closed === "refused");
}
