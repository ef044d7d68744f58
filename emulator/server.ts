// The HTTP layer: authentication, form parsing, fault injection, the request log, the admin
// endpoints and the dispatch to the route table.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiError, errorBody, errors } from "./errors";
import type { Context, Result } from "./handlers";
import { createFaultInjector, validateFaultRules, type FaultRule } from "./faults";
import { createRateLimiter } from "./rate-limit";
import { conversationJson, messageJson, serviceJson } from "./representation";
import { matchRoute } from "./routes";
import { createSaver, loadStateFile } from "./state-file";
import { createStore, type Store } from "./store";

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
  operationId?: string;
}

export interface Dump {
  services: unknown[];
  conversations: unknown[];
  messages: unknown[];
}

export interface RunningEmulator {
  url: string;
  port: number;
  credentials: Credentials;
  defaultServiceSid: string;
  close(): Promise<void>;
  requests(): RequestLogEntry[];
  clearRequests(): void;
  state(): Dump;
  reset(): void;
  setFaults(rules: FaultRule[]): void;
  clearFaults(): void;
}

export const DEFAULT_CREDENTIALS: Credentials = {
  accountSid: "AC00000000000000000000000000000000",
  authToken: "emulator-auth-token",
  apiKey: "SK00000000000000000000000000000000",
  apiSecret: "emulator-api-secret",
};

const ADMIN_PREFIX = "/__emulator/";
const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie"]);
const MAX_BODY_BYTES = 1024 * 1024;

function credentialsFrom(options: EmulatorOptions): Credentials {
  return {
    accountSid: options.accountSid ?? DEFAULT_CREDENTIALS.accountSid,
    authToken: options.authToken ?? DEFAULT_CREDENTIALS.authToken,
    apiKey: options.apiKey ?? DEFAULT_CREDENTIALS.apiKey,
    apiSecret: options.apiSecret ?? DEFAULT_CREDENTIALS.apiSecret,
  };
}

/** True when the Authorization header carries account SID + token or API key + secret. */
export function isAuthorized(header: string | undefined, credentials: Credentials): boolean {
  if (header === undefined || !/^Basic /i.test(header)) return false;
  const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return false;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  return (
    (user === credentials.accountSid && password === credentials.authToken) ||
    (user === credentials.apiKey && password === credentials.apiSecret)
  );
}

function loggedHeaders(headers: IncomingMessage["headers"]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || SECRET_HEADERS.has(name)) continue;
    result[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return result;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(errors.invalidParameter("Request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function toRecord(params: URLSearchParams): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [key, value] of params) record[key] = value;
  return record;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status === 204) {
    res.writeHead(204, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status, errorBody(error), error.headers);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function dumpState(store: Store, origin: string, accountSid: string): Dump {
  const scoped = (serviceSid: string) => serviceSid !== store.defaultServiceSid;
  return {
    services: [...store.services.values()].map((service) => serviceJson(service, origin, accountSid)),
    conversations: [...store.conversations.values()].map((conversation) =>
      conversationJson(conversation, { origin, accountSid, scoped: scoped(conversation.serviceSid) }),
    ),
    messages: [...store.messages.values()].map((message) => ({
      ...messageJson(message, { origin, accountSid, scoped: scoped(message.serviceSid) }),
      // Not part of Twilio's message response, kept here so tests can see what was stored.
      chat_service_sid: message.serviceSid,
      subject: message.subject,
      content_variables: message.contentVariables,
    })),
  };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const credentials = credentialsFrom(options);
  const host = options.host ?? "127.0.0.1";
  const logLimit = options.requestLogLimit ?? 10_000;
  let store: Store = (options.stateFile && loadStateFile(options.stateFile)) || createStore();
  const saver = options.stateFile ? createSaver(options.stateFile, () => store) : null;
  const limiter = options.apsLimits ? createRateLimiter() : null;
  const faults = createFaultInjector(options.faults ?? []);
  let log: RequestLogEntry[] = [];
  let url = "";

  const reset = () => {
    store = createStore(store.defaultServiceSid);
    limiter?.reset();
    log = [];
    faults.clear();
    saver?.schedule();
  };

  function record(entry: RequestLogEntry): void {
    log.push(entry);
    if (log.length > logLimit) log.splice(0, log.length - logLimit);
  }

  function dispatch(req: IncomingMessage, entry: RequestLogEntry, origin: string): Result {
    if (!isAuthorized(req.headers.authorization, credentials)) throw errors.authenticate();
    const match = matchRoute(entry.path);
    if (!match) throw errors.notFound(entry.path);
    const operation = match.route.methods[entry.method as "GET" | "POST" | "DELETE"];
    if (!operation) throw errors.methodNotAllowed(entry.method);
    entry.operationId = operation.operationId;
    const ctx: Context = {
      store,
      now: Date.now(),
      origin,
      accountSid: credentials.accountSid,
      path: entry.path,
      params: match.params,
      query: entry.query,
      form: entry.form,
      limiter,
    };
    return operation.handler(ctx);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, target: URL, origin: string): Promise<void> {
    const entry: RequestLogEntry = {
      method: req.method ?? "GET",
      path: target.pathname,
      query: toRecord(target.searchParams),
      form: {},
      headers: loggedHeaders(req.headers),
      status: 0,
    };
    record(entry);
    let body: string;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof ApiError) entry.status = error.status;
      throw error;
    }
    if (body !== "") entry.form = toRecord(new URLSearchParams(body));

    const fault = faults.decide(entry.method, entry.path);
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (fault.drop === "before") {
      req.socket.destroy();
      return;
    }
    if (fault.body !== undefined && fault.status !== undefined) {
      entry.status = fault.status;
      const type = fault.body.trimStart().startsWith("<") ? "text/html" : "text/plain";
      res.writeHead(fault.status, { "Content-Type": `${type}; charset=utf-8`, "Content-Length": Buffer.byteLength(fault.body) });
      res.end(fault.body);
      return;
    }
    if (fault.status !== undefined) {
      const injected = errors.injected(fault.status, fault.retryAfter);
      entry.status = injected.status;
      sendError(res, injected);
      return;
    }

    let result: Result;
    try {
      result = dispatch(req, entry, origin);
      if (saver && entry.method !== "GET") saver.schedule();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (fault.drop === "after") {
        req.socket.destroy();
        return;
      }
      entry.status = error.status;
      sendError(res, error);
      return;
    }
    if (fault.drop === "after") {
      // The write has been applied; the client never learns it.
      req.socket.destroy();
      return;
    }
    entry.status = result.status;
    sendJson(res, result.status, result.body);
  }

  async function handleAdmin(req: IncomingMessage, res: ServerResponse, path: string, origin: string): Promise<void> {
    const body = await readBody(req);
    const method = req.method ?? "GET";
    const action = `${method} ${path.slice(ADMIN_PREFIX.length).replace(/\/$/, "")}`;
    switch (action) {
      case "POST reset":
        reset();
        return sendJson(res, 204, undefined);
      case "GET state":
        return sendJson(res, 200, dumpState(store, origin, credentials.accountSid));
      case "GET requests":
        return sendJson(res, 200, log);
      case "DELETE requests":
        log = [];
        return sendJson(res, 204, undefined);
      case "GET faults":
        return sendJson(res, 200, faults.rules());
      case "PUT faults":
      case "POST faults": {
        let rules: FaultRule[];
        try {
          rules = validateFaultRules(JSON.parse(body || "[]"));
        } catch (error) {
          return sendJson(res, 400, { message: (error as Error).message, status: 400 });
        }
        if (method === "PUT") faults.set(rules);
        else faults.add(rules);
        return sendJson(res, 200, faults.rules());
      }
      case "DELETE faults":
        faults.clear();
        return sendJson(res, 204, undefined);
      default:
        return sendJson(res, 404, { message: `Unknown admin endpoint ${method} ${path}`, status: 404 });
    }
  }

  const server = createServer((req, res) => {
    const target = new URL(req.url ?? "/", "http://emulator");
    const origin = req.headers.host ? `http://${req.headers.host}` : url;
    const handled = target.pathname.startsWith(ADMIN_PREFIX)
      ? handleAdmin(req, res, target.pathname, origin)
      : handleApi(req, res, target, origin);
    handled.catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      if (error instanceof ApiError) sendError(res, error);
      else sendError(res, new ApiError(500, 20500, `Internal Server Error: ${(error as Error).message}`));
    });
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  saver?.flush();

  let closed: Promise<void> | null = null;
  return {
    url,
    port,
    credentials,
    get defaultServiceSid() {
      return store.defaultServiceSid;
    },
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }).then(() => saver?.flush());
      return closed;
    },
    requests: () => log.map((entry) => ({ ...entry })),
    clearRequests: () => {
      log = [];
    },
    state: () => dumpState(store, url, credentials.accountSid),
    reset,
    setFaults: (rules) => faults.set(rules),
    clearFaults: () => faults.clear(),
  };
}
