// Which of this package's resources a URN is, and how the plan groups them: the environment first,
// then each conversation with what lives inside it (`<conversation>/<key>`).
import { ENVIRONMENT_KINDS, type EnvironmentKindName } from "../domain/environment";
import { typeOf } from "./names";
import type { PlannedResource, ResourceKind } from "./model";

/** The environment's resources come before the conversations, which live in them. */
export function sectionOf(resource: PlannedResource): number {
  return resource.kind === "conversation" || insideConversation(resource) ? 1 : 0;
}

/** A message, participant or scoped webhook: planned inside its conversation's step, named `<conversation>/<key>`. */
function insideConversation(resource: PlannedResource): boolean {
  return resource.kind === "message" || resource.kind === "participant" || resource.kind === "webhook";
}

export function kindOf(urn: string): ResourceKind | null {
  const type = typeOf(urn);
  if (type === "pulumi-nodejs:dynamic/twilio-conversations:Conversation") return "conversation";
  if (type === "pulumi-nodejs:dynamic/twilio-conversations:Message") return "message";
  const environment = environmentKindOf(urn);
  return environment ? ENVIRONMENT_KINDS[environment].noun : null;
}

const ENVIRONMENT_BY_TYPE = new Map(Object.values(ENVIRONMENT_KINDS).map((kind) => [`pulumi-nodejs:dynamic/twilio-conversations:${kind.type}`, kind.name]));

export function environmentKindOf(urn: string): EnvironmentKindName | null {
  return ENVIRONMENT_BY_TYPE.get(typeOf(urn)) ?? null;
}

/** The conversation a resource belongs to: itself, or the one a message seeds; an environment resource is its own group. */
export function groupOf(resource: PlannedResource): string {
  return insideConversation(resource) ? conversationOf(resource.name) : resource.name;
}

export function conversationOf(messageName: string): string {
  return messageName.slice(0, messageName.lastIndexOf("/"));
}
