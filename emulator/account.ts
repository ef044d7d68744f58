// The account's Conversations configuration (/v1/Configuration) and its webhook configuration
// (/v1/Configuration/Webhooks): two singletons, fetched and updated, with the rules Twilio documents
// for their fields; plus the small form readers the other account-level resources share.
//
// Sources: the spec ([S]) for fields, patterns and the response schemas
// (`conversations.v1.configuration`, `conversations.v1.configuration.configuration_webhook`); the
// error pages https://www.twilio.com/docs/api/errors/50050 ("Service Instance not found"), 50341
// ("Conversations: Invalid messaging service SID", a SID not matching MGxx), 50375/50376/50379/50380
// (the timer minimums and formats); [KB-PT0S] (`DefaultInactiveTimer=PT0S` switches the default off).
import { createHash } from "node:crypto";
import {
  accountConfiguration,
  accountWebhooks,
  saveAccountConfiguration,
  saveAccountWebhooks,
} from "./account-store";
import { errors } from "./errors";
import { ok, type Context, type Result } from "./handlers";
import type { AccountConfigurationRecord, AccountWebhooksRecord, Store } from "./records";
import { serviceUrl } from "./representation";
import { LIMITS, has } from "./rules";
import { SID_PATTERNS, parseDurationSeconds } from "./values";

// Shared form readers.

/** Every value sent for a repeated key (`Filters=a&Filters=b`, as twilio-node sends arrays). */
export function formValues(ctx: Context, key: string): string[] | undefined {
  if (!has(ctx.form, key)) return undefined;
  const lists = ctx.formLists;
  const sent = lists && Object.prototype.hasOwnProperty.call(lists, key) ? lists[key] : [ctx.form[key]];
  // A lone empty value clears the list.
  return sent.length === 1 && sent[0] === "" ? [] : sent;
}

/** `true`/`false` in any case (twilio-node sends `true`/`false`); anything else is refused. */
export function formBoolean(ctx: Context, key: string, refuse: (message: string) => Error = errors.invalidParameter): boolean | undefined {
  if (!has(ctx.form, key)) return undefined;
  const value = ctx.form[key].toLowerCase();
  if (value === "true") return true;
  if (value === "false") return false;
  throw refuse(`${key} must be true or false`);
}

/** An absolute http(s) URL; an empty value clears it. The value is never echoed past 200 characters. */
export function formUrl(ctx: Context, key: string): string | null | undefined {
  if (!has(ctx.form, key)) return undefined;
  const text = ctx.form[key];
  if (text === "") return null;
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // refused below
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw errors.invalidParameter(`${key} must be an absolute http or https URL, not '${text.slice(0, 200)}'`);
  }
  return text;
}

/** `GET`/`POST` in any case (the spec's enums write them both ways), answered upper-case. */
export function formMethod(ctx: Context, key: string): "GET" | "POST" | undefined {
  if (!has(ctx.form, key)) return undefined;
  const method = ctx.form[key].toUpperCase();
  if (method !== "GET" && method !== "POST") throw errors.invalidParameter(`${key} must be GET or POST`);
  return method;
}

/** The value when it is one of `allowed` in any case, lower-cased (the spec's examples send `whAtsAPP`, `GcM`). */
export function formEnum<T extends string>(ctx: Context, key: string, allowed: readonly T[], refuse: (message: string) => Error): T | undefined {
  if (!has(ctx.form, key)) return undefined;
  const value = ctx.form[key].toLowerCase() as T;
  if (!allowed.includes(value)) throw refuse(`${key} must be one of ${allowed.join(", ")}, not '${ctx.form[key].slice(0, 100)}'`);
  return value;
}

/** A SID that must name an existing Conversation Service: 50050 otherwise. */
export function existingServiceSid(store: Store, key: string, value: string): string {
  if (!SID_PATTERNS.service.test(value)) throw errors.invalidParameter(`${key} must match ${SID_PATTERNS.service.source}`);
  if (!store.services.has(value)) throw errors.serviceNotFound(value);
  return value;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

// /v1/Configuration

export function configurationJson(record: AccountConfigurationRecord, origin: string, accountSid: string) {
  return {
    account_sid: accountSid,
    default_chat_service_sid: record.defaultChatServiceSid,
    default_messaging_service_sid: record.defaultMessagingServiceSid,
    default_inactive_timer: record.defaultInactiveTimer,
    default_closed_timer: record.defaultClosedTimer,
    url: `${origin}/v1/Configuration`,
    links: {
      service: `${serviceUrl(origin, record.defaultChatServiceSid)}/Configuration`,
      webhooks: `${origin}/v1/Configuration/Webhooks`,
    },
  };
}

/**
 * A default timer as sent, or null to switch it off (`PT0S`, as [KB-PT0S] documents, or an empty
 * value). The minimums are the conversation timers' (the spec gives the same ones), with their codes.
 */
function defaultTimer(ctx: Context, key: string, minSeconds: number, tooShort: () => Error, badFormat: (value: string) => Error): string | null | undefined {
  if (!has(ctx.form, key)) return undefined;
  const value = ctx.form[key];
  if (value === "") return null;
  const seconds = parseDurationSeconds(value);
  if (seconds === null) throw badFormat(value.slice(0, 100));
  if (seconds === 0) return null;
  if (seconds < minSeconds) throw tooShort();
  return value;
}

export function fetchConfiguration(ctx: Context): Result {
  return ok(configurationJson(accountConfiguration(ctx.store), ctx.origin, ctx.accountSid));
}

export function updateConfiguration(ctx: Context): Result {
  const current = accountConfiguration(ctx.store);
  const next: AccountConfigurationRecord = { ...current };
  if (has(ctx.form, "DefaultChatServiceSid")) {
    next.defaultChatServiceSid = existingServiceSid(ctx.store, "DefaultChatServiceSid", ctx.form.DefaultChatServiceSid);
  }
  if (has(ctx.form, "DefaultMessagingServiceSid")) {
    const value = ctx.form.DefaultMessagingServiceSid;
    if (value !== "" && !SID_PATTERNS.messagingService.test(value)) throw errors.invalidMessagingServiceSid();
    next.defaultMessagingServiceSid = value === "" ? null : value;
  }
  const inactive = defaultTimer(ctx, "DefaultInactiveTimer", LIMITS.inactiveTimerMinSeconds, errors.inactiveTimerTooShort, errors.inactiveTimerFormat);
  const closed = defaultTimer(ctx, "DefaultClosedTimer", LIMITS.closedTimerMinSeconds, errors.closedTimerTooShort, errors.closedTimerFormat);
  if (inactive !== undefined) next.defaultInactiveTimer = inactive;
  if (closed !== undefined) next.defaultClosedTimer = closed;
  saveAccountConfiguration(ctx.store, next);
  return ok(configurationJson(next, ctx.origin, ctx.accountSid));
}

// /v1/Configuration/Webhooks

/**
 * The events the spec lists for `Filters` (pre-action `onMessageAdd`, … and post-action
 * `onMessageAdded`, …), plus `onMessageSend`, which the spec's fetch example answers.
 */
export const ACCOUNT_WEBHOOK_FILTERS: readonly string[] = [
  "onMessageAdded", "onMessageUpdated", "onMessageRemoved", "onMessageAdd", "onMessageUpdate", "onMessageRemove",
  "onConversationUpdated", "onConversationRemoved", "onConversationAdd", "onConversationAdded", "onConversationRemove",
  "onConversationUpdate", "onConversationStateUpdated", "onParticipantAdded", "onParticipantUpdated", "onParticipantRemoved",
  "onParticipantAdd", "onParticipantRemove", "onParticipantUpdate", "onDeliveryUpdated", "onUserAdded", "onUserUpdate",
  "onUserUpdated", "onMessageSend",
];

const WEBHOOK_TARGETS = ["webhook", "flex"] as const;

export function webhooksConfigurationJson(record: AccountWebhooksRecord, origin: string, accountSid: string) {
  return {
    account_sid: accountSid,
    method: record.method,
    filters: record.filters,
    pre_webhook_url: record.preWebhookUrl,
    post_webhook_url: record.postWebhookUrl,
    target: record.target,
    url: `${origin}/v1/Configuration/Webhooks`,
  };
}

export function fetchConfigurationWebhooks(ctx: Context): Result {
  return ok(webhooksConfigurationJson(accountWebhooks(ctx.store), ctx.origin, ctx.accountSid));
}

export function updateConfigurationWebhooks(ctx: Context): Result {
  const next: AccountWebhooksRecord = { ...accountWebhooks(ctx.store) };
  const method = formMethod(ctx, "Method");
  if (method !== undefined) next.method = method;
  const filters = formValues(ctx, "Filters");
  if (filters !== undefined) {
    const unknown = filters.find((filter) => !ACCOUNT_WEBHOOK_FILTERS.includes(filter));
    if (unknown !== undefined) throw errors.invalidParameter(`Filters: '${unknown.slice(0, 100)}' is not a webhook event`);
    next.filters = [...new Set(filters)];
  }
  const pre = formUrl(ctx, "PreWebhookUrl");
  const post = formUrl(ctx, "PostWebhookUrl");
  if (pre !== undefined) next.preWebhookUrl = pre;
  if (post !== undefined) next.postWebhookUrl = post;
  const target = formEnum(ctx, "Target", WEBHOOK_TARGETS, errors.invalidParameter);
  if (target !== undefined) next.target = target;
  saveAccountWebhooks(ctx.store, next);
  return ok(webhooksConfigurationJson(next, ctx.origin, ctx.accountSid));
}

/** The account's settings for the admin state dump. */
export function dumpAccountSettings(store: Store, origin: string, accountSid: string) {
  return {
    configuration: configurationJson(accountConfiguration(store), origin, accountSid),
    webhooks: webhooksConfigurationJson(accountWebhooks(store), origin, accountSid),
  };
}
