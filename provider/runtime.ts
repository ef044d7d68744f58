// The provider's implementation, loaded once per provider process by the small serialized
// provider of each resource (see resources/runtime-provider.ts). Being one module, it gives every
// resource of a stack the same settings, HTTP connections and rate limiter.
import type * as pulumi from "@pulumi/pulumi";
import { resolveSettings, type Settings } from "./config";
import type { Transport } from "./client/http";
import { SlidingWindowLimiter } from "./client/limiter";
import { DEFAULT_RETRY_POLICY } from "./client/retry";
import { redactError } from "./errors";
import { newClaims } from "./resources/claims";
import { conversationProvider } from "./resources/conversation-provider";
import { messageProvider } from "./resources/message-provider";

let settings: Settings | undefined;
const limiter = new SlidingWindowLimiter();
const serverClock = { offsetMs: 0 };
let requestsSent = 0;
const claims = newClaims();

export async function configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
  settings = resolveSettings((key) => request.config.get(key), process.env);
}

function transport(): Transport {
  settings ??= resolveSettings(() => undefined, process.env);
  return {
    settings,
    limiter,
    policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: settings.maxAttempts },
    fetch: globalThis.fetch,
    random: Math.random,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    serverClock,
    onAttempt: () => void requestsSent++,
  };
}

/** Requests sent by this process so far, for the benchmarks. */
export function requestCount(): number {
  return requestsSent;
}

/** Every method's errors leave with the configured secrets redacted. */
function redacting(provider: pulumi.dynamic.ResourceProvider): pulumi.dynamic.ResourceProvider {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(provider)) {
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await (method as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (error) {
        throw redactError(error, settings?.secrets ?? []);
      }
    };
  }
  return wrapped as unknown as pulumi.dynamic.ResourceProvider;
}

export const conversation = redacting({ configure, ...conversationProvider(transport, claims) });
export const message = redacting({ configure, ...messageProvider(transport) });
