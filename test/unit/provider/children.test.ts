// Participants and scoped webhooks: the pure decisions (steps of an update), their forms and
// answers, a lost create's matching, and the verdicts of `check` and the stack-file schema.
import { describe, expect, it } from "vitest";
import { holdsNaturalKey, holdsWhatWasSent, observedParticipant, observedWebhook, participantCreateForm, participantForm, webhookForm, type ParticipantFields } from "../../../provider/client/wire";
import { PARTICIPANT_API, WEBHOOK_API } from "../../../provider/client/children";
import { childSteps, childrenChange } from "../../../provider/diff/children";
import { PARTICIPANT_PROPERTIES, WEBHOOK_PROPERTIES } from "../../../provider/domain/properties";
import { UNKNOWN } from "../../../provider/domain/unknown";
import { checkConversation, closedConversationFailures } from "../../../provider/resources/check";
import { outputsHolding } from "../../support/closed-conversation";
import { PARTICIPANTS, SCOPED_WEBHOOKS, childFields, childUpdateFields, fieldsAfterCreate, recordedChild, refreshedChildrenInputs, type RecordedChildren } from "../../../provider/resources/children-model";
import { loadStackText } from "../../../schemas/load";
import { renderProblems } from "../../../schemas/problems";

const MB = (n: number) => "MB" + String(n).repeat(32);
const WH = (n: number) => "WH" + String(n).repeat(32);
const RL = "RL" + "1".repeat(32);

const adaJson = { sid: MB(1), identity: "ada", attributes: '{"role":"agent"}', messaging_binding: null, role_sid: RL, date_created: "2024-01-02T03:04:05Z", date_updated: "2024-01-02T03:04:05Z", last_read_message_index: null, last_read_timestamp: null, url: "u" };
const ada = recordedChild({ identity: "ada", attributes: { role: "agent" } }, observedParticipant(adaJson));
const smsJson = { ...adaJson, sid: MB(2), identity: null, attributes: "{}", messaging_binding: { type: "sms", address: "+15551234567", proxy_address: "+15557654321" } };
const sms = recordedChild({ messagingBinding: { address: "+15551234567", proxyAddress: "+15557654321" } }, observedParticipant(smsJson));

describe("participant steps", () => {
  const recorded: RecordedChildren = { ada, sms };
  it.each<[string, Record<string, Record<string, unknown>>, unknown[]]>([
    ["as recorded: nothing", { ada: { identity: "ada", attributes: { role: "agent" } }, sms: sms.declared }, []],
    ["attributes in another key order: nothing", { ada: { identity: "ada", attributes: { role: "agent" } }, sms: sms.declared }, []],
    ["attributes edited: update", { ada: { identity: "ada", attributes: { role: "lead" } }, sms: sms.declared }, [{ key: "ada", action: "update", changed: ["attributes"] }]],
    ["a field newly declared, held otherwise: update", { ada: { identity: "ada", attributes: { role: "agent" }, lastReadMessageIndex: 3 }, sms: sms.declared }, [{ key: "ada", action: "update", changed: ["lastReadMessageIndex"] }]],
    ["the role Twilio gave, left out: not managed", { ada: { identity: "ada", attributes: { role: "agent" } }, sms: sms.declared }, []],
    ["identity changed: replace", { ada: { identity: "ada-l", attributes: { role: "agent" } }, sms: sms.declared }, [{ key: "ada", action: "replace", field: "identity" }]],
    ["proxy address changed: replace", { ada: ada.declared, sms: { messagingBinding: { address: "+15551234567", proxyAddress: "+15550000000" } } }, [{ key: "sms", action: "replace", field: "messagingBinding" }]],
    ["removed, and a new one: the delete first", { grace: { identity: "grace" }, ada: ada.declared }, [{ key: "sms", action: "delete" }, { key: "grace", action: "create" }]],
  ])("%s", (_name, declared, steps) => {
    expect(childSteps(PARTICIPANTS, recorded, declared)).toEqual(steps);
  });

  it("an unknown participant or create-only field (preview) might change", () => {
    expect(childrenChange(PARTICIPANTS, recorded, UNKNOWN as never)).toBe(true);
    expect(childrenChange(PARTICIPANTS, recorded, { ada: { identity: UNKNOWN }, sms: sms.declared })).toBe(true);
    expect(childrenChange(PARTICIPANTS, recorded, { ada: ada.declared, sms: sms.declared })).toBe(false);
    expect(childrenChange(PARTICIPANTS, undefined, {})).toBe(false);
  });
});

describe("scoped webhook steps", () => {
  const json = { sid: WH(1), target: "webhook", configuration: { url: "https://a.example/h", method: "post", filters: ["onMessageAdded"] } };
  const crm = recordedChild({ target: "webhook", url: "https://a.example/h", method: "POST", filters: ["onMessageAdded"] }, observedWebhook(json));
  it("reads the answer's configuration, the method as the stack file writes it", () => {
    expect(crm.held).toEqual({ target: "webhook", url: "https://a.example/h", method: "POST", filters: ["onMessageAdded"], triggers: null, flowSid: null, replayAfter: null });
  });
  it.each<[string, Record<string, unknown>, unknown[]]>([
    ["as recorded", crm.declared, []],
    ["the URL and filters: update", { ...crm.declared, url: "https://b.example/h", filters: ["onMessageAdded", "onMessageRemoved"] }, [{ key: "crm", action: "update", changed: ["url", "filters"] }]],
    ["the method left out: not managed", { target: "webhook", url: "https://a.example/h", filters: ["onMessageAdded"] }, []],
    ["the target: replace", { target: "trigger", url: "https://a.example/h", triggers: ["help"] }, [{ key: "crm", action: "replace", field: "target" }]],
    ["replayAfter: replace", { ...crm.declared, replayAfter: 0 }, [{ key: "crm", action: "replace", field: "replayAfter" }]],
  ])("%s", (_name, declared, steps) => {
    expect(childSteps(SCOPED_WEBHOOKS, { crm }, { crm: declared })).toEqual(steps);
  });

  it("refresh records the URL Twilio holds now in the inputs; create-only fields stay as declared", () => {
    const drifted = { ...crm, held: { ...crm.held, url: "https://elsewhere.example/h" } };
    expect(refreshedChildrenInputs(SCOPED_WEBHOOKS, { crm: drifted })).toEqual({ crm: { ...crm.declared, url: "https://elsewhere.example/h" } });
  });
});

describe("forms", () => {
  const grace = { identity: "grace", attributes: { b: 1, a: 2 }, lastReadMessageIndex: 4, dateCreated: "2024-01-02T03:04:05.750Z" };
  it("a participant's create sends what Twilio's create takes; the read index follows by an update", () => {
    const fields = childFields(PARTICIPANTS, grace) as unknown as ParticipantFields;
    expect(participantCreateForm(fields)).toEqual({ Identity: "grace", Attributes: '{"a":2,"b":1}', DateCreated: "2024-01-02T03:04:05Z" });
    expect(fieldsAfterCreate(PARTICIPANTS, grace)).toEqual(["lastReadMessageIndex"]);
    expect(participantForm(childUpdateFields(PARTICIPANTS, grace, ["lastReadMessageIndex"]))).toEqual({ LastReadMessageIndex: "4" });
  });
  it("a binding is sent part by part", () => {
    expect(participantCreateForm(childFields(PARTICIPANTS, sms.declared) as unknown as ParticipantFields)).toEqual({
      "MessagingBinding.Address": "+15551234567",
      "MessagingBinding.ProxyAddress": "+15557654321",
    });
  });
  it("a declared dateUpdated is sent again with every update", () => {
    expect(childUpdateFields(PARTICIPANTS, { identity: "g", attributes: {}, dateUpdated: "2024-01-02T03:04:05Z" }, ["attributes"])).toEqual({ attributes: {}, dateUpdated: "2024-01-02T03:04:05Z" });
  });
  it("a webhook's filters as the key repeated, its method as the spec's enum", () => {
    expect(webhookForm({ target: "webhook", url: "https://a.example/h", method: "POST", filters: ["onMessageAdded", "onParticipantAdded"], replayAfter: 0 })).toEqual({
      Target: "webhook",
      "Configuration.Url": "https://a.example/h",
      "Configuration.Method": "post",
      "Configuration.Filters": ["onMessageAdded", "onParticipantAdded"],
      "Configuration.ReplayAfter": "0",
    });
  });
});

describe("a lost create's answer is found", () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, boolean]>([
    ["a participant by its identity, whatever else it holds", adaJson, { identity: "ada", attributes: { other: true } }, true],
    ["not by another identity", adaJson, { identity: "grace" }, false],
    ["by its binding", smsJson, { messagingBinding: { address: "+15551234567", proxyAddress: "+15557654321" } }, true],
    ["not by another proxy address", smsJson, { messagingBinding: { address: "+15551234567", proxyAddress: "+15550000000" } }, false],
    ["not a chat participant for a binding", adaJson, { messagingBinding: { address: "+15551234567", proxyAddress: "+15557654321" } }, false],
  ])("%s", (_name, json, declared, found) => {
    expect(holdsNaturalKey(PARTICIPANT_PROPERTIES, observedParticipant(json), childFields(PARTICIPANTS, declared))).toBe(found);
    expect(PARTICIPANT_API.made(json, childFields(PARTICIPANTS, declared), Number.MAX_SAFE_INTEGER)).toBe(found);
  });

  const webhook = { sid: WH(2), target: "trigger", date_created: "2024-01-02T03:04:05Z", configuration: { url: "https://a.example/h", method: "post", triggers: ["help"] } };
  const since = Date.parse("2024-01-02T03:04:00Z");
  it.each<[string, Record<string, unknown>, number, boolean]>([
    ["a webhook by all it sent, made since the create", { target: "trigger", url: "https://a.example/h", triggers: ["help"] }, since, true],
    ["not one made before", { target: "trigger", url: "https://a.example/h", triggers: ["help"] }, since + 60_000, false],
    ["not with other triggers", { target: "trigger", url: "https://a.example/h", triggers: ["stop"] }, since, false],
    ["not with another target", { target: "webhook", url: "https://a.example/h", filters: ["onMessageAdded"] }, since, false],
  ])("%s", (_name, declared, sentSince, found) => {
    expect(WEBHOOK_API.made(webhook, childFields(SCOPED_WEBHOOKS, declared), sentSince)).toBe(found);
    expect(holdsWhatWasSent(WEBHOOK_PROPERTIES, observedWebhook(webhook), childFields(SCOPED_WEBHOOKS, declared))).toBe(found || sentSince !== since);
  });
});

describe("check", () => {
  const reasons = (news: Record<string, unknown>, held?: Record<string, unknown>) =>
    [...checkConversation(news), ...(held ? closedConversationFailures(outputsHolding(held), news) : [])].map((f) => `${f.property}: ${f.reason}`);
  it.each<[string, Record<string, unknown>, string[]]>([
    ["good ones", { participants: { ada: { identity: "ada" }, sms: sms.declared }, scopedWebhooks: { crm: { target: "studio", flowSid: "FW" + "1".repeat(32) } } }, []],
    [
      "identity and address together",
      { participants: { bad: { identity: "x", messagingBinding: { address: "+15551234567" } } } },
      ["participants.bad.messagingBinding: a participant has an identity or a messaging binding address, not both (hint: Twilio refuses both (error 50211): declare two participants, or keep one)"],
    ],
    ["no identity or address", { participants: { empty: {} } }, ["participants.empty: the participant has no identity and no messagingBinding.address (hint: add identity for a chat participant, or messagingBinding.address (and proxyAddress) for SMS or WhatsApp)"]],
    [
      "the same identity twice",
      { participants: { a: { identity: "ada" }, b: { identity: "ada" } } },
      ['participants.b: has the identity of participant "a" (hint: Twilio holds one participant per identity and per binding in a conversation; declare it once)'],
    ],
    ["a role that is no SID", { participants: { a: { identity: "ada", roleSid: "admin" } } }, ['participants.a.roleSid: expected a Role SID (RL followed by 32 hex digits), received "admin" (hint: copy the RL… SID of a conversation-level role (a declared Role\'s sid output, or the Twilio console))']],
    ["a field no participant has", { participants: { a: { identity: "ada", nickname: "A" } } }, ["participants.a.nickname: a participant has no nickname (hint: use identity, messagingBinding, attributes, roleSid, dateCreated, dateUpdated, lastReadMessageIndex, lastReadTimestamp)"]],
    [
      "a webhook without its target's fields, with another's",
      { scopedWebhooks: { crm: { target: "webhook", url: "https://a.example/h", triggers: ["help"] } } },
      [
        "scopedWebhooks.crm: a webhook with target webhook needs filters (hint: add filters, or choose another target)",
        "scopedWebhooks.crm.triggers: a webhook with target webhook has no triggers (hint: Twilio ignores triggers for target webhook; remove it, or choose another target)",
      ],
    ],
    ["a pre-action filter", { scopedWebhooks: { crm: { target: "webhook", url: "https://a.example/h", filters: ["onMessageAdd"] } } }, [expect.stringContaining('scopedWebhooks.crm.filters: "onMessageAdd" is not an event') as unknown as string]],
    ["an unknown participant in preview is checked later", { participants: { a: UNKNOWN } }, []],
  ])("%s", (_name, news, expected) => {
    expect(reasons(news)).toEqual(expected);
  });

  it("a conversation Twilio holds closed takes no participant change", () => {
    const held = { state: "closed", participants: { ada: { identity: "ada" } } };
    expect(reasons({ state: "closed", participants: { ada: { identity: "ada" } } }, held)).toEqual([]);
    expect(reasons({ state: "closed", participants: { ada: { identity: "ada" }, grace: { identity: "grace" } } }, held)).toEqual([
      "participants.grace: can't be added: the conversation is closed, and Twilio changes no participant of a closed conversation (error 50377) (hint: give the resource a new name in the stack so a new conversation is created)",
    ]);
  });
});

describe("the stack file", () => {
  const problems = (yaml: string) => {
    const result = loadStackText(yaml, "stack.yaml");
    return result.ok ? "" : renderProblems(result.problems);
  };
  it("takes participants and scoped webhooks by key, and authors named by participant", () => {
    expect(
      problems(`conversations:
  desk:
    participants:
      ada: { identity: ada-lovelace }
      sms-1: { messagingBinding: { address: "+15551234567", proxyAddress: "+15557654321" } }
    scopedWebhooks:
      crm: { target: webhook, url: https://example.com/h, method: POST, filters: [onMessageAdded] }
    messages:
      - body: Hi
        author: { participant: ada }
`),
    ).toBe("");
  });

  it("says where a participant key is unknown, with the closest one", () => {
    expect(
      problems(`conversations:
  desk:
    participants:
      ada: { identity: ada-lovelace }
    messages:
      - body: Hi
        author: { participant: adda }
`),
    ).toMatchInlineSnapshot(`
      "stack.yaml:7:19 conversations.desk.messages[0].author.participant
        ✖ "adda" is not a participant of this conversation
        hint: did you mean ada?"
    `);
  });

  it("refuses the same identity twice, a misspelt filter and a sixth webhook, with their places", () => {
    const hooks = [1, 2, 3, 4, 5, 6].map((n) => `      h${n}: { target: studio, flowSid: FW${String(n).repeat(32)} }`).join("\n");
    expect(
      problems(`conversations:
  desk:
    participants:
      a: { identity: ada }
      b: { identity: ada }
    scopedWebhooks:
${hooks}
  lobby:
    scopedWebhooks:
      crm: { target: webhook, url: https://example.com/h, filters: [onMesageAdded] }
`),
    ).toMatchInlineSnapshot(`
      "stack.yaml:5:12 conversations.desk.participants.b.identity
        ✖ participant "b" has the same identity as participant "a"
        hint: Twilio holds one participant per identity and per binding in a conversation; declare it once

      stack.yaml:6:5 conversations.desk.scopedWebhooks
        ✖ 6 scoped webhooks; Twilio takes at most 5 per conversation (error 50361)
        hint: remove some, or use one webhook with more filters

      stack.yaml:15:69 conversations.lobby.scopedWebhooks.crm.filters[0]
        ✖ "onMesageAdded" is not an event a conversation-scoped webhook filters on
        hint: did you mean onMessageAdded?"
    `);
  });
});
