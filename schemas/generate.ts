// `npm run schemas`: writes schemas/stack.schema.json from the zod schema, for editors
// (`# yaml-language-server: $schema=…`). A test keeps the committed file current.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import { stackSchema } from "./stack";

/**
 * The schema's identity: where the published package serves this very file, at this version. An
 * editor reads the file from node_modules (the stack file's `$schema=` line); the `$id` names it.
 */
export function schemaId(): string {
  return `https://unpkg.com/twilio-conversations-pulumi@${packageVersion()}/schemas/stack.schema.json`;
}

/** This package's version, from its package.json. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/** The folder of this package's package.json, above this file (in schemas/ or dist/schemas/). */
export function packageRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (manifest.name === "twilio-conversations-pulumi" && manifest.version) return dir;
    } catch {
      // not here: look further up
    }
  }
  throw new Error("the package.json of twilio-conversations-pulumi was not found above " + __dirname);
}

/** The JSON Schema of what people write in a stack file (zod's input side: defaults are optional). */
export function stackJsonSchemaText(): string {
  const schema = z.toJSONSchema(stackSchema(), { io: "input", unrepresentable: "any" });
  withMarkdownDescriptions(schema);
  const document = { $schema: schema.$schema, $id: schemaId(), title: "Twilio Conversations stack file", ...schema };
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
