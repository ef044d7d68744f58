import * as pulumi from "@pulumi/pulumi";
import { ConversationsStack } from "twilio-conversations-pulumi";

// Each stack's conversations live in stacks/<stack>.yaml; `pulumi config set stackFile FILE` picks another.
const file = new pulumi.Config().get("stackFile") ?? `stacks/${pulumi.getStack()}.yaml`;
const stack = new ConversationsStack("conversations", { file });

/** Conversation SIDs by logical name. */
export const conversations = stack.conversations;
/** Message SIDs by conversation and message key. */
export const messages = stack.messages;
