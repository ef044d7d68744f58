// The Conversation resource's provider methods: thin effects around the pure model and diff.
import type * as pulumi from "@pulumi/pulumi";
import {
  createConversation,
  deleteConversation,
  fetchConversation,
  updateConversation,
} from "../client/conversations";
import type { Scope } from "../client/scope";
import type { Transport } from "../client/http";
import type { ObservedConversation } from "../client/wire";
import { intentKey } from "../client/intents";
import { changedConversationProperties, declaredService, diffConversation } from "../diff/conversation";
import { isUnknown } from "../domain/unknown";
import { TwilioConversationsError } from "../errors";
import { checkConversation, closedConversationFailures } from "./check";
import { createdButUnfinished } from "./partial";
import { refuseUntrustedNotFound } from "./untrusted-not-found";
import {
  conversationOutputs,
  creationFields,
  lastObserved,
  normalizeConversationInputs,
  refreshedConversation,
  refreshedConversationInputs,
  updateFields,
  type ConversationInputs,
  type ConversationOutputs,
} from "./conversation-model";
import { deleteThread, messageJournalKey, readThread, takeOverHeldThread, takeOverThread, ThreadUnfinished, writeThread, type ThreadTarget } from "./thread-effects";
import { messageFields, threadOrder, type RecordedThread } from "./thread-model";
import { CHILD_KINDS, PARTICIPANTS, childFields, type ChildKind, type DeclaredChildren, type RecordedChildren } from "./children-model";
import type { ConversationRecovery } from "../client/recovery";
import { ChildrenUnfinished, childJournalKey, deleteChildren, readChildren, takeOverChildren, writeChildren, type ChildrenTarget } from "./children-effects";

export function conversationProvider(transport: () => Transport): pulumi.dynamic.ResourceProvider {
  return {
    async check(_olds, news) {
      return { inputs: news, failures: checkConversation(news) };
    },

    async diff(id, olds: ConversationOutputs, news) {
      const inputs = normalizeConversationInputs(news);
      holdThread(transport(), id, olds, intentKey(news));
      // Only the outputs say what Twilio holds: a closed conversation's refusals are decided here.
      const refused = closedConversationFailures(olds, news);
      if (refused.length > 0) throw closedConversationError(inputs.resourceName, refused);
      return diffConversation(olds, inputs);
    },

    async create(raw) {
      const inputs = normalizeConversationInputs(raw);
      const scope: Scope = { serviceSid: inputs.chatServiceSid };
      const context = { operation: "create conversation", resource: inputs.resourceName };
      const existing = await adoptable(transport(), scope, inputs);
      let made: ObservedConversation;
      // A closed conversation takes no message: one declared closed is closed after its thread.
      let thenClose: boolean;
      /** Made by a run before this one (killed, or its answer lost): its children and thread are taken over. */
      let recovered = false;
      if (existing) {
        transport().claims.claim(existing.sid, inputs.resourceName);
        // Twilio shows timers as dates, never as the durations set: declared timers are always sent.
        // Adopting is creating: the declared state is sent unless Twilio already holds it.
        const changed = changedConversationProperties({ ...conversationOutputs(inputs, existing, true), timers: null, declaredState: null }, inputs);
        thenClose = inputs.state === "closed" && changed.includes("state") && writesInto(inputs);
        const first = thenClose ? changed.filter((property) => property !== "state") : changed;
        made = first.length
          ? await updateConversation(transport(), scope, existing.sid, updateFields(inputs, first), inputs.webhooksEnabled, context)
          : existing;
      } else {
        const creation = creationFields(inputs);
        thenClose = creation.thenClose;
        ({ conversation: made, recovered } = await createConversation(transport(), scope, creation.create, inputs.webhooksEnabled, context, intentKey(raw), recoveryOf(raw, inputs)));
        // Found in Twilio, it may be what a resource this run removes held (the other mode of
        // grouped seeding): claimed by name, that resource's delete spares it.
        if (recovered) transport().claims.claim(made.sid, inputs.resourceName);
      }
      const adopted = existing !== null;
      // Participants before webhooks before messages: a message may be authored by a participant.
      const { outs: withChildren, created } = await childrenWritten(transport(), raw, inputs, conversationOutputs(inputs, made, adopted), adopted || recovered);
      // A thread Twilio already holds (adopted, or begun by a killed run) is taken over, never posted again.
      const held = (adopted || recovered) && declaresThread(inputs) ? await takeOverHeldThread(newConversationTarget(transport(), raw, inputs, made.sid), inputs.messages, adopted ? "adopted" : "recovered") : {};
      const outs = await seeded(transport(), raw, inputs, withChildren, held, created > 0);
      if (!thenClose) return { id: made.sid, outs };
      try {
        const closed = await updateConversation(transport(), scope, made.sid, { state: "closed" }, inputs.webhooksEnabled, {
          operation: adopted ? "close adopted conversation" : "close new conversation",
          resource: inputs.resourceName,
        });
        return { id: closed.sid, outs: conversationOutputs(inputs, closed, adopted, outs.messages, childrenOf(outs)) };
      } catch (error) {
        throw createdButUnfinished(error, made.sid, outs, raw, "conversation");
      }
    },

    async read(id, olds: ConversationOutputs) {
      holdThread(transport(), id, olds, intentKey(olds as unknown as Record<string, unknown>));
      const observed = await fetchConversation(transport(), scopeOf(olds), id, {
        operation: "read conversation",
        resource: olds.resourceName,
      });
      if (!observed) {
        refuseUntrustedNotFound(olds, transport().settings, { operation: "read conversation", resource: olds.resourceName });
        return { id: "" };
      }
      const target = threadTarget(transport(), olds, id, null);
      const messages = olds.messages && (await readThread(target, olds.messages));
      const children: Partial<Record<(typeof CHILD_KINDS)[number]["property"], RecordedChildren>> = {};
      for (const kind of CHILD_KINDS) {
        const recorded = olds[kind.property];
        if (recorded && Object.keys(recorded).length > 0) children[kind.property] = await readChildren(kind, target, recorded);
      }
      const props = { ...refreshedConversation(olds, observed), ...(messages ? { messages } : {}), ...children };
      return { id, props, inputs: refreshedConversationInputs(props) };
    },

    async update(id, olds: ConversationOutputs, news) {
      const inputs = normalizeConversationInputs(news);
      const target = threadTarget(transport(), olds, id, intentKey(news), inputs);
      // Participants, webhooks and messages first: a change that closes the conversation closes it
      // after them (Twilio refuses them once it is closed).
      const children = childrenOf(olds);
      let activated = false;
      for (const kind of CHILD_KINDS) {
        try {
          // State written before children were managed records none: those Twilio holds are taken over.
          const recorded = olds[kind.property] ?? (declares(inputs[kind.property]) ? await takeOverChildren(kind, target, inputs[kind.property]) : {});
          const written = await writeChildren(kind, target, recorded, inputs[kind.property]);
          children[kind.property] = written.children;
          activated ||= written.created > 0 && kind.noun === "participant";
        } catch (error) {
          if (!(error instanceof ChildrenUnfinished)) throw error;
          activated ||= error.created > 0 && kind.noun === "participant";
          const outs = { ...olds, ...recordedOnly(olds, inputs), ...children, [kind.property]: error.children, ...(activated ? { state: "active" } : {}) };
          throw createdButUnfinished(error.failure, id, outs, news, "conversation", "updated in part");
        }
      }
      const recorded = olds.messages ?? (Object.keys(inputs.messages).length > 0 ? await takeOverThread(target, inputs.messages) : {});
      let thread: RecordedThread;
      let created: number;
      try {
        ({ thread, created } = await writeThread(target, recorded, inputs.messages));
      } catch (error) {
        if (!(error instanceof ThreadUnfinished)) throw error;
        const outs = { ...olds, ...recordedOnly(olds, inputs), ...children, messages: error.thread, ...(error.created > 0 || activated ? { state: "active" } : {}) };
        throw createdButUnfinished(error.failure, id, outs, news, "conversation", "updated in part");
      }
      const changed = changedConversationProperties(created > 0 || activated ? { ...olds, state: "active" } : olds, inputs);
      const observed = changed.length
        ? await updateConversation(transport(), scopeOf(olds), id, updateFields(inputs, changed), inputs.webhooksEnabled, {
            operation: "update conversation",
            resource: inputs.resourceName,
          })
        : lastObserved(olds);
      const outs = conversationOutputs(inputs, observed, olds.adopted, thread, children);
      // Timers left out of the stack are no longer managed, but Twilio keeps them.
      return { outs: { ...outs, timers: inputs.timers ?? olds.timers } };
    },

    async delete(id, olds: ConversationOutputs) {
      holdThread(transport(), id, olds, intentKey(olds as unknown as Record<string, unknown>));
      // Another declared resource holds this conversation (it adopted it): it is not this one's to
      // delete, but the messages, participants and webhooks this one made there are (the other
      // made its own, or took them over).
      if (transport().claims.heldByAnother(id, olds.resourceName)) {
        const target = threadTarget(transport(), olds, id, null);
        await deleteThread(target, olds.messages ?? {});
        for (const kind of CHILD_KINDS) await deleteChildren(kind, target, olds[kind.property] ?? {});
        return;
      }
      const context = { operation: "delete conversation", resource: olds.resourceName };
      const deleted = await deleteConversation(transport(), scopeOf(olds), id, olds.webhooksEnabled, context);
      if (!deleted) refuseUntrustedNotFound(olds, transport().settings, context);
    },
  };
}

/**
 * The conversation and its recorded messages are this resource's for the run (no recovery takes
 * them), and the create intents of those messages are closed: the engine holds them in state.
 * Every method given the state does this (diff, read, delete; update follows a diff): an intent
 * left open would make the next create of that message look for one long gone.
 */
function holdThread(transport: Transport, id: string, olds: ConversationOutputs, journalKey: string | null): void {
  transport.claims.claim(id, olds.resourceName);
  for (const [key, message] of Object.entries(olds.messages ?? {})) {
    transport.claims.claim(message.sid, olds.resourceName);
    const messageKey = messageJournalKey(journalKey, key);
    if (messageKey) transport.intents?.settle(messageKey, message.sid);
  }
  for (const kind of CHILD_KINDS) {
    for (const [key, child] of Object.entries(olds[kind.property] ?? {})) {
      transport.claims.claim(child.sid, olds.resourceName);
      const childKey = childJournalKey(journalKey, kind, key);
      if (childKey) transport.intents?.settle(childKey, child.sid);
    }
  }
}

/** The recorded participants and webhooks (none for state from before they were managed). */
function childrenOf(outs: ConversationOutputs): { participants: RecordedChildren; scopedWebhooks: RecordedChildren } {
  return { participants: outs.participants ?? {}, scopedWebhooks: outs.scopedWebhooks ?? {} };
}

/**
 * A new (or newly adopted) conversation with its participants and webhooks written; an adopted
 * one's children that Twilio holds as declared are taken over. A failure part way records the
 * conversation and the children made, for the next `up` to finish.
 */
async function childrenWritten(
  transport: Transport,
  raw: Record<string, unknown>,
  inputs: ConversationInputs,
  outs: ConversationOutputs,
  adopted: boolean,
): Promise<{ outs: ConversationOutputs; created: number }> {
  const target = newConversationTarget(transport, raw, inputs, outs.sid);
  const children = childrenOf(outs);
  let activated = 0;
  const failures: unknown[] = [];
  const unrecorded: ChildKind["property"][] = [];
  // Participants and webhooks at once: neither waits on the other.
  const written = CHILD_KINDS.filter((kind) => declares(inputs[kind.property])).map(async (kind) => {
    try {
      const recorded = adopted ? await takeOverChildren(kind, target, inputs[kind.property]) : {};
      const { children: now, created } = await writeChildren(kind, target, recorded, inputs[kind.property]);
      children[kind.property] = now;
      if (kind.noun === "participant") activated += created;
    } catch (error) {
      // The look-up of an adopted conversation's children failed before any was written.
      const unfinished = error instanceof ChildrenUnfinished ? error : new ChildrenUnfinished(kind, {}, 0, error);
      if (kind.noun === "participant") activated += unfinished.created;
      children[kind.property] = unfinished.children;
      // Left unrecorded, the next update looks for them again rather than creating them.
      if (unfinished !== error) unrecorded.push(kind.property);
      failures.push(unfinished.failure);
    }
  });
  await Promise.all(written);
  if (failures.length > 0) {
    const partial: ConversationOutputs = { ...outs, ...children, ...(activated > 0 && outs.state === "inactive" ? { state: "active" } : {}) };
    for (const property of unrecorded) delete partial[property];
    throw createdButUnfinished(failures[0], outs.sid, partial, raw, "conversation");
  }
  return { outs: { ...outs, ...children }, created: activated };
}

function declares(children: DeclaredChildren): boolean {
  return !isUnknown(children) && Object.keys(children).length > 0;
}

/** Where a new (or newly adopted) conversation's children and thread are written, as its inputs say. */
function newConversationTarget(transport: Transport, raw: Record<string, unknown>, inputs: ConversationInputs, conversationSid: string): ThreadTarget & ChildrenTarget {
  return {
    transport,
    scope: { serviceSid: inputs.chatServiceSid },
    conversationSid,
    webhooks: inputs.webhooksEnabled,
    resourceName: inputs.resourceName,
    journalKey: intentKey(raw),
  };
}

function threadTarget(transport: Transport, olds: ConversationOutputs, id: string, journalKey: string | null, inputs?: ConversationInputs): ThreadTarget {
  return {
    transport,
    scope: scopeOf(olds),
    conversationSid: id,
    webhooks: inputs?.webhooksEnabled ?? olds.webhooksEnabled,
    resourceName: inputs?.resourceName ?? olds.resourceName,
    journalKey,
  };
}

/** What an update records without a request: the resource's name and the provider's settings. */
function recordedOnly(olds: ConversationOutputs, inputs: ConversationInputs): Partial<ConversationOutputs> {
  return { resourceName: inputs.resourceName, adopt: inputs.adopt, webhooksEnabled: inputs.webhooksEnabled };
}

function declaresThread(inputs: ConversationInputs): boolean {
  return !isUnknown(inputs.messages) && Object.keys(inputs.messages).length > 0;
}

/** Whether a create writes anything into the conversation after it: then a declared close comes last. */
function writesInto(inputs: ConversationInputs): boolean {
  return declaresThread(inputs) || CHILD_KINDS.some((kind) => declares(inputs[kind.property]));
}

/**
 * A new (or newly adopted) conversation with its seed thread written. A new message (or participant:
 * `activated`) makes an inactive conversation active in Twilio: one declared inactive is set back
 * once, after the last.
 * A failure part way records the conversation and the messages made, for the next `up` to finish.
 */
async function seeded(
  transport: Transport,
  raw: Record<string, unknown>,
  inputs: ConversationInputs,
  outs: ConversationOutputs,
  recorded: RecordedThread,
  activated: boolean,
): Promise<ConversationOutputs> {
  if (!declaresThread(inputs) && !(activated && inputs.state === "inactive")) return outs;
  const target = newConversationTarget(transport, raw, inputs, outs.sid);
  let thread: RecordedThread = recorded;
  let posted = 0;
  try {
    if (declaresThread(inputs)) ({ thread, created: posted } = await writeThread(target, recorded, inputs.messages));
  } catch (error) {
    if (!(error instanceof ThreadUnfinished)) throw error;
    const partial = { ...outs, messages: error.thread, ...((error.created > 0 || activated) && outs.state === "inactive" ? { state: "active" } : {}) };
    throw createdButUnfinished(error.failure, outs.sid, partial, raw, "conversation");
  }
  // Only a new message or participant made it active: a thread taken over whole changed nothing.
  if (inputs.state !== "inactive" || (posted === 0 && !activated)) return { ...outs, messages: thread };
  try {
    const restored = await updateConversation(transport, target.scope, outs.sid, { state: "inactive" }, inputs.webhooksEnabled, {
      operation: "set the conversation inactive again after seeding",
      resource: inputs.resourceName,
    });
    return conversationOutputs(inputs, restored, outs.adopted, thread, childrenOf(outs));
  } catch (error) {
    throw createdButUnfinished(error, outs.sid, { ...outs, state: "active", messages: thread }, raw, "conversation");
  }
}

/** What a recovery of this conversation compares beyond its fields: the declared thread and participants, and its twins in the stack. */
function recoveryOf(raw: Record<string, unknown>, inputs: ConversationInputs): ConversationRecovery {
  const thread = declaresThread(inputs) ? threadOrder(inputs.messages).map((key) => messageFields(inputs.messages[key])) : [];
  const participants = declares(inputs.participants) ? Object.values(inputs.participants).map((declared) => childFields(PARTICIPANTS, declared)) : [];
  const twins = Number(raw.twins);
  return { thread, participants, twins: Number.isInteger(twins) && twins > 1 ? twins : 1 };
}

function scopeOf(olds: ConversationOutputs): Scope {
  return { serviceSid: declaredService(olds) };
}

/** What a closed conversation refuses, each change named by its property, as one error before any request. */
function closedConversationError(resourceName: string, refused: pulumi.dynamic.CheckFailure[]): TwilioConversationsError {
  const error = new TwilioConversationsError(
    { operation: "change closed conversation", resource: resourceName },
    { message: refused.map((failure) => `${failure.property}: ${failure.reason}`).join("\n") },
  );
  // The engine prints an error thrown by diff as `<error>: <stack>`: a refusal of the stack file is
  // no fault of the code, and frames would only bury the message.
  error.stack = "refused before any request to Twilio";
  return error;
}

/** The existing conversation to take over, per the `adopt` mode; null means create a new one. */
async function adoptable(transport: Transport, scope: Scope, inputs: ConversationInputs) {
  if (inputs.adopt === "never" || inputs.uniqueName === null) return null;
  const existing = await fetchConversation(transport, scope, inputs.uniqueName, {
    operation: "look up conversation to adopt",
    resource: inputs.resourceName,
  });
  if (!existing && inputs.adopt === "require") {
    throw new TwilioConversationsError(
      {
        operation: "adopt conversation",
        resource: inputs.resourceName,
        hint: "create it first, fix the uniqueName or service, or use `adopt: ifExists` to create it when missing",
      },
      { message: `no conversation with uniqueName "${inputs.uniqueName}" exists in ${scope.serviceSid ?? "the default service"}` },
    );
  }
  return existing;
}
