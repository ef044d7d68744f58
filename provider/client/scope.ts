// Where a conversation and what it holds live, and when an object was made: what every call of
// client/ about a conversation, its messages and its children shares.
import type { TwilioJson } from "./http";

export interface Scope {
  /** `IS…`, or null for the account's default service. */
  serviceSid: string | null;
}

/** Whether Twilio made the object at or after `since` (ms since the epoch, by Twilio's clock). */
export function createdSince(json: TwilioJson, since: number): boolean {
  return Date.parse(String(json.date_created)) >= since;
}
