// One row type for every field of every resource kind, the conversation side's (properties.ts) and
// the environment's (environment.ts): its key in the stack file, the TypeScript type of its value,
// the form key Twilio takes and the answer key it shows it under, how it is written and read, how
// two values compare, when it may change and whether it is secret. client/wire.ts builds every form
// and reads every answer from these rows, diff/compare.ts compares with them.

/**
 * How a declared value is compared with the one held: `text` exactly; `value` as its type says (a
 * list as a set, an object as a JSON value, anything else by its text); `set` a list whose order and
 * repeats never show as a change; `json` a JSON value, where list order counts; `duration` in
 * seconds; `instant` to the second; `number` exactly.
 */
export type Comparison = "text" | "value" | "set" | "json" | "duration" | "instant" | "number";

/**
 * How Twilio's answer is read: `text` (the default) text or none; `value` as answered; `json` JSON
 * text parsed into its value; `number` a number or none; `list` a list of text; `uppercase` text in
 * capitals; `boolean` a boolean, which Twilio may answer as text (`"True"`).
 */
export type Read = "text" | "value" | "json" | "number" | "list" | "uppercase" | "boolean";

/**
 * How a value is written in the form: as is, as canonical JSON text, as Twilio's whole-second UTC
 * date, lowercased (the spec's enum), or `list`: one repeated key per item (as every list is sent;
 * the row says so for the reference).
 */
export type Encode = "json" | "date" | "lowercase" | "list";

/**
 * When a property may change: `update` in place; `create-only`, where a change replaces the
 * object (or re-creates the message); `recorded`, where only the provider's record changes
 * (no request).
 */
export type Change = "update" | "create-only" | "recorded";

/**
 * Where a value goes in Twilio's form: one key, or one per part of an object (its dotted path
 * below the property). `null`: never sent in a form (in the path, or not Twilio's).
 */
export type FormKeys = string | Readonly<Record<string, string>> | null;

/** Where Twilio's JSON answer holds a value (a dotted path, numbers index lists), one per part of a composite; null when Twilio never shows it. */
export type AnswerKeys = string | Readonly<Record<string, string>> | null;

/**
 * A row's `value`: the TypeScript type of what the stack declares, for the types derived from the
 * table (arguments, inputs, forms, outputs). Nothing at run time.
 */
export const as = <T>(): T => undefined as T;

/** One field the stack declares (or the path holds), of any resource kind. */
export interface FieldRow {
  /** The key in the stack file's entry; null when it is not declared there. */
  yaml: string | null;
  /** Its type, as declared: `as<string>()`. */
  value: unknown;
  form: FormKeys;
  encode?: Encode;
  answer: AnswerKeys;
  /** By default, text. */
  read?: Read;
  /** Twilio holds one for every object: the resource's output is never null. */
  always?: true;
  compare: Comparison;
  /** Parts (`""`: the value itself) compared without case: methods, which Twilio takes and answers in either case. */
  caseless?: readonly string[];
  change: Change;
  /** Sent, never answered, never stored in plaintext. */
  secret: boolean;
  /** Twilio requires it on create. */
  required?: true;
}

/** A value only Twilio sets: shown in its answer, never declared. */
export interface ObservedRow {
  change: "observed";
  answer: string;
  read?: "number";
  always?: true;
  secret: boolean;
}

export type Row = FieldRow | ObservedRow;
export type RowTable = Readonly<Record<string, Row>>;

export const isField = (row: Row): row is FieldRow => row.change !== "observed";

/** The keys of a table whose rows have the shape `Row`. */
export type KeysWhere<T, R> = { [K in keyof T]: T[K] extends R ? K : never }[keyof T] & string;

/** A row's type, as declared (its `value`). */
export type ValueOf<R> = R extends { value: infer V } ? V : never;

/** `true` when the two key sets are the same: an interface and its table must list the same properties. */
export type SameKeys<A extends PropertyKey, B extends PropertyKey> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only for `true`: `Expect<SameKeys<…>>` fails the build when an interface and its table part ways. */
export type Expect<T extends true> = T;

/** Properties whose values are secret: their outputs are marked secret (`additionalSecretOutputs`). */
export function secretProperties<T extends RowTable>(table: T): Array<keyof T & string> {
  return (Object.keys(table) as Array<keyof T & string>).filter((property) => table[property].secret);
}

/** The dotted path of each part of a composite value, or `[""]` for a plain one. */
export function partsOf(keys: string | Readonly<Record<string, string>>): Array<[part: string, key: string]> {
  return typeof keys === "string" ? [["", keys]] : Object.entries(keys);
}

/**
 * Sets the value at a dotted path below `target` (not ""), making the objects on the way; an object
 * already on the way is copied first, so a value shared with another is never changed.
 */
export function setValueAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split(".");
  let current = target;
  for (const segment of segments.slice(0, -1)) current = (current[segment] = { ...((current[segment] as object | undefined) ?? {}) }) as Record<string, unknown>;
  current[segments[segments.length - 1]] = value;
}

/** The value at a dotted path below `value` ("" is the value itself); undefined where there is none. */
export function valueAt(value: unknown, path: string): unknown {
  if (path === "") return value;
  let current = value;
  for (const segment of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
