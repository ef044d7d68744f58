// What a conversation found after a lost answer must hold to be taken for the create's own: every
// field sent as sent, and every field not sent at Twilio's default (state active, no messaging
// service but the account's default one).
import { describe, expect, it } from "vitest";
import { madeByCreate } from "../../../provider/client/conversations";
import type { ConversationFields, ObservedConversation } from "../../../provider/client/wire";
import { CONVERSATION_PROPERTIES } from "../../../provider/domain/properties";
import { nothingAnswered, nothingSent } from "../../support/rows";

const MG = "MG" + "1".repeat(32);
const OTHER_MG = "MG" + "2".repeat(32);

const sent = (fields: Partial<ConversationFields> = {}): ConversationFields => ({ ...nothingSent(CONVERSATION_PROPERTIES), friendlyName: "Support", ...fields });

// As the emulator answers a conversation created with only FriendlyName "Support".
const found = (fields: Partial<ObservedConversation> = {}): ObservedConversation => ({
  ...nothingAnswered(CONVERSATION_PROPERTIES),
  sid: "CH" + "a".repeat(32),
  accountSid: "AC" + "0".repeat(32),
  chatServiceSid: "IS" + "0".repeat(32),
  friendlyName: "Support",
  state: "active",
  attributes: {},
  dateCreated: "2024-03-01T09:00:00Z",
  dateUpdated: "2024-03-01T09:00:00Z",
  ...fields,
});

describe("madeByCreate", () => {
  it.each<[string, Partial<ConversationFields>, Partial<ObservedConversation>, string | null, boolean]>([
    ["the fields sent, every other at its default", {}, {}, null, true],
    // State not sent: Twilio's default is active.
    ["state not sent, found inactive", {}, { state: "inactive" }, null, false],
    ["state not sent, found closed", {}, { state: "closed" }, null, false],
    ["state sent inactive, found inactive", { state: "inactive" }, { state: "inactive" }, null, true],
    ["state sent active, found inactive", { state: "active" }, { state: "inactive" }, null, false],
    // Messaging service not sent: none, or the account's default one.
    ["messaging service not sent, found one (the account has no default)", {}, { messagingServiceSid: MG }, null, false],
    ["messaging service not sent, found the account's default", {}, { messagingServiceSid: MG }, MG, true],
    ["messaging service not sent, found another than the account's default", {}, { messagingServiceSid: OTHER_MG }, MG, false],
    ["messaging service sent, found it", { messagingServiceSid: MG }, { messagingServiceSid: MG }, null, true],
    ["messaging service sent, found another", { messagingServiceSid: MG }, { messagingServiceSid: OTHER_MG }, null, false],
    ["messaging service sent, found none", { messagingServiceSid: MG }, {}, null, false],
    // Names and attributes.
    ["another friendly name", {}, { friendlyName: "Sales" }, null, false],
    ["unique name not sent, found one", {}, { uniqueName: "desk" }, null, false],
    ["unique name sent, found it", { uniqueName: "desk" }, { uniqueName: "desk" }, null, true],
    ["attributes not sent, found some", {}, { attributes: { team: "a" } }, null, false],
    ["attributes sent, found equal in another key order", { attributes: { a: 1, b: 2 } }, { attributes: { b: 2, a: 1 } }, null, true],
    ["attributes sent, found unset", { attributes: { a: 1 } }, { attributes: null }, null, false],
    // Email bindings, part by part: a part not sent is none.
    ["email address sent, found it", { bindings: { email: { address: "a@example.com" } } }, { bindings: { email: { address: "a@example.com", name: null } } }, null, true],
    ["email address sent, found another", { bindings: { email: { address: "a@example.com" } } }, { bindings: { email: { address: "b@example.com", name: null } } }, null, false],
    ["email address sent, found none", { bindings: { email: { address: "a@example.com" } } }, {}, null, false],
    ["email name not sent, found one", { bindings: { email: { address: "a@example.com" } } }, { bindings: { email: { address: "a@example.com", name: "Desk" } } }, null, false],
    ["no bindings sent, found an email sender", {}, { bindings: { email: { address: "a@example.com", name: null } } }, null, false],
    // Creation date: matched only when sent (Twilio stamps the create's own time otherwise), to the second.
    ["creation date not sent, found any", {}, { dateCreated: "2031-05-05T05:05:05Z" }, null, true],
    ["creation date sent, found it to the second", { dateCreated: "2024-03-01T09:00:00.900Z" }, {}, null, true],
    ["creation date sent, found another", { dateCreated: "2023-01-01T00:00:00Z" }, {}, null, false],
  ])("%s", (_name, fields, observed, accountDefault, expected) => {
    expect(madeByCreate(found(observed), sent(fields), accountDefault)).toBe(expected);
  });
});
