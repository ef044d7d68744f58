import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { stackJsonSchemaText } from "../../../schemas/generate";
import { loadStackFile } from "../../../schemas/load";
import { renderProblems } from "../../../schemas/problems";

const ROOT = join(__dirname, "..", "..", "..");
const EXAMPLES = readdirSync(join(ROOT, "examples")).filter((file) => file.endsWith(".yaml"));
const COMMITTED_SCHEMA = readFileSync(join(ROOT, "schemas", "stack.schema.json"), "utf8");

describe("schemas/stack.schema.json", () => {
  it("is what `npm run schemas` generates from the zod schema", () => {
    expect(COMMITTED_SCHEMA).toBe(stackJsonSchemaText());
  });

  it("describes every property", () => {
    const undescribed: string[] = [];
    const visit = (node: unknown, path: string) => {
      if (typeof node !== "object" || node === null) return;
      const properties = (node as { properties?: Record<string, { description?: string }> }).properties ?? {};
      for (const [name, property] of Object.entries(properties)) {
        if (!property.description) undescribed.push(`${path}.${name}`);
      }
      // Conditions (if/then) restate declared properties to constrain them; they add none.
      for (const [key, child] of Object.entries(node)) if (key !== "if" && key !== "then") visit(child, `${path}/${key}`);
    };
    visit(JSON.parse(COMMITTED_SCHEMA), "");
    expect(undescribed).toEqual([]);
  });
});

describe("examples", () => {
  it("include the three documented stacks", () => {
    expect(EXAMPLES).toEqual(expect.arrayContaining(["minimal.yaml", "support-desk.yaml", "staging-seed.yaml"]));
  });

  const ajv = new Ajv2020({ strict: false });
  // Without ajv-formats, Ajv ignores `format: date-time` and any timestamp shape would pass.
  addFormats(ajv);
  const validateWithJsonSchema = ajv.compile(JSON.parse(COMMITTED_SCHEMA));

  it("the JSON Schema checks formats: an impossible date is refused", () => {
    const stack = (dateCreated: string) => ({ conversations: { a: { messages: [{ body: "hi", dateCreated }] } } });
    expect(validateWithJsonSchema(stack("2024-02-29T00:00:00Z"))).toBe(true);
    expect(validateWithJsonSchema(stack("2023-02-29T00:00:00Z"))).toBe(false);
  });

  it.each(EXAMPLES)("%s loads cleanly, declares its schema and passes the JSON Schema", (file) => {
    const path = join(ROOT, "examples", file);
    const text = readFileSync(path, "utf8");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=../schemas/stack.schema.json");
    const result = loadStackFile(path);
    expect(result.ok ? "" : renderProblems(result.problems)).toBe("");
    expect(validateWithJsonSchema(load(text)), JSON.stringify(validateWithJsonSchema.errors)).toBe(true);
  });

  it("staging-seed has threads, backdated dates and a content-template message", () => {
    const result = loadStackFile(join(ROOT, "examples", "staging-seed.yaml"));
    if (!result.ok) throw new Error(renderProblems(result.problems));
    const messages = Object.values(result.spec.conversations).flatMap((conversation) => conversation.messages);
    expect(messages.length).toBeGreaterThan(3);
    expect(messages.every((message) => message.dateCreated)).toBe(true);
    expect(messages.some((message) => message.contentSid && message.contentVariables)).toBe(true);
  });

  it("support-desk is service-scoped, protected and free of seed messages", () => {
    const result = loadStackFile(join(ROOT, "examples", "support-desk.yaml"));
    if (!result.ok) throw new Error(renderProblems(result.problems));
    expect(result.spec.service).toMatch(/^IS/);
    expect(result.spec.guards).toEqual({ production: true, protect: true });
    const conversations = Object.values(result.spec.conversations);
    expect(conversations.some((c) => c.timers && c.attributes && c.messagingServiceSid)).toBe(true);
  });
});
