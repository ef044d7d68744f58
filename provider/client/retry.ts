// When to try a request again. One ordered list of rules, pure, table-tested.

/** How repeating a request behaves: reads and updates are safe; a create might have happened. */
export type RequestKind = "read" | "idempotent-write" | "create";

export type Outcome =
  | { kind: "response"; status: number; retryAfterSeconds?: number }
  /** `neverSent`: the connection was never made (refused, unknown host), so nothing was applied. */
  | { kind: "network-error"; neverSent?: boolean };

export type RetryDecision =
  | { action: "retry"; delayMs: number; reason: string }
  /** The create may have been applied: look for it before sending it again. */
  | { action: "reconcile-then-retry"; delayMs: number; reason: string }
  /** No attempt is left, or a conflict answers an earlier attempt that may have been applied: look once more. */
  | { action: "reconcile-then-fail"; delayMs: number; reason: string }
  | { action: "fail" };

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  /** Ceiling of the backoff this client chooses itself. */
  maxDelayMs: number;
  /** Ceiling for a wait the server asks for with Retry-After, so a run can never hang on it. */
  maxRetryAfterMs: number;
  /**
   * The longest a write can take on the server after it was sent: a create whose connection
   * failed may still be applied until then, so it is looked for again before being sent again.
   */
  maxWriteMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  maxWriteMs: 60_000,
};

const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);

/**
 * @param attempt how many attempts have been made so far (1 after the first request)
 * @param random a number in [0, 1), for full jitter
 * @param earlierMayHaveApplied whether an earlier attempt of this create may have been applied
 */
export function decideRetry(
  kind: RequestKind,
  outcome: Outcome,
  attempt: number,
  policy: RetryPolicy,
  random: number,
  earlierMayHaveApplied = false,
): RetryDecision {
  const backoff = fullJitter(attempt, policy, random);
  if (kind === "create" && earlierMayHaveApplied && outcome.kind === "response" && outcome.status === 409) {
    // The conflict may be with the object an earlier attempt made (a unique name now taken).
    return { action: "reconcile-then-fail", delayMs: 0, reason: "HTTP 409 after an attempt that may have been applied" };
  }
  if (attempt >= policy.maxAttempts) {
    return kind === "create" && mayHaveApplied(outcome)
      ? { action: "reconcile-then-fail", delayMs: backoff, reason: "no attempt left" }
      : { action: "fail" };
  }
  if (outcome.kind === "response" && outcome.status === 429) {
    // Twilio never processed a throttled request, so even a create is safe to resend.
    const delayMs = outcome.retryAfterSeconds !== undefined ? retryAfterDelay(outcome.retryAfterSeconds, policy) : backoff;
    return { action: "retry", delayMs, reason: "HTTP 429" };
  }
  if (outcome.kind === "network-error" && outcome.neverSent) {
    return { action: "retry", delayMs: backoff, reason: "could not connect" };
  }
  const transient = outcome.kind === "network-error" || TRANSIENT_STATUSES.has(outcome.status);
  if (!transient) return { action: "fail" };
  const reason = outcome.kind === "network-error" ? "connection failed" : `HTTP ${outcome.status}`;
  const retryAfter = outcome.kind === "response" ? outcome.retryAfterSeconds : undefined;
  const delayMs = retryAfter !== undefined ? retryAfterDelay(retryAfter, policy) : backoff;
  return kind === "create" ? { action: "reconcile-then-retry", delayMs, reason } : { action: "retry", delayMs, reason };
}

/** Whether a create that got this outcome may have been applied (Twilio never applies a 429). */
export function mayHaveApplied(outcome: Outcome): boolean {
  if (outcome.kind === "network-error") return !outcome.neverSent;
  return TRANSIENT_STATUSES.has(outcome.status);
}

/**
 * Whether the server may still be working on a request after this outcome: the connection failed
 * or a gateway gave up waiting (502, 504). A 500 or 503 is the service's own final answer.
 */
export function mayStillBeWriting(outcome: Outcome): boolean {
  if (outcome.kind === "network-error") return !outcome.neverSent;
  return outcome.status === 502 || outcome.status === 504;
}

function retryAfterDelay(seconds: number, policy: RetryPolicy): number {
  return Math.min(seconds * 1000, policy.maxRetryAfterMs);
}

/** AWS's "full jitter": a random delay up to an exponentially growing, capped ceiling. */
export function fullJitter(attempt: number, policy: RetryPolicy, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random * ceiling);
}

/** `Retry-After` as seconds; Twilio may send either delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  // An HTTP date names its weekday and month; without letters, Date.parse guesses ("-5" is a year).
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/** The code of an exchange that timed out before its socket connected (see client/exchange.ts). */
export const CONNECT_TIMEOUT = "CONNECT_TIMEOUT";

const NEVER_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", CONNECT_TIMEOUT]);

/** Whether a failed exchange never reached the server: it never connected. */
export function neverSent(error: unknown): boolean {
  const code = socketErrorCode(error);
  return code !== undefined && NEVER_SENT_CODES.has(code);
}

/** The code Node gives a socket's error (ECONNRESET, ECONNREFUSED…), or an exchange's timeout before connecting. */
export function socketErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** One retry about to wait, as `send` reports it to `Transport.onRetry`. */
export interface RetryNotice {
  /** What was being done and for which resource (the request's error context). */
  operation: string;
  resource?: string;
  /** The request, sanitized: method and path only, never the host, query or credentials. */
  method: string;
  path: string;
  /** The attempt that failed, 1-based, and the most that will be made. */
  attempt: number;
  maxAttempts: number;
  /** Why it failed, e.g. `HTTP 429` or `connection failed, ECONNRESET`. */
  reason: string;
  delayMs: number;
}

/** Shorter waits pass unnoticed; from a second on, a run could look hung without a line. */
export const VISIBLE_RETRY_WAIT_MS = 1_000;

/** The line a person sees for a retry, or null when the wait is too short to mention. */
export function retryLine(notice: RetryNotice): string | null {
  if (notice.delayMs < VISIBLE_RETRY_WAIT_MS) return null;
  const subject = notice.resource ? `${notice.operation} "${notice.resource}"` : notice.operation;
  const seconds = Number((notice.delayMs / 1000).toFixed(1));
  return (
    `${subject}: ${notice.method} ${notice.path} attempt ${notice.attempt} of ${notice.maxAttempts} failed (${notice.reason}); ` +
    `retrying in ${seconds}s`
  );
}
