// A conversation's participants and scoped webhooks, held by its Conversation resource as its seed
// thread is: keyed, diffed inside the provider, one engine step per conversation however many it
// declares. Unlike messages they have no order: each is created, updated, re-created or deleted on
// its own. One model serves both, each from its property table (domain/properties.ts).
import { withoutUndeclared } from "../domain/declared";
import {
  PARTICIPANT_PROPERTIES,
  WEBHOOK_PROPERTIES,
  answered,
  changedBy,
  declarable,
  isDeclared,
  type DeclaredRow,
  type ParticipantTable,
  type PropertyRow,
  type WebhookTable,
} from "../domain/properties";

/** What the stack declares for one participant or webhook (as stored: only what is declared). */
export type DeclaredChild = Record<string, unknown>;
export type DeclaredChildren = Record<string, DeclaredChild>;

/** A participant or webhook as the last create, update or refresh left it. */
export interface RecordedChild {
  sid: string;
  /** As declared at the last create or update: create-only fields are compared with it. */
  declared: DeclaredChild;
  /** What Twilio answered, every field it shows: updatable fields are compared with it. */
  held: Record<string, unknown>;
}
export type RecordedChildren = Record<string, RecordedChild>;

/** What a kind of child is: its table, its names in the stack file and in Twilio's paths. */
export interface ChildKind {
  /** Singular, in messages and plans: `participant`, `webhook`. */
  noun: "participant" | "webhook";
  /** The conversation's input and output that hold them, and the stack file's key. */
  property: "participants" | "scopedWebhooks";
  table: Readonly<Record<string, PropertyRow>>;
  /** Declared fields Twilio edits in place. */
  updatable: readonly string[];
  /** Declared fields Twilio takes only at creation: a change re-creates the child. */
  createOnly: readonly string[];
  /** Declared fields, in table order. */
  fields: readonly string[];
}

function childKind(noun: ChildKind["noun"], property: ChildKind["property"], table: ParticipantTable | WebhookTable): ChildKind {
  return {
    noun,
    property,
    table,
    updatable: changedBy(table, "update"),
    createOnly: changedBy(table, "create-only"),
    fields: declarable(table),
  };
}

export const PARTICIPANTS = childKind("participant", "participants", PARTICIPANT_PROPERTIES);
export const SCOPED_WEBHOOKS = childKind("webhook", "scopedWebhooks", WEBHOOK_PROPERTIES);
export const CHILD_KINDS = [PARTICIPANTS, SCOPED_WEBHOOKS] as const;

/** Whether `children` has one keyed `key` (never found among the members every object has). */
export function hasChild(children: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(children, key);
}

/** Every declared field, null where not declared: what a create sends. */
export function childFields(kind: ChildKind, declared: DeclaredChild): Record<string, unknown> {
  return Object.fromEntries(kind.fields.map((field) => [field, declared[field] ?? null]));
}

/** The `onCreate: after` fields a create declares: Twilio's create form has no key for them. */
export function fieldsAfterCreate(kind: ChildKind, declared: DeclaredChild): string[] {
  return kind.fields.filter((field) => (kind.table[field] as DeclaredRow).onCreate === "after" && declared[field] !== undefined && declared[field] !== null);
}

/**
 * Only the changed fields are sent on update, except that a declared `dateUpdated` is always sent
 * again: otherwise Twilio stamps the edit with the current time.
 */
export function childUpdateFields(kind: ChildKind, declared: DeclaredChild, changed: readonly string[]): Record<string, unknown> {
  const sent = new Set(changed);
  if (kind.fields.includes("dateUpdated") && declared.dateUpdated !== undefined && declared.dateUpdated !== null) sent.add("dateUpdated");
  return Object.fromEntries([...sent].map((field) => [field, declared[field] ?? null]));
}

/** Declared fields Twilio shows and edits in place: refresh makes the inputs follow what it holds. */
function followedFields(kind: ChildKind): string[] {
  return kind.updatable.filter((field) => isDeclared(kind.table[field]) && kind.table[field].answer !== null);
}

/** The record of a child Twilio answered for (`observed`: its answer, read by the kind's table). */
export function recordedChild(declared: DeclaredChild, observed: { sid: string }): RecordedChild {
  const { sid, ...held } = observed as { sid: string } & Record<string, unknown>;
  return { sid, declared: withoutUndeclared(declared), held };
}

/** The fields Twilio answers for a kind of child, as they are kept in `held`. */
export function heldFieldsOf(kind: ChildKind): string[] {
  return answered(kind.table).filter((field) => field !== "sid");
}

/** The children as refresh records them in the inputs: each declared field Twilio edits in place, as Twilio holds it. */
export function refreshedChildrenInputs(kind: ChildKind, recorded: RecordedChildren): DeclaredChildren {
  const followed = followedFields(kind);
  return Object.fromEntries(
    Object.entries(recorded).map(([key, child]) => {
      const inputs: DeclaredChild = { ...child.declared };
      for (const field of followed) {
        if (!(field in child.declared)) continue;
        const value = child.held[field];
        if (value === null || value === undefined) delete inputs[field];
        else inputs[field] = value;
      }
      return [key, inputs];
    }),
  );
}

/** The children as given (stack program or library), stored with only what is declared. */
export function declaredChildren(children: Record<string, Record<string, unknown>> | undefined): DeclaredChildren {
  return Object.fromEntries(Object.entries(children ?? {}).map(([key, child]) => [key, withoutUndeclared(child) as DeclaredChild]));
}
