// Values as a reviewer reads them: nested mappings flattened to the stack file's dotted names,
// secrets masked, values preview cannot know yet shown as such, and what differs between two sets.
import type { DeclaredMessage } from "../resources/thread-model";
import type { PropertyChange } from "./model";

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

/**
 * Inputs that are the provider's bookkeeping, never something the stack file says; and a
 * conversation's `messages`, planned message by message instead.
 */
export const HIDDEN = new Set(["__provider", "messages", "participants", "scopedWebhooks", "resourceName", "stack", "settingsNamespace", "afterSid", "afterIndex", "conversationState", "declared", "conversationSid"]);
/** Shown only when they change (a create lists what is declared, and these are defaults). */
export const SHOWN_WHEN_CHANGED = new Set(["adopt", "webhooksEnabled", "deleteWithConversations"]);

export function isThread(value: unknown): value is Record<string, Record<string, unknown>> {
  if (value === null || typeof value !== "object" || Array.isArray(value) || isSecret(value)) return false;
  return Object.values(value).every((message) => message !== null && typeof message === "object" && !Array.isArray(message) && !isSecret(message));
}

export function isChildren(value: unknown): value is Record<string, Record<string, unknown>> {
  return isThread(value);
}

/**
 * A property as the stack file names it, by its table's row: a participant's `roleSid` is its
 * `role`, a service configuration's `defaultConversationRoleSid` its `defaultConversationRole`.
 */
export function yamlOf(table: Readonly<Record<string, object>>, path: string): string {
  const [top, ...rest] = path.split(".");
  const yaml = (table[top] as { yaml?: unknown } | undefined)?.yaml;
  return [typeof yaml === "string" ? yaml : top, ...rest].join(".");
}

export function inFileWords(table: Readonly<Record<string, object>>, changes: PropertyChange[]): PropertyChange[] {
  return changes.map((change) => ({ ...change, property: yamlOf(table, change.property) }));
}

export function withoutLink(message: DeclaredMessage): Record<string, unknown> {
  const { after: _after, ...fields } = message;
  return fields;
}

/** Each property (flattened, as the stack file nests it) that differs between two sets of values. */
export function changesBetween(before: Record<string, unknown>, after: Record<string, unknown>): PropertyChange[] {
  const old = flatten(before);
  const next = flatten(after);
  const changes: PropertyChange[] = [];
  for (const property of new Set([...Object.keys(old), ...Object.keys(next)])) {
    const change = changeBetween(property, old, next);
    if (change) changes.push(change);
  }
  return changes;
}

/**
 * How a property differs between two flattened states, if it does. A mapping on one side and a
 * secret or scalar on the other compare as wholes: the property's dotted parts are then skipped.
 */
export function changeBetween(property: string, before: Record<string, string>, after: Record<string, string>): PropertyChange | undefined {
  const top = property.split(".")[0];
  const whole = [before, after].some((map) => map[top] !== undefined);
  if (whole && property !== top) return undefined;
  const old = whole ? displayWhole(before, top) : before[property];
  const next = whole ? displayWhole(after, top) : after[property];
  if (old === next) return undefined;
  return { property, ...(old === undefined ? {} : { old }), ...(next === undefined ? {} : { new: next }) };
}

/** Nested mappings become dotted names, as a reader finds them in the stack file; nulls are "not set". */
export function flatten(value: Record<string, unknown>, prefix = ""): Record<string, string> {
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

export function isSecret(value: unknown): boolean {
  return value === "[secret]" || (typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIGNATURE] !== undefined);
}

export function display(value: unknown): string {
  if (value === UNKNOWN) return "(known after apply)";
  return JSON.stringify(value);
}
