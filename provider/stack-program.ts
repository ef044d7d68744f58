// From a validated stack file to Pulumi resources. The entry point Pulumi runs is ./program.ts.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadStackFile } from "../schemas/load";
import { renderProblems } from "../schemas/problems";
import type { ConversationSpec, MessageSpec, StackSpec } from "../schemas/stack";
import type { ConversationArgs, MessageArgs } from "./resources/args";
import { Conversation } from "./resources/conversation";
import { Message } from "./resources/message";

/** Stack outputs: SIDs by logical name, and message SIDs by key (or position when unkeyed). */
export interface StackOutputs {
  conversations: Record<string, pulumi.Output<string>>;
  messages: Record<string, Record<string, pulumi.Output<string>>>;
}

/** The stack file: config `stackFile` when set, else `stacks/<stack>.yaml`; relative to the project root. */
export function stackFilePath(configured: string | undefined, stack: string): string {
  return configured ?? path.join("stacks", `${stack}.yaml`);
}

export function chatServiceSidOf(spec: StackSpec): string | null {
  return spec.service === "default" ? null : spec.service;
}

export function conversationArgs(spec: StackSpec, conversation: ConversationSpec): ConversationArgs {
  const { timers } = conversation;
  return {
    chatServiceSid: chatServiceSidOf(spec),
    uniqueName: conversation.uniqueName ?? null,
    friendlyName: conversation.friendlyName ?? null,
    state: conversation.state ?? null,
    timers: timers ? { inactive: timers.inactive ?? null, closed: timers.closed ?? null } : null,
    attributes: conversation.attributes ?? null,
    messagingServiceSid: conversation.messagingServiceSid ?? null,
    adopt: conversation.adopt,
    webhooksEnabled: conversation.webhooks ?? spec.defaults.webhooks,
  };
}

/**
 * Resource options for a conversation, which its messages share: a protected or retained
 * conversation must not lose its history to a `destroy` either.
 */
export function conversationOptions(
  spec: StackSpec,
  conversation: ConversationSpec,
): { protect: boolean; retainOnDelete: boolean } {
  return { protect: conversation.protect ?? spec.guards.protect, retainOnDelete: conversation.retainOnDelete };
}

export function messageArgs(
  spec: StackSpec,
  conversation: ConversationSpec,
  message: MessageSpec,
  links: { conversationSid: pulumi.Input<string>; afterSid: pulumi.Input<string> | null; afterIndex: pulumi.Input<number> | null },
): MessageArgs {
  return {
    chatServiceSid: chatServiceSidOf(spec),
    conversationSid: links.conversationSid,
    author: message.author ?? null,
    body: message.body ?? null,
    attributes: message.attributes ?? null,
    mediaSid: message.mediaSid ?? null,
    contentSid: message.contentSid ?? null,
    contentVariables: message.contentVariables ?? null,
    subject: message.subject ?? null,
    dateCreated: message.dateCreated ?? null,
    dateUpdated: message.dateUpdated ?? null,
    afterSid: links.afterSid,
    afterIndex: links.afterIndex,
    conversationState: conversation.state ?? null,
    webhooksEnabled: conversation.webhooks ?? spec.defaults.webhooks,
  };
}

/** A message's key in outputs and in its resource name: its own key, else its position. */
export function messageKey(message: MessageSpec, position: number): string {
  return message.key ?? String(position);
}

/** A message's resource name: `<logical name>/<key>`. */
export function messageResourceName(logicalName: string, key: string): string {
  return `${logicalName}/${key}`;
}

/**
 * After a rename (`renamedFrom`), the resource's previous name as a Pulumi alias, so the engine
 * keeps the same conversation instead of creating one and deleting the other.
 */
export function previousNames(conversation: ConversationSpec, name: (logicalName: string) => string): { aliases?: pulumi.Alias[] } {
  return conversation.renamedFrom ? { aliases: [{ name: name(conversation.renamedFrom) }] } : {};
}

/** Declares one Conversation per entry and its messages, each created after the one before it. */
export function declareStack(spec: StackSpec): StackOutputs {
  const outputs: StackOutputs = { conversations: {}, messages: {} };
  for (const [logicalName, entry] of Object.entries(spec.conversations)) {
    const options = conversationOptions(spec, entry);
    const conversation = new Conversation(logicalName, conversationArgs(spec, entry), {
      ...options,
      ...previousNames(entry, (previous) => previous),
    });
    outputs.conversations[logicalName] = conversation.sid;
    outputs.messages[logicalName] = {};
    let previous: Message | undefined;
    entry.messages.forEach((messageSpec, position) => {
      const key = messageKey(messageSpec, position);
      // IDs, not the `sid` outputs: an ID stays known in a preview of an update, so editing a
      // conversation or a message does not make the messages after it look replaced.
      const links = {
        conversationSid: conversation.id,
        afterSid: previous ? previous.id : null,
        afterIndex: previous ? previous.index : null,
      };
      const message: Message = new Message(messageResourceName(logicalName, key), messageArgs(spec, entry, messageSpec, links), {
        ...options,
        ...previousNames(entry, (previousName) => messageResourceName(previousName, key)),
        dependsOn: previous ? [previous] : [],
      });
      outputs.messages[logicalName][key] = message.sid;
      previous = message;
    });
  }
  return outputs;
}

/**
 * The Pulumi program: loads the stack file and declares its resources. An invalid file stops the
 * run before anything is registered, with the same rendered problems as `npm run validate`.
 */
export function runStackProgram(): StackOutputs {
  const file = stackFilePath(new pulumi.Config().get("stackFile"), pulumi.getStack());
  const result = loadStackFile(file);
  if (!result.ok) {
    throw new pulumi.RunError(`${file} is not a valid stack file:\n\n${renderProblems(result.problems)}`);
  }
  return declareStack(result.spec);
}
