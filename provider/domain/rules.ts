// Twilio Conversations v1 limits and formats, shared by the stack-file schema, the provider's
// `check` and the emulator's tests. Pure data and pure functions only: this module is captured by
// value into every resource's serialized provider, so it must stay small and free of zod.

export const SID_PATTERNS = {
  account: /^AC[0-9a-fA-F]{32}$/,
  apiKey: /^SK[0-9a-fA-F]{32}$/,
  chatService: /^IS[0-9a-fA-F]{32}$/,
  conversation: /^CH[0-9a-fA-F]{32}$/,
  message: /^IM[0-9a-fA-F]{32}$/,
  messagingService: /^MG[0-9a-fA-F]{32}$/,
  media: /^ME[0-9a-fA-F]{32}$/,
  content: /^HX[0-9a-fA-F]{32}$/,
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
  inactiveTimerMinSeconds: 60,
  closedTimerMinSeconds: 600,
} as const;

export const CONVERSATION_STATES = ["active", "inactive", "closed"] as const;
export type ConversationState = (typeof CONVERSATION_STATES)[number];

export const ADOPT_MODES = ["never", "ifExists", "require"] as const;
export type AdoptMode = (typeof ADOPT_MODES)[number];

export function isSid(kind: SidKind, value: string): boolean {
  return SID_PATTERNS[kind].test(value);
}

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Seconds in an ISO 8601 duration such as `PT10M`, `P1D` or `P1DT12H`, or null when the text is
 * not one. Years and months are refused: their length in seconds depends on the calendar, so a
 * minimum could not be checked or two spellings compared.
 */
export function durationSeconds(text: string): number | null {
  const match = DURATION.exec(text);
  if (!match || text === "P" || text.endsWith("T")) return null;
  const [, weeks, days, hours, minutes, seconds] = match;
  if ([weeks, days, hours, minutes, seconds].every((part) => part === undefined)) return null;
  const number = (part: string | undefined) => (part === undefined ? 0 : Number(part));
  return (
    number(weeks) * 604_800 +
    number(days) * 86_400 +
    number(hours) * 3_600 +
    number(minutes) * 60 +
    number(seconds)
  );
}

/** Byte length of text as Twilio counts attribute sizes (UTF-8). */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
