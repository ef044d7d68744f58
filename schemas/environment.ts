// The stack file's environment: the service (declared, or an existing one configured), its roles
// and users, the account's configuration and webhooks, address configurations and push
// credentials. Structure here; the rules on values are provider/domain/environment-rules.ts, the
// same that the provider's `check` applies, called on each entry with its values under the
// properties' names and reported under the file's keys.
import { z } from "zod";
import {
  ACCOUNT_WEBHOOK_TARGETS,
  ADDRESS_TYPES,
  AUTO_CREATION_TYPES,
  ENVIRONMENT_KINDS,
  kindsPlacedIn,
  PUSH_CREDENTIAL_TYPES,
  ROLE_TYPES,
  type EnvironmentKindName,
  type EnvironmentKindOf,
  type Reference,
} from "../provider/domain/environment";
import { environmentViolations } from "../provider/domain/environment-rules";
import { ADOPT_MODES, SID_PATTERNS } from "../provider/domain/rules";
import { explain, isRecord, report, type Issues } from "./explain";
import { closestTo } from "./issues";

const quote = (value: unknown) => JSON.stringify(value);


/** Keys of roles, users, address configurations and push credentials: they become resource names. */
export const ENTRY_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** A Pulumi config key that holds a secret: `name` or `namespace:name`. */
export const CONFIG_KEY_PATTERN = /^(?:[A-Za-z][A-Za-z0-9_-]*:)?[A-Za-z][A-Za-z0-9_.-]*$/;
/** The value of `account.configuration.defaultChatService` that names the service this stack declares. */
export const STACK_SERVICE = "stack";

/** A value that names a declared role by its key, or an existing role by its `RL…` SID. */
const roleReference = z.string().describe("A role declared under roles (its key), or an existing role's RL… SID.");

const adopt = z
  .enum(ADOPT_MODES)
  .optional()
  .describe("When one already exists: never (create another, or fail), ifExists (take it over; destroy then puts it back as found), require (fail unless it exists).");

const url = z.string().describe("An absolute http(s) URL.");
const method = z.string().describe("GET or POST.");
const filters = z.array(z.string()).describe("The events sent, as Twilio names them (onMessageAdded, …); their order does not matter.");

const webhookFields = {
  preWebhookUrl: url.optional().describe("The URL Twilio calls before an action (it may refuse it)."),
  postWebhookUrl: url.optional().describe("The URL Twilio calls after an action."),
  method: method.optional(),
  filters: filters.optional(),
};

const notification = {
  enabled: z.boolean().optional().describe("Send this notification."),
  template: z.string().optional().describe("The notification's text, with Twilio's ${…} placeholders."),
  sound: z.string().optional().describe("The sound the device plays."),
};
const notificationOf = (event: string) => z.strictObject(notification).optional().describe(`The push notification ${event}. A part left out is not managed.`);

const secretReference = z
  .strictObject({
    secret: z
      .string()
      .regex(CONFIG_KEY_PATTERN, {
        error: (issue) => explain(`${quote(issue.input)} is not a config key`, "name the key you set with `pulumi config set --secret <key> …`, e.g. apnCertificate"),
      })
      .describe("The Pulumi config key that holds it, set with `pulumi config set --secret <key> <value>`."),
  })
  .describe("A secret: never written in the stack file, only named. It reaches Twilio, never state, plans or logs.");

/** The kinds whose entries sit in the stack file below another kind's entry: a service's configuration, notifications and webhooks. */
type NestedKind = { [K in EnvironmentKindName]: EnvironmentKindOf<K>["at"] extends readonly ["service", string] ? K : never }[EnvironmentKindName];
/** The top-level keys of the stack file that hold the environment's entries, but the service (which may also be a SID): `roles`, `account`, … */
type Section = Exclude<EnvironmentKindOf<EnvironmentKindName>["at"][0], "service">;
type KindsIn<S extends string> = { [K in EnvironmentKindName]: EnvironmentKindOf<K>["at"][0] extends S ? K : never }[EnvironmentKindName];
/** The entries of one place, by the key each kind takes there (`configuration`, `webhooks`), each optional. */
type PlaceShape<Kinds extends keyof Entries> = { [K in Kinds as Extract<EnvironmentKindOf<K>["at"][1], string>]: z.ZodOptional<Entries[K]> };
/** A section: a collection's entries by key, or an object of the single entries placed in it; optional. */
type Sections = {
  [S in Section]: z.ZodOptional<
    EnvironmentKindOf<KindsIn<S>>["at"][1] extends "*"
      ? z.ZodRecord<z.ZodString, Entries[Extract<KindsIn<S>, keyof Entries>]>
      : z.ZodObject<PlaceShape<Extract<KindsIn<S>, keyof Entries>>, z.core.$strict>
  >;
};

/** What each section of the stack file says of itself (the entries say the rest). */
const SECTION_DESCRIPTIONS: Readonly<Record<Section, string>> = {
  roles: "Roles keyed by name in the stack (the key is the resource name).",
  users: "Users keyed by name in the stack.",
  account: "Account-wide settings: one per Twilio account, so one stack per account should set them.",
  addressConfigurations: "Address configurations keyed by name in the stack.",
  pushCredentials: "Push credentials keyed by name in the stack.",
};

/** The entries placed in a section as one object's keys (a service's `configuration`, …). */
function placeShape<Kinds extends keyof Entries>(entries: Entries, section: string): PlaceShape<Kinds> {
  return Object.fromEntries(kindsPlacedIn([section]).map((kind) => [kind.at[1], entries[kind.name as keyof Entries].optional()])) as PlaceShape<Kinds>;
}

/** The environment's sections of the stack file, each where the registry of kinds places its entries. */
function sectionsOf(entries: Entries): Sections {
  const sections = [...new Set(Object.values(ENVIRONMENT_KINDS).map((kind) => kind.at[0]))].filter((section): section is Section => section !== "service");
  return Object.fromEntries(
    sections.map((section) => {
      const [first] = kindsPlacedIn([section]);
      const schema =
        first.at[1] === "*"
          ? z.record(z.string(), entries[first.name as keyof Entries])
          : z.strictObject(placeShape(entries, section));
      return [section, schema.describe(SECTION_DESCRIPTIONS[section]).optional()];
    }),
  ) as unknown as Sections;
}

/** Each kind's entry in the stack file, by kind (but the service, which nests some of them): where it sits is its registry entry's `at`. */
function entrySchemas() {
  const configuration = z
    .strictObject({
      defaultConversationCreatorRole: roleReference.optional().describe("The conversation role of a participant who creates a conversation."),
      defaultConversationRole: roleReference.optional().describe("The conversation role of a participant added to a conversation."),
      defaultChatServiceRole: roleReference.optional().describe("The service role of a new user."),
      reachabilityEnabled: z.boolean().optional().describe("Whether participants see each other's online state."),
    })
    .describe("The service's configuration: its default roles and reachability. Destroy puts back what was found.");

  const notifications = z
    .strictObject({
      logEnabled: z.boolean().optional().describe("Log push notifications."),
      newMessage: z
        .strictObject({
          ...notification,
          badgeCountEnabled: z.boolean().optional().describe("Show the unread count as the app's badge."),
          withMedia: z
            .strictObject({
              enabled: z.boolean().optional().describe("Send a notification of its own for a message with media."),
              template: z.string().optional().describe("Its text, with Twilio's ${…} placeholders."),
            })
            .optional()
            .describe("For a message with media."),
        })
        .optional()
        .describe("The push notification of a new message. A part left out is not managed."),
      addedToConversation: notificationOf("to a user added to a conversation"),
      removedFromConversation: notificationOf("to a user removed from a conversation"),
    })
    .describe("The service's push notifications. Destroy puts back what was found.");

  const webhooks = z.strictObject(webhookFields).describe("The service's pre- and post-event webhooks. Destroy puts back what was found.");

  const role = z
    .strictObject({
      friendlyName: z.string().describe("The role's name; a new name replaces the role."),
      type: z.enum(ROLE_TYPES).describe("conversation (a participant's role) or service (a user's role); a new type replaces the role."),
      permissions: z.array(z.string()).describe("What the role may do (sendMessage, leaveConversation, …); updated in place, order does not matter."),
      adopt,
    })
    .describe("A role of the stack's service (or of the default service).");

  const user = z
    .strictObject({
      identity: z.string().describe("The user's identity; a new identity replaces the user."),
      friendlyName: z.string().optional().describe("The user's display name."),
      attributes: z.record(z.string(), z.unknown()).optional().describe("Free-form metadata as a YAML mapping (sent as JSON)."),
      role: roleReference.optional(),
      adopt,
    })
    .describe("A user of the stack's service (or of the default service).");

  const accountConfiguration = z
    .strictObject({
      defaultChatService: z.string().optional().describe(`The account's default Conversation Service: an IS… SID, or "${STACK_SERVICE}" for the service this stack declares.`),
      defaultMessagingServiceSid: z.string().optional().describe("The account's default Messaging Service (MG…)."),
      defaultInactiveTimer: z.string().optional().describe("ISO 8601 duration after which new conversations become inactive; at least PT1M."),
      defaultClosedTimer: z.string().optional().describe("ISO 8601 duration after which new conversations close; at least PT10M."),
    })
    .describe("The account's Conversations defaults. Destroy puts back what was found.");

  const accountWebhooks = z
    .strictObject({ ...webhookFields, target: z.enum(ACCOUNT_WEBHOOK_TARGETS).optional().describe("webhook or flex.") })
    .describe("The account's webhooks. Destroy puts back what was found.");

  const addressConfiguration = z
    .strictObject({
      type: z.enum(ADDRESS_TYPES).describe("The channel; a new type replaces the configuration."),
      address: z.string().describe("The address (a phone number in E.164, an email address, …); a new address replaces the configuration."),
      friendlyName: z.string().optional().describe("A name for the configuration."),
      autoCreation: z
        .strictObject({
          enabled: z.boolean().optional().describe("Open a conversation when a message arrives."),
          type: z.enum(AUTO_CREATION_TYPES).optional().describe("webhook, studio or default."),
          conversationServiceSid: z.string().optional().describe("The IS… SID of the service new conversations go to."),
          webhookUrl: url.optional(),
          webhookMethod: method.optional(),
          webhookFilters: filters.optional(),
          studioFlowSid: z.string().optional().describe("The FW… SID of the Studio flow (type studio)."),
          studioRetryCount: z.number().optional().describe("How many times Twilio retries the flow, 0 to 3 (type studio)."),
        })
        .optional()
        .describe("How a conversation opens when a message arrives at the address."),
      addressCountry: z.string().optional().describe("ISO 3166-1 alpha-2 code; a new country replaces the configuration."),
      adopt,
    })
    .describe("An address that opens conversations by itself. Adopted by its address.");

  const pushCredential = z
    .strictObject({
      type: z.enum(PUSH_CREDENTIAL_TYPES).describe("apn (Apple), fcm (Firebase) or gcm; a new type replaces the credential."),
      friendlyName: z.string().optional().describe("A name for the credential."),
      sandbox: z.boolean().optional().describe("APN: the sandbox environment."),
      certificate: secretReference.optional().describe("APN: the certificate (PEM), as a secret."),
      privateKey: secretReference.optional().describe("APN: the private key (PEM), as a secret."),
      apiKey: secretReference.optional().describe("GCM: the API key, as a secret."),
      secret: secretReference.optional().describe("FCM: the server key, as a secret."),
      adopt: adopt.describe(
        "Take over a credential of this type and friendlyName that already exists (the oldest): never (default), ifExists, require. An adopted credential keeps the secrets it holds; the declared ones are sent once their value changes.",
      ),
    })
    .describe("A push credential. Twilio never answers its secrets back, so drift on them cannot be seen.");

  return {
    serviceConfiguration: configuration,
    serviceNotifications: notifications,
    serviceWebhooks: webhooks,
    role,
    user,
    accountConfiguration,
    accountWebhooks,
    addressConfiguration,
    pushCredential,
  } satisfies Record<Exclude<EnvironmentKindName, "service">, z.ZodType>;
}

type Entries = ReturnType<typeof entrySchemas>;

export function environmentSchemas() {
  const entries = entrySchemas();
  const serviceConfigurable = placeShape<NestedKind>(entries, "service");

  const declaredService = z
    .strictObject({
      friendlyName: z.string().describe("The service's name. Twilio cannot rename a service: a new name replaces it (and everything in it)."),
      adopt: adopt.describe("Take over a service of this name that already exists: never (default), ifExists, require."),
      deleteWithConversations: z
        .boolean()
        .optional()
        .describe("Let destroy delete the service while it still holds conversations this stack does not declare (they go with it). Default false: destroy refuses."),
      ...serviceConfigurable,
    })
    .describe("A Conversation Service this stack declares: created (or adopted), and deleted last.");

  const existingService = z
    .strictObject({
      sid: z
        .string()
        .regex(SID_PATTERNS.chatService, { error: () => explain("expected a Conversation Service SID (IS followed by 32 hex digits)", "copy the IS… SID from the Twilio console") })
        .describe("The existing service's IS… SID."),
      ...serviceConfigurable,
    })
    .describe("An existing Conversation Service, by SID, whose configuration this stack sets.");

  return { service: z.union([declaredService, existingService]), sections: sectionsOf(entries) };
}

/** The entry's values under the properties' names: what the rules judge. References to declared entries and secrets are judged apart. */
function propertyValues(kind: EnvironmentKindName, entry: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [property, row] of Object.entries(ENVIRONMENT_KINDS[kind].table)) {
    const value = entry[row.yaml];
    if (value === undefined) continue;
    values[property] = row.secret ? "(secret)" : value;
  }
  return values;
}

/** The rules of one entry, reported under `path` and the file's keys. */
function entryRules(ctx: Issues, kind: EnvironmentKindName, path: (string | number)[], entry: unknown, skip: (property: string) => boolean = () => false): void {
  if (!isRecord(entry)) return;
  const values = propertyValues(kind, entry);
  for (const property of Object.keys(values)) if (skip(property)) delete values[property];
  const table = ENVIRONMENT_KINDS[kind].table;
  // Where the schema itself refused the value (an enum, a type), its rule would only say it again.
  const refused = new Set(ctx.issues.map((issue) => JSON.stringify(issue.path ?? [])));
  for (const { field, message, hint } of environmentViolations(kind, values)) {
    const [property, ...parts] = (field ?? "").split(".");
    const key = table[property]?.yaml ?? property;
    const at = field ? [...path, key, ...parts] : path;
    if (!refused.has(JSON.stringify(at))) report(ctx, at, { message, hint });
  }
}

/**
 * The entries of a kind in the stack file, each with its path: a collection's every key (its entry
 * of any type: the key is judged too), a single place's value.
 */
function entriesAt(file: Record<string, unknown>, at: readonly string[]): Array<[path: string[], entry: unknown]> {
  let found: unknown = file;
  const path: string[] = [];
  for (const key of at) {
    if (!isRecord(found)) return [];
    if (key === "*") return Object.entries(found).map(([entryKey, entry]) => [[...path, entryKey], entry]);
    path.push(key);
    found = found[key];
  }
  return [[path, found]];
}

/** A reference's value is judged apart from the table's rules: a role, always; the service, when it names the stack's own. */
function isJudgedApart(reference: Reference | undefined, value: unknown): boolean {
  return reference?.to === "role" || (reference?.to === "service" && value === STACK_SERVICE);
}

const isRoleSid = (value: unknown) => typeof value === "string" && SID_PATTERNS.role.test(value);

/** The environment's rules across the file: values, role references, keys. */
export function environmentRules(value: unknown, ctx: Issues): void {
  if (!isRecord(value)) return;
  const roles = isRecord(value.roles) ? value.roles : {};
  const roleKeys = Object.keys(roles);
  const service = value.service;
  const declaresService = isRecord(service) && typeof service.friendlyName === "string";

  const checkRoleReference = (path: (string | number)[], reference: unknown, type: "conversation" | "service") => {
    if (typeof reference !== "string" || isRoleSid(reference)) return;
    const role = roles[reference];
    if (!isRecord(role)) {
      const close = closestTo(reference, roleKeys);
      report(ctx, path, {
        message: `${quote(reference)} is neither a role declared under roles nor a role SID`,
        hint: close ? `did you mean ${close}?` : roleKeys.length ? `use one of ${roleKeys.join(", ")}, or an RL… SID` : "declare the role under roles, or write its RL… SID",
      });
    } else if (role.type !== undefined && role.type !== type) {
      report(ctx, path, { message: `role ${quote(reference)} is a ${String(role.type)} role; this needs a ${type} role`, hint: `name a role with type: ${type}` });
    }
  };

  // Each kind's entries where the registry places them: a collection's keys, the values the table's
  // rules judge, and the roles its references name (judged here, not as values).
  for (const kind of Object.values(ENVIRONMENT_KINDS)) {
    for (const [path, entry] of entriesAt(value, kind.at)) {
      if (kind.at.includes("*")) keyRule(ctx, path, String(path[path.length - 1]));
      if (kind.name === "service" && !declaresService) continue;
      const references = kind.references ?? {};
      entryRules(ctx, kind.name, path, entry, (property) => isJudgedApart(references[property], isRecord(entry) ? entry[kind.table[property].yaml] : undefined));
      if (!isRecord(entry)) continue;
      for (const [property, reference] of Object.entries(references)) {
        const key = kind.table[property].yaml;
        if (reference.to === "role") checkRoleReference([...path, key], entry[key], reference.roleType);
      }
    }
  }
  const roleNames = new Map<string, string>();
  for (const [key, role] of Object.entries(roles)) {
    if (!isRecord(role) || typeof role.friendlyName !== "string") continue;
    const owner = roleNames.get(role.friendlyName);
    if (owner) report(ctx, ["roles", key, "friendlyName"], { message: `friendlyName ${quote(role.friendlyName)} is already used by role ${quote(owner)}`, hint: "give each role its own name" });
    else roleNames.set(role.friendlyName, key);
  }
  const users = isRecord(value.users) ? value.users : {};
  const identities = new Map<string, string>();
  for (const [key, user] of Object.entries(users)) {
    if (isRecord(user) && typeof user.identity === "string") {
      const owner = identities.get(user.identity);
      if (owner) report(ctx, ["users", key, "identity"], { message: `identity ${quote(user.identity)} is already used by user ${quote(owner)}`, hint: "give each user its own identity" });
      else identities.set(user.identity, key);
    }
  }
  if (isRecord(value.account)) {
    const configuration = value.account.configuration;
    if (isRecord(configuration) && configuration.defaultChatService === STACK_SERVICE && !declaresService) {
      report(ctx, ["account", "configuration", "defaultChatService"], {
        message: `defaultChatService: ${STACK_SERVICE} names the service this stack declares, but it declares none`,
        hint: "declare service: { friendlyName: … }, or write the service's IS… SID",
      });
    }
  }
  const addresses = isRecord(value.addressConfigurations) ? value.addressConfigurations : {};
  const ownerOfAddress = new Map<string, string>();
  for (const [key, address] of Object.entries(addresses)) {
    if (isRecord(address) && typeof address.address === "string") {
      const owner = ownerOfAddress.get(address.address);
      if (owner) report(ctx, ["addressConfigurations", key, "address"], { message: `address ${quote(address.address)} is already configured by ${quote(owner)}`, hint: "Twilio keeps one configuration per address: remove one" });
      else ownerOfAddress.set(address.address, key);
    }
  }
  // A conversation's participants may name a declared conversation role and a declared user.
  const userKeys = Object.keys(users);
  for (const [name, conversation] of Object.entries(isRecord(value.conversations) ? value.conversations : {})) {
    if (!isRecord(conversation) || !isRecord(conversation.participants)) continue;
    for (const [key, participant] of Object.entries(conversation.participants)) {
      if (!isRecord(participant)) continue;
      const path = ["conversations", name, "participants", key];
      checkRoleReference([...path, "role"], participant.role, "conversation");
      const user = participant.user;
      if (typeof user === "string" && !isRecord(users[user])) {
        const close = closestTo(user, userKeys);
        report(ctx, [...path, "user"], {
          message: `${quote(user)} is not a user declared under users`,
          hint: close ? `did you mean ${close}?` : userKeys.length ? `use one of ${userKeys.join(", ")}` : "declare the user under users, or write the participant's identity",
        });
      }
    }
  }
  const credentials = isRecord(value.pushCredentials) ? value.pushCredentials : {};
  for (const [key, credential] of Object.entries(credentials)) {
    if (isRecord(credential) && (credential.adopt === "ifExists" || credential.adopt === "require") && typeof credential.friendlyName !== "string") {
      report(ctx, ["pushCredentials", key, "adopt"], {
        message: `adopt: ${credential.adopt} needs a friendlyName to find the existing credential by`,
        hint: "add the friendlyName the credential has in Twilio, or remove adopt",
      });
    }
  }
}

function keyRule(ctx: Issues, path: (string | number)[], key: string): void {
  if (ENTRY_KEY_PATTERN.test(key)) return;
  report(ctx, path, {
    message: `${quote(key)} is not a valid key`,
    hint: "use 1 to 63 lowercase letters, digits and hyphens, starting with a letter or digit (it becomes the Pulumi resource name)",
  });
}
