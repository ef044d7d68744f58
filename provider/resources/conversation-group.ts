import * as pulumi from "@pulumi/pulumi";
import type { ConversationArgs, TwilioSettings } from "./args";
import { conversationInputs } from "./conversation";
import type { GroupRenames } from "../domain/groups";
import type { KeptInputs, KeptRecord } from "../domain/member-records";
import { inputsWithBookkeeping, registeredProps, withoutPromiseStacks } from "./registration";

/** A member of a group: the name its own Conversation resource would have, and its arguments. */
export interface GroupMemberArgs {
  resourceName: string;
  args: Omit<ConversationArgs, "settings">;
}

/**
 * Several conversations in one resource (grouped seeding, `seeding: { groups: G }`): each member
 * is created, diffed and deleted as its own Conversation resource would be, keyed by its logical
 * name. The engine then checkpoints once per group rather than once per conversation.
 */
export class ConversationGroup extends pulumi.CustomResource {
  /**
   * Each member by logical name: the text of its record, its conversation's SID (`id`) and the
   * outputs a Conversation resource would hold (`outs`), compact (see member-records.ts); whole
   * records in state written before.
   */
  declare readonly members: pulumi.Output<Record<string, KeptRecord>>;

  /** @param renames the renames that concern this group (see groupRenames); none are registered when empty */
  constructor(name: string, members: Record<string, GroupMemberArgs>, settings: TwilioSettings | undefined, opts?: pulumi.CustomResourceOptions, renames?: GroupRenames) {
    const declared = Object.fromEntries(
      Object.entries(members).map(([logicalName, member]) => [logicalName, keptInputs(inputsWithBookkeeping(member.resourceName, conversationInputs(member.args), settings))]),
    );
    const props = registeredProps("conversationGroup", name, [], { members: declared, ...declaredRenames(renames) }, settings);
    const restoreStacks = withoutPromiseStacks();
    try {
      super("pulumi-nodejs:dynamic/twilio-conversations:ConversationGroup", name, props, opts);
    } finally {
      restoreStacks();
    }
  }
}

/**
 * A member's inputs as the group registers them: their JSON text when they hold only values. The
 * engine and the SDK then carry one string where an object is a tree of values they each copy,
 * serialize and walk: at 2,000 × 4, 66 MB less at the engine's peak. Inputs that wait on another
 * resource's output (a service the stack declares) stay an object, which the engine resolves.
 */
function keptInputs(inputs: Record<string, unknown>): KeptInputs {
  return holdsOnlyValues(inputs) ? JSON.stringify(inputs) : inputs;
}

function holdsOnlyValues(value: unknown): boolean {
  if (value === null || typeof value !== "object") return typeof value !== "function";
  if (pulumi.Output.isInstance(value) || pulumi.Resource.isInstance(value) || typeof (value as { then?: unknown }).then === "function") return false;
  return Object.values(value).every(holdsOnlyValues);
}

/** Only the renames there are: a group without any registers the inputs it always had. */
function declaredRenames(renames: GroupRenames | undefined): Partial<GroupRenames> {
  if (!renames) return {};
  return Object.fromEntries(Object.entries(renames).filter(([, names]) => Object.keys(names).length > 0));
}
