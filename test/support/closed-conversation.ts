// A conversation's outputs as they hold what Twilio has, for the checks of a closed conversation:
// properties as given, each declared message recorded at its place, each participant held as declared.
import type { ConversationOutputs } from "../../provider/resources/conversation-model";
import type { DeclaredChildren, RecordedChildren } from "../../provider/resources/children-model";
import { threadOrder, type DeclaredThread, type RecordedThread } from "../../provider/resources/thread-model";

export function outputsHolding(held: Record<string, unknown>): ConversationOutputs {
  const outputs: Record<string, unknown> = { ...held };
  if (held.messages) {
    const thread = held.messages as DeclaredThread;
    outputs.messages = Object.fromEntries(
      threadOrder(thread).map((key, index) => [key, { sid: `IM${index}`, index, declared: thread[key], dateCreated: null, dateUpdated: null }]),
    ) as RecordedThread;
  }
  if (held.participants) {
    const children = held.participants as DeclaredChildren;
    outputs.participants = Object.fromEntries(Object.entries(children).map(([key, declared]) => [key, { sid: `MB${key}`, declared, held: declared }])) as RecordedChildren;
  }
  return outputs as unknown as ConversationOutputs;
}
