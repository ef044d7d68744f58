/** One thing wrong with a stack file, located for a person reading it in an editor. */
export interface Problem {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Where in the document, e.g. `conversations.support.messages[0].author`; empty for the file itself. */
  path: string;
  /** What is wrong. */
  message: string;
  /** How to fix it. */
  hint?: string;
  /** A warning leaves the file valid: it is shown, and `validate` still passes. */
  severity?: "warning";
}

export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

/** `["conversations", "a", "messages", 0]` → `conversations.a.messages[0]`; odd keys are quoted. */
export function formatPath(segments: readonly PathSegment[]): string {
  let text = "";
  for (const segment of segments) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

export function compareProblems(a: Problem, b: Problem): number {
  return (
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    a.path.localeCompare(b.path) ||
    a.message.localeCompare(b.message)
  );
}

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line, i) => (i === 0 ? line : `${prefix}${line}`))
    .join("\n");
}

function renderProblem(problem: Problem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  const lines = [problem.path ? `${where} ${problem.path}` : where];
  lines.push(`  ${problem.severity === "warning" ? "⚠" : "✖"} ${indent(problem.message, "    ")}`);
  if (problem.hint) lines.push(`  hint: ${indent(problem.hint, "        ")}`);
  return lines.join("\n");
}

/** "1 problem", "3 problems": the count printed under rendered problems. */
export function problemCount(problems: readonly Problem[]): string {
  return `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
}

/** The one renderer for stack-file problems: sorted by position, a blank line between problems. */
export function renderProblems(problems: readonly Problem[]): string {
  return [...problems].sort(compareProblems).map(renderProblem).join("\n\n");
}

/** The problems as `npm run validate` prints them: rendered, then their count. */
export function renderProblemReport(problems: readonly Problem[]): string {
  return `${renderProblems(problems)}\n\n${problemCount(problems)}`;
}
