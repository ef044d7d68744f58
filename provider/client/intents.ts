// Create intents, kept outside Pulumi's state. A create records what it is about to send before it
// sends it, and the SID once Twilio answers; the record is closed once the engine shows the object
// in state (a later diff, read, update or delete of that SID). An intent still open when the same
// resource is created again is the mark of an interrupted run (kill -9, lost machine, crash between
// Twilio's answer and the engine's checkpoint): only then does create look before it posts.
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
  /** The SIDs that the open intents of other resources name: objects their creates made. */
  sidsOfOthers(key: string): Set<string>;
}

/**
 * One small JSON file per create under `dir`; written before the request leaves. A settled intent
 * is renamed out of the way at once and its file removed in the background: the first look at a
 * freshly seeded stack settles every create of the seed, and removing a file costs several times
 * what renaming it does. A crash before the removal leaves a `.settled` file, which nothing reads
 * and the next journal over the directory removes.
 */
export function fileJournal(dir: string): IntentJournal {
  const fileOf = (key: string) => path.join(dir, crypto.createHash("sha256").update(key).digest("hex").slice(0, 32) + ".json");
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
  removeSettledFiles(dir, remove);
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
        await fs.promises.mkdir(dir, { recursive: true });
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
      let files: string[];
      try {
        files = fs.readdirSync(dir).filter((file) => file.endsWith(".json"));
      } catch {
        return sids;
      }
      for (const file of files) {
        try {
          const record = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as CreateIntent & { key: string };
          if (record.key !== key && typeof record.sid === "string") sids.add(record.sid);
        } catch {
          // Cut short by a crash while it was written: it names no object.
        }
      }
      return sids;
    },
  };
}

const SETTLED = ".settled";

/** Removes, in the background, what settles cut short by a crash left behind. */
function removeSettledFiles(dir: string, remove: (file: string) => void): void {
  fs.promises
    .readdir(dir)
    .then((files) => files.filter((file) => file.endsWith(SETTLED)).forEach((file) => remove(path.join(dir, file))))
    .catch(() => undefined);
}

/** The journal's directory: configured, else `.twilio-conversations/intents` in the project. */
export function journalDir(configured: string | undefined, cwd: string): string {
  return configured ?? path.join(cwd, ".twilio-conversations", "intents");
}

/** A resource's key in the journal: its stack and name, from its inputs. */
export function intentKey(inputs: Record<string, unknown>): string | null {
  return typeof inputs.resourceName === "string" && inputs.resourceName !== "" ? `${String(inputs.stack ?? "")}/${inputs.resourceName}` : null;
}
