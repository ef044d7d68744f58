// --state-file keeps every acknowledged write: the CLI runs as its own process, is killed with
// SIGKILL in the middle of concurrent writes, and a restart on the same file must hold every
// write that was answered.
import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../emulator";
import { loadStateFile, journalPath, openStateFile } from "../../../emulator/state-file";
import { createStore, insertConversation, insertMessage } from "../../../emulator/store";
import { raw, spawnEmulator, transpiledEmulatorCli, withEmulator } from "./support";

const AUTH = "Basic " + Buffer.from("AC00000000000000000000000000000000:emulator-auth-token").toString("base64");
const WRITERS = 16;
const ACKNOWLEDGED_BEFORE_KILL = 1_500;

interface Acknowledged {
  conversations: Set<string>;
  messages: Set<string>;
  deletedMessages: Set<string>;
  /**
   * Messages whose DELETE was sent: one answered after the kill was decided may have been applied
   * (and written) all the same, so such a message being gone is no loss.
   */
  deleteSent: Set<string>;
  /** Highest `n` in an acknowledged Attributes update, per conversation. */
  attributes: Map<string, number>;
}

async function write(url: string, method: string, path: string, form?: Record<string, string>): Promise<any> {
  const response = await fetch(url + path, {
    method,
    headers: { Authorization: AUTH, ...(form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  const text = await response.text();
  return text === "" ? null : JSON.parse(text);
}

describe("--state-file", () => {
  it("keeps every acknowledged write across a SIGKILL during concurrent writes", async () => {
    const cli = transpiledEmulatorCli();
    const stateFile = path.join(mkdtempSync(path.join(tmpdir(), "emulator-state-")), "state.json");
    const first = await spawnEmulator(cli, ["--state-file", stateFile]);
    const acknowledged: Acknowledged = { conversations: new Set(), messages: new Set(), deletedMessages: new Set(), deleteSent: new Set(), attributes: new Map() };
    let count = 0;
    let killed = false;
    const acknowledge = (record: () => void) => {
      if (killed) return;
      record();
      count += 1;
      if (count >= ACKNOWLEDGED_BEFORE_KILL) {
        killed = true;
        first.child.kill("SIGKILL");
      }
    };

    const writer = async (w: number) => {
      const conversation = await write(first.url, "POST", "/v1/Conversations", { UniqueName: `writer-${w}` });
      acknowledge(() => acknowledged.conversations.add(conversation.sid));
      const messages = `/v1/Conversations/${conversation.sid}/Messages`;
      for (let n = 1; !killed; n++) {
        const message = await write(first.url, "POST", messages, { Body: `message ${n}` });
        acknowledge(() => acknowledged.messages.add(message.sid));
        if (n % 3 === 0) {
          acknowledged.deleteSent.add(message.sid);
          await write(first.url, "DELETE", `${messages}/${message.sid}`);
          acknowledge(() => acknowledged.deletedMessages.add(message.sid));
        }
        await write(first.url, "POST", `/v1/Conversations/${conversation.sid}`, { Attributes: JSON.stringify({ n }) });
        acknowledge(() => acknowledged.attributes.set(conversation.sid, n));
      }
    };
    // Writes in flight when the process dies fail; only the answered ones count.
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w).catch(() => undefined)));
    expect(await first.exited).toBeNull();
    expect(count).toBe(ACKNOWLEDGED_BEFORE_KILL);

    const second = await spawnEmulator(cli, ["--state-file", stateFile]);
    try {
      const state = (await (await fetch(`${second.url}/__emulator/state`)).json()) as { conversations: any[]; messages: any[] };
      const conversations = new Map<string, any>(state.conversations.map((c: any) => [c.sid, c]));
      const messages = new Set(state.messages.map((m: any) => m.sid));
      const lost = {
        conversations: [...acknowledged.conversations].filter((sid) => !conversations.has(sid)),
        messages: [...acknowledged.messages].filter((sid) => !acknowledged.deleteSent.has(sid) && !messages.has(sid)),
        deletesUndone: [...acknowledged.deletedMessages].filter((sid) => messages.has(sid)),
        attributeUpdates: [...acknowledged.attributes].filter(([sid, n]) => JSON.parse(conversations.get(sid)?.attributes ?? "{}").n < n),
      };
      expect(lost).toEqual({ conversations: [], messages: [], deletesUndone: [], attributeUpdates: [] });
      expect(acknowledged.messages.size).toBeGreaterThan(500);
      // The restarted emulator goes on from the recovered state: indexes are not reused.
      const [sid] = acknowledged.conversations;
      const next = await write(second.url, "POST", `/v1/Conversations/${sid}/Messages`, { Body: "after restart" });
      const indexes = state.messages.filter((m: any) => m.conversation_sid === sid).map((m: any) => m.index);
      expect(next.index).toBeGreaterThan(Math.max(-1, ...indexes));
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  }, 60_000);
});

describe("--state-file journal", () => {
  const freshPath = () => path.join(mkdtempSync(path.join(tmpdir(), "emulator-journal-")), "state.json");

  it("writes each answered write to the journal before answering, and folds it into the snapshot on close", async () => {
    const stateFile = freshPath();
    const emulator = await withEmulator({ stateFile });
    const conversation = (await raw(emulator, "POST", "/v1/Conversations", { UniqueName: "support" })).body;
    const lines = readFileSync(journalPath(stateFile), "utf8").trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]).put).toEqual([["conversations", expect.objectContaining({ sid: conversation.sid, uniqueName: "support" })]]);
    // Reads append nothing.
    await raw(emulator, "GET", `/v1/Conversations/${conversation.sid}`);
    expect(readFileSync(journalPath(stateFile), "utf8").trim().split("\n")).toHaveLength(1);
    await emulator.close();
    expect(statSync(journalPath(stateFile)).size).toBe(0);
    expect(JSON.parse(readFileSync(stateFile, "utf8")).conversations.map((c: any) => c.sid)).toEqual([conversation.sid]);
  });

  it("restores a timer saved past 9999-12-31T23:59:59Z (by an emulator that did not refuse it) at that date, and keeps answering", async () => {
    const stateFile = freshPath();
    const first = await withEmulator({ stateFile });
    const conversation = (await raw(first, "POST", "/v1/Conversations", { State: "active", "Timers.Closed": "PT10M" })).body;
    await first.close();
    const saved = JSON.parse(readFileSync(stateFile, "utf8"));
    // What `Timers.Closed=P99999999999999W` stored before durations were bounded.
    saved.conversations[0].timers.closed = { seconds: 99999999999999 * 604_800, at: Date.now() + 99999999999999 * 604_800_000, pending: true };
    writeFileSync(stateFile, JSON.stringify(saved));
    const second = await withEmulator({ stateFile });
    try {
      const list = await raw(second, "GET", "/v1/Conversations");
      expect(list.status, JSON.stringify(list.body)).toBe(200);
      expect(list.body.conversations.map((c: any) => [c.sid, c.timers.date_closed])).toEqual([[conversation.sid, "9999-12-31T23:59:59Z"]]);
      expect((await fetch(`${second.url}/__emulator/state`)).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it("replays a journal the snapshot already holds without change, and ignores a last line cut short", async () => {
    const stateFile = freshPath();
    let emulator = await withEmulator({ stateFile });
    const conversation = (await raw(emulator, "POST", "/v1/Conversations", { UniqueName: "support" })).body;
    const messages = `/v1/Conversations/${conversation.sid}/Messages`;
    const kept = (await raw(emulator, "POST", messages, { Body: "kept" })).body;
    const gone = (await raw(emulator, "POST", messages, { Body: "gone" })).body;
    await raw(emulator, "DELETE", `${messages}/${gone.sid}`);
    await raw(emulator, "POST", `${messages}/${kept.sid}`, { Body: "edited" });
    const journal = readFileSync(journalPath(stateFile), "utf8");
    const stateOf = (running: RunningEmulator) => JSON.stringify(running.state()).replaceAll(running.url, "<origin>");
    const before = stateOf(emulator);
    await emulator.close();
    // A kill between the snapshot's rename and the journal's truncation, during a further write.
    writeFileSync(journalPath(stateFile), journal);
    appendFileSync(journalPath(stateFile), '{"seq":99,"put":[["messages",{"sid":"IM');
    emulator = await withEmulator({ stateFile });
    try {
      expect(stateOf(emulator)).toBe(before);
      expect((await raw(emulator, "POST", messages, { Body: "next" })).body.index).toBe(2);
    } finally {
      await emulator.close();
    }
  });

  it("refuses a journal line that is not the last and cannot be read, naming the line", async () => {
    const stateFile = freshPath();
    const emulator = await withEmulator({ stateFile });
    await emulator.close();
    writeFileSync(journalPath(stateFile), 'not json\n{"seq":1,"put":[],"deleted":[]}\n');
    await expect(withEmulator({ stateFile })).rejects.toThrow(`${journalPath(stateFile)}:1: not a journal line`);
  });

  it("keeps a reset: the snapshot is rewritten at once", async () => {
    const stateFile = freshPath();
    const emulator = await withEmulator({ stateFile });
    await raw(emulator, "POST", "/v1/Conversations", { UniqueName: "support" });
    await fetch(`${emulator.url}/__emulator/reset`, { method: "POST" });
    expect(JSON.parse(readFileSync(stateFile, "utf8")).conversations).toEqual([]);
    expect(statSync(journalPath(stateFile)).size).toBe(0);
    await emulator.close();
  });
});

describe("journal size", () => {
  it("folds the journal into the snapshot once it outgrows both the snapshot and its minimum", () => {
    const stateFile = path.join(mkdtempSync(path.join(tmpdir(), "emulator-journal-")), "state.json");
    const store = createStore();
    const persistence = openStateFile(stateFile, () => store, 2_000);
    persistence.track(store);
    persistence.flush();
    const conversation = insertConversation(store, {
      serviceSid: store.defaultServiceSid, uniqueName: null, friendlyName: null, attributes: null, state: "active",
      messagingServiceSid: null, dateCreated: 0, dateUpdated: 0, timers: {}, bindingsEmail: null,
    });
    persistence.commit();
    const sizes: number[] = [];
    for (let i = 0; i < 40; i++) {
      insertMessage(store, conversation, {
        author: "system", body: `message ${i}`, mediaSid: null, contentSid: null, contentVariables: null,
        attributes: null, subject: null, dateCreated: 0, dateUpdated: 0,
      });
      persistence.commit();
      sizes.push(statSync(journalPath(stateFile)).size);
    }
    // The journal grew, was emptied into the snapshot, and grew again; nothing was lost.
    expect(sizes.some((size, i) => i > 0 && size < sizes[i - 1])).toBe(true);
    expect(loadStateFile(stateFile)!.messages.size).toBe(40);
    persistence.close();
  });
});
