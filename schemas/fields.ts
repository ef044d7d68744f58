// The stack-file keys of a property table's rows (provider/domain/properties.ts): a row is declared
// once, in its table, and its key here follows from it, typed by its `rule`, optional unless the
// row has a default. The words of a row's description are its doc comment, which the JSON Schema
// generator (generate.ts) reads from the source, followed by what its rule says in numbers
// (ruleWording, from LIMITS), so that a limit is written once. The rules across fields stay in
// stack.ts, beside the keys that are the stack file's own.
import { z } from "zod";
import {
  ATTRIBUTE_LIMITS,
  DURATION_PATTERN,
  EMAIL_ADDRESS_PATTERN,
  LIMITS,
  RESERVED_KEY,
  SID_PATTERNS,
  TEXT_LIMITS,
  UTC_TIMESTAMP_PATTERN,
  WEBHOOK_FILTERS,
  attributesViolation,
  contentVariableViolation,
  emailAddressViolation,
  emailNameViolation,
  messageIndexViolation,
  reservedKeyViolation,
  sidExpectation,
  sidViolation,
  textViolation,
  timerViolation,
  timestampViolation,
  uniqueNameViolation,
  urlViolation,
  webhookFilterViolation,
  webhookTriggersViolation,
  type AttributesOwner,
  type SidKind,
  type TextField,
  type Timer,
  type Violation,
} from "../provider/domain/rules";
import { declarable, type DeclaredRow, type Declarable, type FieldRule, type PropertyRow, type ValueOf } from "../provider/domain/properties";
import type { JsonValue } from "../provider/domain/json";
import type { EnvironmentRule } from "../provider/domain/environment";
import type { FieldRow, Row } from "../provider/domain/row";
import { explain, report, yamlKindOf } from "./explain";
import { closestTo } from "./issues";

// What editors (yaml-language-server) show for a rule: its `errorMessage`/`patternErrorMessage` is
// the message and hint of the same Violation that validate reports.
export const editorText = ({ message, hint }: Violation) => `${message} — ${hint}`;

/** Keys of a mapping from the file, for editors: never `__proto__` (see RESERVED_KEY). */
export const SAFE_KEYS = {
  propertyNames: { pattern: `^(?!${RESERVED_KEY}$)`, patternErrorMessage: editorText(reservedKeyViolation(RESERVED_KEY)!) },
};

/**
 * uniqueNameViolation as a JSON Schema pattern, for editors: not blank, not . or .., no / ? #,
 * not shaped like a conversation SID. The boundary test holds the two to the same verdicts.
 */
const UNIQUE_NAME_EDITOR_PATTERN = String.raw`^(?![.]{1,2}$)(?!CH[0-9a-fA-F]{32}$)(?=[\s\S]*\S)[^/?#]*$`;

/** A rule of provider/domain/rules.ts as a zod check on a string. */
export function obeys(rule: (text: string) => Violation | undefined) {
  return z.superRefine((text: string, ctx) => {
    const violation = rule(text);
    if (violation) report(ctx, [], violation);
  });
}

/** The error of a value that should be a mapping, with an example of one. */
export function notAMapping(field: string, example: string) {
  return (issue: { code?: string; input?: unknown }) =>
    issue.code === "invalid_type" && issue.input !== undefined
      ? explain(
          `expected a mapping, received ${yamlKindOf(issue.input)}`,
          `write ${field} as YAML key: value pairs, e.g. ${example}${typeof issue.input === "string" ? ", not as a JSON string" : ""}`,
        )
      : undefined;
}

/** Any JSON value, as attributes hold; one instance per schema, so JSON Schema defines the recursion once. */
function jsonValueSchema(): z.ZodType<JsonValue> {
  const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
    z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue).meta(SAFE_KEYS)]),
  );
  return jsonValue;
}

function messageIndexSchema() {
  return z
    .number()
    .superRefine((value, ctx) => {
      const violation = messageIndexViolation(value);
      if (violation) report(ctx, [], violation);
    })
    .meta({ type: "integer", minimum: 0 });
}

/** The schemas the rows of one conversation share, each one instance (JSON Schema then defines it once). */
export interface SharedSchemas {
  jsonValue: z.ZodType<JsonValue>;
  messageIndex: ReturnType<typeof messageIndexSchema>;
}

export function sharedSchemas(): SharedSchemas {
  return { jsonValue: jsonValueSchema(), messageIndex: messageIndexSchema() };
}

function sid(kind: SidKind) {
  return z
    .string()
    .check(obeys((text) => sidViolation(kind, text)))
    .meta({ pattern: SID_PATTERNS[kind].source, patternErrorMessage: editorText(sidExpectation(kind)) });
}

function text(field: TextField) {
  return z
    .string()
    .check(obeys((value) => textViolation(field, value)))
    .meta({ maxLength: TEXT_LIMITS[field].limit });
}

const duration = (seconds: number) => (seconds % 86_400 === 0 ? `P${seconds / 86_400}D` : `PT${seconds / 60}M`);
const TIMER_MINIMUMS: Record<Timer, number> = { inactive: LIMITS.inactiveTimerMinSeconds, closed: LIMITS.closedTimerMinSeconds };
const timerBounds = (timer: Timer) => `at least ${duration(TIMER_MINIMUMS[timer])}, at most ${duration(LIMITS.timerMaxSeconds)}`;

function timer(name: Timer, what: string) {
  return z
    .string()
    .check(obeys((value) => timerViolation(name, value)))
    .meta({
      pattern: DURATION_PATTERN.source,
      patternErrorMessage: editorText({ ...timerViolation(name, "")!, message: "not an ISO 8601 duration in weeks, days, hours, minutes or seconds" }),
    })
    .optional()
    .describe(`ISO 8601 duration ${what}; ${timerBounds(name)}.`);
}

function utcTimestamp() {
  return z
    .string()
    .check(obeys(timestampViolation))
    .meta({
      format: "date-time",
      pattern: UTC_TIMESTAMP_PATTERN.source,
      patternErrorMessage: editorText({ ...timestampViolation("")!, message: "not an ISO 8601 UTC timestamp on a real calendar day" }),
    });
}

function attributes(jsonValue: z.ZodType<JsonValue>, owner: AttributesOwner) {
  return z
    .record(z.string(), jsonValue, { error: notAMapping("attributes", "attributes: { team: support }") })
    .superRefine((value, ctx) => {
      const violation = attributesViolation(owner, value);
      if (violation) report(ctx, [], violation);
    })
    .meta(SAFE_KEYS);
}

function contentVariables() {
  // The length rule runs on the record below, where the variable's name is known; the maxLength
  // here only tells editors.
  const contentVariableValue = z.union([z.string().meta({ maxLength: LIMITS.contentVariableValueChars }), z.number(), z.boolean()], {
    error: (issue) => explain(`expected a string, number or boolean, received ${yamlKindOf(issue.input)}`, "a content variable holds one value; write it as text"),
  });
  return z
    .record(z.string(), contentVariableValue, { error: notAMapping("contentVariables", 'contentVariables: { "1": Ada }') })
    .superRefine((variables, ctx) => {
      for (const [name, value] of Object.entries(variables)) {
        const violation = contentVariableViolation(name, String(value));
        if (violation) report(ctx, [name], violation);
      }
    })
    .transform((variables) => Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, String(value)])))
    .meta(SAFE_KEYS);
}

function timers() {
  return z.strictObject({
    inactive: timer("inactive", "of inactivity before the conversation becomes inactive"),
    closed: timer("closed", "before the conversation is closed"),
  });
}

function uniqueName() {
  return z
    .string()
    .check(obeys(uniqueNameViolation))
    .meta({
      maxLength: LIMITS.uniqueNameChars,
      pattern: UNIQUE_NAME_EDITOR_PATTERN,
      patternErrorMessage: editorText({
        message: 'uniqueName must not be blank, "." or "..", contain "/", "?" or "#", or look like a conversation SID (CH…)',
        hint: "Twilio accepts the unique name in place of the SID in request paths; choose another name",
      }),
    });
}

function bindings() {
  return z.strictObject({
    email: z
      .strictObject({
        address: z
          .string()
          .check(obeys(emailAddressViolation))
          .meta({ pattern: EMAIL_ADDRESS_PATTERN.source, patternErrorMessage: editorText(emailAddressViolation("")!) })
          .optional()
          .describe("The address outbound emails of this conversation are sent from, e.g. support@example.com."),
        name: z
          .string()
          .check(obeys(emailNameViolation))
          .meta({ pattern: String.raw`\S`, patternErrorMessage: editorText({ ...emailNameViolation("")!, message: "the email name is blank" }) })
          .optional()
          .describe("The sender name outbound emails of this conversation show; not blank."),
      })
      .optional()
      .describe("The default email sender. A part left out is not managed: Twilio keeps what it holds."),
  });
}

function address(what: string) {
  return z
    .string()
    .min(1, { error: explain(`${what} is empty`, "write a number like +15551234567, or whatsapp:+15551234567") })
    .max(LIMITS.addressChars, { error: explain(`${what} is longer than ${LIMITS.addressChars} characters`, "shorten it") })
    .optional();
}

function messagingBinding() {
  return z.strictObject({
    address: address("messagingBinding.address").describe(
      "The participant's own address: an SMS number in E.164 (+15551234567) or whatsapp:+15551234567. A number alone (no proxyAddress) is a Group MMS participant.",
    ),
    proxyAddress: address("messagingBinding.proxyAddress").describe("The Twilio number (or WhatsApp sender) the participant talks to."),
    projectedAddress: address("messagingBinding.projectedAddress").describe("For a chat participant (with identity) in a Group MMS conversation: the Twilio number it shows as."),
  });
}

function webhookFilters() {
  const closestFilter = (filter: string) => closestTo(filter, WEBHOOK_FILTERS);
  return z
    .array(
      z
        .string()
        .check(obeys((filter) => webhookFilterViolation(filter, closestFilter(filter))))
        .meta({ enum: [...WEBHOOK_FILTERS] }),
    )
    .min(1, { error: explain("filters is empty", "name at least one event, e.g. [onMessageAdded]") });
}

function webhookTriggers() {
  return z
    .array(z.string())
    .min(1, { error: explain("triggers is empty", "name at least one keyword") })
    .superRefine((value, ctx) => {
      const violation = webhookTriggersViolation(value);
      if (violation) report(ctx, [], violation);
    });
}

/** The stack-file schema of a row's rule: what `check` applies to the value, said in zod (and so to editors). */
export function ruleSchema(rule: FieldRule, shared: SharedSchemas): z.ZodType {
  if (rule === "string") return z.string();
  // The stack file names a declared role by its key, or an existing one by its RL… SID; the stack
  // program resolves the key, and validate checks it against roles (environmentRules).
  if (rule === "participantRole") return z.string();
  if (rule === "boolean") return z.boolean();
  if (rule === "uniqueName") return uniqueName();
  if (rule === "timers") return timers();
  if (rule === "timestamp") return utcTimestamp();
  if (rule === "messageIndex") return shared.messageIndex;
  if (rule === "url") return z.string().check(obeys(urlViolation)).meta({ format: "uri" });
  if (rule === "webhookFilters") return webhookFilters();
  if (rule === "webhookTriggers") return webhookTriggers();
  if (rule === "bindings") return bindings();
  if (rule === "contentVariables") return contentVariables();
  if (rule === "messagingBinding") return messagingBinding();
  if ("sid" in rule) return sid(rule.sid);
  if ("text" in rule) return text(rule.text);
  if ("oneOf" in rule) return z.enum(rule.oneOf as [string, ...string[]]);
  return attributes(shared.jsonValue, rule.attributes);
}

const UTF16 = "(UTF-16 code units, as Twilio counts: an emoji counts 2)";

/** What a rule says in numbers, for the description: the limits of LIMITS, so that no doc comment repeats one. */
export function ruleWording(rule: FieldRule | EnvironmentRule): string | undefined {
  if (rule === "uniqueName") return `At most ${LIMITS.uniqueNameChars} characters ${UTF16}; not blank, not "." or "..", no "/", "?" or "#".`;
  if (rule === "timers") return `The inactive timer is ${timerBounds("inactive")}; the closed timer ${timerBounds("closed")}.`;
  if (rule === "contentVariables") return `Values become strings of at most ${LIMITS.contentVariableValueChars} characters.`;
  if (rule === "webhookFilters") return `One or more of ${WEBHOOK_FILTERS.join(", ")}.`;
  if (rule === "webhookTriggers") return `At most ${LIMITS.webhookTriggers}, each 1 to ${LIMITS.webhookTriggerChars} characters.`;
  if (typeof rule === "object" && "text" in rule) return `At most ${TEXT_LIMITS[rule.text].limit} characters ${UTF16}.`;
  if (typeof rule === "object" && "attributes" in rule) return `At most ${ATTRIBUTE_LIMITS[rule.attributes]} bytes as JSON.`;
  if (typeof rule === "object" && "timer" in rule) return `${timerBounds(rule.timer)[0].toUpperCase()}${timerBounds(rule.timer).slice(1)}.`;
  return undefined;
}

type Table = Readonly<Record<string, Row>>;

/** Which row a key of the stack file is: the JSON Schema generator describes it from the row. */
export const STACK_FILE_ROWS = z.registry<{ table: Table; property: string }>();

/**
 * Where the stack file's key is more than the row: a reference the stack program resolves into the
 * row's value, or a default the stack gives elsewhere. Each takes the rule's schema, so the row's
 * rule still applies, and gives the whole key (optional or with its default).
 */
export type StackFileForms<T> = { readonly [K in Declarable<T>]?: (rule: z.ZodType<ValueOf<T[K]>>) => z.ZodType };

type YamlOf<Row> = Row extends { yaml: infer Key extends string } ? Key : never;
/** A row's key: its value as declared, optional unless the row is required or has a default. */
type RowField<Row> = Row extends { required: true }
  ? z.ZodType<ValueOf<Row>>
  : Row extends { default: unknown }
    ? z.ZodDefault<z.ZodType<ValueOf<Row>>>
    : z.ZodOptional<z.ZodType<ValueOf<Row>>>;
export type RowFields<T, Forms> = {
  -readonly [K in Declarable<T> as YamlOf<T[K]>]: K extends keyof Forms ? (Forms[K] extends (rule: never) => infer Field ? Field : never) : RowField<T[K]>;
};

/** The stack file's keys of a table's declared rows, in table order, each typed by its rule; optional unless required or with a default. */
export function rowFields<T extends Readonly<Record<string, PropertyRow>>, Forms extends StackFileForms<T> = Record<never, never>>(
  table: T,
  shared: SharedSchemas,
  forms?: Forms & StackFileForms<T>,
): RowFields<T, Forms> {
  return tableFields(
    table,
    (row, property) => {
      const { rule } = row as DeclaredRow;
      if (rule === null) throw new Error(`row ${property} is in the stack file (${row.yaml}) but has no rule to type it`);
      return ruleSchema(rule, shared);
    },
    forms,
  );
}

/**
 * The stack file's keys of any kind's table (rowFields for the conversation side's, the
 * environment's in schemas/environment.ts): each declared row's key, typed by `schemaOf` (its rule)
 * or its form, optional unless required or with a default, registered as its row's.
 */
export function tableFields<T extends Table, Forms extends StackFileForms<T> = Record<never, never>>(
  table: T,
  schemaOf: (row: FieldRow, property: string) => z.ZodType,
  forms?: Forms & StackFileForms<T>,
): RowFields<T, Forms> {
  const fields: Record<string, z.ZodType> = {};
  for (const property of declarable(table)) {
    const row = table[property] as FieldRow & { default?: unknown };
    const rule = schemaOf(row, property);
    const form = (forms as Record<string, ((rule: z.ZodType) => z.ZodType) | undefined> | undefined)?.[property];
    const field = form ? form(rule) : row.required ? rule : row.default !== undefined ? rule.default(row.default as never) : rule.optional();
    // A schema shared by several keys (messageIndex) is wrapped, so that each row describes its own key.
    if (STACK_FILE_ROWS.has(field)) throw new Error(`row ${property}: its key's schema is another key's too`);
    STACK_FILE_ROWS.add(field, { table, property });
    fields[row.yaml!] = field;
  }
  return fields as RowFields<T, Forms>;
}
