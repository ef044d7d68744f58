// Comparisons that decide whether a declared value differs from what Twilio holds.
import { jsonEqual } from "../domain/json";
import { durationSeconds } from "../domain/rules";
import type { Comparison, DeclaredRow, PropertyRow } from "../domain/properties";
import { containsUnknown } from "../domain/unknown";

export type { Comparison };

/**
 * Whether the declared value asks for a change. A property left out (null) is not managed, so it
 * never asks for one; an unknown value (preview) always might.
 */
export function declaredDiffers(declared: unknown, current: unknown, comparison: Comparison): boolean {
  if (declared === null || declared === undefined) return false;
  if (containsUnknown(declared)) return true;
  if (current === null || current === undefined) return true;
  switch (comparison) {
    case "json":
      return !jsonEqual(declared, current);
    case "duration":
      return durationSeconds(String(declared)) !== durationSeconds(String(current));
    case "instant":
      // Twilio keeps whole seconds (see twilioDate): a fraction it dropped is not a change.
      return wholeSeconds(declared) !== wholeSeconds(current);
    default:
      return declared !== current;
  }
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
  table: Readonly<Record<K, PropertyRow>>,
  properties: readonly K[],
  declared: (property: K) => unknown,
  held: (property: K) => unknown,
): K[] {
  return properties.filter((property) => declaredDiffers(declared(property), held(property), (table[property] as DeclaredRow).compare));
}
