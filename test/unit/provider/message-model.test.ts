import { describe, expect, it } from "vitest";
import type { ObservedMessage } from "../../../provider/client/wire";
import {
  conversationStateToRestore,
  creationFields,
  messageOutputs,
  normalizeMessageInputs,
  recordedMessageOutputs,
  refreshedMessage,
  refreshedMessageInputs,
  stateToRestoreAfterSeeding,
  updateFields,
} from "../../../provider/resources/message-model";

const CH = "CH" + "b".repeat(32);
const IM = "IM" + "c".repeat(32);
const ME = "ME" + "d".repeat(32);
const HX = "HX" + "f".repeat(32);

function expectNoUndefined(value: unknown, path = "$"): void {
  expect(value, path).not.toBeUndefined();
  if (Array.isArray(value)) value.forEach((item, index) => expectNoUndefined(item, `${path}[${index}]`));
  else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) expectNoUndefined(item, `${path}.${key}`);
  }
}

const sparse = normalizeMessageInputs({ resourceName: "hello", conversationSid: CH, body: "hi" });
const full = normalizeMessageInputs({
  resourceName: "welcome",
  conversationSid: CH,
  author: "alice",
  body: "hello",
  attributes: { a: 1 },
  mediaSid: ME,
  subject: "Hi",
  dateCreated: "2024-01-31T09:30:00Z",
  dateUpdated: "2024-01-31T09:31:00Z",
  afterIndex: 2,
  webhooksEnabled: true,
});

const observed: ObservedMessage = {
  sid: IM,
  accountSid: "AC" + "0".repeat(32),
  conversationSid: CH,
  index: 3,
  author: "system",
  body: "hi",
  attributes: {},
  mediaSid: null,
  contentSid: null,
  dateCreated: "2024-01-31T09:30:00Z",
  dateUpdated: "2024-01-31T09:30:00Z",
  url: null,
};

describe("normalizeMessageInputs", () => {
  it("fills every property, null when not declared", () => {
    expect(sparse).toEqual({
      resourceName: "hello",
      chatServiceSid: null,
      conversationSid: CH,
      author: null,
      body: "hi",
      attributes: null,
      mediaSid: null,
      contentSid: null,
      contentVariables: null,
      subject: null,
      dateCreated: null,
      dateUpdated: null,
      afterSid: null,
      afterIndex: null,
      conversationState: null,
      webhooksEnabled: false,
    });
  });

  it("keeps afterIndex 0", () => {
    expect(normalizeMessageInputs({ conversationSid: CH, afterIndex: 0 }).afterIndex).toBe(0);
  });
});

describe("creationFields and updateFields", () => {
  it("sends every declared property on create", () => {
    expect(creationFields({ ...sparse, contentSid: HX, body: null, contentVariables: { "1": "x" } })).toEqual({
      author: null,
      body: null,
      attributes: null,
      mediaSid: null,
      contentSid: HX,
      contentVariables: { "1": "x" },
      subject: null,
      dateCreated: null,
      dateUpdated: null,
    });
  });

  it.each<[string, string[], object]>([
    ["only the changed property", ["body"], { body: "hello", dateUpdated: "2024-01-31T09:31:00Z" }],
    ["declared dateUpdated is always re-sent", [], { dateUpdated: "2024-01-31T09:31:00Z" }],
    ["several", ["author", "attributes"], { author: "alice", attributes: { a: 1 }, dateUpdated: "2024-01-31T09:31:00Z" }],
  ])("declared dateUpdated: %s", (_name, changed, expected) => {
    expect(updateFields(full, changed)).toEqual(expected);
  });

  it.each<[string[], object]>([
    [["body"], { body: "hi" }],
    [[], {}],
  ])("no dateUpdated declared: changed %j → %j", (changed, expected) => {
    expect(updateFields(sparse, changed)).toEqual(expected);
  });
});

describe("messageOutputs", () => {
  it("has no undefined anywhere, for sparse inputs and a sparse answer", () => {
    const outputs = messageOutputs(sparse, { ...observed, conversationSid: null, index: null, attributes: null, dateUpdated: null });
    expectNoUndefined(outputs);
    expect(outputs.conversationSid).toBe(CH);
    expect(outputs.declared).toEqual(["body"]);
  });

  it("keeps what Twilio does not return as declared", () => {
    const outputs = messageOutputs(
      { ...full, mediaSid: null, body: null, contentSid: HX, contentVariables: { "1": "Alice" } },
      { ...observed, contentSid: HX },
    );
    expectNoUndefined(outputs);
    expect(outputs).toMatchObject({
      contentSid: HX,
      contentVariables: { "1": "Alice" },
      subject: "Hi",
      afterIndex: 2,
      webhooksEnabled: true,
      index: 3,
      declared: ["author", "attributes", "subject", "dateCreated", "dateUpdated"],
    });
  });

  it("records the media SID Twilio answered, or the declared one", () => {
    expect(messageOutputs(full, { ...observed, mediaSid: ME }).mediaSid).toBe(ME);
    expect(messageOutputs(full, observed).mediaSid).toBe(ME);
    expect(messageOutputs(sparse, observed).mediaSid).toBeNull();
  });
});

describe("setting the conversation back after seeding", () => {
  it.each<[string | null, string | null]>([
    ["inactive", "inactive"],
    ["active", null],
    ["closed", null],
    [null, null],
  ])("declared %s: restores %s", (conversationState, restored) => {
    expect(stateToRestoreAfterSeeding({ ...sparse, conversationState })).toBe(restored);
  });

  it.each<[string | null, string | null, string | null]>([
    ["inactive", "inactive", "inactive"],
    ["inactive", "active", null],
    [null, "inactive", null],
  ])("unfinished %s, declared %s now: an update sends %s", (pending, declared, sent) => {
    const olds = { ...messageOutputs(sparse, observed), conversationStateToRestore: pending };
    expect(conversationStateToRestore(olds, { ...sparse, conversationState: declared })).toBe(sent);
  });

  it("an update that sends nothing for the message records the new inputs and clears the unfinished step", () => {
    const olds = { ...messageOutputs(sparse, observed), conversationState: "inactive", conversationStateToRestore: "inactive" };
    const outs = recordedMessageOutputs(olds, { ...sparse, resourceName: "renamed", conversationState: "active", webhooksEnabled: true });
    expect(outs).toEqual({ ...olds, resourceName: "renamed", conversationState: "active", conversationStateToRestore: null, webhooksEnabled: true });
  });
});

describe("refresh", () => {
  const outputs = messageOutputs(sparse, observed);

  it("follows Twilio", () => {
    const refreshed = refreshedMessage(outputs, { ...observed, body: "edited", index: 7, author: "bob" });
    expectNoUndefined(refreshed);
    expect(refreshed).toMatchObject({ body: "edited", index: 7, author: "bob", sid: IM });
  });

  it("refreshed inputs keep only the declared properties, at Twilio's values", () => {
    const refreshed = refreshedMessage(outputs, { ...observed, body: "edited", author: "bob", attributes: { x: 1 } });
    const inputs = refreshedMessageInputs(refreshed);
    expectNoUndefined(inputs);
    // As the program declares them: no explicit nulls, no defaults.
    expect(inputs).toEqual({ resourceName: "hello", conversationSid: CH, body: "edited" });
  });

  it("refreshed inputs keep the declared conversationState, so the next plan shows no change", () => {
    const declaredInactive = messageOutputs({ ...sparse, conversationState: "inactive" }, observed);
    expect(refreshedMessageInputs(refreshedMessage(declaredInactive, observed)).conversationState).toBe("inactive");
  });
});
