// What a conversation's step does inside it: to each message of its seed thread (diff/thread.ts),
// participant and scoped webhook (diff/children.ts), named `<conversation>/<key>`, in the order
// `up` does it, with why a message is re-created.
import { changedMessageFields, threadSteps, type MessageStep, type ReplaceCause } from "../diff/thread";
import { valueDiffers } from "../diff/compare";
import { changedChildFields, childSteps } from "../diff/children";
import type { ChildKind, DeclaredChildren, RecordedChild, RecordedChildren } from "../resources/children-model";
import { CREATE_ONLY_MESSAGE_FIELDS, threadOrder, type DeclaredMessage, type DeclaredThread, type RecordedMessage, type RecordedThread } from "../resources/thread-model";
import type { Action, PlannedResource, PropertyChange } from "./model";
import { changesBetween, inFileWords, withoutLink, yamlOf } from "./changes";

/**
 * What the conversation's step does to each of its participants (or webhooks), in the order it
 * happens, named `<conversation>/<key>`: as diff/children.ts decides for an update.
 */
export function childrenPlan(kind: ChildKind, conversation: string, action: Action, recorded: RecordedChildren, declared: DeclaredChildren): PlannedResource[] {
  const line = (key: string, childAction: Action, changes: PropertyChange[] = [], reasons: string[] = []): PlannedResource => ({
    kind: kind.noun,
    name: `${conversation}/${key}`,
    action: childAction,
    changes: inFileWords(kind.table, changes),
    reasons,
  });
  if (action === "delete") return Object.keys(recorded).map((key) => line(key, "delete", [], ["its conversation is removed"]));
  if (action === "create") return Object.entries(declared).map(([key, wanted]) => line(key, "create", changesBetween({}, wanted)));
  if (action === "replace") {
    const removed = Object.keys(recorded).filter((key) => !(key in declared)).map((key) => line(key, "delete"));
    const written = Object.entries(declared).map(([key, wanted]) =>
      recorded[key] ? line(key, "replace", childChanges(kind, recorded[key], wanted), ["the conversation is re-created"]) : line(key, "create", changesBetween({}, wanted)),
    );
    return [...removed, ...written];
  }
  return childSteps(kind, recorded, declared).map((step) => {
    if (step.action === "delete") return line(step.key, "delete");
    if (step.action === "create") return line(step.key, "create", changesBetween({}, declared[step.key]));
    if (step.action === "update") return line(step.key, "update", childChanges(kind, recorded[step.key], declared[step.key]));
    // Re-created: every declared field it had and has now, so what it leaves behind shows too.
    return line(step.key, "replace", changesBetween(recorded[step.key].declared, declared[step.key]), [`${yamlOf(kind.table, step.field)} can only be set at creation`]);
  });
}

/** A kept child's declared fields that change, old (what Twilio held at the last read, or as created) → new. */
function childChanges(kind: ChildKind, held: RecordedChild, wanted: Record<string, unknown>): PropertyChange[] {
  const changed = [...changedChildFields(kind, held, wanted), ...kind.createOnly.filter((field) => valueDiffers(wanted[field], held.declared[field]))];
  const before = Object.fromEntries(changed.map((field) => [field, kind.createOnly.includes(field) ? held.declared[field] : (held.held[field] ?? held.declared[field])]));
  const after = Object.fromEntries(changed.map((field) => [field, wanted[field]]));
  return changesBetween(before, after);
}

/** What the conversation's step does to each message of its thread, in the order it happens. */
export function threadPlan(conversation: string, action: Action, recorded: RecordedThread, declared: DeclaredThread, fromLegacy: boolean): PlannedResource[] {
  const message = (key: string, messageAction: Action, changes: PropertyChange[] = [], reasons: string[] = []): PlannedResource => ({
    kind: "message",
    name: `${conversation}/${key}`,
    action: messageAction,
    changes,
    reasons,
  });
  const byIndex = (keys: string[]) => keys.sort((a, b) => (recorded[a].index ?? 0) - (recorded[b].index ?? 0));
  if (action === "delete") return byIndex(Object.keys(recorded)).map((key) => message(key, "delete", [], ["its conversation is removed"]));
  const order = threadOrder(declared);
  if (action === "create") return order.map((key) => message(key, "create", messageChanges(undefined, declared[key])));
  if (action === "replace") {
    const removed = byIndex(Object.keys(recorded).filter((key) => !(key in declared))).map((key) => message(key, "delete"));
    const written = order.map((key) =>
      recorded[key]
        ? message(key, "replace", messageChanges(recorded[key], declared[key]), ["the conversation is re-created"])
        : message(key, "create", messageChanges(undefined, declared[key])),
    );
    return [...removed, ...written];
  }
  const steps = fromLegacy ? takeOverSteps(recorded, declared) : threadSteps(recorded, declared);
  return steps.map((step) => {
    if (step.action === "move") return message(step.key, "move", [], [MOVED]);
    if (step.action === "delete") return message(step.key, "delete");
    const changes = messageChanges(step.action === "create" ? undefined : recorded[step.key], declared[step.key]);
    if (step.action !== "replace") return message(step.key, step.action, changes);
    if ("takeOver" in step.cause) changes.push(...droppedFields(recorded[step.key], declared[step.key]));
    return message(step.key, "replace", changes, replaceReasons(conversation, step.cause, changes));
  });
}

const MOVED = "kept in Twilio as it is; the Message resource an earlier release made for it leaves the state";

/** Why a message is re-created, with each create-only field that changes besides. */
function replaceReasons(conversation: string, cause: TakeOverCause, changes: PropertyChange[]): string[] {
  const reasons = [causeText(conversation, cause)];
  for (const field of CREATE_ONLY_MESSAGE_FIELDS) {
    const text = `${field} can only be set at creation`;
    if (!reasons.includes(text) && changes.some((change) => change.property.split(".")[0] === field)) reasons.push(text);
  }
  return reasons;
}

function causeText(conversation: string, cause: TakeOverCause): string {
  if ("field" in cause) return `${cause.field} can only be set at creation`;
  if ("takeOver" in cause) return "its conversation's resource takes over only a message Twilio holds as declared: it is re-created, and the old one deleted";
  if (cause.after === null) return "it moves in the thread, so it is re-created to keep the thread's order";
  if (cause.because === "inserted") return `${conversation}/${cause.after} is inserted before it, so it is re-created to keep the thread's order`;
  return `the message before it (${conversation}/${cause.after}) is re-created, so the thread keeps its order`;
}

type TakeOverCause = ReplaceCause | { takeOver: "differs" };
type TakeOverStep = Exclude<MessageStep, { action: "replace" }> | { key: string; action: "replace"; cause: TakeOverCause } | { key: string; action: "move" };

/**
 * The first update of state with one `Message` resource per message (thread-effects.ts
 * takeOverThread): in thread order, each message Twilio holds as declared, after the one taken
 * before it, is taken over as it is; from the first that is not, every declared message is
 * created, and the old message resources the engine then deletes take theirs out of Twilio.
 */
function takeOverSteps(recorded: RecordedThread, declared: DeclaredThread): TakeOverStep[] {
  const steps: TakeOverStep[] = Object.keys(recorded)
    .filter((key) => !(key in declared))
    .sort((a, b) => (recorded[a].index ?? 0) - (recorded[b].index ?? 0))
    .map((key) => ({ key, action: "delete" as const }));
  let lastIndex = -1;
  let created: { after: string; because: "inserted" | "re-created" } | null = null;
  for (const key of threadOrder(declared)) {
    const held = recorded[key];
    if (!held) {
      steps.push({ key, action: "create" });
      created = { after: key, because: "inserted" };
      continue;
    }
    const inOrder = held.index !== null && held.index > lastIndex;
    if (!created && inOrder && holdsDeclared(held, declared[key])) {
      steps.push({ key, action: "move" });
      lastIndex = held.index!;
      continue;
    }
    const cause: TakeOverCause = created ?? (inOrder ? { takeOver: "differs" } : { after: null, because: "moved" });
    steps.push({ key, action: "replace", cause });
    created = { after: key, because: "re-created" };
  }
  return steps;
}

/** Whether Twilio held (at the last read) what the message now declares, as takeOverThread matches it. */
function holdsDeclared(held: RecordedMessage, wanted: DeclaredMessage): boolean {
  if (changedMessageFields(held, wanted).length > 0) return false;
  if (CREATE_ONLY_MESSAGE_FIELDS.some((field) => valueDiffers(wanted[field], held.declared[field]))) return false;
  return droppedFields(held, wanted).length === 0;
}

/** Fields declared before and no longer: Twilio still holds their value, not the default the take-over looks for. */
function droppedFields(held: RecordedMessage, wanted: DeclaredMessage): PropertyChange[] {
  const dropped = TAKE_OVER_MATCHED.filter((field) => !(field in wanted) && field in held.declared);
  return changesBetween(Object.fromEntries(dropped.map((field) => [field, held.declared[field]])), {});
}

/** The updatable fields the take-over matches whether declared or not (the dates only when declared; Twilio never shows subject). */
const TAKE_OVER_MATCHED = ["author", "body", "attributes"] as const;

function fieldOf(message: DeclaredMessage, field: string): unknown {
  return (message as Record<string, unknown>)[field];
}

/**
 * A message's declared fields that change, old (what Twilio held at the last read) → new; all of
 * them for a new message. The link to the message before it (`after`) is the thread's order, told
 * by the reasons, never a change of its own.
 */
function messageChanges(held: RecordedMessage | undefined, wanted: DeclaredMessage): PropertyChange[] {
  if (!held) return changesBetween({}, withoutLink(wanted));
  const changed = [
    ...changedMessageFields(held, wanted),
    ...CREATE_ONLY_MESSAGE_FIELDS.filter((field) => valueDiffers(wanted[field], held.declared[field])),
  ];
  const before = Object.fromEntries(changed.map((field) => [field, heldField(held, field)]));
  const after = Object.fromEntries(changed.map((field) => [field, fieldOf(wanted, field)]));
  return changesBetween(before, after);
}

/** What Twilio held: the recorded declared value, or for a date Twilio's own. */
function heldField(held: RecordedMessage, field: string): unknown {
  const value = fieldOf(held.declared, field);
  if (value !== undefined) return value;
  return field === "dateCreated" || field === "dateUpdated" ? held[field] : undefined;
}
