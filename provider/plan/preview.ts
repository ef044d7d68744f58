// Pulumi's `preview --json` as a reviewer reads it: each conversation and message by its name in
// the stack file, what happens to it, the declared properties that change, and why a replacement
// happens. A seed thread lives inside its Conversation resource (one engine step for all its
// messages), so its messages are planned from that step's recorded and declared thread (thread.ts).
// Pure: the command line (provider/cli/plan.ts) runs the engine and chooses the exit code.
import { CHILD_KINDS, type DeclaredChildren, type RecordedChildren } from "../resources/children-model";
import { CONVERSATION_INPUT_DEFAULTS } from "../resources/conversation-model";
import { MESSAGE_INPUT_DEFAULTS } from "../resources/message-model";
import { ENVIRONMENT_KINDS, type EnvironmentKindName } from "../domain/environment";
import { secretProperties } from "../domain/row";
import { CREATE_ONLY_MESSAGE_FIELDS, DECLARED_MESSAGE_FIELDS, type DeclaredMessage, type DeclaredThread, type RecordedMessage, type RecordedThread } from "../resources/thread-model";
import { joinMoves, memberSteps } from "./group-steps";
import { planNames, type PlanNames } from "./names";
import { insideUnknown, namesPlannedResource, stackOutputs } from "./outputs";
import { type Action, type EngineEvent, type Plan, type PlannedResource, type PreviewJson, type PreviewStep, type PropertyChange, countsOf } from "./model";
import { HIDDEN, SHOWN_WHEN_CHANGED, UNKNOWN, changeBetween, changesBetween, display, flatten, inFileWords, isChildren, isSecret, isThread, yamlOf } from "./changes";
import { conversationOf, environmentKindOf, groupOf, kindOf, sectionOf } from "./kinds";
import { childrenPlan, threadPlan } from "./thread";

/** Inputs of the environment's resources at their default (not stored when they are). */
const ENVIRONMENT_INPUT_DEFAULTS = { adopt: "never", deleteWithConversations: false };

const ACTIONS: Record<string, Action | undefined> = {
  create: "create",
  update: "update",
  replace: "replace",
  "create-replacement": "replace",
  "delete-replaced": "replace",
  delete: "delete",
  rename: "rename",
};

/**
 * A step as the plan reads it: the name the plan shows (names.ts), and the name a rename leaves
 * (an alias), else null. The engine calls a step that only renames `same`, and `preview --json`
 * lists it only with `--show-sames`: it is planned as a `rename`, as `up` still writes it to the state.
 */
interface PlanStep extends PreviewStep {
  name: string;
  renamedFrom: string | null;
}

function planStep(step: PreviewStep, names: PlanNames): PlanStep {
  const old = step.oldState?.urn;
  const renamedFrom = old && old !== step.urn ? names.of(old, step.urn) : null;
  return { ...step, op: step.op === "same" && renamedFrom !== null ? "rename" : step.op, name: names.of(step.urn), renamedFrom };
}

function renameReason(step: PlanStep): string[] {
  return step.renamedFrom === null ? [] : [`it was ${step.renamedFrom} (renamedFrom): the stack's state records it under its new name`];
}

/**
 * The plan of `pulumi preview --json --show-sames`, with the event log of the same run for the
 * stack's outputs (outputs.ts); without it, outputs are not compared.
 */
export function planFromPreview(preview: PreviewJson, events: readonly EngineEvent[] = []): Plan {
  // A group's step (grouped seeding) becomes its members' steps: the plan reads the same either way.
  const previewSteps = joinMoves((preview.steps ?? []).flatMap(memberSteps));
  const names = planNames(previewSteps);
  const steps = previewSteps.map((step) => planStep(step, names)).filter((step) => kindOf(step.urn) !== null && ACTIONS[step.op] !== undefined);
  const byName = new Map<string, PlanStep>();
  // a replacement appears as several steps
  for (const step of steps) if (!byName.has(step.name)) byName.set(step.name, step);
  const legacy = legacyThreads(byName);
  const resources: PlannedResource[] = [];
  const messageResources: Array<[PlannedResource, PreviewStep]> = [];
  for (const [name, step] of byName) {
    if (kindOf(step.urn) === "conversation") {
      resources.push(...conversationPlan(name, step, legacy.get(name)));
      continue;
    }
    const environment = environmentKindOf(step.urn);
    if (environment) {
      resources.push(environmentPlan(environment, name, step));
      continue;
    }
    if (legacy.get(conversationOf(name))?.[name.slice(conversationOf(name).length + 1)]) continue; // planned with its conversation
    const resource: PlannedResource = { kind: "message", name, action: ACTIONS[step.op]!, changes: propertyChanges(step), reasons: [] };
    resources.push(resource);
    messageResources.push([resource, step]);
  }
  for (const [resource, step] of messageResources) resource.reasons = messageResourceReasons(resource, step, resources);
  // the environment first, then by conversation, itself first, as the drift report: the engine steps through siblings in no fixed order
  resources.sort((a, b) => sectionOf(a) - sectionOf(b) || groupOf(a).localeCompare(groupOf(b)) || Number(b.kind === "conversation") - Number(a.kind === "conversation"));
  resources.push(...outputPlan(events, steps));
  return { resources, counts: countsOf(resources) };
}

/**
 * The stack's outputs that change, one line per output with each path that changes; a value the
 * preview cannot know yet (a SID known after apply) is left out, and so is a path that names a
 * resource the plan lists (a removed conversation's SID goes with the conversation's line).
 */
function outputPlan(events: readonly EngineEvent[], planned: readonly PlanStep[]): PlannedResource[] {
  const outputs = stackOutputs(events);
  if (!outputs) return [];
  const keys = new Set(planned.flatMap((step) => [step.name, step.renamedFrom ?? ""].flatMap((name) => name.split("/"))).filter(Boolean));
  const unknownPaths = Object.entries(flatten(outputs.next)).flatMap(([path, value]) => (value === display(UNKNOWN) ? [path] : []));
  const changes = changesBetween(outputs.recorded, outputs.next).filter(
    (change) => !change.new?.includes(display(UNKNOWN)) && !insideUnknown(change.property, unknownPaths) && !namesPlannedResource(change.property, keys),
  );
  const byOutput = new Map<string, PropertyChange[]>();
  for (const change of changes) {
    const output = change.property.split(".")[0];
    byOutput.set(output, [...(byOutput.get(output) ?? []), change]);
  }
  return [...byOutput].map(([name, outputChanges]) => ({ kind: "output", name, action: "output", changes: outputChanges, reasons: [] }));
}

/**
 * One of the environment's resources: its declared properties that change, why it is replaced,
 * and for a push credential that Twilio never answers its secrets back, so drift on them cannot be
 * seen (a changed secret shows as changed, never its value).
 */
function environmentPlan(kind: EnvironmentKindName, name: string, step: PlanStep): PlannedResource {
  const action = ACTIONS[step.op]!;
  const { table } = ENVIRONMENT_KINDS[kind];
  const changes = inFileWords(table, propertyChanges(step));
  const secrets = secretProperties(table);
  const declaredSecrets = secrets.filter((property) => step.newState?.inputs?.[property] !== undefined).map((property) => yamlOf(table, property));
  // The engine shows a secret input only as [secret] on both sides: an update with nothing else to
  // show changes a secret (the provider compares their fingerprints), though not which one.
  if (action === "update" && changes.length === 0 && declaredSecrets.length > 0) {
    changes.push({ property: declaredSecrets.join(" or "), old: "[secret]", new: "[secret] (changed)" });
  }
  const reasons: string[] = [];
  if (action === "replace") {
    for (const property of step.replaceReasons ?? []) {
      reasons.push(property === "chatServiceSid" ? "it moves to another service" : `${yamlOf(table, property)} can only be set at creation`);
    }
  }
  if (action === "update" && changes.length === 0) reasons.push("provider bookkeeping only (no request to Twilio)");
  if (action !== "delete" && declaredSecrets.length > 0) {
    reasons.push(`Twilio never answers ${declaredSecrets.join(" or ")} back: a change made outside the stack cannot be seen`);
  }
  reasons.push(...renameReason(step));
  if (action === "delete" && ENVIRONMENT_KINDS[kind].shape === "singleton") reasons.push("never deleted: what it held before the stack is put back");
  else if (action === "delete" && step.oldState?.outputs?.adopted === true) reasons.push("adopted: not deleted, what it held before the stack is put back");
  return { kind: ENVIRONMENT_KINDS[kind].noun, name, action, changes, reasons };
}

/**
 * State written when each message was a `Message` resource of its own: the deleted message
 * resources of each conversation whose recorded outputs hold no thread and whose step plans its
 * messages (it is deleted, or declares a thread). Their messages are planned with the conversation:
 * taken over, re-created or deleted with it. A message resource deleted on its own stays one.
 */
function legacyThreads(byName: Map<string, PlanStep>): Map<string, RecordedThread> {
  const threads = new Map<string, RecordedThread>();
  for (const [name, step] of byName) {
    if (kindOf(step.urn) !== "message" || ACTIONS[step.op] !== "delete") continue;
    const conversation = byName.get(conversationOf(name));
    if (!conversation || kindOf(conversation.urn) !== "conversation" || conversation.oldState?.outputs?.messages !== undefined) continue;
    const action = ACTIONS[conversation.op];
    if (action !== "delete" && Object.keys(declaredThreadOf(conversation) ?? {}).length === 0) continue;
    const thread = threads.get(conversationOf(name)) ?? {};
    thread[name.slice(conversationOf(name).length + 1)] = legacyMessage(step);
    threads.set(conversationOf(name), thread);
  }
  return threads;
}

const MESSAGE_FIELDS: readonly string[] = DECLARED_MESSAGE_FIELDS;

/** A `Message` resource's state as a message of a recorded thread: its declared fields as Twilio held them. */
function legacyMessage(step: PreviewStep): RecordedMessage {
  const inputs = step.oldState?.inputs ?? {};
  const outputs = step.oldState?.outputs ?? {};
  const declared: Record<string, unknown> = {};
  for (const field of MESSAGE_FIELDS) {
    if (!(field in inputs) || inputs[field] === null) continue;
    declared[field] = outputs[field] ?? inputs[field];
  }
  const index = typeof outputs.index === "number" ? outputs.index : null;
  const text = (value: unknown) => (typeof value === "string" ? value : null);
  return { sid: String(outputs.sid ?? ""), index, declared: declared as DeclaredMessage, dateCreated: text(outputs.dateCreated), dateUpdated: text(outputs.dateUpdated) };
}

/** The step's declared thread; null when preview cannot know it (unknown or secret). */
function declaredThreadOf(step: PreviewStep): DeclaredThread | null {
  const thread = step.newState?.inputs?.messages ?? {};
  if (!isThread(thread)) return null;
  return thread;
}

/**
 * A conversation's step: its own line when its own properties change or it is created, deleted
 * or replaced (never a line that says nothing when only its messages change), then one line per
 * message of its thread that changes, named `<conversation>/<key>`.
 */
function conversationPlan(name: string, step: PlanStep, legacy: RecordedThread | undefined): PlannedResource[] {
  const action = ACTIONS[step.op]!;
  const own: PlannedResource = { kind: "conversation", name, action, changes: propertyChanges(step), reasons: [] };
  const declared = action === "delete" ? {} : declaredThreadOf(step);
  if (declared === null) {
    const opaque = isSecret(step.newState?.inputs?.messages) ? "[secret]" : display(UNKNOWN);
    own.changes.push({ property: "messages", new: opaque });
  }
  const recorded = action === "create" ? {} : ((step.oldState?.outputs?.messages as RecordedThread | undefined) ?? legacy ?? {});
  const children = CHILD_KINDS.flatMap((kind) => {
    const wanted = action === "delete" ? {} : step.newState?.inputs?.[kind.property] ?? {};
    if (!isChildren(wanted)) {
      own.changes.push({ property: kind.property, new: isSecret(wanted) ? "[secret]" : display(UNKNOWN) });
      return [];
    }
    const held = action === "create" ? {} : ((step.oldState?.outputs?.[kind.property] as RecordedChildren | undefined) ?? {});
    return childrenPlan(kind, name, action, held, wanted as DeclaredChildren);
  });
  const messages = declared === null ? [] : threadPlan(name, action, recorded, declared, legacy !== undefined);
  own.reasons = [...conversationReasons(own, step), ...renameReason(step)];
  const inside = [...children, ...messages];
  const shown = action !== "update" || own.changes.length > 0 || inside.length === 0 || step.renamedFrom !== null;
  return shown ? [own, ...inside] : inside;
}

function conversationReasons(own: PlannedResource, step: PreviewStep): string[] {
  if (own.action === "update" && own.changes.length === 0) return ["provider bookkeeping only (no request to Twilio)"];
  if (own.action === "update" && step.move?.renamed === false) return [MOVED_AND_CHANGED];
  if (own.action !== "replace") return [];
  if (step.move?.takenOver === false) return [MADE_ANEW];
  const replaced = step.replaceReasons ?? [];
  return replaced.map((property) => `${property} can only be set at creation`);
}

const MOVED_AND_CHANGED =
  "it moves to another resource (seeding.groups changed, or the stack switched modes), which takes it over by its uniqueName only as Twilio holds it: up refuses this change (409); move it in one up and change it in the next";

const MADE_ANEW =
  "it moves to another resource (seeding.groups changed, or the stack switched modes) and has no uniqueName to be taken over by: it is made anew, its thread posted again, and the old one deleted; give it a uniqueName first to keep it";

/**
 * Declared properties whose value changes. The old value is what Twilio held at the last read (the
 * provider diffs against it, so drift shows), the new one what the stack file says. A property the
 * file no longer declares is left as it is by an update, so it shows only when a replacement drops it.
 */
function propertyChanges(step: PreviewStep): PropertyChange[] {
  const action = ACTIONS[step.op];
  if (action === "delete") return [];
  // Inputs at their default are not stored: read a missing one as its default on both sides, so
  // state written before that (which stored them) shows no change.
  const kind = kindOf(step.urn);
  const defaults = kind === "conversation" ? CONVERSATION_INPUT_DEFAULTS : kind === "message" ? MESSAGE_INPUT_DEFAULTS : ENVIRONMENT_INPUT_DEFAULTS;
  const oldInputs: Record<string, unknown> = action === "create" ? {} : { ...defaults, ...step.oldState?.inputs };
  const oldOutputs = action === "create" ? {} : (step.oldState?.outputs ?? {});
  const newInputs: Record<string, unknown> = { ...defaults, ...step.newState?.inputs };
  const observed = flatten(Object.fromEntries(Object.keys(oldInputs).filter((key) => oldOutputs[key] !== undefined).map((key) => [key, oldOutputs[key]])));
  const declared = flatten(oldInputs);
  const news = flatten(newInputs);
  const properties = [...new Set([...Object.keys(observed), ...Object.keys(declared), ...Object.keys(news)])];
  const changes: PropertyChange[] = [];
  for (const property of properties) {
    const top = property.split(".")[0];
    if (HIDDEN.has(top)) continue;
    const undeclared = newInputs[top] === null || newInputs[top] === undefined;
    if (undeclared && (action !== "replace" || oldInputs[top] === null || oldInputs[top] === undefined)) continue;
    if (action === "create" && SHOWN_WHEN_CHANGED.has(top)) continue;
    const change = changeBetween(property, oldOutputs[top] !== undefined ? observed : declared, news);
    if (change) changes.push(change);
  }
  return changes;
}

const CREATE_ONLY: readonly string[] = [...CREATE_ONLY_MESSAGE_FIELDS, "chatServiceSid"];

/** Why a `Message` resource (a program declaring one per message) changes as it does. */
function messageResourceReasons(resource: PlannedResource, step: PreviewStep, all: PlannedResource[]): string[] {
  if (resource.action === "update" && resource.changes.length === 0) {
    const stateChanged = step.oldState?.inputs?.conversationState !== step.newState?.inputs?.conversationState;
    return stateChanged
      ? ["records the conversation's new state (no request to Twilio)"]
      : ["provider bookkeeping only (no request to Twilio)"];
  }
  if (resource.action !== "replace") return [];
  const replaced = new Set(step.replaceReasons ?? []);
  const reasons = CREATE_ONLY.filter((property) => replaced.has(property)).map((property) => `${property} can only be set at creation`);
  if (replaced.has("conversationSid")) reasons.push("the conversation is re-created");
  if (replaced.has("afterIndex") || replaced.has("afterSid")) reasons.push(orderReason(resource, all));
  for (const property of replaced) {
    if (![...CREATE_ONLY, "conversationSid", "afterIndex", "afterSid"].includes(property)) reasons.push(`${property} can only be set at creation`);
  }
  return reasons;
}

/** The message before it, in declaration order (the engine registers a thread's messages in order). */
function orderReason(message: PlannedResource, all: PlannedResource[]): string {
  const thread = all.filter((other) => other.kind === "message" && conversationOf(other.name) === conversationOf(message.name));
  const before = thread[thread.indexOf(message) - 1];
  if (before?.action === "create") return `${before.name} is inserted before it, so it is re-created to keep the thread's order`;
  if (before?.action === "replace") return `the message before it (${before.name}) is re-created, so the thread keeps its order`;
  return "the message before it changes, so it is re-created to keep the thread's order";
}
