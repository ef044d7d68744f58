import * as pulumi from "@pulumi/pulumi";
import type { ConversationArgs } from "./args";
import { providerModuleText } from "./runtime-provider";

/** A Twilio Conversation, in a Conversation Service or the account's default service. */
export class Conversation extends pulumi.CustomResource {
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
    const { settings, ...declared } = args;
    const outputs = {
      sid: undefined, accountSid: undefined, chatServiceSid: undefined, uniqueName: undefined,
      friendlyName: undefined, state: undefined, attributes: undefined, messagingServiceSid: undefined,
      dateInactive: undefined, dateClosed: undefined, dateCreated: undefined, dateUpdated: undefined,
      url: undefined, adopted: undefined,
    };
    const props = { ...outputs, resourceName: name, stack: pulumi.getStack(), ...declared, ...settingsInputs(settings), __provider: providerModuleText("conversation") };
    // The type token of a dynamic resource: the provider process runs the `__provider` module.
    super("pulumi-nodejs:dynamic/twilio-conversations:Conversation", name, props, opts);
  }
}

/** Which Twilio account a resource uses: the stack config namespace that holds its settings. */
export function settingsInputs(settings: ConversationArgs["settings"]): { settingsNamespace?: pulumi.Input<string> } {
  return settings?.configNamespace === undefined ? {} : { settingsNamespace: settings.configNamespace };
}
