import { describe, expect, it } from "vitest";
import {
  conversationForm,
  conversationPath,
  conversationsPath,
  messageForm,
  messagesPath,
  observedConversation,
  observedMessage,
  twilioDate,
} from "../../../provider/client/wire";
import { CONVERSATION_PROPERTIES } from "../../../provider/domain/properties";
import { nothingAnswered } from "../../support/rows";

const IS = "IS" + "a".repeat(32);
const CH = "CH" + "b".repeat(32);
const IM = "IM" + "c".repeat(32);
const ME = "ME" + "d".repeat(32);
const MG = "MG" + "e".repeat(32);
const HX = "HX" + "f".repeat(32);

describe("conversationForm", () => {
  it("uses Twilio's PascalCase keys, with literal dotted timer keys", () => {
    const form = conversationForm({
      uniqueName: "support-1",
      friendlyName: "Support",
      state: "active",
      timers: { inactive: "PT1M", closed: "PT10M" },
      attributes: { b: 1, a: { d: [2, 1], c: true } },
      messagingServiceSid: MG,
      bindings: { email: { address: "support@example.com", name: "Support desk" } },
    });
    expect(form).toEqual({
      "Bindings.Email.Address": "support@example.com",
      "Bindings.Email.Name": "Support desk",
      UniqueName: "support-1",
      FriendlyName: "Support",
      State: "active",
      "Timers.Inactive": "PT1M",
      "Timers.Closed": "PT10M",
      Attributes: '{"a":{"c":true,"d":[2,1]},"b":1}',
      MessagingServiceSid: MG,
    });
    expect(form).not.toHaveProperty("Timers");
    expect(form).not.toHaveProperty("Bindings");
  });

  it.each([
    ["everything null", { uniqueName: null, friendlyName: null, state: null, timers: null, attributes: null, messagingServiceSid: null, bindings: null }, {}],
    ["nothing given", {}, {}],
    ["one timer only", { timers: { inactive: null, closed: "P1D" } }, { "Timers.Closed": "P1D" }],
    ["an email address only", { bindings: { email: { address: "a@example.com" } } }, { "Bindings.Email.Address": "a@example.com" }],
    ["an email name only", { bindings: { email: { address: null, name: "Desk" } } }, { "Bindings.Email.Name": "Desk" }],
    ["no email in the bindings", { bindings: {} }, {}],
    ["empty attributes are still sent", { attributes: {} }, { Attributes: "{}" }],
    ["empty friendly name is sent", { friendlyName: "" }, { FriendlyName: "" }],
    ["a creation date, as Twilio's whole-second UTC date", { dateCreated: "2024-01-02T03:04:05.678Z" }, { DateCreated: "2024-01-02T03:04:05Z" }],
  ])("%s", (_name, fields, expected) => {
    expect(conversationForm(fields)).toEqual(expected);
  });

  it("sends attributes as canonical text whatever the key order", () => {
    expect(conversationForm({ attributes: { z: 1, a: 2 } }).Attributes).toBe(conversationForm({ attributes: { a: 2, z: 1 } }).Attributes);
  });
});

describe("messageForm", () => {
  it("uses Twilio's PascalCase keys, whole-second UTC dates and JSON text", () => {
    expect(
      messageForm({
        author: "alice",
        body: "hello",
        attributes: { y: 1, x: 2 },
        mediaSid: ME,
        contentSid: HX,
        contentVariables: { "1": "Alice" },
        subject: "Hi",
        dateCreated: "2024-01-31T10:30:00.123+01:00",
        dateUpdated: "2024-01-31T09:31:00Z",
      }),
    ).toEqual({
      Author: "alice",
      Body: "hello",
      Attributes: '{"x":2,"y":1}',
      MediaSid: ME,
      ContentSid: HX,
      ContentVariables: '{"1":"Alice"}',
      Subject: "Hi",
      DateCreated: "2024-01-31T09:30:00Z",
      DateUpdated: "2024-01-31T09:31:00Z",
    });
  });

  it("sends nothing for null fields", () => {
    expect(
      messageForm({
        author: null,
        body: null,
        attributes: null,
        mediaSid: null,
        contentSid: null,
        contentVariables: null,
        subject: null,
        dateCreated: null,
        dateUpdated: null,
      }),
    ).toEqual({});
  });
});

describe("twilioDate", () => {
  it.each([
    ["2024-01-31T09:30:00Z", "2024-01-31T09:30:00Z"],
    ["2024-01-31T09:30:00.999Z", "2024-01-31T09:30:00Z"],
    ["2024-01-31T11:30:00+02:00", "2024-01-31T09:30:00Z"],
    ["not a date", "not a date"],
  ])("%s → %s", (input, expected) => {
    expect(twilioDate(input)).toBe(expected);
  });
});

describe("observedConversation", () => {
  const base = {
    account_sid: "AC" + "0".repeat(32),
    chat_service_sid: IS,
    messaging_service_sid: MG,
    sid: CH,
    friendly_name: "Support",
    unique_name: "support-1",
    attributes: '{"b":1,"a":2}',
    state: "active",
    date_created: "2024-01-31T09:30:00Z",
    date_updated: "2024-01-31T09:31:00Z",
    timers: {},
    url: `https://conversations.twilio.com/v1/Conversations/${CH}`,
    links: {},
    bindings: {},
  };

  it("reads Twilio's snake_case JSON", () => {
    expect(observedConversation(base)).toEqual({
      ...nothingAnswered(CONVERSATION_PROPERTIES),
      sid: CH,
      accountSid: "AC" + "0".repeat(32),
      chatServiceSid: IS,
      messagingServiceSid: MG,
      uniqueName: "support-1",
      friendlyName: "Support",
      state: "active",
      attributes: { a: 2, b: 1 },
      dateCreated: "2024-01-31T09:30:00Z",
      dateUpdated: "2024-01-31T09:31:00Z",
      url: `https://conversations.twilio.com/v1/Conversations/${CH}`,
    });
  });

  it.each([
    ["no bindings ({})", {}, null],
    ["bindings null", null, null],
    ["an email sender", { email: { projected_address: "support@example.com", name: "Support" } }, { email: { address: "support@example.com", name: "Support" } }],
    ["an address only", { email: { projected_address: "support@example.com", name: null } }, { email: { address: "support@example.com", name: null } }],
    ["a name only", { email: { name: "Support" } }, { email: { address: null, name: "Support" } }],
  ])("bindings: %s", (_name, bindings, expected) => {
    expect(observedConversation({ ...base, bindings }).bindings).toEqual(expected);
  });

  it.each([
    ["no timers ({})", {}, null, null],
    ["timers null", null, null, null],
    ["both timers", { date_inactive: "2024-02-01T00:00:00Z", date_closed: "2024-02-02T00:00:00Z" }, "2024-02-01T00:00:00Z", "2024-02-02T00:00:00Z"],
    ["closed timer only", { date_closed: "2024-02-02T00:00:00Z" }, null, "2024-02-02T00:00:00Z"],
  ])("timers: %s", (_name, timers, dateInactive, dateClosed) => {
    const observed = observedConversation({ ...base, timers });
    expect(observed.dateInactive).toBe(dateInactive);
    expect(observed.dateClosed).toBe(dateClosed);
  });

  it.each([
    ["unset attributes", "{}", {}],
    ["nested JSON text", '{"a":[1,{"b":null}]}', { a: [1, { b: null }] }],
    ["text that is not JSON is kept as text", "not json", "not json"],
    ["null attributes", null, null],
    // One reader for every kind: a JSON value answered as a value (not text) is that value, as an environment user's always was.
    ["a JSON value answered as a value, not text", { a: 1 }, { a: 1 }],
  ])("attributes: %s", (_name, attributes, expected) => {
    expect(observedConversation({ ...base, attributes }).attributes).toEqual(expected);
  });

  it("reads missing and null fields as null", () => {
    expect(observedConversation({ sid: CH, unique_name: null })).toEqual({ ...nothingAnswered(CONVERSATION_PROPERTIES), sid: CH });
  });
});

describe("observedMessage", () => {
  const base = {
    account_sid: "AC" + "0".repeat(32),
    conversation_sid: CH,
    sid: IM,
    index: 5,
    author: "system",
    body: "hello",
    media: null,
    attributes: "{}",
    participant_sid: null,
    date_created: "2024-01-31T09:30:00Z",
    date_updated: "2024-01-31T09:30:00Z",
    url: `https://conversations.twilio.com/v1/Conversations/${CH}/Messages/${IM}`,
    delivery: null,
    links: {},
    content_sid: null,
  };

  it("reads Twilio's snake_case JSON", () => {
    expect(observedMessage(base)).toEqual({
      sid: IM,
      accountSid: "AC" + "0".repeat(32),
      conversationSid: CH,
      index: 5,
      author: "system",
      body: "hello",
      attributes: {},
      mediaSid: null,
      contentSid: null,
      dateCreated: "2024-01-31T09:30:00Z",
      dateUpdated: "2024-01-31T09:30:00Z",
      url: `https://conversations.twilio.com/v1/Conversations/${CH}/Messages/${IM}`,
    });
  });

  it.each([
    ["null media", null, null],
    ["empty media", [], null],
    ["one media item", [{ sid: ME, size: 10, content_type: "image/png", filename: "a.png" }], ME],
    ["the first of several", [{ sid: ME }, { sid: "ME" + "9".repeat(32) }], ME],
  ])("media: %s", (_name, media, expected) => {
    expect(observedMessage({ ...base, media, body: null }).mediaSid).toBe(expected);
  });

  it.each([
    [0, 0],
    [9, 9],
    [null, null],
    ["3", null],
  ])("index %j → %j", (index, expected) => {
    expect(observedMessage({ ...base, index }).index).toBe(expected);
  });

  it("reads the content SID and attributes text", () => {
    const observed = observedMessage({ ...base, body: null, content_sid: HX, attributes: '{"k":"v"}' });
    expect(observed.contentSid).toBe(HX);
    expect(observed.body).toBeNull();
    expect(observed.attributes).toEqual({ k: "v" });
  });
});

describe("paths", () => {
  it.each([
    ["conversations, default service", conversationsPath(null), "/v1/Conversations"],
    ["conversations, scoped", conversationsPath(IS), `/v1/Services/${IS}/Conversations`],
    ["conversation, default service", conversationPath(null, CH), `/v1/Conversations/${CH}`],
    ["conversation, scoped", conversationPath(IS, CH), `/v1/Services/${IS}/Conversations/${CH}`],
    ["conversation by unique name with spaces", conversationPath(null, "team support room"), "/v1/Conversations/team%20support%20room"],
    ["unique name with reserved characters", conversationPath(IS, "a&b=c+d"), `/v1/Services/${IS}/Conversations/a%26b%3Dc%2Bd`],
    ["messages, default service", messagesPath(null, CH), `/v1/Conversations/${CH}/Messages`],
    ["messages, scoped", messagesPath(IS, CH), `/v1/Services/${IS}/Conversations/${CH}/Messages`],
  ])("%s", (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });
});
