// HTTP on the wire, below the request pipeline: reading a body, writing a JSON answer, and
// answering what Node's parser could not read.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { ApiError, errorBody, errors } from "./errors";
import { bodyText } from "./request";
import { newSid } from "./values";

export const REQUEST_ID_HEADER = "Twilio-Request-Id";
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The whole body as text. Past MAX_BODY_BYTES the rest is read and discarded, so the client,
 * still sending, gets the 413 answer instead of a reset connection.
 */
export function readBody(req: IncomingMessage): Promise<string> {
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

export function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
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
export function writeRawError(socket: Duplex, error: ApiError): void {
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
export function parserFailure(error: NodeJS.ErrnoException): ApiError {
  if (error.code === "HPE_HEADER_OVERFLOW") return errors.protocol(431, "Request Header Fields Too Large");
  if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") return errors.protocol(408, "Request Timeout");
  return errors.badRequest(`Malformed HTTP request (${error.code ?? "parse error"})`);
}
