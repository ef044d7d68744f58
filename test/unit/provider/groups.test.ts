import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { groupIndex, groupRenames, groupResourceName, groupsOf, memberRecords, memberResourceName, nameHash, ownResourceName } from "../../../provider/domain/groups";
import { memberStep, releaseRefusal, type MemberStep, type RecordedMember } from "../../../provider/resources/group-provider";

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
    expect(groupResourceName("", 3, 4)).toBe("group-3-of-4");
    expect(groupResourceName("staging/", 0, 1)).toBe("staging/group-0-of-1");
    expect(ownResourceName("staging/group-0-of-1", "lobby")).toBe("staging/lobby");
    expect(memberResourceName("staging/group-0", "lobby")).toBe("staging/group-0/lobby");
    expect(ownResourceName("staging/group-0", "lobby")).toBe("staging/lobby");
    expect(ownResourceName("group-12", "group-7")).toBe("group-7");
    expect(ownResourceName("group-12-of-40", "group-7-of-4")).toBe("group-7-of-4");
  });

  it("holds the number of groups in a group's name: a change of seeding.groups leaves no group of the old count in place", () => {
    const before = new Set([...groupsOf(names(50), 4).keys()].map((bucket) => groupResourceName("", bucket, 4)));
    const after = [...groupsOf(names(50), 7).keys()].map((bucket) => groupResourceName("", bucket, 7));
    expect(after.filter((name) => before.has(name))).toEqual([]);
  });
});

describe("renames in grouped seeding", () => {
  // With 2 groups: support and hall are in group 0, helpdesk in group 1.
  it("tells a rename within a group to that group alone, and one across groups to both, with the unique name the new group takes it over by", () => {
    expect([groupIndex("support", 2), groupIndex("hall", 2), groupIndex("helpdesk", 2)]).toEqual([0, 0, 1]);
    expect(Object.fromEntries(groupRenames([{ name: "hall", renamedFrom: "support", uniqueName: null }], 2))).toEqual({ 0: { renamedFrom: { hall: "support" }, renamedAway: {} } });
    expect(Object.fromEntries(groupRenames([{ name: "helpdesk", renamedFrom: "support", uniqueName: "desk" }], 2))).toEqual({
      1: { renamedFrom: { helpdesk: "support" }, renamedAway: {} },
      0: { renamedFrom: {}, renamedAway: { support: { to: "helpdesk", uniqueName: "desk" } } },
    });
  });

  it.each<[string, string[], string[], Record<string, string>, Record<string, string | null>, string[]]>([
    ["each declared member continues its own record", ["a", "b"], ["a", "c"], {}, { a: "a", c: null }, ["b"]],
    ["a renamed member continues the record of its previous name", ["a", "b"], ["b2", "a"], { b2: "b" }, { b2: "b", a: "a" }, []],
    ["a member recorded under its new name keeps that record; the previous one is left", ["a", "b"], ["b"], { b: "a" }, { b: "b" }, ["a"]],
    ["a previous name still declared is not taken", ["a"], ["a", "b"], { b: "a" }, { a: "a", b: null }, []],
    ["a previous name this group never recorded: none (another group gives it away)", ["x"], ["b"], { b: "a" }, { b: null }, ["x"]],
  ])("%s", (_name, recorded, declared, renamedFrom, continues, left) => {
    expect(memberRecords(recorded, declared, renamedFrom)).toEqual({ continues, left });
  });

  const member = (uniqueName: string | null): RecordedMember => ({ id: "CH00000000000000000000000000000001", outs: { uniqueName } as unknown as RecordedMember["outs"] });
  it("gives a conversation away to another group only when it holds the unique name that group takes it over by", () => {
    expect(releaseRefusal("support", member("desk"), { to: "helpdesk", uniqueName: "desk" })).toBeNull();
    expect(releaseRefusal("support", member("desk"), { to: "helpdesk", uniqueName: "desk-2" })).toBe(
      'conversation support (CH00000000000000000000000000000001) is renamed helpdesk, which another group takes over by its uniqueName: helpdesk declares uniqueName "desk-2", and it holds "desk"',
    );
    expect(releaseRefusal("support", member(null), { to: "helpdesk", uniqueName: null })).toBe(
      "conversation support (CH00000000000000000000000000000001) is renamed helpdesk, which another group takes over by its uniqueName: helpdesk declares no uniqueName, and it has none",
    );
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

  it("gives a recorded member renamed into another group away instead of deleting it", () => {
    expect(memberStep(true, false, null, true)).toBe("release");
  });
});
