// The environment's resources as a program declares them: a service and what configures it, roles,
// users, the account's configuration and webhooks, address configurations and push credentials.
// Each kind's arguments, and its class (made from the registry of kinds by
// resources/environment-resource.ts, which refuses arguments that part ways with the kind's table).
// Everything this module exports, the package exports.
import type * as pulumi from "@pulumi/pulumi";
import type { JsonObject } from "../domain/json";
import { environmentResource, type Adoptable, type Common, type In, type InService, type InServiceOrDefault } from "./environment-resource";
import type { AutoCreation, NewMessageNotification, Notification } from "../domain/environment";

export interface ServiceArgs extends Common, Adoptable {
  /** A service is never updated in Twilio: a new name replaces it. */
  friendlyName: pulumi.Input<string>;
  /** Delete the service even when it still holds conversations the stack does not declare. Default false. */
  deleteWithConversations?: pulumi.Input<boolean>;
}

export interface ServiceConfigurationArgs extends Common, InService {
  defaultConversationCreatorRoleSid?: In<string>;
  defaultConversationRoleSid?: In<string>;
  defaultChatServiceRoleSid?: In<string>;
  reachabilityEnabled?: In<boolean>;
}

export interface NotificationArgs extends Notification {}

export interface ServiceNotificationsArgs extends Common, InService {
  logEnabled?: In<boolean>;
  newMessage?: In<NewMessageNotification>;
  addedToConversation?: In<NotificationArgs>;
  removedFromConversation?: In<NotificationArgs>;
}

export interface WebhookConfigurationArgs {
  preWebhookUrl?: In<string>;
  postWebhookUrl?: In<string>;
  method?: In<"GET" | "POST">;
  /** The events sent, a set: their order never shows as a change. */
  filters?: In<string[]>;
}

export interface ServiceWebhooksArgs extends Common, InService, WebhookConfigurationArgs {}

export interface AccountWebhooksArgs extends Common, WebhookConfigurationArgs {
  target?: In<"webhook" | "flex">;
}

export interface RoleArgs extends Common, InServiceOrDefault, Adoptable {
  friendlyName: pulumi.Input<string>;
  type: pulumi.Input<"conversation" | "service">;
  /** A set: their order never shows as a change. Updated in place. */
  permissions: pulumi.Input<string[]>;
}

export interface UserArgs extends Common, InServiceOrDefault, Adoptable {
  /** A new identity replaces the user. */
  identity: pulumi.Input<string>;
  friendlyName?: In<string>;
  attributes?: In<JsonObject>;
  roleSid?: In<string>;
}

export interface AccountConfigurationArgs extends Common {
  defaultChatServiceSid?: In<string>;
  defaultMessagingServiceSid?: In<string>;
  /** ISO 8601 durations, e.g. `PT1H`. */
  defaultInactiveTimer?: In<string>;
  defaultClosedTimer?: In<string>;
}

export interface AutoCreationArgs extends AutoCreation {}

export interface AddressConfigurationArgs extends Common, Adoptable {
  type: pulumi.Input<"sms" | "whatsapp" | "messenger" | "gbm" | "email" | "rcs" | "apple" | "chat">;
  /** A new address replaces the configuration. */
  address: pulumi.Input<string>;
  friendlyName?: In<string>;
  autoCreation?: In<AutoCreationArgs>;
  addressCountry?: In<string>;
}

/**
 * A push credential. Its certificate, private key, API key and secret are sent to Twilio, kept in
 * state as Pulumi secrets (encrypted inputs; the outputs hold only their fingerprints), and never
 * answered back: drift on them cannot be seen.
 * Adopted (by type and friendlyName), it keeps the secrets it holds: those declared are recorded, and
 * sent only once their value changes.
 */
export interface PushCredentialArgs extends Common, Adoptable {
  type: pulumi.Input<"apn" | "fcm" | "gcm">;
  friendlyName?: In<string>;
  sandbox?: In<boolean>;
  certificate?: In<string>;
  privateKey?: In<string>;
  apiKey?: In<string>;
  secret?: In<string>;
}

/** A Conversation Service. */
export const Service = environmentResource<ServiceArgs>("service");
export type Service = InstanceType<typeof Service>;

/** A service's configuration: its default roles and reachability. Never created or deleted; destroy puts back what it found. */
export const ServiceConfiguration = environmentResource<ServiceConfigurationArgs>("serviceConfiguration");
export type ServiceConfiguration = InstanceType<typeof ServiceConfiguration>;

/** A service's push notifications. Never created or deleted; destroy puts back what it found. */
export const ServiceNotifications = environmentResource<ServiceNotificationsArgs>("serviceNotifications");
export type ServiceNotifications = InstanceType<typeof ServiceNotifications>;

/** A service's pre- and post-event webhooks. Never created or deleted; destroy puts back what it found. */
export const ServiceWebhooks = environmentResource<ServiceWebhooksArgs>("serviceWebhooks");
export type ServiceWebhooks = InstanceType<typeof ServiceWebhooks>;

/** A role of a service, or of the default service. */
export const Role = environmentResource<RoleArgs>("role");
export type Role = InstanceType<typeof Role>;

/** A user of a service, or of the default service. */
export const User = environmentResource<UserArgs>("user");
export type User = InstanceType<typeof User>;

/** The account's Conversations defaults. Never created or deleted; destroy puts back what it found. */
export const AccountConfiguration = environmentResource<AccountConfigurationArgs>("accountConfiguration");
export type AccountConfiguration = InstanceType<typeof AccountConfiguration>;

/** The account's webhooks. Never created or deleted; destroy puts back what it found. */
export const AccountWebhooks = environmentResource<AccountWebhooksArgs>("accountWebhooks");
export type AccountWebhooks = InstanceType<typeof AccountWebhooks>;

/** An address of the account that opens conversations by itself when a message arrives. */
export const AddressConfiguration = environmentResource<AddressConfigurationArgs>("addressConfiguration");
export type AddressConfiguration = InstanceType<typeof AddressConfiguration>;

/** A push credential (APN, FCM) for the mobile SDKs. */
export const PushCredential = environmentResource<PushCredentialArgs>("pushCredential");
export type PushCredential = InstanceType<typeof PushCredential>;
