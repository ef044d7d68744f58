// The provider's implementation (engine side), loaded once per provider process by the small
// module stored as `__provider` with each resource (see resources/runtime-provider.ts). Being one
// module, it gives every resource of a stack the same settings, HTTP connections, rate limiter,
// claims and create journal. State written before the package could be installed loads it as
// `./dist/provider/runtime` from the project: keep this file's place.
import { AsyncLocalStorage } from "node:async_hooks";
import type * as pulumi from "@pulumi/pulumi";
import { DEFAULT_NAMESPACE, resolveSettings, type ConfigLookup, type Settings } from "./config";
import { Claims } from "./client/claims";
import { httpExchange } from "./client/exchange";
import type { Transport } from "./client/http";
import { fileJournal, intentKey, journalDir, type IntentJournal } from "./client/intents";
import { SlidingWindowLimiter } from "./client/limiter";
import { verifyTarget } from "./client/verify-target";
import { DEFAULT_RETRY_POLICY, retryLine, type RetryNotice } from "./client/retry";
import { isUnknown } from "./domain/unknown";
import { redactError } from "./errors";
import { conversationProvider } from "./resources/conversation-provider";
import { messageProvider } from "./resources/message-provider";
import { bookkeepingOf } from "./resources/bookkeeping";
import { conversationGroupProvider } from "./resources/group-provider";
import { holdHeapNearLiveSize } from "./heap-policy";
import { environmentProvider } from "./resources/environment-provider";
import { ENVIRONMENT_KINDS, type EnvironmentKind } from "./domain/environment";
import { secretProperties } from "./domain/row";

// Before this process handles any resource (see heap-policy.ts).
holdHeapNearLiveSize();

let config: ConfigLookup = () => undefined;
const settingsByNamespace = new Map<string, Settings>();
const limiter = new SlidingWindowLimiter();
const serverClock = { offsetMs: 0 };
const claims = new Claims();
const exchange = httpExchange();
let intents: IntentJournal | undefined;
let requestsSent = 0;
/** One verification of the credentials and target per account, endpoint and service, per process. */
const verifications = new Map<string, Promise<void>>();

/** The settings namespace of the resource whose method is running (see resources/bookkeeping.ts). */
const currentNamespace = new AsyncLocalStorage<string>();

export async function configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
  config = (key) => request.config.get(key);
  settingsByNamespace.clear();
}

function settingsOf(namespace: string): Settings {
  let settings = settingsByNamespace.get(namespace);
  if (!settings) {
    settings = resolveSettings(config, process.env, namespace);
    settingsByNamespace.set(namespace, settings);
  }
  return settings;
}

function transport(): Transport {
  const settings = settingsOf(currentNamespace.getStore() ?? DEFAULT_NAMESPACE);
  return {
    settings,
    limiter,
    policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: settings.maxAttempts, maxWriteMs: settings.maxWriteMs },
    exchange,
    random: Math.random,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    serverClock,
    claims,
    // Placed by the stack config or the environment, read when the provider runs: never in state.
    intents: (intents ??= fileJournal(journalDir(config(`${DEFAULT_NAMESPACE}:journalDir`), process.env, process.cwd()))),
    onAttempt: () => void requestsSent++,
    onRetry: showRetry,
  };
}

/**
 * The dynamic provider process has no Pulumi log; what it writes to stderr the engine shows as a
 * diagnostic of the run, so a long wait for a retry never looks like a hang.
 */
function showRetry(notice: RetryNotice): void {
  const line = retryLine(notice);
  if (line) process.stderr.write(`${line}\n`);
}

/** Requests sent by this process so far, for the benchmarks. */
export function requestCount(): number {
  return requestsSent;
}

function echoBookkeeping(result: unknown, bookkeeping: Record<string, string>): unknown {
  if (Object.keys(bookkeeping).length === 0 || typeof result !== "object" || result === null) return result;
  const echoed: Record<string, unknown> = { ...result };
  for (const key of ["outs", "props", "inputs"]) {
    const value = echoed[key];
    if (typeof value === "object" && value !== null) echoed[key] = { ...value, ...bookkeeping };
  }
  return echoed;
}

/**
 * The first check of a run (preview and up call check for every resource; destroy and refresh do
 * not) proves the credentials and the service with one read, so a preview with wrong or missing
 * credentials fails rather than showing a plan. Concurrent checks share the read in flight.
 */
function verifiedTarget(news: unknown): Promise<void> {
  const current = transport();
  const declared = typeof news === "object" && news !== null ? (news as { chatServiceSid?: unknown }).chatServiceSid : undefined;
  const serviceSid = typeof declared === "string" && declared !== "" && !isUnknown(declared) ? declared : null;
  const { namespace, baseUrl, credentials } = current.settings;
  const key = JSON.stringify([namespace, baseUrl, credentials, serviceSid]);
  let verification = verifications.get(key);
  if (!verification) {
    verification = verifyTarget(current, serviceSid);
    verifications.set(key, verification);
  }
  return verification;
}

/**
 * A refused verification is a check failure of the resource, so the engine shows the reason (and
 * hint) once, under the resource, rather than a thrown error's stack trace.
 */
async function withTargetVerified(answer: unknown, news: unknown): Promise<unknown> {
  try {
    await verifiedTarget(news);
    return answer;
  } catch (error) {
    const redacted = redactError(error, everySecret());
    const reason = redacted instanceof Error ? redacted.message : String(redacted);
    return { ...(answer as object), failures: [{ property: "", reason }] };
  }
}

function everySecret(): string[] {
  return [...settingsByNamespace.values()].flatMap((settings) => settings.secrets);
}

function hasFailures(result: unknown): boolean {
  const failures = typeof result === "object" && result !== null ? (result as { failures?: unknown }).failures : undefined;
  return Array.isArray(failures) && failures.length > 0;
}

function withBookkeeping(error: unknown, bookkeeping: Record<string, string>): unknown {
  const properties = (error as { properties?: unknown } | null)?.properties;
  if (typeof properties === "object" && properties !== null) Object.assign(properties, bookkeeping);
  return error;
}

/** The values the arguments (inputs, state) hold for the secret properties. */
function secretValuesIn(args: unknown[], properties: readonly string[]): string[] {
  return args
    .flatMap((arg) => (arg && typeof arg === "object" ? properties.map((property) => (arg as Record<string, unknown>)[property]) : []))
    .filter((value): value is string => typeof value === "string" && value !== "");
}

/** Methods given an ID: the engine holds that object in state. */
const HOLDING = new Set(["diff", "read", "update", "delete"]);

/**
 * The object is claimed for this run (no recovery takes it), and its create intent is closed. The
 * last argument names the resource: the news of diff and update, the state of read and delete (a
 * deleted resource's intent left open would hand its object to a later create under its name, e.g.
 * after a switch of grouped seeding, as if a killed run had made it).
 */
function hold(args: unknown[]): void {
  const [id] = args;
  const last = args[args.length - 1];
  if (typeof id !== "string" || id === "") return;
  claims.claim(id);
  const key = last && typeof last === "object" ? intentKey(last as Record<string, unknown>) : null;
  if (key) transport().intents?.settle(key, id);
}

/**
 * Every method runs with its resource's settings, holds what the engine shows it holds, and its
 * errors leave with every secret redacted: the credentials, and the values of the resource's secret
 * inputs (`secretInputs`, a push credential's certificate) found in its arguments.
 */
function wrapped(provider: pulumi.dynamic.ResourceProvider, secretInputs: readonly string[] = []): pulumi.dynamic.ResourceProvider {
  const methods: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(provider)) {
    methods[name] = async (...args: unknown[]) => {
      const bookkeeping = bookkeepingOf(args[args.length - 1]);
      try {
        const result = await currentNamespace.run(bookkeeping.settingsNamespace ?? DEFAULT_NAMESPACE, async () => {
          if (HOLDING.has(name)) hold(args);
          const answer = await (method as (...a: unknown[]) => Promise<unknown>)(...args);
          // Input problems are reported first, as they are, before any request.
          if (name === "check" && !hasFailures(answer)) return withTargetVerified(answer, args[args.length - 1]);
          return answer;
        });
        return echoBookkeeping(result, bookkeeping);
      } catch (error) {
        // A create that made the object but failed a later step records it through the error's
        // properties (see resources/partial.ts): they carry the bookkeeping as outputs do.
        throw redactError(withBookkeeping(error, bookkeeping), [...everySecret(), ...secretValuesIn(args, secretInputs)]);
      }
    };
  }
  return methods as unknown as pulumi.dynamic.ResourceProvider;
}

export const conversation = wrapped({ configure, ...conversationProvider(transport) });
export const message = wrapped({ configure, ...messageProvider(transport) });
export const conversationGroup = wrapped({ configure, ...conversationGroupProvider(transport) });

const environment = (kind: EnvironmentKind) => wrapped({ configure, ...environmentProvider(kind, transport) }, secretProperties(kind.table));

// The module stored in state with each resource loads `require(<runtime>).<kind>` (see
// resources/runtime-provider.ts): each environment kind's provider is exported under its name in
// the registry, `service`, `role`, … as the conversation's is under `conversation`.
Object.assign(exports, Object.fromEntries(Object.values(ENVIRONMENT_KINDS).map((kind) => [kind.name, environment(kind)])));
