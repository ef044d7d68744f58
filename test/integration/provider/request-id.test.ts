// A failed request's error names the request: the emulator answers a Twilio-Request-Id, the
// provider's client puts it in the error and in its message.
import { emulatorSettings, testTransport } from "../../support/transport";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import { httpExchange } from "../../../provider/client/exchange";
import { send, type Transport } from "../../../provider/client/http";
import { DEFAULT_RETRY_POLICY } from "../../../provider/client/retry";
import { TwilioConversationsError } from "../../../provider/errors";

let emulator: RunningEmulator;
let transport: Transport;
beforeAll(async () => {
  emulator = await startEmulator();
  const settings = emulatorSettings(emulator);
  transport = testTransport({
    settings,
    policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 },
    exchange: httpExchange(),
  });
});
afterAll(async () => {
  await emulator?.close();
});

describe("provider errors name Twilio's request", () => {
  it("carries the Twilio-Request-Id of the failed answer in the error and its message", async () => {
    await send(transport, { method: "POST", path: "/v1/Conversations", form: { UniqueName: "support" }, kind: "create", context: { operation: "create conversation" } });
    emulator.clearRequests();
    const failure = await send(transport, {
      method: "POST",
      path: "/v1/Conversations",
      form: { UniqueName: "support" },
      kind: "create",
      context: { operation: "create conversation", resource: "support" },
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TwilioConversationsError);
    const [logged] = emulator.requests();
    expect(logged.requestId).toMatch(/^RQ[0-9a-f]{32}$/);
    expect((failure as TwilioConversationsError).requestId).toBe(logged.requestId);
    expect((failure as Error).message).toBe(
      [
        'create conversation "support" failed (HTTP 409, Twilio error 50353): Conversation with provided unique name already exists',
        "more info: https://www.twilio.com/docs/errors/50353",
        `request id: ${logged.requestId}`,
      ].join("\n"),
    );
  });
});
