import { describe, expect, it } from "vitest";
import { compactMember, compactMembers, expandMember, expandMembers, sharedOutputs, type MemberRecord } from "../../../provider/domain/member-records";

const BASE = "https://conversations.twilio.com/v1/Conversations/";

/** A member's record as the Conversation provider's create gives it (see conversationOutputs), with its bookkeeping. */
function recorded(sid: string, overrides: Record<string, unknown> = {}): MemberRecord {
  return {
    id: sid,
    outs: {
      resourceName: `group-3-of-40/${sid}`,
      stack: "staging",
      sid,
      accountSid: "AC00000000000000000000000000000000",
      chatServiceSid: "IS00000000000000000000000000000000",
      messagingServiceSid: null,
      friendlyName: `Conversation ${sid}`,
      uniqueName: null,
      attributes: {},
      state: "active",
      timers: null,
      dateCreated: "2026-12-07T12:00:00Z",
      dateUpdated: "2026-12-07T12:00:00Z",
      dateInactive: null,
      dateClosed: null,
      url: `${BASE}${sid}`,
      usesDefaultService: true,
      declaredState: null,
      adopt: "never",
      webhooksEnabled: false,
      adopted: false,
      declared: ["friendlyName"],
      messages: { hello: { sid: `IM${sid}`, index: 0, declared: { author: "system", body: "Hi" }, dateCreated: "2026-12-07T12:00:00Z", dateUpdated: "2026-12-07T12:00:00Z" } },
      participants: {},
      scopedWebhooks: {},
      ...overrides,
    },
  };
}

const size = (value: unknown) => JSON.stringify(value).length;

describe("a group member's record in state: compact, and in full for its provider methods", () => {
  const members = [recorded("CH1"), recorded("CH2", { state: "closed", declaredState: "closed", uniqueName: "desk" }), recorded("CH3", { attributes: { tier: 2 } })];

  it.each<[string, MemberRecord[]]>([
    ["members alike but their SIDs and names", [recorded("CH1"), recorded("CH2"), recorded("CH3")]],
    ["members that differ in state, unique name and attributes", members],
    ["a URL that is not the others' prefix and SID", [recorded("CH1"), recorded("CH2", { url: "https://elsewhere.example/CH2" })]],
    ["a member without an output the others hold (state written before it was recorded)", [recorded("CH1"), { id: "CH2", outs: (({ messagingServiceSid: _gone, ...rest }) => rest)(recorded("CH2").outs) }]],
    ["a single member, which shares nothing", [recorded("CH1")]],
    [
      "dates: all created in one second, one member and one message updated since",
      [
        recorded("CH1"),
        recorded("CH2", { dateUpdated: "2026-12-07T12:05:00Z" }),
        recorded("CH3", { messages: { hello: { sid: "IM3", index: 0, declared: { body: "Hi" }, dateCreated: "2026-12-07T12:00:00Z", dateUpdated: "2026-12-07T12:01:00Z" } } }),
        recorded("CH4", { dateCreated: null, dateUpdated: null, messages: { hello: { sid: "IM4", index: null, declared: { body: "Hi" }, dateCreated: null, dateUpdated: null } } }),
      ],
    ],
    ["an empty group", []],
  ])("expand(compact(x)) gives back x: %s", (_case, records) => {
    const shared = sharedOutputs(records);
    for (const member of records) expect(expandMember(compactMember(member, shared), shared)).toEqual(member);
    const byName = Object.fromEntries(records.map((member) => [member.id, member]));
    const compact = compactMembers(byName);
    expect(expandMembers(compact.members, compact.shared)).toEqual(byName);
  });

  it("holds once what every member holds alike, and each member's URL as the group's prefix", () => {
    const shared = sharedOutputs(members);
    expect(shared.urlPrefix).toBe(BASE);
    expect(shared.values).toMatchObject({ accountSid: "AC00000000000000000000000000000000", chatServiceSid: "IS00000000000000000000000000000000", messagingServiceSid: null, adopt: "never" });
    // What differs stays with each member; the children, which the stack outputs read, always do.
    expect(Object.keys(shared.values)).not.toEqual(expect.arrayContaining(["state", "uniqueName", "attributes", "sid", "messages", "participants"]));
    const compact = compactMember(members[1], shared);
    expect(compact.outs).toMatchObject({ state: "closed", uniqueName: "desk", participants: {} });
    // Its URL is the prefix and its SID, which is its id; its message was not updated since created.
    expect(compact.outs).not.toHaveProperty("url");
    expect(compact.outs).not.toHaveProperty("sid");
    expect((compact.outs.messages as Record<string, object>).hello).not.toHaveProperty("dateUpdated");
    expect(compact.outs).not.toHaveProperty("accountSid");
    // 50 members of a seed: their records in state are about half their full size.
    const seed = Array.from({ length: 50 }, (_, n) => recorded(`CH${n}`));
    const { members: compacted, shared: held } = compactMembers(Object.fromEntries(seed.map((member) => [member.id, member])));
    expect(size(compacted) + size(held)).toBeLessThan(size(seed) * 0.55);
  });

  it("keeps each record as its compact record's text, and reads it back as it reads the compact objects of state written before", () => {
    const byName = { lobby: recorded("CH1"), desk: recorded("CH2", { uniqueName: "desk" }) };
    const kept = compactMembers(byName);
    for (const text of Object.values(kept.members)) expect(typeof text).toBe("string");
    expect(JSON.parse(kept.members.desk)).toEqual(compactMember(byName.desk, kept.shared));
    const asObjects = Object.fromEntries(Object.entries(kept.members).map(([name, text]) => [name, JSON.parse(text) as MemberRecord]));
    expect(expandMembers(asObjects, kept.shared)).toEqual(byName);
    expect(expandMembers(kept.members, kept.shared)).toEqual(byName);
  });

  it("reads a record written whole, before compaction (no shared outputs), as it is", () => {
    const whole = recorded("CH1");
    expect(expandMember(whole, undefined)).toEqual(whole);
    expect(expandMembers({ lobby: whole }, undefined)).toEqual({ lobby: whole });
  });

  it("gives each member its own copy of what they share: a provider method changing one changes no other", () => {
    const shared = sharedOutputs([recorded("CH1"), recorded("CH2")]);
    const first = expandMember(compactMember(recorded("CH1"), shared), shared);
    (first.outs.declared as string[]).push("uniqueName");
    expect(expandMember(compactMember(recorded("CH2"), shared), shared).outs.declared).toEqual(["friendlyName"]);
  });
});
