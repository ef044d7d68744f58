import { describe, expect, it } from "vitest";
import { changedConversationProperties, declaredService, diffConversation } from "../../../provider/diff/conversation";
import { UNKNOWN } from "../../../provider/domain/unknown";
import { CONVERSATION_PROPERTIES } from "../../../provider/domain/properties";
import { normalizeConversationInputs, type ConversationInputs, type ConversationOutputs } from "../../../provider/resources/conversation-model";
import { nothingAnswered } from "../../support/rows";
import { declaredThread, type DeclaredThread, type RecordedThread } from "../../../provider/resources/thread-model";

const IS = "IS" + "a".repeat(32);
const IS_DEFAULT = "IS" + "d".repeat(32);
const IS_OTHER = "IS" + "b".repeat(32);
const MG = "MG" + "e".repeat(32);

const olds: ConversationOutputs = {
  ...nothingAnswered(CONVERSATION_PROPERTIES),
  resourceName: "support",
  sid: "CH" + "c".repeat(32),
  accountSid: "AC" + "0".repeat(32),
  chatServiceSid: IS_DEFAULT,
  usesDefaultService: true,
  uniqueName: "support-1",
  friendlyName: "Support",
  state: "active",
  declaredState: "active",
  attributes: { team: "a", tier: 1 },
  messagingServiceSid: MG,
  bindings: { email: { address: "support@example.com", name: null } },
  timers: { inactive: "PT1M", closed: "PT10M" },
  dateInactive: "2024-02-01T00:00:00Z",
  dateClosed: "2024-02-02T00:00:00Z",
  dateCreated: "2024-01-31T09:30:00Z",
  dateUpdated: "2024-01-31T09:30:00Z",
  adopt: "never",
  adopted: false,
  webhooksEnabled: false,
  declared: ["uniqueName", "friendlyName", "state", "timers", "attributes", "messagingServiceSid"],
};

const news: ConversationInputs = normalizeConversationInputs({
  resourceName: "support",
  uniqueName: "support-1",
  friendlyName: "Support",
  state: "active",
  timers: { inactive: "PT1M", closed: "PT10M" },
  attributes: { tier: 1, team: "a" },
  messagingServiceSid: MG,
  bindings: { email: { address: "support@example.com" } },
});

const scoped = { ...olds, chatServiceSid: IS, usesDefaultService: false };

describe("diffConversation", () => {
  it.each<[string, Partial<ConversationOutputs>, Partial<ConversationInputs>, { changes: boolean; replaces: string[] }]>([
    ["nothing changed (attributes in another key order)", {}, {}, { changes: false, replaces: [] }],
    ["timers spelled differently: PT60S == PT1M", {}, { timers: { inactive: "PT60S", closed: "PT600S" } }, { changes: false, replaces: [] }],
    ["timers changed", {}, { timers: { inactive: "PT2M", closed: "PT10M" } }, { changes: true, replaces: [] }],
    ["one timer left out is unmanaged", {}, { timers: { inactive: null, closed: "PT10M" } }, { changes: false, replaces: [] }],
    ["email name Twilio holds none of, left out: unmanaged", {}, { bindings: { email: { address: "support@example.com" } } }, { changes: false, replaces: [] }],
    ["email name declared", {}, { bindings: { email: { address: "support@example.com", name: "Support" } } }, { changes: true, replaces: [] }],
    ["email address changed", {}, { bindings: { email: { address: "help@example.com" } } }, { changes: true, replaces: [] }],
    ["bindings left out: unmanaged", {}, { bindings: null }, { changes: false, replaces: [] }],
    ["bindings unknown in preview", {}, { bindings: UNKNOWN as never }, { changes: true, replaces: [] }],
    ["timers added where none were", { timers: null }, { timers: { inactive: "PT5M", closed: null } }, { changes: true, replaces: [] }],
    ["timers left out", {}, { timers: null }, { changes: false, replaces: [] }],
    ["friendly name changed", {}, { friendlyName: "Help" }, { changes: true, replaces: [] }],
    ["friendly name left out is unmanaged", {}, { friendlyName: null }, { changes: false, replaces: [] }],
    ["unique name changed is an update", {}, { uniqueName: "support-2" }, { changes: true, replaces: [] }],
    ["state changed", {}, { state: "inactive" }, { changes: true, replaces: [] }],
    ["attributes value changed", {}, { attributes: { team: "b", tier: 1 } }, { changes: true, replaces: [] }],
    ["attributes unknown", {}, { attributes: UNKNOWN as never }, { changes: true, replaces: [] }],
    ["friendly name unknown", {}, { friendlyName: UNKNOWN }, { changes: true, replaces: [] }],
    ["a whole-timers unknown", {}, { timers: UNKNOWN as never }, { changes: true, replaces: [] }],
    ["one timer unknown", {}, { timers: { inactive: UNKNOWN, closed: "PT10M" } }, { changes: true, replaces: [] }],
    ["messaging service changed", {}, { messagingServiceSid: "MG" + "f".repeat(32) }, { changes: true, replaces: [] }],
    // Held as 2024-01-31T09:30:00Z: compared as instants, to the second Twilio keeps.
    ["creation date as held, with a fraction Twilio drops", {}, { dateCreated: "2024-01-31T09:30:00.400Z" }, { changes: false, replaces: [] }],
    ["creation date backdated: updated in place", {}, { dateCreated: "2023-06-01T08:00:00Z" }, { changes: true, replaces: [] }],
    ["creation date left out is unmanaged", {}, { dateCreated: null }, { changes: false, replaces: [] }],
    ["creation date unknown", {}, { dateCreated: UNKNOWN }, { changes: true, replaces: [] }],
    ["adopt changed: recorded only", {}, { adopt: "ifExists" }, { changes: true, replaces: [] }],
    ["webhooksEnabled changed: recorded only", {}, { webhooksEnabled: true }, { changes: true, replaces: [] }],
    // The service.
    ["default service stays default", {}, { chatServiceSid: null }, { changes: false, replaces: [] }],
    ["default service → named service", {}, { chatServiceSid: IS }, { changes: true, replaces: ["chatServiceSid"] }],
    ["declaring the default service's SID explicitly is a move", {}, { chatServiceSid: IS_DEFAULT }, { changes: true, replaces: ["chatServiceSid"] }],
    ["named service unchanged", scoped, { chatServiceSid: IS }, { changes: false, replaces: [] }],
    ["named service → another", scoped, { chatServiceSid: IS_OTHER }, { changes: true, replaces: ["chatServiceSid"] }],
    ["named service → default", scoped, { chatServiceSid: null }, { changes: true, replaces: ["chatServiceSid"] }],
    ["unknown service", scoped, { chatServiceSid: UNKNOWN }, { changes: true, replaces: ["chatServiceSid"] }],
  ])("%s", (_name, oldPatch, newPatch, expected) => {
    expect(diffConversation({ ...olds, ...oldPatch }, { ...news, ...newPatch })).toEqual(expected);
  });
});

describe("diffConversation: the seed thread", () => {
  const HX = "HX" + "1".repeat(32);
  const thread = declaredThread([
    { key: "hello", body: "Hi" },
    { key: "card", contentSid: HX },
    { key: "bye", body: "Bye", attributes: { a: 1 } },
  ]);
  const recorded: RecordedThread = Object.fromEntries(
    Object.entries(thread).map(([key, declared], index) => [
      key,
      { sid: `IM${String(index).padStart(32, "0")}`, index, declared, dateCreated: "2024-03-01T09:00:00Z", dateUpdated: "2024-03-01T09:00:00Z" },
    ]),
  );
  const seeded = { ...olds, messages: recorded };

  it.each<[string, ConversationOutputs, DeclaredThread | undefined, boolean]>([
    ["the same thread", seeded, thread, false],
    ["the same thread, attributes in another key order", seeded, { ...thread, bye: { after: "card", attributes: { a: 1 }, body: "Bye" } }, false],
    ["a body edited", seeded, { ...thread, bye: { ...thread.bye, body: "Goodbye" } }, true],
    // A message re-created is part of the conversation's in-place update, never a replacement of it.
    ["a contentSid changed", seeded, { ...thread, card: { after: "hello", contentSid: "HX" + "2".repeat(32) } }, true],
    ["a message added", seeded, { ...thread, later: { after: "bye", body: "Later" } }, true],
    ["a message removed", seeded, { hello: thread.hello, bye: { ...thread.bye, after: "hello" } }, true],
    ["every message removed", seeded, {}, true],
    ["inputs that declare no thread (as stored: no messages input)", seeded, undefined, true],
    ["no thread, none declared", { ...olds, messages: {} }, {}, false],
    ["a thread declared where none was", { ...olds, messages: {} }, thread, true],
    ["state from per-message resources, a thread declared: taken over", olds, thread, true],
    ["state from per-message resources, no thread declared", olds, {}, false],
    ["the thread unknown (preview)", seeded, UNKNOWN as unknown as DeclaredThread, true],
    ["a body unknown (preview)", seeded, { ...thread, hello: { body: UNKNOWN } }, true],
  ])("%s", (_name, previous, messages, changes) => {
    expect(diffConversation(previous, { ...news, messages: messages as DeclaredThread })).toEqual({ changes, replaces: [] });
  });
});

describe("changedConversationProperties", () => {
  it("names exactly the changed properties", () => {
    expect(
      changedConversationProperties(olds, {
        ...news,
        friendlyName: "Help",
        attributes: { team: "a", tier: 2 },
        timers: { inactive: "PT1M", closed: "P1D" },
        bindings: { email: { address: "support@example.com", name: "Support" } },
        dateCreated: "2023-06-01T08:00:00Z",
        adopt: "ifExists",
      }),
    ).toEqual(["friendlyName", "attributes", "bindings", "dateCreated", "timers"]);
  });

  it("a property Twilio no longer holds is set again", () => {
    expect(changedConversationProperties({ ...olds, friendlyName: null, attributes: null }, news)).toEqual(["friendlyName", "attributes"]);
  });
});

describe("declaredService", () => {
  it.each([
    [true, IS_DEFAULT, null],
    [false, IS, IS],
  ])("usesDefaultService %s, chatServiceSid %s → %s", (usesDefaultService, chatServiceSid, expected) => {
    expect(declaredService({ ...olds, usesDefaultService, chatServiceSid })).toBe(expected);
  });
});
