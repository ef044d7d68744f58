// Client-side pacing for Twilio's write limits (30 actions per second per conversation, and per
// service for conversation create/delete), so a large `pulumi up` is paced instead of throttled.

export interface RateLimit {
  limit: number;
  windowMs: number;
}

export const TWILIO_WRITE_LIMIT: RateLimit = { limit: 30, windowMs: 1000 };

/** Pure: how long to wait before one more action fits in the window, given earlier start times. */
export function delayBeforeNext(startTimes: readonly number[], now: number, rate: RateLimit): number {
  const recent = startTimes.filter((time) => time > now - rate.windowMs);
  if (recent.length < rate.limit) return 0;
  const oldestThatMustExpire = recent[recent.length - rate.limit];
  return oldestThatMustExpire + rate.windowMs - now;
}

export class SlidingWindowLimiter {
  private readonly startTimes = new Map<string, number[]>();
  /** The last caller waiting under each key: the next one waits for it. */
  private readonly lines = new Map<string, Promise<void>>();

  constructor(
    private readonly rate: RateLimit = TWILIO_WRITE_LIMIT,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /**
   * Resolves when one more action under `key` keeps within the limit, and records it. Call the
   * returned function when the action's answer arrives: Twilio counts the action when it reaches
   * it, which can be any time until then, so the slot is held from that later time.
   */
  async acquire(key: string): Promise<() => void> {
    // Callers under one key wait in line, only the first of them on the clock: 2,000 conversation
    // creates under one service all woke at every free slot, and all but one slept again (60,000
    // timers a second, which the provider's memory and CPU paid for).
    const ahead = this.lines.get(key);
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    this.lines.set(key, mine);
    try {
      await ahead;
      return await this.slot(key);
    } finally {
      done();
      if (this.lines.get(key) === mine) this.lines.delete(key);
    }
  }

  /** Waits until one more action under `key` fits, and records it. */
  private async slot(key: string): Promise<() => void> {
    for (;;) {
      const now = this.clock();
      const times = (this.startTimes.get(key) ?? []).filter((time) => time > now - this.rate.windowMs);
      const wait = delayBeforeNext(times, now, this.rate);
      if (wait <= 0) {
        times.push(now);
        this.startTimes.set(key, times);
        return () => this.restamp(key, now);
      }
      this.startTimes.set(key, times);
      await this.sleep(wait);
    }
  }

  /** Moves one recorded start to the time of its answer, keeping the list in order. */
  private restamp(key: string, startedAt: number): void {
    // A start already out of the window (a slow answer) is counted again from now.
    const times = this.startTimes.get(key) ?? [];
    const position = times.indexOf(startedAt);
    if (position >= 0) times.splice(position, 1);
    times.push(this.clock());
    times.sort((a, b) => a - b);
    this.startTimes.set(key, times);
  }
}
