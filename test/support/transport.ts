// A Transport for tests that drive the HTTP layer with a scripted fetch: Twilio's defaults for the
// rest, with no pacing delays, no jitter and no crash journal.
import type { RunningEmulator } from "../../emulator";
import { Claims } from "../../provider/client/claims";
import type { Transport } from "../../provider/client/http";
import { SlidingWindowLimiter } from "../../provider/client/limiter";
import { DEFAULT_RETRY_POLICY } from "../../provider/client/retry";
import { resolveSettings, type Settings } from "../../provider/config";

export function testTransport(parts: Pick<Transport, "settings" | "fetch"> & Partial<Transport>): Transport {
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
