// Concurrent writers, the admin endpoints, the request log, the state file and the CLI.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import type { RunningEmulator } from "../../../emulator";
import { faultRulesFromFlags, optionsFromFlags, parseFlags } from "../../../emulator/cli";
import { firstLine as firstLineOf, spawnGroup, stopGroup } from "../../support/processes";
import { raw, twilioClient, withEmulator } from "./support";

let emulator: RunningEmulator;
afterEach(async () => {
  await emulator?.close();
});

describe("concurrent writers", () => {
  it("never give two conversations one unique name", async () => {
    emulator = await withEmulator();
    const results = await Promise.all(
      Array.from({ length: 60 }, () => raw(emulator, "POST", "/v1/Conversations", { UniqueName: "contested" })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 50353)).toBe(true);
    expect(results.filter((r) => r.status === 409)).toHaveLength(59);
    expect(emulator.state().conversations).toHaveLength(1);
  });

  it("never give two messages one index, and lose no write", async () => {
    emulator = await withEmulator();
    const { v1 } = twilioClient(emulator);
    const conversation = await v1.conversations.create({});
    const created = await Promise.all(
      Array.from({ length: 200 }, (_, i) => v1.conversations(conversation.sid).messages.create({ body: `m${i}` })),
    );
    const indexes = created.map((m) => m.index).sort((a, b) => a - b);
    expect(indexes).toEqual(Array.from({ length: 200 }, (_, i) => i));
    const stored = await v1.conversations(conversation.sid).messages.list({ pageSize: 100 });
    expect(stored.map((m) => m.body).sort()).toEqual(created.map((m) => m.body).sort());
  });

  it("keep every field written by concurrent updates of different fields", async () => {
    emulator = await withEmulator();
    const conversation = (await raw(emulator, "POST", "/v1/Conversations", {})).body;
    const messages = await Promise.all(
      Array.from({ length: 20 }, (_, i) => raw(emulator, "POST", `/v1/Conversations/${conversation.sid}/Messages`, { Body: `m${i}` })),
    );
    await Promise.all(
      messages.flatMap(({ body }, i) => [
        raw(emulator, "POST", `/v1/Conversations/${conversation.sid}/Messages/${body.sid}`, { Author: `author${i}` }),
        raw(emulator, "POST", `/v1/Conversations/${conversation.sid}/Messages/${body.sid}`, { Attributes: `{"n":${i}}` }),
      ]),
    );
    const stored = emulator.state().messages as any[];
    for (const [i, { body }] of messages.entries()) {
      expect(stored.find((m) => m.sid === body.sid)).toMatchObject({ author: `author${i}`, attributes: `{"n":${i}}`, body: `m${i}` });
    }
  });
});

describe("admin endpoints and request log", () => {
  it("logs method, path, query, form and headers without credentials, and not admin calls", async () => {
    emulator = await withEmulator();
    await raw(emulator, "POST", "/v1/Conversations", { "Timers.Inactive": "PT5M", State: "active", FriendlyName: "a b" });
    await raw(emulator, "GET", "/v1/Conversations?PageSize=5&State=active");
    await fetch(`${emulator.url}/__emulator/state`);
    const viaHttp = (await (await fetch(`${emulator.url}/__emulator/requests`)).json()) as any[];
    expect(viaHttp).toEqual(emulator.requests());
    expect(viaHttp.map((entry) => [entry.method, entry.path, entry.status, entry.operationId])).toEqual([
      ["POST", "/v1/Conversations", 201, "CreateConversation"],
      ["GET", "/v1/Conversations", 200, "ListConversation"],
    ]);
    expect(viaHttp[0].form).toEqual({ "Timers.Inactive": "PT5M", State: "active", FriendlyName: "a b" });
    expect(viaHttp[1].query).toEqual({ PageSize: "5", State: "active" });
    expect(viaHttp[0].headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.keys(viaHttp[0].headers)).not.toContain("authorization");
    expect(JSON.stringify(viaHttp)).not.toContain(emulator.credentials.authToken);
    expect((await fetch(`${emulator.url}/__emulator/requests`, { method: "DELETE" })).status).toBe(204);
    expect(emulator.requests()).toEqual([]);
  });

  it("dumps state in the API's shape and resets to the default service only", async () => {
    emulator = await withEmulator();
    const service = (await raw(emulator, "POST", "/v1/Services", { FriendlyName: "extra" })).body;
    const conversation = (await raw(emulator, "POST", `/v1/Services/${service.sid}/Conversations`, { UniqueName: "x" })).body;
    await raw(emulator, "POST", `/v1/Services/${service.sid}/Conversations/x/Messages`, { Body: "hi" });
    const dump = (await (await fetch(`${emulator.url}/__emulator/state`)).json()) as any;
    expect(dump.services.map((s: any) => s.sid).sort()).toEqual([emulator.defaultServiceSid, service.sid].sort());
    expect(dump.conversations).toEqual([conversation]);
    expect(dump.messages).toEqual([expect.objectContaining({ body: "hi", chat_service_sid: service.sid, conversation_sid: conversation.sid })]);
    const defaultService = emulator.defaultServiceSid;
    expect((await fetch(`${emulator.url}/__emulator/reset`, { method: "POST" })).status).toBe(204);
    // Only the default service is left; every other collection of the dump is empty.
    const { services, roles, serviceConfigurations, account, ...collections } = emulator.state();
    expect(services).toEqual([expect.objectContaining({ sid: defaultService })]);
    // The default service keeps what every service starts with: its default roles and configuration.
    expect((roles as any[]).map((role) => role.chat_service_sid)).toEqual(Array(4).fill(defaultService));
    expect((serviceConfigurations as any[]).map((entry) => entry.configuration.chat_service_sid)).toEqual([defaultService]);
    expect(Object.keys(collections)).toEqual(expect.arrayContaining(["conversations", "messages", "users", "webhooks"]));
    // The account's settings are back to their defaults, with no address configuration or credential.
    expect(account).toMatchObject({ configuration: { default_chat_service_sid: defaultService }, address_configurations: [], credentials: [] });
    for (const [name, records] of Object.entries(collections)) expect(records, name).toEqual([]);
    expect(emulator.defaultServiceSid).toBe(defaultService);
    expect(emulator.requests()).toEqual([]);
  });

  it("keeps state between runs with a state file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "emulator-state-"));
    const stateFile = path.join(dir, "state.json");
    try {
      emulator = await withEmulator({ stateFile });
      const conversation = (await raw(emulator, "POST", "/v1/Conversations", { UniqueName: "kept" })).body;
      const message = (await raw(emulator, "POST", "/v1/Conversations/kept/Messages", { Body: "still here" })).body;
      const defaultService = emulator.defaultServiceSid;
      await emulator.close();
      expect(existsSync(stateFile)).toBe(true);

      emulator = await withEmulator({ stateFile });
      expect(emulator.defaultServiceSid).toBe(defaultService);
      expect((await raw(emulator, "GET", "/v1/Conversations/kept")).body.sid).toBe(conversation.sid);
      expect((await raw(emulator, "GET", `/v1/Conversations/kept/Messages/${message.sid}`)).body.body).toBe("still here");
      expect((await raw(emulator, "POST", "/v1/Conversations", { UniqueName: "kept" })).status).toBe(409);
      expect((await raw(emulator, "POST", "/v1/Conversations/kept/Messages", { Body: "next" })).body.index).toBe(1);
    } finally {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("drops the oldest log entries beyond the limit", async () => {
    emulator = await withEmulator({ requestLogLimit: 3 });
    for (let i = 0; i < 5; i++) await raw(emulator, "GET", `/v1/Services?Page=${i}`);
    expect(emulator.requests().map((entry) => entry.query.Page)).toEqual(["2", "3", "4"]);
  });
});

describe("command line", () => {
  it("maps flags and environment variables to options", () => {
    const options = optionsFromFlags(parseFlags(["--port", "0", "--aps-limits", "--api-key=SK" + "1".repeat(32)]), {
      EMULATOR_AUTH_TOKEN: "from-env",
      EMULATOR_API_KEY: "SKignored",
    });
    expect(options).toMatchObject({ port: 0, apsLimits: true, authToken: "from-env", apiKey: "SK" + "1".repeat(32) });
    expect(() => parseFlags(["--colour", "blue"])).toThrow(/unknown option --colour/);
  });

  it("turns the fault flags into rules", () => {
    const rules = faultRulesFromFlags(
      parseFlags([
        "--fault-method", "POST", "--fault-path", "Messages", "--latency-ms", "5", "--fail-next", "2",
        "--fail-status", "429", "--retry-after", "1", "--fail-rate", "0.1", "--drop-before-rate", "0.2",
        "--drop-after-next", "1", "--drop-after-rate", "0.3",
      ]),
    );
    const scope = { method: "POST", path: "Messages" };
    expect(rules).toEqual([
      { ...scope, latencyMs: 5 },
      { ...scope, status: 429, retryAfter: 1, count: 2 },
      { ...scope, status: 429, retryAfter: 1, probability: 0.1 },
      { ...scope, drop: "before", probability: 0.2 },
      { ...scope, drop: "after", count: 1 },
      { ...scope, drop: "after", probability: 0.3 },
    ]);
  });

  it.skipIf(!existsSync(path.resolve(__dirname, "../../../dist/emulator/cli.js")))(
    "prints its URL first, serves, and exits cleanly on SIGTERM (needs `tsc` output in dist/)",
    async () => {
      const child = spawnGroup(process.execPath, [path.resolve(__dirname, "../../../dist/emulator/cli.js"), "--port", "0", "--fail-next", "1"], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      onTestFinished(() => stopGroup(child, "SIGKILL", 0).then(() => undefined));
      const firstLine = await firstLineOf(child);
      expect(firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = firstLine.slice("listening on ".length);
      const auth = "Basic " + Buffer.from("AC00000000000000000000000000000000:emulator-auth-token").toString("base64");
      expect((await fetch(`${url}/v1/Services`, { headers: { Authorization: auth } })).status).toBe(503);
      expect((await fetch(`${url}/v1/Services`, { headers: { Authorization: auth } })).status).toBe(200);
      const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exit).toBe(0);
    },
  );
});
