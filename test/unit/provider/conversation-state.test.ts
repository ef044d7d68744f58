// What a declared state means next to declared timers: Twilio moving a conversation the way its
// declared timers say is never drift and never an error; anything else is drift.
import { describe, expect, it } from "vitest";
import { changedConversationProperties, diffConversation } from "../../../provider/diff/conversation";
import { declaredStateToSend, statesTimersReach, type StateSituation } from "../../../provider/diff/conversation-state";
import { UNKNOWN } from "../../../provider/domain/unknown";
import { closedConversationFailures } from "../../../provider/resources/check";
import { outputsHolding } from "../../support/closed-conversation";
import { nothingAnswered } from "../../support/rows";
import { CONVERSATION_PROPERTIES } from "../../../provider/domain/properties";
import {
  conversationOutputs,
  normalizeConversationInputs,
  refreshedConversation,
  refreshedConversationInputs,
  type ConversationOutputs,
} from "../../../provider/resources/conversation-model";
import type { ObservedConversation } from "../../../provider/client/wire";

const BOTH = { inactive: "PT1H", closed: "P1D" };
const INACTIVE_ONLY = { inactive: "PT1H", closed: null };
const CLOSED_ONLY = { inactive: null, closed: "P1D" };

describe("statesTimersReach", () => {
  it.each<[string, { inactive: string | null; closed: string | null } | null, string[]]>([
    ["active", null, ["active"]],
    ["active", BOTH, ["active", "inactive", "closed"]],
    ["active", INACTIVE_ONLY, ["active", "inactive"]],
    ["active", CLOSED_ONLY, ["active", "closed"]],
    ["inactive", BOTH, ["inactive", "closed"]],
    ["inactive", INACTIVE_ONLY, ["inactive"]],
    ["closed", BOTH, ["closed"]],
  ])("%s with %j reaches %j", (state, timers, reached) => {
    expect(statesTimersReach(state, timers)).toEqual(reached);
  });
});

describe("declaredStateToSend", () => {
  const same = { previouslyDeclared: "active", timersChanged: false };
  it.each<[string, StateSituation, boolean]>([
    // Twilio did what the file asked: nothing to send.
    ["closed by the declared closed timer", { declared: "active", timers: BOTH, observed: "closed", ...same }, false],
    ["inactive by the declared inactive timer", { declared: "active", timers: BOTH, observed: "inactive", ...same }, false],
    ["closed by the closed timer while declared inactive", { declared: "inactive", timers: CLOSED_ONLY, observed: "closed", ...same, previouslyDeclared: "inactive" }, false],
    ["Twilio holds the declared state", { declared: "active", timers: BOTH, observed: "active", ...same }, false],
    ["state not declared: not managed", { declared: null, timers: BOTH, observed: "inactive", ...same }, false],
    // Drift: set back.
    ["inactive without an inactive timer", { declared: "active", timers: CLOSED_ONLY, observed: "inactive", ...same }, true],
    ["inactive without timers", { declared: "active", timers: null, observed: "inactive", ...same }, true],
    ["active although declared inactive", { declared: "inactive", timers: BOTH, observed: "active", ...same, previouslyDeclared: "inactive" }, true],
    ["closed without timers (check refuses it first)", { declared: "active", timers: null, observed: "closed", ...same }, true],
    // The file changed: the declared state is the one to return to, except from closed.
    ["state changed in the file while the timer made it inactive", { declared: "active", timers: BOTH, observed: "inactive", ...same, previouslyDeclared: "inactive" }, true],
    ["timers changed in the file while the timer made it inactive", { declared: "active", timers: BOTH, observed: "inactive", ...same, timersChanged: true }, true],
    ["state changed in the file, but the declared timers closed it", { declared: "inactive", timers: BOTH, observed: "closed", ...same }, false],
    ["first declared (adoption)", { declared: "active", timers: BOTH, observed: "inactive", ...same, previouslyDeclared: null }, true],
    // Preview with values not known yet.
    ["unknown state", { declared: UNKNOWN, timers: BOTH, observed: "active", ...same }, true],
    ["unknown timers", { declared: "active", timers: UNKNOWN as never, observed: "active", ...same }, true],
  ])("%s → %s", (_name, situation, expected) => {
    expect(declaredStateToSend(situation)).toBe(expected);
  });
});

const observed: ObservedConversation = {
  ...nothingAnswered(CONVERSATION_PROPERTIES),
  sid: "CH" + "c".repeat(32),
  accountSid: "AC" + "0".repeat(32),
  chatServiceSid: "IS" + "d".repeat(32),
  uniqueName: "desk",
  friendlyName: "Desk",
  state: "active",
  attributes: {},
  dateCreated: "2030-01-01T00:00:00Z",
  dateUpdated: "2030-01-01T00:00:00Z",
  dateInactive: "2030-01-01T01:00:00Z",
  dateClosed: "2030-01-02T00:00:00Z",
};

const declared = (extra: Record<string, unknown> = {}) =>
  normalizeConversationInputs({ resourceName: "desk", uniqueName: "desk", friendlyName: "Desk", state: "active", timers: BOTH, ...extra });

/** Outputs after `up`, then after a refresh that saw Twilio in `state`. */
function refreshedTo(state: string, extra: Record<string, unknown> = {}, dates: Partial<ObservedConversation> = {}): ConversationOutputs {
  const afterUp = conversationOutputs(declared(extra), observed, false);
  return refreshedConversation(afterUp, { ...observed, ...dates, state });
}

describe("diff and update after Twilio's timers moved the conversation", () => {
  it.each<[string, ConversationOutputs, Record<string, unknown>, string[]]>([
    ["closed by its timer, file unchanged", refreshedTo("closed"), {}, []],
    ["inactive by its timer, file unchanged", refreshedTo("inactive"), {}, []],
    ["closed by its timer, Twilio no longer shows timer dates", refreshedTo("closed", {}, { dateInactive: null, dateClosed: null }), {}, []],
    ["inactive set outside, only a closed timer declared", refreshedTo("inactive", { timers: CLOSED_ONLY }), { timers: CLOSED_ONLY }, ["state"]],
    ["declared inactive before, now declared active: its timers are set again with it", refreshedTo("inactive", { state: "inactive" }), {}, ["state", "timers"]],
    ["active by a new message, the file declares it inactive", refreshedTo("active", { state: "inactive" }), { state: "inactive" }, ["state"]],
    ["inactive set outside, no timers declared", refreshedTo("inactive", { timers: null }), { timers: null }, ["state"]],
    ["inactive by its timer, the file lengthens the timers", refreshedTo("inactive"), { timers: { inactive: "PT2H", closed: "P1D" } }, ["state", "timers"]],
    ["inactive by its timer, the file renames it", refreshedTo("inactive"), { friendlyName: "Help desk" }, ["friendlyName"]],
    ["state written by an older version (no declaredState): inactive by its timer", { ...refreshedTo("inactive"), declaredState: undefined as never }, {}, []],
  ])("%s", (_name, olds, change, expected) => {
    const news = declared(change);
    expect(changedConversationProperties(olds, news)).toEqual(expected);
    expect(diffConversation(olds, news).changes).toBe(expected.length > 0);
  });

  it("refresh keeps the declared timers and state when Twilio closed the conversation by them", () => {
    const refreshed = refreshedTo("closed", {}, { dateInactive: null, dateClosed: null });
    expect(refreshed).toMatchObject({ state: "closed", declaredState: "active", timers: BOTH });
    expect(refreshedConversationInputs(refreshed)).toMatchObject({ state: "closed", timers: BOTH });
  });
});

describe("what diff refuses once the outputs say Twilio holds the conversation closed", () => {
  // After a refresh, and still after an `up` with nothing to do, which writes the declared inputs back.
  const held = (timers: unknown) => outputsHolding({ state: "closed", friendlyName: "Desk", timers });

  it.each<[string, unknown, Record<string, unknown>]>([
    ["closed by the declared closed timer", BOTH, { state: "active", friendlyName: "Desk", timers: BOTH }],
    ["declared inactive, closed by the closed timer", CLOSED_ONLY, { state: "inactive", timers: CLOSED_ONLY }],
  ])("accepts: %s", (_name, timers, news) => {
    expect(closedConversationFailures(held(timers), news)).toEqual([]);
  });

  it.each<[string, unknown, Record<string, unknown>, string[]]>([
    ["closed outside, no closed timer declared", INACTIVE_ONLY, { state: "active", timers: INACTIVE_ONLY }, ["state"]],
    ["closed by its timer, then renamed in the file", BOTH, { state: "active", friendlyName: "Help desk", timers: BOTH }, ["friendlyName"]],
    ["closed by its timer, then given new timers", BOTH, { state: "active", timers: { inactive: "PT2H", closed: "P1D" } }, ["timers"]],
  ])("refuses: %s", (_name, timers, news, properties) => {
    expect(closedConversationFailures(held(timers), news).map((failure) => failure.property)).toEqual(properties);
  });
});

