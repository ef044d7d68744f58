// The shapes a Conversation takes in state, and the pure steps between them.
import type { ConversationFields, ObservedConversation } from "../client/wire";
import type { AdoptMode, ConversationState } from "../domain/rules";
import { statesTimersReach } from "../diff/conversation-state";
import { withoutUndeclared } from "../domain/declared";
import {
  CONVERSATION_PROPERTIES,
  answered,
  declarable,
  declaredProperties,
  defaults,
  sent,
  type Answered,
  type ConversationTable,
  type DeclaredProperty,
  type DeclaredValues,
  type Sent,
} from "../domain/properties";
import { refreshedThreadInputs, type DeclaredThread, type RecordedThread } from "./thread-model";
import { PARTICIPANTS, SCOPED_WEBHOOKS, refreshedChildrenInputs, type DeclaredChildren, type RecordedChildren } from "./children-model";

/** Inputs after `check`: every property present, null when not declared. */
export interface ConversationInputs extends DeclaredValues<ConversationTable> {
  resourceName: string;
  /** The seed thread, by message key; empty when none is declared. */
  messages: DeclaredThread;
  /** Participants by key; empty when none is declared. */
  participants: DeclaredChildren;
  /** Conversation-scoped webhooks by key; empty when none is declared. */
  scopedWebhooks: DeclaredChildren;
}

/** Declared properties Twilio never answers (the timers, the provider's own switches): outputs keep them as declared. */
type RecordedAsDeclared = Exclude<DeclaredProperty<ConversationTable>, Answered<ConversationTable>>;

/**
 * Outputs: what Twilio holds (each property it answers, as it answers it), the declared properties
 * it never answers as declared, plus what later operations need (the engine gives them old outputs).
 */
export interface ConversationOutputs extends ObservedConversation, Pick<ConversationInputs, RecordedAsDeclared> {
  resourceName: string;
  /** Whether no service was declared: `chatServiceSid` is then the default service's SID. */
  usesDefaultService: boolean;
  /** As declared at the last create or update: the state to return to when the file changes it. */
  declaredState: ConversationState | null;
  adopted: boolean;
  /** The properties the stack declares; refresh needs them to rebuild the inputs. */
  declared: string[];
  /**
   * The seed thread, by message key. Absent in state written while each message was a resource
   * of its own: the next update takes those messages over (see thread-effects.ts).
   */
  messages?: RecordedThread;
  /** Participants by key. Absent in state written before participants were managed: none are. */
  participants?: RecordedChildren;
  /** Conversation-scoped webhooks by key; absent as participants are. */
  scopedWebhooks?: RecordedChildren;
}

/** The properties declared in a conversation that Twilio holds: recorded in `declared`, followed by refresh. */
const DECLARABLE = declarable(CONVERSATION_PROPERTIES).filter(
  (property): property is Sent<ConversationTable> => CONVERSATION_PROPERTIES[property].form !== null,
);
/** What Twilio answers, as kept in the outputs. */
const ANSWERED = answered(CONVERSATION_PROPERTIES);
/** What Twilio never answers, kept in the outputs as declared. */
const RECORDED_AS_DECLARED = declaredProperties(CONVERSATION_PROPERTIES).filter(
  (property): property is RecordedAsDeclared => CONVERSATION_PROPERTIES[property].answer === null,
);

/** Inputs at these values are the defaults, and are left out of stored inputs like undeclared ones. */
export const CONVERSATION_INPUT_DEFAULTS: Partial<ConversationInputs> = defaults(CONVERSATION_PROPERTIES);

export function normalizeConversationInputs(raw: Record<string, unknown>): ConversationInputs {
  const timers = raw.timers as { inactive?: string | null; closed?: string | null } | null | undefined;
  const declaredTimers = timers && typeof timers === "object" ? { inactive: timers.inactive ?? null, closed: timers.closed ?? null } : orNull<ConversationInputs["timers"]>(timers);
  return {
    resourceName: String(raw.resourceName ?? ""),
    chatServiceSid: orNull(raw.chatServiceSid),
    ...(Object.fromEntries(DECLARABLE.map((property) => [property, orNull(raw[property])])) as unknown as Pick<ConversationInputs, (typeof DECLARABLE)[number]>),
    timers: declaredTimers,
    adopt: (raw.adopt as AdoptMode | undefined) ?? "never",
    webhooksEnabled: raw.webhooksEnabled === true,
    messages: typeof raw.messages === "object" && raw.messages !== null ? (raw.messages as DeclaredThread) : ((raw.messages as DeclaredThread | undefined) ?? {}),
    participants: keyed(raw.participants),
    scopedWebhooks: keyed(raw.scopedWebhooks),
  };
}

/** Children by key as declared; an unknown value (preview) is kept as it is. */
function keyed(value: unknown): DeclaredChildren {
  return value === undefined || value === null ? {} : (value as DeclaredChildren);
}

/**
 * What to send when creating. Twilio refuses to create a conversation already closed (50384) and
 * refuses timers without a state (50382): create it active, and close it with a second request.
 */
export function creationFields(inputs: ConversationInputs): { create: ConversationFields; thenClose: boolean } {
  const thenClose = inputs.state === "closed";
  const state = thenClose || (inputs.state === null && inputs.timers !== null) ? "active" : inputs.state;
  return { create: { ...declaredFields(inputs), state }, thenClose };
}

export function declaredFields(inputs: ConversationInputs): ConversationFields {
  return Object.fromEntries(sent(CONVERSATION_PROPERTIES).map((property) => [property, inputs[property]])) as unknown as ConversationFields;
}

/** Only the properties that changed are sent on update. */
export function updateFields(inputs: ConversationInputs, changed: readonly string[]): Partial<ConversationFields> {
  const all = declaredFields(inputs) as unknown as Record<string, unknown>;
  return Object.fromEntries(changed.map((property) => [property, all[property]])) as Partial<ConversationFields>;
}

export function conversationOutputs(
  inputs: ConversationInputs,
  observed: ObservedConversation,
  adopted: boolean,
  messages: RecordedThread = {},
  children: Pick<ConversationOutputs, "participants" | "scopedWebhooks"> = {},
): ConversationOutputs {
  return {
    resourceName: inputs.resourceName,
    ...observed,
    chatServiceSid: observed.chatServiceSid ?? inputs.chatServiceSid,
    usesDefaultService: inputs.chatServiceSid === null,
    declaredState: inputs.state,
    ...(Object.fromEntries(RECORDED_AS_DECLARED.map((property) => [property, inputs[property]])) as Pick<ConversationInputs, RecordedAsDeclared>),
    adopted,
    declared: DECLARABLE.filter((property) => inputs[property] !== null),
    messages,
    participants: children.participants ?? {},
    scopedWebhooks: children.scopedWebhooks ?? {},
  };
}

/** What Twilio answered last time, as kept in state. */
export function lastObserved(olds: ConversationOutputs): ObservedConversation {
  // State written before a property was recorded has none: null, as Pulumi refuses undefined in outputs.
  return Object.fromEntries(ANSWERED.map((property) => [property, olds[property] ?? null])) as unknown as ObservedConversation;
}

/**
 * After a refresh: outputs follow Twilio. Declared timers are kept while Twilio still shows
 * timers or the state they lead to, and dropped otherwise, so the next `up` sets them again.
 */
export function refreshedConversation(olds: ConversationOutputs, observed: ObservedConversation): ConversationOutputs {
  const declaredState = olds.declaredState ?? null;
  const timersMovedIt =
    declaredState !== null && observed.state !== declaredState && statesTimersReach(declaredState, olds.timers).includes(observed.state ?? "");
  const timersStillSet = observed.dateInactive !== null || observed.dateClosed !== null || timersMovedIt;
  return {
    ...olds,
    ...observed,
    chatServiceSid: observed.chatServiceSid ?? olds.chatServiceSid,
    timers: timersStillSet ? olds.timers : null,
  };
}

/**
 * Inputs as refresh should record them: the declared properties take Twilio's current values,
 * so that `preview --diff` after a refresh names exactly the properties that drifted.
 */
export function refreshedConversationInputs(refreshed: ConversationOutputs): Partial<ConversationInputs> {
  const declared = new Set(refreshed.declared);
  const followed = Object.fromEntries(DECLARABLE.map((property) => [property, declared.has(property) ? refreshed[property] : null]));
  return withoutUndeclared({
    resourceName: refreshed.resourceName,
    chatServiceSid: refreshed.usesDefaultService ? null : refreshed.chatServiceSid,
    ...(followed as Partial<ConversationInputs>),
    adopt: refreshed.adopt,
    webhooksEnabled: refreshed.webhooksEnabled,
    messages: refreshed.messages && Object.keys(refreshed.messages).length > 0 ? refreshedThreadInputs(refreshed.messages) : null,
    participants: nonEmpty(refreshed.participants) ? refreshedChildrenInputs(PARTICIPANTS, refreshed.participants) : null,
    scopedWebhooks: nonEmpty(refreshed.scopedWebhooks) ? refreshedChildrenInputs(SCOPED_WEBHOOKS, refreshed.scopedWebhooks) : null,
  }, CONVERSATION_INPUT_DEFAULTS);
}

function nonEmpty(children: RecordedChildren | undefined): children is RecordedChildren {
  return children !== undefined && Object.keys(children).length > 0;
}

function orNull<T>(value: unknown): T | null {
  return value === undefined || value === null ? null : (value as T);
}
