// The names a plan gives resources: the stack file's keys. A `ConversationsStack` component names
// its children `<component>/<key>` (its default namePrefix) so that several stack files, or a
// stack file and hand-written resources, never clash in one program; a reviewer reads the key
// the stack file says (`support`, `support/welcome`). The component's name is kept only where the
// key alone would not tell resources apart: the program holds more than one stack component, or
// a key is also the name of a resource outside the component. A custom namePrefix is the
// program's own naming and is shown as it is.

/** The type of the `ConversationsStack` component (provider/component.ts). */
export const COMPONENT_TYPE = "twilio-conversations:index:ConversationsStack";
/** The types of this package's resources: `pulumi-nodejs:dynamic/twilio-conversations:<Type>`. */
const RESOURCE_TYPE_PREFIX = "pulumi-nodejs:dynamic/twilio-conversations:";

/** What naming reads of a step of `preview --json` or `refresh --json`: its URN and parent. */
export interface NamedStep {
  urn: string;
  oldState?: { parent?: string };
  newState?: { parent?: string };
}

/** The last type of a URN's type chain (`parent$child`). */
export function typeOf(urn: string): string {
  return urn.split("::")[2]?.split("$").pop() ?? "";
}

/** The resource's logical name, as Pulumi knows it. */
export function logicalNameOf(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

export interface PlanNames {
  /**
   * The name the plan shows for a resource's URN: its stack file key when it is a stack
   * component's child (`context`: the URN of the step it belongs to, for a URN that is not a
   * step's own, such as the name a rename leaves).
   */
  of(urn: string, context?: string): string;
}

/** The plan's names for the resources of one preview or refresh (every step: `--show-sames`). */
export function planNames(steps: readonly NamedStep[]): PlanNames {
  const parents = new Map<string, string>();
  for (const step of steps) {
    const parent = step.newState?.parent ?? step.oldState?.parent;
    if (parent) parents.set(step.urn, parent);
  }
  const componentOf = (urn: string): string | null => {
    const seen = new Set<string>();
    for (let parent = parents.get(urn); parent && !seen.has(parent); parent = parents.get(parent)) {
      if (typeOf(parent) === COMPONENT_TYPE) return parent;
      seen.add(parent);
    }
    return null;
  };
  const keyOf = (urn: string, context: string): string => {
    const name = logicalNameOf(urn);
    const component = componentOf(context);
    const prefix = component === null ? null : `${logicalNameOf(component)}/`;
    return prefix !== null && name.startsWith(prefix) ? name.slice(prefix.length) : name;
  };
  const resources = [...new Set(steps.map((step) => step.urn))].filter((urn) => typeOf(urn).startsWith(RESOURCE_TYPE_PREFIX));
  const components = new Set([...steps.map((step) => step.urn), ...parents.values()].filter((urn) => typeOf(urn) === COMPONENT_TYPE));
  // resources of different types may share a name (a role and a conversation `support`): the plan shows their kind
  const keys = resources.map((urn) => `${typeOf(urn)} ${keyOf(urn, urn)}`);
  const ambiguous = components.size > 1 || new Set(keys).size < keys.length;
  return { of: (urn, context = urn) => (ambiguous ? logicalNameOf(urn) : keyOf(urn, context)) };
}
