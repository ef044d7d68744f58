// A recording HTTP proxy in front of the emulator: every request the provider sends is read off
// the wire (its form exactly, a repeated key in order) and passed on; the emulator's answer is
// passed back, and a connection the emulator drops is dropped here too.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** One request as it left the provider: its form as sent, each repeated key in order. */
export interface SentRequest {
  method: string;
  path: string;
  form: Array<[string, string]>;
}

export interface WireRecorder {
  url: string;
  /** Every request passed on so far, in the order they arrived. */
  sent: SentRequest[];
  close(): Promise<void>;
}

/** `target()` is read for each request: the emulator's URL at the time. */
export async function startWireRecorder(target: () => string): Promise<WireRecorder> {
  const sent: SentRequest[] = [];
  const server = http.createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const url = new URL(incoming.url ?? "/", target());
      sent.push({ method: incoming.method ?? "GET", path: url.pathname, form: [...new URLSearchParams(body.toString("utf8"))] });
      // The Host header is passed on: the emulator names its objects' URLs by it, as the provider expects.
      const upstream = http.request(url, { method: incoming.method, headers: incoming.headers, agent: false }, (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
        answer.on("error", () => incoming.socket.destroy());
      });
      upstream.on("error", () => incoming.socket.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
