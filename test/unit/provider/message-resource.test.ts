import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { MESSAGE_PROPERTIES, answered } from "../../../provider/domain/properties";
import { Message } from "../../../provider/resources/message";
import { fakeSid, useMocks, valueOf } from "../../support/pulumi-mocks";

describe("the typed Message resource", () => {
  beforeEach(async () => {
    await useMocks("message-resource");
  });

  it("has an output for each property Twilio answers for a message, as its table says, resolved from the state", async () => {
    const message = new Message("hello", { conversationSid: "CH00000000000000000000000000000000", author: "ops", body: "Hello", attributes: { topic: "billing" } });
    const outputs = answered(MESSAGE_PROPERTIES);
    expect(outputs).toEqual(expect.arrayContaining(["sid", "accountSid", "conversationSid", "index", "author", "body", "attributes", "mediaSid", "contentSid", "dateCreated", "dateUpdated", "url"]));
    for (const property of outputs) expect(pulumi.Output.isInstance((message as unknown as Record<string, unknown>)[property]), property).toBe(true);
    expect(await valueOf(message.sid)).toBe(fakeSid("IM", "hello"));
    expect(await valueOf(message.index)).toBe(0);
    expect(await valueOf(message.attributes)).toEqual({ topic: "billing" });
  });
});
