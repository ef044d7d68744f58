// Conversations without a uniqueName that a recovery cannot tell apart: found in Twilio after a
// killed run only by what they declare (see provider/client/recovery.ts).
import type { ConversationSpec, StackSpec } from "./stack";

/** What a conversation's own fields declare, as a recovery matches them: twins share it. */
function fieldsKey(conversation: ConversationSpec): string {
  const { friendlyName, attributes, state, timers, messagingServiceSid } = conversation as Record<string, unknown>;
  return JSON.stringify([friendlyName ?? null, attributes ?? null, state ?? null, timers ?? null, messagingServiceSid ?? null]);
}

/** Everything a recovery compares: the fields, the participants and the thread. */
function everythingKey(conversation: ConversationSpec): string {
  const { participants, messages } = conversation as Record<string, unknown>;
  return JSON.stringify([fieldsKey(conversation), participants ?? null, messages ?? null]);
}

function groups(spec: StackSpec, key: (conversation: ConversationSpec) => string): string[][] {
  const byKey = new Map<string, string[]>();
  for (const [name, conversation] of Object.entries(spec.conversations)) {
    if (conversation.uniqueName) continue;
    const group = byKey.get(key(conversation)) ?? [];
    group.push(name);
    byKey.set(key(conversation), group);
  }
  return [...byKey.values()];
}

/** For each conversation without a uniqueName, how many of the stack's declare the same fields (itself included). */
export function twinCounts(spec: StackSpec): Record<string, number> {
  return Object.fromEntries(groups(spec, fieldsKey).flatMap((group) => group.map((name) => [name, group.length])));
}

/** Groups of two or more conversations that no declared field tells apart. */
export function indistinguishableConversations(spec: StackSpec): string[][] {
  return groups(spec, everythingKey).filter((group) => group.length > 1);
}
