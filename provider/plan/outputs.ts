// The stack's outputs that `up` would change. `preview --json` carries the outputs recorded at the
// last `up` (the root stack's step, with --show-sames) but never the program's new ones: the
// engine's event log does, in the root stack's last `resOutputsEvent` (old: recorded, new: as the
// program registers them now; secrets masked, values preview cannot know as the unknown marker).

/** The root stack resource, whose outputs are the stack's outputs. */
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

export interface OutputsEvent {
  resOutputsEvent?: { metadata: { op: string; urn: string; old?: { outputs?: Record<string, unknown> }; new?: { outputs?: Record<string, unknown> } } };
}

/** The stack's outputs as recorded and as the program registers them now; null without the event. */
export function stackOutputs(events: readonly OutputsEvent[]): { recorded: Record<string, unknown>; next: Record<string, unknown> } | null {
  const last = events.filter((event) => event.resOutputsEvent?.metadata.urn.split("::")[2] === ROOT_STACK_TYPE).pop();
  const metadata = last?.resOutputsEvent?.metadata;
  if (!metadata?.new) return null;
  return { recorded: metadata.old?.outputs ?? {}, next: metadata.new.outputs ?? {} };
}

/**
 * Whether a changed output's path (`conversations.claim-7731`, `messages.support.welcome`) names a
 * resource the plan already lists (by a key after the output's own name): the output changes with
 * it, and is shown by that resource's line rather than twice.
 */
export function namesPlannedResource(path: string, plannedKeys: ReadonlySet<string>): boolean {
  return path.split(".").slice(1).some((part) => plannedKeys.has(part));
}

/**
 * Whether a path (`messages.lobby.hello`) lies inside an output value the preview cannot know yet
 * as a whole (`messages.lobby`, a member's messages map before its group's update): its value is
 * known after apply, not removed. `unknownPaths` are the flattened paths whose new value is unknown.
 */
export function insideUnknown(path: string, unknownPaths: readonly string[]): boolean {
  return unknownPaths.some((unknown) => path.startsWith(`${unknown}.`));
}
