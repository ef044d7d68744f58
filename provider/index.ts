export { Conversation } from "./resources/conversation";
export { Message } from "./resources/message";
export type { ConversationArgs, MessageArgs, JsonObject, JsonValue } from "./resources/args";
export { TwilioConversationsError } from "./errors";
