import { describe, expect, it } from "vitest";
import type { ObservedConversation } from "../../../provider/client/wire";
import { CONVERSATION_PROPERTIES, declaredProperties, sent } from "../../../provider/domain/properties";
import { UNKNOWN } from "../../../provider/domain/unknown";
import { nothingAnswered } from "../../support/rows";
import type { RecordedThread } from "../../../provider/resources/thread-model";
import {
  conversationOutputs,
  creationFields,
  lastObserved,
  normalizeConversationInputs,
  refreshedConversation,
  refreshedConversationInputs,
  updateFields,
  type ConversationInputs,
} from "../../../provider/resources/conversation-model";

const IS = "IS" + "a".repeat(32);
const IS_DEFAULT = "IS" + "d".repeat(32);
const CH = "CH" + "c".repeat(32);
const MG = "MG" + "e".repeat(32);

/** Fails with the path of the first `undefined` found (Pulumi refuses undefined in outputs). */
function expectNoUndefined(value: unknown, path = "$"): void {
  expect(value, path).not.toBeUndefined();
  if (Array.isArray(value)) value.forEach((item, index) => expectNoUndefined(item, `${path}[${index}]`));
  else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) expectNoUndefined(item, `${path}.${key}`);
  }
}

const sparse = normalizeConversationInputs({ resourceName: "bare" });

const full = normalizeConversationInputs({
  resourceName: "support",
  chatServiceSid: IS,
  uniqueName: "support-1",
  friendlyName: "Support",
  state: "active",
  timers: { inactive: "PT1M", closed: "PT10M" },
  attributes: { team: "a" },
  messagingServiceSid: MG,
  bindings: { email: { address: "support@example.com" } },
  adopt: "ifExists",
  webhooksEnabled: true,
});

const observed: ObservedConversation = {
  ...nothingAnswered(CONVERSATION_PROPERTIES),
  sid: CH,
  accountSid: "AC" + "0".repeat(32),
  chatServiceSid: IS_DEFAULT,
  state: "active",
  attributes: {},
  dateCreated: "2024-01-31T09:30:00Z",
  dateUpdated: "2024-01-31T09:30:00Z",
};

describe("normalizeConversationInputs", () => {
  it("fills every property, null when not declared, but those with a default", () => {
    const everyRowUndeclared = Object.fromEntries(declaredProperties(CONVERSATION_PROPERTIES).map((property) => [property, null]));
    expect(sparse).toEqual({
      ...everyRowUndeclared,
      resourceName: "bare",
      adopt: "never",
      webhooksEnabled: false,
      messages: {},
      participants: {},
      scopedWebhooks: {},
    });
  });

  it.each<[string, unknown, unknown]>([
    ["no thread", undefined, {}],
    ["null", null, {}],
    ["a thread, as given", { hello: { body: "Hi" }, bye: { after: "hello", body: "Bye" } }, { hello: { body: "Hi" }, bye: { after: "hello", body: "Bye" } }],
    ["unknown (preview)", UNKNOWN, UNKNOWN],
  ])("messages: %s", (_name, messages, expected) => {
    expect(normalizeConversationInputs({ resourceName: "t", messages }).messages).toEqual(expected);
  });

  it.each([
    ["one timer", { inactive: "PT1M" }, { inactive: "PT1M", closed: null }],
    ["explicit nulls", { inactive: null, closed: "P1D" }, { inactive: null, closed: "P1D" }],
    ["null", null, null],
  ])("timers: %s", (_name, timers, expected) => {
    expect(normalizeConversationInputs({ timers }).timers).toEqual(expected);
  });

  it.each([
    [true, true],
    [false, false],
    ["true", false],
    [undefined, false],
  ])("webhooksEnabled %j → %s", (value, expected) => {
    expect(normalizeConversationInputs({ webhooksEnabled: value }).webhooksEnabled).toBe(expected);
  });
});

describe("creationFields", () => {
  const inputs = (patch: Partial<ConversationInputs>): ConversationInputs => ({ ...sparse, ...patch });

  it.each<[string, Partial<ConversationInputs>, string | null, boolean]>([
    ["nothing declared", {}, null, false],
    ["active", { state: "active" }, "active", false],
    ["inactive", { state: "inactive" }, "inactive", false],
    ["closed: create active, then close", { state: "closed" }, "active", true],
    ["timers without state: State=active (Twilio refuses timers alone)", { timers: { inactive: "PT5M", closed: null } }, "active", false],
    ["timers with inactive state", { state: "inactive", timers: { inactive: "PT5M", closed: null } }, "inactive", false],
    ["timers and closed", { state: "closed", timers: { inactive: null, closed: "PT10M" } }, "active", true],
  ])("%s", (_name, patch, state, thenClose) => {
    const result = creationFields(inputs(patch));
    expect(result.create.state).toBe(state);
    expect(result.thenClose).toBe(thenClose);
  });

  it("sends every declared property on create, and null for every other one Twilio's form takes", () => {
    const everyRowUnsent = Object.fromEntries(sent(CONVERSATION_PROPERTIES).map((property) => [property, null]));
    expect(creationFields(full).create).toEqual({
      ...everyRowUnsent,
      uniqueName: "support-1",
      friendlyName: "Support",
      state: "active",
      timers: { inactive: "PT1M", closed: "PT10M" },
      attributes: { team: "a" },
      messagingServiceSid: MG,
      bindings: { email: { address: "support@example.com" } },
    });
  });
});

describe("updateFields", () => {
  it.each<[string[], object]>([
    [[], {}],
    [["friendlyName"], { friendlyName: "Support" }],
    [["timers", "attributes"], { timers: { inactive: "PT1M", closed: "PT10M" }, attributes: { team: "a" } }],
    [["state"], { state: "active" }],
    [["bindings"], { bindings: { email: { address: "support@example.com" } } }],
  ])("changed %j → %j", (changed, expected) => {
    expect(updateFields(full, changed)).toEqual(expected);
  });
});

describe("conversationOutputs", () => {
  it("has no undefined anywhere, for sparse inputs and a sparse answer", () => {
    const outputs = conversationOutputs(sparse, { ...observed, chatServiceSid: null, state: null, attributes: null }, false);
    expectNoUndefined(outputs);
    expect(outputs.declared).toEqual([]);
    expect(outputs.usesDefaultService).toBe(true);
    expect(outputs.timers).toBeNull();
  });

  it("records Twilio's answer, the declared timers and what was declared", () => {
    const outputs = conversationOutputs(full, { ...observed, chatServiceSid: IS, uniqueName: "support-1" }, true);
    expectNoUndefined(outputs);
    expect(outputs).toMatchObject({
      sid: CH,
      chatServiceSid: IS,
      usesDefaultService: false,
      uniqueName: "support-1",
      timers: { inactive: "PT1M", closed: "PT10M" },
      adopt: "ifExists",
      adopted: true,
      webhooksEnabled: true,
      declared: ["uniqueName", "friendlyName", "state", "timers", "attributes", "messagingServiceSid", "bindings"],
    });
  });

  it("default service: records the default service's SID Twilio answered", () => {
    const outputs = conversationOutputs(sparse, observed, false);
    expect(outputs.chatServiceSid).toBe(IS_DEFAULT);
    expect(outputs.usesDefaultService).toBe(true);
  });

  it("lastObserved gives back what was observed", () => {
    expect(lastObserved(conversationOutputs(sparse, observed, false))).toEqual(observed);
  });

  it("lastObserved of state written before a property was recorded gives null for it, never undefined (Pulumi refuses undefined in outputs)", () => {
    const { bindings: _notYetRecorded, ...earlier } = conversationOutputs(sparse, observed, false);
    const outputs = conversationOutputs(sparse, lastObserved(earlier as ReturnType<typeof conversationOutputs>), false);
    expectNoUndefined(outputs);
    expect(outputs.bindings).toBeNull();
  });
});

describe("refresh", () => {
  const outputs = conversationOutputs(
    normalizeConversationInputs({ resourceName: "support", friendlyName: "Support", timers: { inactive: "PT1M" } }),
    { ...observed, friendlyName: "Support", dateInactive: "2024-02-01T00:00:00Z" },
    false,
  );

  it("follows Twilio and keeps the declared timers while Twilio shows timers", () => {
    const refreshed = refreshedConversation(outputs, { ...observed, friendlyName: "Renamed", dateInactive: "2024-02-03T00:00:00Z" });
    expectNoUndefined(refreshed);
    expect(refreshed.friendlyName).toBe("Renamed");
    expect(refreshed.timers).toEqual({ inactive: "PT1M", closed: null });
    expect(refreshed.dateInactive).toBe("2024-02-03T00:00:00Z");
  });

  it("drops the declared timers when Twilio shows none", () => {
    expect(refreshedConversation(outputs, observed).timers).toBeNull();
  });

  it("refreshed inputs keep only the declared properties, at Twilio's values", () => {
    const refreshed = refreshedConversation(outputs, {
      ...observed,
      friendlyName: "Renamed",
      uniqueName: "someone-else-set-this",
      attributes: { x: 1 },
      dateInactive: "2024-02-03T00:00:00Z",
    });
    const inputs = refreshedConversationInputs(refreshed);
    expectNoUndefined(inputs);
    // As the program declares them: no explicit nulls, no defaults.
    expect(inputs).toEqual({ resourceName: "support", friendlyName: "Renamed", timers: { inactive: "PT1M", closed: null } });
  });

  it("refreshed inputs hold the thread as Twilio holds it, by key, links included; none when there is no thread", () => {
    const thread: RecordedThread = {
      hello: { sid: "IM" + "1".repeat(32), index: 0, declared: { author: "ada", body: "Edited outside" }, dateCreated: "2024-03-01T09:00:00Z", dateUpdated: "2024-03-01T09:00:00Z" },
      bye: { sid: "IM" + "2".repeat(32), index: 1, declared: { after: "hello", body: "Bye", subject: "S" }, dateCreated: "2024-03-01T09:01:00Z", dateUpdated: "2024-03-01T09:01:00Z" },
    };
    const seeded = conversationOutputs(normalizeConversationInputs({ resourceName: "support" }), observed, false, thread);
    expect(seeded.messages).toBe(thread);
    expect(refreshedConversationInputs(seeded)).toEqual({
      resourceName: "support",
      messages: { hello: { author: "ada", body: "Edited outside" }, bye: { after: "hello", body: "Bye", subject: "S" } },
    });
    expect(refreshedConversationInputs({ ...seeded, messages: {} })).not.toHaveProperty("messages");
    expect(refreshedConversationInputs({ ...seeded, messages: undefined })).not.toHaveProperty("messages");
  });

  it("outputs record an empty thread when none is given", () => {
    expect(conversationOutputs(sparse, observed, false).messages).toEqual({});
  });

  it("refreshed inputs keep a named service", () => {
    const scoped = conversationOutputs(full, { ...observed, chatServiceSid: IS }, false);
    expect(refreshedConversationInputs(refreshedConversation(scoped, { ...observed, chatServiceSid: IS })).chatServiceSid).toBe(IS);
  });
});
