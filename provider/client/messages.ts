// Message calls, for both path families.
import type { ErrorContext } from "../errors";
import { createdSince, type Scope } from "./conversations";
import { earliestServerTime, send, type Transport, type TwilioJson } from "./http";
import { MESSAGE_ANSWER, messageForm, messagePath, messagesPath, observedMessage, sameAttributes, type MessageFields, type ObservedMessage } from "./wire";

const MESSAGE_HINTS: Record<number, string> = {
  50377: "the conversation is closed, and a closed conversation takes no new or edited messages",
};

const conversationLimitKey = (conversationSid: string) => `conversation:${conversationSid}`;

/**
 * @param afterIndex the index of the message this one follows, when known: a message found after
 *   a lost answer must come after it, so an older twin is never taken for the new message.
 */
export async function createMessage(
  transport: Transport,
  scope: Scope,
  conversationSid: string,
  fields: MessageFields,
  afterIndex: number | null,
  webhooks: boolean,
  context: ErrorContext,
): Promise<ObservedMessage> {
  const json = await send(transport, {
    method: "POST",
    path: messagesPath(scope.serviceSid, conversationSid),
    form: messageForm(fields),
    webhooks,
    kind: "create",
    limitKey: conversationLimitKey(conversationSid),
    context,
    answer: MESSAGE_ANSWER,
    hints: MESSAGE_HINTS,
    reconcile: (firstSentAt) => findCreatedMessage(transport, scope, conversationSid, fields, afterIndex, firstSentAt, context),
  });
  return observedMessage(json as TwilioJson);
}

export async function fetchMessage(
  transport: Transport,
  scope: Scope,
  conversationSid: string,
  sid: string,
  context: ErrorContext,
): Promise<ObservedMessage | null> {
  const json = await send(transport, {
    method: "GET",
    path: messagePath(scope.serviceSid, conversationSid, sid),
    kind: "read",
    notFoundIsNull: true,
    context,
    answer: MESSAGE_ANSWER,
  });
  return json ? observedMessage(json) : null;
}

export async function updateMessage(
  transport: Transport,
  scope: Scope,
  conversationSid: string,
  sid: string,
  fields: Partial<MessageFields>,
  webhooks: boolean,
  context: ErrorContext,
): Promise<ObservedMessage> {
  const json = await send(transport, {
    method: "POST",
    path: messagePath(scope.serviceSid, conversationSid, sid),
    form: messageForm(fields),
    webhooks,
    kind: "idempotent-write",
    limitKey: conversationLimitKey(conversationSid),
    context,
    hints: MESSAGE_HINTS,
    answer: MESSAGE_ANSWER,
  });
  return observedMessage(json as TwilioJson);
}

export async function deleteMessage(
  transport: Transport,
  scope: Scope,
  conversationSid: string,
  sid: string,
  webhooks: boolean,
  context: ErrorContext,
): Promise<boolean> {
  const json = await send(transport, {
    method: "DELETE",
    path: messagePath(scope.serviceSid, conversationSid, sid),
    webhooks,
    kind: "idempotent-write",
    limitKey: conversationLimitKey(conversationSid),
    notFoundIsNull: true,
    context,
  });
  return json !== null;
}

/**
 * After a create whose answer was lost: the newest message with the same fields that is newer
 * than the message this one follows, and created since the request was sent (by the server's
 * clock), or created at the declared date when backdated. Seed messages of one conversation are
 * written one after another, so the newest match is this one.
 */
async function findCreatedMessage(
  transport: Transport,
  scope: Scope,
  conversationSid: string,
  fields: MessageFields,
  afterIndex: number | null,
  firstSentAt: number,
  context: ErrorContext,
): Promise<TwilioJson | null> {
  const json = await send(transport, {
    method: "GET",
    path: messagesPath(scope.serviceSid, conversationSid),
    query: { Order: "desc", PageSize: "50" },
    kind: "read",
    context,
  });
  const since = earliestServerTime(transport.serverClock, firstSentAt);
  const messages = (json?.messages ?? []) as TwilioJson[];
  return (
    messages.find(
      (message) =>
        (afterIndex === null || Number(message.index) > afterIndex) &&
        (fields.dateCreated ? Date.parse(String(message.date_created)) === Date.parse(fields.dateCreated) : createdSince(message, since)) &&
        sameMessageFields(message, fields),
    ) ?? null
  );
}

function sameMessageFields(json: TwilioJson, fields: MessageFields): boolean {
  return (
    (json.author ?? "system") === (fields.author ?? "system") &&
    (fields.contentSid ? json.content_sid === fields.contentSid : (json.body ?? null) === (fields.body ?? null)) &&
    sameAttributes(json, fields.attributes)
  );
}
