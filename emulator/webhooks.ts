// Conversation-scoped webhooks (/v1/Conversations/{ConversationSid}/Webhooks and the service-scoped
// twin): the rules Twilio documents for them, their wire shape and their handlers. The emulator
// stores them; it never calls them.
//
// Sources: the spec ([S]) for fields, page sizes and the response schema; the resource pages
// https://www.twilio.com/docs/conversations/api/conversation-scoped-webhook-resource and
// …/service-scoped-conversation-scoped-webhook-resource ("as many as five such webhooks", "Only
// post-event webhooks are supported"); the error pages https://www.twilio.com/docs/api/errors/50361
// to 50371.
import { errors } from "./errors";
import { created, listPage, noContent, ok, resolveConversation, view, type Context, type Result } from "./handlers";
import type { Store, WebhookRecord, WebhookTarget } from "./records";
import { conversationChildIds, conversationsUrl, type View } from "./representation";
import {
  conversationWebhooks,
  deleteWebhook,
  findWebhook,
  insertWebhook,
  updateRecord,
  type NewWebhook,
} from "./store";
import { SID_PATTERNS, formatDate } from "./values";

export const WEBHOOK_LIMITS = {
  /** "Each individual Conversation can have as many as five such webhooks"; the sixth is 50361. */
  perConversation: 5,
  /** 50362: "more than 5 keywords as triggers". */
  triggers: 5,
  /** 50366: a keyword "exceeds the maximum length limit of 248 characters". */
  triggerChars: 248,
  /** [S]: the list's PageSize is 1–5, default 5. */
  pageSizes: { max: 5, default: 5 },
} as const;

const TARGETS: readonly WebhookTarget[] = ["webhook", "trigger", "studio"];

/**
 * The post-action events a conversation-scoped webhook can filter on: the list the spec gives for
 * `AutoCreation.WebhookFilters` ("The list of events, firing webhook event for this Conversation"),
 * which is what an auto-created conversation-scoped webhook receives. Pre-action events
 * (`onMessageAdd`, …) are refused: "Only post-event webhooks are supported".
 */
export const WEBHOOK_FILTERS: readonly string[] = [
  "onMessageAdded",
  "onMessageUpdated",
  "onMessageRemoved",
  "onConversationUpdated",
  "onConversationStateUpdated",
  "onConversationRemoved",
  "onParticipantAdded",
  "onParticipantUpdated",
  "onParticipantRemoved",
  "onDeliveryUpdated",
];

const has = (ctx: Context, key: string) => Object.prototype.hasOwnProperty.call(ctx.form, key);

/** Every value sent for a repeated key (`Configuration.Filters=a&Configuration.Filters=b`). */
export function values(ctx: Context, key: string): string[] | undefined {
  if (!has(ctx, key)) return undefined;
  const lists = ctx.formLists;
  return lists && Object.prototype.hasOwnProperty.call(lists, key) ? lists[key] : [ctx.form[key]];
}

function absoluteUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw errors.invalidParameter(`Configuration.Url must be an absolute URL, not '${text.slice(0, 200)}'`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw errors.invalidParameter("Configuration.Url must be an http or https URL");
  }
  return text;
}

/** The spec's enum is `get`/`post`; the resource pages show `GET`/`POST`: either case is taken. */
function method(text: string): "get" | "post" {
  const lower = text.toLowerCase();
  if (lower !== "get" && lower !== "post") throw errors.invalidParameter("Configuration.Method must be GET or POST");
  return lower;
}

function filters(list: string[]): string[] {
  for (const filter of list) if (!WEBHOOK_FILTERS.includes(filter)) throw errors.webhookFilterInvalid(filter);
  return list;
}

function triggers(list: string[]): string[] {
  if (list.length > WEBHOOK_LIMITS.triggers) throw errors.tooManyWebhookTriggers(WEBHOOK_LIMITS.triggers);
  for (const keyword of list) {
    if (keyword === "" || keyword.length > WEBHOOK_LIMITS.triggerChars) throw errors.webhookTriggerInvalid(WEBHOOK_LIMITS.triggerChars);
  }
  return list;
}

function flowSid(text: string): string {
  if (!SID_PATTERNS.studioFlow.test(text)) throw errors.webhookFlowSidInvalid();
  return text;
}

function replayAfter(text: string): number {
  const index = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(index)) throw errors.invalidParameter("Configuration.ReplayAfter must be a message index (an integer, 0 or more)");
  return index;
}

type Configuration = Pick<NewWebhook, "url" | "method" | "filters" | "triggers" | "flowSid">;

/**
 * The configuration fields the request sets, for a webhook of `target`; fields another target uses
 * are ignored (a studio webhook has no URL, a webhook no flow).
 */
function configurationChanges(ctx: Context, target: WebhookTarget): Partial<Configuration> {
  const changes: Partial<Configuration> = {};
  if (target === "studio") {
    if (has(ctx, "Configuration.FlowSid")) changes.flowSid = flowSid(ctx.form["Configuration.FlowSid"]);
    return changes;
  }
  if (has(ctx, "Configuration.Url")) {
    const url = ctx.form["Configuration.Url"];
    if (url === "") throw errors.webhookUrlMissing();
    changes.url = absoluteUrl(url);
  }
  if (has(ctx, "Configuration.Method")) changes.method = method(ctx.form["Configuration.Method"]);
  const list = values(ctx, target === "webhook" ? "Configuration.Filters" : "Configuration.Triggers");
  if (list !== undefined && target === "webhook") changes.filters = filters(list);
  if (list !== undefined && target === "trigger") changes.triggers = triggers(list);
  return changes;
}

/** A complete configuration for the target: what each target needs, with the documented codes. */
function assertComplete(target: WebhookTarget, configuration: Configuration): void {
  if (target === "studio") {
    if (configuration.flowSid === null) throw errors.webhookFlowSidInvalid();
    return;
  }
  if (configuration.url === null) throw errors.webhookUrlMissing();
  if (target === "webhook" && (configuration.filters ?? []).length === 0) throw errors.webhookFiltersMissing();
  if (target === "trigger" && (configuration.triggers ?? []).length === 0) throw errors.webhookTriggersMissing();
}

export function newWebhookFields(ctx: Context): NewWebhook {
  if (!has(ctx, "Target") || ctx.form.Target === "") throw errors.webhookTargetMissing();
  const target = ctx.form.Target as WebhookTarget;
  if (!TARGETS.includes(target)) throw errors.webhookTargetInvalid(ctx.form.Target);
  const configuration: Configuration = {
    url: null,
    // Twilio documents no default method; POST, the usual default for Twilio webhooks, is UNVERIFIED.
    method: target === "studio" ? null : "post",
    filters: null,
    triggers: null,
    flowSid: null,
    ...configurationChanges(ctx, target),
  };
  assertComplete(target, configuration);
  return {
    target,
    ...configuration,
    replayAfter: has(ctx, "Configuration.ReplayAfter") ? replayAfter(ctx.form["Configuration.ReplayAfter"]) : null,
    dateCreated: ctx.now,
    dateUpdated: ctx.now,
  };
}

/** The spec's update takes the Configuration fields only: `Target` and `ReplayAfter` are not updatable. */
export function webhookUpdate(ctx: Context, current: WebhookRecord): Partial<NewWebhook> {
  const changes = configurationChanges(ctx, current.target);
  assertComplete(current.target, { ...current, ...changes });
  return { ...changes, dateUpdated: ctx.now };
}

function configurationJson(webhook: WebhookRecord): Record<string, unknown> {
  const json: Record<string, unknown> =
    webhook.target === "studio"
      ? { flow_sid: webhook.flowSid }
      : { url: webhook.url, method: webhook.method, ...(webhook.target === "webhook" ? { filters: webhook.filters } : { triggers: webhook.triggers }) };
  if (webhook.replayAfter !== null) json.replay_after = webhook.replayAfter;
  return json;
}

export function webhookJson(webhook: WebhookRecord, v: View) {
  return {
    ...conversationChildIds(webhook, v),
    target: webhook.target,
    configuration: configurationJson(webhook),
    date_created: formatDate(webhook.dateCreated),
    date_updated: formatDate(webhook.dateUpdated),
    url: `${conversationsUrl(v, webhook.serviceSid)}/${webhook.conversationSid}/Webhooks/${webhook.sid}`,
  };
}

/** Every webhook in the store, for the admin state dump; each names its service, as messages there do. */
export function dumpWebhooks(store: Store, origin: string, accountSid: string) {
  return [...store.webhooks.values()].map((webhook) => ({
    ...webhookJson(webhook, { origin, accountSid, scoped: webhook.serviceSid !== store.defaultServiceSid }),
    chat_service_sid: webhook.serviceSid,
  }));
}

// Handlers. Webhook writes are not among the operations Twilio limits per second ([CL-APS]).

export function createWebhook(ctx: Context): Result {
  const conversation = resolveConversation(ctx, ctx.params.conversationSid);
  const fields = newWebhookFields(ctx);
  if (conversationWebhooks(ctx.store, conversation.sid).length >= WEBHOOK_LIMITS.perConversation) {
    throw errors.tooManyWebhooks(WEBHOOK_LIMITS.perConversation);
  }
  return created(webhookJson(insertWebhook(ctx.store, conversation, fields), view(ctx)));
}

function resolveWebhook(ctx: Context): WebhookRecord {
  const conversation = resolveConversation(ctx, ctx.params.conversationSid);
  const webhook = SID_PATTERNS.webhook.test(ctx.params.sid) ? findWebhook(ctx.store, conversation, ctx.params.sid) : undefined;
  if (!webhook) throw errors.notFound(ctx.path);
  return webhook;
}

export function fetchWebhook(ctx: Context): Result {
  return ok(webhookJson(resolveWebhook(ctx), view(ctx)));
}

export function updateWebhookHandler(ctx: Context): Result {
  const webhook = resolveWebhook(ctx);
  return ok(webhookJson(updateRecord(ctx.store, webhook, webhookUpdate(ctx, webhook)), view(ctx)));
}

export function deleteWebhookHandler(ctx: Context): Result {
  deleteWebhook(ctx.store, resolveWebhook(ctx));
  return noContent();
}

export function listWebhooks(ctx: Context): Result {
  const conversation = resolveConversation(ctx, ctx.params.conversationSid);
  const listUrl = `${conversationsUrl(view(ctx), conversation.serviceSid)}/${conversation.sid}/Webhooks`;
  const toJson = (webhook: WebhookRecord) => webhookJson(webhook, view(ctx));
  const webhooks = conversationWebhooks(ctx.store, conversation.sid);
  return listPage(ctx, "webhooks", listUrl, [], webhooks, (webhook) => [webhook.seq, 0], false, toJson, WEBHOOK_LIMITS.pageSizes);
}

export const WEBHOOK_HANDLERS = {
  create: createWebhook,
  list: listWebhooks,
  fetch: fetchWebhook,
  update: updateWebhookHandler,
  remove: deleteWebhookHandler,
};
