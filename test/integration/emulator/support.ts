// Shared test support: start the emulator, point the official twilio client at it, and check
// every response against the response schema of Twilio's OpenAPI spec.
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import Ajv, { type ValidateFunction } from "ajv";
import twilio from "twilio";
import RequestClient from "twilio/lib/base/RequestClient";
import { firstLine as firstLineOf, spawnGroup } from "../../support/processes";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../../emulator";

export const ORACLE_PATH = path.resolve(__dirname, "../../../../shared/oracle/twilio_conversations_v1.json");
export const ORACLE_MISSING_REASON = `Twilio's OpenAPI spec is not at ${ORACLE_PATH} (shared/oracle beside the repo)`;

type Json = Record<string, any>;

export const spec: Json | null = existsSync(ORACLE_PATH) ? JSON.parse(readFileSync(ORACLE_PATH, "utf8")) : null;

export interface SpecOperation {
  operationId: string;
  method: string;
  template: string;
  pattern: RegExp;
  responses: Json;
}

function specOperations(): SpecOperation[] {
  if (!spec) return [];
  const operations: SpecOperation[] = [];
  for (const [template, item] of Object.entries<Json>(spec.paths)) {
    const pattern = new RegExp("^" + template.replace(/\{[^}]+\}/g, "[^/]+") + "$");
    for (const method of ["get", "post", "delete"]) {
      if (item[method]) {
        operations.push({ operationId: item[method].operationId, method: method.toUpperCase(), template, pattern, responses: item[method].responses });
      }
    }
  }
  // Literal paths first, so /v1/Services/{Sid} never shadows a longer literal route.
  return operations.sort((a, b) => a.template.split("{").length - b.template.split("{").length);
}

const OPERATIONS = specOperations();

/** The spec operation a request hits, by method and path. */
export function specOperationFor(method: string, urlPath: string): SpecOperation | undefined {
  return OPERATIONS.find((op) => op.method === method.toUpperCase() && op.pattern.test(urlPath));
}

let ajv: Ajv | null = null;
const compiled = new Map<string, ValidateFunction>();

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) =>
        key === "$ref" && typeof field === "string" && field.startsWith("#/") ? [key, "spec" + field] : [key, rewriteRefs(field)],
      ),
    );
  }
  return value;
}

/**
 * ajv refuses `nullable` on a schema without `type` (the spec's `timers`, `bindings`, `delivery`);
 * such a schema already accepts null, so the keyword is dropped there.
 */
function untypedNullableRemoved(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untypedNullableRemoved);
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([key]) => !(key === "nullable" && !("type" in value)));
    return Object.fromEntries(entries.map(([key, field]) => [key, untypedNullableRemoved(field)]));
  }
  return value;
}

function validatorFor(op: SpecOperation, status: number): ValidateFunction | null {
  const key = `${op.operationId} ${status}`;
  if (compiled.has(key)) return compiled.get(key)!;
  const schema = op.responses[String(status)]?.content?.["application/json"]?.schema;
  if (!schema) return null;
  if (!ajv) {
    // OpenAPI 3.0: `nullable` is understood by ajv; x-twilio annotations are ignored (strict off).
    ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    ajv.addFormat("uri", /^https?:\/\/[^\s]+$/);
    ajv.addFormat("uri-map", true);
    ajv.addFormat("int64", true);
    ajv.addSchema({ components: untypedNullableRemoved(spec!.components) }, "spec");
  }
  const validate = ajv.compile(untypedNullableRemoved(rewriteRefs(schema)) as object);
  compiled.set(key, validate);
  return validate;
}

function resolveRef(schema: Json): Json {
  if (typeof schema.$ref !== "string") return schema;
  const name = schema.$ref.replace("#/components/schemas/", "");
  return spec!.components.schemas[name];
}

/** Field names must be exactly the schema's: no extra field, none missing. */
function fieldProblems(body: Json, schema: Json, where: string): string[] {
  const resolved = resolveRef(schema);
  if (!resolved?.properties || body === null || typeof body !== "object") return [];
  const expected = Object.keys(resolved.properties).sort();
  const actual = Object.keys(body).sort();
  const problems: string[] = [];
  const extra = actual.filter((key) => !expected.includes(key));
  const missing = expected.filter((key) => !actual.includes(key));
  if (extra.length) problems.push(`${where}: fields not in the schema: ${extra.join(", ")}`);
  if (missing.length) problems.push(`${where}: schema fields missing: ${missing.join(", ")}`);
  for (const [key, property] of Object.entries<Json>(resolved.properties)) {
    const items = property.items;
    if (property.type === "array" && items?.$ref && Array.isArray(body[key])) {
      body[key].forEach((item: Json, i: number) => problems.push(...fieldProblems(item, items, `${where}.${key}[${i}]`)));
    } else if (key === "meta" && body.meta) {
      problems.push(...fieldProblems(body.meta, property, `${where}.meta`));
    }
  }
  return problems;
}

/** Problems with one response against the spec; an empty list means it conforms. */
export function responseProblems(method: string, urlPath: string, status: number, body: unknown): string[] {
  const op = specOperationFor(method, urlPath);
  if (!op) return [`${method} ${urlPath}: no operation in the spec`];
  if (status >= 400) return [];
  if (!op.responses[String(status)]) return [`${op.operationId}: status ${status} is not a documented response`];
  if (status === 204) return body === "" || body === undefined || body === null ? [] : [`${op.operationId}: 204 with a body`];
  const validate = validatorFor(op, status);
  if (!validate) return [`${op.operationId}: no JSON schema for ${status}`];
  const problems: string[] = [];
  if (!validate(body)) {
    problems.push(...(validate.errors ?? []).map((e) => `${op.operationId}: ${e.instancePath} ${e.message}`));
  }
  const schema = op.responses[String(status)].content["application/json"].schema;
  problems.push(...fieldProblems(body as Json, schema, op.operationId));
  return problems;
}

export interface Exchange {
  method: string;
  url: string;
  status: number;
  body: unknown;
  operationId?: string;
}

/** A twilio-node HTTP client that remembers every response it receives. */
class RecordingRequestClient extends RequestClient {
  readonly exchanges: Exchange[] = [];
  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<any> {
    const response = await super.request(opts);
    const url = new URL(opts.uri);
    this.exchanges.push({
      method: opts.method.toUpperCase(),
      url: opts.uri,
      status: response.statusCode,
      body: response.body,
      operationId: specOperationFor(opts.method, url.pathname)?.operationId,
    });
    return response;
  }
}

export type Auth = "authToken" | "apiKey";

export function twilioClient(emulator: RunningEmulator, auth: Auth = "authToken") {
  const httpClient = new RecordingRequestClient({ keepAlive: false });
  const { accountSid, authToken, apiKey, apiSecret } = emulator.credentials;
  const client =
    auth === "authToken"
      ? twilio(accountSid, authToken, { httpClient })
      : twilio(apiKey, apiSecret, { accountSid, httpClient });
  client.conversations.baseUrl = emulator.url;
  return { client, v1: client.conversations.v1, exchanges: httpClient.exchanges };
}

export async function withEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, ...options });
}

/**
 * One emulator for the calling test file: started before its tests, closed after them, reset before
 * each one. The value stands for it (its methods and getters reach the running emulator).
 */
export function sharedEmulator(options: EmulatorOptions = {}): RunningEmulator {
  let running: RunningEmulator | undefined;
  beforeAll(async () => {
    running = await withEmulator(options);
  });
  afterAll(async () => {
    await running?.close();
  });
  beforeEach(() => running!.reset());
  return new Proxy({} as RunningEmulator, {
    get(_target, key) {
      const value = Reflect.get(running!, key);
      return typeof value === "function" ? value.bind(running) : value;
    },
  });
}

/** Problems of every recorded response against the spec's schema for its operation (none: conforms). */
export function exchangeProblems(exchanges: Exchange[]): string[] {
  return exchanges.flatMap((exchange) => responseProblems(exchange.method, new URL(exchange.url).pathname, exchange.status, exchange.body));
}

/** A state file path in a new temporary directory, and a function that removes the directory. */
export function temporaryStateFile(prefix: string): { stateFile: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { stateFile: path.join(dir, "state.json"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A raw form-encoded request, for cases the official client can't express. */
export async function raw(
  emulator: RunningEmulator,
  method: string,
  urlPath: string,
  /** A record, or pairs for a key sent more than once (`Configuration.Filters`). */
  form?: Record<string, string> | Array<[string, string]>,
  init: { auth?: string | null; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const { accountSid, authToken } = emulator.credentials;
  const auth = init.auth === undefined ? `${accountSid}:${authToken}` : init.auth;
  const headers: Record<string, string> = { ...init.headers };
  if (auth !== null) headers.Authorization = "Basic " + Buffer.from(auth).toString("base64");
  if (form) headers["Content-Type"] = "application/x-www-form-urlencoded";
  const response = await fetch(emulator.url + urlPath, {
    method,
    headers,
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? "" : JSON.parse(text), headers: response.headers };
}

/** The answer is Twilio's error body, `{code, message, more_info, status}`, with this status and code. */
export function expectTwilioError(response: { status: number; body: any }, status: number, code: number): void {
  expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
  expect(Object.keys(response.body).sort()).toEqual(["code", "message", "more_info", "status"]);
  expect(response.body.status).toBe(status);
  expect(response.body.more_info).toBe(`https://www.twilio.com/docs/errors/${code}`);
  expect(typeof response.body.message).toBe("string");
}

export const ALL_CONVERSATION_OPERATIONS = [
  "FetchConfiguration",
  "CreateService", "FetchService", "ListService", "DeleteService",
  "CreateConversation", "FetchConversation", "UpdateConversation", "DeleteConversation", "ListConversation",
  "CreateServiceConversation", "FetchServiceConversation", "UpdateServiceConversation", "DeleteServiceConversation", "ListServiceConversation",
  "CreateConversationMessage", "FetchConversationMessage", "UpdateConversationMessage", "DeleteConversationMessage", "ListConversationMessage",
  "CreateServiceConversationMessage", "FetchServiceConversationMessage", "UpdateServiceConversationMessage", "DeleteServiceConversationMessage", "ListServiceConversationMessage",
];

/**
 * The emulator's current sources, transpiled (no type check) into a temporary directory, so a
 * test can run the CLI as its own process without depending on a stale `dist/`.
 */
export function transpiledEmulatorCli(): string {
  const source = path.resolve(__dirname, "../../../emulator");
  const target = mkdtempSync(path.join(tmpdir(), "emulator-cli-"));
  for (const file of readdirSync(source).filter((name) => name.endsWith(".ts"))) {
    const { outputText } = ts.transpileModule(readFileSync(path.join(source, file), "utf8"), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    });
    writeFileSync(path.join(target, file.replace(/\.ts$/, ".js")), outputText);
  }
  return path.join(target, "cli.js");
}

export interface EmulatorProcess {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Starts the CLI as a child process (in a process group of its own) and resolves once it prints its URL. */
export async function spawnEmulator(cli: string, args: string[] = []): Promise<EmulatorProcess> {
  const child = spawnGroup(process.execPath, [cli, "--port", "0", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const firstLine = await firstLineOf(child);
  return { url: firstLine.replace(/^listening on /, ""), child, exited };
}
