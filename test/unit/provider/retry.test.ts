import { describe, expect, it } from "vitest";
import { ExchangeTimeout } from "../../../provider/client/exchange";
import {
  DEFAULT_RETRY_POLICY,
  decideRetry,
  fullJitter,
  neverSent,
  parseRetryAfter,
  retryLine,
  type Outcome,
  type RequestKind,
  type RetryPolicy,
} from "../../../provider/client/retry";

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 30_000, maxWriteMs: 10_000 };
const status = (code: number, retryAfterSeconds?: number): Outcome =>
  retryAfterSeconds === undefined ? { kind: "response", status: code } : { kind: "response", status: code, retryAfterSeconds };
const networkError: Outcome = { kind: "network-error" };

describe("decideRetry", () => {
  it.each<[string, RequestKind, Outcome, number, ReturnType<typeof decideRetry>]>([
    // 429: Twilio never processed it, so every kind is simply retried, honouring Retry-After.
    ["429 read, no Retry-After: jittered backoff", "read", status(429), 1, { action: "retry", delayMs: 50, reason: "HTTP 429" }],
    ["429 create is retried, not reconciled", "create", status(429), 1, { action: "retry", delayMs: 50, reason: "HTTP 429" }],
    ["429 with Retry-After 0.3s", "idempotent-write", status(429, 0.3), 1, { action: "retry", delayMs: 300, reason: "HTTP 429" }],
    ["429 Retry-After is honoured beyond the backoff ceiling", "read", status(429, 20), 1, { action: "retry", delayMs: 20_000, reason: "HTTP 429" }],
    ["429 Retry-After is capped at maxRetryAfterMs", "read", status(429, 600), 1, { action: "retry", delayMs: 30_000, reason: "HTTP 429" }],
    ["429 Retry-After 0 retries at once", "create", status(429, 0), 2, { action: "retry", delayMs: 0, reason: "HTTP 429" }],
    // 5xx and connection failures.
    ["500 read", "read", status(500), 1, { action: "retry", delayMs: 50, reason: "HTTP 500" }],
    ["502 idempotent write", "idempotent-write", status(502), 2, { action: "retry", delayMs: 100, reason: "HTTP 502" }],
    ["503 with Retry-After honoured", "read", status(503, 0.2), 1, { action: "retry", delayMs: 200, reason: "HTTP 503" }],
    ["504 read", "read", status(504), 3, { action: "retry", delayMs: 200, reason: "HTTP 504" }],
    ["connection failure on a read", "read", networkError, 1, { action: "retry", delayMs: 50, reason: "connection failed" }],
    ["500 create may have happened", "create", status(500), 1, { action: "reconcile-then-retry", delayMs: 50, reason: "HTTP 500" }],
    ["503 create with Retry-After", "create", status(503, 0.4), 1, { action: "reconcile-then-retry", delayMs: 400, reason: "HTTP 503" }],
    ["connection failure on a create", "create", networkError, 1, { action: "reconcile-then-retry", delayMs: 50, reason: "connection failed" }],
    ["a create that never reached Twilio is simply sent again", "create", { kind: "network-error", neverSent: true }, 1, { action: "retry", delayMs: 50, reason: "could not connect" }],
    // Never retried.
    ["400 is the caller's fault", "read", status(400), 1, { action: "fail" }],
    ["401 bad credentials", "idempotent-write", status(401), 1, { action: "fail" }],
    ["404 not found", "read", status(404), 1, { action: "fail" }],
    ["409 duplicate unique name", "create", status(409), 1, { action: "fail" }],
    ["501 not implemented is not transient", "read", status(501), 1, { action: "fail" }],
    // Giving up.
    ["429 at maxAttempts", "read", status(429), 5, { action: "fail" }],
    ["500 at maxAttempts", "read", status(500), 5, { action: "fail" }],
    ["connection failure on a read past maxAttempts", "read", networkError, 6, { action: "fail" }],
    ["a create refused past maxAttempts was not applied", "create", status(400), 5, { action: "fail" }],
    ["a create throttled at maxAttempts was not applied", "create", status(429), 5, { action: "fail" }],
    ["a create that never connected at maxAttempts", "create", { kind: "network-error", neverSent: true }, 5, { action: "fail" }],
    // The last attempt of a create may have been applied: look once more before failing.
    ["connection failure on the last attempt of a create", "create", networkError, 5, { action: "reconcile-then-fail", delayMs: 500, reason: "no attempt left" }],
    ["500 on the last attempt of a create", "create", status(500), 5, { action: "reconcile-then-fail", delayMs: 500, reason: "no attempt left" }],
  ])("%s", (_name, kind, outcome, attempt, expected) => {
    expect(decideRetry(kind, outcome, attempt, policy, 0.5)).toEqual(expected);
  });

  it("looks for the object when a create is refused as a conflict after an attempt that may have been applied", () => {
    const lookThenFail = { action: "reconcile-then-fail", delayMs: 0, reason: "HTTP 409 after an attempt that may have been applied" };
    expect(decideRetry("create", status(409), 2, policy, 0.5, true)).toEqual(lookThenFail);
    expect(decideRetry("create", status(409), 5, policy, 0.5, true)).toEqual(lookThenFail);
    expect(decideRetry("create", status(409), 2, policy, 0.5, false)).toEqual({ action: "fail" });
    expect(decideRetry("idempotent-write", status(409), 2, policy, 0.5, true)).toEqual({ action: "fail" });
  });

  it("retries up to the attempt before maxAttempts", () => {
    expect(decideRetry("read", status(500), policy.maxAttempts - 1, policy, 0).action).toBe("retry");
    expect(decideRetry("read", status(500), policy.maxAttempts, policy, 0).action).toBe("fail");
  });

  it("uses the default policy of 8 attempts", () => {
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBe(8);
    expect(decideRetry("read", status(429), 7, DEFAULT_RETRY_POLICY, 0).action).toBe("retry");
    expect(decideRetry("read", status(429), 8, DEFAULT_RETRY_POLICY, 0).action).toBe("fail");
  });
});

describe("fullJitter", () => {
  it.each([
    // attempt, random, expected: ceiling = min(max, base * 2^(attempt-1))
    [1, 0, 0],
    [1, 0.999, 99],
    [2, 0.5, 100],
    [3, 0.5, 200],
    [4, 0.5, 400],
    [5, 0.5, 500], // ceiling 1600 capped at 1000
    [40, 0.5, 500],
    [0, 0.5, 50], // attempt below 1 is treated as the first
  ])("attempt %i, random %f → %i ms", (attempt, random, expected) => {
    expect(fullJitter(attempt, policy, random)).toBe(expected);
  });

  it("never reaches the ceiling and never goes negative", () => {
    for (let attempt = 1; attempt < 20; attempt++) {
      for (const random of [0, 0.25, 0.9999999]) {
        const delay = fullJitter(attempt, policy, random);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(policy.maxDelayMs);
        expect(Number.isInteger(delay)).toBe(true);
      }
    }
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2024-01-31T09:30:00Z");
  it.each<[string | null, number | undefined]>([
    [null, undefined],
    ["", undefined],
    ["   ", undefined],
    ["0", 0],
    ["5", 5],
    [" 12 ", 12],
    ["1.5", 1.5],
    ["Wed, 31 Jan 2024 09:30:10 GMT", 10],
    ["Wed, 31 Jan 2024 09:31:00 GMT", 60],
    ["Wed, 31 Jan 2024 09:29:00 GMT", 0], // a date in the past means now
    ["soon", undefined],
    ["-5", undefined], // not delta-seconds; must not be read as the year -5
    ["-1", undefined],
    ["0x10", undefined],
    ["1e3", undefined],
    ["12abc", undefined],
  ])("%j → %j", (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});

describe("neverSent", () => {
  it.each([
    ["ECONNREFUSED", true],
    ["ENOTFOUND", true],
    ["EAI_AGAIN", true],
    ["CONNECT_TIMEOUT", true],
    ["ECONNRESET", false],
    ["EPIPE", false],
    ["ETIMEDOUT", false],
  ])("a socket error %s → never sent: %s", (code, expected) => {
    expect(neverSent(Object.assign(new Error(code), { code }))).toBe(expected);
  });

  it("a timeout after connecting may have been applied", () => {
    expect(neverSent(new ExchangeTimeout(30_000, true))).toBe(false);
  });

  it("a timeout before connecting was never sent", () => {
    expect(neverSent(new ExchangeTimeout(30_000, false))).toBe(true);
  });

  it("an error without a code may have been applied", () => {
    expect(neverSent(new Error("socket hang up"))).toBe(false);
    expect(neverSent("not an error")).toBe(false);
  });
});

describe("the line shown for a retry", () => {
  const notice = {
    operation: "create conversation",
    resource: "support",
    method: "POST",
    path: "/v1/Conversations",
    attempt: 2,
    maxAttempts: 8,
    reason: "HTTP 429",
  };
  it.each([
    [999, null],
    [0, null],
    [1000, 'create conversation "support": POST /v1/Conversations attempt 2 of 8 failed (HTTP 429); retrying in 1s'],
    [2500, 'create conversation "support": POST /v1/Conversations attempt 2 of 8 failed (HTTP 429); retrying in 2.5s'],
    [60_000, 'create conversation "support": POST /v1/Conversations attempt 2 of 8 failed (HTTP 429); retrying in 60s'],
  ])("a wait of %i ms: %s", (delayMs, line) => {
    expect(retryLine({ ...notice, delayMs })).toBe(line);
  });

  it("without a resource name, and for a connection reset", () => {
    expect(
      retryLine({ ...notice, resource: undefined, method: "GET", path: "/v1/Conversations/CH1", reason: "connection failed, ECONNRESET", delayMs: 4_321 }),
    ).toBe("create conversation: GET /v1/Conversations/CH1 attempt 2 of 8 failed (connection failed, ECONNRESET); retrying in 4.3s");
  });
});
