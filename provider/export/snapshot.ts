// Reading a live account for `export`: thin effects over provider/client's reads (every list paged
// by `meta.next_page_url`, every 429 retried as the client retries it), a few requests at a time.
import { PARTICIPANT_API, WEBHOOK_API, listChildren } from "../client/children";
import { listConversations } from "../client/conversations";
import type { Scope } from "../client/scope";
import { fetchEnvironment, listEnvironment, observedOf, type EnvironmentScope, type Observed } from "../client/environment";
import type { Transport } from "../client/http";
import { listMessages } from "../client/messages";
import {
  observedConversation,
  observedMessage,
  observedParticipant,
  observedWebhook,
  type ObservedConversation,
  type ObservedMessage,
  type ObservedParticipant,
  type ObservedWebhook,
} from "../client/wire";
import { ENVIRONMENT_KINDS, type EnvironmentCollectionSection, type EnvironmentKind, type EnvironmentKindName, type EnvironmentKindOf } from "../domain/environment";
import { TwilioConversationsError } from "../errors";
import { selectedConversation, type ConversationFilter } from "./filters";

/** One conversation as Twilio holds it, with its children (and its thread, when asked). */
export interface ConversationSnapshot {
  conversation: ObservedConversation;
  participants: ObservedParticipant[];
  webhooks: ObservedWebhook[];
  /** Oldest first; null when threads were not asked for. */
  messages: ObservedMessage[] | null;
}

/** The kinds of which there is one object in a place (a service's configuration, the account's webhooks). */
type SingletonKind = { [K in EnvironmentKindName]: EnvironmentKindOf<K>["shape"] extends "singleton" ? K : never }[EnvironmentKindName];

/**
 * Everything `export` writes, as Twilio answered it: the service exported, each singleton under
 * its kind's name, each collection's objects under its section of the stack file (`roles`, …).
 */
export type AccountSnapshot = { service: Observed & { sid: string } } & { [K in SingletonKind]: Observed } & { [Section in EnvironmentCollectionSection]: Observed[] } & {
  /** null when conversations were not asked for. */
  conversations: ConversationSnapshot[] | null;
};

export interface ReadRequest {
  /** The service to export; null for the account's default service. */
  serviceSid: string | null;
  /** null: no conversations. */
  conversations: ConversationFilter | null;
  threads: boolean;
  /** Requests in flight at once (Twilio caps concurrent requests per account, not reads per second). */
  concurrency: number;
}

/** Counts what was read, by kind, as it is read. */
export type Progress = (kind: string, count: number) => void;

const context = (operation: string) => ({ operation });

export async function readAccount(transport: Transport, request: ReadRequest, progress: Progress): Promise<AccountSnapshot> {
  const account: EnvironmentScope = { serviceSid: null };
  const accountConfiguration = await singleton(transport, ENVIRONMENT_KINDS.accountConfiguration, account, progress);
  const serviceSid = request.serviceSid ?? (accountConfiguration.defaultChatServiceSid as string | null);
  if (!serviceSid) {
    throw new TwilioConversationsError(
      { operation: "export", hint: "name the service to export with --service IS…" },
      { message: "the account's Conversations configuration names no default service" },
    );
  }
  const inService: EnvironmentScope = { serviceSid };
  const service = await fetchEnvironment(transport, ENVIRONMENT_KINDS.service, account, serviceSid, context("read service"));
  if (!service) {
    throw new TwilioConversationsError(
      { operation: "export", hint: "check the IS… SID given to --service, and that the credentials are those of the account that holds it" },
      { status: 404, message: `service ${serviceSid} does not exist in this account` },
    );
  }
  progress("service", 1);
  // The singletons, then the collections: each where the registry places it, in the service or the account.
  const others = Object.values(ENVIRONMENT_KINDS).filter((kind) => kind.name !== "service" && kind.name !== "accountConfiguration");
  const scopeOf = (kind: EnvironmentKind) => (kind.placement === "account" ? account : inService);
  const singletons = await Promise.all(
    others.filter((kind) => kind.shape === "singleton").map(async (kind) => [kind.name, await singleton(transport, kind, scopeOf(kind), progress)] as const),
  );
  const collections = await Promise.all(
    others.filter((kind) => kind.shape === "collection").map(async (kind) => [kind.at[0], await collection(transport, kind, scopeOf(kind), progress)] as const),
  );
  const conversations = request.conversations ? await readConversations(transport, { serviceSid }, request, request.conversations, progress) : null;
  return {
    service: { ...service, sid: serviceSid },
    accountConfiguration,
    ...Object.fromEntries(singletons),
    ...Object.fromEntries(collections),
    conversations,
  } as AccountSnapshot;
}

async function singleton(transport: Transport, kind: EnvironmentKind, scope: EnvironmentScope, progress: Progress): Promise<Observed> {
  const held = await fetchEnvironment(transport, kind, scope, undefined, context(`read ${kind.noun}`));
  if (!held) throw new TwilioConversationsError(context("export"), { status: 404, message: `Twilio has no ${kind.noun} for ${scope.serviceSid ?? "the account"}` });
  progress(kind.noun, 1);
  return held;
}

async function collection(transport: Transport, kind: EnvironmentKind, scope: EnvironmentScope, progress: Progress): Promise<Observed[]> {
  const items = await listEnvironment(transport, kind, scope, context(`list ${kind.noun}s`));
  progress(`${kind.noun}s`, items.length);
  return items.map((json) => observedOf(kind.table, json));
}

async function readConversations(
  transport: Transport,
  scope: Scope,
  request: ReadRequest,
  filter: ConversationFilter,
  progress: Progress,
): Promise<ConversationSnapshot[]> {
  const listed = (await listConversations(transport, scope, context("list conversations"))).map(observedConversation);
  const chosen = listed.filter((conversation) => selectedConversation(conversation, filter));
  progress("conversations", chosen.length);
  return inPool(chosen, request.concurrency, async (conversation) => {
    const where = { scope, conversationSid: conversation.sid };
    const [participants, webhooks, messages] = await Promise.all([
      listChildren(transport, PARTICIPANT_API, where, context(`list the participants of ${conversation.sid}`)),
      listChildren(transport, WEBHOOK_API, where, context(`list the scoped webhooks of ${conversation.sid}`)),
      request.threads ? listMessages(transport, scope, conversation.sid, context(`list the messages of ${conversation.sid}`)) : Promise.resolve(null),
    ]);
    progress("participants", participants.length);
    progress("scoped webhooks", webhooks.length);
    if (messages) progress("messages", messages.length);
    return {
      conversation,
      participants: participants.map(observedParticipant),
      webhooks: webhooks.map(observedWebhook),
      messages: messages && messages.map(observedMessage),
    };
  });
}

/** `work` on each item, at most `limit` at a time; the results in the items' order. */
export async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const position = next++;
      results[position] = await work(items[position]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
