// Pulumi's `preview --json` as a reviewer reads it: each conversation and message by its logical
// name, what happens to it, the declared properties that change, and why a replacement happens.
// A seed thread lives inside its Conversation resource (one engine step for all its messages), so
// its messages are named here from that step's recorded and declared thread (diff/thread.ts).
// And `refresh --preview-only --json` (with its engine event log) as a drift report: what Twilio
// holds now against what the last `up` recorded, independent of the stack file.
// Pure: the command line (provider/cli/plan.ts) runs the engine and chooses the exit code.
import { changedMessageFields, threadSteps, type MessageStep, type ReplaceCause } from "../diff/thread";
import { valueDiffers } from "../diff/compare";
import { changedChildFields, childSteps } from "../diff/children";
import { CHILD_KINDS, type ChildKind, type DeclaredChildren, type RecordedChild, type RecordedChildren } from "../resources/children-model";
import { CONVERSATION_INPUT_DEFAULTS } from "../resources/conversation-model";
import { MESSAGE_INPUT_DEFAULTS } from "../resources/message-model";
import { ENVIRONMENT_KINDS, ENVIRONMENT_TYPES, secretSettings, type EnvironmentKindName } from "../domain/environment";
import {
  CREATE_ONLY_MESSAGE_FIELDS,
  DECLARED_MESSAGE_FIELDS,
  threadOrder,
  type DeclaredMessage,
  type DeclaredThread,
  type RecordedMessage,
  type RecordedThread,
} from "../resources/thread-model";
import { planNames, typeOf, type PlanNames } from "./names";
import { namesPlannedResource, stackOutputs } from "./outputs";
/**
 * `move`: a message made by the per-message `Message` resources of an earlier release, taken over
 * by its conversation's resource as it is (no request to Twilio; the old resource leaves the state).
 * `rename`: a resource under a new logical name (`renamedFrom`, a Pulumi alias) and nothing else:
 * `up` records the new name in the stack's state and sends Twilio nothing.
 * `output`: a stack output that changes (kind `output`, named by the output), which `up` records
 * in the stack's state without a request to Twilio.
 */
export type Action = "create" | "update" | "replace" | "delete" | "move" | "rename" | "output";
/** A conversation, a message, a conversation's participant or webhook, or one of the environment's resources by the words of its kind (`service configuration`, `role`). */
export type ResourceKind = "conversation" | "message" | "participant" | "webhook" | "output" | EnvironmentNoun;
type EnvironmentNoun = (typeof ENVIRONMENT_KINDS)[EnvironmentKindName]["noun"];

export interface PropertyChange {
  /** As the stack file spells it: `friendlyName`, `timers.inactive`, `attributes.tier`. */
  property: string;
  /** Display text (JSON for values, `[secret]`, `(known after apply)`); absent when not set. */
  old?: string;
  new?: string;
}

export interface PlannedResource {
  kind: ResourceKind;
  name: string;
  action: Action;
  changes: PropertyChange[];
  reasons: string[];
}

export interface Plan {
  resources: PlannedResource[];
  counts: Record<Action, number>;
  /**
   * A drift report (planFromRefresh): `update` is an object changed in Twilio since the last `up`
   * (old: recorded, new: Twilio now), `delete` one gone from Twilio.
   */
  drift?: true;
  /** Drift the engine counted but did not name (its event log was missing or incomplete). */
  unnamed?: number;
}

/** The parts of `pulumi preview --json` the plan reads. */
export interface PreviewStep {
  op: string;
  urn: string;
  /** `parent`: the URN of the resource's parent (a `ConversationsStack` component, or the stack). */
  oldState?: { urn?: string; parent?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
  newState?: { parent?: string; inputs?: Record<string, unknown> };
  replaceReasons?: string[];
  diffReasons?: string[];
}
export interface PreviewJson {
  steps?: PreviewStep[];
  /** Per op, how many resources the engine counted (`same`, `update`, `delete`, ...). */
  changeSummary?: Record<string, number>;
}

/** A resource's state as the engine's events carry it. */
export interface EventState {
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}
/**
 * One line of the engine's event log (`--event-log`). Only `resOutputsEvent` is read: for a
 * refresh it carries the outcome (`same`, `update`, `delete`) with the state recorded (`old`) and
 * the state read from Twilio (`new`). `refresh --json` alone leaves a refreshed resource's new
 * state out unless its provider returns a detailed diff, which dynamic providers cannot. For a
 * preview, the root stack's carries the stack's outputs, recorded and new (outputs.ts).
 */
export interface EngineEvent {
  resOutputsEvent?: { metadata: { op: string; urn: string; old?: EventState; new?: EventState } };
  [event: string]: unknown;
}

/** Inputs of the environment's resources at their default (not stored when they are). */
const ENVIRONMENT_INPUT_DEFAULTS = { adopt: "never", deleteWithConversations: false };

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

/**
 * Inputs that are the provider's bookkeeping, never something the stack file says; and a
 * conversation's `messages`, planned message by message instead.
 */
const HIDDEN = new Set(["__provider", "messages", "participants", "scopedWebhooks", "resourceName", "stack", "settingsNamespace", "afterSid", "afterIndex", "conversationState", "declared", "conversationSid"]);
/** Shown only when they change (a create lists what is declared, and these are defaults). */
const SHOWN_WHEN_CHANGED = new Set(["adopt", "webhooksEnabled", "deleteWithConversations"]);

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
  const names = planNames(preview.steps ?? []);
  const steps = (preview.steps ?? []).map((step) => planStep(step, names)).filter((step) => kindOf(step.urn) !== null && ACTIONS[step.op] !== undefined);
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
  const changes = changesBetween(outputs.recorded, outputs.next).filter(
    (change) => !change.new?.includes(display(UNKNOWN)) && !namesPlannedResource(change.property, keys),
  );
  const byOutput = new Map<string, PropertyChange[]>();
  for (const change of changes) {
    const output = change.property.split(".")[0];
    byOutput.set(output, [...(byOutput.get(output) ?? []), change]);
  }
  return [...byOutput].map(([name, outputChanges]) => ({ kind: "output", name, action: "output", changes: outputChanges, reasons: [] }));
}

/** The environment's resources come before the conversations, which live in them. */
function sectionOf(resource: PlannedResource): number {
  return resource.kind === "conversation" || insideConversation(resource) ? 1 : 0;
}

/** A message, participant or scoped webhook: planned inside its conversation's step, named `<conversation>/<key>`. */
function insideConversation(resource: PlannedResource): boolean {
  return resource.kind === "message" || resource.kind === "participant" || resource.kind === "webhook";
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
  const secrets = secretSettings(table);
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

function isThread(value: unknown): value is Record<string, Record<string, unknown>> {
  if (value === null || typeof value !== "object" || Array.isArray(value) || isSecret(value)) return false;
  return Object.values(value).every((message) => message !== null && typeof message === "object" && !Array.isArray(message) && !isSecret(message));
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

function isChildren(value: unknown): value is Record<string, Record<string, unknown>> {
  return isThread(value);
}

/**
 * What the conversation's step does to each of its participants (or webhooks), in the order it
 * happens, named `<conversation>/<key>`: as diff/children.ts decides for an update.
 */
function childrenPlan(kind: ChildKind, conversation: string, action: Action, recorded: RecordedChildren, declared: DeclaredChildren): PlannedResource[] {
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

/**
 * A property as the stack file names it, by its table's row: a participant's `roleSid` is its
 * `role`, a service configuration's `defaultConversationRoleSid` its `defaultConversationRole`.
 */
function yamlOf(table: Readonly<Record<string, object>>, path: string): string {
  const [top, ...rest] = path.split(".");
  const yaml = (table[top] as { yaml?: unknown } | undefined)?.yaml;
  return [typeof yaml === "string" ? yaml : top, ...rest].join(".");
}

function inFileWords(table: Readonly<Record<string, object>>, changes: PropertyChange[]): PropertyChange[] {
  return changes.map((change) => ({ ...change, property: yamlOf(table, change.property) }));
}

/** A kept child's declared fields that change, old (what Twilio held at the last read, or as created) → new. */
function childChanges(kind: ChildKind, held: RecordedChild, wanted: Record<string, unknown>): PropertyChange[] {
  const changed = [...changedChildFields(kind, held, wanted), ...kind.createOnly.filter((field) => valueDiffers(wanted[field], held.declared[field]))];
  const before = Object.fromEntries(changed.map((field) => [field, kind.createOnly.includes(field) ? held.declared[field] : (held.held[field] ?? held.declared[field])]));
  const after = Object.fromEntries(changed.map((field) => [field, wanted[field]]));
  return changesBetween(before, after);
}

/** The children of a conversation that drifted: a declared field Twilio now holds otherwise (`update`), or one gone (`delete`). */
function childrenDrift(kind: ChildKind, conversation: string, recorded: unknown, now: unknown): Array<PlannedResource & { index: number }> {
  if (!isChildren(recorded) || !isChildren(now)) return [];
  const before = recorded as unknown as RecordedChildren;
  const after = now as unknown as RecordedChildren;
  const drifted: Array<PlannedResource & { index: number }> = [];
  for (const [key, child] of Object.entries(before)) {
    const base = { kind: kind.noun, name: `${conversation}/${key}`, reasons: [], index: -1 };
    if (!after[key]) {
      drifted.push({ ...base, action: "delete", changes: [] });
      continue;
    }
    const declared = Object.keys(child.declared ?? {}).filter((field) => kind.updatable.includes(field));
    const pick = (held: Record<string, unknown> | undefined) => Object.fromEntries(declared.map((field) => [field, held?.[field]]));
    const changes = inFileWords(kind.table, changesBetween(pick(child.held), pick(after[key].held)));
    if (changes.length > 0) drifted.push({ ...base, action: "update", changes });
  }
  return drifted;
}

function conversationReasons(own: PlannedResource, step: PreviewStep): string[] {
  if (own.action === "update" && own.changes.length === 0) return ["provider bookkeeping only (no request to Twilio)"];
  if (own.action !== "replace") return [];
  const replaced = step.replaceReasons ?? [];
  return replaced.map((property) => `${property} can only be set at creation`);
}

/** What the conversation's step does to each message of its thread, in the order it happens. */
function threadPlan(conversation: string, action: Action, recorded: RecordedThread, declared: DeclaredThread, fromLegacy: boolean): PlannedResource[] {
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

function withoutLink(message: DeclaredMessage): Record<string, unknown> {
  const { after: _after, ...fields } = message;
  return fields;
}

/** Each property (flattened, as the stack file nests it) that differs between two sets of values. */
function changesBetween(before: Record<string, unknown>, after: Record<string, unknown>): PropertyChange[] {
  const old = flatten(before);
  const next = flatten(after);
  const changes: PropertyChange[] = [];
  for (const property of new Set([...Object.keys(old), ...Object.keys(next)])) {
    const change = changeBetween(property, old, next);
    if (change) changes.push(change);
  }
  return changes;
}

function countsOf(resources: PlannedResource[]): Record<Action, number> {
  const counts: Record<Action, number> = { create: 0, update: 0, replace: 0, delete: 0, move: 0, rename: 0, output: 0 };
  for (const resource of resources) counts[resource.action]++;
  return counts;
}

export function hasChanges(plan: Plan): boolean {
  return plan.resources.length > 0 || (plan.unnamed ?? 0) > 0;
}

/**
 * Drift from `pulumi refresh --preview-only --json` and the event log of the same run: per
 * conversation and message by logical name, the declared properties whose value in Twilio now
 * differs from what the last `up` (or refresh) recorded, old = recorded, new = Twilio now; an
 * object deleted outside is `delete` (gone). The stack file plays no part. Whether a resource
 * drifted is the engine's verdict (the provider's diff: a timer's move is not drift); the
 * properties listed are those that differ within it. A conversation's messages are read with it:
 * they drift inside its recorded outputs (`messages`).
 */
export function planFromRefresh(refresh: PreviewJson, events: EngineEvent[] = []): Plan {
  const names = planNames(refresh.steps ?? []);
  const outcomes = new Map<string, { op: string; old?: EventState; new?: EventState }>();
  for (const step of refresh.steps ?? []) outcomes.set(step.urn, { op: step.op, old: step.oldState, new: step.newState });
  for (const event of events) {
    const metadata = event.resOutputsEvent?.metadata;
    if (metadata?.urn) outcomes.set(metadata.urn, { op: metadata.op, old: metadata.old, new: metadata.new });
  }
  const resources: Array<PlannedResource & { index: number }> = [];
  let named = 0;
  for (const [urn, outcome] of outcomes) {
    const kind = kindOf(urn);
    // A step still marked `refresh` had no outcome reported: counted below, never taken as no drift.
    if (kind === null || (outcome.op !== "update" && outcome.op !== "delete")) continue;
    named++;
    const action: Action = outcome.op === "update" ? "update" : "delete";
    const name = names.of(urn);
    const changes = action === "update" ? driftChanges(outcome.old, outcome.new) : [];
    if (kind !== "conversation") {
      resources.push({ kind, name, action, changes, reasons: [], index: Number(outcome.old?.outputs?.index ?? Number.MAX_SAFE_INTEGER) });
      continue;
    }
    const messages = [
      ...CHILD_KINDS.flatMap((kind) => childrenDrift(kind, name, outcome.old?.outputs?.[kind.property], action === "delete" ? {} : outcome.new?.outputs?.[kind.property])),
      ...threadDrift(name, outcome.old?.outputs?.messages, action === "delete" ? {} : outcome.new?.outputs?.messages),
    ];
    if (action === "delete" || changes.length > 0 || messages.length === 0) resources.push({ kind, name, action, changes, reasons: [], index: -1 });
    resources.push(...messages);
  }
  resources.sort(
    (a, b) =>
      sectionOf(a) - sectionOf(b) ||
      groupOf(a).localeCompare(groupOf(b)) ||
      (a.kind === b.kind ? a.index - b.index || a.name.localeCompare(b.name) : a.kind === "conversation" ? -1 : 1),
  );
  const ordered: PlannedResource[] = resources.map(({ index: _index, ...resource }) => resource);
  for (const resource of ordered) {
    const conversation = ordered.find((other) => other.kind === "conversation" && other.name === groupOf(resource));
    if (resource.kind !== "conversation" && resource.action === "delete" && conversation?.action === "delete") resource.reasons = ["its conversation is gone"];
    else if (resource.action === "update" && resource.changes.length === 0) resource.reasons = ["differs from the record only in the provider's bookkeeping"];
  }
  const counts = countsOf(ordered);
  const counted = (refresh.changeSummary?.update ?? 0) + (refresh.changeSummary?.delete ?? 0);
  const unnamed = Math.max(0, counted - named);
  return { resources: ordered, counts, drift: true, ...(unnamed > 0 ? { unnamed } : {}) };
}

/**
 * The messages of a conversation's recorded thread that drifted: a declared field Twilio now holds
 * otherwise (`update`), or a message gone from Twilio (`delete`).
 */
function threadDrift(conversation: string, recorded: unknown, now: unknown): Array<PlannedResource & { index: number }> {
  // a thread not read (no state from the engine) is not taken as every message gone
  if (!isThread(recorded) || !isThread(now)) return [];
  const before = recorded as unknown as RecordedThread;
  const after = now as unknown as RecordedThread;
  const drifted: Array<PlannedResource & { index: number }> = [];
  for (const [key, held] of Object.entries(before)) {
    const base = { kind: "message" as const, name: `${conversation}/${key}`, reasons: [], index: held.index ?? Number.MAX_SAFE_INTEGER };
    if (!after[key]) {
      drifted.push({ ...base, action: "delete", changes: [] });
      continue;
    }
    const changes = changesBetween(withoutLink(held.declared ?? {}), withoutLink(after[key].declared ?? {}));
    if (changes.length > 0) drifted.push({ ...base, action: "update", changes });
  }
  return drifted;
}

/** The declared properties (as the last `up` recorded them) whose value in Twilio differs now. */
function driftChanges(recorded: EventState | undefined, now: EventState | undefined): PropertyChange[] {
  const declaredList = recorded?.outputs?.declared;
  // an environment resource records its composite values' parts as `property.part`
  const declared = [...new Set([...(Array.isArray(declaredList) ? declaredList.map((path) => String(path).split(".")[0]) : []), ...Object.keys(recorded?.inputs ?? {})])].filter(
    (property) => !HIDDEN.has(property) && !SHOWN_WHEN_CHANGED.has(property),
  );
  const valueIn = (state: EventState | undefined, property: string) =>
    state?.outputs && property in state.outputs ? state.outputs[property] : state?.inputs?.[property];
  return changesBetween(
    Object.fromEntries(declared.map((property) => [property, valueIn(recorded, property)])),
    Object.fromEntries(declared.map((property) => [property, valueIn(now, property)])),
  );
}

function kindOf(urn: string): ResourceKind | null {
  const type = typeOf(urn);
  if (type === "pulumi-nodejs:dynamic/twilio-conversations:Conversation") return "conversation";
  if (type === "pulumi-nodejs:dynamic/twilio-conversations:Message") return "message";
  const environment = environmentKindOf(urn);
  return environment ? ENVIRONMENT_KINDS[environment].noun : null;
}

const ENVIRONMENT_BY_TYPE = new Map(
  (Object.entries(ENVIRONMENT_TYPES) as Array<[EnvironmentKindName, string]>).map(([kind, type]) => [`pulumi-nodejs:dynamic/twilio-conversations:${type}`, kind]),
);

function environmentKindOf(urn: string): EnvironmentKindName | null {
  return ENVIRONMENT_BY_TYPE.get(typeOf(urn)) ?? null;
}

/** The conversation a resource belongs to: itself, or the one a message seeds; an environment resource is its own group. */
function groupOf(resource: PlannedResource): string {
  return insideConversation(resource) ? conversationOf(resource.name) : resource.name;
}

function conversationOf(messageName: string): string {
  return messageName.slice(0, messageName.lastIndexOf("/"));
}

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

/**
 * How a property differs between two flattened states, if it does. A mapping on one side and a
 * secret or scalar on the other compare as wholes: the property's dotted parts are then skipped.
 */
function changeBetween(property: string, before: Record<string, string>, after: Record<string, string>): PropertyChange | undefined {
  const top = property.split(".")[0];
  const whole = [before, after].some((map) => map[top] !== undefined);
  if (whole && property !== top) return undefined;
  const old = whole ? displayWhole(before, top) : before[property];
  const next = whole ? displayWhole(after, top) : after[property];
  if (old === next) return undefined;
  return { property, ...(old === undefined ? {} : { old }), ...(next === undefined ? {} : { new: next }) };
}

/** Nested mappings become dotted names, as a reader finds them in the stack file; nulls are "not set". */
function flatten(value: Record<string, unknown>, prefix = ""): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    const name = `${prefix}${key}`;
    if (entry === null || entry === undefined) continue;
    if (isSecret(entry)) flat[name] = "[secret]";
    else if (typeof entry === "object" && !Array.isArray(entry)) Object.assign(flat, flatten(entry as Record<string, unknown>, `${name}.`));
    else flat[name] = display(entry);
  }
  return flat;
}

function displayWhole(flat: Record<string, string>, top: string): string | undefined {
  if (flat[top] !== undefined) return flat[top];
  const entries = Object.entries(flat).filter(([name]) => name.startsWith(`${top}.`));
  return entries.length === 0 ? undefined : `{${entries.map(([name, value]) => `${name.slice(top.length + 1)}: ${value}`).join(", ")}}`;
}

function isSecret(value: unknown): boolean {
  return value === "[secret]" || (typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIGNATURE] !== undefined);
}

function display(value: unknown): string {
  if (value === UNKNOWN) return "(known after apply)";
  return JSON.stringify(value);
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

const SYMBOLS: Record<Action, string> = { create: "+", update: "~", replace: "+-", delete: "-", move: "~", rename: "~", output: "~" };

/** What a drift report calls an object changed in Twilio (`update`) or deleted there (`delete`). */
const DRIFT_LABELS: Partial<Record<Action, string>> = { update: "changed", delete: "gone" };

/** Actions told in more words than their name: on a resource's line, and in the summary. */
const LABELS: Partial<Record<Action, { line: string; summary: string }>> = {
  move: { line: "moved into its conversation's resource; no request to Twilio", summary: "move into their conversation's resource" },
  rename: { line: "renamed, recorded in state, no request to Twilio", summary: "rename in the stack's state" },
  output: { line: "stack output, recorded in state, no request to Twilio", summary: "change in the stack's outputs" },
};

function label(plan: Plan, action: Action): string {
  return (plan.drift && DRIFT_LABELS[action]) || LABELS[action]?.line || action;
}

function driftSummaryLine(plan: Plan): string {
  if (!hasChanges(plan)) return "No drift: Twilio holds what the last up recorded.";
  const parts = (["update", "delete"] as const).filter((action) => plan.counts[action] > 0).map((action) => `${plan.counts[action]} ${label(plan, action)}`);
  if (plan.unnamed) parts.push(`${plan.unnamed} more the engine counted without naming them`);
  return `Drift (recorded at the last up → in Twilio now): ${parts.join(", ")}`;
}

export function summaryLine(plan: Plan): string {
  if (plan.drift) return driftSummaryLine(plan);
  if (!hasChanges(plan)) return "No changes.";
  const parts = (Object.keys(plan.counts) as Action[]).filter((action) => plan.counts[action] > 0).map((action) => `${plan.counts[action]} to ${LABELS[action]?.summary ?? action}`);
  return `Plan: ${parts.join(", ")}`;
}

function changeText(change: PropertyChange, plan: Plan): string {
  if (change.old === undefined) return plan.drift ? `${change.property}: (not set) → ${change.new}` : `${change.property}: ${change.new}`;
  if (change.new === undefined) return `${change.property}: ${change.old} → (removed)`;
  return `${change.property}: ${change.old} → ${change.new}`;
}

export function renderText(plan: Plan): string {
  const lines = [summaryLine(plan)];
  for (const resource of plan.resources) {
    lines.push(`${SYMBOLS[resource.action]} ${resource.kind} ${resource.name} (${label(plan, resource.action)})`);
    for (const change of resource.changes) lines.push(`    ${changeText(change, plan)}`);
    for (const reason of resource.reasons) lines.push(`    why: ${reason}`);
  }
  return lines.join("\n");
}

export function renderMarkdown(plan: Plan): string {
  const lines = [`**${summaryLine(plan)}**`];
  if (hasChanges(plan)) lines.push("");
  for (const resource of plan.resources) {
    lines.push(`- \`${SYMBOLS[resource.action]}\` **${label(plan, resource.action)}** ${resource.kind} \`${resource.name}\``);
    for (const change of resource.changes) lines.push(`  - ${markdownChange(change, plan)}`);
    for (const reason of resource.reasons) lines.push(`  - _why:_ ${reason}`);
  }
  return lines.join("\n");
}

function markdownChange(change: PropertyChange, plan: Plan): string {
  const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
  if (change.old === undefined) return plan.drift ? `${change.property}: (not set) → ${code(change.new!)}` : `${change.property}: ${code(change.new!)}`;
  if (change.new === undefined) return `${change.property}: ${code(change.old)} → (removed)`;
  return `${change.property}: ${code(change.old)} → ${code(change.new)}`;
}

export function renderJson(plan: Plan): string {
  const drift = plan.drift ? { drift: true, ...(plan.unnamed ? { unnamed: plan.unnamed } : {}) } : {};
  return JSON.stringify({ ...drift, changes: hasChanges(plan), summary: plan.counts, resources: plan.resources }, null, 2);
}

export type PlanFormat = "text" | "markdown" | "json";

export function renderPlan(plan: Plan, format: PlanFormat): string {
  if (format === "markdown") return renderMarkdown(plan);
  if (format === "json") return renderJson(plan);
  return renderText(plan);
}
