// Participant and conversation-scoped webhook calls, for both path families: one set of calls,
// each kind saying its collection, its answers and how a lost create's answer is found.
import type { ErrorContext } from "../errors";
import { PARTICIPANT_PROPERTIES, WEBHOOK_PROPERTIES } from "../domain/properties";
import { participantNaturalKey } from "../domain/rules";
import { createdSince, type Scope } from "./scope";
import { createOnce, refusedWith } from "./create";
import { earliestServerTime, send, sendForAllPages, type AnswerShape, type Transport, type TwilioJson } from "./http";
import {
  PARTICIPANT_ANSWER,
  PARTICIPANT_PAGE_ANSWER,
  WEBHOOK_ANSWER,
  WEBHOOK_PAGE_ANSWER,
  childPath,
  childrenPath,
  holdsNaturalKey,
  holdsWhatWasSent,
  observedParticipant,
  observedWebhook,
  participantCreateForm,
  participantForm,
  webhookForm,
  type Form,
} from "./wire";

/** One kind of a conversation's children, as the wire knows it. */
export interface ChildApi {
  collection: "Participants" | "Webhooks";
  /** The list's key in a page. */
  items: "participants" | "webhooks";
  answer: AnswerShape;
  page: AnswerShape;
  /** The spec's largest page. */
  pageSize: number;
  createForm(fields: Record<string, unknown>): Form;
  updateForm(fields: Record<string, unknown>): Form;
  observed(json: TwilioJson): { sid: string } & Record<string, unknown>;
  /** Creates one recovery could not tell apart: they share the key, and run one at a time. */
  twinKey(conversationSid: string, fields: Record<string, unknown>, form: Form): string;
  /** Whether a child Twilio holds, created since `since` (server time), is what a create of `fields` made. */
  made(json: TwilioJson, fields: Record<string, unknown>, since: number): boolean;
  /** Twilio's codes for a create refused because the conversation holds its natural key already. */
  clashCodes: readonly number[];
  /** Whether a child Twilio holds has every declared field of `fields`. */
  holdsAll(json: TwilioJson, fields: Record<string, unknown>): boolean;
  /** Participant writes count in the conversation's per-second window; webhook writes in none. */
  limited: boolean;
  /** Whether its writes take X-Twilio-Webhook-Enabled (the spec's webhook operations define no such header). */
  webhookHeader: boolean;
  hints: Record<number, string>;
}

export const PARTICIPANT_API: ChildApi = {
  collection: "Participants",
  items: "participants",
  answer: PARTICIPANT_ANSWER,
  page: PARTICIPANT_PAGE_ANSWER,
  pageSize: 100,
  createForm: (fields) => participantCreateForm(fields as never),
  updateForm: (fields) => participantForm(fields),
  observed: (json) => observedParticipant(json) as unknown as { sid: string } & Record<string, unknown>,
  twinKey: (conversationSid, fields) => `participant ${conversationSid} ${participantNaturalKey(fields)}`,
  // Twilio holds one participant per identity and per binding: whatever holds the key is the one made.
  made: (json, fields) => holdsNaturalKey(PARTICIPANT_PROPERTIES, observedParticipant(json), fields),
  clashCodes: [50433, 50437],
  holdsAll: (json, fields) => holdsWhatWasSent(PARTICIPANT_PROPERTIES, observedParticipant(json), fields),
  limited: true,
  webhookHeader: true,
  hints: {
    50377: "the conversation is closed, and a closed conversation takes no participant changes",
    50433: "a participant with this identity is already in the conversation: declare it once, or remove the one added outside the stack",
    50416: "this address and proxy address are already bound in another conversation that is not closed: close or delete that conversation, or use another proxy address",
  },
};

export const WEBHOOK_API: ChildApi = {
  collection: "Webhooks",
  items: "webhooks",
  answer: WEBHOOK_ANSWER,
  page: WEBHOOK_PAGE_ANSWER,
  pageSize: 5,
  createForm: (fields) => webhookForm(fields),
  updateForm: (fields) => webhookForm(fields),
  observed: (json) => observedWebhook(json) as unknown as { sid: string } & Record<string, unknown>,
  twinKey: (conversationSid, _fields, form) => `webhook ${conversationSid} ${JSON.stringify(form)}`,
  made: (json, fields, since) => createdSince(json, since) && holdsWhatWasSent(WEBHOOK_PROPERTIES, observedWebhook(json), fields),
  clashCodes: [],
  holdsAll: (json, fields) => holdsWhatWasSent(WEBHOOK_PROPERTIES, observedWebhook(json), fields),
  limited: false,
  webhookHeader: false,
  hints: { 50361: "a conversation takes at most 5 scoped webhooks: remove one" },
};

/** Where the children live and how their writes are sent. */
export interface ChildScope {
  scope: Scope;
  conversationSid: string;
  webhooks: boolean;
}

const webhookHeader = (api: ChildApi, where: ChildScope) => (api.webhookHeader ? where.webhooks : undefined);
const limitKey = (api: ChildApi, conversationSid: string) => (api.limited ? `conversation:${conversationSid}` : undefined);

interface SentChild {
  fields: Record<string, unknown>;
}

/** @param journalKey the child's key in the create journal (its conversation's key, then its own), if any */
export async function createChild(
  transport: Transport,
  api: ChildApi,
  where: ChildScope,
  fields: Record<string, unknown>,
  context: ErrorContext,
  journalKey: string | null,
): Promise<TwilioJson> {
  const form = api.createForm(fields);
  const { json } = await createOnce<SentChild>(transport, {
    key: journalKey,
    twinKey: api.twinKey(where.conversationSid, fields, form),
    sent: { fields },
    post: () =>
      send(transport, {
        method: "POST",
        path: childrenPath(where.scope.serviceSid, where.conversationSid, api.collection),
        form,
        webhooks: webhookHeader(api, where),
        kind: "create",
        limitKey: limitKey(api, where.conversationSid),
        context,
        answer: api.answer,
        hints: api.hints,
        reconcile: (firstSentAt) => findCreatedChild(transport, api, where, fields, firstSentAt, context),
      }) as Promise<TwilioJson>,
    fetch: (sid) =>
      send(transport, {
        method: "GET",
        path: childPath(where.scope.serviceSid, where.conversationSid, api.collection, sid),
        kind: "read",
        notFoundIsNull: true,
        context,
        answer: api.answer,
        forCreate: true,
      }),
    find: (sent, sentAt, excluded) => findCreatedChild(transport, api, where, sent.fields, sentAt, context, excluded),
    ...(api.clashCodes.length > 0 ? { onConflict: (error: unknown) => takenByNaturalKey(transport, api, where, fields, error, context) } : {}),
  });
  return json;
}

/**
 * After Twilio refuses a child for its natural key (a participant's identity or binding, already
 * in the conversation): the one holding it, when a killed run could have made it: no resource of
 * the run holds it, and it holds every declared field. Otherwise null: the refusal stands.
 */
async function takenByNaturalKey(
  transport: Transport,
  api: ChildApi,
  where: ChildScope,
  fields: Record<string, unknown>,
  error: unknown,
  context: ErrorContext,
): Promise<TwilioJson | null> {
  if (!refusedWith(error, api.clashCodes)) return null;
  const held = await listChildren(transport, api, where, { ...context, operation: `${context.operation} (looking at the one holding its identity)` }, true);
  const holder = held.find((json) => api.made(json, fields, 0));
  if (!holder || transport.claims.isClaimed(String(holder.sid))) return null;
  return api.holdsAll(holder, fields) ? holder : null;
}

export async function updateChild(
  transport: Transport,
  api: ChildApi,
  where: ChildScope,
  sid: string,
  fields: Record<string, unknown>,
  context: ErrorContext,
): Promise<TwilioJson> {
  return (await send(transport, {
    method: "POST",
    path: childPath(where.scope.serviceSid, where.conversationSid, api.collection, sid),
    form: api.updateForm(fields),
    webhooks: webhookHeader(api, where),
    kind: "idempotent-write",
    limitKey: limitKey(api, where.conversationSid),
    context,
    hints: api.hints,
    answer: api.answer,
  })) as TwilioJson;
}

/** False when it was gone already. */
export async function deleteChild(transport: Transport, api: ChildApi, where: ChildScope, sid: string, context: ErrorContext): Promise<boolean> {
  const json = await send(transport, {
    method: "DELETE",
    path: childPath(where.scope.serviceSid, where.conversationSid, api.collection, sid),
    webhooks: webhookHeader(api, where),
    kind: "idempotent-write",
    limitKey: limitKey(api, where.conversationSid),
    notFoundIsNull: true,
    context,
  });
  return json !== null;
}

/** Every child of the kind Twilio holds in the conversation (all pages). */
export function listChildren(transport: Transport, api: ChildApi, where: Pick<ChildScope, "scope" | "conversationSid">, context: ErrorContext, forCreate = false): Promise<TwilioJson[]> {
  const path = childrenPath(where.scope.serviceSid, where.conversationSid, api.collection);
  return sendForAllPages(transport, { method: "GET", path, query: { PageSize: String(api.pageSize) }, kind: "read", context, answer: api.page, forCreate }, api.items);
}

/** After a create whose answer was lost: the unclaimed child the create made, if any. */
async function findCreatedChild(
  transport: Transport,
  api: ChildApi,
  where: ChildScope,
  fields: Record<string, unknown>,
  firstSentAt: number,
  context: ErrorContext,
  excluded: ReadonlySet<string> = new Set(),
): Promise<TwilioJson | null> {
  const held = await listChildren(transport, api, where, context, true);
  const since = earliestServerTime(transport.serverClock, firstSentAt);
  return held.find((json) => !transport.claims.isClaimed(String(json.sid)) && !excluded.has(String(json.sid)) && api.made(json, fields, since)) ?? null;
}
