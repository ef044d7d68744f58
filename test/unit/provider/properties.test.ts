// The property tables against the other readings of the same fields: the stack-file schema (the
// JSON Schema editors get from zod), Twilio's OpenAPI spec, and the lists derived from them.
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { UPDATABLE_CONVERSATION_PROPERTIES } from "../../../provider/diff/conversation";
import {
  CONVERSATION_PROPERTIES,
  MESSAGE_PROPERTIES,
  PARTICIPANT_PROPERTIES,
  WEBHOOK_PROPERTIES,
  answered,
  changedBy,
  declarable,
  isDeclared,
  partsOf,
  refusedWhenClosed,
  secretProperties,
  sent,
  valueAt,
  type PropertyRow,
} from "../../../provider/domain/properties";
import { holdsMessageFields } from "../../../provider/client/messages";
import { holdsWhatWasSent, type MessageFields } from "../../../provider/client/wire";
import { propertyDiffers } from "../../../provider/diff/compare";
import { UNKNOWN } from "../../../provider/domain/unknown";
import { withSecretOutputs } from "../../../provider/resources/registration";
import { CREATE_ONLY_MESSAGE_FIELDS, UPDATABLE_MESSAGE_FIELDS } from "../../../provider/resources/thread-model";
import { stackJsonSchemaText } from "../../../schemas/generate";
import { PARTICIPANTS, SCOPED_WEBHOOKS } from "../../../provider/resources/children-model";
import { WEBHOOK_METHODS, WEBHOOK_TARGETS } from "../../../provider/domain/rules";

type Json = Record<string, any>;
const schema: Json = JSON.parse(stackJsonSchemaText());
const conversationSchema: Json = schema.properties.conversations.additionalProperties;
const messageSchema: Json = conversationSchema.properties.messages.items;
const participantSchema: Json = conversationSchema.properties.participants.additionalProperties;
const webhookSchema: Json = conversationSchema.properties.scopedWebhooks.additionalProperties;

/** Keys of a stack-file conversation that are no resource property: Pulumi options, the rename, the thread. */
const CONVERSATION_ENTRY_OPTIONS = ["renamedFrom", "protect", "retainOnDelete", "messages", "participants", "scopedWebhooks"];

const yamlKeys = (table: Readonly<Record<string, PropertyRow>>) =>
  declarable(table).map((property) => (table[property] as { yaml: string }).yaml);

describe("the tables and the stack-file schema list the same keys", () => {
  it("a conversation: the table's keys and the entry's options", () => {
    expect(Object.keys(conversationSchema.properties).sort()).toEqual([...yamlKeys(CONVERSATION_PROPERTIES), ...CONVERSATION_ENTRY_OPTIONS].sort());
  });

  it("a message: the table's keys and its key", () => {
    expect(Object.keys(messageSchema.properties).sort()).toEqual([...yamlKeys(MESSAGE_PROPERTIES), "key"].sort());
  });

  it("a participant and a scoped webhook: the table's keys, and a participant's user (the stack program resolves it to an identity)", () => {
    expect(Object.keys(participantSchema.properties).sort()).toEqual([...yamlKeys(PARTICIPANT_PROPERTIES), "user"].sort());
    expect(Object.keys(webhookSchema.properties).sort()).toEqual(yamlKeys(WEBHOOK_PROPERTIES).sort());
    expect(Object.keys(participantSchema.properties.messagingBinding.properties).sort()).toEqual(
      partsOf(PARTICIPANT_PROPERTIES.messagingBinding.form).map(([part]) => part).sort(),
    );
  });

  it("a composite property: the parts its form sends, and no other", () => {
    for (const [property, row] of Object.entries(CONVERSATION_PROPERTIES)) {
      if (!isDeclared(row) || row.form === null || typeof row.form === "string") continue;
      const parts = partsOf(row.form).map(([part]) => part);
      const leaves = (node: Json, prefix: string): string[] =>
        Object.entries<Json>(node.properties).flatMap(([key, child]) => (child.properties ? leaves(child, `${prefix}${key}.`) : [`${prefix}${key}`]));
      expect(leaves(conversationSchema.properties[row.yaml!], "").sort(), property).toEqual(parts.sort());
    }
  });
});

/** The table's declared rows (those the stack file or the path gives) but the named ones, in table order. */
const declaredBut = (table: Readonly<Record<string, PropertyRow>>, except: readonly string[]) =>
  Object.keys(table).filter((property) => isDeclared(table[property]) && !except.includes(property));

describe("lists derived from the tables", () => {
  it.each([
    // Every other row is updated in place and refused once closed: a plain field added to the table is in both.
    [
      "conversation, updated in place (state and timers have rules of their own)",
      UPDATABLE_CONVERSATION_PROPERTIES,
      declaredBut(CONVERSATION_PROPERTIES, ["chatServiceSid", "state", "timers", "adopt", "webhooksEnabled"]),
    ],
    ["conversation, replaced", changedBy(CONVERSATION_PROPERTIES, "create-only"), ["chatServiceSid"]],
    ["conversation, recorded only", changedBy(CONVERSATION_PROPERTIES, "recorded"), ["adopt", "webhooksEnabled"]],
    ["conversation, refused once closed", refusedWhenClosed(CONVERSATION_PROPERTIES), declaredBut(CONVERSATION_PROPERTIES, ["chatServiceSid", "state", "adopt", "webhooksEnabled"])],
    ["message, updated in place", UPDATABLE_MESSAGE_FIELDS, ["author", "body", "attributes", "subject", "dateCreated", "dateUpdated"]],
    ["message, re-created", CREATE_ONLY_MESSAGE_FIELDS, ["mediaSid", "contentSid", "contentVariables"]],
    ["participant, updated in place", PARTICIPANTS.updatable, ["attributes", "roleSid", "dateCreated", "dateUpdated", "lastReadMessageIndex", "lastReadTimestamp"]],
    ["participant, re-created", PARTICIPANTS.createOnly, ["identity", "messagingBinding"]],
    ["scoped webhook, updated in place", SCOPED_WEBHOOKS.updatable, ["url", "method", "filters", "triggers", "flowSid"]],
    ["scoped webhook, re-created", SCOPED_WEBHOOKS.createOnly, ["target", "replayAfter"]],
  ])("%s", (_name, derived, expected) => {
    expect([...derived]).toEqual(expected);
  });

  it("marks the outputs of secret rows secret, beside the options' own", () => {
    const table = { token: { ...CONVERSATION_PROPERTIES.friendlyName, secret: true }, friendlyName: CONVERSATION_PROPERTIES.friendlyName };
    expect(secretProperties(table)).toEqual(["token"]);
    expect(withSecretOutputs({ protect: true, additionalSecretOutputs: ["url"] }, secretProperties(table))).toEqual({ protect: true, additionalSecretOutputs: ["url", "token"] });
    expect(secretProperties(CONVERSATION_PROPERTIES)).toEqual([]);
    expect(withSecretOutputs({ protect: true }, [])).toEqual({ protect: true });
  });

  it("reads a dotted answer key through objects and lists", () => {
    expect(valueAt({ media: [{ sid: "ME1" }] }, "media.0.sid")).toBe("ME1");
    expect(valueAt({ timers: {} }, "timers.date_closed")).toBeUndefined();
    expect(valueAt({ timers: null }, "timers.date_closed")).toBeUndefined();
    expect(valueAt("x", "")).toBe("x");
  });
});

const ORACLE = path.resolve(__dirname, "../../../../shared/oracle/twilio_conversations_v1.json");
const spec: Json | null = existsSync(ORACLE) ? JSON.parse(readFileSync(ORACLE, "utf8")) : null;

describe.skipIf(!spec)("the tables and Twilio's OpenAPI spec", () => {
  const formKeys = (template: string): string[] =>
    Object.keys(spec!.paths[template].post.requestBody.content["application/x-www-form-urlencoded"].schema.properties);
  const answerKeys = (name: string): string[] => Object.keys(spec!.components.schemas[name].properties);
  const rowForms = (table: Readonly<Record<string, PropertyRow>>, property: string): string[] => {
    const row = table[property];
    return isDeclared(row) && row.form !== null ? partsOf(row.form).map(([, key]) => key) : [];
  };

  it.each([
    ["conversation", CONVERSATION_PROPERTIES, "/v1/Conversations", "/v1/Conversations/{Sid}", "conversations.v1.conversation"],
    ["message", MESSAGE_PROPERTIES, "/v1/Conversations/{ConversationSid}/Messages", "/v1/Conversations/{ConversationSid}/Messages/{Sid}", "conversations.v1.conversation.conversation_message"],
    ["participant", PARTICIPANT_PROPERTIES, "/v1/Conversations/{ConversationSid}/Participants", "/v1/Conversations/{ConversationSid}/Participants/{Sid}", "conversations.v1.conversation.conversation_participant"],
    ["scoped webhook", WEBHOOK_PROPERTIES, "/v1/Conversations/{ConversationSid}/Webhooks", "/v1/Conversations/{ConversationSid}/Webhooks/{Sid}", "conversations.v1.conversation.conversation_scoped_webhook"],
  ] as const)("%s: updatable rows are in the update form, create-only rows only in the create form, answers in the answer", (_name, table, create, update, answer) => {
    const createForm = formKeys(create);
    const updateForm = formKeys(update);
    for (const property of sent(table)) {
      const row = table[property] as { onCreate?: string };
      // A row Twilio's create does not take says so (onCreate: after), and is sent by an update.
      for (const key of rowForms(table, property)) expect(createForm.includes(key), `${property} → ${key}`).toBe(row.onCreate !== "after");
    }
    for (const property of changedBy(table, "update")) {
      for (const key of rowForms(table, property)) expect(updateForm, `${property} → ${key}`).toContain(key);
    }
    for (const property of changedBy(table, "create-only")) {
      // A key the update takes only where none is held is create-only by the row's own word.
      if ((table[property] as { narrowUpdate?: string }).narrowUpdate) continue;
      for (const key of rowForms(table, property)) expect(updateForm, `${property} → ${key}`).not.toContain(key);
    }
    const answers = answerKeys(answer);
    for (const property of answered(table)) {
      const keys = table[property].answer!;
      for (const [, key] of partsOf(keys)) expect(answers, `${property} → ${key}`).toContain(key.split(".")[0]);
    }
  });

  it("a participant's address is create-only in Twilio: its update form has no such key", () => {
    expect(formKeys("/v1/Conversations/{ConversationSid}/Participants/{Sid}")).not.toContain(PARTICIPANT_PROPERTIES.messagingBinding.form.address);
  });

  it("a webhook's method and target: the values the spec's enums take", () => {
    const enumOf = (name: string): string[] => spec!.components.schemas[name].enum;
    expect(WEBHOOK_METHODS.map((method) => method.toLowerCase())).toEqual(enumOf("conversation_scoped_webhook_enum_method"));
    expect([...WEBHOOK_TARGETS]).toEqual(enumOf("conversation_scoped_webhook_enum_target"));
  });
});

describe("a message's recovery matches the fields its rows say", () => {
  const ME = "ME" + "1".repeat(32);
  const HX = "HX" + "2".repeat(32);
  const none: MessageFields = {
    author: null, body: null, attributes: null, mediaSid: null, contentSid: null, contentVariables: null, subject: null, dateCreated: null, dateUpdated: null,
  };
  const held = {
    sid: "IM" + "0".repeat(32), author: "system", body: "Hi", attributes: "{}", media: null, content_sid: null,
    date_created: "2024-01-02T03:04:05Z", date_updated: "2024-01-02T03:04:05Z",
  };
  it.each<[string, Record<string, unknown>, Partial<MessageFields>, boolean]>([
    ["as sent", {}, { body: "Hi" }, true],
    ["another body", {}, { body: "Hello" }, false],
    ["author not sent: Twilio's system", {}, { body: "Hi", author: "system" }, true],
    ["author not sent, held by someone", { author: "ada" }, { body: "Hi" }, false],
    ["attributes not sent: {}", {}, { body: "Hi", attributes: {} }, true],
    ["other attributes", { attributes: '{"a":1}' }, { body: "Hi" }, false],
    ["attributes in another key order", { attributes: '{"b":2,"a":1}' }, { body: "Hi", attributes: { a: 1, b: 2 } }, true],
    ["a template's text is not the body sent", { content_sid: HX, body: "Template text" }, { contentSid: HX }, true],
    ["no template sent, one held", { content_sid: HX }, { body: "Hi" }, false],
    ["media sent, first media held", { media: [{ sid: ME }] }, { body: "Hi", mediaSid: ME }, true],
    ["media sent, none held", {}, { body: "Hi", mediaSid: ME }, false],
    ["dates to the second", {}, { body: "Hi", dateCreated: "2024-01-02T03:04:05.900Z", dateUpdated: "2024-01-02T03:04:05Z" }, true],
    ["another creation date", {}, { body: "Hi", dateCreated: "2024-01-02T03:04:06Z" }, false],
    ["subject and variables are never shown", {}, { body: "Hi", subject: "S", contentVariables: { "1": "x" } }, true],
  ])("%s", (_name, answer, fields, matches) => {
    expect(holdsMessageFields({ ...held, ...answer }, { ...none, ...fields })).toBe(matches);
  });
});

describe("recovery compares what was sent with what Twilio holds as each row's comparison says", () => {
  const row = (compare: "text" | "json" | "instant" | "number", recovery: "when-sent" | { unsent: unknown }) =>
    ({ field: { ...CONVERSATION_PROPERTIES.friendlyName, compare, recovery } }) as const;
  it.each<[string, ReturnType<typeof row>, unknown, unknown, boolean]>([
    ["text as sent", row("text", { unsent: null }), "a", "a", true],
    ["text held otherwise", row("text", { unsent: null }), "b", "a", false],
    ["text not sent, none held", row("text", { unsent: null }), null, null, true],
    ["text not sent, some held", row("text", { unsent: null }), "a", null, false],
    ["text sent, none held", row("text", { unsent: null }), null, "a", false],
    ["text not sent, Twilio's default held", row("text", { unsent: "system" }), "system", null, true],
    ["text not sent, another than Twilio's default held", row("text", { unsent: "system" }), "ada", null, false],
    ["JSON in another key order", row("json", { unsent: {} }), { b: 2, a: 1 }, { a: 1, b: 2 }, true],
    ["JSON lists in another order", row("json", { unsent: {} }), [2, 1], [1, 2], false],
    ["JSON not sent, Twilio's default held", row("json", { unsent: {} }), {}, null, true],
    ["JSON not sent, some held", row("json", { unsent: {} }), { a: 1 }, null, false],
    ["an instant to the second", row("instant", "when-sent"), "2024-01-02T03:04:05Z", "2024-01-02T03:04:05.900Z", true],
    ["another instant", row("instant", "when-sent"), "2024-01-02T03:04:06Z", "2024-01-02T03:04:05Z", false],
    ["an instant not sent, any held", row("instant", "when-sent"), "2031-01-01T00:00:00Z", null, true],
    ["an instant sent, none held", row("instant", "when-sent"), null, "2024-01-02T03:04:05Z", false],
    ["a number as sent", row("number", { unsent: null }), 3, 3, true],
    ["another number", row("number", { unsent: null }), 4, 3, false],
    ["a number not sent, zero held", row("number", { unsent: null }), 0, null, false],
  ])("%s", (_name, table, held, sentValue, matches) => {
    expect(holdsWhatWasSent(table, { field: held }, { field: sentValue })).toBe(matches);
  });
});

describe("a composite row (one form key per part) is compared part by part", () => {
  const timers = CONVERSATION_PROPERTIES.timers;
  it.each<[string, unknown, unknown, boolean]>([
    ["the same, spelled otherwise", { inactive: "PT60S", closed: "PT600S" }, { inactive: "PT1M", closed: "PT10M" }, false],
    ["a part left out is not managed", { inactive: "PT1M" }, { inactive: "PT1M", closed: "PT10M" }, false],
    ["a part changed", { inactive: "PT2M" }, { inactive: "PT1M", closed: "PT10M" }, true],
    ["a part newly declared", { closed: "PT10M" }, { inactive: "PT1M" }, true],
    ["nothing held", { inactive: "PT1M" }, null, true],
    ["left out entirely", null, { inactive: "PT1M" }, false],
    ["unknown in preview", UNKNOWN, { inactive: "PT1M" }, true],
    ["one part unknown in preview", { inactive: UNKNOWN }, { inactive: "PT1M" }, true],
  ])("%s", (_name, declared, held, differs) => {
    expect(propertyDiffers(timers, declared, held)).toBe(differs);
  });

  const table = {
    pair: { ...CONVERSATION_PROPERTIES.friendlyName, form: { "one.a": "One.A", b: "B" }, answer: { "one.a": "one.a", b: "b" }, recovery: { unsent: null } },
  } as const;
  it.each<[string, unknown, unknown, boolean]>([
    ["every part as sent", { one: { a: "x" }, b: "y" }, { one: { a: "x" }, b: "y" }, true],
    ["a part not sent is at Twilio's default (none)", { one: { a: "x" }, b: null }, { one: { a: "x" } }, true],
    ["a part not sent but held", { one: { a: "x" }, b: "y" }, { one: { a: "x" } }, false],
    ["a part held otherwise", { one: { a: "z" }, b: null }, { one: { a: "x" } }, false],
    ["nothing sent, nothing held", null, null, true],
  ])("recovery: %s", (_name, held, fields, matches) => {
    expect(holdsWhatWasSent(table, { pair: held }, { pair: fields })).toBe(matches);
  });
});
