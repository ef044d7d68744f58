export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** JSON text with object keys sorted at every depth, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Twilio returns attributes as JSON text; anything that is not JSON is kept as the raw text. */
export function parseJsonText(text: string | null | undefined): JsonValue | null {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/**
 * JSON text to send exactly as it is, never re-serialised: a value put back as Twilio held it
 * (`{"b":1,"a":2}` stays in that order). Lives only between a decision and the form it is sent in.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

/** Whether two JSON texts hold the same value (texts that are not JSON compare as text). */
export function sameJsonText(a: string, b: string): boolean {
  try {
    return jsonEqual(JSON.parse(a), JSON.parse(b));
  } catch {
    return a === b;
  }
}
