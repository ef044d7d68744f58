// Cursor pagination. A page token names the sort key of the item at the page boundary, so pages
// stay correct when items are created or deleted between page requests.
import { errors } from "./errors";

export type SortKey = readonly [number, number];

interface Cursor {
  key: SortKey;
  /** "n": items after the key; "p": the page that ends just before the key. */
  direction: "n" | "p";
}

export interface PageQuery {
  size: number;
  page: number;
  token?: string;
}

export interface PageResult<T> {
  items: T[];
  nextToken: string | null;
  previousToken: string | null;
}

export function encodeToken(cursor: Cursor): string {
  return "PT" + Buffer.from(JSON.stringify([cursor.direction, ...cursor.key])).toString("base64url");
}

export function decodeToken(token: string): Cursor {
  try {
    if (!token.startsWith("PT")) throw new Error("prefix");
    const decoded: unknown = JSON.parse(Buffer.from(token.slice(2), "base64url").toString("utf8"));
    if (
      Array.isArray(decoded) &&
      decoded.length === 3 &&
      (decoded[0] === "n" || decoded[0] === "p") &&
      Number.isFinite(decoded[1]) &&
      Number.isFinite(decoded[2])
    ) {
      return { direction: decoded[0], key: [decoded[1], decoded[2]] };
    }
  } catch {
    // fall through to the Twilio error below
  }
  throw errors.invalidPageToken();
}

function compareKeys(a: SortKey, b: SortKey): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** First position whose item comes after `key` in list order (items are sorted in list order). */
function firstAfter<T>(items: readonly T[], keyOf: (item: T) => SortKey, key: SortKey, descending: boolean): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const order = compareKeys(keyOf(items[middle]), key);
    const after = descending ? order < 0 : order > 0;
    if (after) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** First position whose item is at or after `key` in list order. */
function firstAtOrAfter<T>(items: readonly T[], keyOf: (item: T) => SortKey, key: SortKey, descending: boolean): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const order = compareKeys(keyOf(items[middle]), key);
    const atOrAfter = descending ? order <= 0 : order >= 0;
    if (atOrAfter) high = middle;
    else low = middle + 1;
  }
  return low;
}

export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => SortKey,
  descending: boolean,
  query: PageQuery,
): PageResult<T> {
  let start = 0;
  let end = Math.min(items.length, query.size);
  if (query.token !== undefined) {
    const cursor = decodeToken(query.token);
    if (cursor.direction === "n") {
      start = firstAfter(items, keyOf, cursor.key, descending);
      end = Math.min(items.length, start + query.size);
    } else {
      end = firstAtOrAfter(items, keyOf, cursor.key, descending);
      start = Math.max(0, end - query.size);
    }
  }
  const page = items.slice(start, end);
  return {
    items: page,
    nextToken: end < items.length && page.length > 0 ? encodeToken({ direction: "n", key: keyOf(page[page.length - 1]) }) : null,
    previousToken: start > 0 && page.length > 0 ? encodeToken({ direction: "p", key: keyOf(page[0]) }) : null,
  };
}
