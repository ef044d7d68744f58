// Twilio's wire format (PascalCase form keys, snake_case JSON) lives here and nowhere else.
import { canonicalJson, parseJsonText, sameJsonText } from "../domain/json";
import type { JsonValue } from "../resources/args";
import { isSid, type SidKind } from "../domain/rules";
import type { AnswerShape, TwilioJson } from "./http";

export interface ConversationFields {
  uniqueName: string | null;
  friendlyName: string | null;
  state: string | null;
  timers: { inactive: string | null; closed: string | null } | null;
  attributes: JsonValue | null;
  messagingServiceSid: string | null;
}

export interface ObservedConversation {
  sid: string;
  accountSid: string | null;
  chatServiceSid: string | null;
  messagingServiceSid: string | null;
  uniqueName: string | null;
  friendlyName: string | null;
  state: string | null;
  attributes: JsonValue | null;
  dateCreated: string | null;
  dateUpdated: string | null;
  dateInactive: string | null;
  dateClosed: string | null;
  url: string | null;
}

export interface MessageFields {
  author: string | null;
  body: string | null;
  attributes: JsonValue | null;
  mediaSid: string | null;
  contentSid: string | null;
  contentVariables: Record<string, string> | null;
  subject: string | null;
  dateCreated: string | null;
  dateUpdated: string | null;
}

export interface ObservedMessage {
  sid: string;
  accountSid: string | null;
  conversationSid: string | null;
  index: number | null;
  author: string | null;
  body: string | null;
  attributes: JsonValue | null;
  mediaSid: string | null;
  contentSid: string | null;
  dateCreated: string | null;
  dateUpdated: string | null;
  url: string | null;
}

/** Form fields for the given conversation fields; null means "not sent". */
export function conversationForm(fields: Partial<ConversationFields>): Record<string, string> {
  const form: Record<string, string> = {};
  setIf(form, "UniqueName", fields.uniqueName);
  setIf(form, "FriendlyName", fields.friendlyName);
  setIf(form, "State", fields.state);
  setIf(form, "Timers.Inactive", fields.timers?.inactive);
  setIf(form, "Timers.Closed", fields.timers?.closed);
  setIf(form, "MessagingServiceSid", fields.messagingServiceSid);
  if (fields.attributes !== undefined && fields.attributes !== null) form.Attributes = canonicalJson(fields.attributes);
  return form;
}

export function messageForm(fields: Partial<MessageFields>): Record<string, string> {
  const form: Record<string, string> = {};
  setIf(form, "Author", fields.author);
  setIf(form, "Body", fields.body);
  setIf(form, "MediaSid", fields.mediaSid);
  setIf(form, "ContentSid", fields.contentSid);
  setIf(form, "Subject", fields.subject);
  setIf(form, "DateCreated", fields.dateCreated ? twilioDate(fields.dateCreated) : null);
  setIf(form, "DateUpdated", fields.dateUpdated ? twilioDate(fields.dateUpdated) : null);
  if (fields.attributes !== undefined && fields.attributes !== null) form.Attributes = canonicalJson(fields.attributes);
  if (fields.contentVariables) form.ContentVariables = JSON.stringify(fields.contentVariables);
  return form;
}

export function observedConversation(json: TwilioJson): ObservedConversation {
  const timers = (json.timers ?? {}) as Record<string, unknown>;
  return {
    sid: String(json.sid),
    accountSid: text(json.account_sid),
    chatServiceSid: text(json.chat_service_sid),
    messagingServiceSid: text(json.messaging_service_sid),
    uniqueName: text(json.unique_name),
    friendlyName: text(json.friendly_name),
    state: text(json.state),
    attributes: parseJsonText(text(json.attributes)),
    dateCreated: text(json.date_created),
    dateUpdated: text(json.date_updated),
    dateInactive: text(timers.date_inactive),
    dateClosed: text(timers.date_closed),
    url: text(json.url),
  };
}

export function observedMessage(json: TwilioJson): ObservedMessage {
  const media = Array.isArray(json.media) ? (json.media as Array<Record<string, unknown>>) : [];
  return {
    sid: String(json.sid),
    accountSid: text(json.account_sid),
    conversationSid: text(json.conversation_sid),
    index: typeof json.index === "number" ? json.index : null,
    author: text(json.author),
    body: text(json.body),
    attributes: parseJsonText(text(json.attributes)),
    mediaSid: media.length > 0 ? text(media[0].sid) : null,
    contentSid: text(json.content_sid),
    dateCreated: text(json.date_created),
    dateUpdated: text(json.date_updated),
    url: text(json.url),
  };
}

/** Whether Twilio's `attributes` text holds the declared attributes (unset on both sides is `{}`). */
export function sameAttributes(json: TwilioJson, declared: JsonValue | null): boolean {
  const held = typeof json.attributes === "string" ? json.attributes : "{}";
  return sameJsonText(held, declared === null ? "{}" : canonicalJson(declared));
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

/**
 * An answer that is one page of a Twilio list: an array of objects under the list's key, and a
 * `meta` object. Anything else (an HTML page, an empty body) is no page, and is never read as an
 * empty list.
 */
export const CONVERSATION_PAGE_ANSWER: AnswerShape = listPageAnswer("conversations");
export const MESSAGE_PAGE_ANSWER: AnswerShape = listPageAnswer("messages");

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

const segment = encodeURIComponent;

function setIf(form: Record<string, string>, key: string, value: string | null | undefined): void {
  if (value !== undefined && value !== null) form[key] = value;
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
