// Conversation Participants in the store: records keyed by SID, each conversation's participants in
// creation order, and an index of (address, proxy address) bindings so the account-wide binding
// rule (one non-closed conversation per pair) is answered without a scan. Like store.ts, every
// mutation is synchronous and marks what it touches for the state file.
import type { ConversationRecord, ParticipantBinding, ParticipantRecord, Store } from "./records";
import { newSid } from "./values";

export type NewParticipant = Omit<ParticipantRecord, "sid" | "seq" | "conversationSid" | "serviceSid">;

/** The key of a one-to-one binding, or null when the binding has no (address, proxy address) pair. */
export function bindingKey(binding: ParticipantBinding | null): string | null {
  return binding?.address != null && binding.proxyAddress != null ? `${binding.address}\u0000${binding.proxyAddress}` : null;
}

function touch(store: Store, sid: string): void {
  store.touched?.add(sid);
}

function indexBinding(store: Store, participant: ParticipantRecord): void {
  const key = bindingKey(participant.binding);
  if (key === null) return;
  const holders = store.participantBindings.get(key) ?? new Set<string>();
  holders.add(participant.sid);
  store.participantBindings.set(key, holders);
}

function unindexBinding(store: Store, participant: ParticipantRecord): void {
  const key = bindingKey(participant.binding);
  if (key === null) return;
  const holders = store.participantBindings.get(key);
  holders?.delete(participant.sid);
  if (holders?.size === 0) store.participantBindings.delete(key);
}

function place(store: Store, participant: ParticipantRecord): void {
  store.participants.set(participant.sid, participant);
  const ordered = store.participantsByConversation.get(participant.conversationSid) ?? [];
  ordered.push(participant);
  store.participantsByConversation.set(participant.conversationSid, ordered);
  indexBinding(store, participant);
}

export function insertParticipant(store: Store, conversation: ConversationRecord, fields: NewParticipant): ParticipantRecord {
  const participant: ParticipantRecord = {
    ...fields,
    sid: newSid("MB"),
    conversationSid: conversation.sid,
    serviceSid: conversation.serviceSid,
    seq: ++store.seq,
  };
  place(store, participant);
  touch(store, participant.sid);
  return participant;
}

export function updateParticipant(store: Store, participant: ParticipantRecord, changes: Partial<NewParticipant>): ParticipantRecord {
  unindexBinding(store, participant);
  Object.assign(participant, changes);
  indexBinding(store, participant);
  touch(store, participant.sid);
  return participant;
}

export function deleteParticipant(store: Store, participant: ParticipantRecord): void {
  unindexBinding(store, participant);
  store.participants.delete(participant.sid);
  const ordered = store.participantsByConversation.get(participant.conversationSid);
  const position = ordered?.indexOf(participant) ?? -1;
  if (position >= 0) ordered!.splice(position, 1);
  touch(store, participant.sid);
}

/** Removes every participant of a conversation (the conversation itself is being deleted). */
export function deleteParticipantsOf(store: Store, conversationSid: string): void {
  for (const participant of [...(store.participantsByConversation.get(conversationSid) ?? [])]) {
    deleteParticipant(store, participant);
  }
  store.participantsByConversation.delete(conversationSid);
}

/** A conversation's participants, in creation order. */
export function participantsOf(store: Store, conversationSid: string): readonly ParticipantRecord[] {
  return store.participantsByConversation.get(conversationSid) ?? [];
}

export function findParticipant(store: Store, conversation: ConversationRecord, sid: string): ParticipantRecord | undefined {
  const participant = store.participants.get(sid);
  return participant && participant.conversationSid === conversation.sid ? participant : undefined;
}

export function findParticipantByIdentity(
  store: Store,
  conversation: ConversationRecord,
  identity: string,
): ParticipantRecord | undefined {
  return participantsOf(store, conversation.sid).find((participant) => participant.identity === identity);
}

/** Every participant, in any conversation, that holds this binding's (address, proxy address) pair. */
export function bindingHolders(store: Store, binding: ParticipantBinding): ParticipantRecord[] {
  const key = bindingKey(binding);
  if (key === null) return [];
  return [...(store.participantBindings.get(key) ?? [])].map((sid) => store.participants.get(sid)!);
}

/** Rebuilds the participant maps from saved records (a snapshot written before participants has none). */
export function restoreParticipants(store: Store, saved: readonly ParticipantRecord[] = []): void {
  for (const participant of [...saved].sort((a, b) => a.seq - b.seq)) {
    if (store.conversations.has(participant.conversationSid)) place(store, { ...participant });
  }
}
