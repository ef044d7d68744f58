// What a plan is: the resources that change, each by the name the stack file gives it, with the
// declared properties that change and why; and the parts of the engine's JSON and event log read
// to make one (preview.ts from `preview --json`, drift.ts from `refresh --preview-only --json`).
import type { ENVIRONMENT_KINDS, EnvironmentKindName } from "../domain/environment";

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
  /**
   * Grouped seeding: a conversation moving from one holder to another (a group, or its own
   * resource): the URN it leaves, whether it moves for a rename (adopted by its uniqueName, with
   * any change) or for a change of holder alone (taken over by its uniqueName only as Twilio holds
   * it), and whether the new holder takes it over rather than making it anew.
   */
  move?: { from: string; renamed: boolean; takenOver: boolean };
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

export function countsOf(resources: PlannedResource[]): Record<Action, number> {
  const counts: Record<Action, number> = { create: 0, update: 0, replace: 0, delete: 0, move: 0, rename: 0, output: 0 };
  for (const resource of resources) counts[resource.action]++;
  return counts;
}

export function hasChanges(plan: Plan): boolean {
  return plan.resources.length > 0 || (plan.unnamed ?? 0) > 0;
}
