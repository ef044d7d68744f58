// Create intents, kept outside Pulumi's state. A create records what it is about to send before it
// sends it, and the SID once Twilio answers; the record is closed once the engine shows the object
// in state (a later diff, read, update or delete of that SID). An intent still open when the same
// resource is created again is the mark of an interrupted run (kill -9, lost machine, crash between
// Twilio's answer and the engine's checkpoint): only then does create look before it posts.
//
// The journal is an optimisation over finding in Twilio what a killed run made (see
// client/recovery.ts): it makes recovery exact, and lets a run pay nothing for it. A journal
// vouches for a stack only once it has followed it (its ledger, written before the stack's first
// create here): a journal that has not (a fresh clone, a CI runner that lost its disk, a folder
// expired) cannot tell a new object from one a killed run made, and creates without a natural key
// look in Twilio first.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export interface CreateIntent {
  /** Local time the create was about to be sent. */
  sentAt: number;
  /** Twilio's answer, once it arrived. */
  sid: string | null;
  /** What was sent, as the client needs it to recognise the object (JSON). */
  sent: unknown;
}

export interface IntentJournal {
  get(key: string): CreateIntent | null;
  /** Resolves once the intent is written: only then may the request leave. */
  put(key: string, intent: CreateIntent): Promise<void>;
  /** Closes the intent when it names this SID: the engine holds the object in state. */
  settle(key: string, sid: string): void;
  /** The SIDs that the open intents of other resources of the stack name: objects their creates made. */
  sidsOfOthers(key: string): Set<string>;
  /**
   * Whether this journal has followed every create of the key's stack since before this process
   * started (its ledger was there): then an intent missing means no create was interrupted. The
   * first question about a stack the journal does not vouch for starts its ledger, so later runs
   * over the same folder pay nothing.
   */
  vouchesFor(key: string): boolean;
}

/** How long an intent, and a stack's folder no run has touched, is kept: no run reads it after that. */
export const JOURNAL_RETENTION_MS = 7 * 86_400_000;

const LEDGER = "ledger.json";
const SETTLED = ".settled";

/** The stack a journal key belongs to: keys are `<stack>/<resource>…` (see `intentKey`). */
export function stackOfKey(key: string): string {
  const slash = key.indexOf("/");
  return slash < 0 ? "" : key.slice(0, slash);
}

/** A stack's folder name: readable, and distinct for names that differ only in characters a path cannot hold. */
export function stackFolder(stack: string): string {
  const readable = stack.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 60);
  return `${readable}-${crypto.createHash("sha256").update(stack).digest("hex").slice(0, 8)}`;
}

/**
 * One small JSON file per create, under a folder per stack in `dir`; written before the request
 * leaves. A settled intent is renamed out of the way at once and its file removed in the
 * background: the first look at a freshly seeded stack settles every create of the seed, and
 * removing a file costs several times what renaming it does. A crash before the removal leaves a
 * `.settled` file, which nothing reads and the next journal over the directory removes, with
 * whatever has expired (`expireJournal`).
 */
export function fileJournal(dir: string, now: () => number = Date.now): IntentJournal {
  const folderOf = (key: string) => path.join(dir, stackFolder(stackOfKey(key)));
  const fileOf = (key: string) => path.join(folderOf(key), crypto.createHash("sha256").update(key).digest("hex").slice(0, 32) + ".json");
  const read = (key: string): CreateIntent | null => {
    try {
      const record = JSON.parse(fs.readFileSync(fileOf(key), "utf8")) as CreateIntent & { key: string };
      return record.key === key ? { sentAt: record.sentAt, sid: record.sid, sent: record.sent } : null;
    } catch {
      // Missing, or cut short by a crash while it was written: a half-written intent was never sent.
      return null;
    }
  };
  let settledCount = 0;
  const remove = (file: string) => void fs.promises.unlink(file).catch(() => undefined);
  /** Per stack, whether its ledger was there when this process first asked. */
  const vouched = new Map<string, boolean>();
  void expireJournal(dir, now());
  return {
    get: read,
    // Off the provider's thread: a seed writes two intents per create, and each write waits on the
    // disk the engine is writing its checkpoints to.
    async put(key, intent) {
      const file = fileOf(key);
      const text = JSON.stringify({ key, ...intent });
      // Written whole, then renamed: a crash leaves the old record or the new one, never half of one.
      try {
        await fs.promises.writeFile(file + ".tmp", text);
      } catch (error) {
        if ((error as { code?: unknown }).code !== "ENOENT") throw error;
        await fs.promises.mkdir(path.dirname(file), { recursive: true });
        await fs.promises.writeFile(file + ".tmp", text);
      }
      await fs.promises.rename(file + ".tmp", file);
    },
    settle(key, sid) {
      if (read(key)?.sid !== sid) return;
      // A later put of the same key writes a new file under the old name, which this never touches.
      const settled = `${fileOf(key)}.${process.pid}-${settledCount++}${SETTLED}`;
      try {
        fs.renameSync(fileOf(key), settled);
      } catch {
        return;
      }
      remove(settled);
    },
    sidsOfOthers(key) {
      const sids = new Set<string>();
      for (const record of openRecords(folderOf(key))) if (record.key !== key && typeof record.sid === "string") sids.add(record.sid);
      return sids;
    },
    vouchesFor(key) {
      const stack = stackOfKey(key);
      let known = vouched.get(stack);
      if (known === undefined) {
        const ledger = path.join(folderOf(key), LEDGER);
        known = fs.existsSync(ledger);
        vouched.set(stack, known);
        // From now on every create of the stack is journaled here; the time marks the folder in use.
        fs.mkdirSync(path.dirname(ledger), { recursive: true });
        fs.writeFileSync(ledger, JSON.stringify({ stack, followedSince: known ? undefined : now(), lastRun: now() }));
      }
      return known;
    },
  };
}

/** The open intents in a stack's folder (records cut short by a crash are left out: they name no object). */
function openRecords(folder: string): Array<CreateIntent & { key: string }> {
  let files: string[];
  try {
    files = fs.readdirSync(folder).filter((file) => file.endsWith(".json") && file !== LEDGER);
  } catch {
    return [];
  }
  return files.flatMap((file) => {
    try {
      return [JSON.parse(fs.readFileSync(path.join(folder, file), "utf8")) as CreateIntent & { key: string }];
    } catch {
      return [];
    }
  });
}

/**
 * Removes, in the background, what no run will read: files settles cut short by a crash left,
 * intents older than `JOURNAL_RETENTION_MS` (with their stack's ledger, so that the stack's next
 * run looks in Twilio rather than trusting a journal with a hole in it), the folders of stacks
 * no run has touched for as long (a stack removed, or one never deployed from here again), and
 * intents of the flat layout journals had before they kept a folder per stack.
 */
export async function expireJournal(dir: string, now: number): Promise<void> {
  const oldest = now - JOURNAL_RETENTION_MS;
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  await Promise.all(
    entries.map(async (entry) => {
      const full = path.join(dir, entry.name);
      if (!entry.isDirectory()) {
        // The flat layout: its intents belong to no ledger, and no run reads them any more.
        if (entry.name.endsWith(".json") || entry.name.endsWith(SETTLED) || entry.name.endsWith(".tmp")) await fs.promises.unlink(full).catch(() => undefined);
        return;
      }
      await expireStackFolder(full, oldest);
    }),
  );
}

async function expireStackFolder(folder: string, oldest: number): Promise<void> {
  const files = await fs.promises.readdir(folder).catch(() => [] as string[]);
  /** When a run last wrote here: its ledger, or its newest intent. */
  let lastTouched = 0;
  let dated = 0;
  let expired = false;
  for (const file of files) {
    const full = path.join(folder, file);
    if (file.endsWith(SETTLED)) {
      await fs.promises.unlink(full).catch(() => undefined);
      continue;
    }
    const modified = await fs.promises.stat(full).then((stat) => stat.mtimeMs, () => now());
    lastTouched = Math.max(lastTouched, modified);
    dated++;
    if (file !== LEDGER && modified < oldest) {
      await fs.promises.unlink(full).catch(() => undefined);
      expired = true;
    }
  }
  if (expired || (dated > 0 && lastTouched < oldest)) await fs.promises.rm(folder, { recursive: true, force: true });
}

const now = () => Date.now();

/**
 * The journal's folder: the stack config `twilio:journalDir`, else TWILIO_CONVERSATIONS_JOURNAL_DIR
 * (or its older name TWILIO_CONVERSATIONS_INTENTS_DIR), else `.twilio-conversations/intents` in
 * the project; a relative path is taken from the project folder. Read when the provider runs,
 * never stored in state: each machine keeps its own.
 */
export function journalDir(configured: string | undefined, env: Record<string, string | undefined>, cwd: string): string {
  const chosen = [configured, env.TWILIO_CONVERSATIONS_JOURNAL_DIR, env.TWILIO_CONVERSATIONS_INTENTS_DIR].map((value) => value?.trim()).find((value) => value);
  return chosen ? path.resolve(cwd, chosen) : path.join(cwd, ".twilio-conversations", "intents");
}

/** A resource's key in the journal: its stack and name, from its inputs. */
export function intentKey(inputs: Record<string, unknown>): string | null {
  return typeof inputs.resourceName === "string" && inputs.resourceName !== "" ? `${String(inputs.stack ?? "")}/${inputs.resourceName}` : null;
}
