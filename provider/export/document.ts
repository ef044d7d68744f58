// From an account as Twilio holds it to the stack file that adopts it: pure. Every object is
// adopted (`adopt: require`; a conversation is also retained on destroy), a value equal to
// Twilio's default is left out, secrets become `{ secret: <config key> }` references, and keys
// follow the file's usual order, each mapping's entries sorted by logical name.
import type { Observed } from "../client/environment";
import type { ObservedMessage, ObservedParticipant, ObservedWebhook } from "../client/wire";
import { jsonEqual } from "../domain/json";
import { ENVIRONMENT_KINDS, type EnvironmentKindName } from "../domain/environment";
import { CREDENTIAL_SECRETS } from "../domain/environment-rules";
import { CONVERSATION_PROPERTIES, MESSAGE_PROPERTIES, PARTICIPANT_PROPERTIES, WEBHOOK_PROPERTIES } from "../domain/properties";
import { isField, type RowTable } from "../domain/row";
import { WEBHOOK_TARGET_FIELDS, type WebhookTarget } from "../domain/rules";
import { slug, uniqueNames } from "./names";
import type { AccountSnapshot, ConversationSnapshot } from "./snapshot";

export type Entry = Record<string, unknown>;

/** A secret the file names but cannot hold: the user sets it with `pulumi config set --secret`. */
export interface SecretReference {
  configKey: string;
  /** `pushCredentials.<key>.<property>`. */
  path: string;
  /** Whose it is, for the line printed beside it: `push credential "iOS app" (CR…)`. */
  owner: string;
}

export interface ExportResult {
  document: Entry;
  secrets: SecretReference[];
  /** Objects the file cannot adopt, and why. */
  skipped: string[];
}

/** The role Twilio makes with every service that each configuration default names until changed (emulator/README.md, [D-chat-perm]). */
const TWILIO_DEFAULT_ROLES = {
  defaultConversationCreatorRoleSid: "channel admin",
  defaultConversationRoleSid: "channel user",
  defaultChatServiceRoleSid: "service user",
} as const;

/** Twilio's value for each setting nobody chose (by property, and part): left out of the file. */
const TWILIO_DEFAULTS: Partial<Record<EnvironmentKindName, Entry>> = {
  serviceConfiguration: { reachabilityEnabled: false },
  serviceNotifications: {
    logEnabled: false,
    newMessage: { enabled: false, badgeCountEnabled: false, withMedia: { enabled: false } },
    addedToConversation: { enabled: false },
    removedFromConversation: { enabled: false },
  },
  serviceWebhooks: { method: "POST" },
  accountWebhooks: { method: "POST", target: "webhook" },
  addressConfiguration: { autoCreation: { enabled: false, webhookMethod: "POST" } },
  pushCredential: { sandbox: false },
};

const ADOPTED = { adopt: "require" } as const;

/**
 * The declared values Twilio shows, under their stack-file keys in the table's order: null, empty
 * lists and mappings, and values equal to `defaults` left out. JSON values (attributes) are kept
 * whole, or left out when empty; methods (the table's caseless parts) in capitals.
 */
export function entryOf(table: RowTable, observed: Readonly<Record<string, unknown>>, defaults: Entry = {}, only?: readonly string[]): Entry {
  const entry: Entry = {};
  for (const [property, row] of Object.entries(table)) {
    // What only Twilio sets (SIDs, the dates it stamps) is never exported.
    if (!isField(row) || row.yaml === null || row.answer === null || row.secret || (only && !only.includes(property))) continue;
    let value = observed[property];
    if (row.caseless) value = inCapitals(value, row.caseless);
    const kept = row.compare === "json" && !Array.isArray(value) ? (isEmptyObject(value) ? undefined : (value ?? undefined)) : chosen(value, defaults[property]);
    if (kept !== undefined) entry[row.yaml] = kept;
  }
  return entry;
}

/** What of `value` differs from Twilio's default, or undefined when nothing does. */
function chosen(value: unknown, fallback: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.length > 0 ? value : undefined;
  if (typeof value === "object") {
    const parts: Entry = {};
    for (const [part, held] of Object.entries(value)) {
      const kept = chosen(held, (fallback as Entry | undefined)?.[part]);
      if (kept !== undefined) parts[part] = kept;
    }
    return Object.keys(parts).length > 0 ? parts : undefined;
  }
  return fallback !== undefined && jsonEqual(value, fallback) ? undefined : value;
}

function inCapitals(value: unknown, parts: readonly string[]): unknown {
  if (parts.includes("")) return typeof value === "string" ? value.toUpperCase() : value;
  if (value === null || typeof value !== "object") return value;
  const copy: Entry = { ...(value as Entry) };
  for (const part of parts) if (typeof copy[part] === "string") copy[part] = (copy[part] as string).toUpperCase();
  return copy;
}

function isEmptyObject(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0;
}

const settingsOf = (kind: EnvironmentKindName, observed: Observed, only?: readonly string[]) =>
  entryOf(ENVIRONMENT_KINDS[kind].table, observed, TWILIO_DEFAULTS[kind], only);

/** Objects named by `base`, each given its unique logical name, sorted by it. */
function named<T>(items: readonly T[], base: (item: T) => string, order: (item: T) => string): Array<[string, T]> {
  const names = uniqueNames(items.map((item) => ({ base: base(item), order: order(item) })));
  return items.map((item, position) => [names[position], item] as [string, T]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const creationOrder = (observed: { sid?: string | null; dateCreated?: unknown }) => `${String(observed.dateCreated ?? "")} ${observed.sid ?? ""}`;
const text = (value: unknown): string => (typeof value === "string" ? value : "");

/**
 * The first object of each natural key (oldest first, as adoption takes it); the others cannot be
 * told apart by adoption and are reported.
 */
function firstOfEachKey(items: readonly Observed[], key: (item: Observed) => string, noun: string, skipped: string[]): Observed[] {
  const seen = new Set<string>();
  return [...items]
    .sort((a, b) => (creationOrder(a) < creationOrder(b) ? -1 : 1))
    .filter((item) => {
      if (!seen.has(key(item))) return seen.add(key(item)), true;
      skipped.push(`${noun} ${item.sid}: an older one has the same ${noun === "role" ? "friendlyName" : "type and friendlyName"}, and adoption takes the oldest`);
      return false;
    });
}

/** The stack file of the snapshot. */
export function exportDocument(snapshot: AccountSnapshot): ExportResult {
  const skipped: string[] = [];
  const secrets: SecretReference[] = [];
  const configuration = snapshot.serviceConfiguration;

  const roles = named(
    firstOfEachKey(snapshot.roles, (role) => text(role.friendlyName), "role", skipped),
    (role) => slug(text(role.friendlyName), "role"),
    creationOrder,
  );
  const roleKey = new Map(roles.map(([key, role]) => [role.sid, key]));
  const roleName = new Map(snapshot.roles.map((role) => [role.sid, text(role.friendlyName)]));
  const roleReference = (sid: unknown) => (typeof sid === "string" ? (roleKey.get(sid) ?? sid) : undefined);

  const service: Entry = { sid: snapshot.service.sid };
  const defaults: Entry = {};
  for (const [property, name] of Object.entries(TWILIO_DEFAULT_ROLES)) {
    const sid = configuration[property];
    if (typeof sid === "string" && roleName.get(sid) !== name) defaults[ENVIRONMENT_KINDS.serviceConfiguration.table[property].yaml] = roleReference(sid);
  }
  const serviceConfiguration = { ...defaults, ...settingsOf("serviceConfiguration", configuration, ["reachabilityEnabled"]) };
  const notifications = settingsOf("serviceNotifications", snapshot.serviceNotifications);
  const webhooks = settingsOf("serviceWebhooks", snapshot.serviceWebhooks);
  if (Object.keys(serviceConfiguration).length) service.configuration = serviceConfiguration;
  if (Object.keys(notifications).length) service.notifications = notifications;
  if (Object.keys(webhooks).length) service.webhooks = webhooks;

  const document: Entry = { service };
  if (roles.length) document.roles = Object.fromEntries(roles.map(([key, role]) => [key, { ...settingsOf("role", role), ...ADOPTED }]));

  const users = named(snapshot.users, (user) => slug(text(user.identity), "user"), creationOrder);
  if (users.length) {
    document.users = Object.fromEntries(
      users.map(([key, user]) => {
        const { role: _role, ...rest } = settingsOf("user", user);
        const role = user.roleSid !== configuration.defaultChatServiceRoleSid ? roleReference(user.roleSid) : undefined;
        return [key, { ...rest, ...(role ? { role } : {}), ...ADOPTED }];
      }),
    );
  }

  const accountConfiguration = settingsOf("accountConfiguration", snapshot.accountConfiguration);
  const accountWebhooks = settingsOf("accountWebhooks", snapshot.accountWebhooks);
  if (Object.keys(accountConfiguration).length || Object.keys(accountWebhooks).length) {
    document.account = {
      ...(Object.keys(accountConfiguration).length ? { configuration: accountConfiguration } : {}),
      ...(Object.keys(accountWebhooks).length ? { webhooks: accountWebhooks } : {}),
    };
  }

  const addresses = named(snapshot.addressConfigurations, (address) => slug(`${text(address.type)}-${text(address.address)}`, "address"), creationOrder);
  if (addresses.length) document.addressConfigurations = Object.fromEntries(addresses.map(([key, address]) => [key, { ...settingsOf("addressConfiguration", address), ...ADOPTED }]));

  const credentials = pushCredentials(snapshot.pushCredentials, secrets, skipped);
  if (Object.keys(credentials).length) document.pushCredentials = credentials;

  // The file always says which conversations it manages: none, unless they were asked for.
  const defaultMessagingService = snapshot.accountConfiguration.defaultMessagingServiceSid ?? null;
  document.conversations = conversations(snapshot.conversations ?? [], { roleReference, defaultConversationRole: configuration.defaultConversationRoleSid ?? null, defaultMessagingService }, skipped);
  return { document, secrets, skipped };
}

function pushCredentials(held: readonly Observed[], secrets: SecretReference[], skipped: string[]): Entry {
  const nameless = held.filter((credential) => !text(credential.friendlyName));
  for (const credential of nameless) skipped.push(`push credential ${credential.sid}: it has no friendlyName, which adoption finds it by`);
  const adoptable = firstOfEachKey(
    held.filter((credential) => text(credential.friendlyName)),
    (credential) => `${text(credential.type)} ${text(credential.friendlyName)}`,
    "push credential",
    skipped,
  );
  const entries = named(adoptable, (credential) => slug(text(credential.friendlyName), "credential"), creationOrder);
  return Object.fromEntries(
    entries.map(([key, credential]) => {
      const references: Entry = {};
      for (const property of CREDENTIAL_SECRETS[credential.type as keyof typeof CREDENTIAL_SECRETS] ?? []) {
        const configKey = configKeyOf(key, property);
        references[property] = { secret: configKey };
        secrets.push({ configKey, path: `pushCredentials.${key}.${property}`, owner: `push credential ${JSON.stringify(credential.friendlyName)} (${credential.sid})` });
      }
      return [key, { ...settingsOf("pushCredential", credential), ...references, ...ADOPTED }];
    }),
  );
}

/** `ios` and `privateKey` → `iosPrivateKey`: a Pulumi config key, starting with a letter. */
export function configKeyOf(entryKey: string, property: string): string {
  const camel = `${entryKey}-${property}`.replace(/-+([a-z0-9])/g, (_match, next: string) => next.toUpperCase());
  return /^[a-z]/i.test(camel) ? camel : `push${camel}`;
}

interface ConversationContext {
  roleReference: (sid: unknown) => string | undefined;
  defaultConversationRole: unknown;
  defaultMessagingService: unknown;
}

function conversations(held: readonly ConversationSnapshot[], context: ConversationContext, skipped: string[]): Entry {
  const adoptable = held.filter(({ conversation }) => {
    if (conversation.uniqueName) return true;
    skipped.push(`conversation ${conversation.sid}: it has no uniqueName, which adoption finds it by`);
    return false;
  });
  const entries = named(adoptable, ({ conversation }) => slug(conversation.uniqueName!, "conversation"), ({ conversation }) => creationOrder(conversation));
  return Object.fromEntries(entries.map(([key, snapshot]) => [key, conversationEntry(key, snapshot, context, skipped)]));
}

function conversationEntry(key: string, snapshot: ConversationSnapshot, context: ConversationContext, skipped: string[]): Entry {
  const { conversation } = snapshot;
  const defaults = { state: "active", messagingServiceSid: context.defaultMessagingService ?? undefined };
  const entry: Entry = { ...entryOf(CONVERSATION_PROPERTIES, conversation as unknown as Entry, defaults), ...ADOPTED, retainOnDelete: true };
  const participants = participantEntries(snapshot.participants, context);
  if (Object.keys(participants).length) entry.participants = participants;
  const webhooks = named(snapshot.webhooks, (webhook) => slug(webhook.target ?? "", "webhook", true), creationOrderOfChild);
  if (webhooks.length) entry.scopedWebhooks = Object.fromEntries(webhooks.map(([name, webhook]) => [name, webhookEntry(webhook)]));
  if (snapshot.messages && snapshot.messages.length > 0) {
    const messages = snapshot.messages.map(messageEntry);
    const unwritable = snapshot.messages.find((_message, position) => messages[position] === null);
    if (unwritable) skipped.push(`the thread of conversation ${key}: message ${unwritable.sid} has no body, media or content template to declare it by`);
    else entry.messages = messages;
  }
  return entry;
}

const creationOrderOfChild = (child: { sid: string }) => child.sid;

function participantEntries(held: readonly ObservedParticipant[], context: ConversationContext): Entry {
  const base = (participant: ObservedParticipant) => {
    const address = participant.messagingBinding?.address;
    if (participant.identity) return slug(participant.identity, "participant", true);
    return slug(String(address ?? ""), "sms", true);
  };
  const entries = named(held, base, creationOrderOfChild);
  return Object.fromEntries(
    entries.map(([key, participant]) => {
      const { role: _role, ...rest } = entryOf(PARTICIPANT_PROPERTIES, participant as unknown as Entry, {}, ["identity", "messagingBinding", "attributes"]);
      const role = participant.roleSid && participant.roleSid !== context.defaultConversationRole ? context.roleReference(participant.roleSid) : undefined;
      return [key, { ...rest, ...(role ? { role } : {}) }];
    }),
  );
}

function webhookEntry(webhook: ObservedWebhook): Entry {
  const target = webhook.target as WebhookTarget;
  const takes = WEBHOOK_TARGET_FIELDS[target]?.takes.filter((field) => field !== "replayAfter") ?? [];
  return entryOf(WEBHOOK_PROPERTIES, webhook as unknown as Entry, {}, ["target", ...takes]);
}

/** A message as a seed message that takes it over: null when it has nothing a seed message can declare. */
export function messageEntry(message: ObservedMessage): Entry | null {
  const fields = entryOf(MESSAGE_PROPERTIES, message as unknown as Entry, { author: "system" }, ["author", "body", "attributes", "mediaSid", "contentSid", "dateCreated", "dateUpdated"]);
  // A content template stands in for the body and media (the file refuses them together).
  if (fields.contentSid !== undefined) {
    delete fields.body;
    delete fields.mediaSid;
  }
  if (fields.body === undefined && fields.mediaSid === undefined && fields.contentSid === undefined) return null;
  if (fields.dateUpdated !== undefined && fields.dateUpdated === fields.dateCreated) delete fields.dateUpdated;
  return { key: `m${message.index}`, ...fields };
}
