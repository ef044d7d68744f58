import type * as pulumi from "@pulumi/pulumi";
import type { JsonObject } from "../domain/json";
import type { ConversationBindings } from "../domain/properties";
import type { AdoptMode, ConversationState, WebhookTarget } from "../domain/rules";
import type { MessagingBinding } from "../client/wire";

// Value types of the properties, defined beside them and exported here with the arguments.
export type { JsonObject, JsonValue } from "../domain/json";
export type { ConversationBindings } from "../domain/properties";
export type { MessagingBinding } from "../client/wire";

/**
 * Which Twilio account or subaccount a resource uses. By default the `twilio:*` stack config, else
 * the `TWILIO_*` environment variables. `configNamespace: "twilio-eu"` reads `twilio-eu:accountSid`,
 * `twilio-eu:authToken` (or `apiKey`/`apiSecret`), `twilio-eu:region`… from the stack config
 * instead. Only the namespace is stored with the resource; credentials are read when the provider
 * runs, never stored.
 */
export interface TwilioSettings {
  configNamespace?: string;
}

/** What a stack declares for one conversation; every field but the service is optional. */
export interface ConversationArgs {
  /** `IS…` SID of the Conversation Service; omitted or null means the account's default service. */
  chatServiceSid?: pulumi.Input<string | null>;
  uniqueName?: pulumi.Input<string | null>;
  friendlyName?: pulumi.Input<string | null>;
  state?: pulumi.Input<ConversationState | null>;
  /** ISO 8601 durations, e.g. `PT1H`; Twilio's minimums are 1 minute and 10 minutes. */
  timers?: pulumi.Input<{ inactive?: string | null; closed?: string | null } | null>;
  /** A JSON object, compared as a value (key order and formatting never show as a change). */
  attributes?: pulumi.Input<JsonObject | null>;
  messagingServiceSid?: pulumi.Input<string | null>;
  /** The default sender of the conversation's outbound emails; a part left out is not managed. */
  bindings?: pulumi.Input<ConversationBindings | null>;
  /** Take over a conversation that already exists with the same unique name. Default `never`. */
  adopt?: pulumi.Input<AdoptMode>;
  /** Sends `X-Twilio-Webhook-Enabled: true` on this resource's writes. Default false. */
  webhooksEnabled?: pulumi.Input<boolean>;
  /**
   * The seed thread, created in this order after the conversation, and kept by key: an edit
   * updates a message in place where Twilio allows it, and a message re-created (or inserted) is
   * followed by re-creating those after it, so the order holds. All of it is one resource.
   */
  messages?: SeedMessageArgs[];
  /**
   * Participants by key, created after the conversation and before its messages. An edit updates
   * a participant in place where Twilio allows it; a change of identity or binding re-creates it.
   */
  participants?: Record<string, ParticipantArgs>;
  /** Conversation-scoped webhooks by key (at most 5); a change of target or replayAfter re-creates one. */
  scopedWebhooks?: Record<string, ScopedWebhookArgs>;
  settings?: TwilioSettings;
}

/** One participant: a chat `identity`, or an SMS/WhatsApp `messagingBinding`. */
export interface ParticipantArgs {
  identity?: pulumi.Input<string | null>;
  messagingBinding?: pulumi.Input<MessagingBinding | null>;
  attributes?: pulumi.Input<JsonObject | null>;
  /** `RL…` SID of a conversation-level role. */
  roleSid?: pulumi.Input<string | null>;
  dateCreated?: pulumi.Input<string | null>;
  dateUpdated?: pulumi.Input<string | null>;
  lastReadMessageIndex?: pulumi.Input<number | null>;
  lastReadTimestamp?: pulumi.Input<string | null>;
}

/** One conversation-scoped webhook. */
export interface ScopedWebhookArgs {
  target: pulumi.Input<WebhookTarget>;
  url?: pulumi.Input<string | null>;
  method?: pulumi.Input<"GET" | "POST" | null>;
  filters?: pulumi.Input<string[] | null>;
  triggers?: pulumi.Input<string[] | null>;
  /** `FW…` SID of a Studio Flow. */
  flowSid?: pulumi.Input<string | null>;
  replayAfter?: pulumi.Input<number | null>;
}

/** What a message says: the fields a seed message and the `Message` resource share. */
export interface MessageContentArgs {
  author?: pulumi.Input<string | null>;
  body?: pulumi.Input<string | null>;
  attributes?: pulumi.Input<JsonObject | null>;
  /** `ME…` SID of uploaded media; only at creation (a change re-creates the message). */
  mediaSid?: pulumi.Input<string | null>;
  /** `HX…` SID of a content template; only at creation. */
  contentSid?: pulumi.Input<string | null>;
  contentVariables?: pulumi.Input<Record<string, string> | null>;
  subject?: pulumi.Input<string | null>;
  /** ISO 8601 timestamps, for backdating seed threads. */
  dateCreated?: pulumi.Input<string | null>;
  dateUpdated?: pulumi.Input<string | null>;
}

/** One message of a conversation's seed thread. */
export interface SeedMessageArgs extends MessageContentArgs {
  /** Keeps the message's identity when others are inserted or removed; default: its position. */
  key?: string;
}

/** What a stack declares for one seed message. */
export interface MessageArgs extends MessageContentArgs {
  chatServiceSid?: pulumi.Input<string | null>;
  /** `CH…` SID of the conversation the message belongs to. */
  conversationSid: pulumi.Input<string>;
  /**
   * The seed message this one follows: its `id` and its `index`. When that message is re-created
   * (or one is inserted before this one), this one is re-created too, so the thread keeps its order.
   */
  afterSid?: pulumi.Input<string | null>;
  afterIndex?: pulumi.Input<number | null>;
  /**
   * The conversation's declared state. A new message makes an inactive conversation active in
   * Twilio, so after creating a message in a conversation declared inactive, the provider sets it
   * back to inactive.
   */
  conversationState?: pulumi.Input<string | null>;
  webhooksEnabled?: pulumi.Input<boolean>;
  settings?: TwilioSettings;
}
