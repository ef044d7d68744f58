// What the resources of this run hold or made, so that a recovery after a lost answer never takes
// one of their objects for its own. One per provider process (see runtime.ts), which serves every
// resource of the stack.

export class Claims {
  private readonly held = new Set<string>();
  private readonly queues = new Map<string, Promise<unknown>>();

  /** A SID that a resource of this run created, adopted, or holds in state. */
  claim(sid: string): void {
    this.held.add(sid);
  }

  isClaimed(sid: string): boolean {
    return this.held.has(sid);
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
