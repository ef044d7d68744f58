// Stack files come from pull requests. Before the loaded document is validated (or even walked),
// one pass over js-yaml's parser events refuses what would hang, crash or silently change it:
// aliases that expand past a budget or into themselves, keys JavaScript objects cannot hold, and
// numbers JSON cannot carry exactly. The pass never expands an alias, so it is linear in the text.
import {
  EVENT_ID,
  NOT_RESOLVED,
  SCALAR_STYLE,
  floatCoreTag,
  getScalarValue,
  intCoreTag,
  type Event,
  type ScalarEvent,
} from "js-yaml";
import { NON_FINITE_BECOMES, inexactNumberViolation, reservedKeyViolation, type Violation } from "../provider/domain/rules";
import { formatPath, type Problem } from "./problems";
import { startOf, type SourceMap } from "./source-map";

export const ALIAS_LIMITS = {
  /** Values (scalars and collections, keys included) that aliases may add to a document in all. */
  expandedNodes: 100_000,
  /** Nesting once aliases are expanded, as js-yaml's own limit (maxDepth) for written nesting. */
  expandedDepth: 100,
} as const;

interface Shape {
  /** Values in the node once its aliases are expanded, itself included. */
  nodes: number;
  /** Levels of nesting, 1 for a scalar. */
  height: number;
  /** The anchored collection is still being read: an alias to it refers to its own ancestor. */
  open: boolean;
}

interface Frame {
  anchor: string | null;
  shape: Shape;
  mapping: boolean;
  children: number;
}

const INTEGER = /^([-+]?)(0x[0-9a-fA-F]+|0o[0-7]+|0b[01]+|[0-9]+)$/;
const DECIMAL = /^([-+]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([-+]?[0-9]+))?$/;

/** A decimal number's value as text: its sign, significant digits and exponent, e.g. `-123e-2`. */
function decimalValue(text: string): string {
  const [, sign, whole, fraction = "", exponent = "0"] = DECIMAL.exec(text) ?? [];
  const digits = `${whole}${fraction}`.replace(/^0+/, "");
  if (digits === "") return "0";
  const significant = digits.replace(/0+$/, "");
  const scale = BigInt(exponent) - BigInt(fraction.length) + BigInt(digits.length - significant.length);
  return `${sign === "-" ? "-" : ""}${significant}e${scale}`;
}

function writtenInteger(text: string): bigint {
  const [, sign, digits] = INTEGER.exec(text) ?? [];
  return sign === "-" ? -BigInt(digits) : BigInt(digits);
}

/**
 * A numeral too large for a double: js-yaml gives up on it and loads the text (1e400 arrives as
 * "1e400"), where YAML and every other reader see a number. JavaScript reads the same numerals
 * (decimal, exponent, 0x, 0o), so it is asked; but the words Infinity, and 0b…, are text in YAML.
 */
function isNumeralTooLarge(written: string): boolean {
  return Math.abs(Number(written)) === Infinity && !written.endsWith("Infinity") && !written.startsWith("0b");
}

/**
 * What a scalar YAML reads as a number would become on its way to JSON, when that is not what was
 * written. `loaded` is what js-yaml made of it: a number, or the text when it made none (E3,
 * 1_000 and v1.2 are text to YAML too, and stay as written).
 */
export function numberAlteration(written: string, loaded: unknown): string | undefined {
  if (typeof loaded !== "number") return isNumeralTooLarge(written) ? "text, as it is too large for a number" : undefined;
  if (!Number.isFinite(loaded)) return NON_FINITE_BECOMES;
  const exact = INTEGER.test(written)
    ? writtenInteger(written) === BigInt(loaded)
    : decimalValue(written) === decimalValue(String(loaded));
  return exact ? undefined : String(loaded);
}

const INT_TAGS = new Set(["!!int", `!<${intCoreTag.tagName}>`]);
const FLOAT_TAGS = new Set(["!!float", `!<${floatCoreTag.tagName}>`]);

/**
 * What js-yaml loads from a scalar that YAML reads as a number (a plain scalar, or one tagged
 * !!int or !!float): the number, or the text itself when js-yaml could not make it one. Undefined
 * for any other scalar.
 */
function loadedNumber(text: string, event: ScalarEvent, value: string): unknown {
  const tag = event.tagStart < 0 ? "" : text.slice(event.tagStart, event.tagEnd);
  let loaded: unknown;
  if (INT_TAGS.has(tag)) loaded = intCoreTag.resolve(value, true, intCoreTag.tagName);
  else if (FLOAT_TAGS.has(tag)) loaded = floatCoreTag.resolve(value, true, floatCoreTag.tagName);
  else if (tag !== "" || event.style !== SCALAR_STYLE.PLAIN) return undefined;
  else {
    const integer = intCoreTag.resolve(value, false, intCoreTag.tagName);
    loaded = integer !== NOT_RESOLVED ? integer : floatCoreTag.resolve(value, false, floatCoreTag.tagName);
  }
  return loaded === NOT_RESOLVED ? value : loaded;
}

function numberViolation(text: string, event: ScalarEvent): Violation | undefined {
  const value = getScalarValue(text, event);
  const loaded = loadedNumber(text, event, value);
  if (loaded === undefined) return undefined;
  const alteration = numberAlteration(value, loaded);
  if (!alteration) return undefined;
  return inexactNumberViolation(value, alteration);
}

/** Problems that must stop a stack file before its document is used at all, in text order. */
export function hostileYamlProblems(text: string, events: readonly Event[], file: string, sourceMap: SourceMap): Problem[] {
  const problems: Problem[] = [];
  /** `node` is where the source map knows the node; an alias is shown at its `*`. */
  const report = (node: number, violation: Violation, shownAt = node) => {
    const { line, column } = sourceMap.position(shownAt);
    const path = sourceMap.pathAt(node);
    problems.push({ file, line, column, path: path ? formatPath(path) : "", ...violation });
  };

  const anchors = new Map<string, Shape>();
  const frames: Frame[] = [];
  let aliasNodes = 0;
  let overBudget = false;
  const addToParent = (shape: Shape) => {
    const parent = frames[frames.length - 1];
    if (!parent) return;
    parent.shape.nodes += shape.nodes;
    parent.shape.height = Math.max(parent.shape.height, shape.height + 1);
    parent.children++;
  };
  const anchorOf = (event: { anchorStart: number; anchorEnd: number }) =>
    event.anchorStart < 0 ? null : text.slice(event.anchorStart, event.anchorEnd);

  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const shape = { nodes: 1, height: 1, open: true };
        const anchor = anchorOf(event);
        if (anchor !== null) anchors.set(anchor, shape);
        frames.push({ anchor, shape, mapping: event.type === EVENT_ID.MAPPING, children: 0 });
        break;
      }
      case EVENT_ID.POP: {
        const frame = frames.pop();
        if (!frame) break;
        frame.shape.open = false;
        addToParent(frame.shape);
        break;
      }
      case EVENT_ID.SCALAR: {
        const parent = frames[frames.length - 1];
        const isKey = parent?.mapping === true && parent.children % 2 === 0;
        const reserved = isKey ? reservedKeyViolation(getScalarValue(text, event)) : undefined;
        const violation = reserved ?? numberViolation(text, event);
        if (violation) report(startOf(event), violation);
        const shape = { nodes: 1, height: 1, open: false };
        const anchor = anchorOf(event);
        if (anchor !== null) anchors.set(anchor, shape);
        addToParent(shape);
        break;
      }
      case EVENT_ID.ALIAS: {
        const name = text.slice(event.anchorStart, event.anchorEnd);
        const shape = anchors.get(name);
        // js-yaml has refused an alias to an unknown anchor already.
        if (!shape) break;
        if (shape.open) {
          report(
            event.anchorStart,
            {
              message: `the alias *${name} refers to a node that contains it, so its value would never end`,
              hint: `write the values out instead of referring back to an enclosing &${name}`,
            },
            event.anchorStart - 1,
          );
          addToParent({ nodes: 1, height: 1, open: false });
          break;
        }
        aliasNodes += shape.nodes;
        const depth = frames.length + shape.height;
        if (!overBudget && (aliasNodes > ALIAS_LIMITS.expandedNodes || depth > ALIAS_LIMITS.expandedDepth)) {
          overBudget = true;
          const excess =
            aliasNodes > ALIAS_LIMITS.expandedNodes
              ? `expand the document by more than ${ALIAS_LIMITS.expandedNodes} values`
              : `nest the document more than ${ALIAS_LIMITS.expandedDepth} levels deep`;
          report(
            event.anchorStart,
            {
              message: `aliases up to *${name} ${excess}`,
              hint: "aliases that repeat other aliases multiply; write the values out, or reuse them fewer times",
            },
            event.anchorStart - 1,
          );
        }
        addToParent(shape);
        break;
      }
    }
  }
  return problems;
}
