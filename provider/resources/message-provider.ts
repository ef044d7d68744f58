// The Message resource's provider methods: thin effects around the pure model and diff.
import type * as pulumi from "@pulumi/pulumi";
import type { Scope } from "../client/scope";
import type { Transport } from "../client/http";
import { intentKey } from "../client/intents";
import { updateConversation } from "../client/conversations";
import type { ConversationState } from "../domain/rules";
import { createMessage, deleteMessage, fetchMessage, updateMessage } from "../client/messages";
import { changedMessageProperties, diffMessage } from "../diff/message";
import { checkMessage } from "./check";
import { createdButUnfinished } from "./partial";
import { refuseUntrustedNotFound } from "./untrusted-not-found";
import {
  conversationStateToRestore,
  creationFields,
  messageOutputs,
  recordedMessageOutputs,
  stateToRestoreAfterSeeding,
  normalizeMessageInputs,
  refreshedMessage,
  refreshedMessageInputs,
  updateFields,
  type MessageInputs,
  type MessageOutputs,
} from "./message-model";

export function messageProvider(transport: () => Transport): pulumi.dynamic.ResourceProvider {
  return {
    async check(olds, news) {
      return { inputs: news, failures: checkMessage(news, olds) };
    },

    async diff(id, olds: MessageOutputs, news) {
      const inputs = normalizeMessageInputs(news);
      transport().claims.claim(id, inputs.resourceName);
      return diffMessage(olds, inputs);
    },

    async create(raw) {
      const inputs = normalizeMessageInputs(raw);
      const observed = await createMessage(
        transport(),
        { serviceSid: inputs.chatServiceSid },
        inputs.conversationSid,
        creationFields(inputs),
        inputs.afterIndex,
        inputs.webhooksEnabled,
        { operation: "create message", resource: inputs.resourceName },
        intentKey(raw),
      );
      // This resource holds what its create made or, after a lost answer, took: an object another
      // resource held before (e.g. under its old name after a rename) is then not that one's to delete.
      transport().claims.claim(observed.sid, inputs.resourceName);
      const outs = messageOutputs(inputs, observed);
      const restore = stateToRestoreAfterSeeding(inputs);
      if (restore) {
        try {
          await restoreConversationState(transport(), inputs, restore);
        } catch (error) {
          throw createdButUnfinished(error, observed.sid, { ...outs, conversationStateToRestore: restore }, raw, "message");
        }
      }
      return { id: observed.sid, outs };
    },

    async read(id, olds: MessageOutputs) {
      const observed = await fetchMessage(transport(), scopeOf(olds), olds.conversationSid, id, {
        operation: "read message",
        resource: olds.resourceName,
      });
      if (!observed) {
        refuseUntrustedNotFound(olds, transport().settings, { operation: "read message", resource: olds.resourceName });
        return { id: "" };
      }
      const props = refreshedMessage(olds, observed);
      return { id, props, inputs: refreshedMessageInputs(props) };
    },

    async update(id, olds: MessageOutputs, news) {
      const inputs = normalizeMessageInputs(news);
      const changed = changedMessageProperties(olds, inputs);
      const observed = changed.length
        ? await updateMessage(
            transport(),
            scopeOf(olds),
            olds.conversationSid,
            id,
            updateFields(inputs, changed),
            inputs.webhooksEnabled,
            { operation: "update message", resource: inputs.resourceName },
          )
        : null;
      const unfinished = conversationStateToRestore(olds, inputs);
      if (unfinished) await restoreConversationState(transport(), inputs, unfinished);
      return { outs: observed ? messageOutputs(inputs, observed) : recordedMessageOutputs(olds, inputs) };
    },

    async delete(id, olds: MessageOutputs) {
      // Another declared resource holds this message (a recovery after a rename took it): the same
      // rule as a conversation's delete, it is not this one's to delete.
      if (transport().claims.heldByAnother(id, olds.resourceName)) return;
      const context = { operation: "delete message", resource: olds.resourceName };
      const deleted = await deleteMessage(transport(), scopeOf(olds), olds.conversationSid, id, olds.webhooksEnabled, context);
      if (!deleted) refuseUntrustedNotFound(olds, transport().settings, context);
    },
  };
}

// `state` is the conversation's declared state, which the message is given as it is (conversationState).
async function restoreConversationState(transport: Transport, inputs: MessageInputs, state: string): Promise<void> {
  await updateConversation(transport, { serviceSid: inputs.chatServiceSid }, inputs.conversationSid, { state: state as ConversationState }, inputs.webhooksEnabled, {
    operation: `set the conversation ${state} again after seeding`,
    resource: inputs.resourceName,
  });
}

function scopeOf(olds: MessageOutputs): Scope {
  return { serviceSid: olds.chatServiceSid };
}
