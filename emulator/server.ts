// The emulator's lifecycle: it starts (state, HTTP server, port), routes each request to the
// admin endpoints or the API pipeline, and closes (connections, then the state file).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { ADMIN_PREFIX, dumpState, handleAdmin, type Dump } from "./admin";
import type { Clock } from "./clock";
import { createEmulation, sendError, type Credentials, type Emulation, type EmulatorOptions, type RequestLogEntry } from "./emulation";
import { ApiError, errors } from "./errors";
import type { FaultRule } from "./faults";
import { parserFailure, REQUEST_ID_HEADER, writeRawError } from "./http";
import { handleApi } from "./pipeline";
import { requestTarget } from "./request";
import { newSid } from "./values";

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

/** The HTTP server of an emulation; `url()` is the origin used when a request names no Host. */
function serve(emulation: Emulation, url: () => string) {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = requestTarget(req.url);
    const origin = req.headers.host ? `http://${req.headers.host}` : url();
    if (target.path.startsWith(ADMIN_PREFIX)) await handleAdmin(emulation, req, res, target.path, origin);
    else await handleApi(emulation, req, res, target, origin);
  }

  const server = createServer((req, res) => {
    res.setHeader(REQUEST_ID_HEADER, newSid("RQ"));
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      if (error instanceof ApiError) return sendError(emulation, res, error);
      sendError(emulation, res, new ApiError(500, 20500, `Internal Server Error: ${(error as Error).message}`));
    });
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => writeRawError(socket, parserFailure(error)));
  server.on("connect", (_req: IncomingMessage, socket: Duplex) => writeRawError(socket, errors.methodNotAllowed("CONNECT")));
  server.on("checkExpectation", (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader(REQUEST_ID_HEADER, newSid("RQ"));
    sendError(emulation, res, errors.protocol(417, `Expectation Failed: ${req.headers.expect}`));
  });
  server.keepAliveTimeout = 30_000;
  return server;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const emulation = createEmulation(options);
  const { credentials, clock, faults, stateFile } = emulation;
  let url = "";
  const server = serve(emulation, () => url);

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
      return emulation.store().defaultServiceSid;
    },
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }).then(() => stateFile?.close());
      return closed;
    },
    requests: () => emulation.requests().map((entry) => ({ ...entry })),
    requestCount: () => emulation.requests().length,
    clearRequests: () => emulation.clearRequests(),
    state: () => dumpState(emulation.store(), url, credentials.accountSid, clock.now()),
    reset: () => emulation.reset(),
    setFaults: (rules) => faults.set(rules),
    clearFaults: () => faults.clear(),
    clock,
  };
}
