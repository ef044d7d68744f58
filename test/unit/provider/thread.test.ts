// The seed thread's pure parts: how keyed messages make one ordered thread, and the steps that turn
// the thread Twilio holds into the one the stack declares.
import { describe, expect, it } from "vitest";
import { changedMessageFields, threadChanges, threadSteps, type MessageStep } from "../../../provider/diff/thread";
import { UNKNOWN } from "../../../provider/domain/unknown";
import {
  declaredThread,
  threadOrder,
  threadOrderProblem,
  type DeclaredMessage,
  type DeclaredThread,
  type RecordedMessage,
  type RecordedThread,
} from "../../../provider/resources/thread-model";

const HX = "HX" + "1".repeat(32);
const HX_OTHER = "HX" + "2".repeat(32);
const ME = "ME" + "3".repeat(32);

/** A thread of bodies, each after the one before, keyed as given. */
function bodies(...keys: string[]): DeclaredThread {
  return declaredThread(keys.map((key) => ({ key, body: `text of ${key}` })));
}

/**
 * The thread as Twilio would hold it after creating `declared` in order: indexes `step` apart from
 * `firstIndex`, each message's declared fields as Twilio shows them.
 */
function recordedAs(declared: DeclaredThread, firstIndex = 0, step = 1): RecordedThread {
  return Object.fromEntries(
    threadOrder(declared).map((key, position): [string, RecordedMessage] => [
      key,
      {
        sid: `IM${String(position).padStart(32, "0")}`,
        index: firstIndex + position * step,
        declared: declared[key],
        dateCreated: declared[key].dateCreated ?? `2024-05-01T10:00:0${position}Z`,
        dateUpdated: declared[key].dateUpdated ?? `2024-05-01T10:00:0${position}Z`,
      },
    ]),
  );
}

/** `declared` with message `key` patched (a field set to undefined is no longer declared). */
function withMessage(declared: DeclaredThread, key: string, patch: Partial<DeclaredMessage>): DeclaredThread {
  return { ...declared, [key]: { ...declared[key], ...patch } };
}

describe("threadOrder", () => {
  it.each<[string, DeclaredThread, string[]]>([
    ["no messages", {}, []],
    ["one message", bodies("only"), ["only"]],
    ["as listed", bodies("a", "b", "c"), ["a", "b", "c"]],
    ["listed in another order than the links give", { c: { after: "b", body: "3" }, a: { body: "1" }, b: { after: "a", body: "2" } }, ["a", "b", "c"]],
    ["a longer chain", { d: { after: "c", body: "4" }, a: { body: "1" }, c: { after: "b", body: "3" }, b: { after: "a", body: "2" } }, ["a", "b", "c", "d"]],
    ["a loop beside the first is left out", { a: { body: "1" }, b: { after: "c", body: "2" }, c: { after: "b", body: "3" } }, ["a"]],
    ["no first message: nothing is in order", { a: { after: "b", body: "1" }, b: { after: "a", body: "2" } }, []],
    ["a message after one that is not there is left out", { a: { body: "1" }, b: { after: "zz", body: "2" } }, ["a"]],
    ["keys that name Object's own members", declaredThread([{ key: "constructor", body: "1" }, { key: "tostring", body: "2" }]), ["constructor", "tostring"]],
  ])("%s", (_name, thread, expected) => {
    expect(threadOrder(thread)).toEqual(expected);
  });
});

describe("threadOrderProblem", () => {
  it.each<[string, DeclaredThread, string | null]>([
    ["no messages", {}, null],
    ["one thread", bodies("a", "b", "c"), null],
    ["one thread, listed out of order", { b: { after: "a", body: "2" }, a: { body: "1" } }, null],
    ["two first messages", { a: { body: "1" }, b: { body: "2" } }, 'exactly one message must have no "after" (the first); found 2'],
    ["no first message", { a: { after: "b", body: "1" }, b: { after: "a", body: "2" } }, 'exactly one message must have no "after" (the first); found 0'],
    ["after a key not in the thread", { a: { body: "1" }, b: { after: "gone", body: "2" } }, 'message "b" follows "gone", which is not in the thread'],
    [
      "after a key that names a member every object has",
      { a: { body: "1" }, b: { after: "constructor", body: "2" } },
      'message "b" follows "constructor", which is not in the thread',
    ],
    ["two messages after the same one", { a: { body: "1" }, b: { after: "a", body: "2" }, c: { after: "a", body: "3" } }, 'messages "b" and "c" both follow "a"'],
    ["a loop beside the first", { a: { body: "1" }, b: { after: "c", body: "2" }, c: { after: "b", body: "3" } }, 'the "after" links form a loop'],
    ["a message after itself", { a: { body: "1" }, b: { after: "b", body: "2" } }, 'the "after" links form a loop'],
  ])("%s", (_name, thread, expected) => {
    expect(threadOrderProblem(thread)).toBe(expected);
  });
});

describe("declaredThread", () => {
  it("links each message to the one before it, the first to none, and stores only what is declared", () => {
    expect(
      declaredThread([
        { key: "hello", author: "ada", body: "Hi", subject: undefined },
        { key: "1", body: "Second", attributes: { a: 1 }, dateCreated: "2024-03-01T09:00:00Z" },
        { key: "photo", mediaSid: ME, body: null as unknown as undefined },
      ]),
    ).toEqual({
      hello: { author: "ada", body: "Hi" },
      "1": { after: "hello", body: "Second", attributes: { a: 1 }, dateCreated: "2024-03-01T09:00:00Z" },
      photo: { after: "1", mediaSid: ME },
    });
  });

  it("makes a thread that threadOrder gives back in the same order, with no problem", () => {
    const thread = declaredThread(["z", "a", "m", "b"].map((key) => ({ key, body: key })));
    expect(threadOrder(thread)).toEqual(["z", "a", "m", "b"]);
    expect(threadOrderProblem(thread)).toBeNull();
  });

  it("of no messages is empty", () => {
    expect(declaredThread([])).toEqual({});
  });
});

describe("changedMessageFields", () => {
  const declared: DeclaredMessage = {
    author: "ada",
    body: "Hi",
    attributes: { priority: "high", tags: ["x", "y"] },
    subject: "Welcome",
    dateCreated: "2024-03-01T09:00:00Z",
    dateUpdated: "2024-03-01T09:05:00Z",
  };
  const recorded = recordedAs({ m: declared }).m;

  it.each<[string, Partial<DeclaredMessage>, string[]]>([
    ["nothing changed", {}, []],
    ["author", { author: "grace" }, ["author"]],
    ["body", { body: "Hello" }, ["body"]],
    ["body in another case", { body: "hi" }, ["body"]],
    ["attributes: another value", { attributes: { priority: "low", tags: ["x", "y"] } }, ["attributes"]],
    ["attributes: the same value, keys in another order", { attributes: { tags: ["x", "y"], priority: "high" } }, []],
    ["attributes: a list in another order is another value", { attributes: { priority: "high", tags: ["y", "x"] } }, ["attributes"]],
    ["subject", { subject: "Hello" }, ["subject"]],
    ["dateCreated: another second", { dateCreated: "2024-03-01T09:00:01Z" }, ["dateCreated"]],
    ["dateCreated: a fraction of the same second", { dateCreated: "2024-03-01T09:00:00.750Z" }, []],
    ["dateCreated: the same instant with milliseconds", { dateCreated: "2024-03-01T09:00:00.000Z" }, []],
    ["dateUpdated: another second", { dateUpdated: "2024-03-01T09:04:59Z" }, ["dateUpdated"]],
    ["dateUpdated: a fraction of the same second", { dateUpdated: "2024-03-01T09:05:00.999Z" }, []],
    ["several at once, in the table's order", { subject: "S", author: "grace", dateUpdated: "2024-03-01T09:06:00Z" }, ["author", "subject", "dateUpdated"]],
    ["fields left out are no longer managed", { author: undefined, body: undefined, attributes: undefined, subject: undefined, dateCreated: undefined, dateUpdated: undefined }, []],
    ["an unknown body (preview)", { body: UNKNOWN }, ["body"]],
    ["an unknown value inside the attributes", { attributes: { priority: UNKNOWN } }, ["attributes"]],
    ["create-only fields are not edits", { mediaSid: ME, contentSid: HX, contentVariables: { "1": "x" } }, []],
  ])("%s", (_name, patch, expected) => {
    expect(changedMessageFields(recorded, { ...declared, ...patch })).toEqual(expected);
  });

  it("a field declared now that was not before is compared with what Twilio holds", () => {
    const plain = recordedAs({ m: { body: "Hi" } }).m;
    expect(changedMessageFields(plain, { body: "Hi", author: "ada" })).toEqual(["author"]);
    expect(changedMessageFields(plain, { body: "Hi", attributes: {} })).toEqual(["attributes"]);
    // Twilio always holds dates: the one it holds is compared.
    expect(changedMessageFields(plain, { body: "Hi", dateCreated: plain.dateCreated! })).toEqual([]);
    expect(changedMessageFields(plain, { body: "Hi", dateCreated: "2020-01-01T00:00:00Z" })).toEqual(["dateCreated"]);
  });
});

describe("threadSteps", () => {
  const thread = declaredThread([
    { key: "opened", author: "+15005550006", body: "Hi, my order has not arrived", dateCreated: "2024-03-01T09:15:00Z" },
    { key: "ack", author: "agent-grace", body: "Sorry about that!", attributes: { internal: false } },
    { key: "tracking", author: "agent-grace", contentSid: HX, contentVariables: { "1": "Ada" } },
    { key: "photo", body: "This is the box", mediaSid: ME },
  ]);
  const held = recordedAs(thread, 0, 5);

  it("creates every message of a new thread, in order", () => {
    expect(threadSteps({}, thread)).toEqual([
      { key: "opened", action: "create" },
      { key: "ack", action: "create" },
      { key: "tracking", action: "create" },
      { key: "photo", action: "create" },
    ]);
  });

  it("needs nothing when Twilio holds what is declared", () => {
    expect(threadSteps(held, thread)).toEqual([]);
  });

  it.each<[string, Partial<DeclaredMessage>, string[]]>([
    ["author", { author: "agent-ada" }, ["author"]],
    ["body", { body: "Sorry about that, truly!" }, ["body"]],
    ["attributes", { attributes: { internal: true } }, ["attributes"]],
    ["subject", { subject: "Re: order" }, ["subject"]],
    ["dateCreated", { dateCreated: "2024-03-01T09:17:30Z" }, ["dateCreated"]],
    ["dateUpdated", { dateUpdated: "2024-03-01T09:18:00Z" }, ["dateUpdated"]],
  ])("edits %s in place, and only that message", (_name, patch, changed) => {
    expect(threadSteps(held, withMessage(thread, "ack", patch))).toEqual([{ key: "ack", action: "update", changed }]);
  });

  it("an edit Twilio would not see is no step: attributes reordered, a date to the same second", () => {
    const same = withMessage(withMessage(thread, "ack", { attributes: { internal: false } }), "opened", { dateCreated: "2024-03-01T09:15:00.400Z" });
    expect(threadSteps(held, same)).toEqual([]);
  });

  it.each<[string, string, Partial<DeclaredMessage>]>([
    ["contentSid", "tracking", { contentSid: HX_OTHER }],
    ["contentVariables", "tracking", { contentVariables: { "1": "Grace" } }],
    ["mediaSid", "photo", { mediaSid: "ME" + "4".repeat(32) }],
    ["mediaSid removed", "photo", { mediaSid: undefined }],
  ])("a %s change re-creates the message, and every later one after it", (field, key, patch) => {
    const steps = threadSteps(held, withMessage(thread, key, patch));
    const keys = ["opened", "ack", "tracking", "photo"];
    const expected: MessageStep[] = [{ key, action: "replace", cause: { field: field.replace(" removed", "") } }];
    for (let later = keys.indexOf(key) + 1, before = key; later < keys.length; before = keys[later], later++) {
      expected.push({ key: keys[later], action: "replace", cause: { after: before, because: "re-created" } });
    }
    expect(steps).toEqual(expected);
  });

  it("a contentSid change on the first message re-creates the whole thread; an edit of a later one is part of its re-creation", () => {
    const changed = withMessage(withMessage(thread, "opened", { contentSid: HX_OTHER, body: undefined }), "ack", { body: "Edited" });
    expect(threadSteps(held, changed)).toEqual([
      { key: "opened", action: "replace", cause: { field: "contentSid" } },
      { key: "ack", action: "replace", cause: { after: "opened", because: "re-created" } },
      { key: "tracking", action: "replace", cause: { after: "ack", because: "re-created" } },
      { key: "photo", action: "replace", cause: { after: "tracking", because: "re-created" } },
    ]);
  });

  it("a message inserted mid-thread is created, and the later ones re-created to come after it", () => {
    const inserted: DeclaredThread = {
      ...withMessage(thread, "tracking", { after: "note" }),
      note: { after: "ack", body: "Checking with the carrier" },
    };
    expect(threadSteps(held, inserted)).toEqual([
      { key: "note", action: "create" },
      { key: "tracking", action: "replace", cause: { after: "note", because: "inserted" } },
      { key: "photo", action: "replace", cause: { after: "tracking", because: "re-created" } },
    ]);
  });

  it("a message added at the end is the only step", () => {
    const added: DeclaredThread = { ...thread, thanks: { after: "photo", body: "Thanks" } };
    expect(threadSteps(held, added)).toEqual([{ key: "thanks", action: "create" }]);
  });

  it("a removed message is deleted, and the later ones stay as they are", () => {
    const removed = withMessage(thread, "tracking", { after: "opened" });
    delete (removed as Record<string, unknown>).ack;
    expect(threadSteps(held, removed)).toEqual([{ key: "ack", action: "delete" }]);
  });

  it("removed messages are deleted first, oldest first, before anything is created", () => {
    const rest: DeclaredThread = { opened: thread.opened, later: { after: "opened", body: "Later" } };
    expect(threadSteps(held, rest)).toEqual([
      { key: "ack", action: "delete" },
      { key: "tracking", action: "delete" },
      { key: "photo", action: "delete" },
      { key: "later", action: "create" },
    ]);
  });

  it("a removed thread deletes every message", () => {
    expect(threadSteps(held, {}).map((step) => [step.key, step.action])).toEqual([
      ["opened", "delete"],
      ["ack", "delete"],
      ["tracking", "delete"],
      ["photo", "delete"],
    ]);
  });

  it("a message moved earlier re-creates the one it passed, and those after", () => {
    // opened, tracking, ack, photo: tracking keeps its place (it is after opened); ack must now come after it.
    const reordered: DeclaredThread = {
      opened: thread.opened,
      tracking: { ...thread.tracking, after: "opened" },
      ack: { ...thread.ack, after: "tracking" },
      photo: { ...thread.photo, after: "ack" },
    };
    expect(threadSteps(held, reordered)).toEqual([
      { key: "ack", action: "replace", cause: { after: null, because: "moved" } },
      { key: "photo", action: "replace", cause: { after: "ack", because: "re-created" } },
    ]);
  });

  it("a kept message Twilio gives no index for is re-created, to be sure of its place", () => {
    const unplaced = { ...held, ack: { ...held.ack, index: null } };
    expect(threadSteps(unplaced, thread).map((step) => [step.key, step.action])).toEqual([
      ["ack", "replace"],
      ["tracking", "replace"],
      ["photo", "replace"],
    ]);
  });

  it("an edit, a removal and an addition together", () => {
    const changed: DeclaredThread = {
      opened: { ...thread.opened, body: "Hello, my order has not arrived" },
      ack: thread.ack,
      photo: { ...thread.photo, after: "ack" },
      thanks: { after: "photo", body: "Thanks" },
    };
    expect(threadSteps(held, changed)).toEqual([
      { key: "tracking", action: "delete" },
      { key: "opened", action: "update", changed: ["body"] },
      { key: "thanks", action: "create" },
    ]);
  });

  it("unknown values (preview): an unknown edit is an update, an unknown create-only field a re-creation", () => {
    expect(threadSteps(held, withMessage(thread, "ack", { body: UNKNOWN }))).toEqual([{ key: "ack", action: "update", changed: ["body"] }]);
    expect(threadSteps(held, withMessage(thread, "photo", { mediaSid: UNKNOWN }))).toEqual([
      { key: "photo", action: "replace", cause: { field: "mediaSid" } },
    ]);
    expect(threadSteps(held, withMessage(thread, "tracking", { contentVariables: { "1": UNKNOWN } })).map((step) => step.key)).toEqual(["tracking", "photo"]);
  });

  it("keys that name members every object has are messages like any other", () => {
    const declared = declaredThread([{ key: "constructor", body: "Hi" }, { key: "hasownproperty", body: "There" }]);
    expect(threadSteps({}, declared)).toEqual([
      { key: "constructor", action: "create" },
      { key: "hasownproperty", action: "create" },
    ]);
    expect(threadSteps(recordedAs(declared), declared)).toEqual([]);
    expect(threadSteps(recordedAs(declared), { hasownproperty: { body: "There" } })).toEqual([{ key: "constructor", action: "delete" }]);
  });
});

describe("threadChanges", () => {
  const thread = bodies("a", "b", "c");
  const held = recordedAs(thread);

  it.each<[string, boolean, RecordedThread, DeclaredThread]>([
    ["the same thread", false, held, thread],
    ["no thread, none declared", false, {}, {}],
    ["an edit", true, held, withMessage(thread, "b", { body: "edited" })],
    ["an added message", true, held, { ...thread, d: { after: "c", body: "d" } }],
    ["a removed message", true, held, { a: thread.a, c: { ...thread.c, after: "a" } }],
    ["a new thread", true, {}, thread],
    ["the whole thread unknown", true, held, UNKNOWN as unknown as DeclaredThread],
    ["one message unknown", true, held, { ...thread, b: UNKNOWN as unknown as DeclaredMessage }],
    ["one field unknown", true, held, withMessage(thread, "c", { body: UNKNOWN })],
  ])("%s → %s", (_name, expected, recorded, declared) => {
    expect(threadChanges(recorded, declared)).toBe(expected);
  });
});
