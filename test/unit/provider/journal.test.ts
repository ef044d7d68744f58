// The create journal's folder (placed by config or the environment), its ledger per stack (what
// lets a run trust it, see client/create.ts), and its expiry: what no run will read is removed.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { JOURNAL_RETENTION_MS, expireJournal, fileJournal, journalDir, stackFolder } from "../../../provider/client/intents";

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "journal-unit-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Sets a file's modification time `ageMs` in the past. */
function age(file: string, ageMs: number): void {
  const when = new Date(Date.now() - ageMs);
  fs.utimesSync(file, when, when);
}

describe("journalDir", () => {
  it.each([
    ["the stack config wins", "ci-cache/journal", { TWILIO_CONVERSATIONS_JOURNAL_DIR: "/env" }, "/project/ci-cache/journal"],
    ["then TWILIO_CONVERSATIONS_JOURNAL_DIR", undefined, { TWILIO_CONVERSATIONS_JOURNAL_DIR: "/cache/j", TWILIO_CONVERSATIONS_INTENTS_DIR: "/old" }, "/cache/j"],
    ["then its older name", undefined, { TWILIO_CONVERSATIONS_INTENTS_DIR: "/old" }, "/old"],
    ["a blank value counts as unset", "  ", { TWILIO_CONVERSATIONS_JOURNAL_DIR: "" }, "/project/.twilio-conversations/intents"],
    ["else the project's folder", undefined, {}, "/project/.twilio-conversations/intents"],
  ])("%s", (_, configured, env, expected) => {
    expect(journalDir(configured, env, "/project")).toBe(expected);
  });
});

describe("the ledger", () => {
  it("a journal vouches for a stack only once it has followed it: the first process asks and starts the ledger, the next one trusts it", () => {
    const dir = tempDir();
    const first = fileJournal(dir);
    expect(first.vouchesFor("staging/support")).toBe(false);
    // The answer holds for the whole process: its creates were looked for.
    expect(first.vouchesFor("staging/other")).toBe(false);
    expect(fileJournal(dir).vouchesFor("staging/support")).toBe(true);
    // Another stack in the same folder is followed on its own.
    expect(fileJournal(dir).vouchesFor("dev/support")).toBe(false);
    expect(fs.readdirSync(dir).sort()).toEqual([stackFolder("dev"), stackFolder("staging")].sort());
  });

  it("keeps a stack's intents in its own folder, where other stacks' never name objects for it", async () => {
    const dir = tempDir();
    const journal = fileJournal(dir);
    await journal.put("staging/a", { sentAt: 1, sid: "CH1", sent: {} });
    await journal.put("dev/a", { sentAt: 1, sid: "CH2", sent: {} });
    expect([...journal.sidsOfOthers("staging/b")]).toEqual(["CH1"]);
    expect(journal.get("dev/a")?.sid).toBe("CH2");
  });
});

describe("expiry", () => {
  it("removes intents older than the bound with their stack's ledger (so the next run looks in Twilio), and keeps a recent stack whole", async () => {
    const dir = tempDir();
    const journal = fileJournal(dir);
    journal.vouchesFor("old/x");
    journal.vouchesFor("recent/x");
    await journal.put("old/a", { sentAt: 1, sid: "CH1", sent: {} });
    await journal.put("recent/a", { sentAt: 1, sid: "CH2", sent: {} });
    const oldFolder = path.join(dir, stackFolder("old"));
    for (const file of fs.readdirSync(oldFolder).filter((name) => name !== "ledger.json")) age(path.join(oldFolder, file), JOURNAL_RETENTION_MS + 60_000);
    await expireJournal(dir, Date.now());
    expect(fs.existsSync(oldFolder)).toBe(false);
    expect(fileJournal(dir).get("recent/a")?.sid).toBe("CH2");
    expect(fileJournal(dir).vouchesFor("recent/x")).toBe(true);
    expect(fileJournal(dir).vouchesFor("old/x")).toBe(false);
  });

  it("removes the folder of a stack no run has touched for the bound (a stack removed), settled leftovers, and the flat layout of older journals", async () => {
    const dir = tempDir();
    fileJournal(dir).vouchesFor("gone/x");
    const gone = path.join(dir, stackFolder("gone"));
    age(path.join(gone, "ledger.json"), JOURNAL_RETENTION_MS + 60_000);
    fs.writeFileSync(path.join(dir, "0123abcd.json"), JSON.stringify({ key: "s/a", sentAt: 1, sid: null, sent: {} }));
    fileJournal(dir).vouchesFor("live/x");
    const live = path.join(dir, stackFolder("live"));
    fs.writeFileSync(path.join(live, "abc.json.1-0.settled"), "{}");
    await expireJournal(dir, Date.now());
    expect(fs.readdirSync(dir)).toEqual([stackFolder("live")]);
    expect(fs.readdirSync(live)).toEqual(["ledger.json"]);
  });

  it("after 7,250 creates never settled, nothing of a stack untouched for the bound is left", async () => {
    const dir = tempDir();
    const journal = fileJournal(dir);
    journal.vouchesFor("seed/x");
    await Promise.all(Array.from({ length: 7250 }, (_, n) => journal.put(`seed/c${n}`, { sentAt: 1, sid: `CH${n}`, sent: {} })));
    const folder = path.join(dir, stackFolder("seed"));
    expect(fs.readdirSync(folder)).toHaveLength(7251);
    for (const file of fs.readdirSync(folder)) age(path.join(folder, file), JOURNAL_RETENTION_MS + 60_000);
    await expireJournal(dir, Date.now());
    expect(fs.readdirSync(dir)).toEqual([]);
  }, 60_000);
});
