// Keeps the store between runs: loaded at start-up, written (atomically) shortly after changes
// and on close.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { snapshot, restore, type Snapshot, type Store } from "./store";

export function loadStateFile(path: string): Store | null {
  if (!existsSync(path)) return null;
  const saved = JSON.parse(readFileSync(path, "utf8")) as Snapshot;
  if (saved.version !== 1) throw new Error(`${path}: unsupported state file version ${String(saved.version)}`);
  return restore(saved);
}

export function writeStateFile(path: string, store: Store): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(snapshot(store)));
  renameSync(temporary, path);
}

/** Coalesces bursts of writes into one save a short moment later. */
export function createSaver(path: string, getStore: () => Store, delayMs = 100) {
  let timer: NodeJS.Timeout | null = null;
  return {
    schedule() {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        writeStateFile(path, getStore());
      }, delayMs);
      timer.unref();
    },
    flush() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      writeStateFile(path, getStore());
    },
  };
}
