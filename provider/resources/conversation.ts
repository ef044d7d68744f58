import * as pulumi from "@pulumi/pulumi";
import type { ConversationArgs, SeedMessageArgs } from "./args";
import { registeredProps, withSecretOutputs, withoutPromiseStacks } from "./registration";
import { CONVERSATION_PROPERTIES, answered, secretProperties, type Answered, type ConversationTable } from "../domain/properties";
import { declaredThread, type DeclaredMessage, type RecordedThread } from "./thread-model";
import type { RecordedChildren } from "./children-model";

/**
 * Each property Twilio answers, as an output of the row's type (as declared, for a declared row):
 * never null where Twilio holds one for every object (`always`).
 */
export type TableOutputs<Table> = {
  readonly [K in keyof Table as K extends Answered<Table> ? K : never]: pulumi.Output<OutputValue<Table[K]>>;
};
export type ConversationOutputProperties = TableOutputs<ConversationTable>;
type OutputValue<Row> = (Row extends { value: infer V } ? V : Row extends { read: "number" } ? number : string) extends infer V
  ? Row extends { always: true } ? V : V | null
  : never;

/** The outputs Twilio answers, from the table (ConversationOutputProperties); the class adds the provider's own. */
export interface Conversation extends ConversationOutputProperties {}

/** A Twilio Conversation, in a Conversation Service or the account's default service. */
export class Conversation extends pulumi.CustomResource {
  declare readonly adopted: pulumi.Output<boolean>;
  /** The seed thread by message key: each message's `sid`, `index`, dates and declared fields. */
  declare readonly messages: pulumi.Output<RecordedThread>;
  /** Participants by key: each one's `sid`, its declared fields and what Twilio holds (`held`). */
  declare readonly participants: pulumi.Output<RecordedChildren>;
  /** Conversation-scoped webhooks by key, as participants. */
  declare readonly scopedWebhooks: pulumi.Output<RecordedChildren>;

  constructor(name: string, args: ConversationArgs, opts?: pulumi.CustomResourceOptions) {
    const { settings, messages, participants, scopedWebhooks, twins, ...declared } = args;
    const thread = {
      // Bookkeeping (text, as the provider echoes it): only where there are twins, so no other state changes.
      ...(twins !== undefined && twins > 1 ? { twins: String(twins) } : {}),
      ...(messages && messages.length > 0 ? { messages: seedThread(messages) } : {}),
      ...(participants && Object.keys(participants).length > 0 ? { participants } : {}),
      ...(scopedWebhooks && Object.keys(scopedWebhooks).length > 0 ? { scopedWebhooks } : {}),
    };
    const props = registeredProps("conversation", name, [...OUTPUTS, "adopted", "messages", "participants", "scopedWebhooks"], { ...declared, ...thread }, settings);
    // The type token of a dynamic resource: the provider process runs the `__provider` module.
    const restoreStacks = withoutPromiseStacks();
    try {
      super("pulumi-nodejs:dynamic/twilio-conversations:Conversation", name, props, withSecretOutputs(opts, secretProperties(CONVERSATION_PROPERTIES)));
    } finally {
      restoreStacks();
    }
  }
}

/** The outputs Twilio answers: the engine is told of each (an input of `undefined`) so that the resource shows it. */
const OUTPUTS = answered(CONVERSATION_PROPERTIES);

/** The thread as stored: keyed (by position when a message has no key), each after the one before. */
function seedThread(messages: SeedMessageArgs[]) {
  const keys = messages.map((message, position) => message.key ?? String(position));
  const twice = keys.find((key, position) => keys.indexOf(key) !== position);
  if (twice !== undefined) throw new Error(`two seed messages have the key ${JSON.stringify(twice)}: give each message of a conversation its own key`);
  return declaredThread(messages.map(({ key, ...fields }, position) => ({ key: key ?? String(position), ...(fields as Omit<DeclaredMessage, "after">) })));
}

