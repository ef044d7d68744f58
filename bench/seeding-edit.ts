// Issue 26's edit of one conversation in a seeded stack: the stack file with that one conversation
// changed, the check that `npm run plan` lists it alone, and the writes the following `up` sent,
// which must all be that conversation's. Pure, so the benchmark's verdicts are tested on their own.
import { dump, load } from "js-yaml";

/** The key of the message the edit adds at the end of the conversation's thread. */
export const EDIT_MESSAGE_KEY = "edited";

/** The friendly name the edit gives the conversation named `name`. */
export function editedFriendlyName(name: string): string {
  return `Edited ${name}`;
}

type StackDocument = { conversations?: Record<string, { friendlyName?: unknown; messages?: unknown[] }> };

/**
 * The stack file with the conversation `name` given a new friendlyName and one more message after
 * its others; every other conversation and key as it was.
 */
export function withOneConversationEdited(stackYaml: string, name: string): string {
  const stack = load(stackYaml) as StackDocument | null;
  const conversation = stack?.conversations?.[name];
  if (!conversation) throw new Error(`the stack file declares no conversation ${name} to edit`);
  const messages = Array.isArray(conversation.messages) ? conversation.messages : [];
  conversation.friendlyName = editedFriendlyName(name);
  conversation.messages = [...messages, { key: EDIT_MESSAGE_KEY, author: "bench-editor", body: `Added to ${name} by the edit.` }];
  return dump(stack);
}

interface PlannedLine {
  kind: string;
  name: string;
  action: string;
}

/**
 * Why the plan (`plan --format json`) does not list the edit of `name` alone, or null when it does:
 * the conversation's update and its new message, and nothing but lines of that conversation (its
 * messages `name/key`, an output naming it).
 */
export function planProblem(planJson: string, name: string): string | null {
  let lines: PlannedLine[];
  try {
    lines = (JSON.parse(planJson) as { resources: PlannedLine[] }).resources;
  } catch (error) {
    return `its JSON could not be read (${(error as Error).message})`;
  }
  if (!Array.isArray(lines)) return "its JSON holds no resources list";
  const show = (line: PlannedLine) => `${line.kind} ${line.name} (${line.action})`;
  const ofTheConversation = (line: PlannedLine) =>
    line.name === name || line.name.startsWith(`${name}/`) || (line.kind === "output" && line.name.split(".").includes(name));
  const others = lines.filter((line) => !ofTheConversation(line));
  if (others.length) return `it lists other resources than ${name}: ${others.slice(0, 5).map(show).join(", ")}${others.length > 5 ? ` and ${others.length - 5} more` : ""}`;
  const has = (kind: string, lineName: string, action: string) => lines.some((line) => line.kind === kind && line.name === lineName && line.action === action);
  const missing = [
    has("conversation", name, "update") ? null : `the update of conversation ${name}`,
    has("message", `${name}/${EDIT_MESSAGE_KEY}`, "create") ? null : `the create of message ${name}/${EDIT_MESSAGE_KEY}`,
  ].filter((text): text is string => text !== null);
  return missing.length ? `it does not list ${missing.join(" or ")} (it lists: ${lines.map(show).join(", ") || "nothing"})` : null;
}

export interface LoggedRequest {
  method: string;
  path: string;
}

/** The requests that write (every method but GET and HEAD). */
export function writeRequests<T extends LoggedRequest>(requests: readonly T[]): T[] {
  return requests.filter((request) => request.method !== "GET" && request.method !== "HEAD");
}

/** `METHOD path` of each request whose path is not the conversation `sid`'s or under it. */
export function requestsOutside(requests: readonly LoggedRequest[], sid: string): string[] {
  const within = new RegExp(`/Conversations/${sid}(?:/|$)`);
  return requests.filter((request) => !within.test(request.path)).map((request) => `${request.method} ${request.path}`);
}
