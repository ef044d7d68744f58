// The seed thread's requests: thin effects around the pure steps of diff/thread.ts.
import type { Scope } from "../client/scope";
import type { Transport } from "../client/http";
import { createMessage, deleteMessage, holdsMessageFields, listMessages, updateMessage } from "../client/messages";
import { compareThread, divergingThread, type HeldThreadOrigin } from "../client/recovery";
import { observedMessage } from "../client/wire";
import { threadSteps } from "../diff/thread";
import {
  messageFields,
  messageUpdateFields,
  recordedMessage,
  refreshedMessage,
  threadOrder,
  type DeclaredThread,
  type RecordedThread,
} from "./thread-model";

/** Where a thread lives and who writes it. */
export interface ThreadTarget {
  transport: Transport;
  scope: Scope;
  conversationSid: string;
  webhooks: boolean;
  /** The Conversation resource's name: it holds every message of the thread. */
  resourceName: string;
  /** The resource's create-journal key; each message's is this and its key. */
  journalKey: string | null;
}

/** A thread write failed part way: `thread` is what Twilio holds now, to be recorded. */
export class ThreadUnfinished extends Error {
  constructor(
    readonly thread: RecordedThread,
    readonly created: number,
    readonly failure: unknown,
  ) {
    super(failure instanceof Error ? failure.message : String(failure));
  }
}

/** The journal key of one message of a thread. */
export function messageJournalKey(journalKey: string | null, key: string): string | null {
  return journalKey === null ? null : `${journalKey}#${key}`;
}

/**
 * Turns the recorded thread into the declared one (see `threadSteps`): deletes first, then each
 * message in order. Returns the thread as Twilio now holds it and how many messages were created
 * (a new message makes an inactive conversation active). On a failure, throws `ThreadUnfinished`.
 */
export async function writeThread(
  target: ThreadTarget,
  recorded: RecordedThread,
  declared: DeclaredThread,
): Promise<{ thread: RecordedThread; created: number }> {
  const { transport, scope, conversationSid, webhooks, resourceName } = target;
  const steps = new Map(threadSteps(recorded, declared).map((step) => [step.key, step]));
  const thread: RecordedThread = { ...recorded };
  let created = 0;
  const messageContext = (operation: string, key: string) => ({ operation, resource: `${resourceName}/${key}` });
  try {
    for (const [key, step] of steps) {
      if (step.action !== "delete" && step.action !== "replace") continue;
      const held = recorded[key];
      // Gone already (deleted outside Twilio's answer to us, or by a run that was cut short): nothing to do.
      await deleteMessage(transport, scope, conversationSid, held.sid, webhooks, messageContext("delete message", key));
      delete thread[key];
    }
    let afterIndex: number | null = null;
    for (const key of threadOrder(declared)) {
      const step = steps.get(key);
      const wanted = declared[key];
      if (step?.action === "create" || step?.action === "replace") {
        const context = messageContext("create message", key);
        const observed = await createMessage(transport, scope, conversationSid, messageFields(wanted), afterIndex, webhooks, context, messageJournalKey(target.journalKey, key));
        transport.claims.claim(observed.sid, resourceName);
        thread[key] = recordedMessage(wanted, observed);
        created++;
      } else if (step?.action === "update") {
        const held = thread[key];
        const observed = await updateMessage(transport, scope, conversationSid, held.sid, messageUpdateFields(wanted, step.changed), webhooks, messageContext("update message", key));
        thread[key] = recordedMessage(wanted, observed);
      } else {
        // Kept as it is; only its link to the message before it may have changed (one was removed).
        thread[key] = { ...thread[key], declared: withLink(thread[key].declared, wanted.after) };
      }
      afterIndex = thread[key].index;
    }
  } catch (error) {
    throw new ThreadUnfinished(thread, created, error);
  }
  return { thread, created };
}

function withLink<T extends { after?: string }>(declared: T, after: string | undefined): T {
  const { after: _previous, ...rest } = declared;
  return (after === undefined ? rest : { after, ...rest }) as T;
}

/**
 * State written when each message was its own resource records no thread. The messages those
 * resources made are taken over, in order, where Twilio holds exactly what is declared; the rest
 * are created. Claimed for this resource, they are left in Twilio when the engine deletes the
 * message resources the program no longer declares (see claims.ts).
 */
export async function takeOverThread(target: ThreadTarget, declared: DeclaredThread): Promise<RecordedThread> {
  const { transport, scope, conversationSid, resourceName } = target;
  const held = await listMessages(transport, scope, conversationSid, { operation: "look up the messages to take over", resource: resourceName });
  const thread: RecordedThread = {};
  let from = 0;
  for (const key of threadOrder(declared)) {
    const fields = messageFields(declared[key]);
    // Held by another declared resource, it is that one's; a SID claimed without a holder (as the
    // runtime claims whatever a method is given, e.g. a refresh of the old message resources) is not.
    const at = held.findIndex((json, position) => position >= from && !transport.claims.heldByAnother(String(json.sid), resourceName) && holdsMessageFields(json, fields));
    if (at < 0) break;
    const observed = observedMessage(held[at]);
    transport.claims.claim(observed.sid, resourceName);
    thread[key] = recordedMessage(declared[key], observed);
    from = at + 1;
  }
  return thread;
}

/**
 * A thread Twilio already holds, taken over instead of posted again: an adopted conversation's, or
 * the one a killed run began in a conversation this create took back from it. Twilio's messages
 * (but those another declared resource holds) must be the declared thread's first messages, in
 * order, each with every declared field; they are recorded, and `writeThread` posts the rest. A
 * thread that diverges is refused, never rewritten. An adopted conversation may hold messages past
 * the declared ones, which the stack leaves alone; a killed run posts only declared ones.
 */
export async function takeOverHeldThread(target: ThreadTarget, declared: DeclaredThread, origin: HeldThreadOrigin): Promise<RecordedThread> {
  const { transport, scope, conversationSid, resourceName } = target;
  const operation = origin === "adopted" ? "take over the adopted conversation's thread" : "take over the thread a previous run began";
  const context = { operation, resource: resourceName };
  const listed = await listMessages(transport, scope, conversationSid, context);
  // A message another declared resource holds (a conversation renamed from this one) is its.
  const held = listed.filter((json) => !transport.claims.heldByAnother(String(json.sid), resourceName));
  const order = threadOrder(declared);
  const comparison = compareThread(held, order.map((key) => messageFields(declared[key])), origin === "adopted" ? "left alone" : "refused");
  if ("divergesAt" in comparison) throw divergingThread(context, conversationSid, comparison, held, origin, order);
  const thread: RecordedThread = {};
  held.slice(0, comparison.matches).forEach((json, position) => {
    const observed = observedMessage(json);
    transport.claims.claim(observed.sid, resourceName);
    thread[order[position]] = recordedMessage(declared[order[position]], observed);
  });
  return thread;
}

/**
 * The messages this resource seeded in a conversation another declared resource holds (it adopted
 * it, e.g. under the name after a rename): the conversation stays, but these messages are this
 * resource's to delete, except those the other holds too (it took them over).
 */
export async function deleteThread(target: ThreadTarget, recorded: RecordedThread): Promise<void> {
  const { transport, scope, conversationSid, webhooks, resourceName } = target;
  for (const [key, message] of Object.entries(recorded)) {
    if (transport.claims.heldByAnother(message.sid, resourceName)) continue;
    // Gone already: nothing to do.
    await deleteMessage(transport, scope, conversationSid, message.sid, webhooks, { operation: "delete message", resource: `${resourceName}/${key}` });
  }
}

/** The thread as Twilio holds it now; messages deleted outside are left out, their followers relinked. */
export async function readThread(target: ThreadTarget, recorded: RecordedThread): Promise<RecordedThread> {
  if (Object.keys(recorded).length === 0) return {};
  const { transport, scope, conversationSid, resourceName } = target;
  const held = await listMessages(transport, scope, conversationSid, { operation: "read messages", resource: resourceName });
  const bySid = new Map(held.map((json) => [String(json.sid), json]));
  const thread: RecordedThread = {};
  const gone = new Map<string, string | undefined>();
  for (const [key, message] of Object.entries(recorded)) {
    const json = bySid.get(message.sid);
    if (json) thread[key] = refreshedMessage(message, observedMessage(json));
    else gone.set(key, message.declared.after);
  }
  const relinked = (after: string | undefined): string | undefined => (after !== undefined && gone.has(after) ? relinked(gone.get(after)) : after);
  for (const message of Object.values(thread)) message.declared = withLink(message.declared, relinked(message.declared.after));
  return thread;
}
