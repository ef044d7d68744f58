// Grouped seeding (`seeding: { groups: G }`): which group resource holds each conversation.
//
// A conversation's group is a stable hash of its logical name into G buckets, G declared by the
// user alone (not "N per group": a bucket count derived from the number of conversations would
// move conversations between groups whenever one is added). The count of conversations never
// enters it: adding or removing one conversation changes exactly one group (the one its name
// hashes to), and every other conversation stays where it was. Changing G moves most
// conversations between groups: the groups' names hold G, so that every group of the old count is
// removed and every group of the new one is new. The engine deletes removed resources after it
// has created and updated the others: each new group has taken its conversations over (by their
// unique names) before an old group's delete, which spares what another holds, runs.

/** FNV-1a, 32 bits, over the name's UTF-8 bytes: stable across machines, runs and Node versions. */
export function nameHash(name: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(name, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The bucket (0 … groups − 1) that holds the conversation of this logical name. */
export function groupIndex(logicalName: string, groups: number): number {
  return nameHash(logicalName) % groups;
}

/** A group resource's name: `<prefix>group-<bucket>-of-<groups>`. */
export function groupResourceName(prefix: string, index: number, groups: number): string {
  return `${prefix}group-${index}-of-${groups}`;
}

/** The logical names in each non-empty bucket, by bucket, in the order given. */
export function groupsOf(logicalNames: readonly string[], groups: number): Map<number, string[]> {
  const byBucket = new Map<number, string[]>();
  for (const name of logicalNames) {
    const bucket = groupIndex(name, groups);
    byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), name]);
  }
  return byBucket;
}

/**
 * A member's name, as its provider methods see it (journal key, claims, errors): `<group>/<logical
 * name>`. Distinct from the name of the conversation's own resource (`<prefix><logical name>`), so
 * that when a stack switches modes the claims tell the new holder from the removed one.
 */
export function memberResourceName(groupName: string, logicalName: string): string {
  return `${groupName}/${logicalName}`;
}

/** The name a member's conversation has as a resource of its own: the group's prefix and its logical name. */
export function ownResourceName(groupName: string, logicalName: string): string {
  return `${groupName.replace(/group-\d+(?:-of-\d+)?$/, "")}${logicalName}`;
}

/** A conversation declared under a new logical name (`renamedFrom`), and the unique name it has. */
export interface Rename {
  name: string;
  renamedFrom: string;
  uniqueName: string | null;
}

/** What a group is told of renames: the members it continues under a new name, and what it gives away. */
export interface GroupRenames {
  /** A member declared under a new name → the name it had: the group's record under that name is its. */
  renamedFrom: Record<string, string>;
  /**
   * A name this group's bucket held, now declared under a name another group holds → that name and
   * the unique name by which the other group takes the conversation over: this group drops its
   * record without deleting the conversation.
   */
  renamedAway: Record<string, { to: string; uniqueName: string | null }>;
}

/**
 * Each bucket's renames (only buckets that have any). A rename within a bucket moves the record
 * inside its group; across buckets, the new name's group takes the conversation over by its
 * unique name and the previous name's group gives it away.
 */
export function groupRenames(renames: readonly Rename[], groups: number): Map<number, GroupRenames> {
  const byBucket = new Map<number, GroupRenames>();
  const of = (bucket: number) => byBucket.get(bucket) ?? byBucket.set(bucket, { renamedFrom: {}, renamedAway: {} }).get(bucket)!;
  for (const { name, renamedFrom, uniqueName } of renames) {
    const to = groupIndex(name, groups);
    const from = groupIndex(renamedFrom, groups);
    of(to).renamedFrom[name] = renamedFrom;
    if (from !== to) of(from).renamedAway[renamedFrom] = { to: name, uniqueName };
  }
  return byBucket;
}

/**
 * Which record each declared member continues (by the name it is recorded under: its own, or the
 * one it was renamed from when the group records that one and no longer declares it; null: none),
 * and the recorded names no declared member continues. Pure.
 */
export function memberRecords(recorded: readonly string[], declared: readonly string[], renamedFrom: Readonly<Record<string, string>>): { continues: Record<string, string | null>; left: string[] } {
  const held = new Set(recorded);
  const declaredNames = new Set(declared);
  const continues: Record<string, string | null> = {};
  for (const name of declared) {
    const previous = renamedFrom[name];
    continues[name] = held.has(name) ? name : previous !== undefined && held.has(previous) && !declaredNames.has(previous) ? previous : null;
  }
  const taken = new Set(Object.values(continues));
  return { continues, left: recorded.filter((name) => !taken.has(name)) };
}
