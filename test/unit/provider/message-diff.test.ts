import { describe, expect, it } from "vitest";
import { changedMessageProperties, diffMessage, fallsOutOfOrder } from "../../../provider/diff/message";
import { UNKNOWN } from "../../../provider/domain/unknown";
import type { MessageInputs, MessageOutputs } from "../../../provider/resources/message-model";

const IS = "IS" + "a".repeat(32);
const CH = "CH" + "b".repeat(32);
const ME = "ME" + "d".repeat(32);
const HX = "HX" + "f".repeat(32);

const olds: MessageOutputs = {
  resourceName: "welcome",
  sid: "IM" + "c".repeat(32),
  accountSid: "AC" + "0".repeat(32),
  chatServiceSid: IS,
  conversationSid: CH,
  index: 5,
  author: "alice",
  body: "hello",
  attributes: { a: 1, b: [1, 2] },
  mediaSid: ME,
  contentSid: null,
  contentVariables: null,
  subject: "Hi",
  dateCreated: "2024-01-31T09:30:00Z",
  dateUpdated: "2024-01-31T09:31:00Z",
  url: null,
  afterSid: null,
  afterIndex: 3,
  conversationState: null,
  conversationStateToRestore: null,
  webhooksEnabled: false,
  declared: ["author", "body", "attributes", "subject", "dateCreated", "dateUpdated"],
};

const news: MessageInputs = {
  resourceName: "welcome",
  chatServiceSid: IS,
  conversationSid: CH,
  author: "alice",
  body: "hello",
  attributes: { b: [1, 2], a: 1 },
  mediaSid: ME,
  contentSid: null,
  contentVariables: null,
  subject: "Hi",
  dateCreated: "2024-01-31T10:30:00+01:00",
  dateUpdated: "2024-01-31T09:31:00.000Z",
  afterSid: null,
  afterIndex: 3,
  conversationState: null,
  webhooksEnabled: false,
};

const templated = { ...olds, mediaSid: null, body: null, contentSid: HX, contentVariables: { "1": "Alice", "2": "Bob" } };
const templatedNews = { ...news, mediaSid: null, body: null, contentSid: HX, contentVariables: { "2": "Bob", "1": "Alice" } };

describe("diffMessage", () => {
  it.each<[string, Partial<MessageOutputs>, Partial<MessageInputs>, { changes: boolean; replaces: string[] }]>([
    ["nothing changed (key order, same instants)", {}, {}, { changes: false, replaces: [] }],
    ["body changed", {}, { body: "hi" }, { changes: true, replaces: [] }],
    ["body left out is unmanaged", {}, { body: null }, { changes: false, replaces: [] }],
    ["attributes changed", {}, { attributes: { a: 2, b: [1, 2] } }, { changes: true, replaces: [] }],
    ["attributes array order changed", {}, { attributes: { a: 1, b: [2, 1] } }, { changes: true, replaces: [] }],
    ["dateCreated moved", {}, { dateCreated: "2024-01-30T09:30:00Z" }, { changes: true, replaces: [] }],
    ["dateCreated with sub-second precision Twilio drops", {}, { dateCreated: "2024-01-31T09:30:00.400Z" }, { changes: false, replaces: [] }],
    ["subject changed", {}, { subject: "Hello" }, { changes: true, replaces: [] }],
    ["author unknown", {}, { author: UNKNOWN }, { changes: true, replaces: [] }],
    ["webhooksEnabled changed", {}, { webhooksEnabled: true }, { changes: true, replaces: [] }],
    ["conversation's declared state changed (recorded, for refresh)", {}, { conversationState: "inactive" }, { changes: true, replaces: [] }],
    ["declared state unrecorded in outputs written before it was kept", { conversationState: undefined }, { conversationState: "inactive" }, { changes: false, replaces: [] }],
    ["setting the conversation back to inactive is unfinished", { conversationState: "inactive", conversationStateToRestore: "inactive" }, { conversationState: "inactive" }, { changes: true, replaces: [] }],
    // Create-only properties.
    ["service changed", {}, { chatServiceSid: "IS" + "9".repeat(32) }, { changes: true, replaces: ["chatServiceSid"] }],
    ["service unknown", {}, { chatServiceSid: UNKNOWN }, { changes: true, replaces: ["chatServiceSid"] }],
    ["service removed", {}, { chatServiceSid: null }, { changes: true, replaces: ["chatServiceSid"] }],
    ["conversation changed", {}, { conversationSid: "CH" + "9".repeat(32) }, { changes: true, replaces: ["conversationSid"] }],
    ["conversation unknown (its conversation is being re-created)", {}, { conversationSid: UNKNOWN }, { changes: true, replaces: ["conversationSid"] }],
    ["media changed", {}, { mediaSid: "ME" + "9".repeat(32) }, { changes: true, replaces: ["mediaSid"] }],
    ["media removed", {}, { mediaSid: null }, { changes: true, replaces: ["mediaSid"] }],
    // afterIndex.
    ["afterIndex changed but still before", {}, { afterIndex: 4 }, { changes: true, replaces: [] }],
    ["afterIndex now after this message", {}, { afterIndex: 7 }, { changes: true, replaces: ["afterIndex"] }],
    ["afterIndex equal to this message's index", {}, { afterIndex: 5 }, { changes: true, replaces: ["afterIndex"] }],
    ["afterIndex unknown", {}, { afterIndex: UNKNOWN as never }, { changes: true, replaces: ["afterIndex"] }],
    ["afterIndex removed", {}, { afterIndex: null }, { changes: true, replaces: [] }],
  ])("%s", (_name, oldPatch, newPatch, expected) => {
    expect(diffMessage({ ...olds, ...oldPatch }, { ...news, ...newPatch })).toEqual(expected);
  });

  it.each<[string, Partial<MessageInputs>, { changes: boolean; replaces: string[] }]>([
    ["unchanged template (variables in another order)", {}, { changes: false, replaces: [] }],
    ["content SID changed", { contentSid: "HX" + "9".repeat(32) }, { changes: true, replaces: ["contentSid"] }],
    ["a variable changed", { contentVariables: { "1": "Alice", "2": "Carol" } }, { changes: true, replaces: ["contentVariables"] }],
    ["a variable removed", { contentVariables: { "1": "Alice" } }, { changes: true, replaces: ["contentVariables"] }],
    ["variables removed", { contentVariables: null }, { changes: true, replaces: ["contentVariables"] }],
    ["variables unknown", { contentVariables: { "1": UNKNOWN, "2": "Bob" } }, { changes: true, replaces: ["contentVariables"] }],
  ])("templates: %s", (_name, newPatch, expected) => {
    expect(diffMessage(templated, { ...templatedNews, ...newPatch })).toEqual(expected);
  });

  it("lists several replacing properties together", () => {
    expect(diffMessage(olds, { ...news, conversationSid: UNKNOWN, mediaSid: null, afterIndex: 9 }).replaces).toEqual([
      "conversationSid",
      "mediaSid",
      "afterIndex",
    ]);
  });
});

describe("fallsOutOfOrder", () => {
  it.each<[number | null, unknown, boolean]>([
    [5, null, false],
    [5, 4, false],
    [5, 5, true],
    [5, 6, true],
    [null, 6, false],
    [5, UNKNOWN, true],
    [0, 0, true],
  ])("index %j, afterIndex %j → %s", (index, afterIndex, expected) => {
    expect(fallsOutOfOrder({ ...olds, index }, { ...news, afterIndex: afterIndex as number | null })).toBe(expected);
  });
});

describe("changedMessageProperties", () => {
  it("names exactly the updatable properties that changed", () => {
    expect(
      changedMessageProperties(olds, {
        ...news,
        body: "bye",
        dateUpdated: "2024-02-01T00:00:00Z",
        mediaSid: null,
        afterIndex: 4,
      }),
    ).toEqual(["body", "dateUpdated"]);
  });
});

describe("the message it follows, by SID", () => {
  const base = { ...olds, index: 5, afterSid: "IM00000000000000000000000000000004", afterIndex: 4 };
  const same = { ...news, afterSid: "IM00000000000000000000000000000004", afterIndex: 4 };

  it("stays put while it follows the same message, even when that message's index is unknown (it is being edited)", () => {
    expect(diffMessage(base, { ...same, afterIndex: UNKNOWN as never })).toEqual({ changes: false, replaces: [] });
  });

  it("is re-created when the message it follows is being re-created (SID unknown)", () => {
    expect(diffMessage(base, { ...same, afterSid: UNKNOWN, afterIndex: UNKNOWN as never }).replaces).toEqual(["afterIndex"]);
  });

  it("stays put when the message before it was removed and it now follows an earlier one", () => {
    expect(diffMessage(base, { ...same, afterSid: "IM00000000000000000000000000000002", afterIndex: 2 })).toEqual({
      changes: true,
      replaces: [],
    });
  });

  it("is re-created when a message inserted before it sits later in the thread", () => {
    expect(diffMessage(base, { ...same, afterSid: "IM00000000000000000000000000000009", afterIndex: 9 }).replaces).toEqual(["afterIndex"]);
  });
});
