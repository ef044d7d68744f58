// The stack-file format. Never import this module from provider/resources or provider/client: the
// provider is serialized by value and zod schemas do not serialize.
import { z } from "zod";
import {
  CONTENT_TEMPLATE_EXCLUDES,
  CONVERSATION_DEPENDENCIES,
  LIMITS,
  MESSAGE_CONTENT_FIELDS,
  MESSAGE_DEPENDENCIES,
  NO_CONTENT,
  SID_PATTERNS,
  contentTemplateViolation,
  conversationViolations,
  messageViolations,
  sidViolation,
  participantAuthor,
  participantNaturalKey,
  participantViolations,
  webhookViolations,
  WEBHOOK_TARGETS,
  WEBHOOK_TARGET_FIELDS,
  type Dependency,
  type FieldViolation,
  type Violation,
} from "../provider/domain/rules";
import { CONVERSATION_PROPERTIES, MESSAGE_PROPERTIES, PARTICIPANT_PROPERTIES, WEBHOOK_PROPERTIES } from "../provider/domain/properties";
import { groupIndex } from "../provider/domain/groups";
import { explain, isRecord, report, yamlKindOf, type Issues } from "./explain";
import { closestTo } from "./issues";
import { SAFE_KEYS, editorText, notAMapping, rowFields, sharedSchemas, type SharedSchemas } from "./fields";
import { environmentRules, environmentSchemas } from "./environment";

/** Conversation logical names become Pulumi resource names (and URN parts). */
export const LOGICAL_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
/**
 * Message keys name the message resource `<logical name>/<key>`. They start with a letter so that
 * they can never collide with the index used for messages without a key.
 */
export const MESSAGE_KEY_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;
/** Participant and webhook keys: as message keys, so each names one child in plans and outputs (`<conversation>/<key>`). */
export const CHILD_KEY_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/** Each dependency of provider/domain/rules.ts as if/then, so editors check it with its own words. */
function dependencyConditions(dependencies: readonly Dependency[]) {
  return dependencies.flatMap(({ field, values, needs, violation }) =>
    (values ?? [undefined]).map((value) => ({
      if: value === undefined ? { required: [field] } : { required: [field], properties: { [field]: { const: value } } },
      then: { required: [needs], errorMessage: editorText(violation(value)) },
    })),
  );
}

/** The rules across a message's fields that JSON Schema can state (all but the order of the dates). */
const MESSAGE_CONDITIONS = [
  { anyOf: MESSAGE_CONTENT_FIELDS.map((field) => ({ required: [field], errorMessage: editorText(NO_CONTENT) })) },
  ...CONTENT_TEMPLATE_EXCLUDES.map((field) => ({
    if: { required: ["contentSid", field] },
    then: { properties: { [field]: false }, errorMessage: editorText(contentTemplateViolation([field])) },
  })),
  ...dependencyConditions(MESSAGE_DEPENDENCIES),
];

/** What each webhook target needs and refuses (webhookViolations), as if/then for editors, in the same words. */
const WEBHOOK_CONDITIONS = WEBHOOK_TARGETS.map((target) => {
  const { needs, takes } = WEBHOOK_TARGET_FIELDS[target];
  const refused = ["url", "method", "filters", "triggers", "flowSid", "replayAfter"].filter((field) => !takes.includes(field));
  const example = { target, ...Object.fromEntries(refused.map((field) => [field, true])) };
  const violations = webhookViolations(example);
  return {
    if: { required: ["target"], properties: { target: { const: target } } },
    then: {
      required: needs,
      properties: Object.fromEntries(refused.map((field) => [field, false])),
      errorMessage: violations.map(editorText).join("; "),
    },
  };
});

/**
 * A participant of the stack file as the provider takes it: one naming a declared `user` is that
 * user by its identity (the stack program resolves it), so every rule on identities applies to it.
 */
function asParticipant(participant: Record<string, unknown>): Record<string, unknown> {
  const { user, ...rest } = participant;
  return typeof user === "string" && rest.identity === undefined ? { ...rest, identity: `(the identity of user ${user})` } : rest;
}

const USER_AND_IDENTITY: Violation = {
  message: "a participant names a user or an identity, not both",
  hint: "keep user: (the participant is that user, by its identity), or identity:",
};

function declaredParticipantViolations(participant: Record<string, unknown>): FieldViolation[] {
  if (typeof participant.user === "string" && participant.identity !== undefined) return [{ field: "user", ...USER_AND_IDENTITY }];
  return participantViolations(asParticipant(participant));
}

/** Who a participant is (participantViolations), as JSON Schema for editors, in the same words; all but an address equal to its proxy. */
const PARTICIPANT_CONDITIONS = (() => {
  const words = (participant: Record<string, unknown>) => editorText(participantViolations(participant)[0]);
  const binding = (part: string) => ({ required: ["messagingBinding"], properties: { messagingBinding: { required: [part] } } });
  const named = { anyOf: [{ required: ["identity"] }, { required: ["user"] }] };
  return [
    {
      if: { not: { anyOf: [{ required: ["identity"] }, { required: ["user"] }, binding("address"), binding("projectedAddress")] } },
      then: { required: ["identity"], errorMessage: words({}) },
    },
    { if: { required: ["user", "identity"] }, then: { properties: { identity: false }, errorMessage: editorText(USER_AND_IDENTITY) } },
    {
      if: { allOf: [named, binding("address")] },
      then: { properties: { messagingBinding: { properties: { address: false } } }, errorMessage: words({ identity: "a", messagingBinding: { address: "b" } }) },
    },
    {
      if: binding("proxyAddress"),
      then: { ...binding("address"), errorMessage: words({ identity: "a", messagingBinding: { proxyAddress: "b" } }) },
    },
    {
      if: { allOf: [binding("address"), binding("projectedAddress")] },
      then: { properties: { messagingBinding: { properties: { projectedAddress: false } } }, errorMessage: words({ messagingBinding: { address: "a", projectedAddress: "b" } }) },
    },
  ];
})();

const PRODUCTION_SEED: Violation = {
  message: "seed messages are refused in a production stack (guards.production: true)",
  hint: "remove the messages from this stack, or seed them in a non-production stack",
};

/** guards.production: true refuses every non-empty messages list. */
const PRODUCTION_GUARD = {
  if: { required: ["guards"], properties: { guards: { required: ["production"], properties: { production: { const: true } } } } },
  then: {
    properties: {
      conversations: {
        additionalProperties: {
          if: { required: ["messages"], properties: { messages: { minItems: 1 } } },
          then: { properties: { messages: false }, errorMessage: editorText(PRODUCTION_SEED) },
        },
      },
    },
  },
};

/**
 * What a conversation inside a group cannot have, and the value it may have instead (its default):
 * each is a Pulumi option of a resource of its own, or its adoption. (A group does renames itself.)
 */
const REFUSED_IN_GROUP = { adopt: "never", protect: undefined, retainOnDelete: false } as const;
type RefusedInGroup = keyof typeof REFUSED_IN_GROUP;

/** The keys a conversation (raw, or with defaults applied) sets that a group member cannot have. */
export function refusedInGroupKeys(conversation: Record<string, unknown>): RefusedInGroup[] {
  return (Object.keys(REFUSED_IN_GROUP) as RefusedInGroup[]).filter((key) => conversation[key] !== undefined && conversation[key] !== REFUSED_IN_GROUP[key]);
}

function refusedInGroup(key: RefusedInGroup): Violation {
  return {
    message: `${key} is not supported in grouped seeding (seeding.groups): it needs the conversation's own resource`,
    hint: `remove ${key} from this conversation, or remove seeding: to give each conversation its own resource`,
  };
}

/** seeding.groups refuses, in every conversation, what a group member cannot have. */
const GROUPED_GUARD = {
  if: { required: ["seeding"], properties: { seeding: { required: ["groups"] } } },
  then: {
    properties: {
      conversations: {
        additionalProperties: {
          allOf: (Object.entries(REFUSED_IN_GROUP) as Array<[RefusedInGroup, unknown]>).map(([key, allowed]) => ({
            if: { required: [key], ...(allowed === undefined ? {} : { properties: { [key]: { not: { const: allowed } } } }) },
            then: { properties: { [key]: false }, errorMessage: editorText(refusedInGroup(key)) },
          })),
        },
      },
    },
  },
};

const SERVICE_PATTERN = new RegExp(`^(?:default|${SID_PATTERNS.chatService.source.slice(1, -1)})$`);

const quote = (value: unknown) => JSON.stringify(value);

// Cross-field rules run even when a field already failed, so that one pass reports everything;
// they read the raw input defensively for that reason.
const evenWithOtherIssues = { when: () => true };


function reportFieldViolations(ctx: Issues, prefix: (string | number)[], violations: FieldViolation[]): void {
  for (const { field, ...violation } of violations) report(ctx, field ? [...prefix, field] : prefix, violation);
}


function messageSchema(shared: SharedSchemas) {
  return z
    .strictObject({
      key: z
        .string()
        .regex(MESSAGE_KEY_PATTERN, {
          error: (issue) =>
            explain(
              `${quote(issue.input)} is not a valid message key`,
              "use 1 to 63 lowercase letters, digits and hyphens, starting with a letter, e.g. welcome-1",
            ),
        })
        .optional()
        .describe(
          "Stable identity of the message resource (`<conversation>/<key>`); without it the message is named by its position, so inserting a message earlier would recreate the ones after it.",
        ),
      ...rowFields(MESSAGE_PROPERTIES, shared, { author: authorOrParticipant }),
    })
    .check(z.superRefine(messageRules, evenWithOtherIssues))
    .meta({ allOf: MESSAGE_CONDITIONS })
    .describe("A seed message, created in list order.");
}

/** A message's author in the stack file: an identity (the row's rule), or a participant of the conversation the stack program resolves. */
function authorOrParticipant(identity: z.ZodType<string>) {
  return z
    .union([identity, z.strictObject({ participant: z.string().describe("The key of one of this conversation's participants.") })], {
      error: (issue) =>
        explain(
          `expected a string (an identity) or { participant: <key> }, received ${yamlKindOf(issue.input)}`,
          issue.input !== null && typeof issue.input !== "object"
            ? `quote it: author: ${quote(String(issue.input))}`
            : "write author: ada-lovelace (an identity), or author: { participant: ada } (a key under participants)",
        ),
    })
    .optional();
}

function participantSchema(shared: SharedSchemas) {
  // user stays after attributes, where the hints of unknown keys have always listed it.
  const { identity, messagingBinding, attributes, ...rows } = rowFields(PARTICIPANT_PROPERTIES, shared);
  return z
    .strictObject({
      identity,
      messagingBinding,
      attributes,
      user: z
        .string()
        .optional()
        .describe("A user declared under users (its key): the participant is that user, by its identity. In place of identity."),
      ...rows,
    })
    .check(z.superRefine((value, ctx) => reportFieldViolations(ctx, [], declaredParticipantViolations(value as Record<string, unknown>)), evenWithOtherIssues))
    .meta({ allOf: PARTICIPANT_CONDITIONS })
    .describe("A participant: a chat identity, or an SMS/WhatsApp messaging binding.");
}

function scopedWebhookSchema(shared: SharedSchemas) {
  return z
    .strictObject(rowFields(WEBHOOK_PROPERTIES, shared))
    .check(z.superRefine((value, ctx) => reportFieldViolations(ctx, [], webhookViolations(value as Record<string, unknown>)), evenWithOtherIssues))
    .meta({ allOf: WEBHOOK_CONDITIONS })
    .describe("A conversation-scoped webhook.");
}

function childKey(noun: string) {
  return z.string().regex(CHILD_KEY_PATTERN, {
    error: (issue) => explain(`${quote(issue.input)} is not a valid ${noun} key`, "use 1 to 63 lowercase letters, digits and hyphens, starting with a letter, e.g. ada"),
  });
}

/** One conversation with its seed messages, participants and scoped webhooks. */
function conversationSchema() {
  const shared = sharedSchemas();
  // Without webhooks, a conversation takes the stack's defaults.webhooks. It stays after the Pulumi
  // options, where the hints of unknown keys have always listed it.
  const { webhooks, ...rows } = rowFields(CONVERSATION_PROPERTIES, shared, { webhooksEnabled: (enabled) => enabled.optional() });
  return z
    .strictObject({
      ...rows,
      renamedFrom: z
        .string()
        .regex(LOGICAL_NAME_PATTERN, {
          error: (issue) =>
            explain(
              `renamedFrom must be a logical name, received ${quote(issue.input)}`,
              "write the conversation's previous key under conversations, e.g. renamedFrom: support",
            ),
        })
        .optional()
        .describe(
          "The logical name this conversation had before it was renamed. Pulumi then keeps the same conversation and messages (aliases): nothing is created or deleted. Keep it until every stack has run `pulumi up` once.",
        ),
      protect: z.boolean().optional().describe("Pulumi's protect for this conversation; overrides guards.protect."),
      retainOnDelete: z
        .boolean()
        .default(false)
        .describe("Pulumi's retainOnDelete: removing the entry leaves the conversation in Twilio."),
      webhooks,
      messages: z
        .array(messageSchema(shared))
        .default([])
        .describe("Seed messages, created one after the other in this order."),
      participants: z
        .record(childKey("participant"), participantSchema(shared), { error: notAMapping("participants", "participants: { ada: { identity: ada } }") })
        .default({})
        .meta(SAFE_KEYS)
        .describe(
          "Participants by key (a mapping: participants have no order). Created after the conversation and before its messages; an entry removed is deleted in Twilio.",
        ),
      scopedWebhooks: z
        .record(childKey("webhook"), scopedWebhookSchema(shared), { error: notAMapping("scopedWebhooks", "scopedWebhooks: { crm: { target: webhook, url: https://example.com/hook, filters: [onMessageAdded] } }") })
        .default({})
        .meta(SAFE_KEYS)
        .describe(
          `Conversation-scoped webhooks by key, at most ${LIMITS.webhooksPerConversation}. (\`webhooks\` is the X-Twilio-Webhook-Enabled switch.) An entry removed is deleted in Twilio.`,
        ),
    })
    .check(z.superRefine(conversationRules, evenWithOtherIssues))
    .meta({ allOf: dependencyConditions(CONVERSATION_DEPENDENCIES) })
    .describe("One conversation; its key in `conversations` is its logical name.");
}

/** The stack file: its environment, stack-wide defaults and guards, and its conversations, with the rules across them. */
function buildStackSchema() {
  const environment = environmentSchemas();
  return z
    .strictObject({
      service: z
        .union([
          z
            .string()
            .regex(SERVICE_PATTERN, {
              error: (issue) =>
                explain(
                  `expected "default" or a Conversation Service SID (IS followed by 32 hex digits), received ${quote(issue.input)}`,
                  `write service: default, or ${sidViolation("chatService", "")?.hint}, or declare one as service: { friendlyName: … }`,
                ),
            }),
          environment.service,
        ])
        .default("default")
        .describe(
          'The Conversation Service: "default" for the account\'s default service, an `IS…` SID, `{ friendlyName: … }` to declare one (created, or adopted), or `{ sid: IS… }` to configure an existing one; either object may hold its configuration, notifications and webhooks.',
        ),
      ...environment.sections,
      defaults: z
        .strictObject({
          webhooks: z
            .boolean()
            .default(false)
            .describe("Send X-Twilio-Webhook-Enabled: true on writes, so Twilio fires webhooks for seed data."),
        })
        .prefault({})
        .describe("Stack-wide defaults that conversations may override."),
      guards: z
        .strictObject({
          production: z
            .boolean()
            .default(false)
            .describe("A production stack: seed messages are refused."),
          protect: z
            .boolean()
            .default(false)
            .describe("Give every conversation Pulumi's protect, unless the conversation says otherwise."),
        })
        .prefault({})
        .describe("Safety settings for this stack."),
      seeding: z
        .strictObject({
          groups: z
            .int()
            .min(1)
            .max(10_000)
            .describe(
              "Grouped seeding: the conversations are spread over this many group resources by a stable hash of their logical names, so that adding or removing one conversation changes one group. The engine then writes its state once per group, not once per conversation. Per-conversation adopt, protect and retainOnDelete are refused; a renamedFrom across groups needs the conversation's uniqueName.",
            ),
        })
        .optional()
        .describe("How the conversations become resources: omit for one resource per conversation (the default)."),
      conversations: z
        .record(z.string(), conversationSchema(), {
          error: (issue) =>
            issue.code === "invalid_type" && issue.input === undefined
              ? explain(
                  'missing key "conversations"',
                  "add conversations: with one entry per conversation, or conversations: {} for none",
                )
              : issue.code === "invalid_type"
                ? explain(
                    `expected a mapping, received ${yamlKindOf(issue.input)}`,
                    "list conversations as logical-name: { … } entries",
                  )
                : undefined,
        })
        // The name rule lives in stackRules so that a bad name does not hide the entry's other
        // problems; the pattern is still published to editors through the JSON Schema.
        .meta({ propertyNames: { pattern: LOGICAL_NAME_PATTERN.source, patternErrorMessage: editorText(logicalNameViolation("")) } })
        .describe("Conversations keyed by logical name (the Pulumi resource name, so identity survives edits)."),
    })
    .check(z.superRefine(stackRules, evenWithOtherIssues))
    .check(z.superRefine(renameRules, evenWithOtherIssues))
    .check(z.superRefine(environmentRules, evenWithOtherIssues))
    .check(z.superRefine(groupRules, evenWithOtherIssues))
    .meta({ allOf: [PRODUCTION_GUARD, GROUPED_GUARD] })
    .describe("A Twilio Conversations stack file: one per Pulumi stack.");
}

function messageRules(value: unknown, ctx: Issues): void {
  if (isRecord(value)) reportFieldViolations(ctx, [], messageViolations(value));
}

/** A message authored by a participant names one the conversation declares, with an identity or an address. */
function authorRules(value: Record<string, unknown>, ctx: Issues): void {
  if (!Array.isArray(value.messages)) return;
  const participants = isRecord(value.participants) ? value.participants : {};
  const keys = Object.keys(participants);
  value.messages.forEach((message: unknown, index: number) => {
    if (!isRecord(message) || !isRecord(message.author) || typeof message.author.participant !== "string") return;
    const key = message.author.participant;
    const path = ["messages", index, "author", "participant"];
    if (!Object.prototype.hasOwnProperty.call(participants, key)) {
      const suggestion = closestTo(key, keys);
      report(ctx, path, {
        message: `${quote(key)} is not a participant of this conversation`,
        hint: suggestion ? `did you mean ${suggestion}?` : keys.length > 0 ? `use one of ${keys.join(", ")}` : "declare it under participants first",
      });
      return;
    }
    const participant = participants[key];
    if (isRecord(participant) && participantAuthor(asParticipant(participant)) === null) {
      report(ctx, path, {
        message: `participant ${quote(key)} has no identity and no messagingBinding.address to author a message with`,
        hint: "give the participant an identity, or write the author as text",
      });
    }
  });
}

function participantRules(value: Record<string, unknown>, ctx: Issues): void {
  if (!isRecord(value.participants)) return;
  const holders = new Map<string, string>();
  for (const [key, participant] of Object.entries(value.participants)) {
    if (!isRecord(participant)) continue;
    const naturalKey = participantNaturalKey(asParticipant(participant));
    if (naturalKey === null) continue;
    const holder = holders.get(naturalKey);
    if (holder === undefined) holders.set(naturalKey, key);
    else {
      const field = naturalKey.startsWith("identity") ? "identity" : "messagingBinding";
      report(ctx, ["participants", key, field], {
        message: `participant ${quote(key)} has the same ${field} as participant ${quote(holder)}`,
        hint: "Twilio holds one participant per identity and per binding in a conversation; declare it once",
      });
    }
  }
}

function conversationRules(value: unknown, ctx: Issues): void {
  if (!isRecord(value)) return;
  reportFieldViolations(ctx, [], conversationViolations(value));
  participantRules(value, ctx);
  authorRules(value, ctx);
  if (isRecord(value.scopedWebhooks) && Object.keys(value.scopedWebhooks).length > LIMITS.webhooksPerConversation) {
    report(ctx, ["scopedWebhooks"], {
      message: `${Object.keys(value.scopedWebhooks).length} scoped webhooks; Twilio takes at most ${LIMITS.webhooksPerConversation} per conversation (error 50361)`,
      hint: "remove some, or use one webhook with more filters",
    });
  }
  if (Array.isArray(value.messages)) {
    const firstIndexOfKey = new Map<string, number>();
    value.messages.forEach((message: unknown, index: number) => {
      if (!isRecord(message) || typeof message.key !== "string") return;
      const first = firstIndexOfKey.get(message.key);
      if (first === undefined) firstIndexOfKey.set(message.key, index);
      else {
        report(ctx, ["messages", index, "key"], {
          message: `message key ${quote(message.key)} is already used by messages[${first}]`,
          hint: "give each message of a conversation its own key",
        });
      }
    });
  }
}

function logicalNameViolation(logicalName: string): Violation {
  return {
    message: logicalName ? `${quote(logicalName)} is not a valid logical name` : "not a valid logical name",
    hint: "use 1 to 63 lowercase letters, digits and hyphens, starting with a letter or digit (it becomes the Pulumi resource name)",
  };
}

function stackRules(value: unknown, ctx: Issues): void {
  if (!isRecord(value) || !isRecord(value.conversations)) return;
  const production = isRecord(value.guards) && value.guards.production === true;
  const ownerOfUniqueName = new Map<string, string>();
  for (const [logicalName, conversation] of Object.entries(value.conversations)) {
    if (!LOGICAL_NAME_PATTERN.test(logicalName)) {
      report(ctx, ["conversations", logicalName], logicalNameViolation(logicalName));
    }
    if (!isRecord(conversation)) continue;
    const { uniqueName, messages } = conversation;
    if (typeof uniqueName === "string") {
      const owner = ownerOfUniqueName.get(uniqueName);
      if (owner === undefined) ownerOfUniqueName.set(uniqueName, logicalName);
      else {
        report(ctx, ["conversations", logicalName, "uniqueName"], {
          message: `uniqueName ${quote(uniqueName)} is already used by conversation ${quote(owner)}`,
          hint: "unique names must differ within a Conversation Service; rename one of them",
        });
      }
    }
    if (production && Array.isArray(messages) && messages.length > 0) {
      report(ctx, ["conversations", logicalName, "messages"], PRODUCTION_SEED);
    }
  }
}

/**
 * Grouped seeding refuses, in each conversation, the keys a member of a group cannot have, and a
 * rename into another group without a uniqueName: that group finds the conversation by it.
 */
function groupRules(value: unknown, ctx: Issues): void {
  if (!isRecord(value) || !isRecord(value.seeding) || !isRecord(value.conversations)) return;
  const groups = value.seeding.groups;
  if (!Number.isInteger(groups) || (groups as number) < 1) return;
  for (const { path, violation } of groupRefusals(value.conversations, groups as number)) report(ctx, path, violation);
}

/** What grouped seeding in `groups` groups refuses in these conversations (raw, or with defaults applied), each at its path. */
export function groupRefusals(conversations: Record<string, unknown>, groups: number): Array<{ path: string[]; violation: Violation }> {
  return Object.entries(conversations).flatMap(([logicalName, conversation]) => {
    if (!isRecord(conversation)) return [];
    const refused = refusedInGroupKeys(conversation).map((key) => ({ path: ["conversations", logicalName, key], violation: refusedInGroup(key) }));
    const previous = conversation.renamedFrom;
    if (typeof previous !== "string" || typeof conversation.uniqueName === "string") return refused;
    const [to, from] = [groupIndex(logicalName, groups), groupIndex(previous, groups)];
    return to === from ? refused : [...refused, { path: ["conversations", logicalName, "renamedFrom"], violation: renameAcrossGroups(logicalName, previous, from, to, groups) }];
  });
}

function renameAcrossGroups(logicalName: string, previous: string, from: number, to: number, groups: number): Violation {
  return {
    message: `renaming ${quote(previous)} to ${quote(logicalName)} moves it from group ${from} to group ${to} (of seeding.groups: ${groups}), which takes the conversation over by its uniqueName, and it declares none`,
    hint: "give the conversation a uniqueName and run up, then rename it; or rename it without seeding:",
  };
}

/** A rename names a previous logical name: not one still declared, and not one claimed twice. */
function renameRules(value: unknown, ctx: Issues): void {
  if (!isRecord(value) || !isRecord(value.conversations)) return;
  const claimedBy = new Map<string, string>();
  for (const [logicalName, conversation] of Object.entries(value.conversations)) {
    if (!isRecord(conversation) || typeof conversation.renamedFrom !== "string") continue;
    const previous = conversation.renamedFrom;
    const path = ["conversations", logicalName, "renamedFrom"];
    if (previous in value.conversations) {
      report(ctx, path, {
        message:
          previous === logicalName
            ? `renamedFrom ${quote(previous)} is this conversation's own name`
            : `renamedFrom ${quote(previous)} is still declared as a conversation`,
        hint: "renamedFrom names the key the conversation had before; remove it, or rename the other entry",
      });
    } else if (claimedBy.has(previous)) {
      report(ctx, path, {
        message: `renamedFrom ${quote(previous)} is already claimed by conversation ${quote(claimedBy.get(previous)!)}`,
        hint: "one conversation can take over a previous name; remove renamedFrom from one of them",
      });
    } else claimedBy.set(previous, logicalName);
  }
}

let built: ReturnType<typeof buildStackSchema> | undefined;

/** The stack-file schema, built on first use. */
export function stackSchema(): ReturnType<typeof buildStackSchema> {
  return (built ??= buildStackSchema());
}

/** A validated stack file, with defaults applied. */
export type StackSpec = z.output<ReturnType<typeof buildStackSchema>>;
export type ConversationSpec = StackSpec["conversations"][string];
export type MessageSpec = ConversationSpec["messages"][number];
export type ServiceSpec = StackSpec["service"];
export type RoleSpec = NonNullable<StackSpec["roles"]>[string];
export type UserSpec = NonNullable<StackSpec["users"]>[string];
export type AddressConfigurationSpec = NonNullable<StackSpec["addressConfigurations"]>[string];
export type PushCredentialSpec = NonNullable<StackSpec["pushCredentials"]>[string];
export type ParticipantSpec = ConversationSpec["participants"][string];
export type ScopedWebhookSpec = ConversationSpec["scopedWebhooks"][string];
