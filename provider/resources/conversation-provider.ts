// The Conversation resource's provider methods: thin effects around the pure model and diff.
import type * as pulumi from "@pulumi/pulumi";
import {
  createConversation,
  deleteConversation,
  fetchConversation,
  updateConversation,
  type Scope,
} from "../client/conversations";
import type { Transport } from "../client/http";
import { intentKey } from "../client/intents";
import { changedConversationProperties, declaredService, diffConversation } from "../diff/conversation";
import { TwilioConversationsError } from "../errors";
import { checkConversation } from "./check";
import { createdButUnfinished } from "./partial";
import { refuseUntrustedNotFound } from "./target";
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

export function conversationProvider(transport: () => Transport): pulumi.dynamic.ResourceProvider {
  return {
    async check(olds, news) {
      return { inputs: news, failures: checkConversation(olds ?? {}, news) };
    },

    async diff(id, olds: ConversationOutputs, news) {
      const inputs = normalizeConversationInputs(news);
      transport().claims.claim(id, inputs.resourceName);
      return diffConversation(olds, inputs);
    },

    async create(raw) {
      const inputs = normalizeConversationInputs(raw);
      const scope: Scope = { serviceSid: inputs.chatServiceSid };
      const context = { operation: "create conversation", resource: inputs.resourceName };
      const existing = await adoptable(transport(), scope, inputs);
      if (existing) {
        transport().claims.claim(existing.sid, inputs.resourceName);
        // Twilio shows timers as dates, never as the durations set: declared timers are always sent.
        // Adopting is creating: the declared state is sent unless Twilio already holds it.
        const changed = changedConversationProperties({ ...conversationOutputs(inputs, existing, true), timers: null, declaredState: null }, inputs);
        const updated = changed.length
          ? await updateConversation(transport(), scope, existing.sid, updateFields(inputs, changed), inputs.webhooksEnabled, context)
          : existing;
        return { id: existing.sid, outs: conversationOutputs(inputs, updated, true) };
      }
      const { create, thenClose } = creationFields(inputs);
      const created = await createConversation(transport(), scope, create, inputs.webhooksEnabled, context, intentKey(raw));
      if (!thenClose) return { id: created.sid, outs: conversationOutputs(inputs, created, false) };
      try {
        const closed = await updateConversation(transport(), scope, created.sid, { state: "closed" }, inputs.webhooksEnabled, {
          operation: "close new conversation",
          resource: inputs.resourceName,
        });
        return { id: closed.sid, outs: conversationOutputs(inputs, closed, false) };
      } catch (error) {
        throw createdButUnfinished(error, created.sid, conversationOutputs(inputs, created, false), raw, "conversation");
      }
    },

    async read(id, olds: ConversationOutputs) {
      const observed = await fetchConversation(transport(), scopeOf(olds), id, {
        operation: "read conversation",
        resource: olds.resourceName,
      });
      if (!observed) {
        refuseUntrustedNotFound(olds, transport().settings, { operation: "read conversation", resource: olds.resourceName });
        return { id: "" };
      }
      const props = refreshedConversation(olds, observed);
      return { id, props, inputs: refreshedConversationInputs(props) };
    },

    async update(id, olds: ConversationOutputs, news) {
      const inputs = normalizeConversationInputs(news);
      const changed = changedConversationProperties(olds, inputs);
      const observed = changed.length
        ? await updateConversation(transport(), scopeOf(olds), id, updateFields(inputs, changed), inputs.webhooksEnabled, {
            operation: "update conversation",
            resource: inputs.resourceName,
          })
        : lastObserved(olds);
      const outs = conversationOutputs(inputs, observed, olds.adopted);
      // Timers left out of the stack are no longer managed, but Twilio keeps them.
      return { outs: { ...outs, timers: inputs.timers ?? olds.timers } };
    },

    async delete(id, olds: ConversationOutputs) {
      // Another declared resource holds this conversation (it adopted it): it is not this one's to delete.
      if (transport().claims.heldByAnother(id, olds.resourceName)) return;
      const context = { operation: "delete conversation", resource: olds.resourceName };
      const deleted = await deleteConversation(transport(), scopeOf(olds), id, olds.webhooksEnabled, context);
      if (!deleted) refuseUntrustedNotFound(olds, transport().settings, context);
    },
  };
}

function scopeOf(olds: ConversationOutputs): Scope {
  return { serviceSid: declaredService(olds) };
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
