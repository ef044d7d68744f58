// Every create goes through here: it is journaled before it is sent (see intents.ts), creates that
// a recovery could not tell apart run one at a time, and the SID answered is claimed for this run.
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
}

export async function createOnce<Sent>(transport: Transport, call: CreateCall<Sent>): Promise<TwilioJson> {
  return transport.claims.oneAtATime(call.twinKey, async () => {
    const interrupted = call.key ? transport.intents?.get(call.key) : null;
    const made = interrupted ? await findInterrupted(transport, call, interrupted) : null;
    // Nothing found means the interrupted create was never applied: this one replaces its intent.
    const sentAt = made && interrupted ? interrupted.sentAt : Date.now();
    const sent = made && interrupted ? interrupted.sent : call.sent;
    if (call.key && !made) await transport.intents?.put(call.key, { sentAt, sid: null, sent });
    const json = made ?? (await call.post());
    const sid = String(json.sid);
    transport.claims.claim(sid);
    if (call.key) await transport.intents?.put(call.key, { sentAt, sid, sent });
    return json;
  });
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
