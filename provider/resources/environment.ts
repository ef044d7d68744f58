// The environment's resources as a program declares them: a service and what configures it, roles,
// users, the account's configuration and webhooks, address configurations and push credentials.
// Each is a dynamic resource whose provider (resources/environment-provider.ts) follows its kind's
// property table; its arguments name exactly the table's properties (they fail to compile otherwise).
import * as pulumi from "@pulumi/pulumi";
import type { JsonObject } from "../domain/json";
import type { Expect, SameKeys } from "../domain/properties";
import type { AdoptMode } from "../domain/rules";
import {
  ACCOUNT_CONFIGURATION_PROPERTIES,
  ACCOUNT_WEBHOOKS_PROPERTIES,
  ADDRESS_CONFIGURATION_PROPERTIES,
  ENVIRONMENT_KINDS,
  PUSH_CREDENTIAL_PROPERTIES,
  ROLE_PROPERTIES,
  SERVICE_CONFIGURATION_PROPERTIES,
  SERVICE_NOTIFICATIONS_PROPERTIES,
  SERVICE_PROPERTIES,
  SERVICE_WEBHOOKS_PROPERTIES,
  USER_PROPERTIES,
  ENVIRONMENT_TYPES,
  secretSettings,
  type AutoCreation,
  type EnvironmentKindName,
  type NewMessageNotification,
  type Notification,
} from "../domain/environment";
import type { TwilioSettings } from "./args";
import { registeredProps, withSecretOutputs, withoutPromiseStacks } from "./registration";

type In<T> = pulumi.Input<T | null>;

/** What every environment resource may say besides its properties. */
interface Common {
  settings?: TwilioSettings;
}

/** Resources that belong to a Conversation Service: its `IS…` SID (a declared `Service`'s `sid`). */
interface InService {
  chatServiceSid: pulumi.Input<string>;
}

/** Resources of a service or, without one, of the account's default service. */
interface InServiceOrDefault {
  chatServiceSid?: In<string>;
}

/** Collections whose objects may already exist: take one over by its natural key (then destroy puts it back as found). */
interface Adoptable {
  adopt?: pulumi.Input<AdoptMode>;
}

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

type Declared<Args> = Exclude<keyof Args, keyof Common | keyof InService | keyof Adoptable | "deleteWithConversations">;

/** Each resource's arguments name exactly its table's properties. */
export type EnvironmentArgsFollowTables = [
  Expect<SameKeys<Declared<ServiceArgs>, keyof typeof SERVICE_PROPERTIES>>,
  Expect<SameKeys<Declared<ServiceConfigurationArgs>, keyof typeof SERVICE_CONFIGURATION_PROPERTIES>>,
  Expect<SameKeys<Declared<ServiceNotificationsArgs>, keyof typeof SERVICE_NOTIFICATIONS_PROPERTIES>>,
  Expect<SameKeys<Declared<ServiceWebhooksArgs>, keyof typeof SERVICE_WEBHOOKS_PROPERTIES>>,
  Expect<SameKeys<Declared<AccountWebhooksArgs>, keyof typeof ACCOUNT_WEBHOOKS_PROPERTIES>>,
  Expect<SameKeys<Declared<RoleArgs>, keyof typeof ROLE_PROPERTIES>>,
  Expect<SameKeys<Declared<UserArgs>, keyof typeof USER_PROPERTIES>>,
  Expect<SameKeys<Declared<AccountConfigurationArgs>, keyof typeof ACCOUNT_CONFIGURATION_PROPERTIES>>,
  Expect<SameKeys<Declared<AddressConfigurationArgs>, keyof typeof ADDRESS_CONFIGURATION_PROPERTIES>>,
  Expect<SameKeys<Declared<PushCredentialArgs>, keyof typeof PUSH_CREDENTIAL_PROPERTIES>>,
];

export const environmentType = (kind: EnvironmentKindName) => `pulumi-nodejs:dynamic/twilio-conversations:${ENVIRONMENT_TYPES[kind]}`;

/** One environment resource: its declared properties (secret ones as Pulumi secrets), its provider, and what Twilio answers. */
abstract class EnvironmentResource extends pulumi.CustomResource {
  /** The object's SID; null for a singleton (it has none). */
  declare readonly sid: pulumi.Output<string | null>;
  declare readonly url: pulumi.Output<string | null>;
  declare readonly accountSid: pulumi.Output<string | null>;
  /** True when the object was there before the stack: destroy puts back what it found. */
  declare readonly adopted: pulumi.Output<boolean>;

  protected constructor(kind: EnvironmentKindName, name: string, args: Common & object, opts?: pulumi.CustomResourceOptions) {
    const { settings, ...declared } = args as Common & Record<string, unknown>;
    const table = ENVIRONMENT_KINDS[kind].table;
    const secrets = secretSettings(table);
    const inputs: Record<string, unknown> = {};
    for (const [property, value] of Object.entries(declared)) {
      if (value === undefined || value === null) continue;
      inputs[property] = secrets.includes(property) ? pulumi.secret(value) : value;
    }
    const outputs = [...Object.keys(table).filter((property) => !secrets.includes(property)), "sid", "url", "accountSid", "adopted"];
    const props = registeredProps(kind, name, outputs, inputs, settings);
    const restoreStacks = withoutPromiseStacks();
    try {
      super(environmentType(kind), name, props, withSecretOutputs(opts, secrets.length ? ["fingerprints"] : []));
    } finally {
      restoreStacks();
    }
  }
}

/** A Conversation Service. */
export class Service extends EnvironmentResource {
  declare readonly friendlyName: pulumi.Output<string>;
  constructor(name: string, args: ServiceArgs, opts?: pulumi.CustomResourceOptions) {
    super("service", name, args, opts);
  }
}

/** A service's configuration: its default roles and reachability. Never created or deleted; destroy puts back what it found. */
export class ServiceConfiguration extends EnvironmentResource {
  declare readonly defaultConversationCreatorRoleSid: pulumi.Output<string | null>;
  declare readonly defaultConversationRoleSid: pulumi.Output<string | null>;
  declare readonly defaultChatServiceRoleSid: pulumi.Output<string | null>;
  declare readonly reachabilityEnabled: pulumi.Output<boolean | null>;
  constructor(name: string, args: ServiceConfigurationArgs, opts?: pulumi.CustomResourceOptions) {
    super("serviceConfiguration", name, args, opts);
  }
}

/** A service's push notifications. Never created or deleted; destroy puts back what it found. */
export class ServiceNotifications extends EnvironmentResource {
  constructor(name: string, args: ServiceNotificationsArgs, opts?: pulumi.CustomResourceOptions) {
    super("serviceNotifications", name, args, opts);
  }
}

/** A service's pre- and post-event webhooks. Never created or deleted; destroy puts back what it found. */
export class ServiceWebhooks extends EnvironmentResource {
  constructor(name: string, args: ServiceWebhooksArgs, opts?: pulumi.CustomResourceOptions) {
    super("serviceWebhooks", name, args, opts);
  }
}

/** A role of a service, or of the default service. */
export class Role extends EnvironmentResource {
  declare readonly friendlyName: pulumi.Output<string>;
  declare readonly type: pulumi.Output<string>;
  declare readonly permissions: pulumi.Output<string[]>;
  constructor(name: string, args: RoleArgs, opts?: pulumi.CustomResourceOptions) {
    super("role", name, args, opts);
  }
}

/** A user of a service, or of the default service. */
export class User extends EnvironmentResource {
  declare readonly identity: pulumi.Output<string>;
  declare readonly roleSid: pulumi.Output<string | null>;
  constructor(name: string, args: UserArgs, opts?: pulumi.CustomResourceOptions) {
    super("user", name, args, opts);
  }
}

/** The account's Conversations defaults. Never created or deleted; destroy puts back what it found. */
export class AccountConfiguration extends EnvironmentResource {
  constructor(name: string, args: AccountConfigurationArgs, opts?: pulumi.CustomResourceOptions) {
    super("accountConfiguration", name, args, opts);
  }
}

/** The account's webhooks. Never created or deleted; destroy puts back what it found. */
export class AccountWebhooks extends EnvironmentResource {
  constructor(name: string, args: AccountWebhooksArgs, opts?: pulumi.CustomResourceOptions) {
    super("accountWebhooks", name, args, opts);
  }
}

/** An address of the account that opens conversations by itself when a message arrives. */
export class AddressConfiguration extends EnvironmentResource {
  declare readonly address: pulumi.Output<string>;
  constructor(name: string, args: AddressConfigurationArgs, opts?: pulumi.CustomResourceOptions) {
    super("addressConfiguration", name, args, opts);
  }
}

/** A push credential (APN, FCM) for the mobile SDKs. */
export class PushCredential extends EnvironmentResource {
  constructor(name: string, args: PushCredentialArgs, opts?: pulumi.CustomResourceOptions) {
    super("pushCredential", name, args, opts);
  }
}
