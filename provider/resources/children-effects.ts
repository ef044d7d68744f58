// The requests for a conversation's participants and scoped webhooks: thin effects around the pure
// steps of diff/children.ts.
import { PARTICIPANT_API, WEBHOOK_API, createChild, deleteChild, listChildren, updateChild, type ChildApi, type ChildScope } from "../client/children";
import type { Transport } from "../client/http";
import { childSteps } from "../diff/children";
import {
  PARTICIPANTS,
  childFields,
  childUpdateFields,
  fieldsAfterCreate,
  recordedChild,
  type ChildKind,
  type DeclaredChildren,
  type RecordedChildren,
} from "./children-model";

/** Where the children live and who writes them. */
export interface ChildrenTarget extends ChildScope {
  transport: Transport;
  /** The Conversation resource's name: it holds every child. */
  resourceName: string;
  /** The resource's create-journal key; each child's is this, its kind and its key. */
  journalKey: string | null;
}

/** A write of children failed part way: `children` is what Twilio holds now, to be recorded. */
export class ChildrenUnfinished extends Error {
  constructor(
    readonly kind: ChildKind,
    readonly children: RecordedChildren,
    readonly created: number,
    readonly failure: unknown,
  ) {
    super(failure instanceof Error ? failure.message : String(failure));
  }
}

export function apiOf(kind: ChildKind): ChildApi {
  return kind === PARTICIPANTS ? PARTICIPANT_API : WEBHOOK_API;
}

/** The journal key of one child; `/` never appears in a message key, so it never names a message. */
export function childJournalKey(journalKey: string | null, kind: ChildKind, key: string): string | null {
  return journalKey === null ? null : `${journalKey}#${kind.property}/${key}`;
}

/**
 * Turns the recorded children into the declared ones (see `childSteps`). Returns them as Twilio now
 * holds them and how many were created (a new participant makes an inactive conversation active).
 * On a failure, throws `ChildrenUnfinished` once every write under way has ended.
 */
export async function writeChildren(
  kind: ChildKind,
  target: ChildrenTarget,
  recorded: RecordedChildren,
  declared: DeclaredChildren,
): Promise<{ children: RecordedChildren; created: number }> {
  const { transport, resourceName } = target;
  const api = apiOf(kind);
  const children: RecordedChildren = { ...recorded };
  let created = 0;
  const context = (operation: string, key: string) => ({ operation: `${operation} ${kind.noun}`, resource: `${resourceName}/${key}` });
  const steps = childSteps(kind, recorded, declared);
  const write = async (step: (typeof steps)[number]) => {
    const { key } = step;
    const wanted = declared[key];
    if (step.action === "update") {
      const json = await updateChild(transport, api, target, children[key].sid, childUpdateFields(kind, wanted, step.changed), context("update", key));
      children[key] = recordedChild(wanted, api.observed(json));
      return;
    }
    const fields = childFields(kind, wanted);
    let json = await createChild(transport, api, target, fields, context("create", key), childJournalKey(target.journalKey, kind, key));
    transport.claims.claim(String(json.sid), resourceName);
    children[key] = recordedChild(wanted, api.observed(json));
    created++;
    const after = fieldsAfterCreate(kind, wanted);
    if (after.length > 0) {
      json = await updateChild(transport, api, target, String(json.sid), childUpdateFields(kind, wanted, after), context("update", key));
      children[key] = recordedChild(wanted, api.observed(json));
    }
  };
  try {
    // Deletes first, one at a time, so that what a removed or replaced child held (an identity, a
    // binding) is free before any create asks for it.
    for (const step of steps) {
      if (step.action !== "delete" && step.action !== "replace") continue;
      // Gone already (deleted outside, or by a run cut short): nothing to do.
      await deleteChild(transport, api, target, recorded[step.key].sid, context("delete", step.key));
      delete children[step.key];
    }
    // Then every create and update at once: each writes its own child, a conversation's round trips
    // are what a seed waits on, and the limiter keeps them within Twilio's pace.
    await settledAll(steps.filter((step) => step.action !== "delete").map(write));
  } catch (error) {
    throw new ChildrenUnfinished(kind, children, created, error);
  }
  return { children, created };
}

/** Waits for every task, then fails with the first failure, if any: none is left running behind an error. */
async function settledAll(tasks: Promise<unknown>[]): Promise<void> {
  const failure = (await Promise.allSettled(tasks)).find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
  if (failure) throw failure.reason;
}

/**
 * The children this resource made in a conversation another declared resource holds (it adopted
 * it, e.g. under the name after a rename): the conversation stays, but these are this resource's to
 * delete, except those the other holds too (it took them over).
 */
export async function deleteChildren(kind: ChildKind, target: ChildrenTarget, recorded: RecordedChildren): Promise<void> {
  const { transport, resourceName } = target;
  const api = apiOf(kind);
  for (const [key, child] of Object.entries(recorded)) {
    if (transport.claims.heldByAnother(child.sid, resourceName)) continue;
    // Gone already: nothing to do.
    await deleteChild(transport, api, target, child.sid, { operation: `delete ${kind.noun}`, resource: `${resourceName}/${key}` });
  }
}

/** The children as Twilio holds them now (one list request); those deleted outside are left out. */
export async function readChildren(kind: ChildKind, target: Omit<ChildrenTarget, "webhooks">, recorded: RecordedChildren): Promise<RecordedChildren> {
  if (Object.keys(recorded).length === 0) return {};
  const api = apiOf(kind);
  const held = await listChildren(target.transport, api, target, { operation: `read ${kind.noun}s`, resource: target.resourceName });
  const bySid = new Map(held.map((json) => [String(json.sid), json]));
  const children: RecordedChildren = {};
  for (const [key, child] of Object.entries(recorded)) {
    const json = bySid.get(child.sid);
    if (json) children[key] = { ...recordedChild(child.declared, api.observed(json)) };
  }
  return children;
}

/**
 * Children Twilio already holds that no state records: in a conversation just adopted, or in state
 * written before its children were managed. Each declared one Twilio holds as its create would
 * make it (a participant by identity or binding; a webhook by all it would send) is taken over,
 * unless another declared resource holds it; the others are left for `writeChildren` to create.
 */
export async function takeOverChildren(kind: ChildKind, target: ChildrenTarget, declared: DeclaredChildren): Promise<RecordedChildren> {
  if (Object.keys(declared).length === 0) return {};
  const { transport, resourceName } = target;
  const api = apiOf(kind);
  const held = await listChildren(transport, api, target, { operation: `look up the ${kind.noun}s to take over`, resource: resourceName });
  const taken: RecordedChildren = {};
  const used = new Set<string>();
  for (const [key, wanted] of Object.entries(declared)) {
    const fields = childFields(kind, wanted);
    const json = held.find((candidate) => {
      const sid = String(candidate.sid);
      return !used.has(sid) && !transport.claims.heldByAnother(sid, resourceName) && api.made(candidate, fields, 0);
    });
    if (!json) continue;
    used.add(String(json.sid));
    transport.claims.claim(String(json.sid), resourceName);
    taken[key] = recordedChild(wanted, api.observed(json));
  }
  return taken;
}
