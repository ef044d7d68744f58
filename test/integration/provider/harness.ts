// Runs the provider as the engine does: serialize it, load the text in this process, configure it
// from stack-style config, and call its methods against the emulator.
import * as fs from "node:fs";
import { fileJournal } from "../../../provider/client/intents";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { startEmulator, type EmulatorOptions, type RequestLogEntry, type RunningEmulator } from "../../../emulator";
import { raw } from "../emulator/support";
import { requestsOutsideSpec } from "../../support/requests-against-spec";

// The compiled provider, exactly what the Pulumi program uses (npm test builds it first).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { providerModuleText } = require(path.resolve("dist/provider/resources/runtime-provider.js")) as {
  providerModuleText: (kind: Kind) => string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString: (code: string) => { handler: () => pulumi.dynamic.ResourceProvider } = require("require-from-string");

export type Kind = "conversation" | "message";
export type LoadedProvider = Required<pulumi.dynamic.ResourceProvider>;

/** The `__provider` text the program stores with each resource of this kind. */
export async function serializedProviderText(kind: Kind): Promise<string> {
  return providerModuleText(kind);
}

/**
 * The provider as another process would load it: its own runtime, so nothing this process's runs
 * claimed is claimed there (an earlier run, or the engine's next one).
 */
export async function loadProviderAfresh(kind: Kind, config: Record<string, string>): Promise<LoadedProvider> {
  const load = createRequire(path.join(process.cwd(), "_"));
  const implementation = path.dirname(load.resolve("twilio-conversations-pulumi/runtime"));
  const cached = Object.keys(load.cache).filter((file) => file.startsWith(implementation + path.sep));
  const kept = Object.fromEntries(cached.map((file) => [file, load.cache[file]]));
  for (const file of cached) delete load.cache[file];
  try {
    return await loadProvider(kind, config);
  } finally {
    // This process's own provider keeps its modules.
    for (const [file, module] of Object.entries(kept)) load.cache[file] = module;
  }
}

export async function loadProvider(kind: Kind, config: Record<string, string>): Promise<LoadedProvider> {
  const provider = requireFromString(await serializedProviderText(kind)).handler();
  await provider.configure!({ config: { get: (key) => config[key], require: (key) => config[key] } });
  return provider as LoadedProvider;
}

export function emulatorConfig(emulator: RunningEmulator, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    "twilio:accountSid": emulator.credentials.accountSid,
    "twilio:authToken": emulator.credentials.authToken,
    "twilio:conversationsBaseUrl": emulator.url,
    // The emulator has written a request by the time it answers or drops it.
    "twilio:maxWriteMs": "200",
    ...overrides,
  };
}

/** The stacks the tests name (none: ""). */
const FOLLOWED_STACKS = ["", "interrupted", "staging", "intents-test", "children"];

/**
 * One emulator per test file; when the file ends, every request the provider sent must match
 * Twilio's OpenAPI spec.
 */
export function useEmulator(options: EmulatorOptions = {}) {
  const context = {} as { emulator: RunningEmulator; conversations: LoadedProvider; messages: LoadedProvider };
  const sent: ReturnType<RunningEmulator["requests"]> = [];
  beforeAll(async () => {
    // Create intents go to a directory of this test file's own, never into the project.
    process.env.TWILIO_CONVERSATIONS_INTENTS_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-intents-"));
    // A journal that has followed the stacks these tests name, as on a machine (or CI cache) that
    // keeps it: creates without a natural key look for nothing in Twilio first (see client/create.ts).
    const journal = fileJournal(process.env.TWILIO_CONVERSATIONS_INTENTS_DIR);
    for (const stack of FOLLOWED_STACKS) journal.vouchesFor(`${stack}/any`);
    context.emulator = await startEmulator(options);
    context.conversations = await loadProvider("conversation", emulatorConfig(context.emulator));
    context.messages = await loadProvider("message", emulatorConfig(context.emulator));
    // The process's first check verifies the credentials with one read (see credentials.test.ts);
    // done here, so the tests see only the requests of the operations they make.
    await context.conversations.check({}, { resourceName: "verification", friendlyName: "verification" });
    sent.push(...context.emulator.requests());
    context.emulator.clearRequests();
  });
  afterAll(async () => {
    sent.push(...context.emulator.requests());
    await context.emulator.close();
    expect(requestsOutsideSpec(sent)).toEqual([]);
  });
  return {
    get emulator() {
      return context.emulator;
    },
    get conversations() {
      return context.conversations;
    },
    get messages() {
      return context.messages;
    },
    /** The requests since the last call (the log is kept for the spec check at the end). */
    takeRequests() {
      const requests = context.emulator.requests();
      sent.push(...requests);
      context.emulator.clearRequests();
      return requests;
    },
    /** A change made outside Pulumi, straight through the emulator's API. */
    async outside(method: "GET" | "POST" | "DELETE", urlPath: string, form: Record<string, string> = {}) {
      const response = await raw(context.emulator, method, urlPath, form);
      context.emulator.clearRequests();
      return response;
    },
  };
}

export async function createThrough(provider: LoadedProvider, inputs: Record<string, unknown>) {
  const check = await provider.check({}, inputs);
  expect(check.failures ?? []).toEqual([]);
  return provider.create(check.inputs ?? inputs);
}

/**
 * One emulator per test file whose providers run as one stack's `up`s do: with a create journal that
 * has followed `stack`, as on a machine (or CI cache) that keeps it, so a create without a natural
 * key looks for nothing in Twilio first (see client/create.ts). `take()` returns the requests since
 * its last call; when the file ends, every request sent must match Twilio's OpenAPI spec.
 */
export function useStackEmulator(stack: string) {
  const context = {} as { emulator: RunningEmulator; journal: string; take(): RequestLogEntry[] };
  const sent: RequestLogEntry[] = [];
  context.take = () => {
    const requests = context.emulator.requests();
    sent.push(...requests);
    context.emulator.clearRequests();
    return requests;
  };
  beforeAll(async () => {
    context.emulator = await startEmulator();
    context.journal = fs.mkdtempSync(path.join(os.tmpdir(), `${stack}-intents-`));
    fileJournal(context.journal).vouchesFor(`${stack}/any`);
  });
  afterAll(async () => {
    sent.push(...context.emulator.requests());
    await context.emulator.close();
    expect(requestsOutsideSpec(sent)).toEqual([]);
  });
  afterEach(() => context.emulator.clearFaults());
  return context;
}
