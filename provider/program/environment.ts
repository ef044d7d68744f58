// From a validated stack file's environment to Pulumi resources: the service (declared, or an
// existing one configured), roles, users, the account's settings, address configurations and
// push credentials. References between them (a role named by its key, the stack's service) become
// outputs, so the engine orders creates and deletes by them.
import * as pulumi from "@pulumi/pulumi";
import { isSid } from "../domain/rules";
import type { StackSpec } from "../../schemas/stack";
import { STACK_SERVICE } from "../../schemas/environment";
import {
  AccountConfiguration,
  AccountWebhooks,
  AddressConfiguration,
  PushCredential,
  Role,
  Service,
  ServiceConfiguration,
  ServiceNotifications,
  ServiceWebhooks,
  User,
} from "../resources/environment";
import type { TwilioSettings } from "../resources/args";

/** The SIDs of what the stack declares, by key. */
export interface EnvironmentOutputs {
  service?: pulumi.Output<string>;
  roles?: Record<string, pulumi.Output<string>>;
  users?: Record<string, pulumi.Output<string>>;
  addressConfigurations?: Record<string, pulumi.Output<string>>;
  pushCredentials?: Record<string, pulumi.Output<string>>;
}

interface Placement {
  namePrefix?: string;
  parent?: pulumi.Resource;
  settings?: TwilioSettings;
}

/** What the conversations take from the environment: the service they go in, and the roles and users they may name. */
export interface EnvironmentReferences {
  serviceSid: pulumi.Input<string | null>;
  /** A role named by its key under roles, or by its SID. */
  roleSid(reference: string): pulumi.Input<string>;
  /** The identity of a user declared under users. */
  identityOf(userKey: string): string;
}

/** Declares the environment; its conversations go in `serviceSid`. `outputs` is null when the file declares no environment. */
export function declareEnvironment(spec: StackSpec, placement: Placement): EnvironmentReferences & { outputs: EnvironmentOutputs | null } {
  const prefix = placement.namePrefix ?? "";
  const opts = { parent: placement.parent };
  const settings = placement.settings;
  const outputs: EnvironmentOutputs = {};
  const { service } = spec;

  let serviceSid: pulumi.Input<string | null> = null;
  if (typeof service === "string") serviceSid = service === "default" ? null : service;
  else if ("friendlyName" in service) {
    const declared = new Service(
      `${prefix}service`,
      { friendlyName: service.friendlyName, adopt: service.adopt, deleteWithConversations: service.deleteWithConversations, settings },
      opts,
    );
    serviceSid = declared.id;
    outputs.service = declared.id;
  } else serviceSid = service.sid;

  const roles = new Map<string, Role>();
  for (const [key, role] of Object.entries(spec.roles ?? {})) {
    roles.set(key, new Role(`${prefix}${key}`, { chatServiceSid: serviceSid, ...role, settings }, opts));
  }
  if (roles.size) outputs.roles = Object.fromEntries([...roles].map(([key, role]) => [key, role.id]));
  const roleSidOf = (reference: string): pulumi.Input<string> => (isSid("role", reference) ? reference : roles.get(reference)!.id);
  const roleSid = (reference: string | undefined): pulumi.Input<string> | undefined => (reference === undefined ? undefined : roleSidOf(reference));

  if (typeof service !== "string") {
    const inService = serviceSid as pulumi.Input<string>;
    const { configuration, notifications, webhooks } = service;
    if (configuration) {
      new ServiceConfiguration(
        `${prefix}service-configuration`,
        {
          chatServiceSid: inService,
          defaultConversationCreatorRoleSid: roleSid(configuration.defaultConversationCreatorRole),
          defaultConversationRoleSid: roleSid(configuration.defaultConversationRole),
          defaultChatServiceRoleSid: roleSid(configuration.defaultChatServiceRole),
          reachabilityEnabled: configuration.reachabilityEnabled,
          settings,
        },
        opts,
      );
    }
    if (notifications) new ServiceNotifications(`${prefix}service-notifications`, { chatServiceSid: inService, ...notifications, settings }, opts);
    if (webhooks) new ServiceWebhooks(`${prefix}service-webhooks`, { chatServiceSid: inService, ...webhooks, method: upper(webhooks.method), settings }, opts);
  }

  const users = Object.entries(spec.users ?? {}).map(([key, { role, ...user }]) => {
    const declared = new User(`${prefix}${key}`, { chatServiceSid: serviceSid, ...user, attributes: user.attributes as never, roleSid: roleSid(role), settings }, opts);
    return [key, declared.id] as const;
  });
  if (users.length) outputs.users = Object.fromEntries(users);

  const account = spec.account;
  if (account?.configuration) {
    const { defaultChatService, ...configuration } = account.configuration;
    new AccountConfiguration(
      `${prefix}account-configuration`,
      { ...configuration, defaultChatServiceSid: defaultChatService === STACK_SERVICE ? serviceSid : defaultChatService, settings },
      opts,
    );
  }
  if (account?.webhooks) new AccountWebhooks(`${prefix}account-webhooks`, { ...account.webhooks, method: upper(account.webhooks.method), settings }, opts);

  const addresses = Object.entries(spec.addressConfigurations ?? {}).map(([key, address]) => {
    const declared = new AddressConfiguration(`${prefix}${key}`, { ...address, settings }, opts);
    return [key, declared.id] as const;
  });
  if (addresses.length) outputs.addressConfigurations = Object.fromEntries(addresses);

  const credentials = Object.entries(spec.pushCredentials ?? {}).map(([key, { certificate, privateKey, apiKey, secret, ...credential }]) => {
    const declared = new PushCredential(
      `${prefix}${key}`,
      { ...credential, certificate: secretOf(certificate), privateKey: secretOf(privateKey), apiKey: secretOf(apiKey), secret: secretOf(secret), settings },
      opts,
    );
    return [key, declared.id] as const;
  });
  if (credentials.length) outputs.pushCredentials = Object.fromEntries(credentials);

  const identityOf = (userKey: string) => spec.users![userKey].identity;
  return { serviceSid, roleSid: roleSidOf, identityOf, outputs: Object.keys(outputs).length ? outputs : null };
}

/** Twilio's webhook configurations answer the method in capitals. */
function upper(method: string | undefined): "GET" | "POST" | undefined {
  return method === undefined ? undefined : (method.toUpperCase() as "GET" | "POST");
}

/** A secret the stack file names by its config key (`key` or `namespace:key`), read as a Pulumi secret. */
function secretOf(reference: { secret: string } | undefined): pulumi.Output<string> | undefined {
  if (!reference) return undefined;
  const at = reference.secret.indexOf(":");
  const config = at < 0 ? new pulumi.Config() : new pulumi.Config(reference.secret.slice(0, at));
  return config.requireSecret(at < 0 ? reference.secret : reference.secret.slice(at + 1));
}
