// One error family for everything the provider reports. Messages lead with what a person needs
// (operation and resource), then Twilio's own facts; every configured secret is redacted.

export interface TwilioFailure {
  status?: number;
  code?: number;
  message?: string;
  moreInfo?: string;
  requestId?: string;
}

/**
 * What an error may say about the request: method and URL without credentials. Never headers or
 * the form, so neither the Authorization header nor a secret field can reach a message.
 */
export interface SanitizedRequest {
  method: string;
  url: string;
}

export interface ErrorContext {
  /** What was being done, e.g. `create conversation`. */
  operation: string;
  /** The Pulumi resource name, or the SID when no name is known. */
  resource?: string;
  hint?: string;
}

export class TwilioConversationsError extends Error {
  readonly operation: string;
  readonly resource?: string;
  readonly status?: number;
  readonly code?: number;
  readonly moreInfo?: string;
  readonly requestId?: string;
  readonly hint?: string;
  readonly request?: SanitizedRequest;

  constructor(context: ErrorContext, failure: TwilioFailure, options?: { cause?: unknown; request?: SanitizedRequest }) {
    super(renderError(context, failure), options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TwilioConversationsError";
    this.operation = context.operation;
    this.resource = context.resource;
    this.status = failure.status;
    this.code = failure.code;
    this.moreInfo = failure.moreInfo;
    this.requestId = failure.requestId;
    this.hint = context.hint;
    this.request = options?.request;
  }
}

export function renderError(context: ErrorContext, failure: TwilioFailure): string {
  const subject = context.resource ? `${context.operation} "${context.resource}"` : context.operation;
  const facts = [
    failure.status !== undefined ? `HTTP ${failure.status}` : undefined,
    failure.code !== undefined ? `Twilio error ${failure.code}` : undefined,
  ].filter(Boolean);
  const lines = [`${subject} failed${facts.length ? ` (${facts.join(", ")})` : ""}: ${failure.message ?? "no details"}`];
  if (failure.moreInfo) lines.push(`more info: ${failure.moreInfo}`);
  if (failure.requestId) lines.push(`request id: ${failure.requestId}`);
  if (context.hint) lines.push(`hint: ${context.hint}`);
  return lines.join("\n");
}

/**
 * Replaces every occurrence of each secret with `[redacted]` (the settings list the Basic-auth
 * encoding of the credentials as a secret too). Longest first, so a secret that contains another
 * is not left half-shown.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length < 4) continue;
    result = result.split(secret).join("[redacted]");
  }
  return result;
}

/**
 * Redacts an error in place: message, stack, the `reasons` the engine reports for a partial
 * create, and its causes.
 */
export function redactError(error: unknown, secrets: readonly string[], depth = 0): unknown {
  if (!(error instanceof Error)) return typeof error === "string" ? redact(error, secrets) : error;
  error.message = redact(error.message, secrets);
  if (error.stack) error.stack = redact(error.stack, secrets);
  const withReasons = error as Error & { reasons?: unknown };
  if (Array.isArray(withReasons.reasons)) {
    withReasons.reasons = withReasons.reasons.map((reason) => (typeof reason === "string" ? redact(reason, secrets) : reason));
  }
  if (error.cause !== undefined && depth < 5) error.cause = redactError(error.cause, secrets, depth + 1);
  return error;
}
