// A plan in the format asked for, and the one entry point of provider/plan for the command line
// and tests: preview.ts makes a plan of `preview --json`, drift.ts a drift report of
// `refresh --preview-only --json`; text.ts, markdown.ts and json.ts render either.
import type { Plan } from "./model";
import { renderText } from "./text";
import { renderMarkdown } from "./markdown";
import { renderJson } from "./json";

export type { Action, EngineEvent, EventState, Plan, PlannedResource, PreviewJson, PreviewStep, PropertyChange, ResourceKind } from "./model";
export { hasChanges } from "./model";
export { planFromPreview } from "./preview";
export { planFromRefresh } from "./drift";
export { renderText, summaryLine } from "./text";
export { renderMarkdown } from "./markdown";
export { renderJson } from "./json";

export type PlanFormat = "text" | "markdown" | "json";

export function renderPlan(plan: Plan, format: PlanFormat): string {
  if (format === "markdown") return renderMarkdown(plan);
  if (format === "json") return renderJson(plan);
  return renderText(plan);
}
