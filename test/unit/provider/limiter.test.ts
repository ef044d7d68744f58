import { describe, expect, it, vi } from "vitest";
import { delayBeforeNext, SlidingWindowLimiter, TWILIO_WRITE_LIMIT, type RateLimit } from "../../../provider/client/limiter";

const rate: RateLimit = { limit: 3, windowMs: 1_000 };

describe("delayBeforeNext", () => {
  it.each<[string, number[], number, number]>([
    ["nothing yet", [], 5_000, 0],
    ["under the limit", [4_100, 4_200], 5_000, 0],
    ["full window: wait for the oldest to expire", [4_100, 4_200, 4_300], 5_000, 100],
    ["old entries no longer count", [3_000, 3_999, 4_500, 4_600], 5_000, 0],
    ["an entry exactly one window old has expired", [4_000, 4_500, 4_600], 5_000, 0],
    ["more than the limit recorded: the one that frees a slot", [4_100, 4_200, 4_300, 4_400], 5_000, 200],
    ["all at the same instant", [5_000, 5_000, 5_000], 5_000, 1_000],
  ])("%s", (_name, times, now, expected) => {
    expect(delayBeforeNext(times, now, rate)).toBe(expected);
  });

  it("Twilio's write limit is 30 per second", () => {
    expect(TWILIO_WRITE_LIMIT).toEqual({ limit: 30, windowMs: 1_000 });
  });
});

/** A clock that only moves when the limiter sleeps. */
function fakeTime(start = 10_000) {
  let now = start;
  const sleeps: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    get now() {
      return now;
    },
    sleeps,
  };
}

describe("SlidingWindowLimiter", () => {
  it("lets 30 acquisitions through in one window; the 31st waits until the oldest expires", async () => {
    const time = fakeTime();
    const limiter = new SlidingWindowLimiter(TWILIO_WRITE_LIMIT, time.clock, time.sleep);
    for (let i = 0; i < 30; i++) {
      await limiter.acquire("CH1");
      time.advance(10); // 30 acquisitions over 300 ms
    }
    expect(time.sleeps).toEqual([]);
    expect(time.now).toBe(10_300);
    await limiter.acquire("CH1");
    // the first was at 10_000, so a slot frees at 11_000
    expect(time.sleeps).toEqual([700]);
    expect(time.now).toBe(11_000);
    // the second was at 10_010: the 32nd waits for it
    await limiter.acquire("CH1");
    expect(time.sleeps).toEqual([700, 10]);
  });

  it("keeps separate keys apart", async () => {
    const time = fakeTime();
    const limiter = new SlidingWindowLimiter(rate, time.clock, time.sleep);
    for (let i = 0; i < 3; i++) await limiter.acquire("CH1");
    for (let i = 0; i < 3; i++) await limiter.acquire("CH2");
    expect(time.sleeps).toEqual([]);
    await limiter.acquire("CH2");
    expect(time.sleeps).toEqual([1_000]);
  });

  it("does not wait once the window has passed", async () => {
    const time = fakeTime();
    const limiter = new SlidingWindowLimiter(rate, time.clock, time.sleep);
    for (let i = 0; i < 3; i++) await limiter.acquire("IS1");
    time.advance(1_000);
    for (let i = 0; i < 3; i++) await limiter.acquire("IS1");
    expect(time.sleeps).toEqual([]);
  });

  it("never admits more than the limit in any window, even when callers race", async () => {
    vi.useFakeTimers({ now: 10_000 });
    try {
      const starts: number[] = [];
      const limiter = new SlidingWindowLimiter(
        rate,
        () => Date.now(),
        (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      );
      const all = Promise.all(Array.from({ length: 10 }, () => limiter.acquire("CH1").then(() => starts.push(Date.now()))));
      await vi.runAllTimersAsync();
      await all;
      expect(starts).toEqual([10_000, 10_000, 10_000, 11_000, 11_000, 11_000, 12_000, 12_000, 12_000, 13_000]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("callers racing under one key wait in line: only the first of them sleeps, in the order they came", async () => {
    vi.useFakeTimers({ now: 10_000 });
    try {
      let sleeps = 0;
      const order: number[] = [];
      const limiter = new SlidingWindowLimiter(
        rate,
        () => Date.now(),
        (ms) => {
          sleeps++;
          return new Promise((resolve) => setTimeout(resolve, ms));
        },
      );
      const all = Promise.all(Array.from({ length: 300 }, (_, caller) => limiter.acquire("IS1").then(() => order.push(caller))));
      await vi.runAllTimersAsync();
      await all;
      expect(order).toEqual(Array.from({ length: 300 }, (_, caller) => caller));
      // One sleep per window the line waits for (99 windows after the first), not one per waiting caller per window.
      expect(sleeps).toBe(99);
    } finally {
      vi.useRealTimers();
    }
  });

  it("holds a slot from the time of its answer: a slow answer keeps the next action waiting longer", async () => {
    const time = fakeTime();
    const limiter = new SlidingWindowLimiter(rate, time.clock, time.sleep);
    const answered = await limiter.acquire("CH1"); // sent at 10_000
    await limiter.acquire("CH1");
    await limiter.acquire("CH1");
    time.advance(800);
    answered(); // Twilio may have counted it as late as 10_800
    time.advance(300); // 11_100: the others (10_000) have left the window, the slow one has not
    await limiter.acquire("CH1");
    await limiter.acquire("CH1");
    expect(time.sleeps).toEqual([]);
    await limiter.acquire("CH1");
    expect(time.sleeps).toEqual([700]); // until 11_800, one window after the answer
  });

  it("counts an answer that comes after its start left the window again, from the answer", async () => {
    const time = fakeTime();
    const limiter = new SlidingWindowLimiter(rate, time.clock, time.sleep);
    const answered = await limiter.acquire("CH1");
    time.advance(5_000);
    answered();
    await limiter.acquire("CH1");
    await limiter.acquire("CH1");
    expect(time.sleeps).toEqual([]);
    await limiter.acquire("CH1");
    expect(time.sleeps).toEqual([1_000]);
  });
});
