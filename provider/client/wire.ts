// Twilio's wire format (PascalCase form keys, snake_case JSON): forms and answers are built here from
// the property tables (domain/properties.ts, the one place naming each field's keys), with the
// paths and the shapes of answers.
import { JsonText, canonicalJson, parseJsonText, type JsonValue } from "../domain/json";
import { isSid, type SidKind } from "../domain/rules";
import { declaredDiffers } from "../diff/compare";
import {
  CONVERSATION_PROPERTIES,
  MESSAGE_PROPERTIES,
  PARTICIPANT_PROPERTIES,
  WEBHOOK_PROPERTIES,
  answered,
  isDeclared,
  partsOf,
  sent,
  setValueAt,
  valueAt,
  type Answered,
  type Comparison,
  type DeclaredRow,
  type PropertyRow,
  type ConversationTable,
  type MessageTable,
  type ParticipantTable,
  type SentValues,
  type ValueOf,
  type WebhookTable,
} from "../domain/properties";
import type { FieldRow, ObservedRow, Read, RowTable } from "../domain/row";
import type { AnswerShape, TwilioJson } from "./http";

/**
 * What Twilio's answer holds for a row, as `answerOf` reads it: text, a number, a JSON value, a
 * list of text, a boolean or the value as declared by its `read`; a composite (an answer key per
 * part) as declared.
 */
type HeldValue<Row> = Row extends { answer: string }
  ? Row extends { read: "number" }
    ? number
    : Row extends { read: "json" }
      ? JsonValue
      : Row extends { read: "list" }
        ? string[]
        : Row extends { read: "boolean" }
          ? boolean
          : Row extends { read: "value" }
            ? ValueOf<Row>
            : string
  : ValueOf<Row>;

/** Each property Twilio shows, null when its answer lacks it; the SID is always there. */
export type Answer<T> = { -readonly [K in keyof T as K extends Answered<T> ? K : never]: K extends "sid" ? string : HeldValue<T[K]> | null };

// The shapes follow the tables: a property added to a table is sent and read with the type its row says.
export interface ConversationFields extends SentValues<ConversationTable> {}
export interface ObservedConversation extends Answer<ConversationTable> {}
export interface MessageFields extends SentValues<MessageTable> {}
export interface ObservedMessage extends Answer<MessageTable> {}
export interface ParticipantFields extends SentValues<ParticipantTable> {}
export interface ObservedParticipant extends Answer<ParticipantTable> {}
export interface WebhookFields extends SentValues<WebhookTable> {}
export interface ObservedWebhook extends Answer<WebhookTable> {}

/** A form: one value per key, or a list sent as the key repeated. */
export type Form = Record<string, string | string[]>;

/** Form fields for the given conversation fields; null means "not sent". */
export function conversationForm(fields: Partial<ConversationFields>): Record<string, string> {
  return formOf(CONVERSATION_PROPERTIES, fields) as Record<string, string>;
}

export function messageForm(fields: Partial<MessageFields>): Record<string, string> {
  return formOf(MESSAGE_PROPERTIES, fields) as Record<string, string>;
}

/** The create form of a participant: the rows Twilio's create takes (`onCreate: after` rows are sent by an update after it). */
export function participantCreateForm(fields: ParticipantFields): Form {
  return formOf<DeclaredRow>(PARTICIPANT_PROPERTIES, fields, (row) => row.onCreate !== "after");
}

export function participantForm(fields: Partial<ParticipantFields>): Form {
  return formOf(PARTICIPANT_PROPERTIES, fields);
}

export function webhookForm(fields: Partial<WebhookFields>): Form {
  return formOf(WEBHOOK_PROPERTIES, fields);
}

export function observedParticipant(json: TwilioJson): ObservedParticipant {
  return { ...answerOf(PARTICIPANT_PROPERTIES, json), sid: String(json.sid) } as ObservedParticipant;
}

export function observedWebhook(json: TwilioJson): ObservedWebhook {
  return { ...answerOf(WEBHOOK_PROPERTIES, json), sid: String(json.sid) } as ObservedWebhook;
}

export function observedConversation(json: TwilioJson): ObservedConversation {
  return { ...answerOf(CONVERSATION_PROPERTIES, json), sid: String(json.sid) } as ObservedConversation;
}

export function observedMessage(json: TwilioJson): ObservedMessage {
  return { ...answerOf(MESSAGE_PROPERTIES, json), sid: String(json.sid) } as ObservedMessage;
}

/**
 * The form of every property sent, as its row says (one key per value, or per part of an object),
 * of any kind's table: null and undefined are not sent; a list repeats its key once per item (empty:
 * one empty value, how Twilio is told to clear it); JSON text held as it was answered is sent as it is.
 */
export function formOf<R extends FieldRow>(table: Readonly<Record<string, R | ObservedRow>>, fields: object, keep: (row: R) => boolean = () => true): Form {
  const form: Form = {};
  const values = fields as Record<string, unknown>;
  for (const property of sent(table)) {
    const row = table[property] as R;
    if (!keep(row)) continue;
    for (const [part, key] of partsOf(row.form!)) {
      const value = valueAt(values[property], part);
      if (value !== undefined && value !== null) form[key] = encoded(row, value);
    }
  }
  return form;
}

function encoded(row: FieldRow, value: unknown): string | string[] {
  if (value instanceof JsonText) return value.text;
  if (row.encode === "json") return canonicalJson(value);
  if (Array.isArray(value)) return value.map(String);
  if (row.encode === "date") return twilioDate(String(value));
  if (row.encode === "lowercase") return String(value).toLowerCase();
  return String(value);
}

/**
 * Each property Twilio shows in its answer, of any kind's table, read as its row says (null when
 * absent). A composite Twilio shows none of the parts of is null, or with `noneAsParts` an object of
 * its parts, each null (what the environment's outputs hold).
 */
export function answerOf(table: RowTable, json: TwilioJson, noneAsParts = false): Record<string, unknown> {
  const observed: Record<string, unknown> = {};
  for (const property of answered(table)) {
    const row = table[property];
    const keys = row.answer!;
    if (typeof keys === "string") {
      observed[property] = readAnswer(row.read, valueAt(json, keys));
      continue;
    }
    const parts = partsOf(keys).map(([part, key]) => [part, readAnswer(row.read, valueAt(json, key))] as const);
    observed[property] = !noneAsParts && parts.every(([, value]) => value === null) ? null : nested(parts);
  }
  return observed;
}

function readAnswer(read: Read = "text", value: unknown): unknown {
  if (value === undefined) return null;
  switch (read) {
    case "number":
      return typeof value === "number" ? value : null;
    case "list":
      return Array.isArray(value) ? value.map(String) : null;
    case "uppercase":
      return text(value)?.toUpperCase() ?? null;
    case "json":
      return typeof value === "string" ? parseJsonText(value) : value;
    case "boolean":
      return typeof value === "string" ? value.toLowerCase() === "true" : value;
    case "value":
      return value;
    default:
      return text(value);
  }
}

/** An object from dotted paths and their values. */
function nested(parts: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, value] of parts) setValueAt(root, path, value);
  return root;
}

/**
 * Whether what Twilio holds (`observed`) is what a create of `fields` makes, as each row's
 * `recovery` says: every matched field sent as sent, and every one not sent at Twilio's default
 * for it (`accountMessagingService`: the account's default messaging service, or null).
 */
export function holdsWhatWasSent(
  table: Readonly<Record<string, PropertyRow>>,
  observed: object,
  fields: object,
  accountMessagingService: string | null = null,
): boolean {
  const held = observed as Record<string, unknown>;
  const sentFields = fields as Record<string, unknown>;
  return Object.entries(table).every(([property, row]) => {
    if (!isDeclared(row) || row.recovery === "ignored") return true;
    const { compare } = row;
    const recovery = row.recovery === "natural-key" ? { unsent: null } : row.recovery;
    if (typeof recovery === "object" && recovery.except !== undefined && (sentFields[recovery.except] ?? null) !== null) return true;
    // A composite value is matched part by part.
    const parts = row.form === null || typeof row.form === "string" ? [""] : partsOf(row.form).map(([part]) => part);
    return parts.every((part) => {
      const wanted = valueAt(sentFields[property], part) ?? null;
      const holds = valueAt(held[property], part) ?? null;
      if (recovery === "when-sent") return wanted === null || holdsAsSent(compare, holds, wanted);
      if (recovery === "account-default") return wanted !== null ? holds === wanted : holds === null || holds === accountMessagingService;
      return holdsAsSent(compare, holds ?? recovery.unsent, wanted ?? recovery.unsent);
    });
  });
}

/** Whether what Twilio holds is the participant a create of `fields` makes, by its natural key alone (Twilio holds one per key). */
export function holdsNaturalKey(table: Readonly<Record<string, PropertyRow>>, observed: object, fields: object): boolean {
  const keyRows = Object.fromEntries(Object.entries(table).filter(([, row]) => isDeclared(row) && row.recovery === "natural-key"));
  return holdsWhatWasSent(keyRows, observed, fields);
}

/** Whether Twilio holds what was sent, as the row compares them (diff's comparer); nothing sent is matched by nothing held. */
function holdsAsSent(comparison: Comparison, held: unknown, wanted: unknown): boolean {
  return wanted === null || wanted === undefined ? held === null : !declaredDiffers(wanted, held, comparison);
}

/** Twilio's date-time form: UTC, whole seconds, `YYYY-MM-DDTHH:mm:ssZ`. */
export function twilioDate(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** An answer that is one conversation, or one message: it has that resource's SID. */
export const CONVERSATION_ANSWER: AnswerShape = answerWithSid("a conversation", "conversation");
export const MESSAGE_ANSWER: AnswerShape = answerWithSid("a message", "message");
export const PARTICIPANT_ANSWER: AnswerShape = answerWithSid("a participant", "participant");
export const WEBHOOK_ANSWER: AnswerShape = answerWithSid("a conversation-scoped webhook", "webhook");

/**
 * An answer that is one page of a Twilio list: an array of objects under the list's key, and a
 * `meta` object. Anything else (an HTML page, an empty body) is no page, and is never read as an
 * empty list.
 */
export const CONVERSATION_PAGE_ANSWER: AnswerShape = listPageAnswer("conversations");
export const MESSAGE_PAGE_ANSWER: AnswerShape = listPageAnswer("messages");
export const PARTICIPANT_PAGE_ANSWER: AnswerShape = listPageAnswer("participants");
export const WEBHOOK_PAGE_ANSWER: AnswerShape = listPageAnswer("webhooks");

export const SERVICE_ANSWER: AnswerShape = answerWithSid("a Conversation Service", "chatService");
export const CONFIGURATION_ANSWER: AnswerShape = {
  what: "the account's Conversations configuration",
  accepts: (json) => typeof json.account_sid === "string" && isSid("account", json.account_sid),
};

function listPageAnswer(key: string): AnswerShape {
  return {
    what: `a page of ${key}`,
    lacking: `a ${key} list and meta`,
    accepts: (json) => {
      const items = json[key];
      return Array.isArray(items) && items.every(isJsonObject) && isJsonObject(json.meta);
    },
  };
}

function isJsonObject(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function answerWithSid(what: string, kind: SidKind): AnswerShape {
  return { what, accepts: (json) => typeof json.sid === "string" && isSid(kind, json.sid) };
}

// Every value in a path is one encoded segment; the HTTP layer refuses the ones a URL parser
// would still rewrite ("", "." and "..").
export const CONFIGURATION_PATH = "/v1/Configuration";

export function servicePath(serviceSid: string): string {
  return `/v1/Services/${segment(serviceSid)}`;
}

export function conversationsPath(serviceSid: string | null): string {
  return serviceSid ? `/v1/Services/${segment(serviceSid)}/Conversations` : "/v1/Conversations";
}

export function conversationPath(serviceSid: string | null, sidOrUniqueName: string): string {
  return `${conversationsPath(serviceSid)}/${segment(sidOrUniqueName)}`;
}

export function messagesPath(serviceSid: string | null, conversationSid: string): string {
  return `${conversationPath(serviceSid, conversationSid)}/Messages`;
}

export function messagePath(serviceSid: string | null, conversationSid: string, sid: string): string {
  return `${messagesPath(serviceSid, conversationSid)}/${segment(sid)}`;
}

/** A conversation's participants (`Participants`) or its scoped webhooks (`Webhooks`). */
export function childrenPath(serviceSid: string | null, conversationSid: string, collection: "Participants" | "Webhooks"): string {
  return `${conversationPath(serviceSid, conversationSid)}/${collection}`;
}

export function childPath(serviceSid: string | null, conversationSid: string, collection: "Participants" | "Webhooks", sid: string): string {
  return `${childrenPath(serviceSid, conversationSid, collection)}/${segment(sid)}`;
}

const segment = encodeURIComponent;

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
