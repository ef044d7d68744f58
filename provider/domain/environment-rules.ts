// The rules of the environment's resources, one definition for the stack file's schema and the
// provider's `check`: each row's rule (domain/environment.ts) says what its value is judged by, and
// the rules across fields follow; each returns the violations of one resource's values, by
// property name (a composite's part as `property.part`). Values not yet known (preview) are not
// judged.
import { AUTO_CREATION_TYPES, ENVIRONMENT_KINDS, PUSH_CREDENTIAL_TYPES, WEBHOOK_METHODS, type EnvironmentKindName, type EnvironmentRule } from "./environment";
import { choiceViolation, sidViolation, textViolation, timerViolation, type FieldViolation, type SidKind, type Timer, type Violation } from "./rules";
import { valueAt } from "./properties";
import { containsUnknown } from "./unknown";

const quote = (value: unknown) => JSON.stringify(value);

/** An absolute http(s) URL, as Twilio calls webhooks. */
export function webhookUrlViolation(text: string): Violation | undefined {
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    url = null;
  }
  if (url && (url.protocol === "https:" || url.protocol === "http:")) return undefined;
  return { message: `${quote(text)} is not an http(s) URL`, hint: "write the whole URL Twilio should call, e.g. https://example.com/twilio/events" };
}

export function methodViolation(value: unknown): Violation | undefined {
  if (typeof value === "string" && WEBHOOK_METHODS.includes(value.toUpperCase() as (typeof WEBHOOK_METHODS)[number])) return undefined;
  return choiceViolation(WEBHOOK_METHODS, value);
}

type Check = (value: unknown) => Violation | undefined;

const text = (check: (text: string) => Violation | undefined): Check => (value) =>
  typeof value === "string" ? check(value) : { message: `expected text, received ${quote(value)}`, hint: "quote it" };
const sid = (kind: SidKind): Check => text((value) => sidViolation(kind, value));
const oneOf = (allowed: readonly string[]): Check => (value) => choiceViolation(allowed, value);
const url: Check = text(webhookUrlViolation);
const permissions: Check = (value) =>
  Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === "string" && item.trim() !== "")
    ? undefined
    : { message: "permissions must be a list of at least one permission", hint: "list them, e.g. permissions: [sendMessage, leaveConversation]" };
const timer = (which: Timer): Check => text((value) => timerViolation(which, value));
const retryCount: Check = (value) =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 3
    ? undefined
    : { message: `studioRetryCount must be a whole number from 0 to 3, received ${quote(value)}`, hint: "Twilio retries a Studio flow at most 3 times" };
const country: Check = text((value) =>
  /^[A-Z]{2}$/.test(value) ? undefined : { message: `${quote(value)} is not a country code`, hint: "use an ISO 3166-1 alpha-2 code in capitals, e.g. US" },
);

/**
 * What a rule judges beyond the value's type (which the stack file's schema and the arguments'
 * types say): none for `string`, `boolean`, `json`, `events` and a notification's parts.
 */
function checkOf(rule: EnvironmentRule): Check | undefined {
  if (rule === "webhookUrl") return url;
  if (rule === "method") return methodViolation;
  if (rule === "permissions") return permissions;
  if (rule === "country") return country;
  if (typeof rule !== "object") return undefined;
  if ("sid" in rule) return sid(rule.sid);
  if ("text" in rule) return text((value) => textViolation(rule.text, value));
  if ("timer" in rule) return timer(rule.timer);
  return oneOf(rule.oneOf);
}

/** The checks of an auto-creation's parts, by part. */
const AUTO_CREATION_CHECKS: Readonly<Record<string, Check>> = {
  type: oneOf(AUTO_CREATION_TYPES),
  conversationServiceSid: sid("chatService"),
  webhookUrl: url,
  webhookMethod: methodViolation,
  studioFlowSid: sid("studioFlow"),
  studioRetryCount: retryCount,
};

/** A row's checks, by its property (or a composite's part, as `property.part`), from its rule. */
function rowChecks(property: string, rule: EnvironmentRule): Array<[path: string, check: Check]> {
  if (rule === "autoCreation") return Object.entries(AUTO_CREATION_CHECKS).map(([part, check]) => [`${property}.${part}`, check]);
  const check = checkOf(rule);
  return check ? [[property, check]] : [];
}

/** The parts of an auto-creation that belong to each type: others would never show in Twilio's answer. */
const AUTO_CREATION_FIELDS: Record<(typeof AUTO_CREATION_TYPES)[number], readonly string[]> = {
  webhook: ["webhookUrl", "webhookMethod", "webhookFilters"],
  studio: ["studioFlowSid", "studioRetryCount"],
  default: [],
};

/** What the secrets of a push credential of each type must hold (Twilio's credential resource). */
export const CREDENTIAL_SECRETS: Record<(typeof PUSH_CREDENTIAL_TYPES)[number], readonly string[]> = {
  apn: ["certificate", "privateKey"],
  fcm: ["secret"],
  gcm: ["apiKey"],
};

/** Every violation of one resource's values (by property name), in the table's order. */
export function environmentViolations(kindName: EnvironmentKindName, values: Record<string, unknown>): FieldViolation[] {
  const kind = ENVIRONMENT_KINDS[kindName];
  const violations: FieldViolation[] = [];
  const known = (value: unknown) => value !== undefined && value !== null && !containsUnknown(value);
  for (const [property, row] of Object.entries(kind.table)) {
    if (row.required && (values[property] === undefined || values[property] === null)) {
      violations.push({ field: property, message: `a ${kind.noun} needs ${row.yaml}`, hint: `add ${row.yaml}: to it` });
    }
  }
  for (const [path, check] of Object.entries(kind.table).flatMap(([property, row]) => rowChecks(property, row.rule))) {
    const value = valueAt(values, path);
    if (!known(value)) continue;
    const violation = check(value);
    if (violation) violations.push({ field: path, ...violation });
  }
  if (kindName === "addressConfiguration") violations.push(...autoCreationViolations(values.autoCreation));
  if (kindName === "pushCredential") violations.push(...credentialViolations(values));
  return violations;
}

function autoCreationViolations(autoCreation: unknown): FieldViolation[] {
  if (autoCreation === null || typeof autoCreation !== "object" || containsUnknown(autoCreation)) return [];
  const settings = autoCreation as Record<string, unknown>;
  const type = settings.type as (typeof AUTO_CREATION_TYPES)[number] | undefined;
  if (type === undefined || !(type in AUTO_CREATION_FIELDS)) return [];
  const violations: FieldViolation[] = [];
  for (const [other, fields] of Object.entries(AUTO_CREATION_FIELDS)) {
    if (other === type) continue;
    for (const field of fields) {
      if (settings[field] === undefined || AUTO_CREATION_FIELDS[type].includes(field)) continue;
      violations.push({
        field: `autoCreation.${field}`,
        message: `${field} belongs to auto-creation of type ${other}, not ${type}`,
        hint: `remove it, or set type: ${other}`,
      });
    }
  }
  if (type === "webhook" && settings.webhookUrl === undefined) {
    violations.push({ field: "autoCreation.webhookUrl", message: "auto-creation of type webhook needs webhookUrl", hint: "add webhookUrl: https://… to autoCreation" });
  }
  if (type === "studio" && settings.studioFlowSid === undefined) {
    violations.push({ field: "autoCreation.studioFlowSid", message: "auto-creation of type studio needs studioFlowSid", hint: "add studioFlowSid: FW… to autoCreation" });
  }
  return violations;
}

function credentialViolations(values: Record<string, unknown>): FieldViolation[] {
  const type = values.type as (typeof PUSH_CREDENTIAL_TYPES)[number];
  if (!(type in CREDENTIAL_SECRETS)) return [];
  const needed = CREDENTIAL_SECRETS[type];
  const violations: FieldViolation[] = [];
  for (const property of needed) {
    if (values[property] === undefined || values[property] === null) {
      violations.push({ field: property, message: `a push credential of type ${type} needs ${property}`, hint: `name the secret config key that holds it: ${property}: { secret: <key> }` });
    }
  }
  for (const property of ["certificate", "privateKey", "apiKey", "secret"]) {
    if (needed.includes(property) || values[property] === undefined || values[property] === null) continue;
    violations.push({ field: property, message: `${property} is not used by a push credential of type ${type}`, hint: `remove it, or use the type it belongs to` });
  }
  return violations;
}
