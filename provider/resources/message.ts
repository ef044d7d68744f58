import * as pulumi from "@pulumi/pulumi";
import type { MessageArgs } from "./args";
import type { TableOutputs } from "./conversation";
import { registeredProps, withSecretOutputs, withoutPromiseStacks } from "./registration";
import { MESSAGE_PROPERTIES, answered, secretProperties, type MessageTable } from "../domain/properties";

/** The outputs Twilio answers, from the table. */
export interface Message extends TableOutputs<MessageTable> {}

/** A seed message in a Twilio Conversation. */
export class Message extends pulumi.CustomResource {
  constructor(name: string, args: MessageArgs, opts?: pulumi.CustomResourceOptions) {
    const { settings, ...declared } = args;
    const props = registeredProps("message", name, OUTPUTS, declared, settings);
    const restoreStacks = withoutPromiseStacks();
    try {
      super("pulumi-nodejs:dynamic/twilio-conversations:Message", name, props, withSecretOutputs(opts, secretProperties(MESSAGE_PROPERTIES)));
    } finally {
      restoreStacks();
    }
  }
}

/** The outputs Twilio answers: the engine is told of each (an input of `undefined`) so that the resource shows it. */
const OUTPUTS = answered(MESSAGE_PROPERTIES);
