// Conversation calls, for both path families (a Conversation Service, or the default service).
import { canonicalJson, sameJsonText } from "../domain/json";
import type { ErrorContext } from "../errors";
import { send, type Transport, type TwilioJson } from "./http";
import {
  conversationForm,
  conversationPath,
  conversationsPath,
  observedConversation,
  type ConversationFields,
  type ObservedConversation,
} from "./wire";

const CONVERSATION_HINTS: Record<number, string> = {
  50353: "a conversation with this uniqueName already exists in the service: set `adopt: ifExists` to take it over, or choose another uniqueName",
  50377: "the conversation is closed, and closed is final in Twilio",
  50384: "Twilio does not create conversations in the closed state",
};

export interface Scope {
  /** `IS…`, or null for the account's default service. */
  serviceSid: string | null;
}

const serviceLimitKey = (scope: Scope) => `service:${scope.serviceSid ?? "default"}`;

export async function createConversation(
  transport: Transport,
  scope: Scope,
  fields: ConversationFields,
  webhooks: boolean,
  context: ErrorContext,
): Promise<ObservedConversation> {
  const startedAt = Date.now();
  const json = await send(transport, {
    method: "POST",
    path: conversationsPath(scope.serviceSid),
    form: conversationForm(fields),
    webhooks,
    kind: "create",
    limitKey: serviceLimitKey(scope),
    context,
    hints: CONVERSATION_HINTS,
    reconcile: () => findCreatedConversation(transport, scope, fields, startedAt, context),
  });
  return observedConversation(json as TwilioJson);
}

export async function fetchConversation(
  transport: Transport,
  scope: Scope,
  sidOrUniqueName: string,
  context: ErrorContext,
): Promise<ObservedConversation | null> {
  const json = await send(transport, {
    method: "GET",
    path: conversationPath(scope.serviceSid, sidOrUniqueName),
    kind: "read",
    notFoundIsNull: true,
    context,
  });
  return json ? observedConversation(json) : null;
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
 * After a create whose answer was lost: the conversation it made, if any. By unique name when
 * there is one; otherwise the one conversation created since the request with the same fields.
 */
async function findCreatedConversation(
  transport: Transport,
  scope: Scope,
  fields: ConversationFields,
  startedAt: number,
  context: ErrorContext,
): Promise<TwilioJson | null> {
  if (fields.uniqueName) {
    return send(transport, {
      method: "GET",
      path: conversationPath(scope.serviceSid, fields.uniqueName),
      kind: "read",
      notFoundIsNull: true,
      context,
    });
  }
  const since = startedAt - 2_000;
  const candidates = (await listConversationsCreatedSince(transport, scope, since, context)).filter((json) =>
    sameConversationFields(json, fields),
  );
  if (candidates.length > 1) {
    throw new Error(
      `${context.operation} "${context.resource}": the create's answer was lost and ${candidates.length} identical conversations ` +
        `were created meanwhile (${candidates.map((json) => json.sid).join(", ")}); give the conversation a uniqueName so it can be found for sure`,
    );
  }
  return candidates[0] ?? null;
}

async function listConversationsCreatedSince(
  transport: Transport,
  scope: Scope,
  since: number,
  context: ErrorContext,
): Promise<TwilioJson[]> {
  const startDate = new Date(since).toISOString().slice(0, 10) + "T00:00:00Z";
  const found: TwilioJson[] = [];
  let query: Record<string, string> | undefined = { StartDate: startDate, PageSize: "100" };
  let path = conversationsPath(scope.serviceSid);
  for (let page = 0; query && page < 20; page++) {
    const json = await send(transport, { method: "GET", path, query, kind: "read", context });
    const items = (json?.conversations ?? []) as TwilioJson[];
    found.push(...items.filter((item) => Date.parse(String(item.date_created)) >= Math.floor(since / 1000) * 1000));
    const next = (json?.meta as TwilioJson | undefined)?.next_page_url;
    if (typeof next !== "string") break;
    const url = new URL(next);
    path = url.pathname;
    query = Object.fromEntries(url.searchParams);
  }
  return found;
}

function sameConversationFields(json: TwilioJson, fields: ConversationFields): boolean {
  const attributes = typeof json.attributes === "string" ? json.attributes : "{}";
  return (
    (json.unique_name ?? null) === null &&
    (json.friendly_name ?? null) === (fields.friendlyName ?? (json.friendly_name ?? null)) &&
    (json.messaging_service_sid ?? null) === (fields.messagingServiceSid ?? (json.messaging_service_sid ?? null)) &&
    sameJsonText(attributes, fields.attributes === null ? "{}" : canonicalJson(fields.attributes))
  );
}

