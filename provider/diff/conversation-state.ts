// What a declared `state` means next to declared timers. The declared state is the one to create
// a conversation with, and to return to when the stack file changes its state or its timers.
// The moves the declared timers make (active → inactive, active or inactive → closed) are what the
// file asked for: never drift, never an error. Any other state Twilio holds is drift, set back by
// `up` where Twilio allows it (closed is final).
import type { ConversationTimers } from "../domain/properties";
import type { ConversationState } from "../domain/rules";
import { containsUnknown } from "../domain/unknown";

export type DeclaredTimers = ConversationTimers;

/** The states Twilio's timers move a conversation to from `state`, `state` itself included. */
export function statesTimersReach(state: string, timers: DeclaredTimers | null): string[] {
  const reached = new Set<string>([state]);
  if (timers?.inactive && state === "active") reached.add("inactive");
  if (timers?.closed && (state === "active" || state === "inactive")) reached.add("closed");
  return [...reached];
}

export interface StateSituation {
  /** The state the file declares now; null when it leaves the state out (not managed). */
  declared: ConversationState | string | null;
  /** The state the file declared at the last `up`; null when it left it out. */
  previouslyDeclared: string | null;
  /** The timers the file declares now. */
  timers: DeclaredTimers | null;
  /** Whether the declared timers differ from those set at the last `up`. */
  timersChanged: boolean;
  /** The state Twilio holds, as last observed. */
  observed: string | null;
}

/** Whether `up` has to send the declared state. */
export function declaredStateToSend(situation: StateSituation): boolean {
  const { declared, previouslyDeclared, timers, timersChanged, observed } = situation;
  if (declared === null || declared === undefined) return false;
  if (containsUnknown(declared) || containsUnknown(timers)) return true;
  if (observed === declared) return false;
  const fileChanged = declared !== previouslyDeclared || timersChanged;
  const timersMovedIt = observed !== null && statesTimersReach(declared, timers).includes(observed);
  // A conversation its declared timers closed stays closed: nothing can be sent to it.
  if (timersMovedIt && (observed === "closed" || !fileChanged)) return false;
  return true;
}

/** Whether a closed conversation is what the declared state and timers lead to (no error). */
export function closedByDeclaredTimers(declared: unknown, timers: unknown): boolean {
  if (typeof declared !== "string" || containsUnknown(timers)) return false;
  return statesTimersReach(declared, (timers as DeclaredTimers | null) ?? null).includes("closed");
}
