// `refresh --preview-only --json` (with its engine event log) as a drift report: what Twilio holds
// now against what the last `up` recorded, independent of the stack file.
import { CHILD_KINDS, type ChildKind, type RecordedChildren } from "../resources/children-model";
import type { RecordedThread } from "../resources/thread-model";
import { planNames } from "./names";
import { type Action, type EngineEvent, type EventState, type Plan, type PlannedResource, type PreviewJson, type PropertyChange, countsOf } from "./model";
import { HIDDEN, SHOWN_WHEN_CHANGED, changesBetween, inFileWords, isChildren, isThread, withoutLink } from "./changes";
import { groupOf, kindOf, sectionOf } from "./kinds";

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
