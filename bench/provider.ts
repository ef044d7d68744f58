// Provider benchmark, with the provider run as the engine runs it: serialized exactly as
// `pulumi.dynamic.Resource` serializes it, loaded from that text, configured from stack-style
// config, and called against an in-process emulator.
//
// - `__provider` bytes stored with every resource of each kind;
// - HTTP requests per operation, counted from the emulator's request log (and checked against the
//   runtime's own count of attempts);
// - seeding throughput against Twilio's write limits, with the emulator enforcing them: 150
//   concurrent message creates in one conversation and 90 concurrent conversation creates in one
//   service, the rate achieved and the 429 answers seen.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, type RunningEmulator } from "../emulator";
import type { BenchMetric } from "./metric";

type Kind = "conversation" | "message";
type LoadedProvider = Required<pulumi.dynamic.ResourceProvider>;
type Inputs = Record<string, unknown>;

/** The project root: the stored provider loads the package's runtime, resolved from the working directory. */
const ROOT = path.resolve(__dirname, "../..");
const RUNTIME_PROVIDER = path.join(ROOT, "dist/provider/resources/runtime-provider.js");
const RUNTIME = path.join(ROOT, "dist/provider/runtime.js");

/** Twilio's documented writes per second, per conversation and per service. */
const TWILIO_APS = 30;
const PACED_MESSAGES = 150;
const PACED_CONVERSATIONS = 90;

/* eslint-disable @typescript-eslint/no-require-imports */
const requireFromString: (code: string) => { handler: () => pulumi.dynamic.ResourceProvider } = require("require-from-string");
const loadRuntimeProvider = (): { providerModuleText: (kind: Kind) => string } => require(RUNTIME_PROVIDER);
const loadRuntime = (): { requestCount: () => number } => require(RUNTIME);
/* eslint-enable @typescript-eslint/no-require-imports */

/** The text stored as `__provider` with every resource of this kind. */
async function serializedProvider(kind: Kind): Promise<string> {
  return loadRuntimeProvider().providerModuleText(kind);
}

async function loadProvider(kind: Kind, emulator: RunningEmulator): Promise<LoadedProvider> {
  const provider = requireFromString(await serializedProvider(kind)).handler() as LoadedProvider;
  const config: Record<string, string> = {
    "twilio:accountSid": emulator.credentials.accountSid,
    "twilio:authToken": emulator.credentials.authToken,
    "twilio:conversationsBaseUrl": emulator.url,
  };
  await provider.configure({ config: { get: (key: string) => config[key], require: (key: string) => config[key] } } as never);
  return provider;
}

/** check then create, as the engine does for a new resource. */
async function create(provider: LoadedProvider, inputs: Inputs): Promise<{ id: string; outs: Inputs; inputs: Inputs }> {
  const checked = await provider.check({}, inputs);
  if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  const news = checked.inputs ?? inputs;
  const { id, outs } = await provider.create(news);
  return { id, outs, inputs: news };
}

/** check, diff, then update, as the engine does for a changed resource. */
async function update(provider: LoadedProvider, id: string, olds: Inputs, oldInputs: Inputs, news: Inputs) {
  const checked = await provider.check(oldInputs, news);
  if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  const diff = await provider.diff(id, olds, checked.inputs ?? news);
  if (!diff.changes || diff.replaces?.length) throw new Error(`expected an in-place update, got ${JSON.stringify(diff)}`);
  return provider.update(id, olds, checked.inputs ?? news);
}

/**
 * Runs `operation` and returns the requests it sent, from the emulator's log. The runtime's own
 * attempt counter must agree, or the figure would not be the provider's alone.
 */
async function requestsOf(emulator: RunningEmulator, operation: () => Promise<unknown>): Promise<number> {
  emulator.clearRequests();
  const before = loadRuntime().requestCount();
  await operation();
  const logged = emulator.requests();
  const counted = loadRuntime().requestCount() - before;
  if (logged.length !== counted) {
    throw new Error(`the emulator logged ${logged.length} requests but the provider counted ${counted} attempts`);
  }
  const failed = logged.filter((entry) => entry.status >= 400);
  if (failed.length) throw new Error(`unexpected failures: ${failed.map((e) => `${e.method} ${e.path} ${e.status}`).join(", ")}`);
  return logged.length;
}

async function requestsPerOperation(): Promise<BenchMetric[]> {
  const emulator = await startEmulator();
  try {
    const conversations = await loadProvider("conversation", emulator);
    const messages = await loadProvider("message", emulator);
    const metric = (name: string, value: number, target: number): BenchMetric => ({
      name: `provider: requests per ${name}`,
      value,
      unit: "req",
      target,
      better: "lower",
    });
    const results: BenchMetric[] = [];

    // A run's first check verifies the credentials and the target; every other check sends nothing.
    results.push(metric("run (credentials verified once, by the first check)", await requestsOf(emulator, async () => {
      await Promise.all([
        conversations.check({}, { resourceName: "bench-check-1", friendlyName: "one" }),
        conversations.check({}, { resourceName: "bench-check-2", friendlyName: "two" }),
        messages.check({}, { resourceName: "bench-check-3", conversationSid: "CH" + "0".repeat(32), body: "three" }),
      ]);
    }), 1));

    // Conversation lifecycle.
    const conversationInputs = { resourceName: "bench-conversation", uniqueName: "bench-conversation", friendlyName: "Benchmark" };
    let conversation!: Awaited<ReturnType<typeof create>>;
    results.push(metric("conversation create", await requestsOf(emulator, async () => {
      conversation = await create(conversations, conversationInputs);
    }), 1));
    let updated!: Inputs;
    const renamed = { ...conversation.inputs, friendlyName: "Benchmark, renamed" };
    results.push(metric("conversation update (one field)", await requestsOf(emulator, async () => {
      updated = (await update(conversations, conversation.id, conversation.outs, conversation.inputs, renamed)).outs ?? {};
    }), 1));
    results.push(metric("conversation read", await requestsOf(emulator, async () => {
      const read = await conversations.read(conversation.id, updated);
      if (read.id !== conversation.id) throw new Error("read did not find the conversation");
    }), 1));

    // Message lifecycle, in that conversation.
    const messageInputs = { resourceName: "bench-message", conversationSid: conversation.id, author: "system", body: "before" };
    let message!: Awaited<ReturnType<typeof create>>;
    results.push(metric("message create", await requestsOf(emulator, async () => {
      message = await create(messages, messageInputs);
    }), 1));
    let messageOuts!: Inputs;
    results.push(metric("message update (one field)", await requestsOf(emulator, async () => {
      messageOuts = (await update(messages, message.id, message.outs, message.inputs, { ...message.inputs, body: "after" })).outs ?? {};
    }), 1));
    results.push(metric("message delete", await requestsOf(emulator, () => messages.delete(message.id, messageOuts)), 1));
    results.push(metric("conversation delete", await requestsOf(emulator, () => conversations.delete(conversation.id, updated)), 1));

    // Declared states Twilio can't take in one request.
    results.push(metric("create of a conversation declared closed", await requestsOf(emulator, async () => {
      const { outs } = await create(conversations, { resourceName: "bench-closed", uniqueName: "bench-closed", state: "closed" });
      if (outs.state !== "closed") throw new Error(`expected a closed conversation, got ${String(outs.state)}`);
    }), 2));
    const inactive = await create(conversations, { resourceName: "bench-inactive", uniqueName: "bench-inactive", state: "inactive" });
    results.push(metric("message create in a conversation declared inactive", await requestsOf(emulator, async () => {
      await create(messages, { resourceName: "bench-inactive-message", conversationSid: inactive.id, body: "seed", conversationState: "inactive" });
      const stored = emulator.state().conversations.find((c) => (c as { sid: string }).sid === inactive.id) as { state: string } | undefined;
      if (stored?.state !== "inactive") throw new Error(`expected the conversation to stay inactive, got ${stored?.state}`);
    }), 2));
    return results;
  } finally {
    await emulator.close();
  }
}

interface Paced {
  /** Creates per second over the whole run, from the first call to the last answer. */
  overall: number;
  /** Creates per second after the first window's burst: (n - limit) / (last answer - limit-th answer). */
  sustained: number;
  throttled: number;
  seconds: number;
}

/** Runs `count` creates at once and times each answer; every create must succeed exactly once. */
async function pacedCreates(emulator: RunningEmulator, count: number, createOne: (n: number) => Promise<string>): Promise<Paced> {
  emulator.clearRequests();
  const started = performance.now();
  const answeredAt: number[] = [];
  const ids = await Promise.all(
    Array.from({ length: count }, async (_, n) => {
      const id = await createOne(n);
      answeredAt.push(performance.now());
      return id;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (new Set(ids).size !== count) throw new Error(`expected ${count} distinct resources, got ${new Set(ids).size}`);
  const log = emulator.requests();
  const unexpected = log.filter((entry) => entry.status >= 300 && entry.status !== 429);
  if (unexpected.length) throw new Error(`unexpected answers: ${unexpected.map((e) => `${e.method} ${e.path} ${e.status}`).join(", ")}`);
  answeredAt.sort((a, b) => a - b);
  const afterBurst = (answeredAt[count - 1] - answeredAt[TWILIO_APS - 1]) / 1000;
  return {
    overall: count / seconds,
    sustained: (count - TWILIO_APS) / afterBurst,
    throttled: log.filter((entry) => entry.status === 429).length,
    seconds,
  };
}

function pacedMetrics(label: string, unit: string, paced: Paced): BenchMetric[] {
  const round = (value: number) => Math.round(value * 100) / 100;
  return [
    { name: `provider: ${label}, sustained rate (Twilio limit ${TWILIO_APS}/s)`, value: round(paced.sustained), unit, target: TWILIO_APS, better: "higher" },
    { name: `provider: ${label}, overall rate incl. first-second burst`, value: round(paced.overall), unit, better: "higher" },
    { name: `provider: ${label}, 429 answers`, value: paced.throttled, unit: "", target: 0, better: "lower" },
  ];
}

async function seedingThroughput(): Promise<BenchMetric[]> {
  const emulator = await startEmulator({ apsLimits: true });
  try {
    const conversations = await loadProvider("conversation", emulator);
    const messages = await loadProvider("message", emulator);

    const thread = await create(conversations, { resourceName: "bench-thread", uniqueName: "bench-thread" });
    const seeded = await pacedCreates(emulator, PACED_MESSAGES, async (n) => {
      const { id } = await create(messages, { resourceName: `seed-${n}`, conversationSid: thread.id, author: "system", body: `Seed message ${n}` });
      return id;
    });

    // A service of its own, so no earlier write shares its window.
    const service = await fetch(`${emulator.url}/v1/Services`, {
      method: "POST",
      headers: {
        authorization: "Basic " + Buffer.from(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`).toString("base64"),
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ FriendlyName: "bench" }).toString(),
    });
    const serviceSid = ((await service.json()) as { sid: string }).sid;
    const created = await pacedCreates(emulator, PACED_CONVERSATIONS, async (n) => {
      const { id } = await create(conversations, { resourceName: `paced-${n}`, uniqueName: `paced-${n}`, chatServiceSid: serviceSid });
      return id;
    });

    return [
      ...pacedMetrics(`${PACED_MESSAGES} concurrent message creates in one conversation`, "msg/s", seeded),
      ...pacedMetrics(`${PACED_CONVERSATIONS} concurrent conversation creates in one service`, "conv/s", created),
    ];
  } finally {
    await emulator.close();
  }
}

export async function run(): Promise<BenchMetric[]> {
  if (!fs.existsSync(RUNTIME)) throw new Error(`${RUNTIME} is missing: build first (npm run build)`);
  const previousDirectory = process.cwd();
  process.chdir(ROOT);
  try {
    const sizes: BenchMetric[] = [];
    for (const kind of ["conversation", "message"] as const) {
      const bytes = Buffer.byteLength(await serializedProvider(kind));
      sizes.push({ name: `provider: __provider bytes per ${kind} resource`, value: bytes, unit: "B", target: 512, better: "lower" });
    }
    return [...sizes, ...(await requestsPerOperation()), ...(await seedingThroughput())];
  } finally {
    process.chdir(previousDirectory);
  }
}

if (require.main === module) {
  run().then(
    (metrics) => {
      for (const metric of metrics) console.log(`${metric.name}: ${metric.value} ${metric.unit}${metric.target !== undefined ? ` (target ${metric.target})` : ""}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
