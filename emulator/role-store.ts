// Roles and the per-service configuration singletons (configuration, notifications, service
// webhooks) in the store. Every service has its own roles, starting with the four defaults Twilio
// creates with a service, and one configuration record that names its default roles. Like store.ts,
// every mutation is synchronous and marks what it touches for the state file.
import type { NotificationText, RoleRecord, RoleType, ServiceConfigurationRecord, ServiceNotifications, Store } from "./records";
import { newSid } from "./values";

/**
 * The roles a new service starts with (UNVERIFIED: Programmable Chat's four defaults, "Service
 * Admin", "Service User", "Channel Admin", "Channel User", named in lower case as Conversations
 * answers them, with Chat's permissions under their Conversations names; see the README).
 */
export const DEFAULT_ROLES: ReadonlyArray<{ friendlyName: string; type: RoleType; permissions: readonly string[] }> = [
  {
    friendlyName: "channel admin",
    type: "conversation",
    permissions: [
      "addParticipant", "deleteAnyMessage", "deleteConversation", "editAnyMessage", "editAnyMessageAttributes",
      "editConversationAttributes", "editConversationName", "removeParticipant", "sendMessage", "sendMediaMessage",
      "leaveConversation", "editOwnMessage", "editOwnMessageAttributes", "deleteOwnMessage",
    ],
  },
  {
    friendlyName: "channel user",
    type: "conversation",
    permissions: ["sendMessage", "sendMediaMessage", "leaveConversation", "editOwnMessage", "editOwnMessageAttributes", "deleteOwnMessage"],
  },
  {
    friendlyName: "service admin",
    type: "service",
    permissions: [
      "addParticipant", "createConversation", "deleteAnyMessage", "deleteConversation", "editAnyMessage",
      "editAnyMessageAttributes", "editAnyUserInfo", "editConversationAttributes", "editConversationName",
      "joinConversation", "removeParticipant",
    ],
  },
  { friendlyName: "service user", type: "service", permissions: ["createConversation", "editOwnUserInfo", "joinConversation"] },
];

/** Which default role each configuration default names: the creator gets channel admin, others channel user. */
const DEFAULT_ROLE_NAMES = {
  defaultConversationCreatorRoleSid: "channel admin",
  defaultConversationRoleSid: "channel user",
  defaultChatServiceRoleSid: "service user",
} as const;

export const configurationKey = (serviceSid: string) => `${serviceSid}/Configuration`;

function touch(store: Store, sid: string): void {
  store.touched?.add(sid);
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = create()));
  return value;
}

function place(store: Store, role: RoleRecord): void {
  store.roles.set(role.sid, role);
  getOrCreate(store.rolesByService, role.serviceSid, () => new Set()).add(role.sid);
}

export type NewRole = Omit<RoleRecord, "sid" | "seq">;

export function insertRole(store: Store, fields: NewRole): RoleRecord {
  const role: RoleRecord = { ...fields, permissions: [...fields.permissions], sid: newSid("RL"), seq: ++store.seq };
  place(store, role);
  touch(store, role.sid);
  return role;
}

export function updateRole(store: Store, role: RoleRecord, changes: Partial<Pick<RoleRecord, "permissions" | "dateUpdated">>): RoleRecord {
  Object.assign(role, changes);
  touch(store, role.sid);
  return role;
}

export function deleteRole(store: Store, role: RoleRecord): void {
  store.roles.delete(role.sid);
  store.rolesByService.get(role.serviceSid)?.delete(role.sid);
  touch(store, role.sid);
}

/** The service's roles in creation order. */
export function rolesOf(store: Store, serviceSid: string): RoleRecord[] {
  return [...(store.rolesByService.get(serviceSid) ?? [])].map((sid) => store.roles.get(sid)!);
}

export function findRole(store: Store, serviceSid: string, roleSid: string): RoleRecord | undefined {
  const role = store.roles.get(roleSid);
  return role && role.serviceSid === serviceSid ? role : undefined;
}

function newNotificationText(): NotificationText {
  return { enabled: false, template: null, sound: null };
}

/** [S]: every `*.Enabled` and `BadgeCountEnabled` defaults to false; templates and sounds are unset. */
function defaultNotifications(): ServiceNotifications {
  return {
    logEnabled: false,
    newMessage: { ...newNotificationText(), badgeCountEnabled: false, withMedia: { enabled: false, template: null } },
    addedToConversation: newNotificationText(),
    removedFromConversation: newNotificationText(),
  };
}

/** A configuration naming the service's default roles (by name; null where the service has none). */
function defaultConfiguration(store: Store, serviceSid: string): ServiceConfigurationRecord {
  const roles = rolesOf(store, serviceSid);
  const named = (name: string) => roles.find((role) => role.friendlyName === name)?.sid ?? null;
  return {
    sid: configurationKey(serviceSid),
    serviceSid,
    defaultConversationCreatorRoleSid: named(DEFAULT_ROLE_NAMES.defaultConversationCreatorRoleSid),
    defaultConversationRoleSid: named(DEFAULT_ROLE_NAMES.defaultConversationRoleSid),
    defaultChatServiceRoleSid: named(DEFAULT_ROLE_NAMES.defaultChatServiceRoleSid),
    reachabilityEnabled: false,
    notifications: defaultNotifications(),
    // [S]: the schema's `method` is a non-null GET/POST enum (its fetchEmpty example shows null):
    // POST until set (UNVERIFIED).
    webhooks: { preWebhookUrl: null, postWebhookUrl: null, filters: null, method: "POST" },
  };
}

/** What a new service starts with: the default roles and a configuration naming them. */
export function seedServiceDefaults(store: Store, serviceSid: string, now: number): void {
  for (const role of DEFAULT_ROLES) {
    insertRole(store, { serviceSid, ...role, permissions: [...role.permissions], dateCreated: now, dateUpdated: now });
  }
  const configuration = defaultConfiguration(store, serviceSid);
  store.serviceConfigurations.set(configuration.sid, configuration);
  touch(store, configuration.sid);
}

export function configurationOf(store: Store, serviceSid: string): ServiceConfigurationRecord {
  return store.serviceConfigurations.get(configurationKey(serviceSid))!;
}

/** Replaces the configuration's fields with the given ones (nested objects replaced whole). */
export function updateConfiguration(
  store: Store,
  configuration: ServiceConfigurationRecord,
  changes: Partial<Omit<ServiceConfigurationRecord, "sid" | "serviceSid">>,
): ServiceConfigurationRecord {
  Object.assign(configuration, changes);
  touch(store, configuration.sid);
  return configuration;
}

/** A deleted service takes its roles and its configuration. */
export function deleteRolesOf(store: Store, serviceSid: string): void {
  for (const role of rolesOf(store, serviceSid)) deleteRole(store, role);
  store.rolesByService.delete(serviceSid);
  store.serviceConfigurations.delete(configurationKey(serviceSid));
  touch(store, configurationKey(serviceSid));
}

/**
 * Roles and configurations as saved. A state file written before roles were kept has neither: each
 * of its services gets the defaults a new service gets (dated as the service), so it loads.
 */
export function restoreRoles(store: Store, roles?: readonly RoleRecord[], configurations?: readonly ServiceConfigurationRecord[]): void {
  for (const role of [...(roles ?? [])].sort((a, b) => a.seq - b.seq)) {
    if (store.services.has(role.serviceSid)) place(store, { ...role, permissions: [...role.permissions] });
  }
  for (const configuration of configurations ?? []) {
    if (store.services.has(configuration.serviceSid)) store.serviceConfigurations.set(configuration.sid, structuredClone(configuration));
  }
  for (const service of [...store.services.values()].sort((a, b) => a.seq - b.seq)) {
    if (store.serviceConfigurations.has(configurationKey(service.sid))) continue;
    if (rolesOf(store, service.sid).length === 0) seedServiceDefaults(store, service.sid, service.dateCreated);
    else store.serviceConfigurations.set(configurationKey(service.sid), defaultConfiguration(store, service.sid));
  }
}
