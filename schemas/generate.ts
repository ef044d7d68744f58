// `npm run schemas`: writes schemas/stack.schema.json from the zod schema, for editors
// (`# yaml-language-server: $schema=…`). A test keeps the committed file current.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { stackSchema } from "./stack";

/** The JSON Schema of what people write in a stack file (zod's input side: defaults are optional). */
export function stackJsonSchemaText(): string {
  const schema = z.toJSONSchema(stackSchema(), { io: "input", unrepresentable: "any" });
  withMarkdownDescriptions(schema);
  const document = { $schema: schema.$schema, title: "Twilio Conversations stack file", ...schema };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Descriptions are written in Markdown (`code`); yaml-language-server renders markdownDescription on hover. */
function withMarkdownDescriptions(node: unknown): void {
  if (typeof node !== "object" || node === null) return;
  const schema = node as Record<string, unknown>;
  if (typeof schema.description === "string") schema.markdownDescription = schema.description;
  Object.values(schema).forEach(withMarkdownDescriptions);
}

if (require.main === module) {
  // Run as dist/schemas/generate.js; the schema is committed next to the sources.
  const target = join(__dirname, "..", "..", "schemas", "stack.schema.json");
  writeFileSync(target, stackJsonSchemaText());
  process.stdout.write(`wrote ${target}\n`);
}
