// The only place that speaks HTTP: Basic auth, form encoding, timeouts, pacing and retries.
import { credentialsHint, type Settings } from "../config";
import { redact, TwilioConversationsError, type ErrorContext, type SanitizedRequest, type TwilioFailure } from "../errors";
import type { Claims } from "./claims";
import type { Exchange, HttpAnswer } from "./exchange";
import type { IntentJournal } from "./intents";
import type { SlidingWindowLimiter } from "./limiter";
import {
  decideRetry,
  mayHaveApplied,
  mayStillBeWriting,
  neverSent,
  parseRetryAfter,
  socketErrorCode,
  type Outcome,
  type RequestKind,
  type RetryNotice,
  type RetryPolicy,
} from "./retry";

export interface TwilioRequest {
  method: "GET" | "POST" | "DELETE";
  /** Path below the base URL, starting with `/v1/`. */
  path: string;
  query?: Record<string, string>;
  /** A list is sent as the key repeated once per value (`Permission=a&Permission=b`), as Twilio takes arrays. */
  form?: Record<string, string | readonly string[]>;
  /** Sent as `X-Twilio-Webhook-Enabled` on writes. */
  webhooks?: boolean;
  kind: RequestKind;
  /** Writes that count against one of Twilio's rate limits name the limit's key. */
  limitKey?: string;
  context: ErrorContext;
  /** Hints keyed by Twilio error code, for errors a person can fix. */
  hints?: Record<number, string>;
  /** A 404 answers `null` instead of failing (fetch of something that may be gone; delete). */
  notFoundIsNull?: boolean;
  /** What a 2xx answer must be; any other answer is an error, never taken for the resource. */
  answer?: AnswerShape;
  /**
   * A lookup a create makes for what it may have made (its answer was lost, or it was
   * interrupted): an answer refused fails the create, whose object may then exist.
   */
  forCreate?: boolean;
  /**
   * For creates: looks for the object when an attempt may have been applied without an answer.
   * Gets the local time the first attempt was sent (see `serverTime`).
   */
  reconcile?: (firstSentAt: number) => Promise<TwilioJson | null>;
}

/** The server's clock as seen through `Date` headers: server time ≥ local time + offsetMs. */
export interface ServerClock {
  offsetMs: number;
}

export type TwilioJson = Record<string, unknown>;

export interface AnswerShape {
  /** Names the resource in messages: "a conversation", "a page of conversations". */
  what: string;
  /** What JSON that is refused lacks, in messages; "a SID" unless given. */
  lacking?: string;
  accepts(json: TwilioJson): boolean;
}

export interface Transport {
  settings: Settings;
  limiter: SlidingWindowLimiter;
  policy: RetryPolicy;
  /** Sends one request and reads its answer (client/exchange.ts, or a test's script). */
  exchange: Exchange;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  serverClock: ServerClock;
  /** SIDs the resources of this run hold or made: never taken by a recovery. */
  claims: Claims;
  /** Create intents that survive a crash; null when creates are not journaled. */
  intents: IntentJournal | null;
  /** Called before each attempt; counts requests for the benchmarks and tests. */
  onAttempt?: (request: TwilioRequest) => void;
  /** Called before each wait for another attempt, so a long wait can be shown. */
  onRetry?: (notice: RetryNotice) => void;
}

type Attempt =
  | {
      kind: "answer";
      status: number;
      body: TwilioJson | null;
      text: string;
      contentType: string | null;
      requestId?: string;
      retryAfter?: number;
    }
  | { kind: "network-error"; error: unknown; neverSent: boolean };

/**
 * The items of a list read, page after page, following each page's `meta.next_page_url`; at most
 * `maxPages` pages. `request.answer` should be the list's page shape, so a page that is not one
 * fails the read rather than ending it.
 */
export async function sendForAllPages(transport: Transport, request: TwilioRequest, items: string, maxPages = Infinity): Promise<TwilioJson[]> {
  const found: TwilioJson[] = [];
  let { path, query } = request;
  for (let page = 0; page < maxPages; page++) {
    const json = (await send(transport, { ...request, path, query })) as TwilioJson;
    found.push(...(json[items] as TwilioJson[]));
    const next = (json.meta as TwilioJson).next_page_url;
    if (typeof next !== "string") break;
    const url = new URL(next);
    path = url.pathname;
    query = Object.fromEntries(url.searchParams);
  }
  return found;
}

export async function send(transport: Transport, request: TwilioRequest): Promise<TwilioJson | null> {
  const credentials = transport.settings.credentials;
  if (!credentials) {
    throw new TwilioConversationsError(
      { ...request.context, hint: credentialsHint(transport.settings.namespace) },
      { message: "no Twilio credentials are configured" },
    );
  }
  const url = requestUrl(transport.settings.baseUrl, request);
  const sanitized = sanitizedRequest(request, url);
  const firstSentAt = Date.now();
  let earlierMayHaveApplied = false;
  /** Local time after which no earlier attempt can still be being written. */
  let writesSettleAt = 0;
  for (let attempt = 1; ; attempt++) {
    const answered = request.limitKey ? await transport.limiter.acquire(request.limitKey) : undefined;
    const sentAt = Date.now();
    transport.onAttempt?.(request);
    const result = await attemptOnce(transport, request, url, credentials);
    answered?.();
    if (result.kind === "answer" && result.status < 300) return expectedAnswer(transport, request, sanitized, result);
    if (result.kind === "answer" && result.status === 404 && request.notFoundIsNull) return null;

    const outcome = toOutcome(result);
    const decision = decideRetry(request.kind, outcome, attempt, transport.policy, transport.random(), earlierMayHaveApplied);
    earlierMayHaveApplied ||= mayHaveApplied(outcome);
    if (mayStillBeWriting(outcome)) writesSettleAt = Math.max(writesSettleAt, sentAt + transport.policy.maxWriteMs);
    if (decision.action === "fail") throw failureError(transport, request, sanitized, result);
    if (decision.action !== "reconcile-then-fail") transport.onRetry?.(retryNotice(request, attempt, transport.policy, decision, result));
    await transport.sleep(decision.delayMs);
    if (decision.action !== "retry" && request.reconcile) {
      const applied = await lookForAppliedCreate(transport, request.reconcile, firstSentAt, writesSettleAt);
      if (applied) return applied;
    }
    if (decision.action === "reconcile-then-fail") throw failureError(transport, request, sanitized, result);
  }
}

function retryNotice(
  request: TwilioRequest,
  attempt: number,
  policy: RetryPolicy,
  decision: { delayMs: number; reason: string },
  result: Attempt,
): RetryNotice {
  const code = result.kind === "network-error" ? socketErrorCode(result.error) : undefined;
  return {
    operation: request.context.operation,
    resource: request.context.resource,
    method: request.method,
    path: request.path,
    attempt,
    maxAttempts: policy.maxAttempts,
    reason: code ? `${decision.reason}, ${code}` : decision.reason,
    delayMs: decision.delayMs,
  };
}

/**
 * The URL of a request. Every value in a path is one encoded segment; a path the URL parser would
 * rewrite (an empty, "." or ".." segment, which address the list or the parent) or a base URL
 * carrying credentials is refused before anything is sent.
 */
export function requestUrl(baseUrl: string, request: TwilioRequest): URL {
  const url = URL.canParse(baseUrl + request.path) ? new URL(baseUrl + request.path) : null;
  if (!url) {
    // The text may hold credentials, so it is not repeated (URL's own error would carry it as `input`).
    throw new TwilioConversationsError(
      { ...request.context, hint: "set TWILIO_CONVERSATIONS_BASE_URL / twilio:conversationsBaseUrl to an https:// URL, or leave it unset for Twilio's" },
      { message: "the configured base URL is not a valid URL" },
    );
  }
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
  if (url.username !== "" || url.password !== "") {
    throw new TwilioConversationsError(
      {
        ...request.context,
        hint: "remove the user:password@ part from TWILIO_CONVERSATIONS_BASE_URL / twilio:conversationsBaseUrl; Twilio's credentials go in TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or an API key and secret)",
      },
      { message: `the base URL ${url.origin} carries credentials in it, which are never sent` },
    );
  }
  const problem = pathProblem(new URL(baseUrl).pathname.replace(/\/$/, ""), request.path, url.pathname);
  if (problem) {
    throw new TwilioConversationsError(
      { ...request.context, hint: 'a unique name or SID of "", "." or ".." cannot name one object in a URL; choose another uniqueName' },
      { message: `${problem}: ${request.method} ${request.path} would reach ${url.pathname}` },
    );
  }
  return url;
}

/** Why `path` would not reach the server as written, or null when it would. */
function pathProblem(basePath: string, path: string, parsedPath: string): string | null {
  for (const segment of path.split("/").slice(1)) {
    const value = safeDecode(segment);
    if (value === "" || value === "." || value === "..") return `${JSON.stringify(value)} cannot be one segment of a request path`;
  }
  return parsedPath === basePath + path ? null : "the URL parser rewrites the request path";
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function withoutCredentials(url: URL): URL {
  const copy = new URL(url);
  copy.username = "";
  copy.password = "";
  return copy;
}

/** The copy of a request that errors are built from (octokit's RequestError makes the same one). */
export function sanitizedRequest(request: TwilioRequest, url: URL): SanitizedRequest {
  return { method: request.method, url: withoutCredentials(url).toString() };
}

/**
 * Looks for what an earlier attempt made; when nothing is found while an attempt may still be
 * being written, looks once more after the longest time a write can take.
 */
async function lookForAppliedCreate(
  transport: Transport,
  reconcile: NonNullable<TwilioRequest["reconcile"]>,
  firstSentAt: number,
  writesSettleAt: number,
): Promise<TwilioJson | null> {
  const found = await reconcile(firstSentAt);
  const wait = writesSettleAt - Date.now();
  if (found || wait <= 0) return found;
  await transport.sleep(wait);
  return reconcile(firstSentAt);
}

async function attemptOnce(
  transport: Transport,
  request: TwilioRequest,
  url: URL,
  credentials: { username: string; password: string },
): Promise<Attempt> {
  const headers: Record<string, string> = {
    authorization: "Basic " + Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64"),
    accept: "application/json",
  };
  if (request.method !== "GET" && request.webhooks !== undefined) {
    headers["x-twilio-webhook-enabled"] = request.webhooks ? "true" : "false";
  }
  let body: string | undefined;
  if (request.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = formBody(request.form);
  }
  try {
    const answer = await transport.exchange({ method: request.method, url, headers, body, timeoutMs: transport.settings.requestTimeoutMs });
    observeServerClock(transport.serverClock, header(answer, "date"), Date.now());
    return {
      kind: "answer",
      status: answer.status,
      body: parseBody(answer.text),
      text: answer.text,
      contentType: header(answer, "content-type"),
      requestId: header(answer, "twilio-request-id") ?? undefined,
      retryAfter: parseRetryAfter(header(answer, "retry-after"), Date.now()),
    };
  } catch (error) {
    return { kind: "network-error", error, neverSent: neverSent(error) };
  }
}

/** One header of an answer, by its lower-case name; one sent more than once, its values joined. */
function header(answer: HttpAnswer, name: string): string | null {
  const value = answer.headers[name];
  if (value === undefined) return null;
  return typeof value === "string" ? value : value.join(", ");
}

/**
 * The earliest `date_created` an object made by a request sent at `localTime` can show: the
 * request reached the server after it was sent, and Twilio rounds dates down to the second.
 */
export function earliestServerTime(clock: ServerClock, localTime: number): number {
  return localTime + clock.offsetMs - 1_000;
}

/**
 * `Date` was written before the answer arrived and is rounded down to the second, so the server's
 * clock was at least `Date` when ours read `receivedAt`: a lower bound of the offset, whatever the
 * skew and however slow the answer.
 */
export function observeServerClock(clock: ServerClock, dateHeader: string | null, receivedAt: number): void {
  const serverTime = dateHeader ? Date.parse(dateHeader) : NaN;
  if (!Number.isNaN(serverTime)) clock.offsetMs = serverTime - receivedAt;
}

/** The form's text, each value of a list under its key in turn; an empty list as one empty value (Twilio clears it). */
export function formBody(form: Record<string, string | readonly string[]>): string {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) {
    if (typeof value === "string") body.append(key, value);
    else if (value.length === 0) body.append(key, "");
    else for (const item of value) body.append(key, item);
  }
  return body.toString();
}

function parseBody(text: string): TwilioJson | null {
  if (text.trim() === "") return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === "object" ? (parsed as TwilioJson) : { message: text };
  } catch {
    return { message: text.slice(0, 500) };
  }
}

function toOutcome(attempt: Attempt): Outcome {
  return attempt.kind === "answer"
    ? { kind: "response", status: attempt.status, retryAfterSeconds: attempt.retryAfter }
    : { kind: "network-error", neverSent: attempt.neverSent };
}

/** A 2xx answer, when it is what the request asked for. */
function expectedAnswer(
  transport: Transport,
  request: TwilioRequest,
  sanitized: SanitizedRequest,
  attempt: Extract<Attempt, { kind: "answer" }>,
): TwilioJson {
  const body = attempt.body ?? {};
  if (!request.answer || (attempt.body !== null && request.answer.accepts(body))) return body;
  const hint =
    "check that TWILIO_CONVERSATIONS_BASE_URL / twilio:region point at Twilio's Conversations API (a proxy or a captive portal may have answered)" +
    (request.kind === "create" || request.forCreate ? "; the create may have been applied: look for a stray object before running `pulumi up` again" : "");
  throw new TwilioConversationsError(
    { ...request.context, hint },
    {
      status: attempt.status,
      message: redact(`the answer is ${describeAnswer(attempt, request.answer)}, not ${request.answer.what}`, transport.settings.secrets),
      requestId: attempt.requestId,
    },
    { request: sanitized },
  );
}

function describeAnswer(attempt: Extract<Attempt, { kind: "answer" }>, shape: AnswerShape): string {
  if (attempt.text.trim() === "") return "an empty body";
  const excerpt = JSON.stringify(attempt.text.replace(/\s+/g, " ").trim().slice(0, 80));
  if (isJson(attempt.text)) return `JSON without ${shape.lacking ?? "a SID"}: ${excerpt}`;
  return `a ${attempt.contentType?.split(";")[0] || "non-JSON"} body: ${excerpt}`;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function failureError(transport: Transport, request: TwilioRequest, sanitized: SanitizedRequest, attempt: Attempt): TwilioConversationsError {
  const secrets = transport.settings.secrets;
  if (attempt.kind === "network-error") {
    const detail = attempt.error instanceof Error ? attempt.error.message : String(attempt.error);
    const message = `could not reach ${new URL(sanitized.url).origin}: ${detail}`;
    return new TwilioConversationsError(
      { ...request.context, hint: "check the network and TWILIO_CONVERSATIONS_BASE_URL / twilio:region" },
      { message: redact(message, secrets) },
      { request: sanitized },
    );
  }
  const body = attempt.body ?? {};
  const failure: TwilioFailure = {
    status: attempt.status,
    code: typeof body.code === "number" ? body.code : undefined,
    message: redact(typeof body.message === "string" ? body.message : `HTTP ${attempt.status}`, secrets),
    moreInfo: typeof body.more_info === "string" ? body.more_info : undefined,
    requestId: attempt.requestId,
  };
  const hint =
    (failure.code !== undefined ? request.hints?.[failure.code] : undefined) ??
    (attempt.status === 401 ? "the Twilio credentials were refused: " + credentialsHint(transport.settings.namespace) : undefined) ??
    request.context.hint;
  return new TwilioConversationsError({ ...request.context, hint }, failure, { request: sanitized });
}
