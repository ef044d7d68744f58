// Request handlers: one small function per operation, each composing the pure rules with the
// store. Handlers are synchronous so every check-then-write runs without interleaving.
import { errors } from "./errors";
import { paginate, type SortKey } from "./pagination";
import { apsKeys, type RateLimiter } from "./rate-limit";
import { CONFIGURATION_KEY, type AccountConfigurationRecord, type ConversationRecord, type ServiceRecord, type Store } from "./records";
import {
  conversationJson,
  conversationsUrl,
  messageJson,
  pageJson,
  serviceJson,
  serviceUrl,
  type View,
} from "./representation";
import {
  LIMITS,
  armedTimer,
  assertWritable,
  conversationUpdate,
  messageUpdate,
  newConversationFields,
  newMessageFields,
  pageNumber,
  pageSize,
  type Form,
  type PageSizes,
} from "./rules";
import {
  deleteConversation,
  deleteMessage,
  deleteService,
  findConversation,
  findMessage,
  insertConversation,
  insertMessage,
  insertService,
  isUniqueNameTaken,
  updateConversation,
  updateMessage as updateMessageRecord,
  type NewConversation,
} from "./store";
import { restartTimers } from "./timers";
import { SID_PATTERNS, parseDate, parseDurationSeconds } from "./values";

export interface Context {
  store: Store;
  now: number;
  origin: string;
  accountSid: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  form: Form;
  /** Every value of each form key, in order (`Configuration.Filters=a&Configuration.Filters=b`); absent when none was read. */
  formLists?: Record<string, string[]>;
  /** Present when `--aps-limits` is on. */
  limiter: RateLimiter | null;
}

export interface Result {
  status: number;
  body?: unknown;
}

export const ok = (body: unknown): Result => ({ status: 200, body });
export const created = (body: unknown): Result => ({ status: 201, body });
export const noContent = (): Result => ({ status: 204 });

export function view(ctx: Context): View {
  return { origin: ctx.origin, accountSid: ctx.accountSid, scoped: ctx.params.serviceSid !== undefined };
}

export function requireAps(ctx: Context, key: string): void {
  if (ctx.limiter && !ctx.limiter.tryAcquire(key, ctx.now)) {
    throw errors.tooManyRequests(`more than 30 writes per second for ${key}`);
  }
}

export function resolveService(ctx: Context): ServiceRecord {
  const sid = ctx.params.serviceSid ?? ctx.store.defaultServiceSid;
  const service = ctx.store.services.get(sid);
  if (!service) throw errors.notFound(ctx.path);
  return service;
}

export function resolveConversation(ctx: Context, sidOrUniqueName: string): ConversationRecord {
  const service = resolveService(ctx);
  const conversation = findConversation(ctx.store, service.sid, sidOrUniqueName);
  if (!conversation) throw errors.notFound(ctx.path);
  return conversation;
}

export function listPage<T>(
  ctx: Context,
  key: string,
  listUrl: string,
  filters: Array<[string, string]>,
  items: readonly T[],
  sortKey: (item: T) => SortKey,
  descending: boolean,
  toJson: (item: T) => unknown,
  sizes?: PageSizes,
): Result {
  const size = pageSize(ctx.query, sizes);
  const page = pageNumber(ctx.query);
  const token = ctx.query.PageToken;
  const result = paginate(items, sortKey, descending, { size, page, token });
  return ok(
    pageJson(key, result.items.map(toJson), {
      listUrl,
      filters,
      size,
      page,
      token,
      nextToken: result.nextToken,
      previousToken: result.previousToken,
    }),
  );
}

/**
 * A page of a service's collection (`segment`, e.g. `Roles`) in creation order, on the path family
 * the request came by: `/v1/<segment>` for the default service, `/v1/Services/IS…/<segment>`.
 */
export function listOfService<T extends { seq: number }>(
  ctx: Context,
  key: string,
  segment: string,
  itemsOf: (serviceSid: string) => readonly T[],
  toJson: (item: T) => unknown,
  sizes?: PageSizes,
): Result {
  const service = resolveService(ctx);
  const listUrl = ctx.params.serviceSid !== undefined ? `${serviceUrl(ctx.origin, service.sid)}/${segment}` : `${ctx.origin}/v1/${segment}`;
  return listPage(ctx, key, listUrl, [], itemsOf(service.sid), (item) => [item.seq, 0], false, toJson, sizes);
}

// Services

export function createService(ctx: Context): Result {
  const name = ctx.form.FriendlyName;
  if (name === undefined || name === "") throw errors.invalidParameter("Missing required parameter FriendlyName in the post body");
  if (name.length > LIMITS.friendlyNameChars) {
    throw errors.invalidParameter(`FriendlyName must be at most ${LIMITS.friendlyNameChars} characters`);
  }
  const service = insertService(ctx.store, name, ctx.now);
  return created(serviceJson(service, ctx.origin, ctx.accountSid));
}

function serviceFromPath(ctx: Context): ServiceRecord {
  const service = ctx.store.services.get(ctx.params.sid);
  if (!service) throw errors.notFound(ctx.path);
  return service;
}

export function fetchService(ctx: Context): Result {
  return ok(serviceJson(serviceFromPath(ctx), ctx.origin, ctx.accountSid));
}

export function deleteServiceHandler(ctx: Context): Result {
  const service = serviceFromPath(ctx);
  // The default service backs /v1/Conversations; the emulator keeps it (Twilio's answer is UNVERIFIED).
  if (service.sid === ctx.store.defaultServiceSid) throw errors.invalidParameter("The default Conversation Service can't be deleted");
  deleteService(ctx.store, service.sid);
  return noContent();
}

export function listServices(ctx: Context): Result {
  return listPage(
    ctx,
    "services",
    `${ctx.origin}/v1/Services`,
    [],
    [...ctx.store.services.values()],
    (service) => [service.seq, 0],
    false,
    (service) => serviceJson(service, ctx.origin, ctx.accountSid),
  );
}

// Conversations

/**
 * The account's defaults for a new conversation, in any service ("settings applied at the account
 * level, across all Conversation Services"): its default timers when the conversation sets none
 * ([S]: "a conversation can pick up timers it never sent"), and its default messaging service when
 * it names none (UNVERIFIED outside the default service). The timers count from the creation.
 */
function applyAccountDefaults(store: Store, fields: NewConversation, now: number): void {
  const saved = store.account.get(CONFIGURATION_KEY) as AccountConfigurationRecord | undefined;
  if (!saved) return;
  if (fields.messagingServiceSid === null) fields.messagingServiceSid = saved.defaultMessagingServiceSid;
  for (const [name, duration] of [["inactive", saved.defaultInactiveTimer], ["closed", saved.defaultClosedTimer]] as const) {
    const seconds = duration === null ? null : parseDurationSeconds(duration);
    if (fields.timers[name] === undefined && seconds) fields.timers = { ...fields.timers, [name]: armedTimer(seconds, now) };
  }
}

export function createConversation(ctx: Context): Result {
  const service = resolveService(ctx);
  requireAps(ctx, apsKeys.service(service.sid));
  const fields = newConversationFields(ctx.form, service.sid, ctx.now);
  applyAccountDefaults(ctx.store, fields, ctx.now);
  if (fields.uniqueName !== null && isUniqueNameTaken(ctx.store, service.sid, fields.uniqueName)) {
    throw errors.duplicateUniqueName();
  }
  const conversation = insertConversation(ctx.store, fields);
  return created(conversationJson(conversation, view(ctx)));
}

export function fetchConversation(ctx: Context): Result {
  return ok(conversationJson(resolveConversation(ctx, ctx.params.sid), view(ctx)));
}

export function updateConversationHandler(ctx: Context): Result {
  const conversation = resolveConversation(ctx, ctx.params.sid);
  requireAps(ctx, apsKeys.conversation(conversation.sid));
  const changes = conversationUpdate(ctx.form, conversation, ctx.now);
  if (
    changes.uniqueName !== undefined &&
    changes.uniqueName !== null &&
    isUniqueNameTaken(ctx.store, conversation.serviceSid, changes.uniqueName, conversation.sid)
  ) {
    throw errors.duplicateUniqueName();
  }
  updateConversation(ctx.store, conversation, changes);
  return ok(conversationJson(conversation, view(ctx)));
}

export function deleteConversationHandler(ctx: Context): Result {
  const conversation = resolveConversation(ctx, ctx.params.sid);
  requireAps(ctx, apsKeys.service(conversation.serviceSid));
  deleteConversation(ctx.store, conversation.sid);
  return noContent();
}

function dateFilter(query: Record<string, string>, key: "StartDate" | "EndDate"): number | undefined {
  const text = query[key];
  if (text === undefined) return undefined;
  const ms = parseDate(text);
  if (ms === null) throw errors.invalidParameter(`${key} must be an ISO 8601 date or date-time`);
  // A bare EndDate date means the whole of that day.
  return key === "EndDate" && /^\d{4}-\d{2}-\d{2}$/.test(text) ? ms + 86_399_000 : ms;
}

export function listConversations(ctx: Context): Result {
  const service = resolveService(ctx);
  const start = dateFilter(ctx.query, "StartDate");
  const end = dateFilter(ctx.query, "EndDate");
  const state = ctx.query.State;
  if (state !== undefined && !["initializing", "inactive", "active", "closed"].includes(state)) {
    throw errors.invalidParameter("State must be one of initializing, inactive, active, closed");
  }
  const filters: Array<[string, string]> = [];
  for (const key of ["StartDate", "EndDate", "State"]) {
    if (ctx.query[key] !== undefined) filters.push([key, ctx.query[key]]);
  }
  const all = [...(ctx.store.conversationsByService.get(service.sid) ?? [])].map(
    (sid) => ctx.store.conversations.get(sid)!,
  );
  const matching = all.filter(
    (c) =>
      (state === undefined || c.state === state) &&
      (start === undefined || c.dateCreated >= start) &&
      (end === undefined || c.dateCreated <= end),
  );
  // Twilio answers newest-created first when a date filter is used; otherwise creation order.
  const byDate = start !== undefined || end !== undefined;
  const sortKey = (c: ConversationRecord): SortKey => (byDate ? [c.dateCreated, c.seq] : [c.seq, 0]);
  if (byDate) matching.sort((a, b) => b.dateCreated - a.dateCreated || b.seq - a.seq);
  return listPage(
    ctx,
    "conversations",
    conversationsUrl(view(ctx), service.sid),
    filters,
    matching,
    sortKey,
    byDate,
    (c) => conversationJson(c, view(ctx)),
  );
}

// Messages

export function createMessage(ctx: Context): Result {
  const conversation = resolveConversation(ctx, ctx.params.conversationSid);
  requireAps(ctx, apsKeys.conversation(conversation.sid));
  assertWritable(conversation);
  const message = insertMessage(ctx.store, conversation, newMessageFields(ctx.form, ctx.now));
  restartTimers(ctx.store, conversation, ctx.now);
  if (conversation.state === "inactive") {
    // A new message brings an inactive conversation back to active.
    updateConversation(ctx.store, conversation, { state: "active", dateUpdated: ctx.now });
  }
  return created(messageJson(message, view(ctx)));
}

function resolveMessage(ctx: Context) {
  const conversation = resolveConversation(ctx, ctx.params.conversationSid);
  const message = SID_PATTERNS.message.test(ctx.params.sid) ? findMessage(ctx.store, conversation, ctx.params.sid) : undefined;
  if (!message) throw errors.notFound(ctx.path);
  return { conversation, message };
}

export function fetchMessage(ctx: Context): Result {
  return ok(messageJson(resolveMessage(ctx).message, view(ctx)));
}

export function updateMessage(ctx: Context): Result {
  const { conversation, message } = resolveMessage(ctx);
  requireAps(ctx, apsKeys.conversation(conversation.sid));
  assertWritable(conversation);
  updateMessageRecord(ctx.store, message, messageUpdate(ctx.form, ctx.now));
  return ok(messageJson(message, view(ctx)));
}

export function deleteMessageHandler(ctx: Context): Result {
  const { conversation, message } = resolveMessage(ctx);
  requireAps(ctx, apsKeys.conversation(conversation.sid));
  deleteMessage(ctx.store, message);
  return noContent();
}

export function listMessages(ctx: Context): Result {
  const conversation = resolveConversation(ctx, ctx.params.conversationSid);
  const order = ctx.query.Order ?? "asc";
  if (order !== "asc" && order !== "desc") throw errors.invalidParameter("Order must be asc or desc");
  const ordered = ctx.store.messagesByConversation.get(conversation.sid) ?? [];
  const descending = order === "desc";
  const listUrl = `${conversationsUrl(view(ctx), conversation.serviceSid)}/${conversation.sid}/Messages`;
  return listPage(
    ctx,
    "messages",
    listUrl,
    ctx.query.Order === undefined ? [] : [["Order", order]],
    descending ? [...ordered].reverse() : ordered,
    (message) => [message.index, 0],
    descending,
    (message) => messageJson(message, view(ctx)),
  );
}

