// A Conversation Service's configuration singletons, each fetched with GET and changed with POST:
// /v1/Services/{ChatServiceSid}/Configuration (default roles, reachability),
// …/Configuration/Notifications (push notification settings) and …/Configuration/Webhooks (the
// service's pre- and post-event webhooks).
//
// Sources: the spec ([S]) for every field, its type and its answer shape (the nested
// `new_message.with_media` object of the notifications as in its examples; `pre_webhook_url`,
// `post_webhook_url` and `filters` null until set, as in its `fetchEmpty` example; the
// webhook filters and methods its descriptions list, `method` POST until set since its schema has
// no null there; reachability and every notification flag false by default); the service-configuration page
// https://www.twilio.com/docs/conversations/api/service-configuration-resource (the default roles
// assigned to users); the error pages https://www.twilio.com/docs/api/errors/50100 (role not found)
// and 50109 (conversation role not found).
import { errors } from "./errors";
import { ok, resolveService, type Context, type Result } from "./handlers";
import type { NotificationText, RoleType, ServiceConfigurationRecord, ServiceNotifications, ServiceWebhooks, Store } from "./records";
import { serviceUrl } from "./representation";
import {
  configurationOf,
  findRole,
  updateConfiguration,
} from "./role-store";
import { values as formValues } from "./webhooks";

/** [S]: the events a service webhook can be filtered to. */
export const SERVICE_WEBHOOK_FILTERS = [
  "onParticipantAdd", "onParticipantAdded", "onDeliveryUpdated", "onConversationUpdated", "onConversationRemove",
  "onParticipantRemove", "onConversationUpdate", "onMessageAdd", "onMessageRemoved", "onParticipantUpdated",
  "onConversationAdded", "onMessageAdded", "onConversationAdd", "onConversationRemoved", "onParticipantUpdate",
  "onMessageRemove", "onMessageUpdated", "onParticipantRemoved", "onMessageUpdate", "onConversationStateUpdated",
];

const has = (ctx: Context, key: string) => Object.prototype.hasOwnProperty.call(ctx.form, key);

/** A boolean field as twilio-node sends it (`true`/`false`, any case); undefined when absent. */
function optionalBoolean(ctx: Context, key: string): boolean | undefined {
  if (!has(ctx, key)) return undefined;
  const value = ctx.form[key].toLowerCase();
  if (value !== "true" && value !== "false") throw errors.invalidParameter(`${key} must be true or false`);
  return value === "true";
}

/** A text field; an empty value clears it (UNVERIFIED). */
function optionalText(ctx: Context, key: string): string | null | undefined {
  if (!has(ctx, key)) return undefined;
  return ctx.form[key] === "" ? null : ctx.form[key];
}

/** The fields given, over the current ones (absent fields keep their values). */
function merged<T extends object>(current: T, changes: { [K in keyof T]?: T[K] }): T {
  const result = { ...current };
  for (const [key, value] of Object.entries(changes)) if (value !== undefined) (result as Record<string, unknown>)[key] = value;
  return result;
}

// Configuration

/**
 * A default role SID must name a role of this service of the right type: conversation roles for
 * the two conversation defaults (50109), a service role for the service default (50100).
 */
function defaultRole(ctx: Context, serviceSid: string, key: string, type: RoleType): string | undefined {
  if (!has(ctx, key)) return undefined;
  const sid = ctx.form[key];
  const role = findRole(ctx.store, serviceSid, sid);
  if (!role || role.type !== type) throw type === "conversation" ? errors.conversationRoleNotFound(sid.slice(0, 200)) : errors.roleNotFound(sid.slice(0, 200));
  return sid;
}

export function serviceConfigurationJson(configuration: ServiceConfigurationRecord, origin: string) {
  const url = `${serviceUrl(origin, configuration.serviceSid)}/Configuration`;
  return {
    chat_service_sid: configuration.serviceSid,
    default_conversation_creator_role_sid: configuration.defaultConversationCreatorRoleSid,
    default_conversation_role_sid: configuration.defaultConversationRoleSid,
    default_chat_service_role_sid: configuration.defaultChatServiceRoleSid,
    url,
    links: { notifications: `${url}/Notifications`, webhooks: `${url}/Webhooks` },
    reachability_enabled: configuration.reachabilityEnabled,
  };
}

function configuration(ctx: Context): ServiceConfigurationRecord {
  return configurationOf(ctx.store, resolveService(ctx).sid);
}

export function fetchServiceConfiguration(ctx: Context): Result {
  return ok(serviceConfigurationJson(configuration(ctx), ctx.origin));
}

export function updateServiceConfiguration(ctx: Context): Result {
  const current = configuration(ctx);
  const serviceSid = current.serviceSid;
  const changes = {
    defaultConversationCreatorRoleSid: defaultRole(ctx, serviceSid, "DefaultConversationCreatorRoleSid", "conversation"),
    defaultConversationRoleSid: defaultRole(ctx, serviceSid, "DefaultConversationRoleSid", "conversation"),
    defaultChatServiceRoleSid: defaultRole(ctx, serviceSid, "DefaultChatServiceRoleSid", "service"),
    reachabilityEnabled: optionalBoolean(ctx, "ReachabilityEnabled"),
  };
  return ok(serviceConfigurationJson(updateConfiguration(ctx.store, current, merged(current, changes)), ctx.origin));
}

// Notifications

function textChanges(ctx: Context, prefix: string, current: NotificationText): NotificationText {
  return merged(current, {
    enabled: optionalBoolean(ctx, `${prefix}.Enabled`),
    template: optionalText(ctx, `${prefix}.Template`),
    sound: optionalText(ctx, `${prefix}.Sound`),
  });
}

function notificationChanges(ctx: Context, current: ServiceNotifications): ServiceNotifications {
  const newMessage = textChanges(ctx, "NewMessage", current.newMessage);
  return {
    logEnabled: optionalBoolean(ctx, "LogEnabled") ?? current.logEnabled,
    newMessage: {
      ...newMessage,
      badgeCountEnabled: optionalBoolean(ctx, "NewMessage.BadgeCountEnabled") ?? current.newMessage.badgeCountEnabled,
      withMedia: merged(current.newMessage.withMedia, {
        enabled: optionalBoolean(ctx, "NewMessage.WithMedia.Enabled"),
        template: optionalText(ctx, "NewMessage.WithMedia.Template"),
      }),
    },
    addedToConversation: textChanges(ctx, "AddedToConversation", current.addedToConversation),
    removedFromConversation: textChanges(ctx, "RemovedFromConversation", current.removedFromConversation),
  };
}

const textJson = (text: NotificationText) => ({ enabled: text.enabled, template: text.template, sound: text.sound });

export function notificationsJson(configuration: ServiceConfigurationRecord, origin: string, accountSid: string) {
  const { notifications } = configuration;
  const { newMessage } = notifications;
  return {
    account_sid: accountSid,
    chat_service_sid: configuration.serviceSid,
    new_message: {
      ...textJson(newMessage),
      badge_count_enabled: newMessage.badgeCountEnabled,
      with_media: { enabled: newMessage.withMedia.enabled, template: newMessage.withMedia.template },
    },
    added_to_conversation: textJson(notifications.addedToConversation),
    removed_from_conversation: textJson(notifications.removedFromConversation),
    log_enabled: notifications.logEnabled,
    url: `${serviceUrl(origin, configuration.serviceSid)}/Configuration/Notifications`,
  };
}

export function fetchServiceNotification(ctx: Context): Result {
  return ok(notificationsJson(configuration(ctx), ctx.origin, ctx.accountSid));
}

export function updateServiceNotification(ctx: Context): Result {
  const current = configuration(ctx);
  const notifications = notificationChanges(ctx, current.notifications);
  return ok(notificationsJson(updateConfiguration(ctx.store, current, { notifications }), ctx.origin, ctx.accountSid));
}

// Service webhooks

/** An absolute http(s) URL; an empty value clears it (UNVERIFIED). */
function webhookUrl(ctx: Context, key: string): string | null | undefined {
  const text = optionalText(ctx, key);
  if (text === undefined || text === null) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw errors.invalidParameter(`${key} must be an absolute URL, not '${text.slice(0, 200)}'`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw errors.invalidParameter(`${key} must be an http or https URL`);
  return text;
}

/** [S]: `GET` or `POST` (either case is taken; answered upper-case as the spec's enum). */
function webhookMethod(ctx: Context): ServiceWebhooks["method"] | undefined {
  if (!has(ctx, "Method")) return undefined;
  const upper = ctx.form.Method.toUpperCase();
  if (upper !== "GET" && upper !== "POST") throw errors.invalidParameter("Method must be GET or POST");
  return upper;
}

/** Every `Filters` value, each one of the spec's events; a lone empty value clears them (UNVERIFIED). */
function webhookFilters(ctx: Context): string[] | null | undefined {
  const list = formValues(ctx, "Filters");
  if (list === undefined) return undefined;
  if (list.length === 1 && list[0] === "") return null;
  for (const filter of list) {
    if (!SERVICE_WEBHOOK_FILTERS.includes(filter)) throw errors.invalidParameter(`Invalid webhook filter '${filter.slice(0, 200)}'`);
  }
  return [...new Set(list)];
}

export function webhooksJson(configuration: ServiceConfigurationRecord, origin: string, accountSid: string) {
  const { webhooks } = configuration;
  return {
    account_sid: accountSid,
    chat_service_sid: configuration.serviceSid,
    pre_webhook_url: webhooks.preWebhookUrl,
    post_webhook_url: webhooks.postWebhookUrl,
    filters: webhooks.filters === null ? null : [...webhooks.filters],
    method: webhooks.method,
    url: `${serviceUrl(origin, configuration.serviceSid)}/Configuration/Webhooks`,
  };
}

export function fetchServiceWebhookConfiguration(ctx: Context): Result {
  return ok(webhooksJson(configuration(ctx), ctx.origin, ctx.accountSid));
}

export function updateServiceWebhookConfiguration(ctx: Context): Result {
  const current = configuration(ctx);
  const webhooks = merged(current.webhooks, {
    preWebhookUrl: webhookUrl(ctx, "PreWebhookUrl"),
    postWebhookUrl: webhookUrl(ctx, "PostWebhookUrl"),
    filters: webhookFilters(ctx),
    method: webhookMethod(ctx),
  });
  return ok(webhooksJson(updateConfiguration(ctx.store, current, { webhooks }), ctx.origin, ctx.accountSid));
}

/** Each service's three singletons, for the admin state dump. */
export function dumpServiceConfigurations(store: Store, origin: string, accountSid: string) {
  return [...store.serviceConfigurations.values()].map((record) => ({
    configuration: serviceConfigurationJson(record, origin),
    notifications: notificationsJson(record, origin, accountSid),
    webhooks: webhooksJson(record, origin, accountSid),
  }));
}
