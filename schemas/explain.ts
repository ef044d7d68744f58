// Zod carries one message per issue; stack-file problems have a message and a hint. The schema
// joins the two with a NUL separator and the loader splits them. Values from the file are always
// quoted with JSON.stringify inside messages, which escapes a NUL, so the split is unambiguous.
import type { z } from "zod";
import type { Violation } from "../provider/domain/rules";

const HINT_SEPARATOR = "\u0000hint:";

export function explain(message: string, hint: string): string {
  return `${message}${HINT_SEPARATOR}${hint}`;
}

export function splitExplanation(text: string): { message: string; hint?: string } {
  const at = text.indexOf(HINT_SEPARATOR);
  if (at < 0) return { message: text };
  return { message: text.slice(0, at), hint: text.slice(at + HINT_SEPARATOR.length) };
}

export function isExplained(text: string): boolean {
  return text.includes(HINT_SEPARATOR);
}

/** A value's kind in YAML words, for "expected …, received …" messages. */
export function yamlKindOf(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "number") return "a number";
  if (typeof value === "boolean") return "a boolean";
  if (typeof value === "string") return "a string";
  return typeof value;
}

/** Where a rule reports: the context of a zod refinement. */
export type Issues = z.core.$RefinementCtx;

/** Reports a rule's violation at `path` below the value being refined, with its hint. */
export function report(ctx: Issues, path: (string | number)[], violation: Violation): void {
  ctx.addIssue({ code: "custom", path, message: explain(violation.message, violation.hint) });
}

/** A YAML mapping read from the file (cross-field rules read the raw input defensively). */
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
