// `npm run schemas`: writes schemas/stack.schema.json from the zod schema, for editors
// (`# yaml-language-server: $schema=…`). A test keeps the committed file current. A key that is a
// table's row is described by the row's doc comment and its rule's limits (fields.ts): validate
// needs no descriptions, so they are read from the source here, and written once; so is an
// environment entry's, from its kind's doc comment in the registry.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import { kindDocReader, rowDocReader } from "./doc-comments";
import { STACK_FILE_ROWS, ruleWording } from "./fields";
import { stackSchema } from "./stack";
import { isField, type Row } from "../provider/domain/row";
import type { EnvironmentRule } from "../provider/domain/environment";
import type { FieldRule } from "../provider/domain/properties";
import { STACK_FILE_ENTRIES } from "./environment";

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
  const describe = rowDescriber(packageRoot());
  const describeKind = kindDocReader(packageRoot());
  const schema = z.toJSONSchema(stackSchema(), {
    io: "input",
    unrepresentable: "any",
    override: ({ zodSchema, jsonSchema }) => {
      const row = STACK_FILE_ROWS.get(zodSchema);
      if (row) describedFirst(jsonSchema as Record<string, unknown>, describe(row.table, row.property));
      const entry = STACK_FILE_ENTRIES.get(zodSchema);
      if (entry) describedFirst(jsonSchema as Record<string, unknown>, describeKind(entry.kind));
    },
  });
  withMarkdownDescriptions(schema);
  const document = { $schema: schema.$schema, $id: schemaId(), title: "Twilio Conversations stack file", ...schema };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** A row's description: its doc comment, then what its rule says in numbers. A row of the stack file without a doc comment is an error. */
function rowDescriber(root: string) {
  const docOf = rowDocReader(root);
  return (table: Readonly<Record<string, Row>>, property: string): string => {
    const row = table[property];
    const doc = docOf(table, property);
    if (!doc) throw new Error(`the row ${property} is a key of the stack file but has no doc comment to describe it`);
    const rule = isField(row) && "rule" in row ? (row.rule as FieldRule | EnvironmentRule | null) : null;
    const wording = rule !== null ? ruleWording(rule) : undefined;
    return wording ? `${doc} ${wording}` : doc;
  };
}

/** The description as the node's first keyword, where zod puts a `.describe()`d one. */
function describedFirst(node: Record<string, unknown>, description: string): void {
  const rest = { ...node };
  delete rest.description;
  for (const key of Object.keys(node)) delete node[key];
  Object.assign(node, { description }, rest);
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
