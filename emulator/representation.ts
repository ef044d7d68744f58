// Wire shapes: records to Twilio's snake_case JSON, with URLs absolute to the emulator's origin.
import type { ConversationRecord, MessageRecord, ServiceRecord } from "./records";
import { formatDate } from "./values";

export interface View {
  origin: string;
  accountSid: string;
  /** Service-scoped path family (`/v1/Services/IS…/…`) rather than the default one. */
  scoped: boolean;
}

export function serviceUrl(origin: string, serviceSid: string): string {
  return `${origin}/v1/Services/${serviceSid}`;
}

export function conversationsUrl(view: View, serviceSid: string): string {
  return view.scoped ? `${serviceUrl(view.origin, serviceSid)}/Conversations` : `${view.origin}/v1/Conversations`;
}

export function serviceJson(service: ServiceRecord, origin: string, accountSid: string) {
  const url = serviceUrl(origin, service.sid);
  return {
    account_sid: accountSid,
    sid: service.sid,
    friendly_name: service.friendlyName,
    date_created: formatDate(service.dateCreated),
    date_updated: formatDate(service.dateUpdated),
    url,
    links: {
      conversations: `${url}/Conversations`,
      users: `${url}/Users`,
      roles: `${url}/Roles`,
      bindings: `${url}/Bindings`,
      configuration: `${url}/Configuration`,
      participant_conversations: `${url}/ParticipantConversations`,
      conversation_with_participants: `${url}/ConversationWithParticipants`,
    },
  };
}

function timersJson(timers: ConversationRecord["timers"]): Record<string, string> {
  const json: Record<string, string> = {};
  // A timer that has fired still shows when it did (Twilio's examples show timers on inactive
  // and closed conversations).
  if (timers.inactive !== undefined) json.date_inactive = formatDate(timers.inactive.at);
  if (timers.closed !== undefined) json.date_closed = formatDate(timers.closed.at);
  return json;
}

function bindingsJson(email: ConversationRecord["bindingsEmail"]) {
  return email === null ? {} : { email: { projected_address: email.address, name: email.name } };
}

export function conversationJson(conversation: ConversationRecord, view: View) {
  const url = `${conversationsUrl(view, conversation.serviceSid)}/${conversation.sid}`;
  return {
    account_sid: view.accountSid,
    chat_service_sid: conversation.serviceSid,
    messaging_service_sid: conversation.messagingServiceSid,
    sid: conversation.sid,
    friendly_name: conversation.friendlyName,
    unique_name: conversation.uniqueName,
    attributes: conversation.attributes ?? "{}",
    state: conversation.state,
    date_created: formatDate(conversation.dateCreated),
    date_updated: formatDate(conversation.dateUpdated),
    timers: timersJson(conversation.timers),
    url,
    links: {
      participants: `${url}/Participants`,
      messages: `${url}/Messages`,
      webhooks: `${url}/Webhooks`,
      export: `${url}/Export`,
    },
    bindings: bindingsJson(conversation.bindingsEmail),
  };
}

function mediaJson(mediaSid: string | null) {
  // The emulator stores no media content, so size, type and name are placeholders.
  return mediaSid === null ? null : [{ sid: mediaSid, size: 0, content_type: "application/octet-stream", filename: null }];
}

/**
 * The leading fields of a record inside a conversation (a message, a webhook). The default-path
 * schemas of both have no chat_service_sid; only the scoped ones do.
 */
export function conversationChildIds(record: { serviceSid: string; conversationSid: string; sid: string }, view: View) {
  return {
    account_sid: view.accountSid,
    ...(view.scoped ? { chat_service_sid: record.serviceSid } : {}),
    conversation_sid: record.conversationSid,
    sid: record.sid,
  };
}

export function messageJson(message: MessageRecord, view: View) {
  const url = `${conversationsUrl(view, message.serviceSid)}/${message.conversationSid}/Messages/${message.sid}`;
  return {
    ...conversationChildIds(message, view),
    index: message.index,
    author: message.author,
    body: message.body,
    media: mediaJson(message.mediaSid),
    attributes: message.attributes ?? "{}",
    participant_sid: null,
    date_created: formatDate(message.dateCreated),
    date_updated: formatDate(message.dateUpdated),
    url,
    delivery: null,
    links: {
      delivery_receipts: `${url}/Receipts`,
      channel_metadata: `${url}/ChannelMetadata`,
    },
    content_sid: message.contentSid,
  };
}

export interface PageLinks {
  /** Absolute URL of the list, without query. */
  listUrl: string;
  /** Filters to repeat on every page URL, in order. */
  filters: Array<[string, string]>;
  size: number;
  page: number;
  token?: string;
  nextToken: string | null;
  previousToken: string | null;
}

function pageUrl(links: PageLinks, page: number, token?: string): string {
  const params = new URLSearchParams(links.filters);
  params.set("PageSize", String(links.size));
  params.set("Page", String(page));
  if (token !== undefined) params.set("PageToken", token);
  return `${links.listUrl}?${params.toString()}`;
}

export function pageJson(key: string, items: unknown[], links: PageLinks) {
  return {
    [key]: items,
    meta: {
      page: links.page,
      page_size: links.size,
      first_page_url: pageUrl(links, 0),
      previous_page_url: links.previousToken === null ? null : pageUrl(links, Math.max(0, links.page - 1), links.previousToken),
      url: pageUrl(links, links.page, links.token),
      next_page_url: links.nextToken === null ? null : pageUrl(links, links.page + 1, links.nextToken),
      key,
    },
  };
}
