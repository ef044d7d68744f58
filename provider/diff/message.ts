import type * as pulumi from "@pulumi/pulumi";
import { containsUnknown } from "../domain/unknown";
import type { MessageInputs, MessageOutputs } from "../resources/message-model";
import { declaredDiffers, valueDiffers, type Comparison } from "./compare";

export const UPDATABLE_MESSAGE_PROPERTIES: ReadonlyArray<[keyof MessageInputs & keyof MessageOutputs, Comparison]> = [
  ["author", "text"],
  ["body", "text"],
  ["attributes", "json"],
  ["subject", "text"],
  ["dateCreated", "instant"],
  ["dateUpdated", "instant"],
];

/** Twilio accepts these only when a message is created. */
const CREATE_ONLY_MESSAGE_PROPERTIES = ["chatServiceSid", "conversationSid", "mediaSid", "contentSid", "contentVariables"] as const;

export function changedMessageProperties(olds: MessageOutputs, news: MessageInputs): string[] {
  return UPDATABLE_MESSAGE_PROPERTIES.filter(([property, comparison]) =>
    declaredDiffers(news[property], olds[property], comparison),
  ).map(([property]) => property as string);
}

/**
 * A message must come after the one it follows. While that is the same message (same SID), its
 * position cannot change. When it was re-created or newly inserted (SID unknown during preview,
 * or index not below this message's), this message is re-created too, so it lands after it.
 */
export function fallsOutOfOrder(olds: MessageOutputs, news: MessageInputs): boolean {
  if (samePredecessor(olds, news)) return false;
  if (news.afterSid !== null && news.afterSid !== undefined && containsUnknown(news.afterSid)) return true;
  if (news.afterIndex === null || news.afterIndex === undefined) return false;
  if (containsUnknown(news.afterIndex)) return true;
  return olds.index !== null && news.afterIndex >= olds.index;
}

function samePredecessor(olds: MessageOutputs, news: MessageInputs): boolean {
  return news.afterSid !== null && news.afterSid !== undefined && !containsUnknown(news.afterSid) && news.afterSid === olds.afterSid;
}

export function diffMessage(olds: MessageOutputs, news: MessageInputs): pulumi.dynamic.DiffResult {
  const replaces: string[] = CREATE_ONLY_MESSAGE_PROPERTIES.filter((property) => valueDiffers(news[property], olds[property]));
  if (fallsOutOfOrder(olds, news)) replaces.push("afterIndex");
  const predecessorChanged =
    !samePredecessor(olds, news) && (valueDiffers(news.afterSid, olds.afterSid) || valueDiffers(news.afterIndex, olds.afterIndex));
  const changes =
    replaces.length > 0 ||
    predecessorChanged ||
    valueDiffers(news.webhooksEnabled, olds.webhooksEnabled) ||
    recordedConversationStateDiffers(olds, news) ||
    Boolean(olds.conversationStateToRestore) ||
    changedMessageProperties(olds, news).length > 0;
  return { changes, replaces };
}

/** Outputs written before the declared state was recorded say nothing about it: no change. */
function recordedConversationStateDiffers(olds: MessageOutputs, news: MessageInputs): boolean {
  return olds.conversationState !== undefined && valueDiffers(news.conversationState, olds.conversationState);
}
