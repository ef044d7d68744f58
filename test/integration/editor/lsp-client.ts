// A minimal Language Server Protocol client over stdio: enough to open documents in
// yaml-language-server and read back the diagnostics it publishes, as an editor would.
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { spawnGroup, stopGroup } from "../../support/processes";

export interface Diagnostic {
  message: string;
  severity?: number;
  range: { start: { line: number; character: number } };
  source?: string;
}

export const ERROR_SEVERITY = 1;

type Message = { id?: number; method?: string; params?: unknown; result?: unknown; error?: unknown };

export class LspClient {
  private readonly server: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (message: Message) => void>();
  private readonly waiting = new Map<string, (diagnostics: Diagnostic[]) => void>();
  private version = 0;
  private settings: Record<string, unknown> = {};

  constructor(command: string, args: string[]) {
    this.server = spawnGroup(command, args, { stdio: "pipe" }) as ChildProcessWithoutNullStreams;
    this.server.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
    this.server.stderr.resume();
  }

  /** `settings` maps sections (`yaml`, `http`, …) to their values, as an editor's settings do. */
  async initialize(rootPath: string, settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.request("initialize", {
      processId: process.pid,
      rootUri: pathToFileURL(rootPath).href,
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: {} } },
    });
    this.notify("initialized", {});
    this.notify("workspace/didChangeConfiguration", { settings });
  }

  /** Opens the file and resolves with the diagnostics the server publishes for it. */
  diagnose(path: string): Promise<Diagnostic[]> {
    const uri = pathToFileURL(path).href;
    const published = new Promise<Diagnostic[]>((resolve) => this.waiting.set(uri, resolve));
    this.notify("textDocument/didOpen", {
      textDocument: { uri, languageId: "yaml", version: ++this.version, text: readFileSync(path, "utf8") },
    });
    return published.finally(() => this.notify("textDocument/didClose", { textDocument: { uri } }));
  }

  async close(): Promise<void> {
    await this.request("shutdown", null).catch(() => undefined);
    this.notify("exit", null);
    const exited = new Promise<void>((resolve) => {
      if (this.server.exitCode !== null) resolve();
      else this.server.once("exit", () => resolve());
    });
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    // The server's group, whatever it did not end itself.
    await stopGroup(this.server);
  }

  private request(method: string, params: unknown): Promise<Message> {
    const id = this.nextId++;
    const answered = new Promise<Message>((resolve) => this.pending.set(id, resolve));
    this.send({ jsonrpc: "2.0", id, method, params });
    return answered;
  }

  private notify(method: string, params: unknown): void {
    this.send({ jsonrpc: "2.0", method, params });
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify(message), "utf8");
    this.server.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString("ascii"))?.[1]);
      const start = headerEnd + 4;
      if (this.buffer.length < start + length) return;
      const message = JSON.parse(this.buffer.subarray(start, start + length).toString("utf8")) as Message;
      this.buffer = this.buffer.subarray(start + length);
      this.handle(message);
    }
  }

  private handle(message: Message): void {
    if (message.method === undefined && message.id !== undefined) {
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    } else if (message.method === "workspace/configuration") {
      // The server pulls its settings section by section whenever told they changed.
      const { items } = message.params as { items: { section?: string }[] };
      this.send({ jsonrpc: "2.0", id: message.id, result: items.map(({ section }) => (section && this.settings[section]) ?? null) });
    } else if (message.method !== undefined && message.id !== undefined) {
      // Other requests from the server (registerCapability, workDoneProgress/create, …) need an answer.
      this.send({ jsonrpc: "2.0", id: message.id, result: null });
    } else if (message.method === "textDocument/publishDiagnostics") {
      const { uri, diagnostics } = message.params as { uri: string; diagnostics: Diagnostic[] };
      this.waiting.get(uri)?.(diagnostics);
      this.waiting.delete(uri);
    }
  }
}
