// A plan as Markdown, for a pull-request comment.
import { type Plan, type PropertyChange, hasChanges } from "./model";
import { SYMBOLS, label, summaryLine } from "./text";

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
