// The library: what a Pulumi program imports from "twilio-conversations-pulumi".
export { Conversation } from "./resources/conversation";
export { Message } from "./resources/message";
export { ConversationsStack, type ConversationsStackArgs } from "./component";
export type { ConversationArgs, MessageArgs, JsonObject, JsonValue, TwilioSettings } from "./resources/args";
export { TwilioConversationsError } from "./errors";
export { declareStack, runStackProgram, type Placement, type StackOutputs } from "./stack-program";
export { loadStackFile, loadStackText, type LoadResult } from "../schemas/load";
export { renderProblems, type Problem } from "../schemas/problems";
export type { StackSpec, ConversationSpec, MessageSpec } from "../schemas/stack";
export { validateFiles } from "../schemas/validate-cli";
