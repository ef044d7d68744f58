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

  it("a body edit updates that message alone", () => {
    expect(render("body-edit")).toMatchInlineSnapshot(`
      "Plan: 1 to update
      ~ message support/hello (update)
          body: "Hi" → "Hello there""
    `);
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

  it("json carries the same plan for tools", () => {
    const json = JSON.parse(render("content-sid-change", "json"));
    expect(json.changes).toBe(true);
    expect(json.summary).toEqual({ create: 0, update: 0, replace: 2, delete: 0 });
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
      summary: { create: 0, update: 0, replace: 0, delete: 0 },
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
    expect(plan.unnamed).toBe(2);
    expect(renderPlan(plan, "text").split("\n")[0]).toBe("Drift (recorded at the last up → in Twilio now): 3 gone, 2 more the engine counted without naming them");
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
