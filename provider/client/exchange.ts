// One HTTP exchange (a request, its whole answer) over Node's own http and https modules, with a
// keep-alive agent per transport. Global fetch held web streams, an AbortSignal and undici's
// request objects for each request while it waited on Twilio's pacing; at thousands of requests
// they reached the old generation and set the provider's peak memory.
import * as http from "node:http";
import * as https from "node:https";
import type { Socket } from "node:net";
import { CONNECT_TIMEOUT } from "./retry";

export interface HttpExchangeRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** The whole exchange, from sending until the last byte of the answer. */
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  /** By lower-case name, as Node parses them. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body, as UTF-8. */
  text: string;
}

/**
 * Sends one request and reads its whole answer. Fails with the socket's error (its `code`, e.g.
 * ECONNREFUSED or ECONNRESET) or an `ExchangeTimeout`.
 */
export type Exchange = (request: HttpExchangeRequest) => Promise<HttpAnswer>;

/** An exchange that did not finish within its time; `code` is CONNECT_TIMEOUT when nothing was sent. */
export class ExchangeTimeout extends Error {
  readonly code: string | undefined;
  constructor(timeoutMs: number, connected: boolean) {
    super(connected ? `no complete answer within ${timeoutMs} ms` : `not connected within ${timeoutMs} ms`);
    this.name = "TimeoutError";
    this.code = connected ? undefined : CONNECT_TIMEOUT;
  }
}

/** Sockets per origin at once; more requests wait for a free one (their timeout runs meanwhile). */
export const MAX_SOCKETS = 64;
/** An idle socket is closed after this long, unless the server's Keep-Alive hint is shorter (undici's default). */
const IDLE_SOCKET_MS = 4_000;

/** An exchange whose sockets are kept alive and shared by every request sent through it. */
export function httpExchange(maxSockets = MAX_SOCKETS): Exchange {
  const options = { keepAlive: true, maxSockets, timeout: IDLE_SOCKET_MS };
  const agents = { http: new http.Agent(options), https: new https.Agent(options) };
  return (request) => exchangeOnce(agents, request);
}

function exchangeOnce(agents: { http: http.Agent; https: https.Agent }, request: HttpExchangeRequest): Promise<HttpAnswer> {
  const secure = request.url.protocol === "https:";
  const [send, agent] = secure ? [https.request, agents.https] : [http.request, agents.http];
  return new Promise((resolve, reject) => {
    // Whether the request could have reached the server: its socket was connected (and, for
    // https, its handshake done). A request still waiting for a socket or a connection was never sent.
    let connected = false;
    let outgoing: http.ClientRequest | undefined;
    const timer = setTimeout(() => {
      const timeout = new ExchangeTimeout(request.timeoutMs, connected);
      reject(timeout);
      outgoing?.destroy(timeout);
    }, request.timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    const headers = request.body === undefined ? request.headers : { ...request.headers, "content-length": String(Buffer.byteLength(request.body)) };
    const onAnswer = (answer: http.IncomingMessage) => {
      let text = "";
      answer.setEncoding("utf8");
      answer.on("data", (chunk: string) => (text += chunk));
      answer.on("error", fail);
      answer.on("end", () => {
        clearTimeout(timer);
        resolve({ status: answer.statusCode ?? 0, headers: answer.headers, text });
      });
    };
    try {
      outgoing = send(request.url, { method: request.method, headers, agent }, onAnswer);
    } catch (error) {
      // A header Node refuses (a control character in a value) is refused before anything is sent.
      fail(error as Error);
      return;
    }
    const sending = outgoing;
    sending.on("error", fail);
    sending.once("socket", (socket: Socket) => {
      if (sending.reusedSocket) connected = true;
      else socket.once(secure ? "secureConnect" : "connect", () => (connected = true));
    });
    sending.end(request.body);
  });
}
