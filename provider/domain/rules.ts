// Twilio Conversations v1 limits and formats, and the rules built on them. One definition of each
// rule serves the stack-file schema (schemas/stack.ts), the provider's `check`
// (provider/resources/check.ts) and the problem renderer: a rule returns a Violation (what is wrong
// and how to fix it) and each caller only places it. Pure data and pure functions, free of zod.

export const SID_PATTERNS = {
  account: /^AC[0-9a-fA-F]{32}$/,
  apiKey: /^SK[0-9a-fA-F]{32}$/,
  chatService: /^IS[0-9a-fA-F]{32}$/,
  conversation: /^CH[0-9a-fA-F]{32}$/,
  message: /^IM[0-9a-fA-F]{32}$/,
  messagingService: /^MG[0-9a-fA-F]{32}$/,
  media: /^ME[0-9a-fA-F]{32}$/,
  content: /^HX[0-9a-fA-F]{32}$/,
  role: /^RL[0-9a-fA-F]{32}$/,
  participant: /^MB[0-9a-fA-F]{32}$/,
  webhook: /^WH[0-9a-fA-F]{32}$/,
  studioFlow: /^FW[0-9a-fA-F]{32}$/,
} as const;

export type SidKind = keyof typeof SID_PATTERNS;

export const LIMITS = {
  friendlyNameChars: 256,
  uniqueNameChars: 256,
  messageBodyChars: 1600,
  messageSubjectChars: 256,
  conversationAttributesBytes: 16 * 1024,
  messageAttributesBytes: 4 * 1024,
  contentVariableValueChars: 256,
  /** Participants: Identity and the messaging binding's addresses 256 characters, Attributes 4 KB (the limits page). */
  identityChars: 256,
  addressChars: 256,
  participantAttributesBytes: 4 * 1024,
  /** Conversation-scoped webhooks: "as many as five" per conversation, at most 5 trigger keywords of 1 to 248 characters (50361, 50362, 50366). */
  webhooksPerConversation: 5,
  webhookTriggers: 5,
  webhookTriggerChars: 248,
  inactiveTimerMinSeconds: 60,
  closedTimerMinSeconds: 600,
  /**
   * Twilio documents minimums for timers but no maximum. It answers with the deadline it computed
   * (`timers.date_closed`), so a timer must land on a real date; 36,500 days (about 100 years) is
   * far past any real use and keeps every deadline a four-digit year.
   */
  timerMaxSeconds: 36_500 * 86_400,
} as const;

export const CONVERSATION_STATES = ["active", "inactive", "closed"] as const;
export type ConversationState = (typeof CONVERSATION_STATES)[number];

export const ADOPT_MODES = ["never", "ifExists", "require"] as const;
export type AdoptMode = (typeof ADOPT_MODES)[number];

/** What is wrong with a value, and how to fix it. */
export interface Violation {
  message: string;
  hint: string;
}

/** A violation of a rule across fields of one object; `field` is absent when it is about the whole object. */
export interface FieldViolation extends Violation {
  field?: string;
}

const quote = (value: unknown) => JSON.stringify(value);

export function isSid(kind: SidKind, value: string): boolean {
  return SID_PATTERNS[kind].test(value);
}

const SID_ORIGINS: Record<SidKind, { label: string; origin: string }> = {
  account: { label: "Account", origin: "the Twilio console (Account info)" },
  apiKey: { label: "API key", origin: "the Twilio console (Account > API keys)" },
  chatService: { label: "Conversation Service", origin: "the Twilio console (Conversations > Manage > Services)" },
  conversation: { label: "Conversation", origin: "the conversation's sid output" },
  message: { label: "Message", origin: "the message's sid output" },
  messagingService: { label: "Messaging Service", origin: "the Twilio console (Messaging > Services)" },
  media: { label: "Media", origin: "the response of the Media Content Service upload" },
  content: { label: "Content template", origin: "the Twilio console (Messaging > Content Template Builder)" },
  role: { label: "Role", origin: "the role's sid output, or declare the role under roles and name its key" },
  participant: { label: "Participant", origin: "the conversation's participants output" },
  webhook: { label: "Webhook", origin: "the conversation's scopedWebhooks output" },
  studioFlow: { label: "Studio Flow", origin: "the Twilio console (Studio > Flows)" },
};

export function sidPrefix(kind: SidKind): string {
  return SID_PATTERNS[kind].source.slice(1, 3);
}

/** What a SID of this kind looks like and where to find one. */
export function sidExpectation(kind: SidKind): Violation {
  const { label, origin } = SID_ORIGINS[kind];
  const prefix = sidPrefix(kind);
  return { message: `expected a ${label} SID (${prefix} followed by 32 hex digits)`, hint: `copy the ${prefix}… SID from ${origin}` };
}

export function sidViolation(kind: SidKind, value: string): Violation | undefined {
  if (isSid(kind, value)) return undefined;
  const { message, hint } = sidExpectation(kind);
  return { message: `${message}, received ${quote(value)}`, hint };
}

export function choiceViolation(allowed: readonly string[], value: unknown, suggestion?: string): Violation | undefined {
  if (typeof value === "string" && allowed.includes(value)) return undefined;
  return {
    message: `expected one of ${allowed.join(", ")}, received ${quote(value)}`,
    hint: suggestion ? `did you mean ${suggestion}?` : `use one of ${allowed.join(", ")}`,
  };
}

/**
 * Length as Twilio counts it for its "N characters" limits: UTF-16 code units, so a character
 * beyond U+FFFF (most emoji) counts 2. The limits page says only "characters"; Twilio's page for
 * error 21617 says emoji "will be counted as multiple characters", and its emoji support article
 * that an emoji "consumes 2 characters" of a limit, as in UCS-2/UTF-16. Counting code points would
 * let an emoji count once, which both contradict. The emulator counts the same way.
 */
export function twilioLength(text: string): number {
  return text.length;
}

export type TextField = "friendlyName" | "uniqueName" | "body" | "subject" | "identity";

export const TEXT_LIMITS: Record<TextField, { limit: number; hint: string }> = {
  friendlyName: { limit: LIMITS.friendlyNameChars, hint: "shorten it" },
  uniqueName: { limit: LIMITS.uniqueNameChars, hint: "shorten it" },
  body: { limit: LIMITS.messageBodyChars, hint: "split it into several messages" },
  subject: { limit: LIMITS.messageSubjectChars, hint: "shorten it" },
  identity: { limit: LIMITS.identityChars, hint: "shorten it" },
};

function lengthViolation(what: string, text: string, limit: number, hint: string): Violation | undefined {
  const length = twilioLength(text);
  if (length <= limit) return undefined;
  const wide = length - [...text].length;
  const counted = wide > 0 ? ` as Twilio counts (each of its ${wide} emoji or other characters beyond U+FFFF counts 2)` : "";
  return { message: `${what} is ${length} characters long${counted}; Twilio allows at most ${limit}`, hint };
}

export function textViolation(field: TextField, text: string): Violation | undefined {
  const { limit, hint } = TEXT_LIMITS[field];
  return lengthViolation(field, text, limit, hint);
}

const PATH_BREAKERS = ["/", "?", "#"];

/** Twilio accepts a unique name in place of the SID in request paths, so it must survive as one path segment. */
export function uniqueNameViolation(name: string): Violation | undefined {
  if (name.trim() === "") {
    return {
      message: `uniqueName ${quote(name)} is ${name === "" ? "empty" : "blank"}`,
      hint: "give the conversation a name, or remove uniqueName to leave it without one",
    };
  }
  if (name === "." || name === "..") {
    return {
      message: `uniqueName ${quote(name)} is a relative path segment, which URLs collapse`,
      hint: "Twilio accepts the unique name in place of the SID in request paths, where . and .. would address another resource; choose another name",
    };
  }
  const breaker = PATH_BREAKERS.find((character) => name.includes(character));
  if (breaker) {
    return {
      message: `uniqueName ${quote(name)} contains ${quote(breaker)}, which cannot appear in a URL path segment`,
      hint: `Twilio accepts the unique name in place of the SID in request paths, and its libraries put it there as written; remove the ${quote(breaker)}`,
    };
  }
  if (isSid("conversation", name)) {
    return {
      message: `uniqueName ${quote(name)} looks like a conversation SID`,
      hint: "request paths take a SID or a unique name in the same place; choose a name that is not CH followed by 32 hex digits",
    };
  }
  return textViolation("uniqueName", name);
}

/**
 * An ISO 8601 duration in weeks, days, hours, minutes and seconds, with at least one number and no
 * dangling `T`. Years and months are refused: their length in seconds depends on the calendar, so a
 * minimum could not be checked or two spellings compared. Editors get the same pattern.
 */
export const DURATION_PATTERN = /^(?=.*\d)(?!.*T$)P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Seconds in an ISO 8601 duration such as `PT10M`, `P1D` or `P1DT12H`, or null when the text is not one. */
export function durationSeconds(text: string): number | null {
  const match = DURATION_PATTERN.exec(text);
  if (!match) return null;
  const [, weeks, days, hours, minutes, seconds] = match;
  const number = (part: string | undefined) => (part === undefined ? 0 : Number(part));
  return (
    number(weeks) * 604_800 +
    number(days) * 86_400 +
    number(hours) * 3_600 +
    number(minutes) * 60 +
    number(seconds)
  );
}

export type Timer = "inactive" | "closed";

const TIMER_MINIMUMS: Record<Timer, number> = {
  inactive: LIMITS.inactiveTimerMinSeconds,
  closed: LIMITS.closedTimerMinSeconds,
};

export function timerViolation(timer: Timer, text: string): Violation | undefined {
  const seconds = durationSeconds(text);
  if (seconds === null && /^P[^T]*[YM]/.test(text)) {
    return {
      message: `${quote(text)} counts in years or months, which have no fixed length`,
      hint: "use weeks, days, hours or minutes instead, e.g. P30D",
    };
  }
  if (seconds === null) {
    return { message: `${quote(text)} is not an ISO 8601 duration`, hint: "write it like PT1M, PT10M, PT1H or P1D" };
  }
  const minimum = TIMER_MINIMUMS[timer];
  if (seconds < minimum) {
    const minutes = minimum / 60;
    return {
      message: `the ${timer} timer ${quote(text)} is shorter than Twilio's minimum of ${minutes} minute${minutes === 1 ? "" : "s"}`,
      hint: `use PT${minutes}M or longer`,
    };
  }
  if (seconds > LIMITS.timerMaxSeconds) {
    const days = LIMITS.timerMaxSeconds / 86_400;
    return {
      message: `the ${timer} timer ${quote(text)} is longer than ${days} days (about 100 years)`,
      hint: `Twilio turns a timer into a date; use P${days}D or less`,
    };
  }
  return undefined;
}

const LEAP_YEAR = String.raw`(?:\d\d(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)`;
const MONTH_DAY = String.raw`(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)`;
const TIME_OF_DAY = String.raw`(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?`;

/**
 * An ISO 8601 timestamp in UTC, as Twilio writes them, on a day the calendar has (2024-02-29 but
 * not 2023-02-29 or 2024-04-31). A pattern rather than Date.parse so that editors check the same.
 */
export const UTC_TIMESTAMP_PATTERN = new RegExp(`^(?:\\d{4}-${MONTH_DAY}|${LEAP_YEAR}-02-29)T${TIME_OF_DAY}Z$`);

export function timestampViolation(text: string): Violation | undefined {
  if (UTC_TIMESTAMP_PATTERN.test(text)) return undefined;
  return {
    message: `${quote(text)} is not an ISO 8601 UTC timestamp`,
    hint: "write it like 2024-01-02T03:04:05Z (in UTC, ending with Z)",
  };
}

/**
 * The default sender of a conversation's outbound emails (`bindings.email.address`): one `@`
 * between a local part and a domain, no spaces. Twilio documents no stricter form; this refuses
 * what no mail system delivers. Editors get the same pattern.
 */
export const EMAIL_ADDRESS_PATTERN = /^[^\s@]+@[^\s@]+$/;

export function emailAddressViolation(text: string): Violation | undefined {
  if (EMAIL_ADDRESS_PATTERN.test(text)) return undefined;
  return {
    message: `${quote(text)} is not an email address`,
    hint: "write it like support@example.com",
  };
}

/** The sender's display name (`bindings.email.name`): Twilio takes an empty one as "none", which would never match. */
export function emailNameViolation(text: string): Violation | undefined {
  if (text.trim() !== "") return undefined;
  return {
    message: `the email name ${quote(text)} is ${text === "" ? "empty" : "blank"}`,
    hint: "give the sender a name, or remove name to leave it without one",
  };
}

/** `bindings`: an email sender, `{email: {address?, name?}}`, and nothing else. */
function bindingsShape(value: unknown): ShapeProblem | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { message: `expected an object with an email sender (e.g. {email: {address: support@example.com}}), got ${describeValue(value)}` };
  }
  const unknown = Object.keys(value).find((key) => key !== "email");
  if (unknown !== undefined) return { at: `bindings.${unknown}`, message: "Twilio has no such binding; the one it takes is email" };
  const email = (value as Record<string, unknown>).email;
  if (email === undefined || email === null) return undefined;
  if (typeof email !== "object" || Array.isArray(email)) {
    return { at: "bindings.email", message: `expected an object with address and/or name, got ${describeValue(email)}` };
  }
  for (const [key, part] of Object.entries(email as Record<string, unknown>)) {
    const at = `bindings.email.${key}`;
    if (key !== "address" && key !== "name") return { at, message: "Twilio takes only address and name" };
    if (part === null || part === undefined) continue;
    if (typeof part !== "string") return { at, message: `expected a string, got ${describeValue(part)}` };
    const violation = key === "address" ? emailAddressViolation(part) : emailNameViolation(part);
    if (violation) return { at, ...violation };
  }
  return undefined;
}

/** Byte length of text as Twilio counts attribute sizes (UTF-8). */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

export type AttributesOwner = "conversation" | "message" | "participant";

export const ATTRIBUTE_LIMITS: Record<AttributesOwner, number> = {
  conversation: LIMITS.conversationAttributesBytes,
  message: LIMITS.messageAttributesBytes,
  participant: LIMITS.participantAttributesBytes,
};

/** Attributes travel as JSON text; key order does not change their size. */
export function attributesViolation(owner: AttributesOwner, value: unknown): Violation | undefined {
  const limit = ATTRIBUTE_LIMITS[owner];
  const bytes = utf8Bytes(JSON.stringify(value));
  if (bytes <= limit) return undefined;
  return {
    message: `attributes are ${bytes} bytes as JSON; Twilio allows at most ${limit} bytes for a ${owner}`,
    hint: "keep bulky data elsewhere and store a reference to it in attributes",
  };
}

export function contentVariableViolation(name: string, value: string): Violation | undefined {
  return lengthViolation(`content variable ${quote(name)}`, value, LIMITS.contentVariableValueChars, "shorten it");
}

/**
 * `__proto__` names an object's prototype in JavaScript: tools built on plain objects (js-yaml's
 * default mappings, zod, Pulumi's serialization) drop such a key or turn it into something else.
 * Refusing it is the only way never to lose it silently.
 */
export const RESERVED_KEY = "__proto__";

export function reservedKeyViolation(key: string): Violation | undefined {
  if (key !== RESERVED_KEY) return undefined;
  return {
    message: `${quote(key)} cannot be used as a key`,
    hint: "JavaScript treats __proto__ as an object's prototype, so the entry would be lost; rename it",
  };
}

/** The path below a JSON value of the first entry (key and value) that `matches`, depth first. */
function firstPathWhere(
  value: unknown,
  matches: (key: string | number, item: unknown) => boolean,
  path: (string | number)[] = [],
): (string | number)[] | undefined {
  const entries: Array<[string | number, unknown]> = Array.isArray(value)
    ? [...value.entries()]
    : typeof value === "object" && value !== null
      ? Object.entries(value)
      : [];
  for (const [key, item] of entries) {
    if (matches(key, item)) return [...path, key];
    const found = firstPathWhere(item, matches, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/** The first reserved key anywhere in a JSON value, with its path below the value. */
export function reservedKeyIn(value: unknown): (string | number)[] | undefined {
  return firstPathWhere(value, (key) => key === RESERVED_KEY);
}

/** The first Infinity or NaN anywhere in a JSON value, with its path below the value. */
export function nonFiniteNumberIn(value: unknown): (string | number)[] | undefined {
  return firstPathWhere(value, (_key, item) => typeof item === "number" && !Number.isFinite(item));
}

export const NON_FINITE_BECOMES = "null, as JSON has no infinity or NaN";

/** A number that would not reach Twilio as written: `becomes` is what JSON would carry instead. */
export function inexactNumberViolation(written: string, becomes: string): Violation {
  return {
    message: `the number ${written} cannot be carried exactly in JSON: it would become ${becomes}`,
    hint: `quote it to keep it as text: "${written}"`,
  };
}

// A field is present when it is declared; `check` sees undeclared fields as null and drops them first.
const present = (value: unknown) => value !== undefined;

/**
 * A field that only works with another: `field` (when it holds one of `values`, if given) needs
 * `needs`. Data, so that editors' JSON Schema states the same rule (schemas/stack.ts).
 */
export interface Dependency {
  field: string;
  values?: readonly string[];
  needs: string;
  violation: (value: unknown) => Violation;
}

export const CONVERSATION_DEPENDENCIES: readonly Dependency[] = [
  {
    field: "timers",
    needs: "state",
    violation: () => ({
      message: "timers are set but state is not",
      hint: "add state: active (Twilio refuses timers without a state, error 50382)",
    }),
  },
  {
    field: "adopt",
    values: ["ifExists", "require"],
    needs: "uniqueName",
    violation: (adopt) => ({
      message: `adopt: ${adopt} needs a uniqueName to find the existing conversation`,
      hint: "add a uniqueName, or remove adopt",
    }),
  },
];

export const MESSAGE_DEPENDENCIES: readonly Dependency[] = [
  {
    field: "contentVariables",
    needs: "contentSid",
    violation: () => ({
      message: "contentVariables without a contentSid",
      hint: "add the contentSid (HX…) of the template these variables fill, or remove contentVariables",
    }),
  },
];

/** A message says something through one of these. */
export const MESSAGE_CONTENT_FIELDS = ["body", "mediaSid", "contentSid"] as const;

export const NO_CONTENT: Violation = {
  message: "the message has no content: no body, mediaSid or contentSid",
  hint: "add a body, a mediaSid, or a contentSid",
};

/** A content template replaces these fields. */
export const CONTENT_TEMPLATE_EXCLUDES = ["body", "mediaSid"] as const;

export function contentTemplateViolation(others: readonly string[]): Violation {
  const fields = others.join(" and ");
  return {
    message: `contentSid cannot be combined with ${fields}`,
    hint: `Twilio ignores ${fields} when a content template is used; remove ${fields} or contentSid`,
  };
}

function dependencyViolations(dependencies: readonly Dependency[], fields: Record<string, unknown>): FieldViolation[] {
  return dependencies
    .filter(({ field, values, needs }) => {
      const value = fields[field];
      return present(value) && (!values || values.includes(value as string)) && !present(fields[needs]);
    })
    .map(({ field, violation }) => ({ field, ...violation(fields[field]) }));
}

/** Rules across a conversation's fields. */
export function conversationViolations(conversation: Record<string, unknown>): FieldViolation[] {
  return dependencyViolations(CONVERSATION_DEPENDENCIES, conversation);
}

/** Rules across a message's fields. */
export function messageViolations(message: Record<string, unknown>): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const has = (field: string) => present(message[field]);
  if (!MESSAGE_CONTENT_FIELDS.some(has)) violations.push({ ...NO_CONTENT });
  const others = CONTENT_TEMPLATE_EXCLUDES.filter(has);
  if (has("contentSid") && others.length > 0) violations.push({ field: "contentSid", ...contentTemplateViolation(others) });
  violations.push(...dependencyViolations(MESSAGE_DEPENDENCIES, message));
  const { dateCreated: created, dateUpdated: updated } = message;
  if (typeof created === "string" && typeof updated === "string" && Date.parse(updated) < Date.parse(created)) {
    violations.push({
      field: "dateUpdated",
      message: `dateUpdated ${updated} is before dateCreated ${created}`,
      hint: "a message cannot be edited before it exists; use a dateUpdated at or after dateCreated",
    });
  }
  return violations;
}

/** The targets of a conversation-scoped webhook (the spec's conversation_scoped_webhook_enum_target). */
export const WEBHOOK_TARGETS = ["webhook", "trigger", "studio"] as const;
export type WebhookTarget = (typeof WEBHOOK_TARGETS)[number];
/** As Twilio's pages write them; the spec's enum is the same in lowercase. */
export const WEBHOOK_METHODS = ["GET", "POST"] as const;
export type WebhookMethod = (typeof WEBHOOK_METHODS)[number];
/**
 * The post-action events a conversation-scoped webhook filters on: "Only post-event webhooks are
 * supported" (the resource's page). The spec's description of a service's webhook `filters` lists
 * every event; these are its post-action (`…ed`) conversation, message, participant and delivery
 * events (the user events belong to a service).
 */
export const WEBHOOK_FILTERS = [
  "onMessageAdded",
  "onMessageUpdated",
  "onMessageRemoved",
  "onConversationUpdated",
  "onConversationStateUpdated",
  "onConversationRemoved",
  "onParticipantAdded",
  "onParticipantUpdated",
  "onParticipantRemoved",
  "onDeliveryUpdated",
] as const;

/** The fields each webhook target uses, besides `target` (Twilio ignores the others). */
export const WEBHOOK_TARGET_FIELDS: Record<WebhookTarget, { needs: readonly string[]; takes: readonly string[] }> = {
  webhook: { needs: ["url", "filters"], takes: ["url", "method", "filters", "replayAfter"] },
  trigger: { needs: ["url", "triggers"], takes: ["url", "method", "triggers", "replayAfter"] },
  studio: { needs: ["flowSid"], takes: ["flowSid", "replayAfter"] },
};

export function urlViolation(text: string): Violation | undefined {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url && (url.protocol === "https:" || url.protocol === "http:")) return undefined;
  return { message: `${quote(text)} is not an absolute http or https URL`, hint: "write it like https://example.com/hooks/conversations" };
}

/** A message index (a participant's last read message, a webhook's replay start): an integer, 0 or more. */
export function messageIndexViolation(value: unknown): Violation | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return undefined;
  return { message: `expected a message index (an integer, 0 or more), received ${quote(value)}`, hint: "the first message of a conversation has index 0" };
}

export function webhookFilterViolation(filter: string, suggestion?: string): Violation | undefined {
  if ((WEBHOOK_FILTERS as readonly string[]).includes(filter)) return undefined;
  return {
    message: `${quote(filter)} is not an event a conversation-scoped webhook filters on`,
    hint: suggestion ? `did you mean ${suggestion}?` : `use post-action events: ${WEBHOOK_FILTERS.join(", ")}`,
  };
}

export function webhookTriggersViolation(triggers: readonly string[]): Violation | undefined {
  if (triggers.length > LIMITS.webhookTriggers) {
    return { message: `${triggers.length} trigger keywords; Twilio takes at most ${LIMITS.webhookTriggers} (error 50362)`, hint: "keep the 5 keywords that matter most" };
  }
  const bad = triggers.find((keyword) => keyword === "" || keyword.length > LIMITS.webhookTriggerChars);
  if (bad === undefined) return undefined;
  return { message: `trigger keyword ${quote(bad.slice(0, 40))} is ${bad === "" ? "empty" : `longer than ${LIMITS.webhookTriggerChars} characters`} (error 50366)`, hint: `use keywords of 1 to ${LIMITS.webhookTriggerChars} characters` };
}

/** Rules across a webhook's fields: what its target needs, and no field its target ignores. */
export function webhookViolations(webhook: Record<string, unknown>): FieldViolation[] {
  const target = webhook.target;
  if (typeof target !== "string" || !(WEBHOOK_TARGETS as readonly string[]).includes(target)) {
    return present(target) ? [] : [{ field: "target", message: "a webhook needs a target", hint: `add target: ${WEBHOOK_TARGETS.join(", ")}` }];
  }
  const { needs, takes } = WEBHOOK_TARGET_FIELDS[target as WebhookTarget];
  const violations: FieldViolation[] = [];
  for (const field of needs.filter((name) => !present(webhook[name]))) {
    violations.push({ message: `a webhook with target ${target} needs ${field}`, hint: `add ${field}, or choose another target` });
  }
  for (const field of Object.keys(webhook).filter((name) => name !== "target" && present(webhook[name]) && !takes.includes(name))) {
    violations.push({ field, message: `a webhook with target ${target} has no ${field}`, hint: `Twilio ignores ${field} for target ${target}; remove it, or choose another target` });
  }
  return violations;
}

/** Who a participant is: a chat identity, a messaging binding, or an identity with a Group MMS projected address. */
export function participantViolations(participant: Record<string, unknown>): FieldViolation[] {
  const binding = typeof participant.messagingBinding === "object" && participant.messagingBinding !== null ? (participant.messagingBinding as Record<string, unknown>) : {};
  const has = (value: unknown) => value !== undefined && value !== null;
  const identity = has(participant.identity);
  const address = has(binding.address);
  if (identity && address) {
    return [{ field: "messagingBinding", message: "a participant has an identity or a messaging binding address, not both", hint: "Twilio refuses both (error 50211): declare two participants, or keep one" }];
  }
  if (!identity && !address && !has(binding.projectedAddress)) {
    return [{ message: "the participant has no identity and no messagingBinding.address", hint: "add identity for a chat participant, or messagingBinding.address (and proxyAddress) for SMS or WhatsApp" }];
  }
  if (has(binding.proxyAddress) && !address) {
    return [{ field: "messagingBinding", message: "messagingBinding.proxyAddress without an address", hint: "add messagingBinding.address: the participant's own number" }];
  }
  if (address && has(binding.projectedAddress)) {
    return [{ field: "messagingBinding", message: "messagingBinding has both an address and a projectedAddress", hint: "a projectedAddress is for a chat participant (with identity) in a Group MMS conversation (error 50443)" }];
  }
  if (address && binding.address === binding.proxyAddress) {
    return [{ field: "messagingBinding", message: "messagingBinding.address and proxyAddress are the same number", hint: "the proxy address is the Twilio number the participant talks to (error 50409)" }];
  }
  return [];
}

/** The part of a participant Twilio holds one of per conversation: its identity, else its binding. */
export function participantNaturalKey(participant: Record<string, unknown>): string | null {
  const binding = (typeof participant.messagingBinding === "object" && participant.messagingBinding) as Record<string, unknown> | false;
  if (typeof participant.identity === "string") return `identity ${participant.identity}`;
  if (binding && typeof binding.address === "string") return `address ${binding.address} ${String(binding.proxyAddress ?? "")}`;
  if (binding && typeof binding.projectedAddress === "string") return `projected ${binding.projectedAddress}`;
  return null;
}

/** What a message authored by this participant has as its author: its identity, else its address. */
export function participantAuthor(participant: Record<string, unknown>): string | null {
  if (typeof participant.identity === "string") return participant.identity;
  const binding = participant.messagingBinding;
  return typeof binding === "object" && binding !== null && typeof (binding as Record<string, unknown>).address === "string"
    ? ((binding as Record<string, unknown>).address as string)
    : null;
}

/** A participant's role, as the provider takes it, is a conversation-level role's SID (the stack file may name a declared role by its key instead). */
export function participantRoleViolation(text: string): Violation | undefined {
  if (isSid("role", text)) return undefined;
  return {
    message: `${sidExpectation("role").message}, received ${quote(text)}`,
    hint: "copy the RL… SID of a conversation-level role (a declared Role's sid output, or the Twilio console)",
  };
}

/** A value's kind, as a problem names what it got: `null`, `a list`, `an object`, `string "x"`. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}

/** What is wrong with a value of a shape rule: at a path below the property (absent: the value itself). */
export interface ShapeProblem {
  at?: string;
  message: string;
  hint?: string;
}

/** `contentVariables`: an object of strings, each within Twilio's length. */
function contentVariablesShape(value: unknown): ShapeProblem | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { message: `expected an object of strings, got ${describeValue(value)}` };
  for (const [key, variable] of Object.entries(value as Record<string, unknown>)) {
    const reserved = reservedKeyViolation(key);
    if (reserved) return reserved;
    if (typeof variable !== "string") return { message: `contentVariables.${key} must be a string, got ${describeValue(variable)}` };
    const tooLong = contentVariableViolation(key, variable);
    if (tooLong) return tooLong;
  }
  return undefined;
}

const BINDING_PARTS = ["address", "proxyAddress", "projectedAddress"];

/** `messagingBinding`: `{address?, proxyAddress?, projectedAddress?}`, each a non-empty string of at most 256 characters. */
function messagingBindingShape(value: unknown): ShapeProblem | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { message: `expected an object with address and proxyAddress (or projectedAddress), got ${describeValue(value)}` };
  }
  for (const [key, part] of Object.entries(value as Record<string, unknown>)) {
    const at = `messagingBinding.${key}`;
    if (!BINDING_PARTS.includes(key)) return { at, message: `Twilio takes only ${BINDING_PARTS.join(", ")}` };
    if (part === null || part === undefined) continue;
    if (typeof part !== "string" || part.trim() === "") {
      return { at, message: `expected an address such as +15551234567 or whatsapp:+15551234567, got ${describeValue(part)}` };
    }
    if (part.length > LIMITS.addressChars) return { at, message: `at most ${LIMITS.addressChars} characters` };
  }
  return undefined;
}

/**
 * The rules of one field's whole value, each named by the `rule` of its table row
 * (domain/properties.ts), which `check` applies to a declared value as it is.
 */
export const SHAPE_RULES = {
  bindings: bindingsShape,
  contentVariables: contentVariablesShape,
  messagingBinding: messagingBindingShape,
} satisfies Record<string, (value: unknown) => ShapeProblem | undefined>;
export type ShapeRule = keyof typeof SHAPE_RULES;

export function isShapeRule(rule: unknown): rule is ShapeRule {
  return typeof rule === "string" && Object.hasOwn(SHAPE_RULES, rule);
}
