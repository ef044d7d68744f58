// Input validation for `check`: every problem as a `{property, reason}` failure, before any API call.
import type * as pulumi from "@pulumi/pulumi";
import { canonicalJson } from "../domain/json";
import {
  attributesViolation,
  choiceViolation,
  conversationViolations,
  messageViolations,
  reservedKeyIn,
  reservedKeyViolation,
  nonFiniteNumberIn,
  inexactNumberViolation,
  NON_FINITE_BECOMES,
  sidViolation,
  textViolation,
  timerViolation,
  timestampViolation,
  uniqueNameViolation,
  messageIndexViolation,
  participantNaturalKey,
  participantRoleViolation,
  participantViolations,
  urlViolation,
  webhookFilterViolation,
  webhookTriggersViolation,
  webhookViolations,
  LIMITS,
  SHAPE_RULES,
  describeValue as describe,
  isShapeRule,
  type AttributesOwner,
  type FieldViolation,
  type ShapeRule,
  type SidKind,
  type TextField,
  type Timer,
  type Violation,
} from "../domain/rules";
import { containsUnknown, isUnknown } from "../domain/unknown";
import { closedByDeclaredTimers } from "../diff/conversation-state";
import { threadSteps } from "../diff/thread";
import {
  CONVERSATION_PROPERTIES,
  MESSAGE_PROPERTIES,
  PARTICIPANT_PROPERTIES,
  WEBHOOK_PROPERTIES,
  changedBy,
  isDeclared,
  refusedWhenClosed,
  type DeclaredRow,
  type FieldRule,
  type PropertyRow,
} from "../domain/properties";
import { propertyDiffers } from "../diff/compare";
import type { ConversationOutputs } from "./conversation-model";
import { childSteps } from "../diff/children";
import { CHILD_KINDS, PARTICIPANTS, SCOPED_WEBHOOKS, type ChildKind, type DeclaredChildren, type RecordedChildren } from "./children-model";
import { threadOrderProblem, type DeclaredMessage, type DeclaredThread, type RecordedThread } from "./thread-model";

type Failure = pulumi.dynamic.CheckFailure;
type Rule = (value: unknown) => string | undefined;

/** A rule's violation as `check` reports it: Pulumi shows the property beside the reason. */
function reasonOf(violation: Violation | undefined): string | undefined {
  return violation && `${violation.message} (hint: ${violation.hint})`;
}

/** Applies rules to known, present values; unknown values (preview) are checked at apply time. */
function checkProperties(inputs: Record<string, unknown>, rules: Record<string, Rule[]>): Failure[] {
  const failures: Failure[] = [];
  for (const [property, propertyRules] of Object.entries(rules)) {
    const value = inputs[property];
    if (value === undefined || value === null || containsUnknown(value)) continue;
    // The first broken rule of a property is its failure: a value of the wrong type has no length.
    for (const rule of propertyRules) {
      const reason = rule(value);
      if (!reason) continue;
      failures.push({ property, reason });
      break;
    }
  }
  return failures;
}

/** Cross-field rules; an unknown value counts as present, and never as a value it could turn out to be. */
function fieldFailures(rules: (value: Record<string, unknown>) => FieldViolation[], inputs: Record<string, unknown>, whole: string): Failure[] {
  const declared = Object.fromEntries(Object.entries(inputs).filter(([, value]) => value !== null));
  return rules(declared).map(({ field, ...violation }) => ({ property: field ?? whole, reason: reasonOf(violation)! }));
}

const isString: Rule = (value) => (typeof value === "string" ? undefined : `expected a string, got ${describe(value)}`);
const isBoolean: Rule = (value) => (typeof value === "boolean" ? undefined : `expected true or false, got ${describe(value)}`);
const sid = (kind: SidKind): Rule => (value) => reasonOf(sidViolation(kind, typeof value === "string" ? value : String(value)));
const text = (field: TextField): Rule => (value) => reasonOf(textViolation(field, value as string));
const oneOf = (allowed: readonly string[]): Rule => (value) => reasonOf(choiceViolation(allowed, value));
const timestamp: Rule = (value) => reasonOf(timestampViolation(String(value)));
const uniqueName: Rule = (value) => reasonOf(uniqueNameViolation(value as string));

const jsonObject = (owner: AttributesOwner): Rule => (value) => {
  if (typeof value !== "object" || Array.isArray(value)) return `expected an object, got ${describe(value)}`;
  const reserved = reservedKeyIn(value);
  if (reserved) return `at ${reserved.join(".")}: ${reasonOf(reservedKeyViolation(String(reserved[reserved.length - 1])))}`;
  const nonFinite = nonFiniteNumberIn(value);
  if (nonFinite) return `at ${nonFinite.join(".")}: ${reasonOf(inexactNumberViolation(String(nonFinite.reduce<any>((item, key) => item[key], value)), NON_FINITE_BECOMES))}`;
  return reasonOf(attributesViolation(owner, value));
};

const timer = (name: Timer): Rule => (value) => {
  const reason = reasonOf(timerViolation(name, String(value)));
  return reason && `timers.${name}: ${reason}`;
};

/** A shape rule's problem, placed as Pulumi shows it beside the property. */
const shape = (name: ShapeRule): Rule => (value) => {
  const problem = SHAPE_RULES[name](value);
  if (!problem) return undefined;
  const reason = problem.hint === undefined ? problem.message : `${problem.message} (hint: ${problem.hint})`;
  return problem.at === undefined ? reason : `${problem.at}: ${reason}`;
};

const messageIndex: Rule = (value) => reasonOf(messageIndexViolation(value));
const url: Rule = (value) => (typeof value === "string" ? reasonOf(urlViolation(value)) : `expected a URL, got ${describe(value)}`);
const stringList = (each: (items: string[]) => string | undefined): Rule => (value) => {
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) return `expected a list of strings, got ${describe(value)}`;
  return each(value as string[]);
};
const webhookFilters = stringList((filters) => {
  for (const filter of filters) {
    const reason = reasonOf(webhookFilterViolation(filter));
    if (reason) return reason;
  }
  return filters.length === 0 ? "the list is empty (hint: name at least one event, e.g. onMessageAdded)" : undefined;
});
const webhookTriggers = stringList((triggers) => reasonOf(webhookTriggersViolation(triggers)));

/** The rules of a table row's `rule`; timers are checked as an object of their own (checkConversation). */
function rulesOf(rule: FieldRule): Rule[] {
  if (isShapeRule(rule)) return [shape(rule)];
  if (rule === "string") return [isString];
  if (rule === "boolean") return [isBoolean];
  if (rule === "participantRole") return [isString, (value) => reasonOf(participantRoleViolation(value as string))];
  if (rule === "messageIndex") return [messageIndex];
  if (rule === "url") return [url];
  if (rule === "webhookFilters") return [webhookFilters];
  if (rule === "webhookTriggers") return [webhookTriggers];
  if (rule === "uniqueName") return [isString, uniqueName];
  if (rule === "timestamp") return [timestamp];
  if (rule === "timers") return [];
  if ("sid" in rule) return [sid(rule.sid)];
  if ("text" in rule) return [isString, text(rule.text)];
  if ("oneOf" in rule) return [oneOf(rule.oneOf)];
  return [jsonObject(rule.attributes)];
}

/** Each declared property's rules, in table order. */
function tableRules(table: Readonly<Record<string, PropertyRow>>): Record<string, Rule[]> {
  const rules: Record<string, Rule[]> = {};
  for (const [property, row] of Object.entries(table)) {
    if (isDeclared(row) && row.rule !== null && row.rule !== "timers") rules[property] = rulesOf(row.rule);
  }
  return rules;
}

const CONVERSATION_RULES = tableRules(CONVERSATION_PROPERTIES);
const CHILD_RULES = { participant: tableRules(PARTICIPANT_PROPERTIES), webhook: tableRules(WEBHOOK_PROPERTIES) };
const CHILD_VIOLATIONS = { participant: participantViolations, webhook: webhookViolations };
const MESSAGE_RULES = tableRules(MESSAGE_PROPERTIES);
/** What a closed conversation refuses to change; its state has a rule of its own (closedConversationFailures). */
const FIXED_WHEN_CLOSED = refusedWhenClosed(CONVERSATION_PROPERTIES);
/** What Twilio refuses to edit in a message of a closed conversation (a re-creation is a new message). */
const MESSAGE_FIELDS_FIXED_WHEN_CLOSED = refusedWhenClosed(MESSAGE_PROPERTIES).filter((field) =>
  (changedBy(MESSAGE_PROPERTIES, "update") as readonly string[]).includes(field),
);

/**
 * The declared conversation's own problems. What a closed conversation refuses is judged apart
 * (closedConversationFailures), against what Twilio holds: `check` is given only the previous inputs.
 */
export function checkConversation(news: Record<string, unknown>): Failure[] {
  const failures = checkProperties(news, CONVERSATION_RULES);
  const timers = news.timers as Record<string, unknown> | null | undefined;
  if (timers !== null && timers !== undefined && !isUnknown(timers) && (typeof timers !== "object" || Array.isArray(timers))) {
    failures.push({ property: "timers", reason: `expected an object with inactive and/or closed durations (e.g. {inactive: PT10M}), got ${describe(timers)}` });
  } else if (timers && !containsUnknown(timers)) {
    const timerFailures = checkProperties(timers, { inactive: [timer("inactive")], closed: [timer("closed")] });
    failures.push(...timerFailures.map((failure) => ({ property: "timers", reason: failure.reason })));
  }
  failures.push(...fieldFailures(conversationViolations, news, "timers"));
  failures.push(...checkThread(news.messages));
  for (const kind of CHILD_KINDS) failures.push(...checkChildren(kind, news[kind.property]));
  return failures;
}

/**
 * What Twilio refuses of a conversation it holds closed (closed is final there: error 50377), read
 * from the outputs: what Twilio held at the last `up` or refresh. Never from the previous inputs,
 * which an `up` with nothing to do rewrites to the declared state (`active` for a conversation its
 * timer closed). `diff` reports these before any request; a value unknown in preview is judged
 * once it is known.
 */
export function closedConversationFailures(held: ConversationOutputs, news: Record<string, unknown>): Failure[] {
  if (held.state !== "closed") return [];
  return [
    ...(isUnknown(news.state) ? [] : closedPropertyFailures(held, news)),
    ...closedThreadFailures(held.messages, news.messages),
    ...closedParticipantFailures(held.participants, news.participants),
  ];
}

/**
 * Participants or scoped webhooks: each as its table's rules and its cross-field rules check it
 * (named `<property>.<key>.<field>`); no two participants with the same identity or binding (Twilio
 * holds one of each per conversation); and at most 5 webhooks.
 */
function checkChildren(kind: ChildKind, value: unknown): Failure[] {
  if (value === undefined || value === null || isUnknown(value)) return [];
  if (typeof value !== "object" || Array.isArray(value)) return [{ property: kind.property, reason: `expected ${kind.noun}s by key, got ${describe(value)}` }];
  const children = value as Record<string, unknown>;
  const failures: Failure[] = [];
  const keyHolders = new Map<string, string>();
  for (const [key, child] of Object.entries(children)) {
    const property = (field: string) => `${kind.property}.${key}${field ? `.${field}` : ""}`;
    if (isUnknown(child)) continue;
    if (typeof child !== "object" || child === null || Array.isArray(child)) {
      failures.push({ property: property(""), reason: `expected a ${kind.noun}, got ${describe(child)}` });
      continue;
    }
    const fields = child as Record<string, unknown>;
    const unknownField = Object.keys(fields).find((field) => !kind.fields.includes(field));
    if (unknownField !== undefined) failures.push({ property: property(unknownField), reason: `a ${kind.noun} has no ${unknownField} (hint: use ${kind.fields.join(", ")})` });
    failures.push(...checkProperties(fields, CHILD_RULES[kind.noun]).map((failure) => ({ ...failure, property: property(failure.property) })));
    if (!containsUnknown(fields)) {
      failures.push(...fieldFailures(CHILD_VIOLATIONS[kind.noun], fields, "").map((failure) => ({ ...failure, property: property(failure.property) })));
    }
    if (kind === PARTICIPANTS && !containsUnknown(fields)) {
      const naturalKey = participantNaturalKey(fields);
      const holder = naturalKey === null ? undefined : keyHolders.get(naturalKey);
      if (holder !== undefined) failures.push({ property: property(""), reason: `has the ${naturalKey!.split(" ")[0]} of participant ${JSON.stringify(holder)} (hint: Twilio holds one participant per identity and per binding in a conversation; declare it once)` });
      else if (naturalKey !== null) keyHolders.set(naturalKey, key);
    }
  }
  if (kind === SCOPED_WEBHOOKS && Object.keys(children).length > LIMITS.webhooksPerConversation) {
    failures.push({ property: kind.property, reason: `${Object.keys(children).length} webhooks; Twilio takes at most ${LIMITS.webhooksPerConversation} per conversation (error 50361) (hint: remove some)` });
  }
  return failures;
}

/** Twilio changes no participant of a closed conversation (50377): each change, named. */
function closedParticipantFailures(held: RecordedChildren | undefined, declared: unknown): Failure[] {
  if (declared === undefined || declared === null || typeof declared !== "object" || Array.isArray(declared) || containsUnknown(declared)) return [];
  return childSteps(PARTICIPANTS, held ?? {}, declared as DeclaredChildren).map((step) => ({
    property: `${PARTICIPANTS.property}.${step.key}`,
    reason: `can't ${step.action === "create" ? "be added" : `be ${step.action}d`}: the conversation is closed, and Twilio changes no participant of a closed conversation (error 50377) (hint: give the resource a new name in the stack so a new conversation is created)`,
  }));
}

/**
 * The seed thread: each message as `checkMessage` checks one (its properties named
 * `messages.<key>.<field>`), and the links that order them.
 */
function checkThread(messages: unknown): Failure[] {
  if (messages === undefined || messages === null || isUnknown(messages)) return [];
  if (typeof messages !== "object" || Array.isArray(messages)) {
    return [{ property: "messages", reason: `expected messages by key, got ${describe(messages)}` }];
  }
  const thread = messages as Record<string, unknown>;
  const failures: Failure[] = [];
  // The links can be followed only when every message is an object whose `after` is a key.
  let linked = true;
  for (const [key, message] of Object.entries(thread)) {
    const property = (field: string) => `messages.${key}${field ? `.${field}` : ""}`;
    if (isUnknown(message)) {
      linked = false;
      continue;
    }
    if (typeof message !== "object" || message === null || Array.isArray(message)) {
      failures.push({ property: property(""), reason: `expected a message, got ${describe(message)}` });
      linked = false;
      continue;
    }
    const fields = message as Record<string, unknown>;
    failures.push(...checkMessageFields(fields, undefined, null).map((failure) => ({ ...failure, property: property(failure.property) })));
    if (fields.after !== undefined && typeof fields.after !== "string") {
      failures.push({ property: property("after"), reason: `expected a message key, got ${describe(fields.after)}` });
      linked = false;
    }
  }
  if (!linked) return failures;
  const linksProblem = threadOrderProblem(thread as DeclaredThread);
  if (linksProblem) return [...failures, { property: "messages", reason: `${linksProblem} (hint: each message names the key of the one before it in "after")` }];
  return failures;
}

/** The declared thread when its order can be followed (every message known, each `after` a key); null otherwise. */
function followableThread(messages: unknown): DeclaredThread | null {
  if (typeof messages !== "object" || messages === null || Array.isArray(messages) || isUnknown(messages)) return null;
  const known = Object.values(messages).every(
    (message) => typeof message === "object" && message !== null && !isUnknown(message) && ["string", "undefined"].includes(typeof (message as DeclaredMessage).after),
  );
  return known && threadOrderProblem(messages as DeclaredThread) === null ? (messages as DeclaredThread) : null;
}

/**
 * What a thread change would send to a closed conversation, which Twilio refuses (50377): a new
 * message, an edit, or a re-created message (its old one deleted first, and lost). Reported where
 * it starts: the messages re-created only to stay after it are not named again. A value unknown
 * in preview is checked when it is known. A thread no longer declared is no change; state without
 * a recorded thread is from before threads, when each message was a resource of its own: the
 * update takes those messages over, and refuses none here.
 */
function closedThreadFailures(held: RecordedThread | undefined, messages: unknown): Failure[] {
  const thread = followableThread(messages);
  if (held === undefined || thread === null) return [];
  const hint = "the conversation is closed; to seed a thread again, give the resource a new name in the stack so a new conversation is created";
  const refused = (property: string, reason: string) => ({ property, reason: `${reason} (hint: ${hint})` });
  const noNewMessages = "a closed conversation takes no new messages (Twilio error 50377)";
  return threadSteps(held, thread).flatMap((step): Failure[] => {
    const at = `messages.${step.key}`;
    switch (step.action) {
      case "create":
        return [refused(at, `is new, and ${noNewMessages}`)];
      case "update":
        return step.changed
          .filter((field) => !containsUnknown(thread[step.key][field as keyof DeclaredMessage]))
          .map((field) => refused(`${at}.${field}`, "can't change: Twilio edits no message of a closed conversation (error 50377)"));
      case "replace": {
        const { cause } = step;
        if ("field" in cause) {
          if (containsUnknown(thread[step.key][cause.field as keyof DeclaredMessage])) return [];
          return [refused(`${at}.${cause.field}`, `can't change: a change of ${cause.field} re-creates the message, and ${noNewMessages}`)];
        }
        if (cause.after === null) return [refused(at, `can't move: the message would be re-created at its new place, and ${noNewMessages}`)];
        return [];
      }
      default:
        return [];
    }
  });
}

/** Closed is terminal in Twilio: nothing about a closed conversation can change but its deletion. */
function closedPropertyFailures(held: ConversationOutputs, news: Record<string, unknown>): Failure[] {
  const hint = "a closed conversation can't be reopened or edited; to start over, give the resource a new name in the stack so a new conversation is created";
  // A state left out is no longer managed: the conversation stays closed, which is no change.
  // Closed by the timers declared next to the state, it is what the file asked for.
  if (news.state !== "closed" && news.state !== null && news.state !== undefined && !closedByDeclaredTimers(news.state, news.timers)) {
    return [{ property: "state", reason: `was closed and can't become ${JSON.stringify(news.state)}: ${hint}` }];
  }
  return FIXED_WHEN_CLOSED
    .filter((property) => !containsUnknown(news[property]))
    .filter((property) => propertyDiffers(CONVERSATION_PROPERTIES[property] as DeclaredRow, news[property] ?? null, held[property as keyof ConversationOutputs] ?? null))
    .map((property) => ({ property, reason: `can't change on a closed conversation: ${hint}` }));
}

/** @param olds the message's previous inputs; absent or empty for a message not created yet. */
export function checkMessage(news: Record<string, unknown>, olds?: Record<string, unknown>): Failure[] {
  const failures = checkProperties(news, { chatServiceSid: [sid("chatService")], conversationSid: [sid("conversation")] });
  if (news.conversationSid === null || news.conversationSid === undefined) failures.push({ property: "conversationSid", reason: "is required" });
  return [...failures, ...checkMessageFields(news, olds, news.conversationState)];
}

/** A message's own fields, in a conversation declared in `conversationState`. */
function checkMessageFields(news: Record<string, unknown>, olds: Record<string, unknown> | undefined, conversationState: unknown): Failure[] {
  const failures = checkProperties(news, MESSAGE_RULES);
  failures.push(...fieldFailures(messageViolations, news, "body"));
  const isNew = !olds || Object.keys(olds).length === 0;
  if (isNew && conversationState === "closed") {
    failures.push({
      property: "conversationState",
      reason:
        "the conversation is declared closed, and a closed conversation takes no new messages (Twilio error 50377): " +
        "seed the messages while it is active or inactive, then close it in a later change",
    });
  }
  if (!isNew && conversationState === "closed") {
    // Also in the change that closes it: the conversation is updated before its messages.
    failures.push(...editsInClosedConversation(olds, news));
  }
  return failures;
}

/** Twilio refuses to edit messages of a closed conversation (50377): say so before trying. */
function editsInClosedConversation(olds: Record<string, unknown>, news: Record<string, unknown>): Failure[] {
  return MESSAGE_FIELDS_FIXED_WHEN_CLOSED
    .filter((property) => news[property] !== null && news[property] !== undefined && !containsUnknown(news[property]))
    .filter((property) => canonicalJson(news[property]) !== canonicalJson(olds[property] ?? null))
    .map((property) => ({
      property,
      reason:
        "can't change: the conversation is (being) closed, and Twilio edits no message of a closed conversation (error 50377); " +
        "make the edit in a change before the one that closes it",
    }));
}
