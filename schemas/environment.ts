// The stack file's environment: the service (declared, or an existing one configured), its roles
// and users, the account's configuration and webhooks, address configurations and push
// credentials. Each kind's entry is its table's keys (typed by its rows' rules, described by their
// doc comments), placed where its registry entry says; the keys that are no row (adopt, the
// service's SID) are declared here. The rules on values are provider/domain/environment-rules.ts,
// the same that the provider's `check` applies, called on each entry with its values under the
// properties' names and reported under the file's keys.
import { z } from "zod";
import {
  AUTO_CREATION_TYPES,
  ENVIRONMENT_KINDS,
  kindsPlacedIn,
  type EnvironmentCollectionSection,
  type EnvironmentKind,
  type EnvironmentKindName,
  type EnvironmentKindOf,
  type EnvironmentRow,
  type EnvironmentRule,
  type EnvironmentTableOf,
  type Reference,
} from "../provider/domain/environment";
import { secretProperties, type KeysWhere } from "../provider/domain/row";
import { tableFields, type RowFields } from "./fields";
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

const ADOPT = "When one already exists: never (create another, or fail), ifExists (take it over; destroy then puts it back as found), require (fail unless it exists).";
const adopt = (description = ADOPT) => z.enum(ADOPT_MODES).optional().describe(description);

/** What `adopt` says of a kind whose adoption needs more words than the general one (ADOPT). */
const ADOPT_DESCRIPTIONS: Partial<Record<EnvironmentKindName, string>> = {
  service: "Take over a service of this name that already exists: never (default), ifExists, require.",
  pushCredential:
    "Take over a credential of this type and friendlyName that already exists (the oldest): never (default), ifExists, require. An adopted credential keeps the secrets it holds; the declared ones are sent once their value changes.",
};

const url = () => z.string().describe("An absolute http(s) URL.");
const method = () => z.string().describe("GET or POST.");
const events = () => z.array(z.string()).describe("The events sent, as Twilio names them (onMessageAdded, …); their order does not matter.");

const notification = () => ({
  enabled: z.boolean().optional().describe("Send this notification."),
  template: z.string().optional().describe("The notification's text, with Twilio's ${…} placeholders."),
  sound: z.string().optional().describe("The sound the device plays."),
});

function newMessageNotification() {
  return z.strictObject({
    ...notification(),
    badgeCountEnabled: z.boolean().optional().describe("Show the unread count as the app's badge."),
    withMedia: z
      .strictObject({
        enabled: z.boolean().optional().describe("Send a notification of its own for a message with media."),
        template: z.string().optional().describe("Its text, with Twilio's ${…} placeholders."),
      })
      .optional()
      .describe("For a message with media."),
  });
}

function autoCreation() {
  return z.strictObject({
    enabled: z.boolean().optional().describe("Open a conversation when a message arrives."),
    type: z.enum(AUTO_CREATION_TYPES).optional().describe("webhook, studio or default."),
    conversationServiceSid: z.string().optional().describe("The IS… SID of the service new conversations go to."),
    webhookUrl: url().optional(),
    webhookMethod: method().optional(),
    webhookFilters: events().optional(),
    studioFlowSid: z.string().optional().describe("The FW… SID of the Studio flow (type studio)."),
    studioRetryCount: z.number().optional().describe("How many times Twilio retries the flow, 0 to 3 (type studio)."),
  });
}

function secretReference() {
  return z
    .strictObject({
      secret: z
        .string()
        .regex(CONFIG_KEY_PATTERN, {
          error: (issue) => explain(`${quote(issue.input)} is not a config key`, "name the key you set with `pulumi config set --secret <key> …`, e.g. apnCertificate"),
        })
        .describe("The Pulumi config key that holds it, set with `pulumi config set --secret <key> <value>`."),
    })
    .describe("A secret: never written in the stack file, only named. It reaches Twilio, never state, plans or logs.");
}

/**
 * The type of an environment row's key in the stack file, by its rule: the value's shape (and the
 * parts of a composite, described here). What a rule judges beyond its type (a SID, a URL, a limit)
 * is environmentRules', after the schema: the same rules the provider's `check` applies. A
 * reference (a role's key, the stack's service) is text the stack program resolves.
 */
function ruleType(rule: EnvironmentRule): z.ZodType {
  if (rule === "boolean") return z.boolean();
  if (rule === "webhookUrl") return url();
  if (rule === "method") return method();
  if (rule === "events") return events();
  if (rule === "permissions") return z.array(z.string());
  if (rule === "json") return z.record(z.string(), z.unknown());
  if (rule === "notification") return z.strictObject(notification());
  if (rule === "newMessageNotification") return newMessageNotification();
  if (rule === "autoCreation") return autoCreation();
  if (typeof rule === "object" && "oneOf" in rule) return z.enum(rule.oneOf as [string, ...string[]]);
  return z.string();
}

type SecretForms<T> = { [P in KeysWhere<T, { secret: true }>]: (rule: z.ZodType) => z.ZodOptional<ReturnType<typeof secretReference>> };

/** The stack file's keys of a kind's table: each row's, typed by its rule, a secret named by its config key. */
function kindFields<K extends EnvironmentKindName>(kind: K): RowFields<EnvironmentTableOf<K>, SecretForms<EnvironmentTableOf<K>>> {
  const table = ENVIRONMENT_KINDS[kind].table as EnvironmentTableOf<K>;
  const secrets = Object.fromEntries(secretProperties(table).map((property) => [property, () => secretReference().optional()]));
  return tableFields(table, (row) => ruleType((row as EnvironmentRow).rule), secrets as never) as RowFields<EnvironmentTableOf<K>, SecretForms<EnvironmentTableOf<K>>>;
}

/** Which kind an entry of the stack file is: the JSON Schema generator describes it from the kind's doc comment in the registry. */
export const STACK_FILE_ENTRIES = z.registry<{ kind: EnvironmentKindName }>();

type Adoption<K extends EnvironmentKindName> = EnvironmentKindOf<K>["shape"] extends "collection" ? { adopt: ReturnType<typeof adopt> } : Record<never, never>;
type Entry<K extends EnvironmentKindName> = z.ZodObject<RowFields<EnvironmentTableOf<K>, SecretForms<EnvironmentTableOf<K>>> & Adoption<K>, z.core.$strict>;
/** The kinds whose entries are one table's keys (but the service, which may also be a SID and nests some of them). */
type EntryKind = Exclude<EnvironmentKindName, "service">;
type Entries = { [K in EntryKind]: Entry<K> };

/** A kind's entry in the stack file: its table's keys, and `adopt` for a collection. */
function entrySchema<K extends EntryKind>(kind: K): Entry<K> {
  const adoption = ENVIRONMENT_KINDS[kind].shape === "collection" ? { adopt: adopt(ADOPT_DESCRIPTIONS[kind]) } : {};
  const entry = z.strictObject({ ...kindFields(kind), ...adoption });
  STACK_FILE_ENTRIES.add(entry, { kind });
  return entry as unknown as Entry<K>;
}

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

/** What each section of the stack file that is no collection says of itself (the entries say the rest; a collection's says it from its kind's noun). */
const PLACE_DESCRIPTIONS: Readonly<Record<Exclude<Section, EnvironmentCollectionSection>, string>> = {
  account: "Account-wide settings: one per Twilio account, so one stack per account should set them.",
};

const sectionDescription = (section: Section, kind: EnvironmentKind): string =>
  section in PLACE_DESCRIPTIONS
    ? PLACE_DESCRIPTIONS[section as keyof typeof PLACE_DESCRIPTIONS]
    : `${kind.noun[0].toUpperCase()}${kind.noun.slice(1)}s keyed by name in the stack (the key is the resource name).`;

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
      return [section, schema.describe(sectionDescription(section, first)).optional()];
    }),
  ) as unknown as Sections;
}

export function environmentSchemas() {
  const kinds = Object.keys(ENVIRONMENT_KINDS).filter((kind): kind is EntryKind => kind !== "service");
  const entries = Object.fromEntries(kinds.map((kind) => [kind, entrySchema(kind)])) as unknown as Entries;
  const serviceConfigurable = placeShape<NestedKind>(entries, "service");

  const declaredService = z
    .strictObject({
      ...kindFields("service"),
      adopt: adopt(ADOPT_DESCRIPTIONS.service),
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
