import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { hasChanges, planFromPreview, planFromRefresh, renderPlan, type EngineEvent, type PlanFormat, type PreviewJson } from "../../provider/plan/render";

/** Fixtures are `pulumi preview --json` of the real engine (test/e2e/record-plans.test.ts records them). */
function fixture(name: string): PreviewJson {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "plans", `${name}.json`), "utf8"));
}
const render = (name: string, format: PlanFormat = "text") => renderPlan(planFromPreview(fixture(name)), format);

describe("plan renderer on recorded previews", () => {
  it("no change", () => {
    expect(render("no-change")).toMatchInlineSnapshot(`"No changes."`);
  });

  it("a friendlyName edit renders in at most 5 lines, without bookkeeping inputs", () => {
    const text = render("rename");
    expect(text).toMatchInlineSnapshot(`
      "Plan: 1 to update
      ~ conversation support (update)
          friendlyName: "Support" → "Support desk""
    `);
    const markdown = render("rename", "markdown");
    expect(markdown).toMatchInlineSnapshot(`
      "**Plan: 1 to update**

      - \`~\` **update** conversation \`support\`
        - friendlyName: \`"Support"\` → \`"Support desk"\`"
    `);
    for (const output of [text, markdown]) {
      expect(output.split("\n").length).toBeLessThanOrEqual(5);
      expect(output).not.toMatch(/adopt|resourceName|webhooksEnabled|afterSid|afterIndex|conversationState|__provider/);
    }
    // the same preview through `pulumi preview --diff`
    expect(fs.readFileSync(path.join(__dirname, "..", "fixtures", "plans", "rename.diff.txt"), "utf8").trimEnd().split("\n").length).toBeGreaterThan(5);
  });

  it("an attribute change names the attribute as the stack file nests it", () => {
    expect(render("attribute-change")).toMatchInlineSnapshot(`
      "Plan: 1 to update
      ~ conversation support (update)
          attributes.tier: 2 → 1"
    `);
  });

  it("a body edit updates that message alone: its conversation, with no change of its own, has no line", () => {
    expect(render("body-edit")).toMatchInlineSnapshot(`
      "Plan: 1 to update
      ~ message support/hello (update)
          body: "Hi" → "Hello there""
    `);
    // the engine saw one update, of the conversation resource, whose inputs hold the thread
    const steps = fixture("body-edit").steps!.filter((step) => step.op !== "same");
    expect(steps.map((step) => [step.op, step.urn.split("::").pop()])).toEqual([["update", "support"]]);
  });

  it("a contentSid change replaces the message, and the one after it to keep the order, saying why", () => {
    expect(render("content-sid-change")).toMatchInlineSnapshot(`
      "Plan: 2 to replace
      +- message support/card (replace)
          contentSid: "HX00000000000000000000000000000001" → "HX00000000000000000000000000000002"
          why: contentSid can only be set at creation
      +- message support/bye (replace)
          why: the message before it (support/card) is re-created, so the thread keeps its order"
    `);
  });

  it("a message inserted mid-thread is created and the later ones re-created to keep the thread's order", () => {
    expect(render("message-inserted")).toMatchInlineSnapshot(`
      "Plan: 1 to create, 2 to replace
      + message support/faq (create)
          body: "See the FAQ"
      +- message support/card (replace)
          why: support/faq is inserted before it, so it is re-created to keep the thread's order
      +- message support/bye (replace)
          why: the message before it (support/card) is re-created, so the thread keeps its order"
    `);
  });

  it("a removed conversation is deleted with its messages", () => {
    expect(render("conversation-removed", "markdown")).toMatchInlineSnapshot(`
      "**Plan: 3 to delete**

      - \`-\` **delete** conversation \`lobby\`
      - \`-\` **delete** message \`lobby/welcome\`
        - _why:_ its conversation is removed
      - \`-\` **delete** message \`lobby/rules\`
        - _why:_ its conversation is removed"
    `);
  });

  it("the first preview after state with one Message resource per message moves them into their conversation: no delete; by conversation, whatever order the engine stepped in", () => {
    const fixtureSteps = fixture("take-over").steps!.filter((step) => step.op !== "same");
    // what the engine plans: each conversation updated (its outputs record no thread), each Message resource deleted
    expect(fixtureSteps.filter((step) => step.op === "delete" && step.urn.includes(":Message::"))).toHaveLength(5);
    expect(render("take-over")).toMatchInlineSnapshot(`
      "Plan: 5 to move into their conversation's resource
      ~ message lobby/welcome (moved into its conversation's resource; no request to Twilio)
          why: kept in Twilio as it is; the Message resource an earlier release made for it leaves the state
      ~ message lobby/rules (moved into its conversation's resource; no request to Twilio)
          why: kept in Twilio as it is; the Message resource an earlier release made for it leaves the state
      ~ message support/hello (moved into its conversation's resource; no request to Twilio)
          why: kept in Twilio as it is; the Message resource an earlier release made for it leaves the state
      ~ message support/card (moved into its conversation's resource; no request to Twilio)
          why: kept in Twilio as it is; the Message resource an earlier release made for it leaves the state
      ~ message support/bye (moved into its conversation's resource; no request to Twilio)
          why: kept in Twilio as it is; the Message resource an earlier release made for it leaves the state"
    `);
    expect(render("take-over", "markdown").split("\n").slice(0, 4)).toEqual([
      "**Plan: 5 to move into their conversation's resource**",
      "",
      "- `~` **moved into its conversation's resource; no request to Twilio** message `lobby/welcome`",
      "  - _why:_ kept in Twilio as it is; the Message resource an earlier release made for it leaves the state",
    ]);
    expect(JSON.parse(render("take-over", "json")).summary).toEqual({ create: 0, update: 0, replace: 0, delete: 0, move: 5, rename: 0, output: 0 });
  });

  it("a message edited in the same run as the take-over is re-created, with the ones after it", () => {
    expect(render("take-over-body-edit")).toMatchInlineSnapshot(`
      "Plan: 3 to replace, 2 to move into their conversation's resource
      ~ message lobby/welcome (moved into its conversation's resource; no request to Twilio)
          why: kept in Twilio as it is; the Message resource an earlier release made for it leaves the state
      ~ message lobby/rules (moved into its conversation's resource; no request to Twilio)
          why: kept in Twilio as it is; the Message resource an earlier release made for it leaves the state
      +- message support/hello (replace)
          body: "Hi" → "Hello there"
          why: its conversation's resource takes over only a message Twilio holds as declared: it is re-created, and the old one deleted
      +- message support/card (replace)
          why: the message before it (support/hello) is re-created, so the thread keeps its order
      +- message support/bye (replace)
          why: the message before it (support/card) is re-created, so the thread keeps its order"
    `);
  });

  it("json carries the same plan for tools", () => {
    const json = JSON.parse(render("content-sid-change", "json"));
    expect(json.changes).toBe(true);
    expect(json.summary).toEqual({ create: 0, update: 0, replace: 2, delete: 0, move: 0, rename: 0, output: 0 });
    expect(json.resources[0]).toEqual({
      kind: "message",
      name: "support/card",
      action: "replace",
      changes: [{ property: "contentSid", old: '"HX00000000000000000000000000000001"', new: '"HX00000000000000000000000000000002"' }],
      reasons: ["contentSid can only be set at creation"],
    });
  });
});

describe("plan renderer rules", () => {
  const urn = (type: string, name: string) => `urn:pulumi:s::twilio-conversations::twilio-conversations:index:ConversationsStack$pulumi-nodejs:dynamic/twilio-conversations:${type}::${name}`;

  it("masks secrets, shows unknown values as known after apply, and keeps a component's name prefix", () => {
    const plan = planFromPreview({
      steps: [
        {
          op: "update",
          urn: urn("Conversation", "desk/support"),
          oldState: { inputs: { friendlyName: "Old", attributes: { token: "[secret]" } }, outputs: { friendlyName: "Old", attributes: { token: "[secret]" } } },
          newState: { inputs: { friendlyName: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", attributes: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: { token: "hunter2" } } } },
        },
      ],
    });
    const text = renderPlan(plan, "text");
    expect(text).toMatchInlineSnapshot(`
      "Plan: 1 to update
      ~ conversation desk/support (update)
          friendlyName: "Old" → (known after apply)
          attributes: {token: [secret]} → [secret]"
    `);
    expect(text).not.toContain("hunter2");
  });

  it("shows adopt and webhooksEnabled only when they change; a replacement of another service says so", () => {
    const plan = planFromPreview({
      steps: [
        {
          op: "replace",
          urn: urn("Conversation", "support"),
          replaceReasons: ["chatServiceSid"],
          oldState: { inputs: { adopt: "never", webhooksEnabled: false, chatServiceSid: "IS1", resourceName: "support" }, outputs: {} },
          newState: { inputs: { adopt: "never", webhooksEnabled: true, chatServiceSid: "IS2", resourceName: "support" } },
        },
      ],
    });
    expect(renderPlan(plan, "text")).toMatchInlineSnapshot(`
      "Plan: 1 to replace
      +- conversation support (replace)
          webhooksEnabled: false → true
          chatServiceSid: "IS1" → "IS2"
          why: chatServiceSid can only be set at creation"
    `);
  });

  it("a message whose conversation is re-created says so", () => {
    const plan = planFromPreview({
      steps: [{ op: "replace", urn: urn("Message", "support/hello"), replaceReasons: ["conversationSid"], oldState: { inputs: {} }, newState: { inputs: {} } }],
    });
    expect(plan.resources[0].reasons).toEqual(["the conversation is re-created"]);
  });
});

describe("a conversation's seed thread, message by message", () => {
  const urn = (type: string, name: string) => `urn:pulumi:s::twilio-conversations::pulumi-nodejs:dynamic/twilio-conversations:${type}::${name}`;
  const held = (index: number, declared: Record<string, unknown>) => ({ sid: `IM${index}`, index, declared, dateCreated: "2026-01-01T00:00:00Z", dateUpdated: "2026-01-01T00:00:00Z" });
  const THREAD = { hello: held(0, { body: "Hi" }), card: held(1, { after: "hello", contentSid: "HX1" }), bye: held(2, { after: "card", body: "Bye" }) };
  const declaredOf = (thread: Record<string, { declared: Record<string, unknown> }>) => Object.fromEntries(Object.entries(thread).map(([key, message]) => [key, message.declared]));
  const conversation = (op: string, messages: unknown, options: { recorded?: object; friendlyName?: string; replaceReasons?: string[] } = {}) => {
    const recorded = options.recorded ?? THREAD;
    return {
      op,
      urn: urn("Conversation", "support"),
      ...(options.replaceReasons ? { replaceReasons: options.replaceReasons } : {}),
      oldState: { inputs: { friendlyName: "Support", messages: declaredOf(recorded as typeof THREAD) }, outputs: { friendlyName: "Support", messages: recorded } },
      newState: { inputs: { friendlyName: options.friendlyName ?? "Support", ...(messages === undefined ? {} : { messages }) } },
    };
  };
  const text = (...steps: object[]) => renderPlan(planFromPreview({ steps: steps as PreviewJson["steps"] }), "text");

  it("a new conversation lists its messages as creates, each with its declared fields", () => {
    const step = { op: "create", urn: urn("Conversation", "support"), newState: { inputs: { friendlyName: "Support", messages: { hello: { body: "Hi", attributes: { lang: "en" } }, card: { after: "hello", contentSid: "HX1" } } } } };
    expect(text(step)).toMatchInlineSnapshot(`
      "Plan: 3 to create
      + conversation support (create)
          friendlyName: "Support"
      + message support/hello (create)
          body: "Hi"
          attributes.lang: "en"
      + message support/card (create)
          contentSid: "HX1""
    `);
  });

  it("an update names the conversation's own change and each message that changes, old = what Twilio held; a removed message is deleted first", () => {
    const { card: _card, ...rest } = declaredOf(THREAD);
    const messages = { ...rest, hello: { body: "Hello" }, bye: { after: "hello", body: "Bye" } };
    expect(text(conversation("update", messages, { friendlyName: "Support desk" }))).toMatchInlineSnapshot(`
      "Plan: 2 to update, 1 to delete
      ~ conversation support (update)
          friendlyName: "Support" → "Support desk"
      - message support/card (delete)
      ~ message support/hello (update)
          body: "Hi" → "Hello""
    `);
  });

  it("a date declared for the first time changes from the date Twilio gave the message", () => {
    const messages = { ...declaredOf(THREAD), hello: { body: "Hi", dateUpdated: "2026-02-01T00:00:00Z" } };
    expect(planFromPreview({ steps: [conversation("update", messages)] }).resources).toEqual([
      { kind: "message", name: "support/hello", action: "update", changes: [{ property: "dateUpdated", old: '"2026-01-01T00:00:00Z"', new: '"2026-02-01T00:00:00Z"' }], reasons: [] },
    ]);
  });

  it("a message moved earlier in the thread is re-created, and the ones after it", () => {
    const messages = { bye: { body: "Bye" }, hello: { after: "bye", body: "Hi" }, card: { after: "hello", contentSid: "HX1" } };
    expect(text(conversation("update", messages))).toMatchInlineSnapshot(`
      "Plan: 2 to replace
      +- message support/hello (replace)
          why: it moves in the thread, so it is re-created to keep the thread's order
      +- message support/card (replace)
          why: the message before it (support/hello) is re-created, so the thread keeps its order"
    `);
  });

  it("a message re-created for the order whose create-only field also changes says both", () => {
    const messages = { hello: { body: "Hi" }, faq: { after: "hello", body: "FAQ" }, card: { after: "faq", contentSid: "HX2" }, bye: { after: "card", body: "Bye" } };
    const card = planFromPreview({ steps: [conversation("update", messages)] as PreviewJson["steps"] }).resources.find((resource) => resource.name === "support/card");
    expect(card).toEqual({
      kind: "message",
      name: "support/card",
      action: "replace",
      changes: [{ property: "contentSid", old: '"HX1"', new: '"HX2"' }],
      reasons: ["support/faq is inserted before it, so it is re-created to keep the thread's order", "contentSid can only be set at creation"],
    });
  });

  it("a replaced conversation re-creates its messages, creates new ones and drops removed ones", () => {
    const messages = { hello: { body: "Hello" }, faq: { after: "hello", body: "FAQ" } };
    const step = conversation("replace", messages, { replaceReasons: ["chatServiceSid"], recorded: { hello: THREAD.hello, bye: held(1, { after: "hello", body: "Bye" }) } });
    expect(text(step)).toMatchInlineSnapshot(`
      "Plan: 1 to create, 2 to replace, 1 to delete
      +- conversation support (replace)
          why: chatServiceSid can only be set at creation
      - message support/bye (delete)
      +- message support/hello (replace)
          body: "Hi" → "Hello"
          why: the conversation is re-created
      + message support/faq (create)
          body: "FAQ""
    `);
  });

  it("a thread preview cannot know yet is the conversation's change, not a list of guesses", () => {
    expect(text(conversation("update", "04da6b54-80e4-46f7-96ec-b56ff0331ba9"))).toMatchInlineSnapshot(`
      "Plan: 1 to update
      ~ conversation support (update)
          messages: (known after apply)"
    `);
  });

  it("lists by conversation, whatever order the engine stepped through them in", () => {
    const support = conversation("update", { ...declaredOf(THREAD), hello: { body: "Hello" } });
    const lobby = { ...conversation("update", declaredOf(THREAD), { friendlyName: "Lobby" }), urn: urn("Conversation", "lobby") };
    expect(planFromPreview({ steps: [support, lobby] }).resources.map((r) => r.name)).toEqual(["lobby", "support/hello"]);
  });

  it("an update that changes neither the conversation nor a message says it is bookkeeping", () => {
    expect(text(conversation("update", declaredOf(THREAD)))).toMatchInlineSnapshot(`
      "Plan: 1 to update
      ~ conversation support (update)
          why: provider bookkeeping only (no request to Twilio)"
    `);
  });
});

describe("the take-over of state with one Message resource per message", () => {
  const urn = (type: string, name: string) => `urn:pulumi:s::twilio-conversations::pulumi-nodejs:dynamic/twilio-conversations:${type}::${name}`;
  /** A Message resource of the earlier release, deleted by the engine since the program no longer declares it. */
  const messageResource = (key: string, index: number, declared: Record<string, unknown>) => ({
    op: "delete",
    urn: urn("Message", `support/${key}`),
    oldState: {
      inputs: { ...declared, conversationSid: "CH1", resourceName: `support/${key}` },
      outputs: { author: "system", body: null, attributes: {}, ...declared, sid: `IM${index}`, index, dateCreated: "2026-01-01T00:00:00Z", dateUpdated: "2026-01-01T00:00:00Z" },
    },
  });
  /** The conversation, recorded before its outputs held a thread. */
  const conversation = (op: string, messages?: object, replaceReasons?: string[]) => ({
    op,
    urn: urn("Conversation", "support"),
    ...(replaceReasons ? { replaceReasons } : {}),
    oldState: { inputs: { friendlyName: "Support" }, outputs: { friendlyName: "Support" } },
    newState: { inputs: { friendlyName: "Support", ...(messages ? { messages } : {}) } },
  });
  const plan = (...steps: object[]) => planFromPreview({ steps: steps as PreviewJson["steps"] });

  it("takes each message over in order while Twilio holds it as declared; a new one is created and the later ones re-created; a removed one is deleted", () => {
    const steps = [
      conversation("update", { hello: { body: "Hi" }, faq: { after: "hello", body: "FAQ" }, bye: { after: "faq", body: "Bye" } }),
      messageResource("old", 2, { body: "Old" }),
      messageResource("bye", 1, { body: "Bye" }),
      messageResource("hello", 0, { body: "Hi" }),
    ];
    expect(renderPlan(plan(...steps), "text")).toMatchInlineSnapshot(`
      "Plan: 1 to create, 1 to replace, 1 to delete, 1 to move into their conversation's resource
      - message support/old (delete)
      ~ message support/hello (moved into its conversation's resource; no request to Twilio)
          why: kept in Twilio as it is; the Message resource an earlier release made for it leaves the state
      + message support/faq (create)
          body: "FAQ"
      +- message support/bye (replace)
          why: support/faq is inserted before it, so it is re-created to keep the thread's order"
    `);
  });

  it("a field declared before and no longer is held by Twilio still: that message is re-created, saying what goes", () => {
    expect(plan(conversation("update", { hello: { body: "Hi" } }), messageResource("hello", 0, { author: "agent", body: "Hi" })).resources).toEqual([
      {
        kind: "message",
        name: "support/hello",
        action: "replace",
        changes: [{ property: "author", old: '"agent"' }],
        reasons: ["its conversation's resource takes over only a message Twilio holds as declared: it is re-created, and the old one deleted"],
      },
    ]);
  });

  it("messages out of their recorded order: the first is taken over, the one now after it re-created", () => {
    const steps = [conversation("update", { bye: { body: "Bye" }, hello: { after: "bye", body: "Hi" } }), messageResource("hello", 0, { body: "Hi" }), messageResource("bye", 1, { body: "Bye" })];
    expect(plan(...steps).resources.map((r) => [r.action, r.name, ...r.reasons])).toEqual([
      ["move", "support/bye", "kept in Twilio as it is; the Message resource an earlier release made for it leaves the state"],
      ["replace", "support/hello", "it moves in the thread, so it is re-created to keep the thread's order"],
    ]);
  });

  it("with its conversation re-created or removed, the messages go with it; without a thread declared, a message resource's delete is a delete", () => {
    const hello = messageResource("hello", 0, { body: "Hi" });
    expect(plan(conversation("replace", { hello: { body: "Hi" } }, ["chatServiceSid"]), hello).resources.map((r) => [r.action, r.name, ...r.reasons])).toEqual([
      ["replace", "support", "chatServiceSid can only be set at creation"],
      ["replace", "support/hello", "the conversation is re-created"],
    ]);
    expect(plan(hello, conversation("delete")).resources.map((r) => [r.action, r.name, ...r.reasons])).toEqual([
      ["delete", "support"],
      ["delete", "support/hello", "its conversation is removed"],
    ]);
    // the stack file no longer seeds the conversation: the old message resource deletes its message
    const withoutThread = plan(hello, { ...conversation("update"), newState: { inputs: { friendlyName: "Support desk" } } });
    expect(withoutThread.resources.map((r) => [r.action, r.name])).toEqual([
      ["update", "support"],
      ["delete", "support/hello"],
    ]);
    expect(withoutThread.counts).toMatchObject({ update: 1, delete: 1, move: 0 });
  });
});

describe("plan renderer bookkeeping", () => {
  const urn = (name: string) => `urn:pulumi:s::twilio-conversations::pulumi-nodejs:dynamic/twilio-conversations:Message::${name}`;

  it("a message update that only records the conversation's state says so in words, without conversationState", () => {
    const plan = planFromPreview({
      steps: [
        {
          op: "update",
          urn: urn("support/hello"),
          oldState: { inputs: { body: "Hi", conversationState: "active", afterIndex: null }, outputs: { body: "Hi", conversationState: "active" } },
          newState: { inputs: { body: "Hi", conversationState: "closed", afterIndex: null } },
        },
      ],
    });
    expect(renderPlan(plan, "text")).toMatchInlineSnapshot(`
      "Plan: 1 to update
      ~ message support/hello (update)
          why: records the conversation's new state (no request to Twilio)"
    `);
  });
});

describe("plan renderer across the change that stopped storing undeclared inputs", () => {
  const URN = "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/twilio-conversations:Message::support/welcome";
  it("a replacement of a message whose state holds explicit nulls and defaults lists only the declared change", () => {
    const step = {
      op: "replace",
      urn: URN,
      replaceReasons: ["mediaSid"],
      oldState: {
        inputs: { author: "system", body: "Hi", mediaSid: "ME1", subject: null, attributes: null, webhooksEnabled: false },
        outputs: { author: "system", body: "Hi", mediaSid: "ME1", subject: null, attributes: null, webhooksEnabled: false },
      },
      newState: { inputs: { author: "system", body: "Hi", mediaSid: "ME2" } },
    };
    const plan = planFromPreview({ steps: [step] });
    expect(plan.resources[0].changes).toEqual([{ property: "mediaSid", old: '"ME1"', new: '"ME2"' }]);
  });
});

/**
 * `pulumi refresh --preview-only --json` and the engine's event log of the same run, recorded by
 * test/e2e/record-plans.test.ts (`RECORD_PLANS=1 … -t drift`): after `up`, the stack file renames
 * `support` (not applied); for `drift`, Twilio then had support's friendlyName and attributes.tier
 * and support/hello's body changed by hand, and the lobby conversation deleted.
 */
function refreshFixture(name: string): { json: PreviewJson; events: EngineEvent[] } {
  const dir = path.join(__dirname, "..", "fixtures", "plans");
  const events = fs.readFileSync(path.join(dir, `${name}.events.jsonl`), "utf8").trim().split("\n").map((line) => JSON.parse(line));
  return { json: JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), "utf8")), events };
}
const drift = (name: string, format: PlanFormat = "text") => {
  const { json, events } = refreshFixture(name);
  return renderPlan(planFromRefresh(json, events), format);
};

describe("drift report on recorded refresh previews", () => {
  it("an edit to the stack file that is not applied is not drift", () => {
    const { json, events } = refreshFixture("drift-none");
    expect(hasChanges(planFromRefresh(json, events))).toBe(false);
    expect(drift("drift-none")).toMatchInlineSnapshot(`"No drift: Twilio holds what the last up recorded."`);
    expect(JSON.parse(drift("drift-none", "json"))).toEqual({
      drift: true,
      changes: false,
      summary: { create: 0, update: 0, replace: 0, delete: 0, move: 0, rename: 0, output: 0 },
      resources: [],
    });
  });

  it("names each property changed outside, recorded → Twilio now, and objects deleted outside as gone", () => {
    expect(drift("drift")).toMatchInlineSnapshot(`
      "Drift (recorded at the last up → in Twilio now): 2 changed, 3 gone
      - conversation lobby (gone)
      - message lobby/welcome (gone)
          why: its conversation is gone
      - message lobby/rules (gone)
          why: its conversation is gone
      ~ conversation support (changed)
          friendlyName: "Support" → "Renamed by hand"
          attributes.tier: 2 → 1
      ~ message support/hello (changed)
          body: "Hi" → "Edited by hand""
    `);
    expect(drift("drift", "markdown")).toMatchInlineSnapshot(`
      "**Drift (recorded at the last up → in Twilio now): 2 changed, 3 gone**

      - \`-\` **gone** conversation \`lobby\`
      - \`-\` **gone** message \`lobby/welcome\`
        - _why:_ its conversation is gone
      - \`-\` **gone** message \`lobby/rules\`
        - _why:_ its conversation is gone
      - \`~\` **changed** conversation \`support\`
        - friendlyName: \`"Support"\` → \`"Renamed by hand"\`
        - attributes.tier: \`2\` → \`1\`
      - \`~\` **changed** message \`support/hello\`
        - body: \`"Hi"\` → \`"Edited by hand"\`"
    `);
    // the unapplied rename in the stack file ("Support desk") plays no part
    expect(drift("drift")).not.toContain("Support desk");
  });

  it("json says it is a drift report, with the same resources", () => {
    const json = JSON.parse(drift("drift", "json"));
    expect(json).toMatchObject({ drift: true, changes: true, summary: { create: 0, update: 2, replace: 0, delete: 3 } });
    expect(json.resources.find((resource: { name: string }) => resource.name === "support")).toEqual({
      kind: "conversation",
      name: "support",
      action: "update",
      changes: [
        { property: "friendlyName", old: '"Support"', new: '"Renamed by hand"' },
        { property: "attributes.tier", old: "2", new: "1" },
      ],
      reasons: [],
    });
  });

  it("without the event log, the refresh's own --json names only what was deleted, and counts the rest: never a false green", () => {
    const { json } = refreshFixture("drift");
    const plan = planFromRefresh(json);
    expect(hasChanges(plan)).toBe(true);
    // the engine counts resources: support, whose thread drifted with it, is one
    expect(plan.unnamed).toBe(1);
    expect(renderPlan(plan, "text").split("\n")[0]).toBe("Drift (recorded at the last up → in Twilio now): 3 gone, 1 more the engine counted without naming them");
  });
});

describe("drift report rules", () => {
  const urn = (type: string, name: string) => `urn:pulumi:s::twilio-conversations::pulumi-nodejs:dynamic/twilio-conversations:${type}::${name}`;
  const outputsEvent = (op: string, name: string, old: object, next?: object): EngineEvent => ({
    resOutputsEvent: { metadata: { op, urn: urn("Conversation", name), old, ...(next ? { new: next } : {}) } },
  });

  it("a resource the engine finds the same is not drift, even when Twilio's bookkeeping moved (a timer's state, dateUpdated)", () => {
    const old = { inputs: { state: "active", timers: { inactive: "PT1H" } }, outputs: { declared: ["state", "timers"], state: "active", dateUpdated: "2026-01-01T00:00:00Z" } };
    const next = { inputs: { state: "inactive" }, outputs: { declared: ["state", "timers"], state: "inactive", dateUpdated: "2026-01-02T00:00:00Z" } };
    const plan = planFromRefresh({ steps: [{ op: "refresh", urn: urn("Conversation", "support") }], changeSummary: { same: 1 } }, [outputsEvent("same", "support", old, next)]);
    expect(hasChanges(plan)).toBe(false);
  });

  it("messages drift inside their conversation's outputs: each is named, and the conversation, unchanged itself, has no line", () => {
    const message = (index: number, declared: object, dateUpdated = "2026-01-01T00:00:00Z") => ({ sid: `IM${index}`, index, declared, dateCreated: "2026-01-01T00:00:00Z", dateUpdated });
    const outputs = (messages: object) => ({ declared: ["friendlyName"], friendlyName: "Support", messages });
    const old = { inputs: { friendlyName: "Support" }, outputs: outputs({ hello: message(0, { body: "Hi" }), bye: message(1, { after: "hello", body: "Bye" }) }) };
    // refresh drops a message deleted outside from the thread; Twilio's own dateUpdated moved with the edit, and is not declared
    const next = { inputs: { friendlyName: "Support" }, outputs: outputs({ hello: message(0, { body: "Edited by hand" }, "2026-01-02T00:00:00Z") }) };
    const plan = planFromRefresh({ changeSummary: { update: 1 } }, [outputsEvent("update", "support", old, next)]);
    expect(renderPlan(plan, "text")).toMatchInlineSnapshot(`
      "Drift (recorded at the last up → in Twilio now): 1 changed, 1 gone
      ~ message support/hello (changed)
          body: "Hi" → "Edited by hand"
      - message support/bye (gone)"
    `);
    expect(plan.unnamed).toBeUndefined();
  });

  it("leaves an unchanged secret out, says when a property was not set before, and shows a removed one", () => {
    const old = { inputs: { attributes: { token: "[secret]" }, messagingServiceSid: "MG1" }, outputs: { declared: ["attributes", "messagingServiceSid", "friendlyName"], attributes: { token: "[secret]" }, messagingServiceSid: "MG1", friendlyName: null } };
    const next = { outputs: { declared: ["attributes", "messagingServiceSid", "friendlyName"], attributes: { token: "[secret]", extra: 1 }, messagingServiceSid: null, friendlyName: "Set by hand" } };
    const plan = planFromRefresh({ changeSummary: { update: 1 } }, [outputsEvent("update", "desk/support", old, next)]);
    expect(renderPlan(plan, "text")).toMatchInlineSnapshot(`
      "Drift (recorded at the last up → in Twilio now): 1 changed
      ~ conversation desk/support (changed)
          messagingServiceSid: "MG1" → (removed)
          attributes.extra: (not set) → 1
          friendlyName: (not set) → "Set by hand""
    `);
    expect(plan.unnamed).toBeUndefined();
  });
});

describe("a conversation's participants and scoped webhooks, one by one", () => {
  const urn = `urn:pulumi:s::twilio-conversations::pulumi-nodejs:dynamic/twilio-conversations:Conversation::desk`;
  const ada = { sid: "MB1", declared: { identity: "ada", attributes: { role: "agent" } }, held: { identity: "ada", attributes: { role: "agent" }, roleSid: "RL1" } };
  const grace = { sid: "MB2", declared: { identity: "grace" }, held: { identity: "grace", attributes: {} } };
  const crm = {
    sid: "WH1",
    declared: { target: "webhook", url: "https://a.example/h", filters: ["onMessageAdded"] },
    held: { target: "webhook", url: "https://a.example/h", method: "POST", filters: ["onMessageAdded"] },
  };
  const recorded = { participants: { ada, grace }, scopedWebhooks: { crm } };
  const step = (op: string, inputs: Record<string, unknown>) => ({
    op,
    urn,
    oldState: { inputs: { participants: { ada: ada.declared, grace: grace.declared }, scopedWebhooks: { crm: crm.declared } }, outputs: recorded },
    newState: { inputs },
  });
  const text = (...steps: object[]) => renderPlan(planFromPreview({ steps: steps as PreviewJson["steps"] }), "text");

  it("a new conversation lists them as creates, before its messages", () => {
    const create = { op: "create", urn, newState: { inputs: { participants: { ada: ada.declared }, scopedWebhooks: { crm: crm.declared }, messages: { hi: { body: "Hi", author: "ada" } } } } };
    expect(text(create)).toMatchInlineSnapshot(`
      "Plan: 4 to create
      + conversation desk (create)
      + participant desk/ada (create)
          identity: "ada"
          attributes.role: "agent"
      + webhook desk/crm (create)
          target: "webhook"
          url: "https://a.example/h"
          filters: ["onMessageAdded"]
      + message desk/hi (create)
          body: "Hi"
          author: "ada""
    `);
  });

  it("an update names each one that changes: in place old → new, re-created with the field that makes it so, deleted; the conversation itself has no line", () => {
    const update = step("update", {
      participants: { ada: { identity: "ada", attributes: { role: "lead" } }, sms: { messagingBinding: { address: "+15551234567", proxyAddress: "+15557654321" } } },
      scopedWebhooks: { crm: { target: "trigger", url: "https://a.example/h", triggers: ["help"] } },
    });
    expect(text(update)).toMatchInlineSnapshot(`
      "Plan: 1 to create, 1 to update, 1 to replace, 1 to delete
      - participant desk/grace (delete)
      ~ participant desk/ada (update)
          attributes.role: "agent" → "lead"
      + participant desk/sms (create)
          messagingBinding.address: "+15551234567"
          messagingBinding.proxyAddress: "+15557654321"
      +- webhook desk/crm (replace)
          target: "webhook" → "trigger"
          filters: ["onMessageAdded"] → (removed)
          triggers: ["help"]
          why: target can only be set at creation"
    `);
  });

  it("nothing changed: no line; a removed conversation deletes them with it", () => {
    expect(text(step("update", { participants: { ada: ada.declared, grace: grace.declared }, scopedWebhooks: { crm: crm.declared } }))).toContain("bookkeeping");
    expect(text({ ...step("delete", {}), newState: undefined })).toMatchInlineSnapshot(`
      "Plan: 4 to delete
      - conversation desk (delete)
      - participant desk/ada (delete)
          why: its conversation is removed
      - participant desk/grace (delete)
          why: its conversation is removed
      - webhook desk/crm (delete)
          why: its conversation is removed"
    `);
  });

  it("drift: a participant changed or gone in Twilio, by its declared fields", () => {
    const now = { participants: { ada: { ...ada, held: { ...ada.held, attributes: { role: "changed" }, roleSid: "RL2" } } }, scopedWebhooks: { crm } };
    const plan = planFromRefresh({ steps: [{ op: "update", urn, oldState: { outputs: recorded }, newState: { outputs: now } as { inputs?: Record<string, unknown> } }] });
    expect(renderPlan(plan, "text")).toMatchInlineSnapshot(`
      "Drift (recorded at the last up → in Twilio now): 1 changed, 1 gone
      ~ participant desk/ada (changed)
          attributes.role: "agent" → "changed"
      - participant desk/grace (gone)"
    `);
  });
});

describe("plan renderer on the environment's resources", () => {
  const urn = "urn:pulumi:staging::twilio-conversations::pulumi-nodejs:dynamic/twilio-conversations:ServiceConfiguration::service-configuration";

  it("names a setting by the stack file's key, not the property that holds a SID", () => {
    const inputs = { defaultConversationRoleSid: "RL00000000000000000000000000000001", reachabilityEnabled: false };
    const plan = planFromPreview({
      steps: [
        {
          op: "update",
          urn,
          oldState: { inputs, outputs: { ...inputs, adopted: false } },
          newState: { inputs: { ...inputs, defaultConversationRoleSid: "RL00000000000000000000000000000002", reachabilityEnabled: true } },
        },
      ],
    });
    expect(renderPlan(plan, "text")).toMatchInlineSnapshot(`
      "Plan: 1 to update
      ~ service configuration service-configuration (update)
          defaultConversationRole: "RL00000000000000000000000000000001" → "RL00000000000000000000000000000002"
          reachabilityEnabled: false → true"
    `);
  });
});

describe("a rename in the plan", () => {
  const urn = (name: string) => `urn:pulumi:dev::proj::twilio-conversations:index:ConversationsStack$pulumi-nodejs:dynamic/twilio-conversations:Conversation::${name}`;
  const state = { inputs: { uniqueName: "claim-7731", friendlyName: "Water", messages: {} }, outputs: { uniqueName: "claim-7731", friendlyName: "Water", messages: {} } };

  it("a step the engine calls same but that moves the resource to a new name is a rename, a change", () => {
    const preview: PreviewJson = { steps: [{ op: "same", urn: urn("claim-7731-water"), oldState: { urn: urn("claim-7731"), ...state }, newState: { inputs: state.inputs } }] };
    const plan = planFromPreview(preview);
    expect(hasChanges(plan)).toBe(true);
    expect(renderPlan(plan, "text")).toBe(
      [
        "Plan: 1 to rename in the stack's state",
        "~ conversation claim-7731-water (renamed, recorded in state, no request to Twilio)",
        "    why: it was claim-7731 (renamedFrom): the stack's state records it under its new name",
      ].join("\n"),
    );
  });

  it("a same step under its own name is no change", () => {
    const preview: PreviewJson = { steps: [{ op: "same", urn: urn("claim-7731"), oldState: { urn: urn("claim-7731"), ...state }, newState: { inputs: state.inputs } }] };
    expect(renderPlan(planFromPreview(preview), "text")).toBe("No changes.");
  });
});

describe("the stack's outputs in the plan (the root stack's outputs event of the preview's event log)", () => {
  const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
  const STACK_URN = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev";
  const conversation = (name: string) => `urn:pulumi:dev::proj::pulumi-nodejs:dynamic/twilio-conversations:Conversation::${name}`;
  const outputsEvent = (old: Record<string, unknown>, next: Record<string, unknown>): EngineEvent => ({
    resOutputsEvent: { metadata: { op: "same", urn: STACK_URN, old: { outputs: old }, new: { outputs: next } } },
  });
  const state = { inputs: { uniqueName: "claim", messages: {} }, outputs: { uniqueName: "claim", messages: {} } };

  it("an output that changes, appears or goes is a change of its own kind; one the preview cannot know yet, or a masked secret, is not", () => {
    const recorded = { team: "support", gone: 1, token: "[secret]", sids: { a: "CH1" } };
    const next = { team: "sales", token: "[secret]", sids: { a: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }, region: "eu" };
    const plan = planFromPreview({ steps: [{ op: "same", urn: STACK_URN }] }, [outputsEvent(recorded, recorded), outputsEvent(recorded, next)]);
    expect(hasChanges(plan)).toBe(true);
    expect(renderPlan(plan, "text")).toBe(
      [
        "Plan: 3 to change in the stack's outputs",
        "~ output team (stack output, recorded in state, no request to Twilio)",
        '    team: "support" → "sales"',
        "~ output gone (stack output, recorded in state, no request to Twilio)",
        "    gone: 1 → (removed)",
        "~ output region (stack output, recorded in state, no request to Twilio)",
        '    region: "eu"',
      ].join("\n"),
    );
    expect(JSON.parse(renderPlan(plan, "json")).summary.output).toBe(3);
  });

  it("the entries of a map the preview cannot know yet as a whole are not removed (a group member's messages before its group's update)", () => {
    const recorded = { conversations: { claim: "CH1" }, messages: { claim: { opened: "IM1", reply: "IM2" } }, participants: { claim: { ada: "MB1" } } };
    const next = { conversations: { claim: UNKNOWN }, messages: { claim: UNKNOWN }, participants: { claim: UNKNOWN } };
    const plan = planFromPreview({ steps: [{ op: "same", urn: STACK_URN }] }, [outputsEvent(recorded, next)]);
    expect(renderPlan(plan, "text")).toBe("No changes.");
    // A map that is known and lost an entry still shows it removed.
    const lost = planFromPreview({ steps: [{ op: "same", urn: STACK_URN }] }, [outputsEvent(recorded, { ...next, messages: { claim: { opened: "IM1" } } })]);
    expect(renderPlan(lost, "text")).toContain('messages.claim.reply: "IM2" → (removed)');
  });

  it("an output that changes with a resource the plan lists goes with that resource's line", () => {
    const renamed = { op: "same", urn: conversation("claim-water"), oldState: { ...state, urn: conversation("claim") }, newState: { inputs: state.inputs } };
    const recorded = { conversations: { claim: "CH1" }, messages: { claim: { opened: "IM1" } } };
    const next = { conversations: { "claim-water": "CH1" }, messages: { "claim-water": { opened: "IM1" } } };
    const plan = planFromPreview({ steps: [renamed] }, [outputsEvent(recorded, next)]);
    expect(plan.resources.map((resource) => `${resource.action} ${resource.name}`)).toEqual(["rename claim-water"]);
  });

  it("without the event log, outputs are not compared", () => {
    expect(hasChanges(planFromPreview({ steps: [{ op: "same", urn: STACK_URN, oldState: { outputs: { team: "support" } } }] }))).toBe(false);
  });
});
