import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Conversation } from "../../../provider/resources/conversation";
import { Role } from "../../../provider/resources/environment";
import { Message } from "../../../provider/resources/message";
import { withoutPromiseStacks } from "../../../provider/resources/registration";
import { useMocks } from "../../support/pulumi-mocks";

/** How many stacks with frames were captured while `run` ran (V8 formats each through prepareStackTrace). */
function stacksWithFramesDuring(run: () => void): number {
  const previous = Error.prepareStackTrace;
  let captured = 0;
  Error.prepareStackTrace = (error, frames) => {
    if (frames.length > 0) captured++;
    return previous ? previous(error, frames) : `${error}\n${frames.map((frame) => `    at ${frame}`).join("\n")}`;
  };
  try {
    run();
  } finally {
    Error.prepareStackTrace = previous;
  }
  return captured;
}

const FRAME = /\n\s+at /;

describe("registering a resource without the SDK's promise stacks", () => {
  let limit: number;
  beforeEach(async () => {
    limit = Error.stackTraceLimit;
    await useMocks("registration");
  });
  afterEach(() => {
    Error.stackTraceLimit = limit;
  });

  it("turns stack capture off until restored, then puts back the limit that was set", () => {
    Error.stackTraceLimit = 17;
    const restore = withoutPromiseStacks();
    expect(Error.stackTraceLimit).toBe(0);
    expect(new Error("inside").stack).not.toMatch(FRAME);
    restore();
    expect(Error.stackTraceLimit).toBe(17);
    expect(new Error("after").stack).toMatch(FRAME);
  });

  it("captures one stack per conversation, message or role (its source position), not one per promise, and leaves the program's limit as it was", () => {
    Error.stackTraceLimit = 23;
    const declarations = [
      () => new Conversation("plain", { friendlyName: "Plain" }),
      () => new Message("hello", { conversationSid: "CH00000000000000000000000000000000", author: "a", body: "hi" }),
      () => new Role("agent", { friendlyName: "agent", type: "conversation", permissions: ["sendMessage"] }),
    ];
    for (const declare of declarations) expect(stacksWithFramesDuring(declare)).toBe(1);
    expect(Error.stackTraceLimit).toBe(23);
    // Outside a resource's registration, stacks are as the program set them.
    expect(new Error("outside").stack).toMatch(FRAME);
  });

  it("puts the limit back when the registration throws", () => {
    Error.stackTraceLimit = 11;
    // The SDK refuses a resource without a name, inside the registration.
    expect(() => new Conversation(undefined as unknown as string, { friendlyName: "Nameless" })).toThrow(/name/);
    expect(Error.stackTraceLimit).toBe(11);
  });
});
