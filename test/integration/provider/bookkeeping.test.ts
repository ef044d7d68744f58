// What the program sets for the provider's own use (the stack, the settings namespace) survives a
// refresh: the inputs a read rebuilds keep it, so the next preview shows no change nobody made.
import { describe, expect, it } from "vitest";
import { createThrough, useEmulator } from "./harness";

const env = useEmulator();

describe("bookkeeping properties", () => {
  it.each(["conversations", "messages"] as const)("%s: read keeps the stack in the state and in the inputs it rebuilds", async (kind) => {
    const conversation = await createThrough(env.conversations, { resourceName: "desk", stack: "staging", uniqueName: `keep-${kind}` });
    const created =
      kind === "conversations"
        ? conversation
        : await createThrough(env.messages, { resourceName: "desk/hello", stack: "staging", conversationSid: conversation.id, author: "a", body: "hi" });
    expect(created.outs.stack).toBe("staging");
    const read = await env[kind].read(created.id, created.outs);
    expect(read.props?.stack).toBe("staging");
    expect(read.inputs?.stack).toBe("staging");
  });
});
