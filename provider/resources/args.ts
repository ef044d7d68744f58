import type * as pulumi from "@pulumi/pulumi";
import type {
  ConversationTable,
  DeclaredProperty,
  MessageTable,
  ParticipantTable,
  ValueOf,
  WebhookTable,
} from "../domain/properties";
import type { WebhookTarget } from "../domain/rules";

// Value types the package exports with the arguments (the others are named by the arguments' types).
export type { JsonObject, JsonValue } from "../domain/json";
export type { MessagingBinding } from "../domain/properties";

/**
 * A table's declared properties as a program passes them: each optional, of its row's type, null
 * for "not declared" unless the row has a default. Each one's documentation is its row's.
 */
export type ArgsOf<T> = {
  -readonly [K in keyof T as K extends DeclaredProperty<T> ? K : never]?: pulumi.Input<T[K] extends { default: unknown } ? ValueOf<T[K]> : ValueOf<T[K]> | null>;
};

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
export interface ConversationArgs extends ArgsOf<ConversationTable> {
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
  /**
   * Without a uniqueName: how many conversations of the program, in this service, declare the same
   * fields (this one included). After a killed run, that many conversations no resource holds may
   * be found with them; more are refused as not the stack's. The stack program sets it.
   */
  twins?: number;
  settings?: TwilioSettings;
}

/** One participant: a chat `identity`, or an SMS/WhatsApp `messagingBinding`. */
export interface ParticipantArgs extends ArgsOf<ParticipantTable> {}

/** One conversation-scoped webhook. */
export interface ScopedWebhookArgs extends Omit<ArgsOf<WebhookTable>, "target"> {
  // Required: a webhook is its target (check refuses one without).
  target: pulumi.Input<WebhookTarget>;
}

/** What a message says: the fields a seed message and the `Message` resource share. */
export interface MessageContentArgs extends ArgsOf<MessageTable> {}

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
