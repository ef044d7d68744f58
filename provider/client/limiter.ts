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
