import type * as pulumi from "@pulumi/pulumi";
import type { ConversationInputs, ConversationOutputs } from "../resources/conversation-model";
import { CONVERSATION_PROPERTIES, changedBy } from "../domain/properties";
import { isUnknown } from "../domain/unknown";
import { differingProperties, propertyDiffers, valueDiffers } from "./compare";
import { declaredStateToSend, statesTimersReach } from "./conversation-state";
import { threadChanges } from "./thread";
import { childrenChange } from "./children";
import { CHILD_KINDS } from "../resources/children-model";

/** Updated in place by rules of their own: state (conversation-state.ts) and timers (each timer, in seconds). */
const OWN_RULES = ["state", "timers"] as const;
type OwnRule = (typeof OWN_RULES)[number];

/** Properties Twilio updates in place, compared as the table says (all but those with rules of their own). */
export const UPDATABLE_CONVERSATION_PROPERTIES = changedBy(CONVERSATION_PROPERTIES, "update").filter(
  (property): property is Exclude<typeof property, OwnRule> => !(OWN_RULES as readonly string[]).includes(property),
);

/** A change of these replaces the conversation. */
const CREATE_ONLY_CONVERSATION_PROPERTIES = changedBy(CONVERSATION_PROPERTIES, "create-only");

/** Properties that only change what the provider records (no Twilio call). */
const RECORDED_CONVERSATION_PROPERTIES = changedBy(CONVERSATION_PROPERTIES, "recorded");

/** The declared service: null is the account's default service. */
export function declaredService(olds: ConversationOutputs): string | null {
  return olds.usesDefaultService ? null : olds.chatServiceSid;
}

export function changedConversationProperties(olds: ConversationOutputs, news: ConversationInputs): string[] {
  const changed: string[] = differingProperties(
    CONVERSATION_PROPERTIES,
    UPDATABLE_CONVERSATION_PROPERTIES,
    (property) => news[property],
    (property) => olds[property],
  );
  const timersChanged = timersDiffer(olds.timers, news.timers);
  const sendState = declaredStateToSend({
    declared: news.state,
    // State written before declaredState was recorded: taken as unchanged, so no timer's move is undone.
    previouslyDeclared: olds.declaredState === undefined ? news.state : olds.declaredState,
    timers: news.timers,
    timersChanged,
    observed: olds.state,
  });
  if (sendState) changed.push("state");
  // Back to the declared state from one its timers lead to: those timers may have fired, so they
  // are set again with it and count from then, as at creation.
  const timersMayHaveFired = olds.state !== null && statesTimersReach(String(news.state), news.timers).includes(olds.state);
  if (timersChanged || (sendState && timersMayHaveFired)) changed.push("timers");
  return changed;
}

function timersDiffer(olds: ConversationOutputs["timers"], news: ConversationInputs["timers"]): boolean {
  return propertyDiffers(CONVERSATION_PROPERTIES.timers, news, olds);
}

export function diffConversation(olds: ConversationOutputs, news: ConversationInputs): pulumi.dynamic.DiffResult {
  // The service is held as the default service's SID when none was declared.
  const declaredCreateOnly = (property: (typeof CREATE_ONLY_CONVERSATION_PROPERTIES)[number]) =>
    property === "chatServiceSid" ? declaredService(olds) : olds[property];
  const replaces: string[] = CREATE_ONLY_CONVERSATION_PROPERTIES.filter((property) => valueDiffers(news[property], declaredCreateOnly(property)));
  const recorded = RECORDED_CONVERSATION_PROPERTIES.filter((property) => valueDiffers(news[property], olds[property]));
  const changes =
    replaces.length > 0 || recorded.length > 0 || changedConversationProperties(olds, news).length > 0 || seedThreadChanges(olds, news) ||
    CHILD_KINDS.some((kind) => childrenChange(kind, olds[kind.property], news[kind.property]));
  return { changes, replaces };
}

/**
 * Whether the seed thread asks for requests. State from before the thread was recorded here
 * (each message its own resource) holds messages to take over whenever the stack declares some.
 */
export function seedThreadChanges(olds: ConversationOutputs, news: ConversationInputs): boolean {
  const declared = news.messages ?? {};
  if (isUnknown(declared)) return true;
  if (olds.messages === undefined) return Object.keys(declared).length > 0;
  return threadChanges(olds.messages, declared);
}
