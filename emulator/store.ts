// The in-memory state: plain records keyed by SID, plus the indexes that keep unique names and
// message order cheap to answer. Every mutation is synchronous, so two requests can never
// interleave between a uniqueness check and the write that depends on it.
import { restoreAccount, snapshotAccount, type AccountSnapshot } from "./account-store";
import { deleteParticipantsOf, restoreParticipants } from "./participant-store";
import type {
  ConversationRecord,
  MessageRecord,
  ParticipantRecord,
  RoleRecord,
  ServiceConfigurationRecord,
  ServiceRecord,
  Store,
  TimerRecord,
  UserRecord,
  WebhookRecord,
} from "./records";
import { deleteRolesOf, restoreRoles, seedServiceDefaults } from "./role-store";
import { LATEST_INSTANT_MS, newSid } from "./values";

export interface Snapshot extends AccountSnapshot {
  version: 1;
  seq: number;
  defaultServiceSid: string;
  services: ServiceRecord[];
  conversations: ConversationRecord[];
  messages: MessageRecord[];
  /** Absent in state files written before participants were kept. */
  participants?: ParticipantRecord[];
  /** Absent in state files written before users and webhooks were kept. */
  users?: UserRecord[];
  webhooks?: WebhookRecord[];
  /** Absent in state files written before roles and service configurations were kept. */
  roles?: RoleRecord[];
  serviceConfigurations?: ServiceConfigurationRecord[];
}

/** A store holding only the default service (with the given SID, so it survives a reset). */
export function createStore(defaultServiceSid: string = newSid("IS"), now: number = Date.now()): Store {
  const store = emptyStore(defaultServiceSid);
  insertService(store, "Default Conversations Service", now, defaultServiceSid);
  return store;
}

function emptyStore(defaultServiceSid: string): Store {
  return {
    seq: 0,
    defaultServiceSid,
    services: new Map(),
    conversations: new Map(),
    messages: new Map(),
    users: new Map(),
    webhooks: new Map(),
    account: new Map(),
    addressConfigurations: new Map(),
    configuredAddresses: new Map(),
    credentials: new Map(),
    identities: new Map(),
    webhooksByConversation: new Map(),
    conversationsByService: new Map(),
    uniqueNames: new Map(),
    messagesByConversation: new Map(),
    participants: new Map(),
    participantsByConversation: new Map(),
    participantBindings: new Map(),
    roles: new Map(),
    rolesByService: new Map(),
    serviceConfigurations: new Map(),
    touched: null,
    // Zero: the first look at the timers scans every conversation (after a restore, too).
    nextTimerAt: 0,
  };
}

function touch(store: Store, sid: string): void {
  store.touched?.add(sid);
}

export function insertService(
  store: Store,
  friendlyName: string | null,
  now: number,
  sid: string = newSid("IS"),
): ServiceRecord {
  const service: ServiceRecord = {
    sid,
    friendlyName,
    dateCreated: now,
    dateUpdated: now,
    seq: ++store.seq,
  };
  store.services.set(service.sid, service);
  store.conversationsByService.set(service.sid, new Set());
  store.uniqueNames.set(service.sid, new Map());
  touch(store, service.sid);
  seedServiceDefaults(store, service.sid, now);
  return service;
}

export function deleteService(store: Store, serviceSid: string): void {
  for (const conversationSid of store.conversationsByService.get(serviceSid) ?? []) {
    deleteConversation(store, conversationSid);
  }
  for (const userSid of store.identities.get(serviceSid)?.values() ?? []) deleteUser(store, store.users.get(userSid)!);
  store.identities.delete(serviceSid);
  deleteRolesOf(store, serviceSid);
  store.services.delete(serviceSid);
  store.conversationsByService.delete(serviceSid);
  store.uniqueNames.delete(serviceSid);
  touch(store, serviceSid);
}

/** A conversation of the service by `CH…` SID or by unique name. */
export function findConversation(
  store: Store,
  serviceSid: string,
  sidOrUniqueName: string,
): ConversationRecord | undefined {
  return findInService(store.conversations, store.uniqueNames.get(serviceSid), serviceSid, sidOrUniqueName);
}

export function isUniqueNameTaken(store: Store, serviceSid: string, uniqueName: string, exceptSid?: string): boolean {
  const owner = store.uniqueNames.get(serviceSid)?.get(uniqueName);
  return owner !== undefined && owner !== exceptSid;
}

export type NewConversation = Omit<ConversationRecord, "sid" | "seq" | "nextMessageIndex">;

export function insertConversation(store: Store, fields: NewConversation): ConversationRecord {
  const conversation: ConversationRecord = { ...fields, sid: newSid("CH"), seq: ++store.seq, nextMessageIndex: 0 };
  store.conversations.set(conversation.sid, conversation);
  store.conversationsByService.get(conversation.serviceSid)?.add(conversation.sid);
  if (conversation.uniqueName !== null) {
    store.uniqueNames.get(conversation.serviceSid)?.set(conversation.uniqueName, conversation.sid);
  }
  store.messagesByConversation.set(conversation.sid, []);
  touch(store, conversation.sid);
  noteTimers(store, conversation);
  return conversation;
}

export function updateConversation(
  store: Store,
  conversation: ConversationRecord,
  changes: Partial<NewConversation>,
): ConversationRecord {
  if (changes.uniqueName !== undefined && changes.uniqueName !== conversation.uniqueName) {
    const names = store.uniqueNames.get(conversation.serviceSid);
    if (conversation.uniqueName !== null) names?.delete(conversation.uniqueName);
    if (changes.uniqueName !== null) names?.set(changes.uniqueName, conversation.sid);
  }
  Object.assign(conversation, changes);
  touch(store, conversation.sid);
  noteTimers(store, conversation);
  return conversation;
}

/** Keeps `nextTimerAt` no later than the conversation's pending timers; the state file takes the change. */
export function noteTimers(store: Store, conversation: ConversationRecord): void {
  touch(store, conversation.sid);
  for (const timer of [conversation.timers.inactive, conversation.timers.closed]) {
    if (timer?.pending && timer.at < store.nextTimerAt) store.nextTimerAt = timer.at;
  }
}

export function deleteConversation(store: Store, conversationSid: string): void {
  const conversation = store.conversations.get(conversationSid);
  if (!conversation) return;
  for (const message of store.messagesByConversation.get(conversationSid) ?? []) {
    store.messages.delete(message.sid);
    touch(store, message.sid);
  }
  store.messagesByConversation.delete(conversationSid);
  deleteParticipantsOf(store, conversationSid);
  for (const webhookSid of store.webhooksByConversation.get(conversationSid) ?? []) {
    store.webhooks.delete(webhookSid);
    touch(store, webhookSid);
  }
  store.webhooksByConversation.delete(conversationSid);
  if (conversation.uniqueName !== null) {
    store.uniqueNames.get(conversation.serviceSid)?.delete(conversation.uniqueName);
  }
  store.conversationsByService.get(conversation.serviceSid)?.delete(conversationSid);
  store.conversations.delete(conversationSid);
  touch(store, conversationSid);
}

export type NewMessage = Omit<MessageRecord, "sid" | "index" | "conversationSid" | "serviceSid">;

export function insertMessage(store: Store, conversation: ConversationRecord, fields: NewMessage): MessageRecord {
  const message: MessageRecord = {
    ...fields,
    sid: newSid("IM"),
    conversationSid: conversation.sid,
    serviceSid: conversation.serviceSid,
    index: conversation.nextMessageIndex++,
  };
  store.messages.set(message.sid, message);
  store.messagesByConversation.get(conversation.sid)?.push(message);
  // The conversation's nextMessageIndex moved too.
  touch(store, conversation.sid);
  touch(store, message.sid);
  return message;
}

export function updateMessage(store: Store, message: MessageRecord, changes: Partial<NewMessage>): MessageRecord {
  Object.assign(message, changes);
  touch(store, message.sid);
  return message;
}

export function findMessage(store: Store, conversation: ConversationRecord, messageSid: string): MessageRecord | undefined {
  const message = store.messages.get(messageSid);
  return message && message.conversationSid === conversation.sid ? message : undefined;
}

export function deleteMessage(store: Store, message: MessageRecord): void {
  store.messages.delete(message.sid);
  touch(store, message.sid);
  const ordered = store.messagesByConversation.get(message.conversationSid);
  if (!ordered) return;
  const position = indexPosition(ordered, message.index);
  if (ordered[position]?.sid === message.sid) ordered.splice(position, 1);
}

/** First position in index-ordered messages whose index is >= the given one (binary search). */
export function indexPosition(ordered: readonly MessageRecord[], index: number): number {
  let low = 0;
  let high = ordered.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ordered[middle].index < index) low = middle + 1;
    else high = middle;
  }
  return low;
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = create()));
  return value;
}

/** A record of the service by SID, or by the name an index of the service maps to its SID. */
function findInService<T extends { serviceSid: string }>(
  records: Map<string, T>,
  names: Map<string, string> | undefined,
  serviceSid: string,
  sidOrName: string,
): T | undefined {
  const bySid = records.get(sidOrName);
  if (bySid && bySid.serviceSid === serviceSid) return bySid;
  const sid = names?.get(sidOrName);
  return sid === undefined ? undefined : records.get(sid);
}

// Users: one identity per service.

/** A user of the service by `US…` SID or by identity. */
export function findUser(store: Store, serviceSid: string, sidOrIdentity: string): UserRecord | undefined {
  return findInService(store.users, store.identities.get(serviceSid), serviceSid, sidOrIdentity);
}

/** The service's users in creation order. */
export function usersOf(store: Store, serviceSid: string): UserRecord[] {
  return [...(store.identities.get(serviceSid)?.values() ?? [])].map((sid) => store.users.get(sid)!);
}

export type NewUser = Omit<UserRecord, "sid" | "seq">;

export function insertUser(store: Store, fields: NewUser): UserRecord {
  const user: UserRecord = { ...fields, sid: newSid("US"), seq: ++store.seq };
  store.users.set(user.sid, user);
  getOrCreate(store.identities, user.serviceSid, () => new Map()).set(user.identity, user.sid);
  touch(store, user.sid);
  return user;
}

/** Applies changes to a user or a webhook (never its identity, service or conversation). */
export function updateRecord<T extends UserRecord | WebhookRecord>(store: Store, record: T, changes: Partial<NoInfer<T>>): T {
  Object.assign(record, changes);
  touch(store, record.sid);
  return record;
}

/** Removes a record and its entry in the index that lists it. */
function forget(store: Store, records: Map<string, unknown>, index: { delete(key: string): unknown } | undefined, key: string, sid: string): void {
  records.delete(sid);
  index?.delete(key);
  touch(store, sid);
}

export function deleteUser(store: Store, user: UserRecord): void {
  forget(store, store.users, store.identities.get(user.serviceSid), user.identity, user.sid);
}

// Conversation-scoped webhooks.

/** The conversation's webhooks in creation order. */
export function conversationWebhooks(store: Store, conversationSid: string): WebhookRecord[] {
  return [...(store.webhooksByConversation.get(conversationSid) ?? [])].map((sid) => store.webhooks.get(sid)!);
}

export function findWebhook(store: Store, conversation: ConversationRecord, webhookSid: string): WebhookRecord | undefined {
  const webhook = store.webhooks.get(webhookSid);
  return webhook && webhook.conversationSid === conversation.sid ? webhook : undefined;
}

export type NewWebhook = Omit<WebhookRecord, "sid" | "seq" | "conversationSid" | "serviceSid">;

export function insertWebhook(store: Store, conversation: ConversationRecord, fields: NewWebhook): WebhookRecord {
  const { sid: conversationSid, serviceSid } = conversation;
  const webhook: WebhookRecord = { ...fields, sid: newSid("WH"), conversationSid, serviceSid, seq: ++store.seq };
  store.webhooks.set(webhook.sid, webhook);
  getOrCreate(store.webhooksByConversation, conversation.sid, () => new Set()).add(webhook.sid);
  touch(store, webhook.sid);
  return webhook;
}

export function deleteWebhook(store: Store, webhook: WebhookRecord): void {
  forget(store, store.webhooks, store.webhooksByConversation.get(webhook.conversationSid), webhook.sid, webhook.sid);
}

export function snapshot(store: Store): Snapshot {
  return {
    version: 1,
    seq: store.seq,
    defaultServiceSid: store.defaultServiceSid,
    services: [...store.services.values()],
    conversations: [...store.conversations.values()],
    messages: [...store.messages.values()],
    participants: [...store.participants.values()],
    users: [...store.users.values()],
    webhooks: [...store.webhooks.values()],
    roles: [...store.roles.values()],
    serviceConfigurations: [...store.serviceConfigurations.values()],
    ...snapshotAccount(store),
  };
}

export function restore(saved: Snapshot): Store {
  const store = emptyStore(saved.defaultServiceSid);
  store.seq = saved.seq;
  for (const service of [...saved.services].sort((a, b) => a.seq - b.seq)) {
    store.services.set(service.sid, { ...service });
    store.conversationsByService.set(service.sid, new Set());
    store.uniqueNames.set(service.sid, new Map());
  }
  for (const saved_ of [...saved.conversations].sort((a, b) => a.seq - b.seq)) {
    const conversation = { ...saved_, timers: restoredTimers(saved_.timers) };
    store.conversations.set(conversation.sid, conversation);
    store.conversationsByService.get(conversation.serviceSid)?.add(conversation.sid);
    if (conversation.uniqueName !== null) {
      store.uniqueNames.get(conversation.serviceSid)?.set(conversation.uniqueName, conversation.sid);
    }
    store.messagesByConversation.set(conversation.sid, []);
  }
  for (const message of [...saved.messages].sort((a, b) => a.index - b.index)) {
    store.messages.set(message.sid, { ...message });
    store.messagesByConversation.get(message.conversationSid)?.push(store.messages.get(message.sid)!);
  }
  restoreParticipants(store, saved.participants);
  for (const user of [...(saved.users ?? [])].sort((a, b) => a.seq - b.seq)) {
    store.users.set(user.sid, { ...user });
    getOrCreate(store.identities, user.serviceSid, () => new Map()).set(user.identity, user.sid);
  }
  for (const webhook of [...(saved.webhooks ?? [])].sort((a, b) => a.seq - b.seq)) {
    store.webhooks.set(webhook.sid, { ...webhook });
    getOrCreate(store.webhooksByConversation, webhook.conversationSid, () => new Set()).add(webhook.sid);
  }
  restoreRoles(store, saved.roles, saved.serviceConfigurations);
  restoreAccount(store, saved);
  return store;
}

/** Timers as saved; files written before timers fired held only `inactiveAt`/`closedAt`. */
function restoredTimers(saved: ConversationRecord["timers"] & { inactiveAt?: number; closedAt?: number }): ConversationRecord["timers"] {
  const timers: ConversationRecord["timers"] = {};
  const inactive = saved.inactive ?? (saved.inactiveAt === undefined ? undefined : { seconds: 0, at: saved.inactiveAt, pending: true });
  const closed = saved.closed ?? (saved.closedAt === undefined ? undefined : { seconds: 0, at: saved.closedAt, pending: true });
  if (inactive) timers.inactive = withinAnswerableDates(inactive);
  if (closed) timers.closed = withinAnswerableDates(closed);
  return timers;
}

/** A timer saved past the latest date the emulator answers (before that bound) fires at that date. */
function withinAnswerableDates(timer: TimerRecord): TimerRecord {
  return Number.isFinite(timer.at) && timer.at <= LATEST_INSTANT_MS ? timer : { ...timer, at: LATEST_INSTANT_MS };
}
