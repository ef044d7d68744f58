// The request pipeline of the API: the request log, form parsing, fault injection,
// authentication and the dispatch to the route table.
import type { IncomingMessage, ServerResponse } from "node:http";
import { withoutSecrets } from "./credentials";
import { sendError, sendJson, type Credentials, type Emulation, type RequestLogEntry } from "./emulation";
import { ApiError, errors } from "./errors";
import type { FaultDecision } from "./faults";
import type { Context, Result } from "./handlers";
import { readBody, REQUEST_ID_HEADER } from "./http";
import { decodeForm, type Target } from "./request";
import { matchRoute } from "./routes";
import { fireDueTimers } from "./timers";

const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie"]);

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

/** What a request sent, as its handler reads it (the request log keeps a copy without secrets). */
interface Sent {
  query: Record<string, string>;
  form: Record<string, string>;
  formLists: Record<string, string[]>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function dispatch(emulation: Emulation, req: IncomingMessage, entry: RequestLogEntry, origin: string, sent: Sent): Result {
  if (!isAuthorized(req.headers.authorization, emulation.credentials)) throw errors.authenticate();
  const match = matchRoute(entry.path);
  if (!match) throw errors.notFound(entry.path);
  const operation = match.route.methods[entry.method as "GET" | "POST" | "DELETE"];
  if (!operation) throw errors.methodNotAllowed(entry.method);
  entry.operationId = operation.operationId;
  const now = emulation.clock.now();
  const store = emulation.store();
  fireDueTimers(store, now);
  const ctx: Context = {
    store,
    now,
    origin,
    accountSid: emulation.credentials.accountSid,
    path: entry.path,
    params: match.params,
    query: sent.query,
    form: sent.form,
    formLists: sent.formLists,
    limiter: emulation.limiter,
  };
  return operation.handler(ctx);
}

/** Logs the request and reads its form; the entry keeps the status of a body that could not be read. */
async function receive(emulation: Emulation, req: IncomingMessage, res: ServerResponse, target: Target): Promise<{ entry: RequestLogEntry; sent: Sent }> {
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
  emulation.record(entry);
  const sent: Sent = { query: target.query, form: {}, formLists: {} };
  try {
    const body = await readBody(req);
    if (body !== "") sent.form = decodeForm(body, "form body", sent.formLists);
    entry.form = withoutSecrets(sent.form);
  } catch (error) {
    if (error instanceof ApiError) entry.status = error.status;
    throw error;
  }
  return { entry, sent };
}

/** Answers in place of the API when a fault says so (a drop before, a raw body, an injected error); true when it did. */
function answeredByFault(emulation: Emulation, req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry, fault: FaultDecision): boolean {
  if (fault.drop === "before") {
    req.socket.destroy();
    return true;
  }
  if (fault.body !== undefined && fault.status !== undefined) {
    entry.status = fault.status;
    const type = fault.body.trimStart().startsWith("<") ? "text/html" : "text/plain";
    res.writeHead(fault.status, { "Content-Type": `${type}; charset=utf-8`, "Content-Length": Buffer.byteLength(fault.body) });
    res.end(fault.body);
    return true;
  }
  if (fault.status !== undefined) {
    const injected = errors.injected(fault.status, fault.retryAfter);
    entry.status = injected.status;
    sendError(emulation, res, injected);
    return true;
  }
  return false;
}

/** One API request, from its arrival to its answer (or to the dropped connection a fault asks for). */
export async function handleApi(emulation: Emulation, req: IncomingMessage, res: ServerResponse, target: Target, origin: string): Promise<void> {
  const { entry, sent } = await receive(emulation, req, res, target);
  const fault = emulation.faults.decide(entry.method, entry.path);
  if (fault.latencyMs > 0) await sleep(fault.latencyMs);
  if (answeredByFault(emulation, req, res, entry, fault)) return;

  let result: Result;
  try {
    result = dispatch(emulation, req, entry, origin, sent);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (fault.drop === "after") {
      req.socket.destroy();
      return;
    }
    entry.status = error.status;
    sendError(emulation, res, error);
    return;
  }
  if (fault.drop === "after") {
    // The write has been applied; the client never learns it.
    emulation.stateFile?.commit();
    req.socket.destroy();
    return;
  }
  entry.status = result.status;
  sendJson(emulation, res, result.status, result.body);
}
