// The Message resource's provider methods: thin effects around the pure model and diff.
import type * as pulumi from "@pulumi/pulumi";
import type { Scope } from "../client/conversations";
import type { Transport } from "../client/http";
import { updateConversation } from "../client/conversations";
import { createMessage, deleteMessage, fetchMessage, updateMessage } from "../client/messages";
import { changedMessageProperties, diffMessage } from "../diff/message";
import { checkMessage } from "./check";
import {
  creationFields,
  messageOutputs,
  normalizeMessageInputs,
  refreshedMessage,
  refreshedMessageInputs,
  updateFields,
  type MessageOutputs,
} from "./message-model";

export function messageProvider(transport: () => Transport): pulumi.dynamic.ResourceProvider {
  return {
    async check(_olds, news) {
      return { inputs: news, failures: checkMessage(news) };
    },

    async diff(_id, olds: MessageOutputs, news) {
      return diffMessage(olds, normalizeMessageInputs(news));
    },

    async create(raw) {
      const inputs = normalizeMessageInputs(raw);
      const observed = await createMessage(
        transport(),
        { serviceSid: inputs.chatServiceSid },
        inputs.conversationSid,
        creationFields(inputs),
        inputs.webhooksEnabled,
        { operation: "create message", resource: inputs.resourceName },
      );
      if (inputs.conversationState === "inactive") {
        await updateConversation(transport(), { serviceSid: inputs.chatServiceSid }, inputs.conversationSid, { state: "inactive" }, inputs.webhooksEnabled, {
          operation: "set conversation inactive again after seeding",
          resource: inputs.resourceName,
        });
      }
      return { id: observed.sid, outs: messageOutputs(inputs, observed) };
    },

    async read(id, olds: MessageOutputs) {
      const observed = await fetchMessage(transport(), scopeOf(olds), olds.conversationSid, id, {
        operation: "read message",
        resource: olds.resourceName,
      });
      if (!observed) return { id: "" };
      const props = refreshedMessage(olds, observed);
      return { id, props, inputs: refreshedMessageInputs(props) };
    },

    async update(id, olds: MessageOutputs, news) {
      const inputs = normalizeMessageInputs(news);
      const changed = changedMessageProperties(olds, inputs);
      if (changed.length === 0) {
        return { outs: { ...olds, resourceName: inputs.resourceName, webhooksEnabled: inputs.webhooksEnabled, afterSid: inputs.afterSid, afterIndex: inputs.afterIndex } };
      }
      const observed = await updateMessage(
        transport(),
        scopeOf(olds),
        olds.conversationSid,
        id,
        updateFields(inputs, changed),
        inputs.webhooksEnabled,
        { operation: "update message", resource: inputs.resourceName },
      );
      return { outs: messageOutputs(inputs, observed) };
    },

    async delete(id, olds: MessageOutputs) {
      await deleteMessage(transport(), scopeOf(olds), olds.conversationSid, id, olds.webhooksEnabled, {
        operation: "delete message",
        resource: olds.resourceName,
      });
    },
  };
}

function scopeOf(olds: MessageOutputs): Scope {
  return { serviceSid: olds.chatServiceSid };
}
