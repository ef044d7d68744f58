// A Transport for tests that drive the HTTP layer with a scripted exchange: Twilio's defaults for
// the rest, with no pacing delays, no jitter and no crash journal.
import type { RunningEmulator } from "../../emulator";
import { Claims } from "../../provider/client/claims";
import type { HttpAnswer } from "../../provider/client/exchange";
import type { Transport } from "../../provider/client/http";
import { SlidingWindowLimiter } from "../../provider/client/limiter";
import { DEFAULT_RETRY_POLICY } from "../../provider/client/retry";
import { resolveSettings, type Settings } from "../../provider/config";

export function testTransport(parts: Pick<Transport, "settings" | "exchange"> & Partial<Transport>): Transport {
  return {
    limiter: new SlidingWindowLimiter(),
    policy: DEFAULT_RETRY_POLICY,
    random: () => 0,
    sleep: async () => undefined,
    serverClock: { offsetMs: 0 },
    claims: new Claims(),
    intents: null,
    ...parts,
  };
}

/** The settings of a stack whose config points at this emulator with its credentials (and no environment). */
export function emulatorSettings(emulator: RunningEmulator): Settings {
  const config: Record<string, string> = {
    accountSid: emulator.credentials.accountSid,
    authToken: emulator.credentials.authToken,
    conversationsBaseUrl: emulator.url,
  };
  return resolveSettings((key) => config[key.replace(/^twilio:/, "")], {});
}

/** An answer as the exchange gives it; header names are lower case, as Node gives them. */
export function httpAnswer(status: number, text = "", headers: Record<string, string> = {}): HttpAnswer {
  return { status, text, headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])) };
}

export const jsonAnswer = (status: number, body: unknown, headers: Record<string, string> = {}): HttpAnswer =>
  httpAnswer(status, JSON.stringify(body), { "content-type": "application/json", ...headers });

/** A socket's error as Node gives it: its code on the error itself (ECONNRESET, ECONNREFUSED…). */
export function socketError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}
