import * as pulumi from "@pulumi/pulumi";
import type { ConversationArgs } from "./args";
import { runtimeProvider } from "./runtime-provider";

const provider = runtimeProvider("conversation");

/** A Twilio Conversation, in a Conversation Service or the account's default service. */
export class Conversation extends pulumi.dynamic.Resource {
  declare readonly sid: pulumi.Output<string>;
  declare readonly accountSid: pulumi.Output<string>;
  declare readonly chatServiceSid: pulumi.Output<string>;
  declare readonly uniqueName: pulumi.Output<string | null>;
  declare readonly friendlyName: pulumi.Output<string | null>;
  declare readonly state: pulumi.Output<string>;
  declare readonly attributes: pulumi.Output<Record<string, unknown> | null>;
  declare readonly messagingServiceSid: pulumi.Output<string | null>;
  declare readonly dateInactive: pulumi.Output<string | null>;
  declare readonly dateClosed: pulumi.Output<string | null>;
  declare readonly dateCreated: pulumi.Output<string>;
  declare readonly dateUpdated: pulumi.Output<string>;
  declare readonly url: pulumi.Output<string>;
  declare readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: ConversationArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      sid: undefined, accountSid: undefined, chatServiceSid: undefined, uniqueName: undefined,
      friendlyName: undefined, state: undefined, attributes: undefined, messagingServiceSid: undefined,
      dateInactive: undefined, dateClosed: undefined, dateCreated: undefined, dateUpdated: undefined,
      url: undefined, adopted: undefined,
    };
    super(provider, name, { ...outputs, resourceName: name, stack: pulumi.getStack(), ...args }, opts, "twilio-conversations", "Conversation");
  }
}
