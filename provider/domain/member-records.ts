// How a ConversationGroup keeps its members' records in state (grouped seeding): each member's
// outputs without what every member of the group holds alike (the account, the service, the stack,
// the switches and nulls nothing declares), which the group holds once, without its URL, which is
// the group's URL prefix and the member's SID, its SID (the member's id) and the dates updated that
// are the dates created (a seed's messages are never edited). 2,000 members recorded in full were 4.8 MB of
// state, which the engine writes after every group and which the program and the provider parse.
// Each record is kept as its JSON text: the engine holds, copies (for every event it shows) and
// checkpoints a string as one value, where a record as an object is a tree of maps of its own in
// each copy; at 2,000 × 4 that was 45 MB more of the engine's live heap (70 MB more at its peak).
// Each member's provider methods are given the record in full (expandMember).
// A member's inputs are registered as their JSON text too when they hold only values (see
// ConversationGroup): `pulumi preview --diff` shows a JSON text's changes field by field, as it
// shows an object's. Pure.
import { canonicalJson } from "./json";

/** A member as the group records it: its conversation's SID and its outputs (whole, or compact). */
export interface MemberRecord {
  id: string;
  outs: Record<string, unknown>;
}

/**
 * What every member of a group holds alike, recorded once: `values` (each output every member
 * holds with the same value) and `urlPrefix` (every member's URL is it followed by the member's SID).
 */
export interface SharedOutputs {
  values: Record<string, unknown>;
  urlPrefix: string | null;
}

/** Outputs never held in common: the children the stack outputs are read from, each member's own. */
const OWN_OUTPUTS: ReadonlySet<string> = new Set(["messages", "participants", "scopedWebhooks"]);

/** What the members all hold alike (nothing with fewer than two members, where sharing saves nothing). */
export function sharedOutputs(members: readonly MemberRecord[]): SharedOutputs {
  if (members.length < 2) return { values: {}, urlPrefix: null };
  const [first, ...others] = members;
  const values = Object.fromEntries(
    Object.entries(first.outs).filter(
      ([key, value]) => !OWN_OUTPUTS.has(key) && key !== "url" && others.every((member) => key in member.outs && canonicalJson(member.outs[key]) === canonicalJson(value)),
    ),
  );
  const prefixOf = (member: MemberRecord) => {
    const url = member.outs.url;
    return typeof url === "string" && member.id !== "" && url.endsWith(member.id) ? url.slice(0, -member.id.length) : null;
  };
  const prefix = prefixOf(first);
  return { values, urlPrefix: prefix !== null && others.every((member) => prefixOf(member) === prefix) ? prefix : null };
}

/** A member's record without what the group holds for it, its SID (its `id`), and each date updated that is its date created. */
export function compactMember(member: MemberRecord, shared: SharedOutputs): MemberRecord {
  const outs = Object.fromEntries(
    Object.entries(withoutUnchangedDates(member.outs)).filter(([key, value]) => {
      if (key === "url") return shared.urlPrefix === null || value !== `${shared.urlPrefix}${member.id}`;
      if (key === "sid") return value !== member.id;
      return !(key in shared.values && canonicalJson(value) === canonicalJson(shared.values[key]));
    }),
  );
  return { id: member.id, outs: { ...outs, ...(isRecord(outs.messages) ? { messages: mapValues(outs.messages, withoutUnchangedDates) } : {}) } };
}

/** A member's record in full, from its compact record or from one written whole (before compaction, or without `shared`). */
export function expandMember(member: MemberRecord, shared: SharedOutputs | undefined): MemberRecord {
  if (!shared) return member;
  const outs = member.outs ?? {};
  const url = shared.urlPrefix !== null && !("url" in outs) ? { url: `${shared.urlPrefix}${member.id}` } : {};
  const sid = "sid" in outs ? {} : { sid: member.id };
  const messages = isRecord(outs.messages) ? { messages: mapValues(outs.messages, withUnchangedDates) } : {};
  return { id: member.id, outs: withUnchangedDates({ ...structuredClone(shared.values), ...url, ...sid, ...outs, ...messages }) };
}

/** A record (a conversation's, a message's) without its date updated when that is its date created. */
function withoutUnchangedDates(record: Record<string, unknown>): Record<string, unknown> {
  if (!("dateCreated" in record) || record.dateUpdated !== record.dateCreated) return record;
  const { dateUpdated: _same, ...rest } = record;
  return rest;
}

/** A record with its date updated back: its date created when the compact record leaves it out. */
function withUnchangedDates(record: Record<string, unknown>): Record<string, unknown> {
  return "dateCreated" in record && !("dateUpdated" in record) ? { ...record, dateUpdated: record.dateCreated } : record;
}

function isRecord(value: unknown): value is Record<string, Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function mapValues(byKey: Record<string, Record<string, unknown>>, map: (value: Record<string, unknown>) => Record<string, unknown>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(byKey).map(([key, value]) => [key, isRecord(value) ? map(value) : value]));
}

/**
 * A member's record as the group keeps it: its compact record's JSON text, its keys in the order
 * the record has them (a thread's messages in thread order), or, in state written before, the
 * record itself.
 */
export type KeptRecord = string | MemberRecord;

/** The record a kept one holds: the text read back, or the record written whole before. */
export function recordOf(kept: KeptRecord): MemberRecord {
  return fromText(kept);
}

/** What a group keeps as JSON text read back, or what it kept as it is (state written before). */
function fromText<T>(kept: string | T): T {
  return typeof kept === "string" ? (JSON.parse(kept) as T) : kept;
}

/** The members' records as the group keeps them (each its compact record's text), and what they share. */
export function compactMembers(members: Record<string, MemberRecord>): { members: Record<string, string>; shared: SharedOutputs } {
  const shared = sharedOutputs(Object.values(members));
  return { members: Object.fromEntries(Object.entries(members).map(([name, member]) => [name, JSON.stringify(compactMember(member, shared))])), shared };
}

/** The members' records in full, as the group keeps them (compact with `shared`, or whole without; as text, or as written before). */
export function expandMembers<M extends MemberRecord>(members: Record<string, KeptRecord> | undefined, shared: SharedOutputs | undefined): Record<string, M> {
  return Object.fromEntries(Object.entries(members ?? {}).map(([name, kept]) => [name, expandMember(recordOf(kept), shared) as M]));
}

/**
 * A member's inputs as a group registers them: their JSON text, or the inputs themselves when they
 * wait on another resource's output (which the engine resolves in place), as in state written before.
 */
export type KeptInputs = string | Record<string, unknown>;

/** A member's inputs from the form its group registered them in. */
export function memberInputsOf(kept: KeptInputs): Record<string, unknown> {
  return fromText(kept);
}

/** Each member's inputs by logical name, from the forms the group registered them in (anything else: none). */
export function membersInputsOf(members: unknown): Record<string, Record<string, unknown>> {
  if (typeof members !== "object" || members === null) return {};
  return Object.fromEntries(Object.entries(members as Record<string, KeptInputs>).map(([name, kept]) => [name, memberInputsOf(kept)]));
}
