/**
 * Conversations taken over by a create (`adopt`) in this provider process. The engine runs every
 * resource of a deployment in one provider process, and deletes the resources a run removes or
 * replaces after its creates: when a create has just adopted a conversation, a delete of the same
 * SID (the resource it belonged to, e.g. under the name before a rename) must leave it in Twilio.
 */
export interface Adoptions {
  record(sid: string, resourceName: string): void;
  /** The resource that adopted this SID in this process, if any. */
  adopterOf(sid: string): string | undefined;
}

export function newAdoptions(): Adoptions {
  const adopterBySid = new Map<string, string>();
  return {
    record: (sid, resourceName) => void adopterBySid.set(sid, resourceName),
    adopterOf: (sid) => adopterBySid.get(sid),
  };
}

/** Whether another resource adopted this SID in this process: it is that resource's now. */
export function takenOverByAnother(adoptions: Adoptions, sid: string, resourceName: string): boolean {
  const adopter = adoptions.adopterOf(sid);
  return adopter !== undefined && adopter !== resourceName;
}
