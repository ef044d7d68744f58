// A conversation renamed in the stack file without `renamedFrom`, then adopted by its new name
// (`adopt: ifExists`, as the 409 hint suggests): the engine creates the new resource, which takes
// the conversation over, then deletes the old one. That delete must leave the conversation alone.
import { describe, expect, it } from "vitest";
import { createThrough, useEmulator } from "./harness";

const env = useEmulator();

const conversationsNamed = (uniqueName: string) => (env.emulator.state().conversations as any[]).filter((c) => c.unique_name === uniqueName);

describe("a conversation adopted by a resource of another name in the same run", () => {
  it("is not deleted by the delete of the resource it belonged to", async () => {
    const before = await createThrough(env.conversations, { resourceName: "support", uniqueName: "desk", friendlyName: "Desk" });
    const after = await createThrough(env.conversations, { resourceName: "helpdesk", uniqueName: "desk", friendlyName: "Desk", adopt: "ifExists" });
    expect(after.id).toBe(before.id);
    env.takeRequests();
    await env.conversations.delete(before.id, before.outs);
    expect(env.takeRequests().filter((r) => r.method === "DELETE")).toEqual([]);
    expect(conversationsNamed("desk").map((c) => c.sid)).toEqual([before.id]);
  });

  it("is still deleted by the delete of the resource that adopted it (destroy)", async () => {
    await createThrough(env.conversations, { resourceName: "old-name", uniqueName: "kept-desk" });
    const adopted = await createThrough(env.conversations, { resourceName: "new-name", uniqueName: "kept-desk", adopt: "ifExists" });
    await env.conversations.delete(adopted.id, adopted.outs);
    expect(conversationsNamed("kept-desk")).toEqual([]);
  });
});
