// The shapes of what the store holds: one record type per Twilio object, and the Store with its
// tables and indexes. Types only (and the fixed keys of the account's singletons). The operations
// are in account-store.ts, participant-store.ts, role-store.ts and store.ts, which composes the
// other three for new services, cascading deletes, snapshots and restores; all read their shapes
// from here, so none of the three imports store.ts back.

export type ConversationState = "initializing" | "inactive" | "active" | "closed";

/** One timer: its length, the absolute time (ms) it fires at, and whether it has yet to fire. */
export interface TimerRecord {
  seconds: number;
  at: number;
  pending: boolean;
}

export interface ServiceRecord {
  sid: string;
  friendlyName: string | null;
  dateCreated: number;
  dateUpdated: number;
  seq: number;
}

export interface ConversationRecord {
  sid: string;
  serviceSid: string;
  uniqueName: string | null;
  friendlyName: string | null;
  attributes: string | null;
  state: ConversationState;
  messagingServiceSid: string | null;
  dateCreated: number;
  dateUpdated: number;
  /** Twilio's timers; absent when not set. */
  timers: { inactive?: TimerRecord; closed?: TimerRecord };
  bindingsEmail: { address: string | null; name: string | null } | null;
  nextMessageIndex: number;
  seq: number;
}

export interface MessageRecord {
  sid: string;
  conversationSid: string;
  serviceSid: string;
  index: number;
  author: string;
  body: string | null;
  mediaSid: string | null;
  contentSid: string | null;
  contentVariables: string | null;
  attributes: string | null;
  subject: string | null;
  dateCreated: number;
  dateUpdated: number;
}

export type WebhookTarget = "webhook" | "trigger" | "studio";

/** A conversation-scoped webhook; the configuration fields its target does not use stay null. */
export interface WebhookRecord {
  sid: string;
  conversationSid: string;
  serviceSid: string;
  target: WebhookTarget;
  url: string | null;
  method: "get" | "post" | null;
  filters: string[] | null;
  triggers: string[] | null;
  flowSid: string | null;
  replayAfter: number | null;
  dateCreated: number;
  dateUpdated: number;
  seq: number;
}

export interface UserRecord {
  sid: string;
  serviceSid: string;
  identity: string;
  friendlyName: string | null;
  attributes: string | null;
  roleSid: string | null;
  dateCreated: number;
  dateUpdated: number;
  seq: number;
}

// Account-level records: the two configuration singletons, address configurations, push credentials.

export const CONFIGURATION_KEY = "configuration";
export const CONFIGURATION_WEBHOOKS_KEY = "configuration/webhooks";

/** The account's Conversations settings; absent until the first update (defaults apply). */
export interface AccountConfigurationRecord {
  sid: typeof CONFIGURATION_KEY;
  defaultChatServiceSid: string;
  defaultMessagingServiceSid: string | null;
  /** The ISO 8601 durations as sent; null when unset or switched off. */
  defaultInactiveTimer: string | null;
  defaultClosedTimer: string | null;
}

export interface AccountWebhooksRecord {
  sid: typeof CONFIGURATION_WEBHOOKS_KEY;
  method: "GET" | "POST";
  filters: string[];
  preWebhookUrl: string | null;
  postWebhookUrl: string | null;
  target: "webhook" | "flex";
}

export type AccountRecord = AccountConfigurationRecord | AccountWebhooksRecord;

export interface AutoCreationRecord {
  enabled: boolean;
  type: "webhook" | "studio" | "default";
  conversationServiceSid: string | null;
  webhookUrl: string | null;
  webhookMethod: "GET" | "POST" | null;
  webhookFilters: string[];
  studioFlowSid: string | null;
  studioRetryCount: number | null;
}

export interface AddressConfigurationRecord {
  sid: string;
  type: string;
  address: string;
  friendlyName: string | null;
  addressCountry: string | null;
  autoCreation: AutoCreationRecord;
  dateCreated: number;
  dateUpdated: number;
  seq: number;
}

/** Which secret a credential was given, as a SHA-256 fingerprint: the value itself is never kept. */
export interface CredentialFingerprints {
  certificate: string | null;
  privateKey: string | null;
  apiKey: string | null;
  secret: string | null;
}

export interface CredentialRecord {
  sid: string;
  type: "apn" | "gcm" | "fcm";
  friendlyName: string | null;
  sandbox: boolean;
  fingerprints: CredentialFingerprints;
  dateCreated: number;
  dateUpdated: number;
  seq: number;
}

/**
 * How a participant exchanges messages; null for a chat (SDK) participant. A one-to-one SMS or
 * WhatsApp participant has `address` and `proxyAddress`; a Group MMS one has only `address`; a chat
 * participant in a Group MMS conversation, or a bare Twilio number there, has `projectedAddress`.
 */
export interface ParticipantBinding {
  /** `sms`, `whatsapp`, `rcs`, `messenger` or `gbm`, from the address's channel prefix. */
  type: string;
  address: string | null;
  proxyAddress: string | null;
  projectedAddress: string | null;
}

export interface ParticipantRecord {
  sid: string;
  conversationSid: string;
  serviceSid: string;
  identity: string | null;
  attributes: string | null;
  binding: ParticipantBinding | null;
  roleSid: string | null;
  lastReadMessageIndex: number | null;
  lastReadTimestamp: string | null;
  dateCreated: number;
  dateUpdated: number;
  seq: number;
}

export type RoleType = "conversation" | "service";

export interface RoleRecord {
  sid: string;
  serviceSid: string;
  friendlyName: string;
  type: RoleType;
  permissions: string[];
  dateCreated: number;
  dateUpdated: number;
  seq: number;
}

export interface NotificationText {
  enabled: boolean;
  template: string | null;
  sound: string | null;
}

export interface ServiceNotifications {
  logEnabled: boolean;
  newMessage: NotificationText & { badgeCountEnabled: boolean; withMedia: { enabled: boolean; template: string | null } };
  addedToConversation: NotificationText;
  removedFromConversation: NotificationText;
}

export interface ServiceWebhooks {
  preWebhookUrl: string | null;
  postWebhookUrl: string | null;
  filters: string[] | null;
  method: "GET" | "POST";
}

/** A service's configuration, notifications and webhooks; `sid` is `<service SID>/Configuration`. */
export interface ServiceConfigurationRecord {
  sid: string;
  serviceSid: string;
  defaultConversationCreatorRoleSid: string | null;
  defaultConversationRoleSid: string | null;
  defaultChatServiceRoleSid: string | null;
  reachabilityEnabled: boolean;
  notifications: ServiceNotifications;
  webhooks: ServiceWebhooks;
}

export interface Store {
  seq: number;
  defaultServiceSid: string;
  services: Map<string, ServiceRecord>;
  conversations: Map<string, ConversationRecord>;
  messages: Map<string, MessageRecord>;
  users: Map<string, UserRecord>;
  webhooks: Map<string, WebhookRecord>;
  /** The account's configuration singletons, by their fixed keys. */
  account: Map<string, AccountRecord>;
  addressConfigurations: Map<string, AddressConfigurationRecord>;
  /** address -> address configuration SID (one configuration per address). */
  configuredAddresses: Map<string, string>;
  credentials: Map<string, CredentialRecord>;
  /** identity -> user SID, per service, in creation order (an identity is never changed). */
  identities: Map<string, Map<string, string>>;
  /** Webhook SIDs per conversation, in creation order. */
  webhooksByConversation: Map<string, Set<string>>;
  /** Conversation SIDs per service, in creation order. */
  conversationsByService: Map<string, Set<string>>;
  /** unique name -> conversation SID, per service. */
  uniqueNames: Map<string, Map<string, string>>;
  /** Messages per conversation, ordered by index. */
  messagesByConversation: Map<string, MessageRecord[]>;
  participants: Map<string, ParticipantRecord>;
  /** Participants per conversation, in creation order. */
  participantsByConversation: Map<string, ParticipantRecord[]>;
  /** (address, proxy address) binding -> SIDs of the participants holding it, in any conversation. */
  participantBindings: Map<string, Set<string>>;
  roles: Map<string, RoleRecord>;
  /** Role SIDs per service, in creation order. */
  rolesByService: Map<string, Set<string>>;
  /** Each service's configuration singleton, keyed `<service SID>/Configuration`. */
  serviceConfigurations: Map<string, ServiceConfigurationRecord>;
  /**
   * SIDs of the records written since the state file last took them (null when no state file is
   * kept). Every mutation goes through the functions below, which mark what they change.
   */
  touched: Set<string> | null;
  /** No pending timer fires before this time (ms), so requests before it skip the timer scan. */
  nextTimerAt: number;
}
