// Pulumi's `preview --json` as a reviewer reads it: each conversation and message by its logical
// name, what happens to it, the declared properties that change, and why a replacement happens.
// And `refresh --preview-only --json` (with its engine event log) as a drift report: what Twilio
// holds now against what the last `up` recorded, independent of the stack file.
// Pure: scripts/plan.js runs the engine and chooses the exit code.
import { CONVERSATION_INPUT_DEFAULTS } from "../resources/conversation-model";
import { MESSAGE_INPUT_DEFAULTS } from "../resources/message-model";

export type Action = "create" | "update" | "replace" | "delete";
export type ResourceKind = "conversation" | "message";

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
  oldState?: { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
  newState?: { inputs?: Record<string, unknown> };
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
 * state out unless its provider returns a detailed diff, which dynamic providers cannot.
 */
export interface EngineEvent {
  resOutputsEvent?: { metadata: { op: string; urn: string; old?: EventState; new?: EventState } };
  [event: string]: unknown;
}

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

/** Inputs that are the provider's bookkeeping, never something the stack file says. */
const HIDDEN = new Set(["__provider", "resourceName", "stack", "settingsNamespace", "afterSid", "afterIndex", "conversationState", "declared", "conversationSid"]);
/** Shown only when they change (a create lists what is declared, and these are defaults). */
const SHOWN_WHEN_CHANGED = new Set(["adopt", "webhooksEnabled"]);

const ACTIONS: Record<string, Action | undefined> = {
  create: "create",
  update: "update",
  replace: "replace",
  "create-replacement": "replace",
  "delete-replaced": "replace",
  delete: "delete",
};

export function planFromPreview(preview: PreviewJson): Plan {
  const steps = (preview.steps ?? []).filter((step) => kindOf(step.urn) !== null && ACTIONS[step.op] !== undefined);
  const byName = new Map<string, PlannedResource>();
  for (const step of steps) {
    const name = nameOf(step.urn);
    if (byName.has(name)) continue; // a replacement appears as several steps
    byName.set(name, {
      kind: kindOf(step.urn)!,
      name,
      action: ACTIONS[step.op]!,
      changes: propertyChanges(step),
      reasons: [],
    });
  }
  const resources = deletedWithTheirConversation([...byName.values()]);
  for (const resource of resources) {
    const step = steps.find((candidate) => nameOf(candidate.urn) === resource.name)!;
    resource.reasons = reasonsFor(resource, step, resources);
  }
  return { resources, counts: countsOf(resources) };
}

/** The engine deletes messages before their conversation; a reader wants the conversation first. */
function deletedWithTheirConversation(resources: PlannedResource[]): PlannedResource[] {
  const goesWith = (message: PlannedResource) =>
    message.kind === "message" && message.action === "delete"
      ? resources.find((other) => other.kind === "conversation" && other.action === "delete" && other.name === conversationOf(message.name))
      : undefined;
  const ordered: PlannedResource[] = [];
  for (const resource of resources) {
    if (goesWith(resource)) continue;
    // in the order they were declared: the engine deletes the last one first
    ordered.push(resource, ...resources.filter((message) => goesWith(message) === resource).reverse());
  }
  return ordered;
}

function countsOf(resources: PlannedResource[]): Record<Action, number> {
  const counts: Record<Action, number> = { create: 0, update: 0, replace: 0, delete: 0 };
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
 * properties listed are those that differ within it.
 */
export function planFromRefresh(refresh: PreviewJson, events: EngineEvent[] = []): Plan {
  const outcomes = new Map<string, { op: string; old?: EventState; new?: EventState }>();
  for (const step of refresh.steps ?? []) outcomes.set(step.urn, { op: step.op, old: step.oldState, new: step.newState });
  for (const event of events) {
    const metadata = event.resOutputsEvent?.metadata;
    if (metadata?.urn) outcomes.set(metadata.urn, { op: metadata.op, old: metadata.old, new: metadata.new });
  }
  const resources: Array<PlannedResource & { index: number }> = [];
  for (const [urn, outcome] of outcomes) {
    const kind = kindOf(urn);
    // A step still marked `refresh` had no outcome reported: counted below, never taken as no drift.
    if (kind === null || (outcome.op !== "update" && outcome.op !== "delete")) continue;
    const action: Action = outcome.op === "update" ? "update" : "delete";
    const index = Number(outcome.old?.outputs?.index ?? Number.MAX_SAFE_INTEGER);
    resources.push({ kind, name: nameOf(urn), action, changes: action === "update" ? driftChanges(outcome.old, outcome.new) : [], reasons: [], index });
  }
  const groupOf = (resource: PlannedResource) => (resource.kind === "conversation" ? resource.name : conversationOf(resource.name));
  resources.sort(
    (a, b) =>
      groupOf(a).localeCompare(groupOf(b)) ||
      (a.kind === b.kind ? a.index - b.index || a.name.localeCompare(b.name) : a.kind === "conversation" ? -1 : 1),
  );
  const ordered: PlannedResource[] = resources.map(({ index: _index, ...resource }) => resource);
  for (const resource of ordered) {
    const conversation = ordered.find((other) => other.kind === "conversation" && other.name === groupOf(resource));
    if (resource.kind === "message" && resource.action === "delete" && conversation?.action === "delete") resource.reasons = ["its conversation is gone"];
    else if (resource.action === "update" && resource.changes.length === 0) resource.reasons = ["differs from the record only in the provider's bookkeeping"];
  }
  const counts = countsOf(ordered);
  const counted = (refresh.changeSummary?.update ?? 0) + (refresh.changeSummary?.delete ?? 0);
  const unnamed = Math.max(0, counted - ordered.length);
  return { resources: ordered, counts, drift: true, ...(unnamed > 0 ? { unnamed } : {}) };
}

/** The declared properties (as the last `up` recorded them) whose value in Twilio differs now. */
function driftChanges(recorded: EventState | undefined, now: EventState | undefined): PropertyChange[] {
  const declaredList = recorded?.outputs?.declared;
  const declared = [...new Set([...(Array.isArray(declaredList) ? declaredList.map(String) : []), ...Object.keys(recorded?.inputs ?? {})])].filter(
    (property) => !HIDDEN.has(property) && !SHOWN_WHEN_CHANGED.has(property),
  );
  const valueIn = (state: EventState | undefined, property: string) =>
    state?.outputs && property in state.outputs ? state.outputs[property] : state?.inputs?.[property];
  const before = flatten(Object.fromEntries(declared.map((property) => [property, valueIn(recorded, property)])));
  const after = flatten(Object.fromEntries(declared.map((property) => [property, valueIn(now, property)])));
  const changes: PropertyChange[] = [];
  for (const property of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const change = changeBetween(property, before, after);
    if (change) changes.push(change);
  }
  return changes;
}

function kindOf(urn: string): ResourceKind | null {
  const type = urn.split("::")[2]?.split("$").pop() ?? "";
  if (type === "pulumi-nodejs:dynamic/twilio-conversations:Conversation") return "conversation";
  if (type === "pulumi-nodejs:dynamic/twilio-conversations:Message") return "message";
  return null;
}

function nameOf(urn: string): string {
  return urn.split("::").slice(3).join("::");
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
  const defaults = kindOf(step.urn) === "conversation" ? CONVERSATION_INPUT_DEFAULTS : MESSAGE_INPUT_DEFAULTS;
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

const CREATE_ONLY = ["mediaSid", "contentSid", "contentVariables", "chatServiceSid"];

function reasonsFor(resource: PlannedResource, step: PreviewStep, all: PlannedResource[]): string[] {
  if (resource.kind === "message" && resource.action === "delete") {
    const conversation = all.find((other) => other.kind === "conversation" && other.name === conversationOf(resource.name));
    return conversation?.action === "delete" ? ["its conversation is removed"] : [];
  }
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

const SYMBOLS: Record<Action, string> = { create: "+", update: "~", replace: "+-", delete: "-" };

/** What a drift report calls an object changed in Twilio (`update`) or deleted there (`delete`). */
const DRIFT_LABELS: Partial<Record<Action, string>> = { update: "changed", delete: "gone" };

function label(plan: Plan, action: Action): string {
  return (plan.drift && DRIFT_LABELS[action]) || action;
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
  const parts = (Object.keys(plan.counts) as Action[]).filter((action) => plan.counts[action] > 0).map((action) => `${plan.counts[action]} to ${action}`);
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
