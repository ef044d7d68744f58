// Pure decisions: turn a request's form fields into the changes to apply, or throw the Twilio error
// the real API answers. Nothing here touches the store or the network.
import { errors } from "./errors";
import type { ConversationRecord, ConversationState, MessageRecord, TimerRecord } from "./records";
import type { NewConversation, NewMessage } from "./store";
import {
  LATEST_INSTANT,
  LATEST_INSTANT_MS,
  SID_PATTERNS,
  isAnswerableInstant,
  isJson,
  parseDate,
  parseDurationSeconds,
  parseJsonObject,
  utf8Bytes,
} from "./values";

export const LIMITS = {
  friendlyNameChars: 256,
  uniqueNameChars: 256,
  subjectChars: 256,
  bodyChars: 1600,
  conversationAttributesBytes: 16 * 1024,
  messageAttributesBytes: 4 * 1024,
  contentVariableValueChars: 256,
  inactiveTimerMinSeconds: 60,
  closedTimerMinSeconds: 600,
  pageSizeMax: 100,
  pageSizeDefault: 50,
} as const;

export type Form = Record<string, string>;

const STATES: readonly ConversationState[] = ["initializing", "inactive", "active", "closed"];

export function has(form: Form, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(form, key);
}

export function optionalText(form: Form, key: string, maxChars: number): string | null | undefined {
  if (!has(form, key)) return undefined;
  const value = form[key];
  if (value.length > maxChars) throw errors.invalidParameter(`${key} must be at most ${maxChars} characters`);
  return value === "" ? null : value;
}

export function optionalSid(form: Form, key: string, pattern: RegExp): string | null | undefined {
  if (!has(form, key)) return undefined;
  const value = form[key];
  if (value === "") return null;
  if (!pattern.test(value)) throw errors.invalidParameter(`${key} must match ${pattern.source}`);
  return value;
}

export function optionalDate(form: Form, key: string): number | undefined {
  if (!has(form, key)) return undefined;
  const ms = parseDate(form[key]);
  // An offset can carry a four-digit-year date past the latest one (9999-12-31T23:59:59-01:00).
  if (ms === null || !isAnswerableInstant(ms)) throw errors.invalidParameter(`${key} must be an ISO 8601 date-time such as 2024-01-31T12:00:00Z`);
  return ms;
}

export function optionalAttributes(form: Form, limitBytes: number): string | undefined {
  if (!has(form, "Attributes")) return undefined;
  const value = form.Attributes;
  if (utf8Bytes(value) > limitBytes) throw errors.attributesTooLong(limitBytes);
  if (!isJson(value)) throw errors.attributesNotJson();
  return value;
}

function optionalState(form: Form, mode: "create" | "update"): ConversationState | undefined {
  if (!has(form, "State")) return undefined;
  const state = form.State as ConversationState;
  if (!STATES.includes(state)) throw errors.invalidParameter(`State must be one of ${STATES.join(", ")}`);
  if (state === "closed" && mode === "create") throw errors.createClosed();
  // Twilio sets `initializing` itself for some set-ups; no documented path lets a caller ask for it.
  if (state === "initializing") throw errors.invalidParameter("State can't be set to initializing");
  return state;
}

/**
 * The timer a value sets, counting from `now`; `null` clears it (an empty value, or `PT0S`, which
 * Twilio documents as switching a default timer off); undefined when the field is absent. A
 * duration that would end past the latest date the emulator answers is refused as badly formatted.
 */
function timerSetting(
  value: string | undefined,
  minSeconds: number,
  tooShort: () => Error,
  badFormat: (value: string, reason?: string) => Error,
  now: number,
): TimerRecord | null | undefined {
  if (value === undefined) return undefined;
  if (value === "") return null;
  const seconds = parseDurationSeconds(value);
  if (seconds === null) throw badFormat(value);
  if (seconds === 0) return null;
  if (seconds < minSeconds) throw tooShort();
  if (!isAnswerableInstant(now + seconds * 1000)) throw badFormat(value, `the timer would fire after ${LATEST_INSTANT}`);
  return armedTimer(seconds, now);
}

/**
 * A timer that fires `seconds` after `now`, or at the latest date the emulator answers if that is
 * sooner: only a restart (a new message) can reach past it, since a new timer that would is refused.
 */
export function armedTimer(seconds: number, now: number): TimerRecord {
  return { seconds, at: Math.min(now + seconds * 1000, LATEST_INSTANT_MS), pending: true };
}

function timerChanges(
  form: Form,
  mode: "create" | "update",
  current: ConversationRecord["timers"],
  now: number,
): ConversationRecord["timers"] | undefined {
  const inactive = form["Timers.Inactive"];
  const closed = form["Timers.Closed"];
  if (inactive === undefined && closed === undefined) return undefined;
  if (mode === "create" && !has(form, "State")) throw errors.timersWithoutState();
  const next = { ...current };
  const settings = {
    inactive: timerSetting(inactive, LIMITS.inactiveTimerMinSeconds, errors.inactiveTimerTooShort, errors.inactiveTimerFormat, now),
    closed: timerSetting(closed, LIMITS.closedTimerMinSeconds, errors.closedTimerTooShort, errors.closedTimerFormat, now),
  };
  for (const name of ["inactive", "closed"] as const) {
    const setting = settings[name];
    if (setting === null) delete next[name];
    else if (setting !== undefined) next[name] = setting;
  }
  return next;
}

function bindingsChanges(form: Form, current: ConversationRecord["bindingsEmail"]): ConversationRecord["bindingsEmail"] | undefined {
  const address = form["Bindings.Email.Address"];
  const name = form["Bindings.Email.Name"];
  if (address === undefined && name === undefined) return undefined;
  return {
    address: address === undefined ? current?.address ?? null : address || null,
    name: name === undefined ? current?.name ?? null : name || null,
  };
}

/** Refuses any change to a conversation that is closed (terminal) or still initializing. */
export function assertWritable(conversation: ConversationRecord): void {
  if (conversation.state === "closed") throw errors.closedConversation();
  if (conversation.state === "initializing") throw errors.initializing();
}

export function newConversationFields(form: Form, serviceSid: string, now: number): NewConversation {
  const dateCreated = optionalDate(form, "DateCreated") ?? now;
  return {
    serviceSid,
    friendlyName: optionalText(form, "FriendlyName", LIMITS.friendlyNameChars) ?? null,
    uniqueName: optionalText(form, "UniqueName", LIMITS.uniqueNameChars) ?? null,
    messagingServiceSid: optionalSid(form, "MessagingServiceSid", SID_PATTERNS.messagingService) ?? null,
    attributes: optionalAttributes(form, LIMITS.conversationAttributesBytes) ?? null,
    state: optionalState(form, "create") ?? "active",
    timers: timerChanges(form, "create", {}, now) ?? {},
    bindingsEmail: bindingsChanges(form, null) ?? null,
    dateCreated,
    dateUpdated: optionalDate(form, "DateUpdated") ?? dateCreated,
  };
}

export function conversationUpdate(form: Form, current: ConversationRecord, now: number): Partial<NewConversation> {
  assertWritable(current);
  const changes: Partial<NewConversation> = {
    friendlyName: optionalText(form, "FriendlyName", LIMITS.friendlyNameChars),
    uniqueName: optionalText(form, "UniqueName", LIMITS.uniqueNameChars),
    messagingServiceSid: optionalSid(form, "MessagingServiceSid", SID_PATTERNS.messagingService),
    attributes: optionalAttributes(form, LIMITS.conversationAttributesBytes),
    state: optionalState(form, "update"),
    timers: timerChanges(form, "update", current.timers, now),
    bindingsEmail: bindingsChanges(form, current.bindingsEmail),
    dateCreated: optionalDate(form, "DateCreated"),
    dateUpdated: optionalDate(form, "DateUpdated") ?? now,
  };
  return withoutUndefined(changes);
}

function contentVariables(form: Form): string | undefined {
  if (!has(form, "ContentVariables")) return undefined;
  const parsed = parseJsonObject(form.ContentVariables);
  if (parsed === null) throw errors.contentVariablesNotObject();
  for (const [key, value] of Object.entries(parsed)) {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    if (text.length > LIMITS.contentVariableValueChars) throw errors.contentVariableTooLong(key);
  }
  return form.ContentVariables;
}

function optionalBody(form: Form): string | null | undefined {
  if (!has(form, "Body")) return undefined;
  if (form.Body.length > LIMITS.bodyChars) throw errors.bodyTooLong(LIMITS.bodyChars);
  return form.Body;
}

export function newMessageFields(form: Form, now: number): NewMessage {
  const contentSid = optionalSid(form, "ContentSid", SID_PATTERNS.content) ?? null;
  const body = optionalBody(form) ?? null;
  const mediaSid = optionalSid(form, "MediaSid", SID_PATTERNS.media) ?? null;
  const dateCreated = optionalDate(form, "DateCreated") ?? now;
  return {
    author: has(form, "Author") && form.Author !== "" ? form.Author : "system",
    // A content template replaces the body and media: Twilio ignores both when ContentSid is set.
    body: contentSid === null ? body : null,
    mediaSid: contentSid === null ? mediaSid : null,
    contentSid,
    contentVariables: contentVariables(form) ?? null,
    attributes: optionalAttributes(form, LIMITS.messageAttributesBytes) ?? null,
    subject: optionalText(form, "Subject", LIMITS.subjectChars) ?? null,
    dateCreated,
    dateUpdated: optionalDate(form, "DateUpdated") ?? dateCreated,
  };
}

export function messageUpdate(form: Form, now: number): Partial<MessageRecord> {
  return withoutUndefined({
    author: has(form, "Author") ? form.Author || "system" : undefined,
    body: optionalBody(form),
    attributes: optionalAttributes(form, LIMITS.messageAttributesBytes),
    subject: optionalText(form, "Subject", LIMITS.subjectChars),
    dateCreated: optionalDate(form, "DateCreated"),
    dateUpdated: optionalDate(form, "DateUpdated") ?? now,
  });
}

export function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

/** Page sizes a list allows: most lists 1–100 (default 50); the spec gives some lists smaller ones. */
export interface PageSizes {
  max: number;
  default: number;
}

export function pageSize(
  query: Record<string, string>,
  sizes: PageSizes = { max: LIMITS.pageSizeMax, default: LIMITS.pageSizeDefault },
): number {
  if (query.PageSize === undefined) return sizes.default;
  const size = Number(query.PageSize);
  if (!Number.isInteger(size) || size < 1 || size > sizes.max) {
    throw errors.invalidParameter(`PageSize must be an integer from 1 to ${sizes.max}`);
  }
  return size;
}

export function pageNumber(query: Record<string, string>): number {
  if (query.Page === undefined) return 0;
  const page = Number(query.Page);
  if (!Number.isInteger(page) || page < 0) throw errors.invalidParameter("Page must be a non-negative integer");
  return page;
}
