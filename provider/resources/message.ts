import * as pulumi from "@pulumi/pulumi";
import type { MessageArgs } from "./args";
import { settingsInputs, withSecretOutputs } from "./conversation";
import { providerModuleText } from "./runtime-provider";
import { withoutPromiseStacks } from "./registration";
import { MESSAGE_PROPERTIES, secretProperties } from "../domain/properties";

/** A seed message in a Twilio Conversation. */
export class Message extends pulumi.CustomResource {
  declare readonly sid: pulumi.Output<string>;
  declare readonly accountSid: pulumi.Output<string>;
  declare readonly conversationSid: pulumi.Output<string>;
  declare readonly index: pulumi.Output<number>;
  declare readonly author: pulumi.Output<string>;
  declare readonly body: pulumi.Output<string | null>;
  declare readonly dateCreated: pulumi.Output<string>;
  declare readonly dateUpdated: pulumi.Output<string>;
  declare readonly url: pulumi.Output<string>;

  constructor(name: string, args: MessageArgs, opts?: pulumi.CustomResourceOptions) {
    const { settings, ...declared } = args;
    const outputs = {
      sid: undefined, accountSid: undefined, conversationSid: undefined, index: undefined, author: undefined,
      body: undefined, dateCreated: undefined, dateUpdated: undefined, url: undefined,
    };
    const props = { ...outputs, resourceName: name, stack: pulumi.getStack(), ...declared, ...settingsInputs(settings), __provider: providerModuleText("message") };
    const restoreStacks = withoutPromiseStacks();
    try {
      super("pulumi-nodejs:dynamic/twilio-conversations:Message", name, props, withSecretOutputs(opts, secretProperties(MESSAGE_PROPERTIES)));
    } finally {
      restoreStacks();
    }
  }
}
