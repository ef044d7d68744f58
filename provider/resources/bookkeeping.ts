// The properties every resource carries for the provider's own use, apart from what it declares:
// read by the runtime around every method, and echoed by a group into each member's record.

/**
 * Properties the program sets for the provider's own use: the stack (which keys the create
 * journal), the settings namespace, and a conversation's twins (how many unheld conversations a
 * recovery may find for it, see client/recovery.ts). Every method's last argument holds them (the news of
 * check, diff and update; the inputs of create; the state of read and delete); the outputs, and the
 * inputs a refresh rebuilds, echo them, so that later operations find them and a refresh never
 * shows them as changed.
 */
const BOOKKEEPING = ["stack", "settingsNamespace", "twins"] as const;

export function bookkeepingOf(props: unknown): Record<string, string> {
  const found: Record<string, string> = {};
  if (typeof props !== "object" || props === null) return found;
  for (const key of BOOKKEEPING) {
    const value = (props as Record<string, unknown>)[key];
    if (typeof value === "string" && value !== "") found[key] = value;
  }
  return found;
}
