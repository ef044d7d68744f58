// The stack file's keys built from the property tables' rows: typed by the rule, optional unless
// required or defaulted, and described in the JSON Schema by the row's doc comment and its rule's limits.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { as, CONVERSATION_PROPERTIES, MESSAGE_PROPERTIES, WEBHOOK_PROPERTIES, type PropertyRow } from "../../../provider/domain/properties";
import { LIMITS } from "../../../provider/domain/rules";
import { docCommentsOf } from "../../../schemas/doc-comments";
import { rowFields, ruleWording, sharedSchemas } from "../../../schemas/fields";
import { stackJsonSchemaText } from "../../../schemas/generate";

const ROOT = join(__dirname, "..", "..", "..");
const row = (extra: Record<string, unknown>) =>
  ({ value: as<string>(), form: null, answer: null, compare: "text", change: "update", closed: "allowed", secret: false, recovery: "ignored", ...extra }) as PropertyRow;

describe("rowFields", () => {
  it("gives each declared row its stack-file key, typed by its rule: optional, with the row's default, or required", () => {
    const table = {
      sid: { change: "observed", answer: "sid", secret: false },
      name: row({ yaml: "name", rule: { text: "friendlyName" } }),
      mode: row({ yaml: "mode", rule: { oneOf: ["never", "always"] }, default: "never" }),
      kind: row({ yaml: "kind", rule: { oneOf: ["a", "b"] }, required: true }),
      path: row({ yaml: null, rule: "string" }),
    } as const;
    const schema = z.strictObject(rowFields(table, sharedSchemas()));
    expect(Object.keys(schema.shape)).toEqual(["name", "mode", "kind"]);
    expect(schema.parse({ kind: "a" })).toEqual({ kind: "a", mode: "never" });
    expect(schema.safeParse({}).success).toBe(false);
    expect(schema.safeParse({ kind: "c" }).success).toBe(false);
    expect(schema.safeParse({ kind: "a", name: "n".repeat(LIMITS.friendlyNameChars + 1) }).success).toBe(false);
  });

  it("refuses a row of the stack file that has no rule to type it", () => {
    expect(() => rowFields({ loose: row({ yaml: "loose", rule: null }) }, sharedSchemas())).toThrow(/loose.*no rule/);
  });

  it("refuses two keys with one schema, which the JSON Schema could describe for one row only", () => {
    const shared = sharedSchemas();
    const table = { first: row({ yaml: "first", rule: "messageIndex" }), second: row({ yaml: "second", rule: "messageIndex" }) };
    expect(() => rowFields(table, shared)).not.toThrow();
    expect(() => rowFields(table, shared, { first: () => shared.messageIndex, second: () => shared.messageIndex })).toThrow(/second.*another key/);
  });

  it("lets the stack file's form of a row take the rule's schema: a reference, or a default given elsewhere", () => {
    const table = { flag: row({ yaml: "flag", rule: "boolean", default: false }) };
    const schema = z.strictObject(rowFields(table, sharedSchemas(), { flag: (flag) => flag.optional() }));
    expect(schema.parse({})).toEqual({});
    expect(schema.safeParse({ flag: "yes" }).success).toBe(false);
  });
});

describe("the JSON Schema's description of a row's key", () => {
  const schema = JSON.parse(stackJsonSchemaText());
  const conversation = schema.properties.conversations.additionalProperties;
  const docs = docCommentsOf("properties.ts", readFileSync(join(ROOT, "provider/domain/properties.ts"), "utf8"));

  it("is the row's doc comment, then its rule's limits from LIMITS", () => {
    const body = conversation.properties.messages.items.properties.body;
    expect(body.description).toBe(`${docs.get("MESSAGE_PROPERTIES")!.get("body")} ${ruleWording(MESSAGE_PROPERTIES.body.rule)}`);
    expect(body.description).toContain(`At most ${LIMITS.messageBodyChars} characters`);
    expect(body.markdownDescription).toBe(body.description);
    const triggers = conversation.properties.scopedWebhooks.additionalProperties.properties.triggers;
    expect(triggers.description).toContain(`At most ${LIMITS.webhookTriggers}, each 1 to ${LIMITS.webhookTriggerChars} characters.`);
  });

  it("is the doc comment alone for a rule without numbers, under the stack file's key of the row", () => {
    expect(conversation.properties.webhooks.description).toBe(docs.get("CONVERSATION_PROPERTIES")!.get("webhooksEnabled"));
    expect(ruleWording(WEBHOOK_PROPERTIES.url.rule)).toBeUndefined();
    expect(ruleWording(CONVERSATION_PROPERTIES.bindings.rule)).toBeUndefined();
  });

  it("never repeats a limit in a doc comment: the numbers come from the rule", () => {
    // The limits of three digits or more: a small count such as 5 could be any number in a sentence.
    const numbers = Object.values(LIMITS).filter((limit) => limit >= 100).map(String);
    for (const [table, rows] of docs) {
      if (!table.endsWith("_PROPERTIES")) continue;
      for (const [property, doc] of rows) for (const number of numbers) expect(doc, `${table}.${property}`).not.toMatch(new RegExp(`\\b${number}\\b`));
    }
  });
});
