// One property table per resource: each row is the single place that says, for one field, its
// key in the stack file, the form key Twilio takes and the answer key it shows it under, how two
// values compare, when it may change (and whether once the conversation is closed), whether it is
// secret, which `check` rule it obeys and how a lost answer's recovery matches it. Pure data:
// client/ builds forms and reads answers from it, diff/ compares with it, resources/ derives the
// declared list, refresh and the closed-conversation guard from it. The rules that are more than
// a field's row (state and timers, closing after create, the thread's order) stay code beside
// the code that uses them.
import { ADOPT_MODES, CONVERSATION_STATES, WEBHOOK_METHODS, WEBHOOK_TARGETS, type AttributesOwner, type SidKind, type TextField } from "./rules";

/** How a declared value is compared with the one held: as text, as a JSON value, in seconds, to the second. */
export type Comparison = "text" | "json" | "duration" | "instant" | "number";

/**
 * When a property may change: `update` in place; `create-only`, where a change replaces the
 * conversation or re-creates the message; `recorded`, where only the provider's record changes
 * (no request).
 */
export type Change = "update" | "create-only" | "recorded";

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

/** The per-field rule `check` applies (check.ts turns each into code). */
export type FieldRule =
  | { sid: SidKind }
  | { text: TextField }
  | { oneOf: readonly string[] }
  | { attributes: AttributesOwner }
  | "string"
  | "uniqueName"
  | "timers"
  | "timestamp"
  | "contentVariables"
  | "bindings"
  | "messagingBinding"
  | "participantRole"
  | "messageIndex"
  | "url"
  | "webhookFilters"
  | "webhookTriggers";

/**
 * Where a value goes in Twilio's form: one key, or one per part of an object (its dotted path
 * below the property). `null`: never sent in a form (in the path, or not Twilio's).
 */
export type FormKeys = string | Readonly<Record<string, string>> | null;

export interface DeclaredRow {
  /** The key in the stack file's conversation (or message); null when it is not declared there. */
  yaml: string | null;
  form: FormKeys;
  /**
   * How the value is written in the form: as is, as canonical JSON text, as Twilio's whole-second
   * UTC date, lowercased (the spec's enum), or a list as one repeated key per item.
   */
  encode?: "json" | "date" | "lowercase" | "list";
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
  /** Where Twilio's JSON answer holds it (a dotted path, numbers index lists); null when Twilio never shows it. */
  answer: string | Readonly<Record<string, string>> | null;
  /** How the answer is read: JSON text parsed into a value, a number, a list of text, upper-cased text; by default text. */
  read?: "json" | "number" | "list" | "uppercase";
  compare: Comparison;
  change: Change;
  closed: WhenClosed;
  secret: boolean;
  recovery: Recovery;
  rule: FieldRule | null;
}

/** A value only Twilio sets: shown in its answer, never declared. */
export interface ObservedRow {
  change: "observed";
  answer: string;
  read?: "number";
  secret: boolean;
}

export type PropertyRow = DeclaredRow | ObservedRow;
type Table = Readonly<Record<string, PropertyRow>>;

const observed = (answer: string, read?: "number"): ObservedRow => ({ change: "observed", answer, ...(read ? { read } : {}), secret: false });

/** The Conversation resource's properties, in the order `check` reports them. */
export const CONVERSATION_PROPERTIES = {
  sid: observed("sid"),
  accountSid: observed("account_sid"),
  /** In the request path, not the form; the stack file names it once, as `service`. */
  chatServiceSid: {
    yaml: null, form: null, answer: "chat_service_sid", compare: "text", change: "create-only", closed: "allowed", secret: false, recovery: "ignored",
    rule: { sid: "chatService" },
  },
  uniqueName: {
    yaml: "uniqueName", form: "UniqueName", answer: "unique_name", compare: "text", change: "update", closed: "refused", secret: false,
    recovery: { unsent: null }, rule: "uniqueName",
  },
  friendlyName: {
    yaml: "friendlyName", form: "FriendlyName", answer: "friendly_name", compare: "text", change: "update", closed: "refused", secret: false,
    recovery: { unsent: null }, rule: { text: "friendlyName" },
  },
  /** Compared and sent by the rules of diff/conversation-state.ts; closed is final (check.ts). */
  state: {
    yaml: "state", form: "State", answer: "state", compare: "text", change: "update", closed: "own rule", secret: false,
    recovery: { unsent: "active" }, rule: { oneOf: CONVERSATION_STATES },
  },
  /** Twilio answers the dates the timers set (dateInactive, dateClosed), never the durations: recorded as declared. */
  timers: {
    yaml: "timers", form: { inactive: "Timers.Inactive", closed: "Timers.Closed" }, answer: null, compare: "duration", change: "update",
    closed: "refused", secret: false, recovery: "ignored", rule: "timers",
  },
  attributes: {
    yaml: "attributes", form: "Attributes", encode: "json", answer: "attributes", read: "json", compare: "json", change: "update",
    closed: "refused", secret: false, recovery: { unsent: {} }, rule: { attributes: "conversation" },
  },
  messagingServiceSid: {
    yaml: "messagingServiceSid", form: "MessagingServiceSid", answer: "messaging_service_sid", compare: "text", change: "update",
    closed: "refused", secret: false, recovery: "account-default", rule: { sid: "messagingService" },
  },
  /** The conversation's default email sender; Twilio answers the address as `projected_address`. */
  bindings: {
    yaml: "bindings",
    form: { "email.address": "Bindings.Email.Address", "email.name": "Bindings.Email.Name" },
    answer: { "email.address": "bindings.email.projected_address", "email.name": "bindings.email.name" },
    compare: "text", change: "update", closed: "refused", secret: false, recovery: { unsent: null }, rule: "bindings",
  },
  adopt: {
    yaml: "adopt", form: null, answer: null, compare: "text", change: "recorded", closed: "allowed", secret: false, recovery: "ignored",
    rule: { oneOf: ADOPT_MODES },
  },
  webhooksEnabled: {
    yaml: "webhooks", form: null, answer: null, compare: "text", change: "recorded", closed: "allowed", secret: false, recovery: "ignored",
    rule: null,
  },
  dateCreated: observed("date_created"),
  dateUpdated: observed("date_updated"),
  dateInactive: observed("timers.date_inactive"),
  dateClosed: observed("timers.date_closed"),
  url: observed("url"),
} as const satisfies Table;

/**
 * A message's properties: a seed message of a Conversation's thread, and the typed Message
 * resource (which adds its conversation, its place and its settings: message-model.ts).
 */
export const MESSAGE_PROPERTIES = {
  sid: observed("sid"),
  accountSid: observed("account_sid"),
  conversationSid: observed("conversation_sid"),
  index: observed("index", "number"),
  author: {
    yaml: "author", form: "Author", answer: "author", compare: "text", change: "update", closed: "refused", secret: false,
    recovery: { unsent: "system" }, rule: "string",
  },
  /** A content template replaces the body: not matched when a contentSid was sent. */
  body: {
    yaml: "body", form: "Body", answer: "body", compare: "text", change: "update", closed: "refused", secret: false,
    recovery: { unsent: null, except: "contentSid" }, rule: { text: "body" },
  },
  attributes: {
    yaml: "attributes", form: "Attributes", encode: "json", answer: "attributes", read: "json", compare: "json", change: "update",
    closed: "refused", secret: false, recovery: { unsent: {} }, rule: { attributes: "message" },
  },
  mediaSid: {
    yaml: "mediaSid", form: "MediaSid", answer: "media.0.sid", compare: "text", change: "create-only", closed: "refused", secret: false,
    recovery: { unsent: null }, rule: { sid: "media" },
  },
  contentSid: {
    yaml: "contentSid", form: "ContentSid", answer: "content_sid", compare: "text", change: "create-only", closed: "refused", secret: false,
    recovery: { unsent: null }, rule: { sid: "content" },
  },
  /** Twilio never shows them: recorded as declared. */
  contentVariables: {
    yaml: "contentVariables", form: "ContentVariables", encode: "json", answer: null, compare: "json", change: "create-only",
    closed: "refused", secret: false, recovery: "ignored", rule: "contentVariables",
  },
  /** Twilio never shows it: recorded as declared. */
  subject: {
    yaml: "subject", form: "Subject", answer: null, compare: "text", change: "update", closed: "refused", secret: false,
    recovery: "ignored", rule: { text: "subject" },
  },
  dateCreated: {
    yaml: "dateCreated", form: "DateCreated", encode: "date", answer: "date_created", compare: "instant", change: "update",
    closed: "refused", secret: false, recovery: "when-sent", rule: "timestamp",
  },
  dateUpdated: {
    yaml: "dateUpdated", form: "DateUpdated", encode: "date", answer: "date_updated", compare: "instant", change: "update",
    closed: "refused", secret: false, recovery: "when-sent", rule: "timestamp",
  },
  url: observed("url"),
} as const satisfies Table;

/**
 * A participant of a conversation, kept by key inside its Conversation resource: a chat participant
 * by `identity`, an SMS or WhatsApp one by `messagingBinding.address` and `proxyAddress`, a Group MMS
 * one by its number alone or by a `projectedAddress`. Twilio holds one participant per identity
 * and per binding in a conversation, so a lost create's answer is found by them (natural-key).
 */
export const PARTICIPANT_PROPERTIES = {
  sid: observed("sid"),
  /** Twilio's update takes an identity only for a Group MMS participant that has none: create-only here. */
  identity: {
    narrowUpdate: "only a Group MMS participant with no identity takes one (50444)",
    yaml: "identity", form: "Identity", answer: "identity", compare: "text", change: "create-only", closed: "refused", secret: false,
    recovery: "natural-key", rule: { text: "identity" },
  },
  /**
   * The address is create-only in Twilio; the proxy and projected addresses can only be added where
   * none is held or removed (50440-50443), never changed: any change re-creates the participant.
   */
  messagingBinding: {
    narrowUpdate: "the address is create-only; a proxy or projected address is only added where none is held, or removed (50440-50443)",
    yaml: "messagingBinding",
    form: { address: "MessagingBinding.Address", proxyAddress: "MessagingBinding.ProxyAddress", projectedAddress: "MessagingBinding.ProjectedAddress" },
    answer: { address: "messaging_binding.address", proxyAddress: "messaging_binding.proxy_address", projectedAddress: "messaging_binding.projected_address" },
    compare: "text", change: "create-only", closed: "refused", secret: false, recovery: "natural-key", rule: "messagingBinding",
  },
  attributes: {
    yaml: "attributes", form: "Attributes", encode: "json", answer: "attributes", read: "json", compare: "json", change: "update",
    closed: "refused", secret: false, recovery: "ignored", rule: { attributes: "participant" },
  },
  /** Not sent, Twilio gives the service's default conversation role. */
  roleSid: {
    yaml: "role", form: "RoleSid", answer: "role_sid", compare: "text", change: "update", closed: "refused", secret: false,
    recovery: "ignored", rule: "participantRole",
  },
  dateCreated: {
    yaml: "dateCreated", form: "DateCreated", encode: "date", answer: "date_created", compare: "instant", change: "update",
    closed: "refused", secret: false, recovery: "ignored", rule: "timestamp",
  },
  dateUpdated: {
    yaml: "dateUpdated", form: "DateUpdated", encode: "date", answer: "date_updated", compare: "instant", change: "update",
    closed: "refused", secret: false, recovery: "ignored", rule: "timestamp",
  },
  lastReadMessageIndex: {
    yaml: "lastReadMessageIndex", form: "LastReadMessageIndex", onCreate: "after", answer: "last_read_message_index", read: "number",
    compare: "number", change: "update", closed: "refused", secret: false, recovery: "ignored", rule: "messageIndex",
  },
  lastReadTimestamp: {
    yaml: "lastReadTimestamp", form: "LastReadTimestamp", onCreate: "after", answer: "last_read_timestamp", compare: "instant",
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
  target: {
    yaml: "target", form: "Target", answer: "target", compare: "text", change: "create-only", closed: "allowed", secret: false,
    recovery: { unsent: null }, rule: { oneOf: WEBHOOK_TARGETS },
  },
  url: {
    yaml: "url", form: "Configuration.Url", answer: "configuration.url", compare: "text", change: "update", closed: "allowed", secret: false,
    recovery: { unsent: null }, rule: "url",
  },
  /** The stack file says GET or POST, as Twilio's pages do; the spec's enum is lowercase. */
  method: {
    yaml: "method", form: "Configuration.Method", encode: "lowercase", answer: "configuration.method", read: "uppercase", compare: "text",
    change: "update", closed: "allowed", secret: false, recovery: "when-sent", rule: { oneOf: WEBHOOK_METHODS },
  },
  filters: {
    yaml: "filters", form: "Configuration.Filters", encode: "list", answer: "configuration.filters", read: "list", compare: "json",
    change: "update", closed: "allowed", secret: false, recovery: { unsent: null }, rule: "webhookFilters",
  },
  triggers: {
    yaml: "triggers", form: "Configuration.Triggers", encode: "list", answer: "configuration.triggers", read: "list", compare: "json",
    change: "update", closed: "allowed", secret: false, recovery: { unsent: null }, rule: "webhookTriggers",
  },
  flowSid: {
    yaml: "flowSid", form: "Configuration.FlowSid", answer: "configuration.flow_sid", compare: "text", change: "update", closed: "allowed",
    secret: false, recovery: { unsent: null }, rule: { sid: "studioFlow" },
  },
  replayAfter: {
    yaml: "replayAfter", form: "Configuration.ReplayAfter", answer: "configuration.replay_after", read: "number", compare: "number",
    change: "create-only", closed: "allowed", secret: false, recovery: { unsent: null }, rule: "messageIndex",
  },
} as const satisfies Table;

/** The value of a conversation's `bindings`: the email address and name its outbound emails are sent from. */
export interface ConversationBindings {
  email?: { address?: string | null; name?: string | null };
}

export type ConversationTable = typeof CONVERSATION_PROPERTIES;
export type MessageTable = typeof MESSAGE_PROPERTIES;
export type ParticipantTable = typeof PARTICIPANT_PROPERTIES;
export type WebhookTable = typeof WEBHOOK_PROPERTIES;

/** The keys of a table whose rows have the shape `Row`. */
export type KeysWhere<T, Row> = { [K in keyof T]: T[K] extends Row ? K : never }[keyof T] & string;

/** Properties the stack declares. */
export type Declarable<T> = KeysWhere<T, { yaml: string }>;
/** Properties sent in Twilio's form. */
export type Sent<T> = KeysWhere<T, { form: string | Readonly<Record<string, string>> }>;
/** Properties Twilio shows in its answer. */
export type Answered<T> = KeysWhere<T, { answer: string | Readonly<Record<string, string>> }>;
export type ChangedBy<T, C extends Change> = KeysWhere<T, { change: C }>;

/** `true` when the two key sets are the same: an interface and its table must list the same properties. */
export type SameKeys<A extends PropertyKey, B extends PropertyKey> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only for `true`: `Expect<SameKeys<…>>` fails the build when an interface and its table part ways. */
export type Expect<T extends true> = T;

function keysWhere<T extends Table, K extends keyof T & string>(table: T, keep: (row: PropertyRow) => boolean): K[] {
  return Object.keys(table).filter((key) => keep(table[key])) as K[];
}

export const isDeclared = (row: PropertyRow): row is DeclaredRow => row.change !== "observed";

export function declarable<T extends Table>(table: T): Declarable<T>[] {
  return keysWhere(table, (row) => isDeclared(row) && row.yaml !== null);
}

export function sent<T extends Table>(table: T): Sent<T>[] {
  return keysWhere(table, (row) => isDeclared(row) && row.form !== null);
}

export function answered<T extends Table>(table: T): Answered<T>[] {
  return keysWhere(table, (row) => row.answer !== null);
}

export function changedBy<T extends Table, C extends Change>(table: T, change: C): ChangedBy<T, C>[] {
  return keysWhere(table, (row) => row.change === change);
}

/** Declared properties a closed conversation refuses to change. */
export function refusedWhenClosed<T extends Table>(table: T): Declarable<T>[] {
  return keysWhere(table, (row) => isDeclared(row) && row.closed === "refused");
}

/** Properties whose values are secret: their outputs are marked secret (`additionalSecretOutputs`). */
export function secretProperties<T extends Table>(table: T): Array<keyof T & string> {
  return keysWhere(table, (row) => row.secret);
}

/** The dotted path of each part of a composite value, or `[""]` for a plain one. */
export function partsOf(keys: string | Readonly<Record<string, string>>): Array<[part: string, key: string]> {
  return typeof keys === "string" ? [["", keys]] : Object.entries(keys);
}

/** The value at a dotted path below `value` ("" is the value itself); undefined where there is none. */
export function valueAt(value: unknown, path: string): unknown {
  if (path === "") return value;
  let current = value;
  for (const segment of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
