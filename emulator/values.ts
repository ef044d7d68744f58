// Small pure functions for the formats the API speaks: SIDs, dates, durations and JSON strings.
import { randomBytes } from "node:crypto";

export const SID_PATTERNS = {
  account: /^AC[0-9a-fA-F]{32}$/,
  apiKey: /^SK[0-9a-fA-F]{32}$/,
  service: /^IS[0-9a-fA-F]{32}$/,
  conversation: /^CH[0-9a-fA-F]{32}$/,
  message: /^IM[0-9a-fA-F]{32}$/,
  participant: /^MB[0-9a-fA-F]{32}$/,
  role: /^RL[0-9a-fA-F]{32}$/,
  messagingService: /^MG[0-9a-fA-F]{32}$/,
  media: /^ME[0-9a-fA-F]{32}$/,
  content: /^HX[0-9a-fA-F]{32}$/,
  webhook: /^WH[0-9a-fA-F]{32}$/,
  studioFlow: /^FW[0-9a-fA-F]{32}$/,
  user: /^US[0-9a-fA-F]{32}$/,
} as const;

export function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString("hex");
}

/**
 * The latest instant the emulator answers. Twilio answers ISO 8601 dates with four-digit years and
 * documents no longest timer; the emulator reads that as: no date past the end of year 9999 (and
 * none before year 0000), so every date it answers stays `YYYY-MM-DDTHH:mm:ssZ`.
 */
export const LATEST_INSTANT = "9999-12-31T23:59:59Z";
export const LATEST_INSTANT_MS = Date.parse(LATEST_INSTANT);
const EARLIEST_INSTANT_MS = Date.parse("0000-01-01T00:00:00Z");

/** True when `ms` is an instant the emulator can answer in Twilio's date format. */
export function isAnswerableInstant(ms: number): boolean {
  return Number.isFinite(ms) && ms >= EARLIEST_INSTANT_MS && ms <= LATEST_INSTANT_MS;
}

/** Twilio's date format: UTC, second precision, `YYYY-MM-DDTHH:mm:ssZ`. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Milliseconds since the epoch for an ISO 8601 date-time (or bare date), or null if it is not one. */
export function parseDate(text: string): number | null {
  if (!ISO_DATE_TIME.test(text) && !ISO_DATE.test(text)) return null;
  const ms = Date.parse(ISO_DATE.test(text) ? `${text}T00:00:00Z` : text);
  return Number.isNaN(ms) ? null : ms;
}

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Seconds in an ISO 8601 duration (weeks, days, hours, minutes, seconds), or null when the text
 * is not one. Years and months are refused: their length depends on the calendar.
 */
export function parseDurationSeconds(text: string): number | null {
  const match = DURATION.exec(text);
  if (!match || text.endsWith("T")) return null;
  const parts = match.slice(1);
  if (parts.every((part) => part === undefined)) return null;
  const [weeks, days, hours, minutes, seconds] = parts.map((part) => (part === undefined ? 0 : Number(part)));
  return weeks * 604_800 + days * 86_400 + hours * 3_600 + minutes * 60 + seconds;
}

export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The parsed object when text is a JSON object (not an array, not a scalar), else null. */
export function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
