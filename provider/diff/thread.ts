// What a seed thread's update does, message by message: pure, shared by the provider (which
// applies it) and the plan renderer (which names each message it changes).
import { isUnknown } from "../domain/unknown";
import {
  CREATE_ONLY_MESSAGE_FIELDS,
  UPDATABLE_MESSAGE_FIELDS,
  inThread,
  threadOrder,
  type DeclaredMessage,
  type DeclaredThread,
  type RecordedMessage,
  type RecordedThread,
} from "../resources/thread-model";
import { MESSAGE_PROPERTIES } from "../domain/properties";
import { differingProperties, valueDiffers } from "./compare";

/** Why a message is re-created: a create-only field changed, or it must land after a new message. */
export type ReplaceCause = { field: string } | { after: string; because: "inserted" | "re-created" } | { after: null; because: "moved" };

export type MessageStep =
  | { key: string; action: "create" }
  | { key: string; action: "update"; changed: string[] }
  | { key: string; action: "replace"; cause: ReplaceCause }
  | { key: string; action: "delete" };

/** The fields of a kept message whose declared value differs from what Twilio holds. */
export function changedMessageFields(recorded: RecordedMessage, declared: DeclaredMessage): string[] {
  return differingProperties(MESSAGE_PROPERTIES, UPDATABLE_MESSAGE_FIELDS, (field) => declared[field] ?? null, (field) => heldValue(recorded, field));
}

function heldValue(recorded: RecordedMessage, field: (typeof UPDATABLE_MESSAGE_FIELDS)[number]): unknown {
  const held = recorded.declared[field];
  if (held !== undefined) return held;
  return field === "dateCreated" || field === "dateUpdated" ? recorded[field] : null;
}

function changedCreateOnlyField(recorded: RecordedMessage, declared: DeclaredMessage): string | undefined {
  return CREATE_ONLY_MESSAGE_FIELDS.find((field) => valueDiffers(declared[field], recorded.declared[field]));
}

/**
 * The steps that turn the recorded thread into the declared one, in the order they run: deletes of
 * removed messages first, then each declared message in thread order. A message keeps its place
 * only while it comes after the one kept before it; once a message is created (new, or re-created
 * for a create-only field), every message after it is re-created too, so the thread keeps its order.
 * Messages that need nothing are left out.
 */
export function threadSteps(recorded: RecordedThread, declared: DeclaredThread): MessageStep[] {
  const order = threadOrder(declared);
  const steps: MessageStep[] = Object.keys(recorded)
    .filter((key) => !inThread(declared, key))
    .sort((a, b) => (recorded[a].index ?? 0) - (recorded[b].index ?? 0))
    .map((key) => ({ key, action: "delete" as const }));
  let lastKeptIndex = -1;
  let created: { key: string; because: "inserted" | "re-created" } | null = null;
  for (const key of order) {
    const wanted = declared[key];
    const held = inThread(recorded, key) ? recorded[key] : undefined;
    if (!held) {
      steps.push({ key, action: "create" });
      created = { key, because: "inserted" };
      continue;
    }
    const field = changedCreateOnlyField(held, wanted);
    if (created || field || held.index === null || held.index <= lastKeptIndex) {
      const cause: ReplaceCause = created ? { after: created.key, because: created.because } : field ? { field } : { after: null, because: "moved" };
      steps.push({ key, action: "replace", cause });
      created = { key, because: "re-created" };
      continue;
    }
    lastKeptIndex = held.index;
    const changed = changedMessageFields(held, wanted);
    if (changed.length > 0) steps.push({ key, action: "update", changed });
  }
  return steps;
}

/** Whether the declared thread asks for any change (an unknown thread, in preview, might). */
export function threadChanges(recorded: RecordedThread, declared: DeclaredThread): boolean {
  if (isUnknown(declared) || Object.values(declared).some(isUnknown)) return true;
  return threadSteps(recorded, declared).length > 0;
}
