// The ConversationGroup resource (grouped seeding): many conversations in one resource, diffed by
// logical name as a thread is by message key. Each member is created, diffed, updated, read and
// deleted by the Conversation resource's own provider methods, with the inputs and the journal key
// a resource of its own would have: the group adds the bookkeeping around them, and nothing else.
import type * as pulumi from "@pulumi/pulumi";
import type { Transport } from "../client/http";
import { memberRecords, type GroupRenames } from "../domain/groups";
import { TwilioConversationsError } from "../errors";
import { intentKey } from "../client/intents";
import { bookkeepingOf } from "./bookkeeping";
import { conversationProvider } from "./conversation-provider";
import { checkConversation } from "./check";
import { createdButUnfinished } from "./partial";
import type { ConversationOutputs } from "./conversation-model";
import { compactMembers, expandMembers, membersInputsOf, type KeptInputs, type KeptRecord, type SharedOutputs } from "../domain/member-records";

/** A member as the group records it: its conversation's SID and the outputs its own resource would hold. */
export interface RecordedMember {
  id: string;
  outs: ConversationOutputs & Record<string, unknown>;
}

export interface GroupInputs extends GroupRenames {
  resourceName: string;
  /** Each member's inputs, as its own Conversation resource would register them, by logical name. */
  members: Record<string, Record<string, unknown>>;
}

export interface GroupOutputs {
  resourceName: string;
  /** Each member's record as its compact record's text (see member-records.ts); whole records in state written before. */
  members: Record<string, KeptRecord>;
  shared?: SharedOutputs;
}

/** Each member's record in full, as its provider methods are given it. */
function recordedMembers(olds: GroupOutputs | null): Record<string, RecordedMember> {
  return expandMembers(olds?.members, olds?.shared);
}

/** The group's outputs: its members by name, each record compact. */
function groupOutputs(resourceName: string, members: Record<string, RecordedMember>): GroupOutputs {
  return { resourceName, ...compactMembers(sortedByName(members)) };
}

/**
 * What a member's step does in an update, decided from its record, its inputs and its own diff.
 * `release`: the conversation was renamed into another group, which takes it over; this group
 * drops its record and leaves the conversation in Twilio.
 */
export type MemberStep = "create" | "update" | "replace" | "delete" | "keep" | "release";

/** A member's step: pure, from whether it is recorded, declared, and what its conversation's diff said. */
export function memberStep(recorded: boolean, declared: boolean, diff: pulumi.dynamic.DiffResult | null, renamedAway = false): MemberStep {
  if (!declared) return renamedAway ? "release" : "delete";
  if (!recorded) return "create";
  if (diff?.replaces && diff.replaces.length > 0) return "replace";
  return diff?.changes ? "update" : "keep";
}

/**
 * Why a conversation renamed into another group cannot be given away (null: it can). The other
 * group takes it over by the unique name it declares: the conversation must hold that one, or it
 * would be made anew there and left behind here. Pure.
 */
export function releaseRefusal(logicalName: string, recorded: RecordedMember, away: GroupRenames["renamedAway"][string]): string | null {
  const held = recorded.outs.uniqueName ?? null;
  if (held !== null && held === away.uniqueName) return null;
  const declared = away.uniqueName === null ? "declares no uniqueName" : `declares uniqueName ${JSON.stringify(away.uniqueName)}`;
  const holds = held === null ? "it has none" : `it holds ${JSON.stringify(held)}`;
  return `conversation ${logicalName} (${recorded.id}) is renamed ${away.to}, which another group takes over by its uniqueName: ${away.to} ${declared}, and ${holds}`;
}

/** A member's outputs echo its own bookkeeping, as the runtime echoes a resource's into its outputs. */
function withMemberBookkeeping(outs: object, raw: Record<string, unknown>): RecordedMember["outs"] {
  const echoed: Record<string, unknown> = { ...outs, ...bookkeepingOf(raw) };
  delete echoed.__provider;
  return echoed as RecordedMember["outs"];
}

/** A member's failure, as the group reports it, and what it recorded before it failed (null: nothing new). */
interface MemberFailure {
  logicalName: string;
  error: unknown;
}

/** What a conversation's create or update recorded before failing (see partial.ts), or null. */
function recordedBy(error: unknown): { id: string; properties: Record<string, unknown> } | null {
  const { id, properties } = (error ?? {}) as { id?: unknown; properties?: unknown };
  return typeof id === "string" && id !== "" && typeof properties === "object" && properties !== null ? { id, properties: properties as Record<string, unknown> } : null;
}

/** What the group does to one member: each through the Conversation resource's own provider methods. */
function memberOperations(transport: () => Transport) {
  const member = conversationProvider(transport);

  /** The member's conversation is this run's, and its create intent is closed: the engine holds it in the group's state. */
  function hold(recorded: RecordedMember): void {
    transport().claims.claim(recorded.id, recorded.outs.resourceName);
    const key = intentKey(recorded.outs);
    if (key) transport().intents?.settle(key, recorded.id);
  }

  /**
   * A member given away to another group (renamed there): not held, so that the other group's
   * take-over finds it free, and its create intent closed, so that no later create takes it.
   */
  function release(recorded: RecordedMember): void {
    const key = intentKey(recorded.outs);
    if (key) transport().intents?.settle(key, recorded.id);
  }

  async function memberDiff(recorded: RecordedMember, raw: Record<string, unknown>): Promise<pulumi.dynamic.DiffResult> {
    hold(recorded);
    return member.diff!(recorded.id, recorded.outs, raw);
  }

  /**
   * One member's step; its record afterwards (undefined: none). A failure carries what it recorded.
   * `renamedAway`: a member no longer declared was renamed into another group.
   */
  async function step(recorded: RecordedMember | undefined, raw: Record<string, unknown> | undefined, renamedAway = false): Promise<RecordedMember | undefined> {
    const diff = recorded && raw ? await memberDiff(recorded, raw) : null;
    if (recorded && !raw && !renamedAway) hold(recorded);
    switch (memberStep(recorded !== undefined, raw !== undefined, diff, renamedAway)) {
      case "keep":
        // Renamed within the group, it is recorded under its new member name.
        return { id: recorded!.id, outs: { ...recorded!.outs, resourceName: String(raw!.resourceName) } };
      case "release":
        release(recorded!);
        return undefined;
      case "delete":
        await member.delete!(recorded!.id, recorded!.outs);
        return undefined;
      case "create": {
        const made = await member.create(raw!);
        return { id: made.id, outs: withMemberBookkeeping(made.outs ?? {}, raw!) };
      }
      case "update": {
        const updated = await member.update!(recorded!.id, recorded!.outs, raw!);
        return { id: recorded!.id, outs: withMemberBookkeeping(updated.outs ?? {}, raw!) };
      }
      case "replace": {
        await member.delete!(recorded!.id, recorded!.outs);
        const made = await member.create(raw!);
        return { id: made.id, outs: withMemberBookkeeping(made.outs ?? {}, raw!) };
      }
    }
  }

  /**
   * A member renamed from a name another group records: that group gives the conversation away,
   * and this one adopts it by its unique name (validate requires one), with what the rename also
   * changes; recorded with the adopt mode its inputs declare. Nothing Twilio holds under that
   * unique name (a stack made from the file after the rename): it is created.
   */
  async function takeOver(raw: Record<string, unknown>): Promise<RecordedMember> {
    const made = await member.create({ ...raw, adopt: "ifExists" });
    return { id: made.id, outs: { ...withMemberBookkeeping(made.outs ?? {}, raw), adopt: raw.adopt ?? "never" } as RecordedMember["outs"] };
  }

  return { member, hold, memberDiff, step, takeOver };
}

/** A member renamed into another group that cannot be given away stops the group, before any request (see releaseRefusal). */
function refuseReleases(recorded: Record<string, RecordedMember>, news: GroupInputs): void {
  const reasons = Object.entries(news.renamedAway).flatMap(([logicalName, away]) => {
    const held = logicalName in news.members ? undefined : recorded[logicalName];
    const reason = held && releaseRefusal(logicalName, held, away);
    return reason ? [reason] : [];
  });
  if (reasons.length === 0) return;
  const error = new TwilioConversationsError(
    { operation: "rename conversation into another group", resource: news.resourceName, hint: "rename it with the uniqueName it holds, then change its uniqueName in a later up" },
    { message: reasons.join("\n") },
  );
  error.stack = "refused before any request to Twilio";
  throw error;
}

export function conversationGroupProvider(transport: () => Transport): pulumi.dynamic.ResourceProvider {
  const { member, hold, memberDiff, step, takeOver } = memberOperations(transport);

  /**
   * Every member's step, all at once (the transport's limiter paces them). A member that fails
   * keeps what it made (its partial record) or its old record; the others' results are kept. Any
   * failure fails the group with all of them recorded, for the next `up` to finish.
   */
  async function reconcile(id: string, olds: GroupOutputs | null, news: GroupInputs, rawNews: Record<string, unknown>, done: string): Promise<GroupOutputs> {
    const recorded = recordedMembers(olds);
    refuseReleases(recorded, news);
    const { continues, left } = memberRecords(Object.keys(recorded), Object.keys(news.members), news.renamedFrom);
    const members: Record<string, RecordedMember> = {};
    const failures: MemberFailure[] = [];
    const steps = [
      ...Object.entries(continues).map(([logicalName, source]) => ({ logicalName, source, raw: news.members[logicalName] as Record<string, unknown> | undefined })),
      ...left.map((logicalName) => ({ logicalName, source: logicalName, raw: undefined })),
    ];
    await Promise.all(
      steps.map(async ({ logicalName, source, raw }) => {
        const before = source === null ? undefined : recorded[source];
        try {
          const after = source === null && raw && logicalName in news.renamedFrom ? await takeOver(raw) : await step(before, raw, raw === undefined && logicalName in news.renamedAway);
          if (after) members[logicalName] = after;
        } catch (error) {
          const partial = recordedBy(error);
          if (partial) members[logicalName] = { id: partial.id, outs: withMemberBookkeeping(partial.properties, raw ?? before?.outs ?? {}) };
          // Kept under the name it is recorded under: the next up does the rename again.
          else if (before) members[source!] = before;
          failures.push({ logicalName, error });
        }
      }),
    );
    const outs = groupOutputs(news.resourceName, members);
    if (failures.length > 0) throw createdButUnfinished(groupFailure(failures), id, outs, rawNews, "conversation group", done);
    return outs;
  }

  return {
    async check(_olds, news) {
      const inputs = groupInputs(news);
      const failures = Object.entries(inputs.members).flatMap(([logicalName, raw]) =>
        checkConversation(raw).map((failure) => ({ property: `members.${logicalName}${failure.property ? `.${failure.property}` : ""}`, reason: failure.reason })),
      );
      return { inputs: news, failures };
    },

    async diff(_id, olds: GroupOutputs, news) {
      const inputs = groupInputs(news);
      const recorded = recordedMembers(olds);
      refuseReleases(recorded, inputs);
      const { continues, left } = memberRecords(Object.keys(recorded), Object.keys(inputs.members), inputs.renamedFrom);
      let changes = left.length > 0;
      for (const [logicalName, raw] of Object.entries(inputs.members)) {
        const source = continues[logicalName];
        const old = source === null ? undefined : recorded[source];
        // Every member is diffed, changed or not: each holds its conversation for this run.
        const diff = old ? await memberDiff(old, raw) : null;
        changes ||= source !== logicalName || memberStep(old !== undefined, true, diff) !== "keep";
      }
      return { changes, replaces: [], deleteBeforeReplace: false };
    },

    async create(raw) {
      const inputs = groupInputs(raw);
      return { id: inputs.resourceName, outs: await reconcile(inputs.resourceName, null, inputs, raw, "created") };
    },

    async update(id, olds: GroupOutputs, news) {
      return { outs: await reconcile(id, olds, groupInputs(news), news, "updated in part") };
    },

    async read(id, olds: GroupOutputs) {
      const members: Record<string, RecordedMember> = {};
      const inputs: Record<string, KeptInputs> = {};
      for (const [logicalName, recorded] of Object.entries(recordedMembers(olds))) {
        hold(recorded);
        const read = await member.read!(recorded.id, recorded.outs);
        if (!read.id) continue;
        members[logicalName] = { id: read.id, outs: withMemberBookkeeping(read.props ?? {}, recorded.outs) };
        inputs[logicalName] = JSON.stringify(withMemberBookkeeping(read.inputs ?? {}, recorded.outs));
      }
      const props = groupOutputs(olds.resourceName, members);
      return { id, props, inputs: { resourceName: olds.resourceName, members: inputs } };
    },

    async delete(_id, olds: GroupOutputs) {
      const failures: MemberFailure[] = [];
      const records = recordedMembers(olds);
      for (const record of Object.values(records)) hold(record);
      await Promise.all(
        Object.entries(records).map(async ([logicalName, recorded]) => {
          try {
            await member.delete!(recorded.id, recorded.outs);
          } catch (error) {
            failures.push({ logicalName, error });
          }
        }),
      );
      if (failures.length > 0) throw groupFailure(failures);
    },
  };
}

function groupInputs(raw: Record<string, unknown>): GroupInputs {
  const record = <T>(value: unknown): Record<string, T> => (typeof value === "object" && value !== null ? (value as Record<string, T>) : {});
  return {
    resourceName: String(raw.resourceName ?? ""),
    members: membersInputsOf(raw.members),
    renamedFrom: record(raw.renamedFrom),
    renamedAway: record(raw.renamedAway),
  };
}

function sortedByName(members: Record<string, RecordedMember>): Record<string, RecordedMember> {
  return Object.fromEntries(Object.keys(members).sort().map((logicalName) => [logicalName, members[logicalName]]));
}

/** One error naming each failed member by its logical name, the first failure as its cause. */
function groupFailure(failures: MemberFailure[]): Error {
  const ordered = [...failures].sort((a, b) => a.logicalName.localeCompare(b.logicalName));
  const lines = ordered.map(({ logicalName, error }) => `conversation ${logicalName}: ${error instanceof Error ? error.message : String(error)}`);
  return new Error(`${ordered.length} of the group's conversations failed:\n${lines.join("\n")}`, { cause: ordered[0].error });
}
