// A ConversationGroup's step of `pulumi preview --json` (grouped seeding), as the steps its
// members would have had as Conversation resources of their own: the plan then names each
// conversation and message as it does without groups. Pure.
import { ownResourceName } from "../domain/groups";
import { canonicalJson } from "../domain/json";
import type { PreviewStep } from "./model";

const GROUP_TYPE = "pulumi-nodejs:dynamic/twilio-conversations:ConversationGroup";
const CONVERSATION_TYPE = "pulumi-nodejs:dynamic/twilio-conversations:Conversation";

type Members = Record<string, Record<string, unknown>>;
type RecordedMembers = Record<string, { id?: string; outs?: Record<string, unknown> }>;

/**
 * The step itself, unless it is a group's: then one step per member it creates, deletes or whose
 * declared inputs change (a member whose inputs are as recorded takes no step, as a Conversation
 * whose inputs are unchanged shows none). A group's create creates every member, its delete
 * deletes every member.
 */
export function memberSteps(step: PreviewStep): PreviewStep[] {
  const [prefix, name] = splitUrn(step.urn);
  if (!prefix.endsWith(GROUP_TYPE) || name === null) return [step];
  const declared = (step.op === "delete" ? {} : (step.newState?.inputs?.members ?? {})) as Members;
  const recordedInputs = (step.op === "create" ? {} : (step.oldState?.inputs?.members ?? {})) as Members;
  const recorded = (step.op === "create" ? {} : (step.oldState?.outputs?.members ?? {})) as RecordedMembers;
  // Named as the conversation's own resource would be: the plan reads the same either way.
  const urnOf = (logicalName: string) => `${prefix.slice(0, -GROUP_TYPE.length)}${CONVERSATION_TYPE}::${ownResourceName(name, logicalName)}`;
  // The group's parent (a ConversationsStack, or the stack): the plan names members by it.
  const parent = step.newState?.parent ?? step.oldState?.parent;
  const steps: PreviewStep[] = [];
  for (const logicalName of [...new Set([...Object.keys(recorded), ...Object.keys(declared)])].sort()) {
    const before = recorded[logicalName];
    const after = declared[logicalName];
    const oldState = before && { parent, inputs: recordedInputs[logicalName] ?? {}, outputs: before.outs ?? {} };
    if (!before && after) steps.push({ op: "create", urn: urnOf(logicalName), newState: { parent, inputs: after } });
    else if (before && !after) steps.push({ op: "delete", urn: urnOf(logicalName), oldState });
    else if (before && after && canonicalJson(oldState!.inputs) !== canonicalJson(after)) {
      steps.push({ op: "update", urn: urnOf(logicalName), oldState, newState: { parent, inputs: after } });
    }
  }
  return steps;
}

/** A URN as its type path and its name (null when it has none). */
function splitUrn(urn: string): [string, string | null] {
  const parts = urn.split("::");
  return parts.length < 4 ? [urn, null] : [parts.slice(0, 3).join("::"), parts.slice(3).join("::")];
}
