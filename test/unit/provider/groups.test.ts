import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { groupIndex, groupResourceName, groupsOf, memberResourceName, nameHash, ownResourceName } from "../../../provider/domain/groups";
import { memberStep, type MemberStep } from "../../../provider/resources/group-provider";

const names = (count: number) => Array.from({ length: count }, (_, position) => `conversation-${position}`);

/** The buckets whose members differ between two groupings. */
function changedGroups(before: Map<number, string[]>, after: Map<number, string[]>): number[] {
  const buckets = new Set([...before.keys(), ...after.keys()]);
  return [...buckets].filter((bucket) => JSON.stringify([...(before.get(bucket) ?? [])].sort()) !== JSON.stringify([...(after.get(bucket) ?? [])].sort()));
}

describe("grouped seeding: a conversation's group", () => {
  it("is FNV-1a of the name's UTF-8 bytes (stable across runs and machines)", () => {
    // Published FNV-1a 32-bit test vectors.
    expect(nameHash("")).toBe(0x811c9dc5);
    expect(nameHash("a")).toBe(0xe40c292c);
    expect(nameHash("foobar")).toBe(0xbf9cf968);
  });

  it.each([
    [1, 10],
    [4, 50],
    [40, 2000],
    [7, 3],
  ])("with %i groups and %i conversations, adding or removing any one conversation changes exactly one group", (groups, count) => {
    const before = groupsOf(names(count), groups);
    const added = `added-${count}`;
    expect(changedGroups(before, groupsOf([...names(count), added], groups))).toEqual([groupIndex(added, groups)]);
    for (const removed of [names(count)[0], names(count)[count - 1]]) {
      const after = groupsOf(names(count).filter((name) => name !== removed), groups);
      expect(changedGroups(before, after)).toEqual([groupIndex(removed, groups)]);
    }
  });

  it("spreads names over every bucket, none far above its share", () => {
    const grouped = groupsOf(names(2000), 40);
    expect(grouped.size).toBe(40);
    for (const members of grouped.values()) expect(members.length).toBeLessThan(2 * (2000 / 40));
  });

  it("names a group resource by its bucket, under the placement's prefix; a member under its group, and its own resource's name back", () => {
    expect(groupResourceName("", 3)).toBe("group-3");
    expect(groupResourceName("staging/", 0)).toBe("staging/group-0");
    expect(memberResourceName("staging/group-0", "lobby")).toBe("staging/group-0/lobby");
    expect(ownResourceName("staging/group-0", "lobby")).toBe("staging/lobby");
    expect(ownResourceName("group-12", "group-7")).toBe("group-7");
  });
});

describe("a member's step in a group's update", () => {
  it.each([
    [true, false, null, "delete"],
    [false, true, null, "create"],
    [true, true, { changes: false }, "keep"],
    [true, true, { changes: true }, "update"],
    [true, true, { changes: true, replaces: ["chatServiceSid"] }, "replace"],
    [true, true, { changes: true, replaces: [] }, "update"],
  ] as Array<[boolean, boolean, pulumi.dynamic.DiffResult | null, MemberStep]>)("recorded %s, declared %s, diff %j: %s", (recorded, declared, diff, step) => {
    expect(memberStep(recorded, declared, diff)).toBe(step);
  });
});
