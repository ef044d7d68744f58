// Input validation for `check`: every problem as a `{property, reason}` failure, before any API call.
import type * as pulumi from "@pulumi/pulumi";
import { canonicalJson } from "../domain/json";
import {
  ADOPT_MODES,
  CONVERSATION_STATES,
  durationSeconds,
  isSid,
  LIMITS,
  utf8Bytes,
  type SidKind,
} from "../domain/rules";
import { containsUnknown, isUnknown } from "../domain/unknown";

type Failure = pulumi.dynamic.CheckFailure;
type Rule = (value: unknown) => string | undefined;

/** Applies rules to known, present values; unknown values (preview) are checked at apply time. */
function checkProperties(inputs: Record<string, unknown>, rules: Record<string, Rule[]>): Failure[] {
  const failures: Failure[] = [];
  for (const [property, propertyRules] of Object.entries(rules)) {
    const value = inputs[property];
    if (value === undefined || value === null || containsUnknown(value)) continue;
    for (const rule of propertyRules) {
      const reason = rule(value);
      if (reason) failures.push({ property, reason });
    }
  }
  return failures;
}

const isString: Rule = (value) => (typeof value === "string" ? undefined : `expected a string, got ${describe(value)}`);
const sid = (kind: SidKind, example: string): Rule => (value) => {
  if (typeof value === "string" && isSid(kind, value)) return undefined;
  const prefix = example.slice(0, 2);
  // Said letter by letter: "an IS…", "an MG…", "a CH…".
  const article = "AEFHILMNORSX".includes(prefix[0]) ? "an" : "a";
  return `expected ${article} ${prefix}… SID (${prefix} followed by 32 hex digits), got ${JSON.stringify(value)}`;
};
const maxChars = (limit: number): Rule => (value) =>
  typeof value === "string" && [...value].length > limit
    ? `is ${[...value].length} characters long; Twilio allows at most ${limit}`
    : undefined;
const oneOf = (allowed: readonly string[]): Rule => (value) =>
  allowed.includes(value as string) ? undefined : `expected one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`;
const jsonObject = (maxBytes: number): Rule => (value) => {
  if (typeof value !== "object" || Array.isArray(value)) return `expected an object, got ${describe(value)}`;
  const bytes = utf8Bytes(canonicalJson(value));
  return bytes > maxBytes ? `is ${bytes} bytes as JSON; Twilio allows at most ${maxBytes}` : undefined;
};
const timestamp: Rule = (value) =>
  typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value))
    ? undefined
    : `expected an ISO 8601 timestamp such as 2024-01-31T09:30:00Z, got ${JSON.stringify(value)}`;
const usableAsPathSegment: Rule = (value) => {
  if (typeof value !== "string") return undefined;
  if (/[/?#]/.test(value)) return "must not contain '/', '?' or '#': Twilio addresses a conversation by its unique name in the URL";
  if (value === "." || value === "..") return `must not be "${value}": in a URL it names the list or its parent, not one conversation`;
  if (isSid("conversation", value)) return "must not look like a conversation SID (CH…): Twilio would read it as a SID";
  return value.trim() === "" ? "must not be empty" : undefined;
};

function timerRule(name: "inactive" | "closed", minimumSeconds: number): Rule {
  return (value) => {
    const seconds = durationSeconds(String(value));
    if (seconds === null) {
      return `timers.${name} must be an ISO 8601 duration in weeks, days, hours, minutes or seconds (e.g. PT10M, P1D), got ${JSON.stringify(value)}`;
    }
    return seconds < minimumSeconds
      ? `timers.${name} is ${seconds}s; Twilio's minimum is ${minimumSeconds / 60} minute${minimumSeconds === 60 ? "" : "s"}`
      : undefined;
  };
}

export function checkConversation(olds: Record<string, unknown>, news: Record<string, unknown>): Failure[] {
  const failures = checkProperties(news, {
    chatServiceSid: [sid("chatService", "IS")],
    uniqueName: [isString, maxChars(LIMITS.uniqueNameChars), usableAsPathSegment],
    friendlyName: [isString, maxChars(LIMITS.friendlyNameChars)],
    state: [oneOf(CONVERSATION_STATES)],
    attributes: [jsonObject(LIMITS.conversationAttributesBytes)],
    messagingServiceSid: [sid("messagingService", "MG")],
    adopt: [oneOf(ADOPT_MODES)],
  });
  const timers = news.timers as Record<string, unknown> | null | undefined;
  if (timers !== null && timers !== undefined && !isUnknown(timers) && (typeof timers !== "object" || Array.isArray(timers))) {
    failures.push({ property: "timers", reason: `expected an object with inactive and/or closed durations (e.g. {inactive: PT10M}), got ${describe(timers)}` });
  } else if (timers && !containsUnknown(timers)) {
    const timerFailures = checkProperties(timers, {
      inactive: [timerRule("inactive", LIMITS.inactiveTimerMinSeconds)],
      closed: [timerRule("closed", LIMITS.closedTimerMinSeconds)],
    });
    failures.push(...timerFailures.map((failure) => ({ property: "timers", reason: failure.reason })));
  }
  const adopt = news.adopt ?? "never";
  if (adopt !== "never" && !isUnknown(adopt) && (news.uniqueName === null || news.uniqueName === undefined)) {
    failures.push({ property: "adopt", reason: `adopt: ${String(adopt)} needs a uniqueName to find the conversation by; set uniqueName or remove adopt` });
  }
  if (olds.state === "closed" && !isUnknown(news.state)) {
    failures.push(...closedConversationFailures(olds, news));
  }
  return failures;
}

/** Closed is terminal in Twilio: nothing about a closed conversation can change but its deletion. */
function closedConversationFailures(olds: Record<string, unknown>, news: Record<string, unknown>): Failure[] {
  const hint = "a closed conversation can't be reopened or edited; to start over, give the resource a new name in the stack so a new conversation is created";
  // A state left out is no longer managed: the conversation stays closed, which is no change.
  if (news.state !== "closed" && news.state !== null && news.state !== undefined) {
    return [{ property: "state", reason: `was closed and can't become ${JSON.stringify(news.state)}: ${hint}` }];
  }
  const editable = ["uniqueName", "friendlyName", "attributes", "messagingServiceSid", "timers"];
  return editable
    .filter((property) => news[property] !== null && news[property] !== undefined)
    .filter((property) => canonicalJson(news[property]) !== canonicalJson(olds[property] ?? null))
    .map((property) => ({ property, reason: `can't change on a closed conversation: ${hint}` }));
}

/** @param olds the message's previous inputs; absent or empty for a message not created yet. */
export function checkMessage(news: Record<string, unknown>, olds?: Record<string, unknown>): Failure[] {
  const failures = checkProperties(news, {
    chatServiceSid: [sid("chatService", "IS")],
    conversationSid: [sid("conversation", "CH")],
    author: [isString],
    body: [isString, maxChars(LIMITS.messageBodyChars)],
    attributes: [jsonObject(LIMITS.messageAttributesBytes)],
    mediaSid: [sid("media", "ME")],
    contentSid: [sid("content", "HX")],
    contentVariables: [contentVariablesRule],
    subject: [isString, maxChars(LIMITS.messageSubjectChars)],
    dateCreated: [timestamp],
    dateUpdated: [timestamp],
  });
  const present = (property: string) => news[property] !== null && news[property] !== undefined;
  if (!present("conversationSid")) failures.push({ property: "conversationSid", reason: "is required" });
  if (!present("body") && !present("mediaSid") && !present("contentSid")) {
    failures.push({ property: "body", reason: "a message needs a body, a mediaSid or a contentSid" });
  }
  if (present("contentSid") && (present("body") || present("mediaSid"))) {
    failures.push({ property: "contentSid", reason: "Twilio ignores body and mediaSid when contentSid is set: declare one or the other" });
  }
  if (present("contentVariables") && !present("contentSid")) {
    failures.push({ property: "contentVariables", reason: "only apply to a content template: set contentSid too" });
  }
  const isNew = !olds || Object.keys(olds).length === 0;
  if (isNew && news.conversationState === "closed") {
    failures.push({
      property: "conversationState",
      reason:
        "the conversation is declared closed, and a closed conversation takes no new messages (Twilio error 50377): " +
        "seed the messages while it is active or inactive, then close it in a later change",
    });
  }
  if (!isNew && news.conversationState === "closed") {
    // Also in the change that closes it: the conversation is updated before its messages.
    failures.push(...editsInClosedConversation(olds, news));
  }
  return failures;
}

/** Twilio refuses to edit messages of a closed conversation (50377): say so before trying. */
function editsInClosedConversation(olds: Record<string, unknown>, news: Record<string, unknown>): Failure[] {
  return ["author", "body", "attributes", "subject", "dateCreated", "dateUpdated"]
    .filter((property) => news[property] !== null && news[property] !== undefined && !containsUnknown(news[property]))
    .filter((property) => canonicalJson(news[property]) !== canonicalJson(olds[property] ?? null))
    .map((property) => ({
      property,
      reason:
        "can't change: the conversation is (being) closed, and Twilio edits no message of a closed conversation (error 50377); " +
        "make the edit in a change before the one that closes it",
    }));
}

const contentVariablesRule: Rule = (value) => {
  if (typeof value !== "object" || Array.isArray(value)) return `expected an object of strings, got ${describe(value)}`;
  for (const [key, variable] of Object.entries(value as Record<string, unknown>)) {
    if (typeof variable !== "string") return `contentVariables.${key} must be a string, got ${describe(variable)}`;
    if ([...variable].length > LIMITS.contentVariableValueChars) {
      return `contentVariables.${key} is ${[...variable].length} characters long; Twilio allows at most ${LIMITS.contentVariableValueChars}`;
    }
  }
  return undefined;
};

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}
