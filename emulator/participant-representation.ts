// The participant's wire shape: exactly the fields of the spec's participant schemas; the
// service-scoped one alone has chat_service_sid. A participant has no `links`.
import type { ParticipantBinding, ParticipantRecord, Store } from "./records";
import { conversationsUrl, type View } from "./representation";
import { formatDate } from "./values";

/** `{type, address, proxy_address}`, `{type, address}` or `{type, projected_address}`, as in the spec's examples. */
function bindingJson(binding: ParticipantBinding | null) {
  if (binding === null) return null;
  return {
    type: binding.type,
    ...(binding.address === null ? {} : { address: binding.address }),
    ...(binding.proxyAddress === null ? {} : { proxy_address: binding.proxyAddress }),
    ...(binding.projectedAddress === null ? {} : { projected_address: binding.projectedAddress }),
  };
}

export function participantsUrl(view: View, serviceSid: string, conversationSid: string): string {
  return `${conversationsUrl(view, serviceSid)}/${conversationSid}/Participants`;
}

export function participantJson(participant: ParticipantRecord, view: View) {
  return {
    account_sid: view.accountSid,
    ...(view.scoped ? { chat_service_sid: participant.serviceSid } : {}),
    conversation_sid: participant.conversationSid,
    sid: participant.sid,
    identity: participant.identity,
    attributes: participant.attributes ?? "{}",
    messaging_binding: bindingJson(participant.binding),
    role_sid: participant.roleSid,
    date_created: formatDate(participant.dateCreated),
    date_updated: formatDate(participant.dateUpdated),
    url: `${participantsUrl(view, participant.serviceSid, participant.conversationSid)}/${participant.sid}`,
    last_read_message_index: participant.lastReadMessageIndex,
    last_read_timestamp: participant.lastReadTimestamp,
  };
}

/** Every participant for the admin state dump, with chat_service_sid whatever its path family. */
export function dumpParticipants(store: Store, origin: string, accountSid: string) {
  return [...store.participants.values()].map((participant) => ({
    ...participantJson(participant, { origin, accountSid, scoped: participant.serviceSid !== store.defaultServiceSid }),
    chat_service_sid: participant.serviceSid,
  }));
}
