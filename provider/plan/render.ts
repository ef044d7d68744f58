// Pulumi's `preview --json` as a reviewer reads it: each conversation and message by its logical
// name, what happens to it, the declared properties that change, and why a replacement happens.
// Pure: the command in ./cli.ts runs the preview and chooses the exit code.
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
  const counts: Record<Action, number> = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const resource of resources) counts[resource.action]++;
  return { resources, counts };
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

export function hasChanges(plan: Plan): boolean {
  return plan.resources.length > 0;
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
    const oldMap = oldOutputs[top] !== undefined ? observed : declared;
    // A mapping on one side and a secret or scalar on the other compare as wholes.
    const whole = [oldMap, news].some((map) => map[top] !== undefined);
    if (whole && property !== top) continue;
    const old = whole ? displayWhole(oldMap, top) : oldMap[property];
    const next = whole ? displayWhole(news, top) : news[property];
    if (old === next) continue;
    if (action === "create" && SHOWN_WHEN_CHANGED.has(top)) continue;
    changes.push({ property, ...(old === undefined ? {} : { old }), ...(next === undefined ? {} : { new: next }) });
  }
  return changes;
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

export function summaryLine(plan: Plan): string {
  if (!hasChanges(plan)) return "No changes.";
  const parts = (Object.keys(plan.counts) as Action[]).filter((action) => plan.counts[action] > 0).map((action) => `${plan.counts[action]} to ${action}`);
  return `Plan: ${parts.join(", ")}`;
}

function changeText(change: PropertyChange): string {
  if (change.old === undefined) return `${change.property}: ${change.new}`;
  if (change.new === undefined) return `${change.property}: ${change.old} → (removed)`;
  return `${change.property}: ${change.old} → ${change.new}`;
}

export function renderText(plan: Plan): string {
  const lines = [summaryLine(plan)];
  for (const resource of plan.resources) {
    lines.push(`${SYMBOLS[resource.action]} ${resource.kind} ${resource.name} (${resource.action})`);
    for (const change of resource.changes) lines.push(`    ${changeText(change)}`);
    for (const reason of resource.reasons) lines.push(`    why: ${reason}`);
  }
  return lines.join("\n");
}

export function renderMarkdown(plan: Plan): string {
  const lines = [`**${summaryLine(plan)}**`];
  if (hasChanges(plan)) lines.push("");
  for (const resource of plan.resources) {
    lines.push(`- \`${SYMBOLS[resource.action]}\` **${resource.action}** ${resource.kind} \`${resource.name}\``);
    for (const change of resource.changes) lines.push(`  - ${markdownChange(change)}`);
    for (const reason of resource.reasons) lines.push(`  - _why:_ ${reason}`);
  }
  return lines.join("\n");
}

function markdownChange(change: PropertyChange): string {
  const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
  if (change.old === undefined) return `${change.property}: ${code(change.new!)}`;
  if (change.new === undefined) return `${change.property}: ${code(change.old)} → (removed)`;
  return `${change.property}: ${code(change.old)} → ${code(change.new)}`;
}

export function renderJson(plan: Plan): string {
  return JSON.stringify({ changes: hasChanges(plan), summary: plan.counts, resources: plan.resources }, null, 2);
}

export type PlanFormat = "text" | "markdown" | "json";

export function renderPlan(plan: Plan, format: PlanFormat): string {
  if (format === "markdown") return renderMarkdown(plan);
  if (format === "json") return renderJson(plan);
  return renderText(plan);
}
