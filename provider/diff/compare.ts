// Comparisons that decide whether a declared value differs from what Twilio holds, for every
// kind's rows (domain/row.ts): the conversation side's and the environment's.
import { jsonEqual } from "../domain/json";
import { durationSeconds } from "../domain/rules";
import { partsOf, valueAt, type Comparison, type FieldRow, type Row } from "../domain/row";
import { containsUnknown, isUnknown } from "../domain/unknown";

export type { Comparison };

/**
 * Whether the declared value asks for a change. A property left out (null) is not managed, so it
 * never asks for one; an unknown value (preview) always might. `caseless`: compared without case.
 */
export function declaredDiffers(declared: unknown, current: unknown, comparison: Comparison, caseless = false): boolean {
  if (declared === null || declared === undefined) return false;
  if (containsUnknown(declared)) return true;
  if (current === null || current === undefined) return true;
  if (caseless) return String(declared).toUpperCase() !== String(current).toUpperCase();
  switch (comparison) {
    case "json":
      return !jsonEqual(declared, current);
    case "duration":
      return durationSeconds(String(declared)) !== durationSeconds(String(current));
    case "instant":
      // Twilio keeps whole seconds (see twilioDate): a fraction it dropped is not a change.
      return wholeSeconds(declared) !== wholeSeconds(current);
    case "set":
      return !sameSet(declared, current);
    case "value":
      return !sameValue(declared, current);
    default:
      return declared !== current;
  }
}

/** Lists as sets; objects as JSON values; anything else as text. */
function sameValue(declared: unknown, held: unknown): boolean {
  if (Array.isArray(declared) || Array.isArray(held)) return sameSet(declared, held);
  if (typeof declared === "object" || typeof held === "object") return jsonEqual(declared, held);
  return String(declared) === String(held);
}

/** Two lists holding the same items (as text), in any order and however often. */
function sameSet(declared: unknown, held: unknown): boolean {
  if (!Array.isArray(declared) || !Array.isArray(held)) return false;
  const sorted = (list: unknown[]) => [...new Set(list.map(String))].sort();
  return jsonEqual(sorted(declared), sorted(held));
}

/** For properties that can only be set at creation: any difference, including removal, counts. */
export function valueDiffers(next: unknown, previous: unknown): boolean {
  if (containsUnknown(next)) return true;
  return !jsonEqual(next ?? null, previous ?? null);
}

function wholeSeconds(value: unknown): number {
  return Math.floor(Date.parse(String(value)) / 1000);
}

/** The properties whose declared value differs from the held one, each compared as its table row says. */
export function differingProperties<K extends string>(
  table: Readonly<Record<K, Row>>,
  properties: readonly K[],
  declared: (property: K) => unknown,
  held: (property: K) => unknown,
): K[] {
  return properties.filter((property) => propertyDiffers(table[property] as FieldRow, declared(property), held(property)));
}

/**
 * Whether a declared value asks for a change, as its row compares it. A composite value (one form
 * key per part) is compared part by part: a part left out is not managed, like a property left out.
 */
export function propertyDiffers(row: FieldRow, declared: unknown, held: unknown): boolean {
  const caseless = (part: string) => row.caseless?.includes(part) ?? false;
  if (row.form === null || typeof row.form === "string") return declaredDiffers(declared, held, row.compare, caseless(""));
  if (declared === null || declared === undefined) return false;
  // The whole object may be unknown in preview (from another resource's output).
  if (isUnknown(declared)) return true;
  return partsOf(row.form).some(([part]) => declaredDiffers(valueAt(declared, part), valueAt(held, part), row.compare, caseless(part)));
}
