// The transport's HTTP client on node:http(s), against servers started here: what it sends, what it
// reads back, its sockets kept alive and bounded, and how each failure is classified for retries
// (never sent, or may have been applied), as send() and its retry rules see it.
import * as http from "node:http";
import * as net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ExchangeTimeout, httpExchange, type HttpExchangeRequest } from "../../../provider/client/exchange";
import { send, type TwilioRequest } from "../../../provider/client/http";
import { DEFAULT_RETRY_POLICY, neverSent, socketErrorCode } from "../../../provider/client/retry";
import { TwilioConversationsError } from "../../../provider/errors";
import { testTransport } from "../../support/transport";

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A server on a free local port; every connection it accepts is counted and closed at the end. */
async function serve(handler: (socket: net.Socket) => void): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("error", () => undefined);
    handler(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return { url: `127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
}

/** An HTTP server answering with `answer`; it counts the connections requests came on. */
async function serveHttp(answer: (request: http.IncomingMessage, body: string, response: http.ServerResponse) => void) {
  const connections = new Set<net.Socket>();
  const server = http.createServer((request, response) => {
    connections.add(request.socket);
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => answer(request, body, response));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections.size };
}

/** A port nothing listens on. */
async function refusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const get = (url: string, timeoutMs = 2_000): HttpExchangeRequest => ({ method: "GET", url: new URL(url), headers: {}, timeoutMs });
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("the exchange should fail"),
    (error: unknown) => error,
  );

describe("the request and its answer", () => {
  it("sends the method, path, query, headers and form that send() makes, and reads status, body and headers", async () => {
    const seen: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];
    const server = await serveHttp((request, body, response) => {
      seen.push({ method: request.method, url: request.url, headers: request.headers, body });
      response.writeHead(201, {
        "content-type": "application/json; charset=utf-8",
        date: "Tue, 01 Apr 2025 10:00:05 GMT",
        "twilio-request-id": "RQ" + "7".repeat(32),
      });
      // A character split between two chunks is still read as one.
      const text = Buffer.from(JSON.stringify({ sid: "CH1", friendly_name: "Café ☕" }), "utf8");
      response.write(text.subarray(0, text.indexOf(0xe2) + 1));
      setTimeout(() => response.end(text.subarray(text.indexOf(0xe2) + 1)), 20);
    });
    const transport = testTransport({
      settings: { namespace: "twilio", baseUrl: server.url, accountSid: "AC1", credentials: { username: "AC1", password: "pw" }, requestTimeoutMs: 2_000, maxAttempts: 1, maxWriteMs: 0, secrets: [] },
      exchange: httpExchange(),
    });
    const before = Date.now();
    const made = await send(transport, {
      method: "POST",
      path: "/v1/Conversations",
      query: { PageSize: "50" },
      form: { FriendlyName: "Café ☕", Permission: ["a", "b"] },
      webhooks: false,
      kind: "create",
      context: { operation: "create conversation" },
    });
    const after = Date.now();
    expect(made).toEqual({ sid: "CH1", friendly_name: "Café ☕" });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: "POST",
      url: "/v1/Conversations?PageSize=50",
      body: "FriendlyName=Caf%C3%A9+%E2%98%95&Permission=a&Permission=b",
      headers: {
        authorization: "Basic " + Buffer.from("AC1:pw").toString("base64"),
        accept: "application/json",
        "x-twilio-webhook-enabled": "false",
        "content-type": "application/x-www-form-urlencoded",
        "content-length": String(Buffer.byteLength("FriendlyName=Caf%C3%A9+%E2%98%95&Permission=a&Permission=b")),
      },
    });
    // The server's Date sets the clock that recovery trusts: it was read.
    const serverTime = Date.parse("Tue, 01 Apr 2025 10:00:05 GMT");
    expect(transport.serverClock.offsetMs).toBeGreaterThanOrEqual(serverTime - after);
    expect(transport.serverClock.offsetMs).toBeLessThanOrEqual(serverTime - before);
  });

  it("gives the status, text and the headers send() reads, by lower-case name", async () => {
    const server = await serveHttp((_request, _body, response) => {
      response.writeHead(429, { "Retry-After": "3", "Content-Type": "application/json", "Twilio-Request-Id": "RQ1", Date: "Tue, 01 Apr 2025 10:00:05 GMT" });
      response.end('{"code":20429}');
    });
    const answer = await httpExchange()(get(`${server.url}/v1/Services`));
    expect(answer.status).toBe(429);
    expect(answer.text).toBe('{"code":20429}');
    expect(answer.headers).toMatchObject({ "retry-after": "3", "content-type": "application/json", "twilio-request-id": "RQ1", date: "Tue, 01 Apr 2025 10:00:05 GMT" });
  });

  it("speaks TLS to an https URL and plain HTTP to an http URL", async () => {
    const firstBytes: Buffer[] = [];
    const server = await serve((socket) => socket.once("data", (chunk: Buffer) => firstBytes.push(chunk)));
    const exchange = httpExchange();
    await Promise.allSettled([exchange(get(`https://${server.url}/v1/Services`, 300)), exchange(get(`http://${server.url}/v1/Services`, 300))]);
    const kinds = firstBytes.map((bytes) => (bytes[0] === 0x16 && bytes[1] === 0x03 ? "TLS handshake" : bytes.toString("latin1").split("\r\n")[0]));
    expect(kinds.sort()).toEqual(["GET /v1/Services HTTP/1.1", "TLS handshake"]);
  });

  it("leaves no timer behind once answered", async () => {
    const server = await serveHttp((_request, _body, response) => response.end("{}"));
    const exchange = httpExchange();
    // The exchange's own timers, told from the sockets' and other tests' by their delay.
    const DELAY = 61_234;
    const set = globalThis.setTimeout;
    const clear = globalThis.clearTimeout;
    const started: unknown[] = [];
    const cleared = new Set<unknown>();
    const setSpy = vi.spyOn(globalThis, "setTimeout").mockImplementation(((callback: () => void, ms?: number) => {
      const timer = set(callback, ms);
      if (ms === DELAY) started.push(timer);
      return timer;
    }) as typeof setTimeout);
    const clearSpy = vi.spyOn(globalThis, "clearTimeout").mockImplementation((timer) => {
      cleared.add(timer);
      clear(timer);
    });
    try {
      await Promise.all(Array.from({ length: 20 }, (_, n) => exchange(get(`${server.url}/v1/Services/${n}`, DELAY))));
    } finally {
      setSpy.mockRestore();
      clearSpy.mockRestore();
    }
    expect(started).toHaveLength(20);
    expect(started.filter((timer) => !cleared.has(timer))).toEqual([]);
  });
});

describe("sockets", () => {
  it("are kept alive: requests one after another share one connection", async () => {
    const server = await serveHttp((_request, _body, response) => response.end("{}"));
    const exchange = httpExchange();
    for (let n = 0; n < 5; n++) expect((await exchange(get(`${server.url}/v1/Services`))).status).toBe(200);
    expect(server.connections()).toBe(1);
  });

  it("are bounded: more requests at once than sockets wait for one, and all are answered", async () => {
    const server = await serveHttp((_request, _body, response) => setTimeout(() => response.end("{}"), 30));
    const exchange = httpExchange(3);
    const answers = await Promise.all(Array.from({ length: 12 }, () => exchange(get(`${server.url}/v1/Services`))));
    expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(200));
    expect(server.connections()).toBe(3);
  });
});

describe("failures, classified as the retry rules need them", () => {
  it("a refused connection was never sent", async () => {
    const error = await failureOf(httpExchange()(get(`http://127.0.0.1:${await refusedPort()}/v1/Services`)));
    expect(socketErrorCode(error)).toBe("ECONNREFUSED");
    expect(neverSent(error)).toBe(true);
  });

  it("an unknown host was never sent", async () => {
    const error = await failureOf(httpExchange()(get("http://no-such-host.invalid/v1/Services")));
    expect(["ENOTFOUND", "EAI_AGAIN"]).toContain(socketErrorCode(error));
    expect(neverSent(error)).toBe(true);
  });

  it("a connection reset after the request was read may have been applied", async () => {
    const server = await serve((socket) => socket.once("data", () => socket.resetAndDestroy()));
    const error = await failureOf(httpExchange()({ ...get(`http://${server.url}/v1/Conversations`), method: "POST", body: "UniqueName=a" }));
    expect(["ECONNRESET", "EPIPE"]).toContain(socketErrorCode(error));
    expect(neverSent(error)).toBe(false);
  });

  it("a connection closed without an answer may have been applied", async () => {
    const server = await serve((socket) => socket.once("data", () => socket.end()));
    const error = await failureOf(httpExchange()({ ...get(`http://${server.url}/v1/Conversations`), method: "POST", body: "UniqueName=a" }));
    expect(socketErrorCode(error)).toBe("ECONNRESET");
    expect(neverSent(error)).toBe(false);
  });

  it("a reset on a kept-alive connection may have been applied", async () => {
    let requests = 0;
    const server = await serve((socket) =>
      socket.on("data", () => {
        if (++requests === 1) socket.write("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nkeep-alive: timeout=30\r\n\r\n{}");
        else socket.resetAndDestroy();
      }),
    );
    const exchange = httpExchange();
    expect((await exchange(get(`http://${server.url}/v1/Services`))).status).toBe(200);
    const error = await failureOf(exchange({ ...get(`http://${server.url}/v1/Conversations`), method: "POST", body: "UniqueName=a" }));
    expect(server.connections()).toBe(1);
    expect(neverSent(error)).toBe(false);
  });

  it("an answer cut off in its body may have been applied", async () => {
    const server = await serve((socket) =>
      socket.once("data", () => {
        socket.write("HTTP/1.1 201 Created\r\ncontent-length: 100\r\n\r\n{\"sid\":");
        setTimeout(() => socket.resetAndDestroy(), 20);
      }),
    );
    const error = await failureOf(httpExchange()({ ...get(`http://${server.url}/v1/Conversations`), method: "POST", body: "UniqueName=a" }));
    expect(error).toBeInstanceOf(Error);
    expect(neverSent(error)).toBe(false);
  });

  it("a server that never answers times out, and the request may have been applied", async () => {
    const server = await serve(() => undefined);
    const started = Date.now();
    const error = await failureOf(httpExchange()({ ...get(`http://${server.url}/v1/Conversations`, 200), method: "POST", body: "UniqueName=a" }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(error).toBeInstanceOf(ExchangeTimeout);
    expect((error as Error).message).toBe("no complete answer within 200 ms");
    expect(neverSent(error)).toBe(false);
  });

  it("an answer whose body stops coming times out as a whole", async () => {
    const server = await serve((socket) => socket.once("data", () => socket.write("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{")));
    const error = await failureOf(httpExchange()(get(`http://${server.url}/v1/Services`, 200)));
    expect(error).toBeInstanceOf(ExchangeTimeout);
    expect(neverSent(error)).toBe(false);
  });

  it("a TLS handshake that never completes times out, and the request was never sent", async () => {
    const server = await serve(() => undefined);
    const error = await failureOf(httpExchange()({ ...get(`https://${server.url}/v1/Conversations`, 200), method: "POST", body: "UniqueName=a" }));
    expect(error).toBeInstanceOf(ExchangeTimeout);
    expect((error as Error).message).toBe("not connected within 200 ms");
    expect(neverSent(error)).toBe(true);
  });

  it("a request still waiting for a socket when its time runs out was never sent", async () => {
    const server = await serveHttp(() => undefined);
    const exchange = httpExchange(1);
    const first = failureOf(exchange(get(`${server.url}/v1/Services`, 300)));
    const second = await failureOf(exchange({ ...get(`${server.url}/v1/Conversations`, 100), method: "POST", body: "UniqueName=a" }));
    expect(neverSent(second)).toBe(true);
    expect(neverSent(await first)).toBe(false);
  });
});

describe("send() over it", () => {
  const settingsFor = (baseUrl: string) => ({
    namespace: "twilio",
    baseUrl,
    accountSid: "AC1",
    credentials: { username: "AC1", password: "pw-secret-1234" },
    requestTimeoutMs: 200,
    maxAttempts: 2,
    maxWriteMs: 0,
    secrets: ["pw-secret-1234"],
  });
  const create = (lookups: number[]): TwilioRequest => ({
    method: "POST",
    path: "/v1/Conversations",
    form: { UniqueName: "vip" },
    kind: "create",
    context: { operation: "create conversation", resource: "vip" },
    reconcile: async (firstSentAt) => (lookups.push(firstSentAt), null),
  });

  it("sends a create again without looking for it when the connection was refused", async () => {
    const lookups: number[] = [];
    const transport = testTransport({ settings: settingsFor(`http://127.0.0.1:${await refusedPort()}`), exchange: httpExchange(), policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 2, maxWriteMs: 0 } });
    const error = await send(transport, create(lookups)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TwilioConversationsError);
    expect((error as Error).message).toContain("could not reach http://127.0.0.1:");
    expect((error as Error).message).toContain("ECONNREFUSED");
    expect(lookups).toEqual([]);
  });

  it("looks for a create whose connection was reset, and for one that timed out, before sending it again", async () => {
    for (const handler of [(socket: net.Socket) => socket.once("data", () => socket.resetAndDestroy()), () => undefined]) {
      const server = await serve(handler);
      const lookups: number[] = [];
      const transport = testTransport({ settings: settingsFor(`http://${server.url}`), exchange: httpExchange(), policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 2, maxWriteMs: 0 } });
      const error = await send(transport, create(lookups)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TwilioConversationsError);
      expect(lookups.length).toBeGreaterThanOrEqual(2);
      expect(server.connections()).toBe(2);
      expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain("pw-secret-1234");
    }
  });
});
