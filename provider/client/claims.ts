// What the resources of this run hold or made, and which of them holds each: a recovery after a
// lost answer never takes one of their objects for its own, and a delete never removes an object
// another declared resource holds. One per provider process (see runtime.ts), which serves every
// resource of the stack.
//
// The engine diffs each declared resource that has state and creates the new ones before it
// deletes the resources a run removes: by then every declared holder of a SID is known. A delete
// of a SID that another declared resource holds (it adopted the conversation, in this run or an
// earlier one, e.g. under the name after a rename; or a message's lost-answer recovery took the
// message of the resource a rename removed) must leave the object in Twilio. The conversation and
// message deletes both ask `heldByAnother`.

export class Claims {
  /** Each claimed SID, with the names of the resources known to hold it. */
  private readonly held = new Map<string, Set<string>>();
  private readonly queues = new Map<string, Promise<unknown>>();

  /** A SID that a resource of this run created, adopted, or holds in state; `holder` names it when known. */
  claim(sid: string, holder?: string): void {
    const holders = this.held.get(sid) ?? new Set<string>();
    if (holder !== undefined) holders.add(holder);
    this.held.set(sid, holders);
  }

  isClaimed(sid: string): boolean {
    return this.held.has(sid);
  }

  /** Whether a resource other than `resourceName` holds `sid`. */
  heldByAnother(sid: string, resourceName: string): boolean {
    return [...(this.held.get(sid) ?? [])].some((holder) => holder !== resourceName);
  }

  /**
   * Runs `work` after every earlier work under the same key has settled. Creates that a recovery
   * could not tell apart run one at a time: when one's answer is lost, the objects its twins made
   * are already claimed, and what remains is its own.
   */
  async oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.queues.get(key) ?? Promise.resolve();
    const mine = before.then(work, work);
    const settled = mine.catch(() => undefined);
    this.queues.set(key, settled);
    try {
      return await mine;
    } finally {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    }
  }
}
