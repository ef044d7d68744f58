// Conversation calls, for both path families (a Conversation Service, or the default service).
import { TwilioConversationsError, type ErrorContext } from "../errors";
import { createOnce, refusedWith } from "./create";
import { stackOfKey } from "./intents";
import { compareThread, divergingThread, heldContent, participantsDeclared, pickRecovered, type ConversationRecovery } from "./recovery";
import { createdSince, type Scope } from "./scope";
import { earliestServerTime, send, sendForAllPages, type Transport, type TwilioJson } from "./http";
import { CONVERSATION_PROPERTIES } from "../domain/properties";
import {
  CONFIGURATION_ANSWER,
  CONFIGURATION_PATH,
  CONVERSATION_ANSWER,
  CONVERSATION_PAGE_ANSWER,
  conversationForm,
  conversationPath,
  conversationsPath,
  holdsWhatWasSent,
  observedConversation,
  type ConversationFields,
  type ObservedConversation,
} from "./wire";

const CONVERSATION_HINTS: Record<number, string> = {
  50353: "a conversation with this uniqueName already exists in the service: if you renamed this conversation in the stack file, add `renamedFrom: <previous name>` to it; otherwise set `adopt: ifExists` to take it over, or choose another uniqueName",
  50377: "the conversation is closed, and closed is final in Twilio",
  50384: "Twilio does not create conversations in the closed state",
};


const serviceLimitKey = (scope: Scope) => `service:${scope.serviceSid ?? "default"}`;

/** What a conversation create sends, as its recovery needs it. */
interface SentConversation {
  scope: Scope;
  fields: ConversationFields;
}

/**
 * @param journalKey the resource's key in the create journal (stack and resource name), if any
 * @param recovery what the resource declares beyond the conversation's fields: with it, what a
 *   killed run made is taken (recognised by its unique name when Twilio refuses the name, or,
 *   without one, looked for when the journal cannot vouch for the stack)
 */
export async function createConversation(
  transport: Transport,
  scope: Scope,
  fields: ConversationFields,
  webhooks: boolean,
  context: ErrorContext,
  journalKey: string | null = null,
  recovery: ConversationRecovery | null = null,
): Promise<{ conversation: ObservedConversation; recovered: boolean }> {
  const form = conversationForm(fields);
  const { json, recovered } = await createOnce<SentConversation>(transport, {
    key: journalKey,
    twinKey: `conversation ${scope.serviceSid ?? "default"} ${fields.uniqueName !== null ? fields.uniqueName : JSON.stringify(form)}`,
    sent: { scope, fields },
    post: () =>
      send(transport, {
        method: "POST",
        path: conversationsPath(scope.serviceSid),
        form,
        webhooks,
        kind: "create",
        limitKey: serviceLimitKey(scope),
        context,
        answer: CONVERSATION_ANSWER,
        hints: CONVERSATION_HINTS,
        reconcile: (firstSentAt) => findCreatedConversation(transport, scope, fields, firstSentAt, context),
      }) as Promise<TwilioJson>,
    fetch: (sid) => fetchConversationJson(transport, scope, sid, context, true),
    find: (sent, sentAt, excluded) => findCreatedConversation(transport, sent.scope, sent.fields, sentAt, context, excluded),
    ...(recovery && fields.uniqueName !== null ? { onConflict: (error: unknown) => takenByUniqueName(transport, scope, fields, recovery, error, context) } : {}),
    ...(recovery && fields.uniqueName === null && journalKey ? { lookFirst: () => lookForConversation(transport, scope, fields, recovery, stackOfKey(journalKey), context) } : {}),
  });
  return { conversation: observedConversation(json), recovered };
}

/**
 * After Twilio refuses a unique name (409/50353): the conversation holding it, when a killed run
 * of this stack could have made it: no resource of the run holds it, and it holds every declared
 * field. Otherwise null, and the refusal stands with its hint to adopt. Its thread must be a
 * prefix of the declared one: a thread that diverges is refused, never rewritten.
 */
async function takenByUniqueName(
  transport: Transport,
  scope: Scope,
  fields: ConversationFields,
  recovery: ConversationRecovery,
  error: unknown,
  context: ErrorContext,
): Promise<TwilioJson | null> {
  if (!refusedWith(error, [50353]) || fields.uniqueName === null) return null;
  const lookup = { ...context, operation: `${context.operation} (looking at the conversation holding its unique name)` };
  const existing = await fetchConversationJson(transport, scope, fields.uniqueName, lookup, true);
  if (!existing || transport.claims.isClaimed(String(existing.sid))) return null;
  if ((await madeBy(transport, fields, [existing], lookup)).length === 0) return null;
  const held = await heldContent(transport, scope, String(existing.sid), lookup);
  if (!participantsDeclared(held.participants, recovery.participants)) return null;
  const thread = compareThread(held.messages, recovery.thread);
  if ("divergesAt" in thread) throw divergingThread(context, String(existing.sid), thread, held.messages);
  return existing;
}

/** A conversation without a unique name that a killed run made: one the service holds, no resource holds, with every declared field. */
async function lookForConversation(
  transport: Transport,
  scope: Scope,
  fields: ConversationFields,
  recovery: ConversationRecovery,
  stack: string,
  context: ErrorContext,
): Promise<TwilioJson | null> {
  const unheld = (await serviceConversations(transport, scope, stack, context)).filter((json) => !transport.claims.isClaimed(String(json.sid)));
  const candidates = await madeBy(transport, fields, unheld, context);
  return candidates.length === 0 ? null : pickRecovered(transport, scope, candidates, recovery, context);
}

export async function fetchConversation(
  transport: Transport,
  scope: Scope,
  sidOrUniqueName: string,
  context: ErrorContext,
): Promise<ObservedConversation | null> {
  const json = await fetchConversationJson(transport, scope, sidOrUniqueName, context);
  return json ? observedConversation(json) : null;
}

/** @param forCreate whether a create looks for what it may have made (see `TwilioRequest.forCreate`) */
function fetchConversationJson(transport: Transport, scope: Scope, sidOrUniqueName: string, context: ErrorContext, forCreate = false) {
  return send(transport, {
    method: "GET",
    path: conversationPath(scope.serviceSid, sidOrUniqueName),
    kind: "read",
    notFoundIsNull: true,
    context,
    answer: CONVERSATION_ANSWER,
    forCreate,
  });
}

export async function updateConversation(
  transport: Transport,
  scope: Scope,
  sid: string,
  fields: Partial<ConversationFields>,
  webhooks: boolean,
  context: ErrorContext,
): Promise<ObservedConversation> {
  const json = await send(transport, {
    method: "POST",
    path: conversationPath(scope.serviceSid, sid),
    form: conversationForm(fields),
    webhooks,
    kind: "idempotent-write",
    limitKey: `conversation:${sid}`,
    context,
    answer: CONVERSATION_ANSWER,
    hints: CONVERSATION_HINTS,
  });
  return observedConversation(json as TwilioJson);
}

/** Resolves false when the conversation was already gone. */
export async function deleteConversation(
  transport: Transport,
  scope: Scope,
  sid: string,
  webhooks: boolean,
  context: ErrorContext,
): Promise<boolean> {
  const json = await send(transport, {
    method: "DELETE",
    path: conversationPath(scope.serviceSid, sid),
    webhooks,
    kind: "idempotent-write",
    limitKey: serviceLimitKey(scope),
    notFoundIsNull: true,
    context,
  });
  return json !== null;
}

/**
 * After a create whose answer was lost: the conversation it made, if any. Only a conversation
 * created since the request was sent (by the server's clock) counts, so an older one with the same
 * unique name is never taken for it (that is what `adopt` decides), nor one that another resource
 * of this run made or holds, nor one `excluded` names, nor one that differs from what the create sent (`madeByCreate`). By
 * unique name when there is one; otherwise the one conversation created since then with exactly
 * the fields sent, and only when those fields can tell it apart.
 */
async function findCreatedConversation(
  transport: Transport,
  scope: Scope,
  fields: ConversationFields,
  firstSentAt: number,
  context: ErrorContext,
  excluded: ReadonlySet<string> = new Set(),
): Promise<TwilioJson | null> {
  const unclaimed = (json: TwilioJson) => !transport.claims.isClaimed(String(json.sid)) && !excluded.has(String(json.sid));
  if (fields.uniqueName) {
    const existing = await fetchConversationJson(transport, scope, fields.uniqueName, context, true);
    const since = earliestServerTime(transport.serverClock, firstSentAt);
    const found = existing && createdSince(existing, since) && unclaimed(existing) ? [existing] : [];
    return (await madeBy(transport, fields, found, context))[0] ?? null;
  }
  if (fields.friendlyName === null && fields.attributes === null && fields.messagingServiceSid === null) {
    throw new TwilioConversationsError(
      {
        ...context,
        hint: "give the conversation a uniqueName (or a friendlyName or attributes) so it can be found, then run `pulumi refresh` and check for a stray conversation",
      },
      { message: "the answer to the create was lost, and a conversation with no uniqueName, friendlyName or attributes cannot be told apart from others" },
    );
  }
  const conversations = await listRecentConversations(transport, scope, firstSentAt, context);
  const since = earliestServerTime(transport.serverClock, firstSentAt);
  const recent = conversations.filter((json) => createdSince(json, since) && unclaimed(json));
  const candidates = await madeBy(transport, fields, recent, context);
  if (candidates.length > 1) {
    throw new TwilioConversationsError(
      { ...context, hint: "give the conversation a uniqueName so it can be found for sure; delete the extra one by hand" },
      {
        message: `the answer to the create was lost and ${candidates.length} identical conversations were created meanwhile (${candidates.map((json) => json.sid).join(", ")})`,
      },
    );
  }
  return candidates[0] ?? null;
}

async function listRecentConversations(
  transport: Transport,
  scope: Scope,
  firstSentAt: number,
  context: ErrorContext,
): Promise<TwilioJson[]> {
  // A day early, so a clock difference around midnight never hides the conversation.
  const startDate = new Date(firstSentAt - 86_400_000).toISOString().slice(0, 10) + "T00:00:00Z";
  const query = { StartDate: startDate, PageSize: "100" };
  // A page is checked (CONVERSATION_PAGE_ANSWER): anything else fails the create, never reads as "none".
  const request = { method: "GET", path: conversationsPath(scope.serviceSid), query, kind: "read", context, answer: CONVERSATION_PAGE_ANSWER, forCreate: true } as const;
  return sendForAllPages(transport, request, "conversations", 20);
}

/** Every conversation of the service (or the default one), page after page. */
export async function listConversations(transport: Transport, scope: Scope, context: ErrorContext): Promise<TwilioJson[]> {
  const request = { method: "GET", path: conversationsPath(scope.serviceSid), query: { PageSize: "50" }, kind: "read", context, answer: CONVERSATION_PAGE_ANSWER } as const;
  return sendForAllPages(transport, request, "conversations");
}

/**
 * Every conversation of a service, read once per process and stack: what a killed run of the
 * stack made was there before this run began (what this run makes, it claims).
 */
const listed = new WeakMap<object, Map<string, Promise<TwilioJson[]>>>();

export function serviceConversations(transport: Transport, scope: Scope, stack: string, context: ErrorContext): Promise<TwilioJson[]> {
  const byScope = listed.get(transport.claims) ?? new Map<string, Promise<TwilioJson[]>>();
  listed.set(transport.claims, byScope);
  const key = JSON.stringify([stack, scope.serviceSid]);
  let list = byScope.get(key);
  if (!list) {
    list = listConversations(transport, scope, { ...context, operation: `${context.operation} (looking for one a killed run made)` });
    byScope.set(key, list);
    list.catch(() => byScope.delete(key));
  }
  return list;
}

/**
 * The conversations among `found` that a create of `fields` could have made (`madeByCreate`). The
 * account's default messaging service is read only when one of them has a messaging service the
 * create did not send.
 */
async function madeBy(transport: Transport, fields: ConversationFields, found: TwilioJson[], context: ErrorContext): Promise<TwilioJson[]> {
  const observed = found.map((json) => ({ json, conversation: observedConversation(json) }));
  const needsDefault = fields.messagingServiceSid === null && observed.some(({ conversation }) => conversation.messagingServiceSid !== null);
  const accountDefault = needsDefault ? await accountMessagingService(transport, context) : null;
  return observed.filter(({ conversation }) => madeByCreate(conversation, fields, accountDefault)).map(({ json }) => json);
}

/** The account's default messaging service (`/v1/Configuration`), which Twilio gives a conversation created without one. */
async function accountMessagingService(transport: Transport, context: ErrorContext): Promise<string | null> {
  const json = (await send(transport, { method: "GET", path: CONFIGURATION_PATH, kind: "read", context, answer: CONFIGURATION_ANSWER, forCreate: true })) as TwilioJson;
  return typeof json.default_messaging_service_sid === "string" ? json.default_messaging_service_sid : null;
}

/**
 * Whether `found` holds what a create of `fields` makes: every field sent as sent, and every field
 * not sent at Twilio's default for it: no unique or friendly name, attributes `{}`, state `active`,
 * and no messaging service but the account's default one (`accountMessagingService`, null when
 * the account has none). Timers are not compared: Twilio shows dates, and account defaults apply.
 */
export function madeByCreate(found: ObservedConversation, fields: ConversationFields, accountMessagingService: string | null): boolean {
  return holdsWhatWasSent(CONVERSATION_PROPERTIES, found, fields, accountMessagingService);
}
