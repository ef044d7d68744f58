// Conversation Participant handlers, for both path families. Like handlers.ts, each is synchronous,
// so a check against the store and the write that depends on it never interleave with another
// request. Sources: README.md, "Participants".
import { errors } from "./errors";
import { created, listPage, noContent, ok, requireAps, resolveConversation, view, type Context, type Result } from "./handlers";
import { PARTICIPANT_LIMITS, newParticipantFields, participantUpdate } from "./participant-rules";
import { participantJson, participantsUrl } from "./participant-representation";
import {
  bindingHolders,
  deleteParticipant,
  findParticipant,
  findParticipantByIdentity,
  insertParticipant,
  participantsOf,
  updateParticipant,
  type NewParticipant,
} from "./participant-store";
import { apsKeys } from "./rate-limit";
import type { ConversationRecord, ParticipantBinding, ParticipantRecord } from "./records";
import { assertWritable } from "./rules";
import { updateConversation } from "./store";
import { restartTimers } from "./timers";
import { SID_PATTERNS } from "./values";

type Candidate = Pick<NewParticipant, "identity" | "binding">;

/** A Group MMS member: a mobile number without a proxy address, or a projected address [D-gmms]. */
function isGroupBinding(binding: ParticipantBinding | null): boolean {
  return binding !== null && (binding.projectedAddress !== null || binding.proxyAddress === null);
}

/** 50417 / 50418 / 50436 when one more participant would pass the conversation's limits. */
function assertRoomFor(ctx: Context, conversation: ConversationRecord, candidate: Candidate): void {
  const present = participantsOf(ctx.store, conversation.sid);
  if (present.length >= PARTICIPANT_LIMITS.perConversation) throw errors.participantsLimit(PARTICIPANT_LIMITS.perConversation);
  const nonChat = (binding: ParticipantBinding | null) => binding?.address != null;
  if (nonChat(candidate.binding) && present.filter((p) => nonChat(p.binding)).length >= PARTICIPANT_LIMITS.nonChatPerConversation) {
    throw errors.nonChatParticipantsLimit(PARTICIPANT_LIMITS.nonChatPerConversation);
  }
  const group = isGroupBinding(candidate.binding) || present.some((p) => isGroupBinding(p.binding));
  if (group && present.length >= PARTICIPANT_LIMITS.perGroupConversation) {
    throw errors.groupParticipantsLimit(PARTICIPANT_LIMITS.perGroupConversation);
  }
}

/**
 * The clashes Twilio refuses, for a participant being created or changed (`self`, on update):
 * the same identity twice in a conversation (50433; 50437 for two Group MMS chat participants),
 * the same Group MMS number twice in it (50437), and an (address, proxy address) pair already
 * held in a conversation that is not closed, this one or another, in any service (50416).
 */
function assertNoClash(ctx: Context, conversation: ConversationRecord, candidate: Candidate, self?: ParticipantRecord): void {
  const others = participantsOf(ctx.store, conversation.sid).filter((p) => p !== self);
  const projected = candidate.binding?.projectedAddress ?? null;
  if (candidate.identity !== null) {
    const twin = others.find((p) => p.identity === candidate.identity);
    if (twin) throw twin.binding?.projectedAddress != null && projected !== null ? errors.groupParticipantExists() : errors.participantExists();
  }
  const binding = candidate.binding;
  if (binding !== null && isGroupBinding(binding)) {
    const same = (p: ParticipantRecord) =>
      p.binding !== null &&
      isGroupBinding(p.binding) &&
      (binding.address !== null ? p.binding.address === binding.address : p.identity === null && p.binding.projectedAddress === projected);
    if (candidate.identity === null && others.some(same)) throw errors.groupParticipantExists();
  }
  if (binding === null) return;
  const holder = bindingHolders(ctx.store, binding).find(
    (p) => p !== self && ctx.store.conversations.get(p.conversationSid)?.state !== "closed",
  );
  if (holder) throw errors.participantBindingInUse(holder.conversationSid);
}

export function createParticipant(ctx: Context): Result {
  const conversation = resolveConversation(ctx, ctx.params.conversationSid);
  requireAps(ctx, apsKeys.conversation(conversation.sid));
  assertWritable(conversation);
  const fields = newParticipantFields(ctx.form, ctx.now);
  assertRoomFor(ctx, conversation, fields);
  assertNoClash(ctx, conversation, fields);
  const participant = insertParticipant(ctx.store, conversation, fields);
  // A new participant is activity: it brings an inactive conversation back to active [SDK-st], and
  // restarts the timers as a new message does (UNVERIFIED).
  if (conversation.timers.inactive || conversation.timers.closed) restartTimers(ctx.store, conversation, ctx.now);
  if (conversation.state === "inactive") updateConversation(ctx.store, conversation, { state: "active", dateUpdated: ctx.now });
  return created(participantJson(participant, view(ctx)));
}

/** The participant named by `{Sid}`: its `MB…` SID, or where `byIdentity` (fetch only [S]) its identity. */
function resolveParticipant(ctx: Context, byIdentity: boolean) {
  const conversation = resolveConversation(ctx, ctx.params.conversationSid);
  const sid = ctx.params.sid;
  const participant = SID_PATTERNS.participant.test(sid)
    ? findParticipant(ctx.store, conversation, sid)
    : byIdentity
      ? findParticipantByIdentity(ctx.store, conversation, sid)
      : undefined;
  if (!participant) throw errors.notFound(ctx.path);
  return { conversation, participant };
}

export function fetchParticipant(ctx: Context): Result {
  return ok(participantJson(resolveParticipant(ctx, true).participant, view(ctx)));
}

export function updateParticipantHandler(ctx: Context): Result {
  const { conversation, participant } = resolveParticipant(ctx, false);
  requireAps(ctx, apsKeys.conversation(conversation.sid));
  assertWritable(conversation);
  const changes = participantUpdate(ctx.form, participant, ctx.now);
  if (changes.identity !== undefined || changes.binding !== undefined) {
    assertNoClash(ctx, conversation, { identity: participant.identity, binding: participant.binding, ...changes }, participant);
  }
  updateParticipant(ctx.store, participant, changes);
  return ok(participantJson(participant, view(ctx)));
}

export function deleteParticipantHandler(ctx: Context): Result {
  const { conversation, participant } = resolveParticipant(ctx, false);
  requireAps(ctx, apsKeys.conversation(conversation.sid));
  deleteParticipant(ctx.store, participant);
  return noContent();
}

export function listParticipants(ctx: Context): Result {
  const conversation = resolveConversation(ctx, ctx.params.conversationSid);
  return listPage(
    ctx,
    "participants",
    participantsUrl(view(ctx), conversation.serviceSid, conversation.sid),
    [],
    participantsOf(ctx.store, conversation.sid),
    (participant) => [participant.seq, 0],
    false,
    (participant) => participantJson(participant, view(ctx)),
  );
}
