// Finding in Twilio what a killed run made, when no journal says (see create.ts for when each
// look is made). Pure comparisons, table-tested, and the few reads they need.
import { TwilioConversationsError, type ErrorContext } from "../errors";
import { PARTICIPANT_API, listChildren } from "./children";
import type { Scope } from "./scope";
import type { Transport, TwilioJson } from "./http";
import { holdsMessageFields, listMessages } from "./messages";
import type { MessageFields } from "./wire";

/** What a conversation's create declares beyond its own fields, as a recovery compares it. */
export interface ConversationRecovery {
  /** The declared thread in order, each message as its create sends it. */
  thread: MessageFields[];
  /** The declared participants, each as its create sends it. */
  participants: Array<Record<string, unknown>>;
  /**
   * How many conversations of the stack, in this service, declare the same conversation fields
   * (1 for one alone): that many unheld conversations may match, one per twin.
   */
  twins: number;
}

/** How a thread Twilio holds compares with the declared one: a prefix of it, or where it differs. */
export type ThreadComparison = { matches: number } | { divergesAt: number; reason: "extra" | "different" };

/**
 * Whether the messages Twilio holds (oldest first) are the declared thread's first messages, in
 * order, each with every declared field (author, body, media, content, attributes, dates where
 * declared). A killed run posts a thread in order, so what it left is such a prefix, and a message
 * past the declared ones is not its (`beyond: "refused"`); an adopted conversation may hold more
 * than the stack declares, which the stack leaves alone (`beyond: "left alone"`).
 */
export function compareThread(held: readonly TwilioJson[], declared: readonly MessageFields[], beyond: "refused" | "left alone" = "refused"): ThreadComparison {
  for (let position = 0; position < held.length; position++) {
    if (position >= declared.length) return beyond === "refused" ? { divergesAt: position, reason: "extra" } : { matches: declared.length };
    if (!holdsMessageFields(held[position], declared[position])) return { divergesAt: position, reason: "different" };
  }
  return { matches: held.length };
}

/** Whether every participant Twilio holds is one the stack declares (by identity or binding). */
export function participantsDeclared(held: readonly TwilioJson[], declared: ReadonlyArray<Record<string, unknown>>): boolean {
  return held.every((json) => declared.some((fields) => PARTICIPANT_API.made(json, fields, 0)));
}

/** Where a thread Twilio already holds comes from: a conversation adopted, or one a killed run began. */
export type HeldThreadOrigin = "adopted" | "recovered";

const DIVERGING_HINTS: Record<HeldThreadOrigin, string> = {
  adopted:
    "declare the conversation's messages as Twilio holds them, in order (`twilio-conversations-pulumi export --threads` writes them), or leave messages out to not manage its thread",
  recovered:
    "the provider never deletes messages to make a thread match: declare the thread as Twilio holds it, or remove the extra messages by hand (or the conversation, to have it made again), then run `pulumi up` again",
};

/**
 * The error for a thread that is not what the stack declares: never "fixed" by deleting. The
 * declared message is named by its key when known.
 */
export function divergingThread(
  context: ErrorContext,
  conversationSid: string,
  comparison: Extract<ThreadComparison, { divergesAt: number }>,
  held: readonly TwilioJson[],
  origin: HeldThreadOrigin = "recovered",
  declaredKeys: readonly string[] = [],
): TwilioConversationsError {
  const message = held[comparison.divergesAt];
  const key = declaredKeys[comparison.divergesAt];
  const declared = key === undefined ? "the declared one" : `the declared message ${JSON.stringify(key)}`;
  const what =
    comparison.reason === "extra"
      ? `holds ${held.length} messages, more than the ${comparison.divergesAt} declared`
      : `holds, at position ${comparison.divergesAt}, a message by ${JSON.stringify(message.author ?? null)} that is not ${declared} (${String(message.sid)})`;
  const whose = origin === "recovered" ? "which a previous run made" : "adopted";
  return new TwilioConversationsError({ ...context, hint: DIVERGING_HINTS[origin] }, { message: `conversation ${conversationSid}, ${whose}, ${what}` });
}

/** What Twilio holds in a conversation that a recovery compares: its messages and participants. */
export async function heldContent(transport: Transport, scope: Scope, conversationSid: string, context: ErrorContext) {
  const where = { scope, conversationSid };
  const [messages, participants] = await Promise.all([listMessages(transport, scope, conversationSid, context), listChildren(transport, PARTICIPANT_API, where, context, true)]);
  return { messages, participants };
}

/**
 * Among `candidates` (conversations holding the declared fields, no resource of the run holding
 * them), the one a killed run made for this resource: its participants all declared, its thread a
 * prefix of the declared one; the furthest along first, then the oldest. More such conversations
 * than the stack has twins is refused: one of them would be another's.
 */
export async function pickRecovered(
  transport: Transport,
  scope: Scope,
  candidates: readonly TwilioJson[],
  recovery: ConversationRecovery,
  context: ErrorContext,
): Promise<TwilioJson | null> {
  const fitting: Array<{ json: TwilioJson; progress: number }> = [];
  for (const json of candidates) {
    const held = await heldContent(transport, scope, String(json.sid), context);
    const thread = compareThread(held.messages, recovery.thread);
    if ("matches" in thread && participantsDeclared(held.participants, recovery.participants)) fitting.push({ json, progress: thread.matches + held.participants.length });
  }
  if (fitting.length > Math.max(1, recovery.twins)) {
    throw new TwilioConversationsError(
      { ...context, hint: "give the conversation a uniqueName so it can be found for sure, or delete the extra ones by hand, then run `pulumi up` again" },
      {
        message: `${fitting.length} conversations that no resource holds match every declared field (${fitting.map(({ json }) => json.sid).join(", ")}), and the stack declares ${Math.max(1, recovery.twins)} such: which one a killed run made cannot be told`,
      },
    );
  }
  fitting.sort((a, b) => b.progress - a.progress || Date.parse(String(a.json.date_created)) - Date.parse(String(b.json.date_created)));
  return fitting[0]?.json ?? null;
}
