// The error of a failed request names the request Twilio answered last (its Twilio-Request-Id),
// and says nothing of one when there is none.
import { httpAnswer, testTransport } from "../../support/transport";
import { describe, expect, it } from "vitest";
import { send, type Transport } from "../../../provider/client/http";
import { DEFAULT_RETRY_POLICY } from "../../../provider/client/retry";
import type { TwilioConversationsError } from "../../../provider/errors";

function transportAnswering(answers: Array<{ status: number; requestId?: string }>): Transport {
  let next = 0;
  return testTransport({
    settings: {
      namespace: "twilio",
      baseUrl: "https://conversations.example.test",
      accountSid: "AC00000000000000000000000000000000",
      credentials: { username: "AC00000000000000000000000000000000", password: "token-never-shown" },
      requestTimeoutMs: 1_000,
      maxWriteMs: 1_000,
      maxAttempts: answers.length,
      secrets: ["token-never-shown"],
    },
    policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: answers.length },
    exchange: async () => {
      const { status, requestId } = answers[next++];
      const body = JSON.stringify({ code: status * 100 + 3, message: `failure ${next}`, more_info: "https://www.twilio.com/docs/errors/x", status });
      return httpAnswer(status, body, requestId ? { "Twilio-Request-Id": requestId } : {});
    },
  });
}

const fetchConversation = (transport: Transport) =>
  send(transport, { method: "GET", path: "/v1/Conversations/CH1", kind: "read", context: { operation: "read conversation", resource: "support" } }).then(
    () => expect.unreachable("the request should fail"),
    (error: TwilioConversationsError) => error,
  );

describe("request id in provider errors", () => {
  it("names the last attempt's request after retries", async () => {
    const error = await fetchConversation(
      transportAnswering([
        { status: 503, requestId: "RQ11111111111111111111111111111111" },
        { status: 503, requestId: "RQ22222222222222222222222222222222" },
      ]),
    );
    expect(error.requestId).toBe("RQ22222222222222222222222222222222");
    expect(error.message).toBe(
      [
        'read conversation "support" failed (HTTP 503, Twilio error 50303): failure 2',
        "more info: https://www.twilio.com/docs/errors/x",
        "request id: RQ22222222222222222222222222222222",
      ].join("\n"),
    );
  });

  it("has no request id line when the answer carried none", async () => {
    const error = await fetchConversation(transportAnswering([{ status: 400 }]));
    expect(error.requestId).toBeUndefined();
    expect(error.message).not.toMatch(/request id/);
  });
});
