// What a running emulator holds between requests: its credentials, clock, store (with the state
// file that keeps it), write limits, fault rules and request log. The pipeline and the admin
// endpoints read and change it; server.ts owns its lifetime.
import type { ServerResponse } from "node:http";
import { createClock, type Clock } from "./clock";
import { ApiError, errorBody } from "./errors";
import { createFaultInjector, type FaultInjector, type FaultRule } from "./faults";
import { writeJson } from "./http";
import { createRateLimiter, type RateLimiter } from "./rate-limit";
import type { Store } from "./records";
import { loadStateFile, openStateFile, type StateFile } from "./state-file";
import { createStore } from "./store";

export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  accountSid?: string;
  authToken?: string;
  apiKey?: string;
  apiSecret?: string;
  /** Enforce Twilio's 30 writes per second per conversation and per service. */
  apsLimits?: boolean;
  /** JSON file that keeps the state between runs. */
  stateFile?: string;
  /** Fault rules active from the start. */
  faults?: FaultRule[];
  /** Most request-log entries kept (oldest dropped first); default 10,000. */
  requestLogLimit?: number;
  /** The instant the emulator's clock starts at (ms or ISO 8601); default now. */
  clockStart?: number | string;
}

export interface Credentials {
  accountSid: string;
  authToken: string;
  apiKey: string;
  apiSecret: string;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  form: Record<string, string>;
  /** Lower-case names; authorization and cookies removed. */
  headers: Record<string, string>;
  /** 0 when the connection was dropped without a response. */
  status: number;
  /** The `Twilio-Request-Id` the answer carried. */
  requestId: string;
  operationId?: string;
}

export const DEFAULT_CREDENTIALS: Credentials = {
  accountSid: "AC00000000000000000000000000000000",
  authToken: "emulator-auth-token",
  apiKey: "SK00000000000000000000000000000000",
  apiSecret: "emulator-api-secret",
};

export interface Emulation {
  readonly credentials: Credentials;
  /** The clock Twilio's timers run on. */
  readonly clock: Clock;
  /** Twilio's write limits, when enforced. */
  readonly limiter: RateLimiter | null;
  readonly faults: FaultInjector;
  readonly stateFile: StateFile | null;
  /** The store; reset replaces it. */
  store(): Store;
  /** The request log, oldest first (the live list; callers copy what they hand out). */
  requests(): RequestLogEntry[];
  /** Appends to the request log, dropping the oldest entries past the limit. */
  record(entry: RequestLogEntry): void;
  clearRequests(): void;
  /** A fresh store with the same default service, an empty log, no faults. */
  reset(): void;
}

function credentialsFrom(options: EmulatorOptions): Credentials {
  return {
    accountSid: options.accountSid ?? DEFAULT_CREDENTIALS.accountSid,
    authToken: options.authToken ?? DEFAULT_CREDENTIALS.authToken,
    apiKey: options.apiKey ?? DEFAULT_CREDENTIALS.apiKey,
    apiSecret: options.apiSecret ?? DEFAULT_CREDENTIALS.apiSecret,
  };
}

export function createEmulation(options: EmulatorOptions): Emulation {
  const logLimit = options.requestLogLimit ?? 10_000;
  const clock = createClock(options.clockStart);
  let store: Store = (options.stateFile && loadStateFile(options.stateFile)) || createStore(undefined, clock.now());
  const stateFile = options.stateFile ? openStateFile(options.stateFile, () => store) : null;
  stateFile?.track(store);
  const limiter = options.apsLimits ? createRateLimiter() : null;
  const faults = createFaultInjector(options.faults ?? []);
  let log: RequestLogEntry[] = [];
  return {
    credentials: credentialsFrom(options),
    clock,
    limiter,
    faults,
    stateFile,
    store: () => store,
    requests: () => log,
    record(entry) {
      log.push(entry);
      if (log.length > logLimit) log.splice(0, log.length - logLimit);
    },
    clearRequests() {
      log = [];
    },
    reset() {
      store = createStore(store.defaultServiceSid, clock.now());
      stateFile?.track(store);
      limiter?.reset();
      log = [];
      faults.clear();
      stateFile?.flush();
    },
  };
}

/** Answers with JSON. Nothing is answered before the writes it reports are in the state file. */
export function sendJson(emulation: Emulation, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  emulation.stateFile?.commit();
  writeJson(res, status, body, headers);
}

export function sendError(emulation: Emulation, res: ServerResponse, error: ApiError): void {
  sendJson(emulation, res, error.status, errorBody(error), error.headers);
}
