// send() as a whole, against a scripted exchange: when a create looks for what it made, and how the
// server's clock bounds what it takes for its own.
import { httpAnswer, socketError, testTransport } from "../../support/transport";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { createOnce } from "../../../provider/client/create";
import { earliestServerTime, observeServerClock, send, type Transport, type TwilioJson, type TwilioRequest } from "../../../provider/client/http";
import { fileJournal, stackFolder } from "../../../provider/client/intents";
import { DEFAULT_RETRY_POLICY, type RetryNotice } from "../../../provider/client/retry";

type Scripted = { status: number; body?: TwilioJson; date?: string; retryAfter?: string } | "reset";

function transport(script: Scripted[], overrides: Partial<Transport> = {}) {
  const sent: string[] = [];
  const sleeps: number[] = [];
  const t: Transport = testTransport({
    settings: { namespace: "twilio", baseUrl: "https://conversations.test", accountSid: "AC1", credentials: { username: "AC1", password: "pw" }, requestTimeoutMs: 1_000, maxAttempts: 8, maxWriteMs: 5_000, secrets: [] },
    policy: { ...DEFAULT_RETRY_POLICY, maxWriteMs: 5_000 },
    exchange: async ({ method, url }) => {
      sent.push(`${method} ${url.pathname}`);
      const next = script.shift();
      if (next === undefined) throw new Error("no scripted answer left");
      if (next === "reset") throw socketError("ECONNRESET", "socket hang up");
      const headers: Record<string, string> = {};
      if (next.date) headers.date = next.date;
      if (next.retryAfter) headers["retry-after"] = next.retryAfter;
      return httpAnswer(next.status, JSON.stringify(next.body ?? {}), headers);
    },
    sleep: async (ms) => void sleeps.push(ms),
    ...overrides,
  });
  return { transport: t, sent, sleeps };
}

const create = (reconcile: TwilioRequest["reconcile"]): TwilioRequest => ({
  method: "POST",
  path: "/v1/Conversations",
  form: { UniqueName: "vip" },
  kind: "create",
  context: { operation: "create conversation", resource: "vip" },
  reconcile,
});

function lookups(...answers: Array<TwilioJson | null>) {
  const calls: number[] = [];
  return { calls, reconcile: async (firstSentAt: number) => (calls.push(firstSentAt), answers.shift() ?? null) };
}

describe("a create that may have been applied", () => {
  it("refused with 409 after an attempt whose answer was lost: looks once more, and takes what it made", async () => {
    const made = { sid: "CH1", unique_name: "vip" };
    const { calls, reconcile } = lookups(null, null, made);
    const { transport: t, sent } = transport(["reset", { status: 409, body: { code: 50353, message: "exists" } }]);
    await expect(send(t, create(reconcile))).resolves.toEqual(made);
    expect(sent).toEqual(["POST /v1/Conversations", "POST /v1/Conversations"]);
    expect(calls).toHaveLength(3);
  });

  it("refused with 409 with no earlier doubt: fails without looking", async () => {
    const { calls, reconcile } = lookups();
    const { transport: t } = transport([{ status: 409, body: { code: 50353, message: "exists" } }]);
    await expect(send(t, create(reconcile))).rejects.toThrow("Twilio error 50353");
    expect(calls).toEqual([]);
  });

  it("a write still landing when the connection failed: looks again after the longest time a write can take, and never sends twice", async () => {
    const made = { sid: "CH1" };
    const { calls, reconcile } = lookups(null, made);
    const { transport: t, sent, sleeps } = transport(["reset"]);
    await expect(send(t, create(reconcile))).resolves.toEqual(made);
    expect(sent).toEqual(["POST /v1/Conversations"]);
    expect(calls).toHaveLength(2);
    // The backoff, then the rest of the longest write time.
    expect(sleeps[0]).toBe(0);
    expect(sleeps[1]).toBeGreaterThan(4_000);
    expect(sleeps[1]).toBeLessThanOrEqual(5_000);
  });

  it("a 500 is the service's final answer: one lookup, then sent again", async () => {
    const { calls, reconcile } = lookups(null);
    const { transport: t, sent, sleeps } = transport([{ status: 500 }, { status: 201, body: { sid: "CH2" } }]);
    await expect(send(t, create(reconcile))).resolves.toEqual({ sid: "CH2" });
    expect(sent).toHaveLength(2);
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([0]);
  });
});

describe("the server's clock", () => {
  const local = Date.parse("2024-05-01T12:00:00.000Z");
  it.each<[string, string, number, number]>([
    // Date header, local time the answer arrived, expected offset (a lower bound)
    ["in step", "Wed, 01 May 2024 12:00:00 GMT", local + 400, -400],
    ["server an hour behind", "Wed, 01 May 2024 11:00:00 GMT", local, -3_600_000],
    ["server 90 s ahead", "Wed, 01 May 2024 12:01:30 GMT", local + 999, 89_001],
  ])("%s", (_name, date, receivedAt, offset) => {
    const clock = { offsetMs: 0 };
    observeServerClock(clock, date, receivedAt);
    expect(clock.offsetMs).toBe(offset);
  });

  it("keeps the last offset when an answer has no usable Date", () => {
    const clock = { offsetMs: 1234 };
    observeServerClock(clock, null, local);
    observeServerClock(clock, "yesterday-ish", local);
    expect(clock.offsetMs).toBe(1234);
  });

  it("an object the request made always shows a date_created at or after the earliest time, whatever the skew", () => {
    for (const skewMs of [-3_600_000, -1_500, 0, 700, 90_000]) {
      for (const latencyMs of [0, 30, 999, 2_500]) {
        const serverNow = (localTime: number) => localTime + skewMs;
        const sentAt = local + 17;
        // The create lands when it arrives; Twilio shows whole seconds.
        const createdAt = Math.floor(serverNow(sentAt + latencyMs) / 1000) * 1000;
        // A later answer's Date, rounded down, observed when it arrives.
        const answeredAt = sentAt + 2 * latencyMs + 5;
        const dateHeader = new Date(Math.floor(serverNow(answeredAt - latencyMs) / 1000) * 1000).toUTCString();
        const clock = { offsetMs: 0 };
        observeServerClock(clock, dateHeader, answeredAt);
        expect(createdAt).toBeGreaterThanOrEqual(earliestServerTime(clock, sentAt));
        // Tight: never more than the answer's travel and two rounded seconds early.
        expect(createdAt - earliestServerTime(clock, sentAt)).toBeLessThanOrEqual(2 * latencyMs + 2_005 + latencyMs);
      }
    }
  });

  it("is learnt from each answer's Date header", async () => {
    const { transport: t } = transport([{ status: 200, body: { sid: "CH1" }, date: "Wed, 01 May 2024 11:00:00 GMT" }]);
    await send(t, { method: "GET", path: "/v1/Conversations/CH1", kind: "read", context: { operation: "read" } });
    expect(t.serverClock.offsetMs).toBeLessThan(Date.parse("2024-05-01T11:00:01Z") - Date.now() + 1);
    expect(t.serverClock.offsetMs).toBeGreaterThan(Date.parse("2024-05-01T11:00:00Z") - Date.now() - 5_000);
  });
});

describe("a create after an interrupted run", () => {
  const journalIn = () => fileJournal(fs.mkdtempSync(path.join(os.tmpdir(), "tcp-intents-unit-")));
  const call = (overrides: Partial<Parameters<typeof createOnce<{ n: number }>>[1]> = {}) => {
    const posted: number[] = [];
    const found: Array<[{ n: number }, number]> = [];
    return {
      posted,
      found,
      call: {
        key: "staging/lobby",
        twinKey: "conversation lobby",
        sent: { n: 2 },
        post: async () => (posted.push(1), { sid: "CHnew" }),
        fetch: async (sid: string) => ({ sid }),
        find: async (sent: { n: number }, sentAt: number) => (found.push([sent, sentAt]), null),
        ...overrides,
      },
    };
  };

  it("posts without looking when no intent is open, and records the SID answered", async () => {
    const { transport: t } = transport([], { intents: journalIn() });
    const { call: c, posted, found } = call();
    await expect(createOnce(t, c)).resolves.toEqual({ json: { sid: "CHnew" }, recovered: false });
    expect([posted.length, found.length]).toEqual([1, 0]);
    expect(t.intents!.get("staging/lobby")).toMatchObject({ sid: "CHnew", sent: { n: 2 } });
    expect(t.claims.isClaimed("CHnew")).toBe(true);
    t.intents!.settle("staging/lobby", "CHother");
    expect(t.intents!.get("staging/lobby")).not.toBeNull();
    t.intents!.settle("staging/lobby", "CHnew");
    expect(t.intents!.get("staging/lobby")).toBeNull();
  });

  it("takes what the interrupted create made, found by what it sent then, without posting", async () => {
    const { transport: t } = transport([], { intents: journalIn() });
    await t.intents!.put("staging/lobby", { sentAt: 1_000, sid: null, sent: { n: 1 } });
    const { call: c, posted, found } = call({ find: async (sent, sentAt) => (found.push([sent, sentAt]), { sid: "CHmade" }) });
    await expect(createOnce(t, c)).resolves.toEqual({ json: { sid: "CHmade" }, recovered: false });
    expect(posted).toEqual([]);
    expect(found).toEqual([[{ n: 1 }, 1_000]]);
    expect(t.intents!.get("staging/lobby")).toMatchObject({ sid: "CHmade", sentAt: 1_000 });
  });

  it("fetches by SID when the interrupted create's answer had arrived", async () => {
    const { transport: t } = transport([], { intents: journalIn() });
    await t.intents!.put("staging/lobby", { sentAt: 1_000, sid: "CHanswered", sent: { n: 2 } });
    const { call: c, posted } = call();
    await expect(createOnce(t, c)).resolves.toEqual({ json: { sid: "CHanswered" }, recovered: false });
    expect(posted).toEqual([]);
  });

  it("posts when nothing was made, after looking once more if a write could still land", async () => {
    const { transport: t, sleeps } = transport([], { intents: journalIn() });
    await t.intents!.put("staging/lobby", { sentAt: Date.now() - 1_000, sid: null, sent: { n: 2 } });
    const { call: c, posted, found } = call();
    await expect(createOnce(t, c)).resolves.toEqual({ json: { sid: "CHnew" }, recovered: false });
    expect([posted.length, found.length]).toEqual([1, 2]);
    expect(sleeps[0]).toBeGreaterThan(3_000);
  });

  it("never takes an object claimed by another resource of this run", async () => {
    const { transport: t } = transport([], { intents: journalIn() });
    await t.intents!.put("staging/lobby", { sentAt: 1_000, sid: "CHtheirs", sent: { n: 2 } });
    t.claims.claim("CHtheirs");
    const { call: c, posted } = call();
    await expect(createOnce(t, c)).resolves.toEqual({ json: { sid: "CHnew" }, recovered: false });
    expect(posted).toHaveLength(1);
  });

  it("looks in Twilio first only where the journal has not followed the stack, and only for a kind without a natural key", async () => {
    const looked: string[] = [];
    const lookFirst = async () => (looked.push("look"), { sid: "CHkilled" });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-intents-unit-"));
    const { transport: t } = transport([], { intents: fileJournal(dir) });
    // A fresh folder: what a killed run made is taken, and the post is never sent.
    const { call: c, posted } = call({ lookFirst });
    await expect(createOnce(t, c)).resolves.toEqual({ json: { sid: "CHkilled" }, recovered: true });
    expect([posted.length, looked.length]).toEqual([0, 1]);
    // The journal now follows the stack: the next process pays nothing.
    const { transport: next } = transport([], { intents: fileJournal(dir) });
    const { call: again, posted: postedAgain } = call({ key: "staging/desk", lookFirst });
    await expect(createOnce(next, again)).resolves.toEqual({ json: { sid: "CHnew" }, recovered: false });
    expect([postedAgain.length, looked.length]).toEqual([1, 1]);
  });

  it("takes what a killed run made when Twilio refuses the post for its natural key, and fails as refused otherwise", async () => {
    const refused = Object.assign(new Error("HTTP 409"), { code: 50353 });
    const { transport: t } = transport([], { intents: journalIn() });
    const taking = call({ post: async () => Promise.reject(refused), onConflict: async (error) => ((error as { code: number }).code === 50353 ? { sid: "CHkilled" } : null) });
    await expect(createOnce(t, taking.call)).resolves.toEqual({ json: { sid: "CHkilled" }, recovered: true });
    const refusing = call({ key: "staging/desk", twinKey: "desk", post: async () => Promise.reject(refused), onConflict: async () => null });
    await expect(createOnce(t, refusing.call)).rejects.toBe(refused);
  });

  it("names the SIDs other resources' open intents hold, never its own, an unanswered one or a half-written one", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-intents-unit-"));
    const journal = fileJournal(dir);
    expect(journal.sidsOfOthers("staging/lobby")).toEqual(new Set());
    await journal.put("staging/lobby", { sentAt: 1, sid: "CHmine", sent: {} });
    await journal.put("staging/desk", { sentAt: 1, sid: "CHdesk", sent: {} });
    await journal.put("staging/vip", { sentAt: 1, sid: null, sent: {} });
    fs.writeFileSync(path.join(dir, stackFolder("staging"), "cut-short.json"), '{"key":"staging/x","sid":"CH');
    expect(journal.sidsOfOthers("staging/lobby")).toEqual(new Set(["CHdesk"]));
    journal.settle("staging/desk", "CHdesk");
    expect(journal.sidsOfOthers("staging/lobby")).toEqual(new Set());
  });

  it("settles an intent at once; a create of the same key right after keeps its own, and the settled file is removed", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-intents-unit-"));
    const journal = fileJournal(dir);
    await journal.put("staging/lobby", { sentAt: 1, sid: "CHold", sent: {} });
    journal.settle("staging/lobby", "CHother");
    expect(journal.get("staging/lobby")).toEqual({ sentAt: 1, sid: "CHold", sent: {} });
    journal.settle("staging/lobby", "CHold");
    expect(journal.get("staging/lobby")).toBeNull();
    // A replacement for the same resource is created while the old file's removal is under way.
    await journal.put("staging/lobby", { sentAt: 2, sid: null, sent: { n: 2 } });
    await eventually(() => expect(fs.readdirSync(path.join(dir, stackFolder("staging")))).toHaveLength(1));
    expect(journal.get("staging/lobby")).toEqual({ sentAt: 2, sid: null, sent: { n: 2 } });
  });

  it("removes what a settle cut short by a crash left behind, and never reads it as an intent", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-intents-unit-"));
    fs.mkdirSync(path.join(dir, stackFolder("staging")));
    fs.writeFileSync(path.join(dir, stackFolder("staging"), "0123.json.1-0.settled"), JSON.stringify({ key: "staging/desk", sentAt: 1, sid: "CHdesk", sent: {} }));
    const journal = fileJournal(dir);
    expect(journal.get("staging/desk")).toBeNull();
    expect(journal.sidsOfOthers("staging/lobby")).toEqual(new Set());
    await eventually(() => expect(fs.readdirSync(path.join(dir, stackFolder("staging")))).toEqual([]));
  });

  it("makes its directory when it is missing, also after it was removed", async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tcp-intents-unit-")), "nested", "intents");
    const journal = fileJournal(dir);
    await journal.put("staging/lobby", { sentAt: 1, sid: null, sent: {} });
    fs.rmSync(dir, { recursive: true });
    await journal.put("staging/desk", { sentAt: 1, sid: null, sent: {} });
    expect(journal.get("staging/desk")).toEqual({ sentAt: 1, sid: null, sent: {} });
  });

  it("ignores a half-written record (a crash while writing it)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-intents-unit-"));
    const journal = fileJournal(dir);
    await journal.put("staging/lobby", { sentAt: 1, sid: null, sent: {} });
    const folder = path.join(dir, stackFolder("staging"));
    const [file] = fs.readdirSync(folder);
    fs.writeFileSync(path.join(folder, file), '{"key":"staging/lob');
    expect(journal.get("staging/lobby")).toBeNull();
  });
});

describe("retries are reported before each wait", () => {
  it("names the sanitized request, the failed attempt of how many, why, and the wait; never the host or credentials", async () => {
    const notices: RetryNotice[] = [];
    const { transport: t, sleeps } = transport(
      [{ status: 429, retryAfter: "3" }, "reset", { status: 503 }, { status: 200, body: { sid: "CH1" } }],
      { onRetry: (notice) => notices.push(notice), random: () => 0.5 },
    );
    const read: TwilioRequest = { method: "GET", path: "/v1/Conversations/CH1", kind: "read", context: { operation: "read conversation", resource: "support" } };
    await expect(send(t, read)).resolves.toEqual({ sid: "CH1" });
    const common = { operation: "read conversation", resource: "support", method: "GET", path: "/v1/Conversations/CH1", maxAttempts: 8 };
    expect(notices).toEqual([
      { ...common, attempt: 1, reason: "HTTP 429", delayMs: 3000 },
      { ...common, attempt: 2, reason: "connection failed, ECONNRESET", delayMs: 250 },
      { ...common, attempt: 3, reason: "HTTP 503", delayMs: 500 },
    ]);
    expect(sleeps).toEqual([3000, 250, 500]);
    expect(JSON.stringify(notices)).not.toMatch(/conversations\.test|pw/);
  });

  it("no notice when the request fails for good or succeeds at once", async () => {
    const notices: RetryNotice[] = [];
    const { transport: t } = transport([{ status: 400, body: { code: 50100, message: "bad" } }], { onRetry: (notice) => notices.push(notice) });
    await expect(send(t, { method: "GET", path: "/v1/Conversations/CH1", kind: "read", context: { operation: "read conversation" } })).rejects.toThrow();
    expect(notices).toEqual([]);
  });
});

/** Retries an assertion until it holds (the journal removes settled files in the background). */
async function eventually(assertion: () => void, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
