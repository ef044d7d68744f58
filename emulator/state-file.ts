// Keeps the store between runs, losing no acknowledged write when the process is killed.
//
// `<path>` holds a full snapshot, rewritten atomically (temporary file, then rename).
// `<path>.journal` holds, one JSON line per answered request, the records it wrote (or the SIDs it
// deleted); each line is written before the answer is sent. Loading reads the snapshot and
// replays the journal over it. Once the journal outgrows the snapshot, or on start and close, the
// snapshot is rewritten and the journal emptied, so the cost per write stays a small append.
// A replayed line sets whole records, so replaying a line the snapshot already holds (a crash
// between the rename and the truncation) changes nothing.
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from "node:fs";
import type { Store } from "./records";
import { snapshot, restore, type Snapshot } from "./store";

const COLLECTIONS = ["services", "conversations", "messages", "participants", "users", "webhooks", "roles", "serviceConfigurations", "account", "addressConfigurations", "credentials"] as const;
type Collection = (typeof COLLECTIONS)[number];

interface JournalLine {
  seq: number;
  put: Array<[Collection, { sid: string }]>;
  deleted: string[];
}

/** The journal may grow to this size, or to the snapshot's if larger, before it is folded in. */
const MIN_JOURNAL_BYTES = 4 * 1024 * 1024;

export const journalPath = (path: string) => `${path}.journal`;

export function loadStateFile(path: string): Store | null {
  const journal = journalPath(path);
  if (!existsSync(path)) {
    if (existsSync(journal)) throw new Error(`${journal} exists without ${path}: restore ${path} or delete the journal`);
    return null;
  }
  const saved = JSON.parse(readFileSync(path, "utf8")) as Snapshot;
  if (saved.version !== 1) throw new Error(`${path}: unsupported state file version ${String(saved.version)}`);
  return restore(existsSync(journal) ? replay(saved, readFileSync(journal, "utf8"), journal) : saved);
}

function replay(saved: Snapshot, text: string, where: string): Snapshot {
  const records = Object.fromEntries(
    COLLECTIONS.map((name) => [name, new Map<string, { sid: string }>((saved[name] ?? []).map((record) => [record.sid, record]))]),
  ) as Record<Collection, Map<string, { sid: string }>>;
  let seq = saved.seq;
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    if (line === "") return;
    let entry: JournalLine;
    try {
      entry = JSON.parse(line) as JournalLine;
    } catch (error) {
      // The last line may be cut short by a kill during its write: its request was never answered.
      if (i === lines.length - 1) return;
      throw new Error(`${where}:${i + 1}: not a journal line (${(error as Error).message})`);
    }
    for (const sid of entry.deleted) for (const name of COLLECTIONS) records[name].delete(sid);
    for (const [name, record] of entry.put) records[name].set(record.sid, record);
    seq = entry.seq;
  });
  return {
    ...saved,
    seq,
    ...Object.fromEntries(COLLECTIONS.map((name) => [name, [...records[name].values()]])),
  } as Snapshot;
}

/** Writes the whole store atomically; returns the bytes written. */
export function writeStateFile(path: string, store: Store): number {
  const temporary = `${path}.${process.pid}.tmp`;
  const text = JSON.stringify(snapshot(store));
  writeFileSync(temporary, text);
  renameSync(temporary, path);
  return Buffer.byteLength(text);
}

export interface StateFile {
  /** Marks the store's future writes for the journal (call for every new store). */
  track(store: Store): Store;
  /** Appends what the store wrote since the last call; returns once it is written. */
  commit(): void;
  /** Writes the whole store and empties the journal. */
  flush(): void;
  close(): void;
}

export function openStateFile(path: string, getStore: () => Store, minJournalBytes = MIN_JOURNAL_BYTES): StateFile {
  const journal = openSync(journalPath(path), "a");
  let journalBytes = 0;
  let snapshotBytes = 0;
  let closed = false;

  const flush = () => {
    snapshotBytes = writeStateFile(path, getStore());
    ftruncateSync(journal);
    journalBytes = 0;
    getStore().touched?.clear();
  };

  return {
    track(store) {
      store.touched = new Set();
      return store;
    },
    commit() {
      const store = getStore();
      if (closed || !store.touched || store.touched.size === 0) return;
      const entry: JournalLine = { seq: store.seq, put: [], deleted: [] };
      for (const sid of store.touched) {
        const name = COLLECTIONS.find((collection) => store[collection].has(sid));
        if (name) entry.put.push([name, store[name].get(sid)!]);
        else entry.deleted.push(sid);
      }
      store.touched.clear();
      const line = JSON.stringify(entry) + "\n";
      writeSync(journal, line);
      journalBytes += Buffer.byteLength(line);
      if (journalBytes > Math.max(minJournalBytes, snapshotBytes)) flush();
    },
    flush() {
      if (!closed) flush();
    },
    close() {
      if (closed) return;
      flush();
      closed = true;
      closeSync(journal);
    },
  };
}
