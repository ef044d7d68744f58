// Grouped seeding (`seeding: { groups: G }`): which group resource holds each conversation.
//
// A conversation's group is a stable hash of its logical name into G buckets, G declared by the
// user alone (not "N per group": a bucket count derived from the number of conversations would
// move conversations between groups whenever one is added). The count of conversations never
// enters it: adding or removing one conversation changes exactly one group (the one its name
// hashes to), and every other conversation stays where it was. Changing G moves most
// conversations between groups: it is a change of the stack file as a whole.

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

/** A group resource's name: `<prefix>group-<bucket>`. */
export function groupResourceName(prefix: string, index: number): string {
  return `${prefix}group-${index}`;
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
  return `${groupName.replace(/group-\d+$/, "")}${logicalName}`;
}
