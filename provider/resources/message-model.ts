// The shapes a seed Message takes in state, and the pure steps between them.
import type { MessageFields, ObservedMessage } from "../client/wire";
import { withoutUndeclared } from "../domain/declared";
import { DECLARED_MESSAGE_FIELDS, UPDATABLE_MESSAGE_FIELDS, messageFields, messageUpdateFields } from "./thread-model";
import type { JsonValue } from "./args";
import type { DeclaredValues, MessageTable } from "../domain/properties";

export interface MessageInputs extends DeclaredValues<MessageTable> {
  resourceName: string;
  chatServiceSid: string | null;
  conversationSid: string;
  afterSid: string | null;
  afterIndex: number | null;
  conversationState: string | null;
  webhooksEnabled: boolean;
}

export interface MessageOutputs {
  resourceName: string;
  sid: string;
  accountSid: string | null;
  /** As declared: null is the account's default service. */
  chatServiceSid: string | null;
  conversationSid: string;
  index: number | null;
  author: string | null;
  body: string | null;
  attributes: JsonValue | null;
  mediaSid: string | null;
  contentSid: string | null;
  /** As declared: Twilio does not return them. */
  contentVariables: Record<string, string> | null;
  /** As declared: Twilio does not return it. */
  subject: string | null;
  dateCreated: string | null;
  dateUpdated: string | null;
  url: string | null;
  afterSid: string | null;
  afterIndex: number | null;
  /** As declared for the conversation: refresh gives it back as an input. */
  conversationState: string | null;
  /**
   * Set when the create made the message but could not set the conversation back to this state:
   * the next update sends it (diff reports a change while it is set).
   */
  conversationStateToRestore: string | null;
  webhooksEnabled: boolean;
  declared: string[];
}

/** The fields whose declared values refresh rewrites from the outputs: those that change in place (create-only ones stay as declared). */
const FOLLOWED = UPDATABLE_MESSAGE_FIELDS;

/** Inputs at these values are the defaults, and are left out of stored inputs like undeclared ones. */
export const MESSAGE_INPUT_DEFAULTS: Partial<MessageInputs> = { webhooksEnabled: false };

export function normalizeMessageInputs(raw: Record<string, unknown>): MessageInputs {
  return {
    resourceName: String(raw.resourceName ?? ""),
    chatServiceSid: orNull(raw.chatServiceSid),
    conversationSid: String(raw.conversationSid ?? ""),
    ...(Object.fromEntries(DECLARED_MESSAGE_FIELDS.map((field) => [field, orNull(raw[field])])) as unknown as Pick<MessageInputs, (typeof DECLARED_MESSAGE_FIELDS)[number]>),
    afterSid: orNull(raw.afterSid),
    afterIndex: orNull(raw.afterIndex),
    conversationState: orNull(raw.conversationState),
    webhooksEnabled: raw.webhooksEnabled === true,
  };
}

export function creationFields(inputs: MessageInputs): MessageFields {
  return messageFields(inputs);
}

/** Only the changed properties are sent on update (see `messageUpdateFields`). */
export function updateFields(inputs: MessageInputs, changed: readonly string[]): Partial<MessageFields> {
  return messageUpdateFields(inputs, changed);
}

export function messageOutputs(inputs: MessageInputs, observed: ObservedMessage): MessageOutputs {
  return {
    resourceName: inputs.resourceName,
    sid: observed.sid,
    accountSid: observed.accountSid,
    chatServiceSid: inputs.chatServiceSid,
    conversationSid: observed.conversationSid ?? inputs.conversationSid,
    index: observed.index,
    author: observed.author,
    body: observed.body,
    attributes: observed.attributes,
    mediaSid: inputs.mediaSid,
    contentSid: inputs.contentSid,
    contentVariables: inputs.contentVariables,
    subject: inputs.subject,
    dateCreated: observed.dateCreated,
    dateUpdated: observed.dateUpdated,
    url: observed.url,
    afterSid: inputs.afterSid,
    afterIndex: inputs.afterIndex,
    conversationState: inputs.conversationState,
    conversationStateToRestore: null,
    webhooksEnabled: inputs.webhooksEnabled,
    declared: FOLLOWED.filter((property) => inputs[property] !== null),
  };
}

/** A new message makes an inactive conversation active in Twilio: the state to set back, if any. */
export function stateToRestoreAfterSeeding(inputs: MessageInputs): string | null {
  return inputs.conversationState === "inactive" ? "inactive" : null;
}

/** Whether an update must still set the conversation back to the declared state. */
export function conversationStateToRestore(olds: MessageOutputs, inputs: MessageInputs): string | null {
  const pending = olds.conversationStateToRestore ?? null;
  return pending !== null && pending === inputs.conversationState ? pending : null;
}

/** Outputs after an update that sent nothing for the message itself: only what is recorded changes. */
export function recordedMessageOutputs(olds: MessageOutputs, inputs: MessageInputs): MessageOutputs {
  return {
    ...olds,
    resourceName: inputs.resourceName,
    webhooksEnabled: inputs.webhooksEnabled,
    afterSid: inputs.afterSid,
    afterIndex: inputs.afterIndex,
    conversationState: inputs.conversationState,
    conversationStateToRestore: null,
  };
}

export function refreshedMessage(olds: MessageOutputs, observed: ObservedMessage): MessageOutputs {
  return {
    ...olds,
    accountSid: observed.accountSid,
    index: observed.index,
    author: observed.author,
    body: observed.body,
    attributes: observed.attributes,
    mediaSid: olds.mediaSid,
    contentSid: olds.contentSid,
    dateCreated: observed.dateCreated,
    dateUpdated: observed.dateUpdated,
    url: observed.url,
  };
}

export function refreshedMessageInputs(refreshed: MessageOutputs): Partial<MessageInputs> {
  const declared = new Set(refreshed.declared);
  const followed = Object.fromEntries(FOLLOWED.map((field) => [field, declared.has(field) ? refreshed[field] : null]));
  return withoutUndeclared({
    resourceName: refreshed.resourceName,
    chatServiceSid: refreshed.chatServiceSid,
    conversationSid: refreshed.conversationSid,
    ...creationFields(refreshed as unknown as MessageInputs),
    ...followed,
    afterSid: refreshed.afterSid,
    afterIndex: refreshed.afterIndex,
    conversationState: refreshed.conversationState ?? null,
    webhooksEnabled: refreshed.webhooksEnabled,
  } as MessageInputs, MESSAGE_INPUT_DEFAULTS);
}

function orNull<T>(value: unknown): T | null {
  return value === undefined || value === null ? null : (value as T);
}
