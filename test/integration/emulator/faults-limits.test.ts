// APS limits and every fault mode, from options, at run time and over the admin endpoint.
import * as http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../emulator";
import { createFaultInjector } from "../../../emulator/faults";
import { createRateLimiter } from "../../../emulator/rate-limit";
import { raw, twilioClient, withEmulator } from "./support";

let emulator: RunningEmulator;
afterEach(async () => {
  await emulator?.close();
});

describe("APS limits (--aps-limits)", () => {
  it("admits 30 actions per key in any one-second window (clock given explicitly)", () => {
    const limiter = createRateLimiter();
    const admitted = (key: string, at: number) => limiter.tryAcquire(key, at);
    expect(Array.from({ length: 30 }, (_, i) => admitted("a", 1000 + i))).toEqual(Array(30).fill(true));
    expect(admitted("a", 1500)).toBe(false);
    expect(admitted("b", 1500)).toBe(true);
    expect(admitted("a", 1999)).toBe(false);
    // The first action (at 1000) leaves the window at 2000.
    expect(admitted("a", 2000)).toBe(true);
    expect(admitted("a", 2000)).toBe(false);
  });

  it("allows 30 message writes per second per conversation, then answers 429 / 20429", async () => {
    emulator = await withEmulator({ apsLimits: true });
    const a = (await raw(emulator, "POST", "/v1/Conversations", {})).body;
    const b = (await raw(emulator, "POST", "/v1/Conversations", {})).body;
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => raw(emulator, "POST", `/v1/Conversations/${a.sid}/Messages`, { Body: `m${i}` })),
    );
    const limited = statuses.filter((r) => r.status === 429);
    // All 40 were sent at once; more than 30 can't fit in one second (exact counts: the test above).
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0].body).toMatchObject({ status: 429, code: 20429 });
    // Another conversation has its own budget, and reads are never limited.
    expect((await raw(emulator, "POST", `/v1/Conversations/${b.sid}/Messages`, { Body: "other" })).status).toBe(201);
    expect((await raw(emulator, "GET", `/v1/Conversations/${a.sid}/Messages`)).status).toBe(200);
    expect(emulator.state().messages.filter((m: any) => m.conversation_sid === a.sid)).toHaveLength(40 - limited.length);
  });

  it("limits conversation create/delete per service and conversation updates per conversation", async () => {
    emulator = await withEmulator({ apsLimits: true });
    const creates = await Promise.all(Array.from({ length: 35 }, () => raw(emulator, "POST", "/v1/Conversations", {})));
    expect(creates.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(emulator.state().conversations).toHaveLength(creates.filter((r) => r.status === 201).length);
    const service = (await raw(emulator, "POST", "/v1/Services", { FriendlyName: "separate budget" })).body;
    expect((await raw(emulator, "POST", `/v1/Services/${service.sid}/Conversations`, {})).status).toBe(201);

    const conversation = (await raw(emulator, "POST", `/v1/Services/${service.sid}/Conversations`, {})).body;
    const updates = await Promise.all(
      Array.from({ length: 35 }, (_, i) => raw(emulator, "POST", `/v1/Services/${service.sid}/Conversations/${conversation.sid}`, { FriendlyName: `n${i}` })),
    );
    expect(updates.filter((r) => r.status === 429).length).toBeGreaterThan(0);
  });

  it("is off by default", async () => {
    emulator = await withEmulator();
    const conversation = (await raw(emulator, "POST", "/v1/Conversations", {})).body;
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () => raw(emulator, "POST", `/v1/Conversations/${conversation.sid}/Messages`, { Body: "x" })),
    );
    expect(statuses.every((r) => r.status === 201)).toBe(true);
  });
});

/** A raw request that reports a dropped connection instead of throwing. */
function rawOutcome(emulator: RunningEmulator, method: string, path: string, form?: Record<string, string>) {
  return raw(emulator, method, path, form).then(
    (response) => ({ dropped: false as const, ...response }),
    (error: unknown) => ({ dropped: true as const, error }),
  );
}

describe("fault injection", () => {
  it("decides per rule: count expires, probability rolls, latencies add, the first failure wins", () => {
    const rolls = [0.3, 0.9, 0.3, 0.3];
    const injector = createFaultInjector(
      [
        { latencyMs: 10, path: "^/v1/" },
        { status: 503, probability: 0.5, retryAfter: 2 },
        { drop: "after", count: 1 },
      ],
      () => rolls.shift() ?? 0,
    );
    // rolls: latency rule 0.3 (fires), 503 rule 0.9 (misses), drop rule 0.3 (fires)
    expect(injector.decide("GET", "/v1/Services")).toEqual({ latencyMs: 10, drop: "after" });
    expect(injector.rules()).toHaveLength(2);
    // rolls: latency 0.3 (fires), 503 0 (fires)
    expect(injector.decide("GET", "/v1/Services")).toEqual({ latencyMs: 10, status: 503, retryAfter: 2 });
    expect(injector.decide("GET", "/elsewhere")).toEqual({ latencyMs: 0, status: 503, retryAfter: 2 });
  });

  it.each([429, 500, 503] as const)("fails the next N matching requests with %i, then expires", async (status) => {
    emulator = await withEmulator();
    emulator.setFaults([{ method: "POST", path: "^/v1/Conversations$", status, count: 2, retryAfter: 3 }]);
    const first = await raw(emulator, "POST", "/v1/Conversations", {});
    const second = await raw(emulator, "POST", "/v1/Conversations", {});
    const third = await raw(emulator, "POST", "/v1/Conversations", {});
    expect([first.status, second.status, third.status]).toEqual([status, status, 201]);
    expect(first.body).toMatchObject({ status, code: { 429: 20429, 500: 20500, 503: 20503 }[status] });
    expect(first.headers.get("retry-after")).toBe("3");
    // The failed requests were never applied.
    expect(emulator.state().conversations).toHaveLength(1);
    expect(emulator.requests().map((entry) => entry.status)).toEqual([status, status, 201]);
  });

  it.each([
    ["an HTML 200", "<html><body>Sign in to the Wi-Fi</body></html>", "text/html; charset=utf-8"],
    ["an empty 200", "", "text/plain; charset=utf-8"],
  ])("answers %s as given, without applying the request", async (_label, body, contentType) => {
    emulator = await withEmulator();
    emulator.setFaults([{ method: "POST", path: "^/v1/Conversations$", status: 200, body, count: 1 }]);
    const response = await fetch(`${emulator.url}/v1/Conversations`, { method: "POST" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(contentType);
    expect(await response.text()).toBe(body);
    expect(emulator.state().conversations).toHaveLength(0);
    expect(emulator.requests().map((entry) => entry.status)).toEqual([200]);
  });

  it("refuses a 200 without a body, and a body without a status", async () => {
    emulator = await withEmulator();
    expect(() => emulator.setFaults([{ status: 200 }])).toThrow("status 200 needs a body");
    expect(() => emulator.setFaults([{ body: "x" } as never])).toThrow("body must be a string, with a status");
  });

  it("leaves requests that do not match the method or path alone", async () => {
    emulator = await withEmulator({ faults: [{ method: "POST", path: "/Messages$", status: 500 }] });
    const conversation = await raw(emulator, "POST", "/v1/Conversations", {});
    expect(conversation.status).toBe(201);
    expect((await raw(emulator, "GET", `/v1/Conversations/${conversation.body.sid}/Messages`)).status).toBe(200);
    expect((await raw(emulator, "POST", `/v1/Conversations/${conversation.body.sid}/Messages`, {})).status).toBe(500);
  });

  it("fails a fraction of requests: probability 0 never, 1 always", async () => {
    emulator = await withEmulator({ faults: [{ status: 503, probability: 0 }] });
    expect((await raw(emulator, "GET", "/v1/Services")).status).toBe(200);
    emulator.setFaults([{ status: 503, probability: 1 }]);
    expect((await raw(emulator, "GET", "/v1/Services")).status).toBe(503);
    emulator.clearFaults();
    expect((await raw(emulator, "GET", "/v1/Services")).status).toBe(200);
  });

  it("fails roughly the requested fraction of many requests", async () => {
    emulator = await withEmulator({ faults: [{ status: 500, probability: 0.5 }] });
    const statuses = [];
    for (let i = 0; i < 200; i++) statuses.push((await raw(emulator, "GET", "/v1/Services")).status);
    const failed = statuses.filter((s) => s === 500).length;
    // Binomial(200, 0.5): outside 60..140 has probability below 1e-8.
    expect(failed).toBeGreaterThan(60);
    expect(failed).toBeLessThan(140);
  });

  it("drops the connection before the write: nothing is applied", async () => {
    emulator = await withEmulator();
    emulator.setFaults([{ method: "POST", drop: "before", count: 1 }]);
    const outcome = await rawOutcome(emulator, "POST", "/v1/Conversations", { UniqueName: "ghost" });
    expect(outcome.dropped).toBe(true);
    expect(emulator.state().conversations).toEqual([]);
    expect(emulator.requests()).toEqual([expect.objectContaining({ method: "POST", status: 0, form: { UniqueName: "ghost" } })]);
  });

  it("drops the connection after the write: the create looks failed but happened", async () => {
    emulator = await withEmulator();
    emulator.setFaults([{ method: "POST", path: "^/v1/Conversations$", drop: "after", count: 1 }]);
    const { v1 } = twilioClient(emulator);
    await expect(v1.conversations.create({ uniqueName: "applied" })).rejects.toThrow();
    expect(emulator.state().conversations).toEqual([expect.objectContaining({ unique_name: "applied" })]);
    // Retrying the create now meets the conversation it made.
    await expect(v1.conversations.create({ uniqueName: "applied" })).rejects.toMatchObject({ status: 409, code: 50353 });
    expect((await v1.conversations("applied").fetch()).uniqueName).toBe("applied");
    expect(emulator.requests().map((entry) => [entry.operationId, entry.status])).toEqual([
      ["CreateConversation", 0],
      ["CreateConversation", 409],
      ["FetchConversation", 200],
    ]);
  });

  it("adds latency: a delayed request finishes after an undelayed one sent later", async () => {
    emulator = await withEmulator({ faults: [{ path: "^/v1/Services$", latencyMs: 400 }] });
    const finished: string[] = [];
    const slow = raw(emulator, "GET", "/v1/Services").then((r) => finished.push(`slow ${r.status}`));
    const fast = raw(emulator, "GET", "/v1/Conversations").then((r) => finished.push(`fast ${r.status}`));
    await Promise.all([slow, fast]);
    expect(finished).toEqual(["fast 200", "slow 200"]);
  });

  it("sets, lists and clears rules over the admin endpoint, and refuses bad ones", async () => {
    emulator = await withEmulator();
    const put = await fetch(`${emulator.url}/__emulator/faults`, {
      method: "PUT",
      body: JSON.stringify([{ method: "GET", status: 429, count: 1 }]),
    });
    expect(put.status).toBe(200);
    expect(await (await fetch(`${emulator.url}/__emulator/faults`)).json()).toEqual([{ method: "GET", status: 429, count: 1 }]);
    expect((await raw(emulator, "GET", "/v1/Services")).status).toBe(429);
    expect((await raw(emulator, "GET", "/v1/Services")).status).toBe(200);
    await fetch(`${emulator.url}/__emulator/faults`, { method: "PUT", body: JSON.stringify({ status: 500 }) });
    expect((await raw(emulator, "GET", "/v1/Services")).status).toBe(500);
    expect((await fetch(`${emulator.url}/__emulator/faults`, { method: "DELETE" })).status).toBe(204);
    expect((await raw(emulator, "GET", "/v1/Services")).status).toBe(200);
    const bad = await fetch(`${emulator.url}/__emulator/faults`, { method: "PUT", body: JSON.stringify({ status: 418 }) });
    expect(bad.status).toBe(400);
  });

  it("drops keep-alive sockets too: the next request on a new socket succeeds", async () => {
    emulator = await withEmulator({ faults: [{ drop: "before", count: 1 }] });
    const agent = new http.Agent({ keepAlive: true });
    const get = () =>
      new Promise<number>((resolve, reject) => {
        http
          .get(`${emulator.url}/v1/Services`, { agent, auth: `${emulator.credentials.accountSid}:${emulator.credentials.authToken}` }, (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          })
          .on("error", reject);
      });
    await expect(get()).rejects.toThrow();
    expect(await get()).toBe(200);
    agent.destroy();
  });
});
