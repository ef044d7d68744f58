import type { z } from "zod";
import { choiceViolation } from "../provider/domain/rules";
import { isExplained, splitExplanation, yamlKindOf } from "./explain";
import { formatPath, type PathSegment, type Problem } from "./problems";
import type { SourceMap } from "./source-map";

export interface IssueContext {
  file: string;
  /** The loaded YAML document, before validation. */
  document: unknown;
  sourceMap: SourceMap;
  schema: z.core.$ZodType;
}

type Issue = z.core.$ZodIssue;

/** Turns zod issues into located problems, one per unknown key. */
export function issuesToProblems(issues: readonly Issue[], context: IssueContext): Problem[] {
  const misspelt = misspeltKeys(issues, context);
  return issues
    .filter((issue) => !(issue.code === "invalid_type" && misspelt.has(JSON.stringify(issue.path))))
    .flatMap((issue) => issueToProblems(issue, context));
}

/**
 * Paths of required keys that are missing because they were misspelt: the unknown-key problem
 * already says so, so "missing key" would only repeat it.
 */
function misspeltKeys(issues: readonly Issue[], context: IssueContext): Set<string> {
  const paths = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    const allowed = objectKeysAt(context.schema, issue.path as PathSegment[]);
    for (const key of issue.keys) {
      const suggestion = closestTo(key, allowed);
      if (suggestion) paths.add(JSON.stringify([...issue.path, suggestion]));
    }
  }
  return paths;
}

function issueToProblems(issue: Issue, context: IssueContext): Problem[] {
  const path = issue.path.map((segment) => (typeof segment === "symbol" ? String(segment) : segment));
  if (issue.code === "unrecognized_keys") {
    const allowed = objectKeysAt(context.schema, path);
    return issue.keys.map((key) =>
      problemAt(context, [...path], key, `unknown key ${JSON.stringify(key)}`, unknownKeyHint(key, allowed)),
    );
  }
  const { message, hint } = describe(issue, path, context);
  return [problemAt(context, path, undefined, message, hint)];
}

function describe(issue: Issue, path: PathSegment[], context: IssueContext): { message: string; hint?: string } {
  if (isExplained(issue.message)) return splitExplanation(issue.message);
  const value = valueAt(context.document, path);
  if (issue.code === "invalid_type") return describeWrongType(issue.expected, value, path, context);
  if (issue.code === "invalid_value") {
    const options = issue.values.map(String);
    const closest = typeof value === "string" ? closestTo(value, options) : undefined;
    return choiceViolation(options, value, closest) ?? { message: issue.message };
  }
  return { message: issue.message };
}

const EXPECTED_LABELS: Record<string, string> = {
  string: "a string",
  number: "a number",
  boolean: "a boolean",
  object: "a mapping",
  record: "a mapping",
  array: "a list",
};

function describeWrongType(
  expected: string,
  value: unknown,
  path: PathSegment[],
  context: IssueContext,
): { message: string; hint?: string } {
  const last = path[path.length - 1];
  if (value === undefined && typeof last === "string") {
    return { message: `missing key ${JSON.stringify(last)}`, hint: `add ${last}: to this mapping` };
  }
  if (path.length === 0) {
    return {
      message: `expected a mapping at the top level, received ${yamlKindOf(value)}`,
      hint: "a stack file is a mapping with conversations: and optional service:, defaults: and guards: (see examples/minimal.yaml)",
    };
  }
  const message = `expected ${EXPECTED_LABELS[expected] ?? expected}, received ${yamlKindOf(value)}`;
  const lead = typeof last === "number" ? "- " : `${last}: `;
  const scalar = context.sourceMap.nearest(path).source.scalar;
  return { message, hint: wrongTypeHint(expected, value, lead, scalar) };
}

function wrongTypeHint(
  expected: string,
  value: unknown,
  lead: string,
  scalar: { raw: string; plain: boolean } | undefined,
): string | undefined {
  const unset = lead.startsWith("-") ? "remove the item" : "remove the key to leave it unset";
  if (value === null && (expected === "object" || expected === "record")) {
    return `write ${lead}{} for an empty mapping, or add key: value pairs under it`;
  }
  if (value === null && expected === "array") return `write ${lead}[] for an empty list, or add items starting with "- "`;
  if (value === null) return `give it a value, or ${unset}`;
  if (expected === "string" && scalar?.plain && typeof value !== "object") {
    return `quote it: ${lead}${JSON.stringify(scalar.raw)}`;
  }
  if (expected === "boolean" && typeof value === "string") {
    return scalar?.plain
      ? `YAML 1.2 reads ${scalar.raw} as text; write true or false`
      : "write true or false, without quotes";
  }
  if (expected === "object" || expected === "record") return "write it as key: value pairs (a YAML mapping)";
  if (expected === "array") return 'write it as a list, one item per line starting with "- "';
  return undefined;
}

function problemAt(
  context: IssueContext,
  parentPath: PathSegment[],
  key: PathSegment | undefined,
  message: string,
  hint: string | undefined,
): Problem {
  const path = key === undefined ? parentPath : [...parentPath, key];
  const { source } = context.sourceMap.nearest(path);
  const { line, column } = context.sourceMap.position(source.keyOffset ?? source.offset);
  const problem: Problem = { file: context.file, line, column, path: formatPath(path), message };
  if (hint) problem.hint = hint;
  return problem;
}

function valueAt(document: unknown, path: readonly PathSegment[]): unknown {
  let current = document;
  for (const segment of path) {
    if (typeof current !== "object" || current === null) return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return current;
}

function unknownKeyHint(key: string, allowed: string[]): string {
  const closest = closestTo(key, allowed);
  if (closest) return `did you mean ${closest}?`;
  return allowed.length > 0 ? `remove it; keys allowed here: ${allowed.join(", ")}` : "remove it";
}

// Minimal view of zod's internal definitions, enough to follow a path through the schema.
interface SchemaDefinition {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  valueType?: z.core.$ZodType;
  element?: z.core.$ZodType;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  getter?: () => z.core.$ZodType;
}

function definitionOf(schema: z.core.$ZodType): SchemaDefinition {
  return schema._zod.def as unknown as SchemaDefinition;
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    const definition = definitionOf(current);
    const next = definition.innerType ?? definition.in ?? definition.getter?.();
    if (!next) return current;
    current = next;
  }
}

/** Keys an object schema accepts at `path`, for suggesting the closest one to a misspelt key. */
export function objectKeysAt(schema: z.core.$ZodType, path: readonly PathSegment[]): string[] {
  let current: z.core.$ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    const definition = definitionOf(current);
    if (definition.type === "object") current = definition.shape?.[String(segment)];
    else if (definition.type === "record") current = definition.valueType;
    else if (definition.type === "array") current = definition.element;
    else current = undefined;
    if (!current) return [];
    current = unwrap(current);
  }
  const definition = definitionOf(current);
  return definition.type === "object" ? Object.keys(definition.shape ?? {}) : [];
}

function normalized(text: string): string {
  return text.toLowerCase().replace(/[-_\s]/g, "");
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The candidate nearest to `text`, if it is near enough to be a likely misspelling. */
export function closestTo(text: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(normalized(text), normalized(candidate));
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  if (!best) return undefined;
  const tolerance = Math.max(2, Math.floor(best.candidate.length / 3));
  return best.distance <= tolerance ? best.candidate : undefined;
}
