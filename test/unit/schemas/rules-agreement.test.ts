import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { checkConversation, checkMessage } from "../../../provider/resources/check";
import { loadStackText } from "../../../schemas/load";
import { renderProblems } from "../../../schemas/problems";

// Every rule's boundary values, fed to the stack-file path (`npm run validate` and the program both
// call loadStackText) and to the provider's `check`: the two must give the same verdict. The
// editor's JSON Schema is held to the same verdicts where JSON Schema can say the rule; where it
// cannot (counts in UTF-16 units, timer bounds, sizes in bytes, comparing two values), it must at
// least never refuse what validate accepts.

const CH = "CH" + "0".repeat(32);
const HX = "HX" + "0".repeat(32);
const MG = "MG" + "0".repeat(32);
const ME = "ME" + "0".repeat(32);
const EMOJI = "😀";

type Editor = "same" | "lenient";
interface Case {
  name: string;
  conversation?: Record<string, unknown>;
  message?: Record<string, unknown>;
  /** A whole stack file, for rules across conversations; the provider's `check` sees one resource and has no say. */
  stack?: Record<string, unknown>;
  valid: boolean;
  editor: Editor;
}

/** `{"big":"…"}` is 10 bytes of JSON around the text. */
const attributesOfBytes = (bytes: number) => ({ big: "x".repeat(bytes - 10) });

const conversationCases: Case[] = [
  ...[
    ["", false],
    [" ", false],
    ["room#1", false],
    ["a/b", false],
    ["a?b", false],
    [".", false],
    ["..", false],
    ["...", true],
    ["a.b", true],
    ["support room 1", true],
    [CH, false],
    ["ch" + "0".repeat(32), true],
    ["u".repeat(256), true],
    ["u".repeat(257), false],
  ].map(([uniqueName, valid]) => ({ name: `uniqueName ${JSON.stringify(uniqueName).slice(0, 24)}`, conversation: { uniqueName }, valid: valid as boolean, editor: "same" as Editor })),
  { name: "uniqueName of 128 emoji (256 UTF-16 units)", conversation: { uniqueName: EMOJI.repeat(128) }, valid: true, editor: "same" },
  { name: "uniqueName of 129 emoji (258 UTF-16 units)", conversation: { uniqueName: EMOJI.repeat(129) }, valid: false, editor: "lenient" },
  { name: "friendlyName of 256 characters", conversation: { friendlyName: "f".repeat(256) }, valid: true, editor: "same" },
  { name: "friendlyName of 257 characters", conversation: { friendlyName: "f".repeat(257) }, valid: false, editor: "same" },
  { name: "friendlyName of 256 é (1 unit each)", conversation: { friendlyName: "é".repeat(256) }, valid: true, editor: "same" },
  { name: "friendlyName of 128 emoji", conversation: { friendlyName: EMOJI.repeat(128) }, valid: true, editor: "same" },
  { name: "friendlyName of 129 emoji", conversation: { friendlyName: EMOJI.repeat(129) }, valid: false, editor: "lenient" },
  ...[
    ["inactive", "PT1M", true],
    ["inactive", "PT59S", false],
    ["inactive", "PT59.9S", false],
    ["closed", "PT10M", true],
    ["closed", "PT9M59S", false],
    ["closed", "P36500D", true],
    ["closed", "P36501D", false],
    ["closed", "P99999999999999W", false],
  ].map(([timer, duration, valid]) => ({
    name: `timers.${timer} ${duration || '""'}`,
    conversation: { state: "active", timers: { [timer as string]: duration } },
    valid: valid as boolean,
    editor: "lenient" as Editor,
  })),
  // The shape of a duration is a pattern, which editors check too.
  ...[
    ["P1M", false],
    ["P1Y", false],
    ["P", false],
    ["PT", false],
    ["P1DT", false],
    ["", false],
    ["1h", false],
    ["P1W", true],
    ["P1DT12H", true],
    ["PT1H30M", true],
    ["PT90.5S", true],
  ].map(([duration, valid]) => ({
    name: `timers.inactive shape ${duration || '""'}`,
    conversation: { state: "active", timers: { inactive: duration } },
    valid: valid as boolean,
    editor: "same" as Editor,
  })),
  { name: "timers without a state", conversation: { timers: { inactive: "PT1M" } }, valid: false, editor: "same" },
  { name: "state active", conversation: { state: "active" }, valid: true, editor: "same" },
  { name: "state open", conversation: { state: "open" }, valid: false, editor: "same" },
  { name: "conversation attributes of 16384 bytes", conversation: { attributes: attributesOfBytes(16_384) }, valid: true, editor: "same" },
  { name: "conversation attributes of 16385 bytes", conversation: { attributes: attributesOfBytes(16_385) }, valid: false, editor: "lenient" },
  { name: "attributes with a __proto__ key", conversation: { attributes: JSON.parse('{"a":{"__proto__":{"x":1}}}') }, valid: false, editor: "same" },
  { name: "attributes with a __proto__x key", conversation: { attributes: { a: { __proto__x: 1 } } }, valid: true, editor: "same" },
  { name: "adopt ifExists with a uniqueName", conversation: { adopt: "ifExists", uniqueName: "lobby" }, valid: true, editor: "same" },
  { name: "adopt ifExists without a uniqueName", conversation: { adopt: "ifExists" }, valid: false, editor: "same" },
  { name: "adopt require without a uniqueName", conversation: { adopt: "require" }, valid: false, editor: "same" },
  { name: "adopt never without a uniqueName", conversation: { adopt: "never" }, valid: true, editor: "same" },
  { name: "messagingServiceSid", conversation: { messagingServiceSid: MG }, valid: true, editor: "same" },
  { name: "messagingServiceSid one digit short", conversation: { messagingServiceSid: MG.slice(0, -1) }, valid: false, editor: "same" },
  ...[
    [{ email: { address: "support@example.com", name: "Support desk" } }, true],
    [{ email: { address: "support@example.com" } }, true],
    [{ email: { name: "Support desk" } }, true],
    [{ email: {} }, true],
    [{}, true],
    [{ email: { address: "support" } }, false],
    [{ email: { address: "" } }, false],
    [{ email: { address: "sup port@example.com" } }, false],
    [{ email: { address: "a@b@example.com" } }, false],
    [{ email: { name: "" } }, false],
    [{ email: { name: " \t" } }, false],
    [{ email: { name: 7 } }, false],
    [{ email: { from: "support@example.com" } }, false],
    [{ sms: { address: "+15550100" } }, false],
    [{ email: "support@example.com" }, false],
    ["support@example.com", false],
  ].map(([bindings, valid]) => ({ name: `bindings ${JSON.stringify(bindings)}`, conversation: { bindings }, valid: valid as boolean, editor: "same" as Editor })),
  ...participantCases(),
  ...webhookCases(),
];

function participantCases(): Case[] {
  const cases: Array<[string, Record<string, unknown>, boolean, Editor]> = [
    ["a chat participant", { identity: "ada" }, true, "same"],
    ["an identity of 256 characters", { identity: "i".repeat(256) }, true, "same"],
    ["an identity of 257 characters", { identity: "i".repeat(257) }, false, "same"],
    ["an SMS participant", { messagingBinding: { address: "+15551234567", proxyAddress: "+15557654321" } }, true, "same"],
    ["a Group MMS number alone", { messagingBinding: { address: "+15551234567" } }, true, "same"],
    ["a chat participant with a projected address", { identity: "ada", messagingBinding: { projectedAddress: "+15557654321" } }, true, "same"],
    ["identity and address", { identity: "ada", messagingBinding: { address: "+15551234567" } }, false, "same"],
    ["neither identity nor address", { attributes: { a: 1 } }, false, "same"],
    ["a proxy address alone", { messagingBinding: { proxyAddress: "+15557654321" } }, false, "same"],
    ["an address and a projected address", { messagingBinding: { address: "+15551234567", projectedAddress: "+15557654321" } }, false, "same"],
    ["an address that is its proxy", { messagingBinding: { address: "+15551234567", proxyAddress: "+15551234567" } }, false, "lenient"],
    ["an empty address", { messagingBinding: { address: "", proxyAddress: "+15557654321" } }, false, "same"],
    ["a binding part Twilio has not", { messagingBinding: { address: "+15551234567", channel: "sms" } }, false, "same"],
    ["participant attributes of 4096 bytes", { identity: "ada", attributes: attributesOfBytes(4096) }, true, "same"],
    ["participant attributes of 4097 bytes", { identity: "ada", attributes: attributesOfBytes(4097) }, false, "lenient"],
    ["a read index", { identity: "ada", lastReadMessageIndex: 0 }, true, "same"],
    ["a negative read index", { identity: "ada", lastReadMessageIndex: -1 }, false, "same"],
    ["a fractional read index", { identity: "ada", lastReadMessageIndex: 1.5 }, false, "same"],
    ["a read timestamp", { identity: "ada", lastReadTimestamp: "2024-01-02T03:04:05Z" }, true, "same"],
    ["a read timestamp not in UTC", { identity: "ada", lastReadTimestamp: "2024-01-02T03:04:05+01:00" }, false, "same"],
    ["a field no participant has", { identity: "ada", nickname: "A" }, false, "same"],
  ];
  return cases.map(([name, participant, valid, editor]) => ({ name: `participant: ${name}`, conversation: { participants: { p: participant } }, valid, editor }));
}

function webhookCases(): Case[] {
  const FW = "FW" + "0".repeat(32);
  const cases: Array<[string, Record<string, unknown>, boolean, Editor]> = [
    ["a webhook", { target: "webhook", url: "https://example.com/h", method: "POST", filters: ["onMessageAdded"] }, true, "same"],
    ["a trigger", { target: "trigger", url: "https://example.com/h", triggers: ["help", "t".repeat(248)] }, true, "same"],
    ["a studio flow", { target: "studio", flowSid: FW, replayAfter: 0 }, true, "same"],
    ["no target", { url: "https://example.com/h", filters: ["onMessageAdded"] }, false, "same"],
    ["an unknown target", { target: "flex", url: "https://example.com/h" }, false, "same"],
    ["a webhook without filters", { target: "webhook", url: "https://example.com/h" }, false, "same"],
    ["a webhook with no filter", { target: "webhook", url: "https://example.com/h", filters: [] }, false, "same"],
    ["a pre-action filter", { target: "webhook", url: "https://example.com/h", filters: ["onMessageAdd"] }, false, "same"],
    ["a relative URL", { target: "webhook", url: "/hooks", filters: ["onMessageAdded"] }, false, "same"],
    ["an ftp URL", { target: "webhook", url: "ftp://example.com/h", filters: ["onMessageAdded"] }, false, "lenient"],
    ["a method in lowercase", { target: "webhook", url: "https://example.com/h", method: "post", filters: ["onMessageAdded"] }, false, "same"],
    ["six triggers", { target: "trigger", url: "https://example.com/h", triggers: ["a", "b", "c", "d", "e", "f"] }, false, "lenient"],
    ["a trigger of 249 characters", { target: "trigger", url: "https://example.com/h", triggers: ["t".repeat(249)] }, false, "lenient"],
    ["a studio webhook with a URL", { target: "studio", flowSid: FW, url: "https://example.com/h" }, false, "same"],
    ["a trigger with filters", { target: "trigger", url: "https://example.com/h", triggers: ["help"], filters: ["onMessageAdded"] }, false, "same"],
    ["a flow that is no SID", { target: "studio", flowSid: "flow" }, false, "same"],
  ];
  return cases.map(([name, webhook, valid, editor]) => ({ name: `scoped webhook: ${name}`, conversation: { scopedWebhooks: { w: webhook } }, valid, editor }));
}

const messageCases: Case[] = [
  { name: "body of 1600 characters", message: { body: "b".repeat(1600) }, valid: true, editor: "same" },
  { name: "body of 1601 characters", message: { body: "b".repeat(1601) }, valid: false, editor: "same" },
  { name: "body of 800 emoji", message: { body: EMOJI.repeat(800) }, valid: true, editor: "same" },
  { name: "body of 801 emoji", message: { body: EMOJI.repeat(801) }, valid: false, editor: "lenient" },
  { name: "subject of 256 characters", message: { body: "hi", subject: "s".repeat(256) }, valid: true, editor: "same" },
  { name: "subject of 257 characters", message: { body: "hi", subject: "s".repeat(257) }, valid: false, editor: "same" },
  { name: "message attributes of 4096 bytes", message: { body: "hi", attributes: attributesOfBytes(4096) }, valid: true, editor: "same" },
  { name: "message attributes of 4097 bytes", message: { body: "hi", attributes: attributesOfBytes(4097) }, valid: false, editor: "lenient" },
  ...[
    ["v".repeat(256), true, "same"],
    ["v".repeat(257), false, "same"],
    [EMOJI.repeat(128), true, "same"],
    [EMOJI.repeat(129), false, "lenient"],
  ].map(([value, valid, editor]) => ({
    name: `content variable of ${[...String(value)].length} ${String(value).startsWith("v") ? "letters" : "emoji"}`,
    message: { contentSid: HX, contentVariables: { "1": value } },
    valid: valid as boolean,
    editor: editor as Editor,
  })),
  { name: "content variable named __proto__", message: { contentSid: HX, contentVariables: JSON.parse('{"__proto__":"x"}') }, valid: false, editor: "same" },
  { name: "content template with a body", message: { contentSid: HX, body: "hi" }, valid: false, editor: "same" },
  { name: "content template with a mediaSid", message: { contentSid: HX, mediaSid: ME }, valid: false, editor: "same" },
  { name: "content template with variables", message: { contentSid: HX, contentVariables: { "1": "Ada" } }, valid: true, editor: "same" },
  { name: "content variables without a content template", message: { body: "hi", contentVariables: { "1": "Ada" } }, valid: false, editor: "same" },
  { name: "body with media", message: { body: "hi", mediaSid: ME }, valid: true, editor: "same" },
  { name: "media alone", message: { mediaSid: ME }, valid: true, editor: "same" },
  { name: "no content", message: { author: "ada" }, valid: false, editor: "same" },
  ...[
    ["2024-02-29T00:00:00Z", true],
    ["2023-02-29T00:00:00Z", false],
    ["2000-02-29T00:00:00Z", true],
    ["2100-02-29T00:00:00Z", false],
    ["2024-04-31T00:00:00Z", false],
    ["2024-12-31T23:59:59Z", true],
    ["2024-12-31T24:00:00Z", false],
    ["2024-12-31T23:60:00Z", false],
    ["2024-01-31T09:30:00.5Z", true],
    ["2024-01-31T09:30:00+01:00", false],
    ["2024-01-31T09:30:00", false],
    ["2024-01-31", false],
  ].map(([dateCreated, valid]) => ({
    name: `dateCreated ${dateCreated}`,
    message: { body: "hi", dateCreated },
    valid: valid as boolean,
    editor: "same" as Editor,
  })),
  {
    name: "dateUpdated before dateCreated",
    message: { body: "hi", dateCreated: "2024-01-02T00:00:00Z", dateUpdated: "2024-01-01T23:59:59Z" },
    valid: false,
    editor: "lenient",
  },
  {
    name: "dateUpdated equal to dateCreated",
    message: { body: "hi", dateCreated: "2024-01-02T00:00:00Z", dateUpdated: "2024-01-02T00:00:00Z" },
    valid: true,
    editor: "same",
  },
];

const stackCases: Case[] = [
  {
    name: "seed messages in a production stack",
    stack: { guards: { production: true }, conversations: { lobby: { messages: [{ body: "hi" }] } } },
    valid: false,
    editor: "same",
  },
  {
    name: "an empty messages list in a production stack",
    stack: { guards: { production: true }, conversations: { lobby: { messages: [] } } },
    valid: true,
    editor: "same",
  },
  {
    name: "seed messages in a stack that is not production",
    stack: { guards: { production: false }, conversations: { lobby: { messages: [{ body: "hi" }] } } },
    valid: true,
    editor: "same",
  },
  {
    name: "two conversations with one uniqueName",
    stack: { conversations: { a: { uniqueName: "desk" }, b: { uniqueName: "desk" } } },
    valid: false,
    editor: "lenient",
  },
];

// Grouped seeding: what a group member cannot have is a Pulumi option of a resource of its own, which
// the group's provider never sees; only validate (and the editor) have a say.
stackCases.push(
  { name: "grouped seeding of plain conversations", stack: { seeding: { groups: 4 }, conversations: { lobby: { messages: [{ body: "hi" }] }, desk: {} } }, valid: true, editor: "same" },
  { name: "grouped seeding in 0 groups", stack: { seeding: { groups: 0 }, conversations: {} }, valid: false, editor: "same" },
  { name: "grouped seeding in 2.5 groups", stack: { seeding: { groups: 2.5 }, conversations: {} }, valid: false, editor: "same" },
  { name: "grouped seeding without groups", stack: { seeding: {}, conversations: {} }, valid: false, editor: "same" },
  { name: "adopt: never and retainOnDelete: false (the defaults) in grouped seeding", stack: { seeding: { groups: 4 }, conversations: { lobby: { adopt: "never", retainOnDelete: false } } }, valid: true, editor: "same" },
  { name: "renamedFrom without grouped seeding", stack: { conversations: { lobby: { renamedFrom: "hall" } } }, valid: true, editor: "same" },
  // lobby and helpdesk share group 3 of 4; hall is in group 2. The editor cannot hash names.
  { name: "renamedFrom within a group in grouped seeding", stack: { seeding: { groups: 4 }, conversations: { lobby: { renamedFrom: "helpdesk" } } }, valid: true, editor: "same" },
  { name: "renamedFrom across groups with a uniqueName", stack: { seeding: { groups: 4 }, conversations: { lobby: { uniqueName: "lobby", renamedFrom: "hall" } } }, valid: true, editor: "same" },
  { name: "renamedFrom across groups without a uniqueName", stack: { seeding: { groups: 4 }, conversations: { lobby: { renamedFrom: "hall" } } }, valid: false, editor: "lenient" },
  ...(
    [
      ["adopt", "ifExists"],
      ["protect", true],
      ["retainOnDelete", true],
    ] as const
  ).map(([key, value]) => ({
    name: `${key} in grouped seeding`,
    stack: { seeding: { groups: 4 }, conversations: { lobby: { uniqueName: "lobby", [key]: value } } },
    valid: false,
    editor: "same" as Editor,
  })),
);

const CASES = [...conversationCases, ...messageCases];

// A participant's role and user name declared things (resolved by the stack program to a SID and an
// identity, which check sees), so only validate has a say over the names.
const RL = "RL" + "0".repeat(32);
const ROLES = { agent: { friendlyName: "agent", type: "conversation", permissions: ["sendMessage"] }, staff: { friendlyName: "staff", type: "service", permissions: ["joinConversation"] } };
stackCases.push(
  { name: "a participant's role by SID", stack: { conversations: { lobby: { participants: { a: { identity: "ada", role: RL } } } } }, valid: true, editor: "same" },
  { name: "a participant's role by a declared key", stack: { roles: ROLES, conversations: { lobby: { participants: { a: { identity: "ada", role: "agent" } } } } }, valid: true, editor: "same" },
  { name: "a participant's role by an undeclared key", stack: { roles: ROLES, conversations: { lobby: { participants: { a: { identity: "ada", role: "agnet" } } } } }, valid: false, editor: "lenient" },
  { name: "a participant's role that is a service role", stack: { roles: ROLES, conversations: { lobby: { participants: { a: { identity: "ada", role: "staff" } } } } }, valid: false, editor: "lenient" },
  { name: "a participant that is a declared user", stack: { users: { ada: { identity: "ada@example.com" } }, conversations: { lobby: { participants: { a: { user: "ada" } } } } }, valid: true, editor: "same" },
  { name: "a participant that is an undeclared user", stack: { users: { ada: { identity: "ada@example.com" } }, conversations: { lobby: { participants: { a: { user: "grace" } } } } }, valid: false, editor: "lenient" },
  { name: "a participant with a user and an identity", stack: { users: { ada: { identity: "ada@example.com" } }, conversations: { lobby: { participants: { a: { user: "ada", identity: "ada" } } } } }, valid: false, editor: "same" },
  { name: "a participant that is a user, authoring a message", stack: { users: { ada: { identity: "ada@example.com" } }, conversations: { lobby: { participants: { a: { user: "ada" } }, messages: [{ body: "hi", author: { participant: "a" } }] } } }, valid: true, editor: "same" },
);

// A message authored by a participant: resolved by the stack program, so only validate has a say.
stackCases.push(
  {
    name: "a message authored by a declared participant",
    stack: { conversations: { lobby: { participants: { ada: { identity: "ada" } }, messages: [{ body: "hi", author: { participant: "ada" } }] } } },
    valid: true,
    editor: "same",
  },
  {
    name: "a message authored by an undeclared participant",
    stack: { conversations: { lobby: { participants: { ada: { identity: "ada" } }, messages: [{ body: "hi", author: { participant: "grace" } }] } } },
    valid: false,
    editor: "lenient",
  },
  {
    name: "two participants with one identity",
    stack: { conversations: { lobby: { participants: { a: { identity: "ada" }, b: { identity: "ada" } } } } },
    valid: false,
    editor: "lenient",
  },
  {
    name: "six scoped webhooks",
    stack: { conversations: { lobby: { scopedWebhooks: Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [`w${n}`, { target: "studio", flowSid: `FW${String(n).repeat(32)}` }])) } } },
    valid: false,
    editor: "lenient",
  },
);

function stackOf(testCase: Case): Record<string, unknown> {
  if (testCase.stack) return testCase.stack;
  const conversation = testCase.conversation ?? { messages: [testCase.message] };
  return { conversations: { lobby: conversation } };
}

/** YAML is a superset of JSON, so the stack file is written as JSON text. */
function schemaVerdict(testCase: Case): { valid: boolean; detail: string } {
  const result = loadStackText(JSON.stringify(stackOf(testCase)), "stack.yaml");
  return { valid: result.ok, detail: result.ok ? "" : renderProblems(result.problems) };
}

function checkVerdict(testCase: Case): { valid: boolean; detail: string } {
  const failures = testCase.conversation
    ? checkConversation(testCase.conversation)
    : checkMessage({ conversationSid: CH, ...testCase.message });
  return { valid: failures.length === 0, detail: JSON.stringify(failures) };
}

const ajv = new Ajv2020({ strict: false });
addFormats(ajv);
const editorValidates = ajv.compile(
  JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "schemas", "stack.schema.json"), "utf8")),
);

describe("one set of rules", () => {
  it.each(CASES.map((testCase) => [testCase.name, testCase] as const))("%s: validate and check agree", (_name, testCase) => {
    const schema = schemaVerdict(testCase);
    const check = checkVerdict(testCase);
    expect({ validate: schema.valid, check: check.valid }, `${schema.detail}\n${check.detail}`).toEqual({
      validate: testCase.valid,
      check: testCase.valid,
    });
  });

  // The stack program puts a conversation's messages in its thread, keyed by position when unkeyed.
  it.each(messageCases.map((testCase) => [testCase.name, testCase] as const))("%s: check of a conversation's thread agrees", (_name, testCase) => {
    const failures = checkConversation({ messages: { "0": testCase.message } });
    expect(failures.length === 0, JSON.stringify(failures)).toBe(testCase.valid);
    // Each failure names the message and its field, as the Message resource's check names the field.
    const ownFailures = checkMessage({ conversationSid: CH, ...testCase.message });
    expect(failures.map((failure) => failure.property)).toEqual(ownFailures.map((failure) => `messages.0.${failure.property}`));
  });

  it.each(stackCases.map((testCase) => [testCase.name, testCase] as const))("%s: validate's verdict", (_name, testCase) => {
    const schema = schemaVerdict(testCase);
    expect(schema.valid, schema.detail).toBe(testCase.valid);
  });

  it.each([...CASES, ...stackCases].map((testCase) => [testCase.name, testCase] as const))("%s: the editor's JSON Schema agrees", (_name, testCase) => {
    const editorValid = editorValidates(stackOf(testCase));
    if (testCase.editor === "same") expect(editorValid, JSON.stringify(editorValidates.errors)).toBe(testCase.valid);
    else expect(editorValid || !testCase.valid).toBe(true);
  });
});

// Scalars written plain in a stack file, as YAML reads them: numbers, and text that only looks like
// one. `loaded` is what js-yaml makes of the scalar, the value that reaches check and the editor's
// schema. Where YAML's number is not what JSON would carry (rounded, too large, infinite), validate
// refuses it; check and the editor see only the loaded value, so they refuse what they can see
// (Infinity, NaN) and accept what was already altered before they run ("lenient").
const SCALARS: Array<{ written: string; loaded: unknown; valid: boolean; others: Editor }> = [
  { written: "E3", loaded: "E3", valid: true, others: "same" },
  { written: "e5", loaded: "e5", valid: true, others: "same" },
  { written: "-E3", loaded: "-E3", valid: true, others: "same" },
  { written: "1e", loaded: "1e", valid: true, others: "same" },
  { written: "1_000", loaded: "1_000", valid: true, others: "same" },
  { written: "0b101", loaded: "0b101", valid: true, others: "same" },
  { written: "Infinity", loaded: "Infinity", valid: true, others: "same" },
  { written: "v1.2", loaded: "v1.2", valid: true, others: "same" },
  { written: '"1e3"', loaded: "1e3", valid: true, others: "same" },
  { written: "'E3'", loaded: "E3", valid: true, others: "same" },
  { written: "!!str 1e400", loaded: "1e400", valid: true, others: "same" },
  { written: "1e3", loaded: 1000, valid: true, others: "same" },
  { written: "1E3", loaded: 1000, valid: true, others: "same" },
  { written: "1.5e-3", loaded: 0.0015, valid: true, others: "same" },
  { written: "0x1F", loaded: 31, valid: true, others: "same" },
  { written: "0o17", loaded: 15, valid: true, others: "same" },
  { written: "9007199254740992", loaded: 9007199254740992, valid: true, others: "same" },
  { written: "1E400", loaded: "1E400", valid: false, others: "lenient" },
  { written: "-1e400", loaded: "-1e400", valid: false, others: "lenient" },
  { written: "1.0e-400", loaded: 0, valid: false, others: "lenient" },
  { written: "12345678901234567890", loaded: 12345678901234567000, valid: false, others: "lenient" },
  { written: "9007199254740993", loaded: 9007199254740992, valid: false, others: "lenient" },
  { written: ".inf", loaded: Infinity, valid: false, others: "same" },
  { written: "-.inf", loaded: -Infinity, valid: false, others: "same" },
  { written: ".nan", loaded: NaN, valid: false, others: "same" },
];

describe("a scalar in attributes, as YAML reads it", () => {
  const stackText = (written: string) => `conversations:\n  lobby:\n    attributes: { depot: ${written} }\n`;

  it.each(SCALARS.map((scalar) => [scalar.written, scalar] as const))("%s", (_written, scalar) => {
    const text = stackText(scalar.written);
    expect((load(text) as any).conversations.lobby.attributes.depot).toStrictEqual(scalar.loaded);

    const validated = loadStackText(text, "stack.yaml");
    expect(validated.ok, validated.ok ? "" : renderProblems(validated.problems)).toBe(scalar.valid);
    if (validated.ok) expect(validated.spec.conversations.lobby.attributes?.depot).toStrictEqual(scalar.loaded);
    else expect(renderProblems(validated.problems)).toContain(`✖ the number ${scalar.written} cannot be carried exactly in JSON`);

    const checked = checkConversation({ attributes: { depot: scalar.loaded } });
    const editorValid = editorValidates(stackOf({ name: scalar.written, conversation: { attributes: { depot: scalar.loaded } }, valid: scalar.valid, editor: scalar.others }));
    if (scalar.others === "same") {
      expect(checked.length === 0, JSON.stringify(checked)).toBe(scalar.valid);
    } else {
      expect(checked).toEqual([]);
      expect(editorValid).toBe(true);
    }
    if (scalar.valid) expect(editorValid, JSON.stringify(editorValidates.errors)).toBe(true);
  });
});
