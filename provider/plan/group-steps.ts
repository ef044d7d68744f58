// A ConversationGroup's step of `pulumi preview --json` (grouped seeding), as the steps its
// members would have had as Conversation resources of their own: the plan then names each
// conversation and message as it does without groups. Pure.
import { memberRecords, ownResourceName } from "../domain/groups";
import { kindOf } from "./kinds";
import { canonicalJson } from "../domain/json";
import { expandMembers, membersInputsOf, type MemberRecord, type SharedOutputs } from "../domain/member-records";
import type { PreviewStep } from "./model";

const GROUP_TYPE = "pulumi-nodejs:dynamic/twilio-conversations:ConversationGroup";
const CONVERSATION_TYPE = "pulumi-nodejs:dynamic/twilio-conversations:Conversation";

type Members = Record<string, Record<string, unknown>>;
type RecordedMembers = Record<string, MemberRecord>;

/**
 * The step itself, unless it is a group's: then one step per member it creates, deletes or whose
 * declared inputs change (a member whose inputs are as recorded takes no step, as a Conversation
 * whose inputs are unchanged shows none). A group's create creates every member, its delete
 * deletes every member.
 */
export function memberSteps(step: PreviewStep): PreviewStep[] {
  const [prefix, name] = splitUrn(step.urn);
  if (!prefix.endsWith(GROUP_TYPE) || name === null) return [step];
  const declared: Members = step.op === "delete" ? {} : membersInputsOf(step.newState?.inputs?.members);
  const renamedFrom = (step.op === "delete" ? {} : (step.newState?.inputs?.renamedFrom ?? {})) as Record<string, string>;
  const recordedInputs: Members = step.op === "create" ? {} : membersInputsOf(step.oldState?.inputs?.members);
  const outputs = step.op === "create" ? {} : (step.oldState?.outputs ?? {});
  const recorded = expandMembers(outputs.members as RecordedMembers | undefined, outputs.shared as SharedOutputs | undefined);
  // Named as the conversation's own resource would be: the plan reads the same either way.
  const urnOf = (logicalName: string) => `${prefix.slice(0, -GROUP_TYPE.length)}${CONVERSATION_TYPE}::${ownResourceName(name, logicalName)}`;
  // The group's parent (a ConversationsStack, or the stack): the plan names members by it.
  const parent = step.newState?.parent ?? step.oldState?.parent;
  const oldStateOf = (logicalName: string) => ({ urn: urnOf(logicalName), parent, inputs: recordedInputs[logicalName] ?? {}, outputs: recorded[logicalName]?.outs ?? {} });
  const { continues, left } = memberRecords(Object.keys(recorded), Object.keys(declared), renamedFrom);
  const steps: PreviewStep[] = [];
  for (const [logicalName, source] of Object.entries(continues)) {
    const newState = { parent, inputs: declared[logicalName] };
    if (source === null) {
      // Renamed from another group, which gives it away: the plan joins the two (joinMoves). It is
      // adopted by its unique name (validate requires one unless the groups also change).
      const previous = renamedFrom[logicalName];
      const takenOver = typeof declared[logicalName].uniqueName === "string";
      steps.push({ op: "create", urn: urnOf(logicalName), newState, ...(previous === undefined ? {} : { move: { from: urnOf(previous), renamed: true, takenOver } }) });
      continue;
    }
    const oldState = oldStateOf(source);
    const same = sameDeclaration(oldState.inputs, declared[logicalName]);
    if (source !== logicalName) steps.push({ op: same ? "same" : "update", urn: urnOf(logicalName), oldState, newState });
    else if (!same) steps.push({ op: "update", urn: urnOf(logicalName), oldState, newState });
  }
  for (const logicalName of left) steps.push({ op: "delete", urn: urnOf(logicalName), oldState: oldStateOf(logicalName) });
  return steps.sort((a, b) => a.urn.localeCompare(b.urn));
}

/**
 * Whether two holders declare a conversation alike: its inputs but the name of the resource
 * holding it and the provider a resource of its own carries (a member has none of its own).
 */
function sameDeclaration(before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  const { resourceName: _before, __provider: _provider, ...was } = before;
  const { resourceName: _after, __provider: _itsProvider, ...is } = after;
  return canonicalJson(was) === canonicalJson(is);
}

/**
 * A conversation that leaves one holder and arrives in another in the same run (its group
 * changed with seeding.groups or a rename, or the stack switched in or out of grouped seeding) as
 * one step: the delete of where it was and the create where it goes become the step of the
 * conversation kept (none when its declaration is unchanged). It is found by the uniqueName it
 * holds and still declares; one without is made anew, and its step is a replace that says so.
 */
export function joinMoves(steps: readonly PreviewStep[]): PreviewStep[] {
  const deletes = new Map(steps.filter((step) => step.op === "delete" && kindOf(step.urn) === "conversation").map((step) => [step.urn, step]));
  const joined = new Set<PreviewStep>();
  const result: PreviewStep[] = [];
  for (const step of steps) {
    if (step.op !== "create" || kindOf(step.urn) !== "conversation") continue;
    const from = step.move?.from ?? step.urn;
    const left = deletes.get(from);
    if (!left || joined.has(left)) continue;
    joined.add(left).add(step);
    const held = left.oldState?.outputs?.uniqueName;
    const move = { from, renamed: step.move?.renamed === true, takenOver: typeof held === "string" && held !== "" && held === step.newState?.inputs?.uniqueName };
    const oldState = { ...left.oldState, urn: from };
    const same = sameDeclaration(left.oldState?.inputs ?? {}, step.newState?.inputs ?? {});
    if (!move.takenOver) result.push({ ...step, op: "replace", oldState, move });
    else if (!same || from !== step.urn) result.push({ ...step, op: same ? "same" : "update", oldState, move });
  }
  return [...steps.filter((step) => !joined.has(step)), ...result];
}

/** A URN as its type path and its name (null when it has none). */
function splitUrn(urn: string): [string, string | null] {
  const parts = urn.split("::");
  return parts.length < 4 ? [urn, null] : [parts.slice(0, 3).join("::"), parts.slice(3).join("::")];
}
