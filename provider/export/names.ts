// Logical names for exported objects: readable (from a uniqueName, identity or friendlyName),
// valid as stack-file keys, and unique within their mapping, the same on every export.

const MAX_KEY = 63;

/**
 * `text` as a key: lower case, every run of other characters one hyphen, at most 63 characters.
 * `letterFirst` keys (participants, webhooks, messages) start with a letter: `prefix-` is put
 * before one that would not. An empty result is the prefix alone.
 */
export function slug(text: string, prefix: string, letterFirst = false): string {
  const body = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (body === "") return prefix;
  const named = letterFirst && !/^[a-z]/.test(body) ? `${prefix}-${body}` : body;
  return named.slice(0, MAX_KEY).replace(/-+$/, "");
}

export interface NameRequest {
  /** The readable name wanted. */
  base: string;
  /** Orders the objects that want the same name: the first keeps it (e.g. the creation date, then the SID). */
  order: string;
}

/**
 * One name per request, in the requests' order: each object's own base where no other wants it;
 * among those that want the same one, the first by `order` keeps it and the others take `-2`,
 * `-3`… (skipping any name another object has), so adding an unrelated object renames nobody.
 */
export function uniqueNames(requests: readonly NameRequest[]): string[] {
  const taken = new Set(requests.map((request) => request.base));
  const byOrder = requests.map((request, position) => ({ ...request, position })).sort((a, b) => compare(a.base, b.base) || compare(a.order, b.order) || a.position - b.position);
  const names: string[] = new Array(requests.length);
  const given = new Set<string>();
  for (const { base, position } of byOrder) {
    let name = base;
    for (let suffix = 2; given.has(name) || (name !== base && taken.has(name)); suffix++) {
      const tail = `-${suffix}`;
      name = base.slice(0, MAX_KEY - tail.length).replace(/-+$/, "") + tail;
    }
    given.add(name);
    names[position] = name;
  }
  return names;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
