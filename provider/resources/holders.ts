/**
 * Which resource of this run holds each conversation SID. The engine runs every resource of a
 * deployment in one provider process, diffs each declared resource that has state and creates
 * the new ones before it deletes the resources a run removes: by then every declared holder of a
 * SID is known. A delete of a SID that another declared resource holds (it adopted the
 * conversation, in this run or an earlier one, e.g. under the name after a rename) must leave the
 * conversation in Twilio.
 */
export interface Holders {
  /** `resourceName` holds `sid`: it is declared with that ID, or adopted it. */
  hold(sid: string, resourceName: string): void;
  /** Whether a resource other than `resourceName` holds `sid`. */
  heldByAnother(sid: string, resourceName: string): boolean;
}

export function newHolders(): Holders {
  const holders = new Map<string, Set<string>>();
  return {
    hold(sid, resourceName) {
      holders.set(sid, (holders.get(sid) ?? new Set()).add(resourceName));
    },
    heldByAnother(sid, resourceName) {
      return [...(holders.get(sid) ?? [])].some((holder) => holder !== resourceName);
    },
  };
}
