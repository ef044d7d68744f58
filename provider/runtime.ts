// The provider's implementation, loaded once per provider process by the small serialized
// provider of each resource (see resources/runtime-provider.ts). Being one module, it gives every
// resource of a stack the same settings, HTTP connections and rate limiter.
import type * as pulumi from "@pulumi/pulumi";
import { resolveSettings, type Settings } from "./config";
import { Claims } from "./client/claims";
import type { Transport } from "./client/http";
import { fileJournal, intentKey, journalDir, type IntentJournal } from "./client/intents";
import { SlidingWindowLimiter } from "./client/limiter";
import { DEFAULT_RETRY_POLICY } from "./client/retry";
import { redactError } from "./errors";
import { conversationProvider } from "./resources/conversation-provider";
import { messageProvider } from "./resources/message-provider";

let settings: Settings | undefined;
const limiter = new SlidingWindowLimiter();
const serverClock = { offsetMs: 0 };
const claims = new Claims();
let intents: IntentJournal | undefined;
let requestsSent = 0;

export async function configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
  settings = resolveSettings((key) => request.config.get(key), process.env);
}

function transport(): Transport {
  settings ??= resolveSettings(() => undefined, process.env);
  return {
    settings,
    limiter,
    policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: settings.maxAttempts, maxWriteMs: settings.maxWriteMs },
    fetch: globalThis.fetch,
    random: Math.random,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    serverClock,
    claims,
    intents: (intents ??= fileJournal(journalDir(process.env.TWILIO_CONVERSATIONS_INTENTS_DIR, process.cwd()))),
    onAttempt: () => void requestsSent++,
  };
}

/** Requests sent by this process so far, for the benchmarks. */
export function requestCount(): number {
  return requestsSent;
}

/**
 * Every method's errors leave with the configured secrets redacted. A method given an ID shows
 * that the engine holds the object in state: it is claimed for this run, and its create intent
 * is closed.
 */
function redacting(provider: pulumi.dynamic.ResourceProvider): pulumi.dynamic.ResourceProvider {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(provider)) {
    wrapped[name] = async (...args: unknown[]) => {
      try {
        if (HOLDING.has(name)) hold(args);
        return await (method as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (error) {
        throw redactError(error, settings?.secrets ?? []);
      }
    };
  }
  return wrapped as unknown as pulumi.dynamic.ResourceProvider;
}

const HOLDING = new Set(["diff", "read", "update", "delete"]);

function hold([id, , news]: unknown[]): void {
  if (typeof id !== "string" || id === "") return;
  claims.claim(id);
  const key = news && typeof news === "object" ? intentKey(news as Record<string, unknown>) : null;
  if (key) transport().intents?.settle(key, id);
}

export const conversation = redacting({ configure, ...conversationProvider(transport) });
export const message = redacting({ configure, ...messageProvider(transport) });
