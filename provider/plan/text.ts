// A plan as text: a summary line, then a line per resource with its changes and reasons.
import { type Action, type Plan, type PropertyChange, hasChanges } from "./model";

export const SYMBOLS: Record<Action, string> = { create: "+", update: "~", replace: "+-", delete: "-", move: "~", rename: "~", output: "~" };

/** What a drift report calls an object changed in Twilio (`update`) or deleted there (`delete`). */
const DRIFT_LABELS: Partial<Record<Action, string>> = { update: "changed", delete: "gone" };

/** Actions told in more words than their name: on a resource's line, and in the summary. */
const LABELS: Partial<Record<Action, { line: string; summary: string }>> = {
  move: { line: "moved into its conversation's resource; no request to Twilio", summary: "move into their conversation's resource" },
  rename: { line: "renamed, recorded in state, no request to Twilio", summary: "rename in the stack's state" },
  output: { line: "stack output, recorded in state, no request to Twilio", summary: "change in the stack's outputs" },
};

export function label(plan: Plan, action: Action): string {
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
