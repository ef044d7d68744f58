// Every create goes through here: it is journaled before it is sent (see intents.ts), creates that
// a recovery could not tell apart run one at a time, and the SID answered is claimed for this run.
// What a killed run made is taken rather than made again: found through the journal's intent when
// there is one; else, where the journal cannot vouch for the stack, looked for in Twilio before the
// post (`lookFirst`, for objects no natural key protects); else recognised when Twilio refuses the
// post for its natural key (`onConflict`), which costs a run nothing until it happens.
import type { Transport, TwilioJson } from "./http";

export interface CreateCall<Sent> {
  /** The resource's journal key (stack and resource name); null when there is none. */
  key: string | null;
  /** Creates that one recovery could not tell apart share a key, and run one at a time. */
  twinKey: string;
  /** What is sent, as `find` needs it (JSON). */
  sent: Sent;
  /** Sends the create (which looks for its own object after a lost answer). */
  post(): Promise<TwilioJson>;
  fetch(sid: string): Promise<TwilioJson | null>;
  /**
   * The unclaimed object a create of `sent`, sent at local time `sentAt`, made, other than those
   * `excluded` names; null if none.
   */
  find(sent: Sent, sentAt: number, excluded: ReadonlySet<string>): Promise<TwilioJson | null>;
  /**
   * For objects without a natural key: what a killed run made, found in Twilio, when the journal
   * cannot vouch for the stack. Throws when what Twilio holds cannot be told apart.
   */
  lookFirst?(): Promise<TwilioJson | null>;
  /** After the post is refused: the object a killed run made, when the refusal is a clash on its natural key and it is one; else null. */
  onConflict?(error: unknown): Promise<TwilioJson | null>;
}

/** What a create answers: the object, and whether it was found in Twilio as a run before this one had made it. */
export interface Created {
  json: TwilioJson;
  recovered: boolean;
}

export async function createOnce<Sent>(transport: Transport, call: CreateCall<Sent>): Promise<Created> {
  return transport.claims.oneAtATime(call.twinKey, async () => {
    const interrupted = call.key ? transport.intents?.get(call.key) : null;
    const fromJournal = interrupted ? await findInterrupted(transport, call, interrupted) : null;
    const lookInTwilio = !interrupted && call.lookFirst && call.key && transport.intents && !transport.intents.vouchesFor(call.key);
    const made = fromJournal ?? (lookInTwilio ? await call.lookFirst!() : null);
    // Nothing found means the interrupted create was never applied: this one replaces its intent.
    const sentAt = made && interrupted ? interrupted.sentAt : Date.now();
    const sent = made && interrupted ? interrupted.sent : call.sent;
    if (call.key && !made) await transport.intents?.put(call.key, { sentAt, sid: null, sent });
    // Taken through the journal, the object's children and messages are too, each through its own intent.
    const created = made ? { json: made, recovered: fromJournal === null } : await postOrTake(call);
    const sid = String(created.json.sid);
    transport.claims.claim(sid);
    if (call.key) await transport.intents?.put(call.key, { sentAt, sid, sent });
    return created;
  });
}

async function postOrTake<Sent>(call: CreateCall<Sent>): Promise<Created> {
  try {
    return { json: await call.post(), recovered: false };
  } catch (error) {
    const taken = call.onConflict ? await call.onConflict(error) : null;
    if (!taken) throw error;
    return { json: taken, recovered: true };
  }
}

/** Whether an error is Twilio refusing a create with one of these codes (a clash on a natural key). */
export function refusedWith(error: unknown, codes: readonly number[]): boolean {
  const code = (error as { code?: unknown; twilio?: { code?: unknown } } | null)?.code;
  return typeof code === "number" && codes.includes(code);
}

/**
 * What an interrupted create of the same resource made: by SID when its answer had arrived, else
 * by what it sent, once more after the longest time a write can take when nothing is found yet.
 */
async function findInterrupted<Sent>(
  transport: Transport,
  call: CreateCall<Sent>,
  interrupted: { sentAt: number; sid: string | null; sent: unknown },
): Promise<TwilioJson | null> {
  if (interrupted.sid) {
    if (transport.claims.isClaimed(interrupted.sid)) return null;
    return call.fetch(interrupted.sid);
  }
  const sent = interrupted.sent as Sent;
  // What the interrupted creates of other resources are known to have made is theirs, though
  // their resources may not have come to claim it yet (a twin waiting its turn).
  const theirs = call.key ? (transport.intents?.sidsOfOthers(call.key) ?? new Set<string>()) : new Set<string>();
  const found = await call.find(sent, interrupted.sentAt, theirs);
  const wait = interrupted.sentAt + transport.policy.maxWriteMs - Date.now();
  if (found || wait <= 0) return found;
  await transport.sleep(wait);
  return call.find(sent, interrupted.sentAt, theirs);
}
