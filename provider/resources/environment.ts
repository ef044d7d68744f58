// The environment's resources as a program declares them: a service and what configures it, roles,
// users, the account's configuration and webhooks, address configurations and push credentials.
// Each kind's arguments (its table's, by its registry entry), and its class (made from the registry of kinds by
// resources/environment-resource.ts, which refuses arguments that part ways with the kind's table).
// Everything this module exports, the package exports.
import type * as pulumi from "@pulumi/pulumi";
import { environmentResource, type EnvironmentArgs, type EnvironmentInputs } from "./environment-resource";
import type { AutoCreation, EnvironmentTableOf, Notification } from "../domain/environment";

export interface ServiceArgs extends EnvironmentArgs<"service"> {
  /** Delete the service even when it still holds conversations the stack does not declare. Default false. */
  deleteWithConversations?: pulumi.Input<boolean>;
}
export interface ServiceConfigurationArgs extends EnvironmentArgs<"serviceConfiguration"> {}
export interface ServiceNotificationsArgs extends EnvironmentArgs<"serviceNotifications"> {}
export interface ServiceWebhooksArgs extends EnvironmentArgs<"serviceWebhooks"> {}
export interface RoleArgs extends EnvironmentArgs<"role"> {}
export interface UserArgs extends EnvironmentArgs<"user"> {}
export interface AccountConfigurationArgs extends EnvironmentArgs<"accountConfiguration"> {}
export interface AccountWebhooksArgs extends EnvironmentArgs<"accountWebhooks"> {}
export interface AddressConfigurationArgs extends EnvironmentArgs<"addressConfiguration"> {}
/**
 * A push credential. Its certificate, private key, API key and secret are sent to Twilio, kept in
 * state as Pulumi secrets (encrypted inputs; the outputs hold only their fingerprints), and never
 * answered back: drift on them cannot be seen.
 * Adopted (by type and friendlyName), it keeps the secrets it holds: those declared are recorded, and
 * sent only once their value changes.
 */
export interface PushCredentialArgs extends EnvironmentArgs<"pushCredential"> {}

// The parts of composite properties, and the webhooks both the service and the account have, by the names users import.
export interface NotificationArgs extends Notification {}
export interface AutoCreationArgs extends AutoCreation {}
export interface WebhookConfigurationArgs extends EnvironmentInputs<EnvironmentTableOf<"serviceWebhooks">> {}

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
