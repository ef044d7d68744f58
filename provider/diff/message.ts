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
 * A message must come after the one it follows. When that one was re-created (its index is now
 * unknown or greater than this message's), this message is re-created too, after it.
 */
export function fallsOutOfOrder(olds: MessageOutputs, news: MessageInputs): boolean {
  if (news.afterIndex === null || news.afterIndex === undefined) return false;
  if (containsUnknown(news.afterIndex)) return true;
  return olds.index !== null && news.afterIndex >= olds.index;
}

export function diffMessage(olds: MessageOutputs, news: MessageInputs): pulumi.dynamic.DiffResult {
  const replaces: string[] = CREATE_ONLY_MESSAGE_PROPERTIES.filter((property) => valueDiffers(news[property], olds[property]));
  if (fallsOutOfOrder(olds, news)) replaces.push("afterIndex");
  const changes =
    replaces.length > 0 ||
    valueDiffers(news.webhooksEnabled, olds.webhooksEnabled) ||
    valueDiffers(news.afterIndex, olds.afterIndex) ||
    changedMessageProperties(olds, news).length > 0;
  return { changes, replaces };
}
