// The library: what a Pulumi program imports from "twilio-conversations-pulumi".
import { loadStackFile, loadStackText } from "../schemas/load";
import { renderProblemReport, type Problem } from "../schemas/problems";
import type { StackSpec } from "../schemas/stack";

export { Conversation } from "./resources/conversation";
export { Message } from "./resources/message";
// Each environment kind's class and arguments: the module exports nothing else.
export * from "./resources/environment";
export type { EnvironmentOutputs } from "./program/environment";
export { ConversationsStack, type ConversationsStackArgs } from "./component";
export type {
  ConversationArgs,
  SeedMessageArgs,
  MessageContentArgs,
  MessageArgs,
  ParticipantArgs,
  ScopedWebhookArgs,
  MessagingBinding,
  JsonObject,
  JsonValue,
  TwilioSettings,
} from "./resources/args";
export type { RecordedMessage, RecordedThread } from "./resources/thread-model";
export type { RecordedChild, RecordedChildren } from "./resources/children-model";
export { TwilioConversationsError } from "./errors";
export { declareStack, runStackProgram, type Placement, type StackOutputs } from "./program/stack";
export { loadStackFile, loadStackText, type LoadResult } from "../schemas/load";
export { renderProblems, type Problem } from "../schemas/problems";
export type { StackSpec, ConversationSpec, MessageSpec, ParticipantSpec, ScopedWebhookSpec } from "../schemas/stack";
export { validateFiles } from "../schemas/validate-cli";

/** A stack file checked: its spec, or its problems and the text `validate` prints for them. */
export type ValidateResult = { ok: true; spec: StackSpec } | { ok: false; problems: Problem[]; text: string };

/**
 * Checks a stack file by the rules `pulumi preview` applies, offline: `validate("stacks/dev.yaml")`
 * reads the file (relative to the working directory); `validate({ text, label })` checks text,
 * with `label` as the file name in the problems. `text` is what `npm run validate` prints.
 */
export function validate(source: string | { text: string; label: string }): ValidateResult {
  const result = typeof source === "string" ? loadStackFile(source) : loadStackText(source.text, source.label);
  if (result.ok) return result;
  return { ok: false, problems: result.problems, text: renderProblemReport(result.problems) };
}
