// A conversation's seed thread, held by its Conversation resource: one engine step per
// conversation however many messages it seeds, so `up` costs grow with the conversations, not the
// messages. Declared messages are keyed, each naming the key of the one before it (`after`), so an
// insertion shows in a plan as one new message and one changed link, never as a shifted list.
import type { MessageFields, ObservedMessage } from "../client/wire";
import { withoutUndeclared } from "../domain/declared";
import { MESSAGE_PROPERTIES, changedBy, declarable, type Declarable, type MessageTable, type ValueOf } from "../domain/properties";

/** What the stack declares for one message of a thread (as stored: only what is declared). */
export type DeclaredMessage = {
  -readonly [K in keyof MessageTable as K extends Declarable<MessageTable> ? K : never]?: ValueOf<MessageTable[K]>;
} & {
  /** The key of the message it follows; absent for the first. */
  after?: string;
};
export type DeclaredThread = Record<string, DeclaredMessage>;

/** A message of the thread as the last create, update or refresh left it. */
export interface RecordedMessage {
  sid: string;
  index: number | null;
  /** The declared fields, as Twilio holds them (as declared for those Twilio never shows). */
  declared: DeclaredMessage;
  dateCreated: string | null;
  dateUpdated: string | null;
}
export type RecordedThread = Record<string, RecordedMessage>;

/** Fields Twilio edits in place. */
export const UPDATABLE_MESSAGE_FIELDS = changedBy(MESSAGE_PROPERTIES, "update");
/** Fields Twilio takes only when a message is created: a change re-creates the message. */
export const CREATE_ONLY_MESSAGE_FIELDS = changedBy(MESSAGE_PROPERTIES, "create-only");
/** Fields a message declares: the table's, and nothing else. */
export const DECLARED_MESSAGE_FIELDS = declarable(MESSAGE_PROPERTIES);

/**
 * Whether the thread has a message keyed `key`. Keys are the stack file's (`constructor` is a
 * valid one): never found among the members every object has.
 */
export function inThread(thread: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(thread, key);
}

/** The keys in thread order: the first message, then each one whose `after` names the one before. */
export function threadOrder(thread: DeclaredThread): string[] {
  const following = new Map<string | undefined, string>();
  for (const [key, message] of Object.entries(thread)) following.set(message.after, key);
  const order: string[] = [];
  const seen = new Set<string>();
  for (let key = following.get(undefined); key !== undefined && !seen.has(key); key = following.get(key)) {
    order.push(key);
    seen.add(key);
  }
  return order;
}

/** Why the `after` links do not make one thread, or null when they do. */
export function threadOrderProblem(thread: DeclaredThread): string | null {
  const keys = Object.keys(thread);
  const firsts = keys.filter((key) => thread[key].after === undefined);
  if (keys.length > 0 && firsts.length !== 1) return `exactly one message must have no "after" (the first); found ${firsts.length}`;
  for (const key of keys) {
    const after = thread[key].after;
    if (after !== undefined && !inThread(thread, after)) return `message ${JSON.stringify(key)} follows ${JSON.stringify(after)}, which is not in the thread`;
    const twin = keys.find((other) => other !== key && after !== undefined && thread[other].after === after);
    if (twin) return `messages ${JSON.stringify(key)} and ${JSON.stringify(twin)} both follow ${JSON.stringify(after)}`;
  }
  if (threadOrder(thread).length !== keys.length) return "the \"after\" links form a loop";
  return null;
}

/** A thread from messages in order, each keyed; the form the stack program stores. */
export function declaredThread(messages: ReadonlyArray<{ key: string } & Omit<DeclaredMessage, "after">>): DeclaredThread {
  const thread: DeclaredThread = {};
  messages.forEach(({ key, ...fields }, position) => {
    thread[key] = withoutUndeclared({ ...(position > 0 ? { after: messages[position - 1].key } : {}), ...fields }) as DeclaredMessage;
  });
  return thread;
}

/** A message's declared fields, absent (a seed message) or null (a `Message` resource) when not declared. */
export type MessageFieldValues = { [F in (typeof DECLARED_MESSAGE_FIELDS)[number]]?: DeclaredMessage[F] | null };

/** What a create sends: every declared field, null for those not declared. */
export function messageFields(declared: MessageFieldValues): MessageFields {
  return Object.fromEntries(DECLARED_MESSAGE_FIELDS.map((field) => [field, declared[field] ?? null])) as unknown as MessageFields;
}

/**
 * Only the changed fields are sent on update, except that a declared `dateUpdated` is always sent
 * again: otherwise Twilio stamps the edit with the current time.
 */
export function messageUpdateFields(declared: MessageFieldValues, changed: readonly string[]): Partial<MessageFields> {
  const all = messageFields(declared) as unknown as Record<string, unknown>;
  const sent = new Set(changed);
  if (declared.dateUpdated !== undefined && declared.dateUpdated !== null) sent.add("dateUpdated");
  return Object.fromEntries([...sent].map((field) => [field, all[field]])) as Partial<MessageFields>;
}

/** The record of a message Twilio answered for: the declared fields Twilio shows take its values. */
export function recordedMessage(declared: DeclaredMessage, observed: ObservedMessage): RecordedMessage {
  return {
    sid: observed.sid,
    index: observed.index,
    declared: heldDeclared(declared, observed),
    dateCreated: observed.dateCreated,
    dateUpdated: observed.dateUpdated,
  };
}

/** After a refresh: what Twilio holds now, for the fields the stack declares. */
export function refreshedMessage(recorded: RecordedMessage, observed: ObservedMessage): RecordedMessage {
  return recordedMessage(recorded.declared, observed);
}

/**
 * Fields Twilio shows and edits in place follow what it holds. Create-only fields cannot drift in
 * place: they are kept as declared.
 */
export const FOLLOWED_MESSAGE_FIELDS = UPDATABLE_MESSAGE_FIELDS.filter((field) => MESSAGE_PROPERTIES[field].answer !== null);

function heldDeclared(declared: DeclaredMessage, observed: ObservedMessage): DeclaredMessage {
  const held: Record<string, unknown> = { ...declared };
  for (const field of FOLLOWED_MESSAGE_FIELDS) {
    if (!(field in declared)) continue;
    const value = observed[field as keyof ObservedMessage];
    if (value === null || value === undefined) delete held[field];
    else held[field] = value;
  }
  return held as DeclaredMessage;
}

/** The thread as refresh records it in the inputs: each message's declared fields, as Twilio holds them. */
export function refreshedThreadInputs(recorded: RecordedThread): DeclaredThread {
  return Object.fromEntries(Object.entries(recorded).map(([key, message]) => [key, message.declared]));
}
