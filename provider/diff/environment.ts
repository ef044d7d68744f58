// Pure decisions for the environment's resources: which declared values differ from what Twilio
// holds, which changes replace the object, what a destroy puts back. Every comparison is the one
// every kind's rows have (diff/compare.ts), as the property's row says (domain/environment.ts).
import * as crypto from "node:crypto";
import { JsonText, jsonEqual, parseJsonText } from "../domain/json";
import { partsOf, setValueAt, valueAt, type FieldRow } from "../domain/row";
import { declaredDiffers, propertyDiffers } from "./compare";
import { isUnknown } from "../domain/unknown";
import type { EnvironmentKind, EnvironmentTable } from "../domain/environment";

/** What a stack declares for one environment resource: its properties (null: not managed) and its bookkeeping. */
export interface EnvironmentInputs {
  resourceName: string;
  /** The service it belongs to; null for the default service or the account. */
  chatServiceSid: string | null;
  adopt: "never" | "ifExists" | "require";
  /** A service only: delete it even when it still holds conversations the stack does not declare. */
  deleteWithConversations: boolean;
  values: Record<string, unknown>;
}

/** What state keeps: Twilio's answer, what the stack took over, and fingerprints of the secrets sent. */
export interface EnvironmentOutputs extends Record<string, unknown> {
  sid: string | null;
  url: string | null;
  accountSid: string | null;
  resourceName: string;
  chatServiceSid: string | null;
  adopt: EnvironmentInputs["adopt"];
  deleteWithConversations: boolean;
  /** True when the object existed before the stack (a singleton, or an adopted object): destroy puts it back. */
  adopted: boolean;
  /** The values found before the stack first set them, by property: what a destroy puts back. */
  found: Record<string, unknown> | null;
  /** SHA-256 of each secret sent, by property (a Pulumi secret output): Twilio never answers secrets. */
  fingerprints: Record<string, string> | null;
  /** What the stack declares, as property (or `property.part`) paths: what a refresh reads back as inputs. */
  declared: string[];
}

/** The inputs the engine passes, as the provider reads them; properties left out are not managed. */
export function environmentInputs(kind: EnvironmentKind, raw: Record<string, unknown>): EnvironmentInputs {
  const values: Record<string, unknown> = {};
  for (const property of Object.keys(kind.table)) values[property] = raw[property] ?? null;
  return {
    resourceName: typeof raw.resourceName === "string" ? raw.resourceName : "",
    chatServiceSid: typeof raw.chatServiceSid === "string" && raw.chatServiceSid !== "" ? raw.chatServiceSid : null,
    adopt: raw.adopt === "ifExists" || raw.adopt === "require" ? raw.adopt : "never",
    deleteWithConversations: raw.deleteWithConversations === true,
    values,
  };
}

/** The paths of what the inputs declare: each property, or each part of a composite one. */
export function declaredPaths(kind: EnvironmentKind, inputs: EnvironmentInputs): string[] {
  return Object.entries(kind.table).flatMap(([property, row]) => {
    const value = inputs.values[property];
    if (value === null || value === undefined) return [];
    if (typeof row.form === "string") return [property];
    return partsOf(row.form)
      .filter(([part]) => valueAt(value, part) !== undefined && valueAt(value, part) !== null)
      .map(([part]) => `${property}.${part}`);
  });
}

/**
 * The inputs a refresh shows: each declared value as Twilio now holds it, so that the next plan
 * shows drift against the stack file. Secrets, which Twilio never answers, are left out.
 */
export function refreshedValues(kind: EnvironmentKind, declared: readonly string[], observed: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const path of declared) {
    const [property, ...rest] = path.split(".");
    const row = kind.table[property];
    if (!row || row.secret || row.answer === null) continue;
    if (rest.length === 0) {
      if (observed[property] !== null && observed[property] !== undefined) values[property] = observed[property];
      continue;
    }
    const part = rest.join(".");
    const held = valueAt(observed[property], part);
    if (held === null || held === undefined) continue;
    const parts = (values[property] ??= {}) as Record<string, unknown>;
    setValueAt(parts, part, held);
  }
  return values;
}

export function fingerprint(secret: unknown): string {
  return crypto.createHash("sha256").update(String(secret)).digest("hex");
}

/** The secret properties whose declared value is not the one last sent. */
export function changedSecrets(table: EnvironmentTable, inputs: EnvironmentInputs, fingerprints: Record<string, string> | null): string[] {
  return Object.keys(table).filter((property) => {
    const value = inputs.values[property];
    if (!table[property].secret || value === null || value === undefined) return false;
    return isUnknown(value) || fingerprints?.[property] !== fingerprint(value);
  });
}

export interface EnvironmentDiff {
  /** Properties that change in place (one update). */
  updates: string[];
  /** Properties whose change replaces the object. */
  replaces: string[];
  /** Bookkeeping that changes with no request. */
  recorded: string[];
}

/** What an `up` does to one environment resource, from what state holds and what the stack declares. */
export function diffEnvironment(kind: EnvironmentKind, olds: EnvironmentOutputs, inputs: EnvironmentInputs): EnvironmentDiff {
  const replaces: string[] = [];
  const updates: string[] = [];
  if (kind.placement !== "account" && (olds.chatServiceSid ?? null) !== inputs.chatServiceSid) replaces.push("chatServiceSid");
  for (const [property, row] of Object.entries(kind.table)) {
    if (row.secret) continue;
    if (!propertyDiffers(row, inputs.values[property], olds[property])) continue;
    (row.change === "create-only" ? replaces : updates).push(property);
  }
  updates.push(...changedSecrets(kind.table, inputs, olds.fingerprints));
  const recorded = (["resourceName", "adopt", "deleteWithConversations"] as const).filter((key) => (olds[key] ?? defaults[key]) !== inputs[key]);
  return { updates, replaces, recorded };
}

const defaults = { resourceName: "", adopt: "never", deleteWithConversations: false } as const;

/** Whether what Twilio holds has every value the stack declares (secrets, never answered, left out): what a killed run's create made. */
export function holdsEveryDeclared(kind: EnvironmentKind, held: Record<string, unknown>, inputs: EnvironmentInputs): boolean {
  return Object.entries(kind.table).every(([property, row]) => {
    const declared = inputs.values[property];
    return row.secret || declared === null || declared === undefined || !propertyDiffers(row, declared, held[property]);
  });
}

/** The updatable properties declared whose value differs from what Twilio holds, and the secrets changed: what one update sends. */
export function propertiesToSend(kind: EnvironmentKind, held: Record<string, unknown>, inputs: EnvironmentInputs, fingerprints: Record<string, string> | null): string[] {
  const differing = Object.entries(kind.table)
    .filter(([property, row]) => !row.secret && row.change === "update" && propertyDiffers(row, inputs.values[property], held[property]))
    .map(([property]) => property);
  return [...differing, ...changedSecrets(kind.table, inputs, fingerprints)];
}

/** The values of `properties` to send, each declared value whole (a composite's parts left out stay out). */
export function valuesOf(inputs: EnvironmentInputs, properties: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(properties.map((property) => [property, inputs.values[property]]));
}

/**
 * What to put back on destroy: the found values recorded so far, with those of properties first
 * declared now (read from what Twilio held before this change). Only the parts declared are kept.
 */
export function recordFound(
  kind: EnvironmentKind,
  previous: Record<string, unknown> | null,
  held: Record<string, unknown>,
  inputs: EnvironmentInputs,
): Record<string, unknown> {
  const found: Record<string, unknown> = { ...(previous ?? {}) };
  for (const [property, row] of Object.entries(kind.table)) {
    const declared = inputs.values[property];
    if (row.secret || row.change !== "update" || declared === null || declared === undefined) continue;
    if (typeof row.form === "string") {
      if (!(property in found)) found[property] = (row.encode === "json" ? textOf(held, property) : undefined) ?? held[property] ?? null;
      continue;
    }
    const parts = { ...((found[property] as Record<string, unknown> | undefined) ?? {}) };
    for (const [part] of partsOf(row.form)) {
      if (valueAt(declared, part) === undefined || valueAt(declared, part) === null || hasPart(parts, part)) continue;
      setValueAt(parts, part, valueAt(held[property], part) ?? null);
    }
    found[property] = parts;
  }
  return found;
}

function hasPart(value: Record<string, unknown>, part: string): boolean {
  return valueAt(value, part) !== undefined;
}

/** A JSON property as Twilio answered it, text for text (outputs written before texts were kept have none). */
function textOf(held: Record<string, unknown>, property: string): string | undefined {
  const texts = held.jsonTexts as Record<string, string> | undefined;
  return texts?.[property];
}

/**
 * The form values a destroy sends to put back what was found: only the properties (and parts) whose
 * found value Twilio no longer holds, so an object nothing changed is left untouched. A value found
 * as none is sent empty, which clears it (a list empty too); JSON found as text is sent as that text.
 */
export function restoredValues(kind: EnvironmentKind, found: Record<string, unknown>, held: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [property, value] of Object.entries(found)) {
    const row = kind.table[property];
    if (!row) continue;
    const caseless = (part: string) => row.caseless?.includes(part) ?? false;
    if (typeof row.form === "string") {
      if (foundDiffers(row, value, held[property], textOf(held, property), caseless(""))) values[property] = restoredValue(row, value);
      continue;
    }
    const parts: Record<string, unknown> = {};
    for (const [part] of partsOf(row.form)) {
      const recorded = valueAt(value, part);
      if (recorded !== undefined && foundDiffers(row, recorded, valueAt(held[property], part), undefined, caseless(part))) setValueAt(parts, part, restoredValue(row, recorded));
    }
    if (Object.keys(parts).length > 0) values[property] = parts;
  }
  return values;
}

/** Whether Twilio holds something other than the value found (none and none, or equal JSON text, are the same). */
export function foundDiffers(row: FieldRow, found: unknown, held: unknown, heldText: string | undefined, caseless: boolean): boolean {
  if (isNone(found) || isNone(held)) return isNone(found) !== isNone(held);
  if (row.encode === "json" && typeof found === "string") return heldText === undefined ? !jsonEqual(parseJsonText(found), held) : heldText !== found;
  return declaredDiffers(found, held, row.compare, caseless);
}

function isNone(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

function restoredValue(row: FieldRow, found: unknown): unknown {
  if (found === null) return "";
  return row.encode === "json" && typeof found === "string" ? new JsonText(found) : found;
}
