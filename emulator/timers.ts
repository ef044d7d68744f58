// Twilio's conversation timers: the inactive timer moves an active conversation to `inactive`, the
// closed timer moves an active or inactive one to `closed`. Both count from the request that set
// them and start again at each new message. Timers fire lazily: before each request is handled,
// every timer due by the emulator's clock fires, in the order of its time.
import type { ConversationRecord, ConversationState, Store } from "./records";
import { armedTimer } from "./rules";
import { noteTimers } from "./store";

type TimerName = "inactive" | "closed";

/** The state a timer moves a conversation to, from the states it applies to. */
const TRANSITIONS: Record<TimerName, { from: readonly ConversationState[]; to: ConversationState }> = {
  inactive: { from: ["active"], to: "inactive" },
  closed: { from: ["active", "inactive"], to: "closed" },
};

/** Activity in the conversation (a new message) starts its timers again from `now`. */
export function restartTimers(store: Store, conversation: ConversationRecord, now: number): void {
  for (const name of ["inactive", "closed"] as const) {
    const timer = conversation.timers[name];
    // Timers restored from a file written before timer lengths were kept can't restart.
    if (timer && timer.seconds > 0) conversation.timers[name] = armedTimer(timer.seconds, now);
  }
  noteTimers(store, conversation);
}

/** Fires every pending timer due at `now`; returns the conversations whose state changed. */
export function fireDueTimers(store: Store, now: number): ConversationRecord[] {
  if (now < store.nextTimerAt) return [];
  const due: Array<{ conversation: ConversationRecord; name: TimerName; at: number }> = [];
  let next = Infinity;
  for (const conversation of store.conversations.values()) {
    for (const name of ["inactive", "closed"] as const) {
      const timer = conversation.timers[name];
      if (!timer?.pending) continue;
      if (timer.at <= now) due.push({ conversation, name, at: timer.at });
      else next = Math.min(next, timer.at);
    }
  }
  store.nextTimerAt = next;
  const changed = new Set<ConversationRecord>();
  for (const { conversation, name, at } of due.sort((a, b) => a.at - b.at)) {
    conversation.timers[name] = { ...conversation.timers[name]!, pending: false };
    noteTimers(store, conversation);
    const transition = TRANSITIONS[name];
    if (!transition.from.includes(conversation.state)) continue;
    // Twilio's date_updated on a timer's move is undocumented; the emulator stamps the move.
    conversation.state = transition.to;
    conversation.dateUpdated = Math.max(conversation.dateUpdated, at);
    noteTimers(store, conversation);
    changed.add(conversation);
  }
  return [...changed];
}
