// A plan as JSON, for tools.
import { type Plan, hasChanges } from "./model";

export function renderJson(plan: Plan): string {
  const drift = plan.drift ? { drift: true, ...(plan.unnamed ? { unnamed: plan.unnamed } : {}) } : {};
  return JSON.stringify({ ...drift, changes: hasChanges(plan), summary: plan.counts, resources: plan.resources }, null, 2);
}
