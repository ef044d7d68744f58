// From a validated stack file to Pulumi resources. The entry point Pulumi runs is ./main.ts.
import { existsSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadStackFile, stackFilePath } from "../../schemas/load";
import { renderProblems } from "../../schemas/problems";
import type { ConversationSpec, MessageSpec, StackSpec } from "../../schemas/stack";
import { twinCounts } from "../../schemas/twins";
import { participantAuthor } from "../domain/rules";
import type { ConversationArgs, ParticipantArgs, ScopedWebhookArgs, SeedMessageArgs, TwilioSettings } from "../resources/args";
import { withoutUndeclared } from "../domain/declared";
import {
  CONVERSATION_PROPERTIES,
  MESSAGE_PROPERTIES,
  PARTICIPANT_PROPERTIES,
  WEBHOOK_PROPERTIES,
  declarable,
  type DeclaredRow,
  type PropertyRow,
} from "../domain/properties";
import { Conversation } from "../resources/conversation";
import { ConversationGroup } from "../resources/conversation-group";
import { groupRenames, groupResourceName, groupsOf, memberResourceName } from "../domain/groups";
import { recordOf } from "../domain/member-records";
import type { RecordedThread } from "../resources/thread-model";
import type { RecordedChildren } from "../resources/children-model";
import { CONVERSATION_INPUT_DEFAULTS } from "../resources/conversation-model";
import { declareEnvironment, type EnvironmentOutputs, type EnvironmentReferences } from "./environment";

/**
 * SIDs by key: one Output per SID (a conversation of its own), or one Output holding them all (a
 * member of a group: thousands fewer Outputs, which the program holds until every group is done).
 * Either way `sids.<key>` is an Output of the SID, and the stack output has the same shape.
 */
export type SidsByKey = Record<string, pulumi.Output<string>> | pulumi.Output<Record<string, string>>;

/** Stack outputs: SIDs by logical name, message SIDs by key (or position when unkeyed), participant SIDs by key. */
export interface StackOutputs {
  conversations: Record<string, pulumi.Output<string>>;
  messages: Record<string, SidsByKey>;
  participants: Record<string, SidsByKey>;
  /** The SIDs of the environment's objects, when the stack declares any (see environment.ts). */
  environment?: EnvironmentOutputs;
}

export { stackFilePath };

/** The SID of the stack's service when the file names one (null: the default service, or one the stack declares). */
export function chatServiceSidOf(spec: StackSpec): string | null {
  const { service } = spec;
  if (typeof service === "string") return service === "default" ? null : service;
  return "sid" in service ? service.sid : null;
}

/** Each property the table declares, under the stack file's key for it. */
function fromStackFile<T extends Readonly<Record<string, PropertyRow>>>(table: T, entry: object): Record<string, unknown> {
  const values = entry as Record<string, unknown>;
  return Object.fromEntries(declarable(table).map((property) => [property, values[(table[property] as DeclaredRow).yaml!]]));
}

export function conversationArgs(spec: StackSpec, conversation: ConversationSpec, serviceSid: pulumi.Input<string | null> = chatServiceSidOf(spec)): ConversationArgs {
  const { timers } = conversation;
  return withoutUndeclared(
    {
      ...fromStackFile(CONVERSATION_PROPERTIES, conversation),
      chatServiceSid: serviceSid,
      timers: timers ? withoutUndeclared(timers) : null,
      webhooksEnabled: conversation.webhooks ?? spec.defaults.webhooks,
    },
    CONVERSATION_INPUT_DEFAULTS,
  ) as ConversationArgs;
}

/** How a participant's names of declared things resolve: a role by its key, a user to its identity. */
export type ParticipantReferences = Pick<EnvironmentReferences, "roleSid" | "identityOf">;

/** Without an environment, a role is named by its SID and no user can be named (validate refuses both otherwise). */
const LITERAL_REFERENCES: ParticipantReferences = {
  roleSid: (reference) => reference,
  identityOf: (userKey) => {
    throw new Error(`a participant names user ${JSON.stringify(userKey)}, but the stack declares no users`);
  },
};

/** The conversation's participants, each naming a declared user as that user's identity. */
function resolvedParticipants(conversation: ConversationSpec, references: ParticipantReferences): ConversationSpec["participants"] {
  return Object.fromEntries(
    Object.entries(conversation.participants).map(([key, { user, ...participant }]) => [
      key,
      user === undefined ? participant : { ...participant, identity: references.identityOf(user) },
    ]),
  );
}

/** The conversation's seed thread, in the order the file gives it. */
export function seedThreadArgs(conversation: ConversationSpec, references: ParticipantReferences = LITERAL_REFERENCES): SeedMessageArgs[] {
  const participants = resolvedParticipants(conversation, references);
  return conversation.messages.map((message, position) => seedMessageArgs(message, position, participants));
}

/** The conversation's participants by key, as its resource holds them: what the stack file declares, its roles and users resolved. */
export function participantArgs(conversation: ConversationSpec, references: ParticipantReferences = LITERAL_REFERENCES): Record<string, ParticipantArgs> {
  return Object.fromEntries(
    Object.entries(resolvedParticipants(conversation, references)).map(([key, participant]) => {
      const { messagingBinding, roleSid, ...rest } = fromStackFile(PARTICIPANT_PROPERTIES, participant);
      const binding = messagingBinding ? withoutUndeclared(messagingBinding as object) : undefined;
      const role = typeof roleSid === "string" ? references.roleSid(roleSid) : undefined;
      return [key, withoutUndeclared({ ...rest, roleSid: role, messagingBinding: binding }) as ParticipantArgs];
    }),
  );
}

export function scopedWebhookArgs(conversation: ConversationSpec): Record<string, ScopedWebhookArgs> {
  return Object.fromEntries(
    Object.entries(conversation.scopedWebhooks).map(([key, webhook]) => [key, withoutUndeclared(fromStackFile(WEBHOOK_PROPERTIES, webhook)) as unknown as ScopedWebhookArgs]),
  );
}

/**
 * Resource options for a conversation, which its messages share: a protected or retained
 * conversation must not lose its history to a `destroy` either.
 */
export function conversationOptions(
  spec: StackSpec,
  conversation: ConversationSpec,
): { protect: boolean; retainOnDelete: boolean } {
  return { protect: conversation.protect ?? spec.guards.protect, retainOnDelete: conversation.retainOnDelete };
}

/**
 * A seed message as its conversation's thread holds it: what the stack file declares, an author
 * given as `{participant: key}` resolved to that participant's identity (or address).
 */
export function seedMessageArgs(message: MessageSpec, position: number, participants: ConversationSpec["participants"] = {}): SeedMessageArgs {
  const fields = fromStackFile(MESSAGE_PROPERTIES, message);
  const author = message.author;
  if (typeof author === "object" && author !== null) {
    const participant = participants[author.participant];
    const resolved = participant ? participantAuthor(participant as Record<string, unknown>) : null;
    // validate refuses an unknown key; a program that builds a spec by hand gets told here.
    if (resolved === null) throw new Error(`message ${messageKey(message, position)}: author { participant: ${JSON.stringify(author.participant)} } names no participant with an identity or address`);
    fields.author = resolved;
  }
  return {
    key: messageKey(message, position),
    ...withoutUndeclared(fields),
  };
}

/** A message's key in outputs and in its resource name: its own key, else its position. */
export function messageKey(message: MessageSpec, position: number): string {
  return message.key ?? String(position);
}

/** A message's resource name: `<logical name>/<key>`. */
export function messageResourceName(logicalName: string, key: string): string {
  return `${logicalName}/${key}`;
}

/**
 * After a rename (`renamedFrom`), the resource's previous name as a Pulumi alias, so the engine
 * keeps the same conversation instead of creating one and deleting the other.
 */
export function previousNames(conversation: ConversationSpec, name: (logicalName: string) => string): { aliases?: pulumi.Alias[] } {
  return conversation.renamedFrom ? { aliases: [{ name: name(conversation.renamedFrom) }] } : {};
}

/**
 * Where a stack's resources go in a program: a prefix for their names and a parent, so that several
 * stack files and hand-written resources live in one program without clashes; and which Twilio
 * account they use.
 */
export interface Placement {
  namePrefix?: string;
  parent?: pulumi.Resource;
  settings?: TwilioSettings;
}

/**
 * Declares one Conversation per entry, its seed thread with it: one resource, so that the engine's
 * cost grows with the conversations, not with their messages.
 */
export function declareStack(spec: StackSpec, placement: Placement = {}): StackOutputs {
  const prefix = placement.namePrefix ?? "";
  const environment = declareEnvironment(spec, placement);
  const outputs: StackOutputs = { conversations: {}, messages: {}, participants: {}, ...(environment.outputs ? { environment: environment.outputs } : {}) };
  const twins = twinCounts(spec);
  const argsOf = (logicalName: string, entry: ConversationSpec) => {
    const messages = seedThreadArgs(entry, environment);
    const participants = participantArgs(entry, environment);
    return { ...conversationArgs(spec, entry, environment.serviceSid), messages, participants, scopedWebhooks: scopedWebhookArgs(entry), twins: twins[logicalName] };
  };
  if (spec.seeding?.groups !== undefined) {
    declareGroups(spec, spec.seeding.groups, placement, argsOf, outputs);
    return outputs;
  }
  for (const [logicalName, entry] of Object.entries(spec.conversations)) {
    const options = { ...conversationOptions(spec, entry), parent: placement.parent };
    const args = argsOf(logicalName, entry);
    const conversation = new Conversation(`${prefix}${logicalName}`, { ...args, settings: placement.settings }, { ...options, ...previousNames(entry, (previousName) => `${prefix}${previousName}`) });
    // IDs rather than `sid` outputs: an ID stays known in the preview of an in-place update, so the
    // stack outputs do not show as changing when no SID changes.
    recordOutputs(outputs, logicalName, args, conversation.id, conversation.messages, conversation.participants);
  }
  return outputs;
}

/**
 * Grouped seeding: one ConversationGroup per non-empty bucket (see domain/groups.ts). A member's
 * name (`<group>/<logical name>`, see memberResourceName) differs from the one its own resource
 * would have: switching modes, the new holder takes the conversation over and the removed
 * resource's delete spares it. A group is told the renames (`renamedFrom`) that concern it (see
 * groupRenames). The stack's `guards.protect` protects the groups.
 */
function declareGroups(
  spec: StackSpec,
  groups: number,
  placement: Placement,
  argsOf: (logicalName: string, entry: ConversationSpec) => Omit<ConversationArgs, "settings">,
  outputs: StackOutputs,
): void {
  const prefix = placement.namePrefix ?? "";
  const renames = groupRenames(
    Object.entries(spec.conversations).flatMap(([name, entry]) => (entry.renamedFrom ? [{ name, renamedFrom: entry.renamedFrom, uniqueName: entry.uniqueName ?? null }] : [])),
    groups,
  );
  for (const [bucket, logicalNames] of groupsOf(Object.keys(spec.conversations), groups)) {
    const groupName = groupResourceName(prefix, bucket, groups);
    const members = Object.fromEntries(logicalNames.map((logicalName) => [logicalName, { resourceName: memberResourceName(groupName, logicalName), args: argsOf(logicalName, spec.conversations[logicalName]) }]));
    const group = new ConversationGroup(groupName, members, placement.settings, { parent: placement.parent, protect: spec.guards.protect }, renames.get(bucket));
    const declaredKeys = Object.fromEntries(logicalNames.map((logicalName) => [logicalName, declaredSidKeys(members[logicalName].args)]));
    // One Output per group for every member's SIDs, then one per SID map: one per message SID held
    // ~340 MB in the program at 2,000 conversations.
    const sids = group.members.apply((recorded) => memberSids(recorded, declaredKeys));
    const orUnknown = <T>(value: T | null) => value ?? (pulumi.unknown as unknown as T);
    for (const logicalName of logicalNames) {
      outputs.conversations[logicalName] = sids.apply((byName) => orUnknown(byName[logicalName].sid));
      outputs.messages[logicalName] = sids.apply((byName) => orUnknown(byName[logicalName].messages));
      if (declaredKeys[logicalName].participants.length > 0) outputs.participants[logicalName] = sids.apply((byName) => orUnknown(byName[logicalName].participants));
    }
  }
}

/** The keys of a conversation's declared messages and participants: those its stack outputs name. */
export function declaredSidKeys(args: Pick<ConversationArgs, "messages" | "participants">): { messages: string[]; participants: string[] } {
  return { messages: (args.messages ?? []).map(({ key }) => key!), participants: Object.keys(args.participants ?? {}) };
}

/** A member's SIDs as its stack outputs give them; null where one is not known yet. */
export interface MemberSids {
  sid: string | null;
  messages: Record<string, string> | null;
  participants: Record<string, string> | null;
}

/** What a member's SIDs are read from: its record (its record's text, as a group keeps it), or in a preview its inputs, which hold none. */
type RecordedSids = { id?: string; outs?: { messages?: RecordedThread; participants?: RecordedChildren } };

/**
 * Each declared member's SIDs from what its group records. In a preview, a group being created or
 * updated shows its inputs as its members: no SIDs yet, so each is null (known after apply), never
 * missing. A map with any SID not known is not known as a whole. Pure.
 */
export function memberSids(
  recorded: Record<string, string | RecordedSids> | undefined,
  declared: Record<string, { messages: readonly string[]; participants: readonly string[] }>,
): Record<string, MemberSids> {
  const sidsOf = (byKey: Record<string, { sid?: string }> | undefined, keys: readonly string[]): Record<string, string> | null => {
    const sids = keys.map((key) => byKey?.[key]?.sid);
    return sids.every((sid): sid is string => typeof sid === "string") ? Object.fromEntries(keys.map((key, i) => [key, sids[i]])) : null;
  };
  return Object.fromEntries(
    Object.entries(declared).map(([logicalName, keys]) => {
      const kept = recorded?.[logicalName];
      const member = typeof kept === "string" ? (recordOf(kept) as RecordedSids) : kept;
      return [logicalName, { sid: member?.id ?? null, messages: sidsOf(member?.outs?.messages, keys.messages), participants: sidsOf(member?.outs?.participants, keys.participants) }];
    }),
  );
}

/** A conversation's stack outputs: its SID, its messages' and participants' SIDs by key. */
function recordOutputs(
  outputs: StackOutputs,
  logicalName: string,
  args: Pick<ConversationArgs, "messages" | "participants">,
  sid: pulumi.Output<string>,
  thread: pulumi.Output<RecordedThread>,
  recordedParticipants: pulumi.Output<RecordedChildren>,
): void {
  outputs.conversations[logicalName] = sid;
  outputs.messages[logicalName] = Object.fromEntries((args.messages ?? []).map(({ key }) => [key!, sidOrUnknown(thread, key!)]));
  const participants = Object.keys(args.participants ?? {});
  if (participants.length > 0) outputs.participants[logicalName] = Object.fromEntries(participants.map((key) => [key, sidOrUnknown(recordedParticipants, key)]));
}

/**
 * A seed message's (or participant's) SID by key. A preview of the conversation's update knows only
 * its inputs, which hold no SIDs: the SID is then unknown (known after apply), never shown as removed.
 */
function sidOrUnknown(recorded: pulumi.Output<Record<string, { sid: string }> | undefined>, key: string): pulumi.Output<string> {
  return recorded.apply((byKey) => byKey?.[key]?.sid ?? (pulumi.unknown as unknown as string));
}

/** The stack file has problems; the message holds them, rendered as `npm run validate` does. */
export class InvalidStackFileError extends pulumi.RunError {}

/**
 * The Pulumi program: loads the stack file and declares its resources. An invalid file stops the
 * run before anything is registered, with the same rendered problems as `npm run validate`.
 */
export function runStackProgram(): StackOutputs {
  const stack = pulumi.getStack();
  const configured = new pulumi.Config().get("stackFile");
  const file = stackFilePath(configured, stack);
  if (!existsSync(file)) throw new InvalidStackFileError(missingStackFile(stack, file, configured !== undefined));
  const result = loadStackFile(file);
  if (!result.ok) throw new InvalidStackFileError(`${file} is not a valid stack file:\n\n${renderProblems(result.problems)}`);
  return declareStack(result.spec);
}

/** What a person needs when the stack's file is not there: which stack, which file, what to do. */
export function missingStackFile(stack: string, file: string, configured: boolean): string {
  const where = path.resolve(file);
  const elsewhere = "point the stack at another file: pulumi config set stackFile path/to/file.yaml";
  return configured
    ? `stack "${stack}": its stackFile config names ${file} (${where}), which does not exist.\n${createItOr(elsewhere)}`
    : `stack "${stack}" has no stack file: looked for ${file} (${where}).\n${createItOr(elsewhere)}`;
}

/**
 * How every message about a missing stack file ends: create it, in its smallest form, or `otherwise`
 * (what the reader can do instead, e.g. name another file).
 */
export function createItOr(otherwise: string): string {
  return `Create it (the smallest stack file is the line "conversations: {}"), or ${otherwise}`;
}
