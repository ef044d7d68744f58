// The HTTP layer: authentication, form parsing, fault injection, the request log, the admin
// endpoints and the dispatch to the route table.
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { dumpAccountSettings } from "./account";
import { dumpAddressConfigurations } from "./address-configurations";
import { createClock, type Clock } from "./clock";
import { dumpCredentials, withoutSecrets } from "./credentials";
import { ApiError, errorBody, errors } from "./errors";
import type { Context, Result } from "./handlers";
import { createFaultInjector, validateFaultRules, type FaultRule } from "./faults";
import { createRateLimiter } from "./rate-limit";
import { conversationJson, messageJson, serviceJson } from "./representation";
import { bodyText, decodeForm, requestTarget, type Target } from "./request";
import { matchRoute } from "./routes";
import { dumpParticipants } from "./participant-representation";
import { dumpRoles } from "./roles";
import { dumpServiceConfigurations } from "./service-configuration";
import { loadStateFile, openStateFile } from "./state-file";
import { createStore, type Store } from "./store";
import { dumpUsers } from "./users";
import { newSid } from "./values";
import { dumpWebhooks } from "./webhooks";
import { fireDueTimers } from "./timers";

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

export interface Dump {
  services: unknown[];
  conversations: unknown[];
  messages: unknown[];
  participants: unknown[];
  users: unknown[];
  webhooks: unknown[];
  /** The account's configuration, webhook configuration, address configurations and push credentials (no secret). */
  account: unknown;
  roles: unknown[];
  /** Each service's configuration, notifications and webhooks singletons. */
  serviceConfigurations: unknown[];
}

export interface RunningEmulator {
  url: string;
  port: number;
  credentials: Credentials;
  defaultServiceSid: string;
  close(): Promise<void>;
  requests(): RequestLogEntry[];
  /** How many requests the log holds, without copying it (for pollers). */
  requestCount(): number;
  clearRequests(): void;
  state(): Dump;
  reset(): void;
  setFaults(rules: FaultRule[]): void;
  clearFaults(): void;
  /** The clock Twilio's timers run on; moving it forward fires the timers that fall due. */
  clock: Clock;
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
const REQUEST_ID_HEADER = "Twilio-Request-Id";

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

/**
 * The whole body as text. Past MAX_BODY_BYTES the rest is read and discarded, so the client,
 * still sending, gets the 413 answer instead of a reset connection.
 */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on("end", () => {
      if (size > MAX_BODY_BYTES) reject(errors.bodyTooLarge(MAX_BODY_BYTES));
      else {
        try {
          resolve(bodyText(Buffer.concat(chunks)));
        } catch (error) {
          reject(error);
        }
      }
    });
    req.on("error", reject);
  });
}

function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
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

/** An error written straight to a socket, for what never became an IncomingMessage. */
function writeRawError(socket: Duplex, error: ApiError): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const text = JSON.stringify(errorBody(error));
  const head = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? "Error"}`,
    `${REQUEST_ID_HEADER}: ${newSid("RQ")}`,
    "Content-Type: application/json; charset=utf-8",
    `Content-Length: ${Buffer.byteLength(text)}`,
    "Connection: close",
  ];
  socket.end(`${head.join("\r\n")}\r\n\r\n${text}`);
}

/** What Node's HTTP parser could not read, answered as Twilio would rather than as a bare 400. */
function parserFailure(error: NodeJS.ErrnoException): ApiError {
  if (error.code === "HPE_HEADER_OVERFLOW") return errors.protocol(431, "Request Header Fields Too Large");
  if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") return errors.protocol(408, "Request Timeout");
  return errors.badRequest(`Malformed HTTP request (${error.code ?? "parse error"})`);
}

/** What a request sent, as its handler reads it (the request log keeps a copy without secrets). */
interface Sent {
  query: Record<string, string>;
  form: Record<string, string>;
  formLists: Record<string, string[]>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function dumpState(store: Store, origin: string, accountSid: string, now: number): Dump {
  fireDueTimers(store, now);
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
    participants: dumpParticipants(store, origin, accountSid),
    users: dumpUsers(store, origin, accountSid),
    webhooks: dumpWebhooks(store, origin, accountSid),
    account: {
      ...dumpAccountSettings(store, origin, accountSid),
      address_configurations: dumpAddressConfigurations(store, origin, accountSid),
      credentials: dumpCredentials(store, origin, accountSid),
    },
    roles: dumpRoles(store, origin, accountSid),
    serviceConfigurations: dumpServiceConfigurations(store, origin, accountSid),
  };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const credentials = credentialsFrom(options);
  const host = options.host ?? "127.0.0.1";
  const logLimit = options.requestLogLimit ?? 10_000;
  const clock = createClock(options.clockStart);
  let store: Store = (options.stateFile && loadStateFile(options.stateFile)) || createStore(undefined, clock.now());
  const stateFile = options.stateFile ? openStateFile(options.stateFile, () => store) : null;
  stateFile?.track(store);
  const limiter = options.apsLimits ? createRateLimiter() : null;
  const faults = createFaultInjector(options.faults ?? []);
  let log: RequestLogEntry[] = [];
  let url = "";

  const reset = () => {
    store = createStore(store.defaultServiceSid, clock.now());
    stateFile?.track(store);
    limiter?.reset();
    log = [];
    faults.clear();
    stateFile?.flush();
  };

  // Nothing is answered before the writes it reports are in the state file.
  function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    stateFile?.commit();
    writeJson(res, status, body, headers);
  }

  function sendError(res: ServerResponse, error: ApiError): void {
    sendJson(res, error.status, errorBody(error), error.headers);
  }

  function record(entry: RequestLogEntry): void {
    log.push(entry);
    if (log.length > logLimit) log.splice(0, log.length - logLimit);
  }

  function dispatch(req: IncomingMessage, entry: RequestLogEntry, origin: string, sent: Sent): Result {
    if (!isAuthorized(req.headers.authorization, credentials)) throw errors.authenticate();
    const match = matchRoute(entry.path);
    if (!match) throw errors.notFound(entry.path);
    const operation = match.route.methods[entry.method as "GET" | "POST" | "DELETE"];
    if (!operation) throw errors.methodNotAllowed(entry.method);
    entry.operationId = operation.operationId;
    const now = clock.now();
    fireDueTimers(store, now);
    const ctx: Context = {
      store,
      now,
      origin,
      accountSid: credentials.accountSid,
      path: entry.path,
      params: match.params,
      query: sent.query,
      form: sent.form,
      formLists: sent.formLists,
      limiter,
    };
    return operation.handler(ctx);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, target: Target, origin: string): Promise<void> {
    const entry: RequestLogEntry = {
      method: req.method ?? "GET",
      path: target.path,
      // The log never holds a credential's secrets: they are redacted there, not in what the handler reads.
      query: withoutSecrets(target.query),
      form: {},
      headers: loggedHeaders(req.headers),
      status: 0,
      requestId: String(res.getHeader(REQUEST_ID_HEADER)),
    };
    record(entry);
    const sent: Sent = { query: target.query, form: {}, formLists: {} };
    try {
      const body = await readBody(req);
      if (body !== "") sent.form = decodeForm(body, "form body", sent.formLists);
      entry.form = withoutSecrets(sent.form);
    } catch (error) {
      if (error instanceof ApiError) entry.status = error.status;
      throw error;
    }

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
      result = dispatch(req, entry, origin, sent);
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
      stateFile?.commit();
      req.socket.destroy();
      return;
    }
    entry.status = result.status;
    sendJson(res, result.status, result.body);
  }

  function clockJson() {
    return { now: new Date(clock.now()).toISOString(), offsetMs: clock.offsetMs() };
  }

  /** `{"advance": "PT2H" | ms}` or `{"to": "2030-01-01T00:00:00Z"}`; an empty body only reads the clock. */
  function moveClock(res: ServerResponse, body: string): void {
    let request: { advance?: unknown; to?: unknown };
    try {
      request = body.trim() === "" ? {} : (JSON.parse(body) as { advance?: unknown; to?: unknown });
      if (typeof request !== "object" || request === null || Array.isArray(request)) {
        throw new RangeError('expected a JSON object such as {"advance": "PT2H"} or {"to": "2030-01-01T00:00:00Z"}');
      }
      const { advance, to } = request;
      if (advance !== undefined && to !== undefined) throw new RangeError("give either advance or to, not both");
      if (advance !== undefined) clock.advance(typeof advance === "number" ? advance : String(advance));
      if (to !== undefined) clock.advanceTo(typeof to === "number" ? to : String(to));
    } catch (error) {
      return sendError(res, errors.badRequest((error as Error).message));
    }
    const changed = fireDueTimers(store, clock.now());
    return sendJson(res, 200, {
      ...clockJson(),
      changed: changed.map((conversation) => ({ sid: conversation.sid, state: conversation.state })),
    });
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
        return sendJson(res, 200, dumpState(store, origin, credentials.accountSid, clock.now()));
      case "GET clock":
        return sendJson(res, 200, clockJson());
      case "POST clock":
        return moveClock(res, body);
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
          return sendError(res, errors.badRequest((error as Error).message));
        }
        if (method === "PUT") faults.set(rules);
        else faults.add(rules);
        return sendJson(res, 200, faults.rules());
      }
      case "DELETE faults":
        faults.clear();
        return sendJson(res, 204, undefined);
      default:
        return sendError(res, errors.notFound(`${method} ${path}`));
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = requestTarget(req.url);
    const origin = req.headers.host ? `http://${req.headers.host}` : url;
    if (target.path.startsWith(ADMIN_PREFIX)) await handleAdmin(req, res, target.path, origin);
    else await handleApi(req, res, target, origin);
  }

  const server = createServer((req, res) => {
    res.setHeader(REQUEST_ID_HEADER, newSid("RQ"));
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      if (error instanceof ApiError) return sendError(res, error);
      sendError(res, new ApiError(500, 20500, `Internal Server Error: ${(error as Error).message}`));
    });
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => writeRawError(socket, parserFailure(error)));
  server.on("connect", (_req: IncomingMessage, socket: Duplex) => writeRawError(socket, errors.methodNotAllowed("CONNECT")));
  server.on("checkExpectation", (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader(REQUEST_ID_HEADER, newSid("RQ"));
    sendError(res, errors.protocol(417, `Expectation Failed: ${req.headers.expect}`));
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
  stateFile?.flush();

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
      }).then(() => stateFile?.close());
      return closed;
    },
    requests: () => log.map((entry) => ({ ...entry })),
    requestCount: () => log.length,
    clearRequests: () => {
      log = [];
    },
    state: () => dumpState(store, url, credentials.accountSid, clock.now()),
    reset,
    setFaults: (rules) => faults.set(rules),
    clearFaults: () => faults.clear(),
    clock,
  };
}
