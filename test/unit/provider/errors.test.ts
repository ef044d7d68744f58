import { describe, expect, it } from "vitest";
import { redact, redactError, renderError, TwilioConversationsError } from "../../../provider/errors";

describe("renderError", () => {
  it("renders every fact Twilio gave", () => {
    expect(
      renderError(
        { operation: "create conversation", resource: "support", hint: "pick another uniqueName, or set adopt: ifExists" },
        {
          status: 409,
          code: 50353,
          message: "Conversation with provided unique name already exists",
          moreInfo: "https://www.twilio.com/docs/errors/50353",
          requestId: "RQ123",
        },
      ),
    ).toMatchInlineSnapshot(`
      "create conversation "support" failed (HTTP 409, Twilio error 50353): Conversation with provided unique name already exists
      more info: https://www.twilio.com/docs/errors/50353
      request id: RQ123
      hint: pick another uniqueName, or set adopt: ifExists"
    `);
  });

  it("renders a bare failure", () => {
    expect(renderError({ operation: "delete message" }, {})).toMatchInlineSnapshot(`"delete message failed: no details"`);
  });

  it("renders a status without a code", () => {
    expect(renderError({ operation: "read conversation", resource: "CH1" }, { status: 503, message: "Service Unavailable" })).toMatchInlineSnapshot(
      `"read conversation "CH1" failed (HTTP 503): Service Unavailable"`,
    );
  });

  it("renders a code of 0 and status 0 rather than dropping them", () => {
    expect(renderError({ operation: "update conversation" }, { status: 0, code: 0, message: "x" })).toMatchInlineSnapshot(
      `"update conversation failed (HTTP 0, Twilio error 0): x"`,
    );
  });

  it("TwilioConversationsError carries the facts and the rendered message", () => {
    const error = new TwilioConversationsError(
      { operation: "create message", resource: "welcome", hint: "h" },
      { status: 400, code: 50377, message: "closed", moreInfo: "m", requestId: "RQ9" },
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("TwilioConversationsError");
    expect(error).toMatchObject({ operation: "create message", resource: "welcome", status: 400, code: 50377, moreInfo: "m", requestId: "RQ9", hint: "h" });
    expect(error.message).toBe(renderError({ operation: "create message", resource: "welcome", hint: "h" }, { status: 400, code: 50377, message: "closed", moreInfo: "m", requestId: "RQ9" }));
  });
});

describe("redact", () => {
  it.each<[string, string, string[], string]>([
    ["one occurrence", "token=abcd1234 sent", ["abcd1234"], "token=[redacted] sent"],
    ["every occurrence", "abcd1234/abcd1234abcd1234", ["abcd1234"], "[redacted]/[redacted][redacted]"],
    ["several secrets", "u:tok-1111 p:sec-2222", ["tok-1111", "sec-2222"], "u:[redacted] p:[redacted]"],
    ["no secrets", "nothing here", [], "nothing here"],
    ["regex characters are literal", "a.b*c+d? and axbxc", ["a.b*c+d?"], "[redacted] and axbxc"],
    ["a secret inside a longer one", "key=xxabcd1234yy", ["abcd1234", "xxabcd1234yy"], "key=[redacted]"],
  ])("%s", (_name, text, secrets, expected) => {
    expect(redact(text, secrets)).toBe(expected);
  });
});

describe("redactError", () => {
  it("removes every secret from the message and the stack", () => {
    const secret = "s3cr3t-token-value";
    const error = new Error(`auth with ${secret} failed; retried with ${secret}`);
    const result = redactError(error, [secret]) as Error;
    expect(result).toBe(error);
    expect(result.message).toBe("auth with [redacted] failed; retried with [redacted]");
    expect(result.stack).not.toContain(secret);
    expect(result.stack).toContain("[redacted]");
  });

  it("redacts strings and passes other values through", () => {
    expect(redactError("bad s3cr3t-token-value", ["s3cr3t-token-value"])).toBe("bad [redacted]");
    const value = { message: "s3cr3t-token-value" };
    expect(redactError(value, ["s3cr3t-token-value"])).toBe(value);
  });
});

describe("redactError and causes", () => {
  it("redacts the secret in the chained cause too", () => {
    const cause = new Error("upstream said Basic c2VjcmV0LXRva2Vu and secret-token");
    const error = redactError(new Error("outer", { cause }), ["secret-token", "c2VjcmV0LXRva2Vu"]) as Error;
    expect((error.cause as Error).message).toBe("upstream said Basic [redacted] and [redacted]");
  });
});
