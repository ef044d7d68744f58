// Which conversations `export --conversations [FILTER…]` writes: pure parsing and matching.
import type { ObservedConversation } from "../client/wire";
import { CONVERSATION_STATES, type ConversationState } from "../domain/rules";

/** Every condition must hold; a null one holds for every conversation. */
export interface ConversationFilter {
  states: ConversationState[] | null;
  /** The uniqueName starts with it. */
  uniqueNamePrefix: string | null;
  /** Created at or after (ms since the epoch). */
  createdFrom: number | null;
  /** Created before (ms since the epoch). */
  createdBefore: number | null;
}

export const ALL_CONVERSATIONS: ConversationFilter = { states: null, uniqueNamePrefix: null, createdFrom: null, createdBefore: null };

export const FILTER_USAGE = `FILTER is one of (all must hold):
  state=S[,S…]            active, inactive or closed
  prefix=P                the uniqueName starts with P
  since=DATE              created at or after DATE (2024-03-01 or 2024-03-01T09:00:00Z)
  before=DATE             created before DATE`;

/** The filter the words say, or what is wrong with one of them. */
export function parseConversationFilter(words: readonly string[]): { filter: ConversationFilter } | { error: string } {
  const filter: ConversationFilter = { ...ALL_CONVERSATIONS };
  for (const word of words) {
    const at = word.indexOf("=");
    const [name, value] = at < 0 ? [word, ""] : [word.slice(0, at), word.slice(at + 1)];
    if (value === "") return { error: `filter ${JSON.stringify(word)} has no value: write ${name || "state"}=…` };
    if (name === "state") {
      const states = value.split(",");
      const unknown = states.find((state) => !(CONVERSATION_STATES as readonly string[]).includes(state));
      if (unknown !== undefined) return { error: `state ${JSON.stringify(unknown)} is not one of ${CONVERSATION_STATES.join(", ")}` };
      filter.states = states as ConversationState[];
    } else if (name === "prefix") filter.uniqueNamePrefix = value;
    else if (name === "since" || name === "before") {
      const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
      if (Number.isNaN(time)) return { error: `${name}=${value} is not a date: write 2024-03-01 or 2024-03-01T09:00:00Z` };
      if (name === "since") filter.createdFrom = time;
      else filter.createdBefore = time;
    } else return { error: `unknown filter ${JSON.stringify(name)}: use state=, prefix=, since= or before=` };
  }
  return { filter };
}

export function selectedConversation(conversation: ObservedConversation, filter: ConversationFilter): boolean {
  const created = Date.parse(conversation.dateCreated ?? "");
  if (filter.states && !filter.states.includes(conversation.state as ConversationState)) return false;
  if (filter.uniqueNamePrefix !== null && !(conversation.uniqueName ?? "").startsWith(filter.uniqueNamePrefix)) return false;
  if (filter.createdFrom !== null && !(created >= filter.createdFrom)) return false;
  if (filter.createdBefore !== null && !(created < filter.createdBefore)) return false;
  return true;
}
