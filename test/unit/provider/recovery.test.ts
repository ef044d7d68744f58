// What a recovery compares when it finds in Twilio what a killed run made (client/recovery.ts).
import { describe, expect, it } from "vitest";
import { compareThread, participantsDeclared } from "../../../provider/client/recovery";
import { messageFields } from "../../../provider/resources/thread-model";
import type { TwilioJson } from "../../../provider/client/http";

const held = (author: string, body: string, extra: Record<string, unknown> = {}): TwilioJson => ({ sid: `IM${body}`, author, body, attributes: "{}", media: null, content_sid: null, index: 0, ...extra });
const declared = (author: string, body: string, extra: Record<string, unknown> = {}) => messageFields({ author, body, ...extra });
const thread = [declared("ada", "hello"), declared("ada", "hello"), declared("bot", "bye")];

describe("compareThread", () => {
  it.each([
    ["an empty thread is a prefix", [], { matches: 0 }],
    ["the first messages in order", [held("ada", "hello"), held("ada", "hello")], { matches: 2 }],
    ["the whole thread", [held("ada", "hello"), held("ada", "hello"), held("bot", "bye")], { matches: 3 }],
    ["another author diverges", [held("ada", "hello"), held("eve", "hello")], { divergesAt: 1, reason: "different" }],
    ["another order diverges", [held("bot", "bye")], { divergesAt: 0, reason: "different" }],
    ["other attributes diverge", [held("ada", "hello", { attributes: '{"x":1}' })], { divergesAt: 0, reason: "different" }],
    ["a message more than declared diverges", [held("ada", "hello"), held("ada", "hello"), held("bot", "bye"), held("bot", "bye")], { divergesAt: 3, reason: "extra" }],
  ])("%s", (_, messages, expected) => {
    expect(compareThread(messages, thread)).toEqual(expected);
  });

  it("a declared date must be held, to the second", () => {
    const dated = [declared("ada", "hello", { dateCreated: "2024-01-01T09:00:00.250Z" })];
    expect(compareThread([held("ada", "hello", { date_created: "2024-01-01T09:00:00Z" })], dated)).toEqual({ matches: 1 });
    expect(compareThread([held("ada", "hello", { date_created: "2024-01-02T09:00:00Z" })], dated)).toEqual({ divergesAt: 0, reason: "different" });
  });
});

describe("participantsDeclared", () => {
  const declaredParticipants = [{ identity: "ada", messagingBinding: null }, { identity: null, messagingBinding: { address: "+15551234567", proxyAddress: "+15557654321" } }];
  it.each([
    ["none held", [], true],
    ["a declared identity", [{ identity: "ada", messaging_binding: null }], true],
    ["a declared binding", [{ identity: null, messaging_binding: { address: "+15551234567", proxy_address: "+15557654321" } }], true],
    ["an identity not declared", [{ identity: "eve", messaging_binding: null }], false],
  ])("%s", (_, participants, expected) => {
    expect(participantsDeclared(participants as TwilioJson[], declaredParticipants)).toBe(expected);
  });
});
