// Message calls, for both path families.
import type { ErrorContext } from "../errors";
import { createdSince, type Scope } from "./scope";
import { earliestServerTime, send, sendForAllPages, type Transport, type TwilioJson } from "./http";
import { createOnce } from "./create";
import { MESSAGE_PROPERTIES } from "../domain/properties";
import {
  MESSAGE_ANSWER,
  MESSAGE_PAGE_ANSWER,
  messageForm,
  messagePath,
  messagesPath,
  holdsWhatWasSent,
  observedMessage,
  type MessageFields,
  type ObservedMessage,
} from "./wire";

const MESSAGE_HINTS: Record<number, string> = {
  50377: "the conversation is closed, and a closed conversation takes no new or edited messages",
};

const conversationLimitKey = (conversationSid: string) => `conversation:${conversationSid}`;

/** What a message create sends, as its recovery needs it. */
interface SentMessage {
  scope: Scope;
  conversationSid: string;
  fields: MessageFields;
  afterIndex: number | null;
}

/**
 * @param afterIndex the index of the message this one follows, when known: a message found after
 *   a lost answer must come after it, so an older twin is never taken for the new message.
 * @param journalKey the resource's key in the create journal (stack and resource name), if any
 */
export async function createMessage(
  transport: Transport,
  scope: Scope,
  conversationSid: string,
  fields: MessageFields,
  afterIndex: number | null,
  webhooks: boolean,
  context: ErrorContext,
  journalKey: string | null = null,
): Promise<ObservedMessage> {
  const form = messageForm(fields);
  const sent: SentMessage = { scope, conversationSid, fields, afterIndex };
  const { json } = await createOnce<SentMessage>(transport, {
    key: journalKey,
    twinKey: `message ${conversationSid} ${JSON.stringify(form)}`,
    sent,
    post: () =>
      send(transport, {
        method: "POST",
        path: messagesPath(scope.serviceSid, conversationSid),
        form,
        webhooks,
        kind: "create",
        limitKey: conversationLimitKey(conversationSid),
        context,
        answer: MESSAGE_ANSWER,
        hints: MESSAGE_HINTS,
        reconcile: (firstSentAt) => findCreatedMessage(transport, sent, firstSentAt, context),
      }) as Promise<TwilioJson>,
    fetch: (sid) => fetchMessageJson(transport, scope, conversationSid, sid, context, true),
    find: (earlier, sentAt, excluded) => findCreatedMessage(transport, earlier, sentAt, context, excluded),
  });
  return observedMessage(json);
}

export async function fetchMessage(
  transport: Transport,
  scope: Scope,
  conversationSid: string,
  sid: string,
  context: ErrorContext,
): Promise<ObservedMessage | null> {
  const json = await fetchMessageJson(transport, scope, conversationSid, sid, context);
  return json ? observedMessage(json) : null;
}

/** @param forCreate whether a create looks for what it may have made (see `TwilioRequest.forCreate`) */
function fetchMessageJson(transport: Transport, scope: Scope, conversationSid: string, sid: string, context: ErrorContext, forCreate = false) {
  return send(transport, {
    method: "GET",
    path: messagePath(scope.serviceSid, conversationSid, sid),
    kind: "read",
    notFoundIsNull: true,
    context,
    answer: MESSAGE_ANSWER,
    forCreate,
  });
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

/** Every message of a conversation as Twilio answers it, oldest first (all pages). */
export async function listMessages(transport: Transport, scope: Scope, conversationSid: string, context: ErrorContext): Promise<TwilioJson[]> {
  const path = messagesPath(scope.serviceSid, conversationSid);
  return sendForAllPages(transport, { method: "GET", path, query: { Order: "asc", PageSize: "100" }, kind: "read", context, answer: MESSAGE_PAGE_ANSWER }, "messages");
}

/**
 * Whether a message Twilio holds is one a create of `fields` makes: every field sent that Twilio
 * shows (the table's `recovery`), the declared dates to the second. `subject` and
 * `contentVariables` are never shown; the claims and the dates tell such messages apart.
 */
export function holdsMessageFields(json: TwilioJson, fields: MessageFields): boolean {
  return holdsWhatWasSent(MESSAGE_PROPERTIES, observedMessage(json), fields);
}

/**
 * After a create whose answer was lost: the newest message with every field sent that is newer
 * than the message this one follows, created since the request was sent (by the server's clock)
 * or at the declared date when backdated, and held by no other resource of this run (a message
 * being replaced has the same fields and date, and is held by the resource it belongs to). Seed
 * messages of one conversation are written one after another, so the newest match is this one.
 */
async function findCreatedMessage(
  transport: Transport,
  sent: SentMessage,
  firstSentAt: number,
  context: ErrorContext,
  excluded: ReadonlySet<string> = new Set(),
): Promise<TwilioJson | null> {
  const { scope, conversationSid, fields, afterIndex } = sent;
  // A page is checked (MESSAGE_PAGE_ANSWER): anything else fails the create, never reads as "none".
  const json = (await send(transport, {
    method: "GET",
    path: messagesPath(scope.serviceSid, conversationSid),
    query: { Order: "desc", PageSize: "50" },
    kind: "read",
    context,
    answer: MESSAGE_PAGE_ANSWER,
    forCreate: true,
  })) as TwilioJson;
  const since = earliestServerTime(transport.serverClock, firstSentAt);
  const messages = json.messages as TwilioJson[];
  return (
    messages.find(
      (message) =>
        (afterIndex === null || Number(message.index) > afterIndex) &&
        // Backdated, it is found at its declared date (holdsMessageFields); otherwise it is new.
        (fields.dateCreated !== null || createdSince(message, since)) &&
        holdsMessageFields(message, fields) &&
        !transport.claims.isClaimed(String(message.sid)) &&
        !excluded.has(String(message.sid)),
    ) ?? null
  );
}
