import { EVENT_ID, SCALAR_STYLE, getScalarValue, type Event, type ScalarEvent } from "js-yaml";
import type { PathSegment } from "./problems";

/** Where one node of the document sits in the text (0-based offsets). */
export interface NodeSource {
  /** Start of the key that names this node in its parent mapping; absent for list items and the root. */
  keyOffset?: number;
  /** Start of the node itself (its anchor or tag when it has one). */
  offset: number;
  /** Present when the node is a scalar: its source text and whether it was written without quotes. */
  scalar?: { raw: string; plain: boolean };
}

export interface Position {
  line: number;
  column: number;
  offset: number;
}

export interface SourceMap {
  /** The node at `path`, or the nearest parent that exists in the text. */
  nearest(path: readonly PathSegment[]): { path: readonly PathSegment[]; source: NodeSource };
  /** The path of the node or key that starts at `offset`, if any. */
  pathAt(offset: number): readonly PathSegment[] | undefined;
  /** 1-based line and column of a text offset. */
  position(offset: number): Position;
}

type Container =
  | { kind: "mapping"; path: PathSegment[]; pendingKey: { name: string; offset: number } | null }
  | { kind: "sequence"; path: PathSegment[]; nextIndex: number };

function pathKey(path: readonly PathSegment[]): string {
  return JSON.stringify(path);
}

/** Where a node starts in the text, as the source map records it. */
export function startOf(event: Exclude<Event, { type: 1 | 6 }>): number {
  const starts = [event.anchorStart, event.type === EVENT_ID.ALIAS ? -1 : event.tagStart];
  if (event.type === EVENT_ID.SCALAR) {
    const quoted = event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
    // A quoted scalar's value starts after its opening quote; point at the quote.
    starts.push(quoted ? event.valueStart - 1 : event.valueStart);
  }
  if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) starts.push(event.start);
  const present = starts.filter((offset) => offset >= 0);
  return present.length > 0 ? Math.min(...present) : 0;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/**
 * The source map of a text, built the first time a problem asks where something is: a valid
 * file (the program loads one on every run) never builds it. At 2,000 conversations it is a map of
 * some 60,000 paths, which the program held for nothing.
 */
export function sourceMapWhenAsked(text: string, events: readonly Event[]): SourceMap {
  let built: SourceMap | undefined;
  const map = () => (built ??= buildSourceMap(text, events));
  return { nearest: (path) => map().nearest(path), pathAt: (offset) => map().pathAt(offset), position: (offset) => map().position(offset) };
}

/**
 * Maps every path of the first document to its place in the text, from js-yaml's parser events
 * (offsets for every mapping, sequence and scalar), so that problems found on the loaded value can
 * be shown at a line and column.
 */
export function buildSourceMap(text: string, events: readonly Event[]): SourceMap {
  const nodes = new Map<string, NodeSource>();
  const stack: Container[] = [];
  let documentsSeen = 0;

  const place = (event: Exclude<Event, { type: 1 | 6 }>): PathSegment[] | null => {
    const parent = stack[stack.length - 1];
    const offset = startOf(event);
    const scalar =
      event.type === EVENT_ID.SCALAR
        ? { raw: text.slice(event.valueStart, event.valueEnd), plain: event.style === SCALAR_STYLE.PLAIN }
        : undefined;
    if (!parent) {
      nodes.set(pathKey([]), { offset, scalar });
      return [];
    }
    if (parent.kind === "sequence") {
      const path = [...parent.path, parent.nextIndex++];
      nodes.set(pathKey(path), { offset, scalar });
      return path;
    }
    if (parent.pendingKey === null) {
      const name = event.type === EVENT_ID.SCALAR ? getScalarValue(text, event as ScalarEvent) : "?";
      parent.pendingKey = { name, offset };
      return null;
    }
    const path = [...parent.path, parent.pendingKey.name];
    nodes.set(pathKey(path), { keyOffset: parent.pendingKey.offset, offset, scalar });
    parent.pendingKey = null;
    return path;
  };

  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        documentsSeen++;
        break;
      case EVENT_ID.POP:
        stack.pop();
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        if (documentsSeen > 1) break;
        const path = place(event);
        // A collection used as a mapping key gets no path; its children are not addressable.
        const where = path ?? ["?"];
        stack.push(
          event.type === EVENT_ID.MAPPING
            ? { kind: "mapping", path: where, pendingKey: null }
            : { kind: "sequence", path: where, nextIndex: 0 },
        );
        break;
      }
      default:
        if (documentsSeen <= 1) place(event);
    }
  }

  const starts = lineStarts(text);
  const position = (offset: number): Position => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - starts[low] + 1, offset };
  };

  const nearest = (path: readonly PathSegment[]) => {
    for (let length = path.length; length > 0; length--) {
      const source = nodes.get(pathKey(path.slice(0, length)));
      if (source) return { path: path.slice(0, length), source };
    }
    return { path: [], source: nodes.get(pathKey([])) ?? { offset: 0 } };
  };

  // A block mapping starts where its first key does: a key at the offset names the deeper node.
  const pathAt = (offset: number) => {
    let found: PathSegment[] | undefined;
    for (const [key, source] of nodes) {
      if (source.keyOffset === offset) return JSON.parse(key) as PathSegment[];
      if (source.offset !== offset) continue;
      const path = JSON.parse(key) as PathSegment[];
      if (!found || path.length > found.length) found = path;
    }
    return found;
  };

  return { nearest, pathAt, position };
}
