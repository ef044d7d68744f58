// `npm run docs` (and `npm run schemas`): writes the reference of docs/reference/, one page per kind,
// from what already says each field once: the property tables (provider/domain/properties.ts for
// the conversation side, the registry of environment kinds in provider/domain/environment.ts), the
// rows' doc comments (read from those files with the TypeScript compiler, as they exist only in the
// source) and the stack file's schema (its keys, types, defaults and descriptions). A test keeps the
// committed pages current.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENT_KINDS, kebabName, type EnvironmentKind, type EnvironmentKindName } from "../provider/domain/environment";
import { CONVERSATION_PROPERTIES, MESSAGE_PROPERTIES, PARTICIPANT_PROPERTIES, WEBHOOK_PROPERTIES, partsOf, type DeclaredRow } from "../provider/domain/properties";
import { isField, type FieldRow, type ObservedRow, type RowTable } from "../provider/domain/row";
import { docCommentsOf, tableOrigin } from "../schemas/doc-comments";
import { packageRoot, stackJsonSchemaText } from "../schemas/generate";

const PROPERTIES_SOURCE = "provider/domain/properties.ts";
const ENVIRONMENT_SOURCE = "provider/domain/environment.ts";
export const REFERENCE_DIR = "docs/reference";

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; anyOf?: JsonSchema[]; description?: string };

/** A declared row of any kind's table (domain/row.ts), with what the conversation side's rows add (properties.ts). */
type ReferenceRow = FieldRow & Partial<Pick<DeclaredRow, "default" | "onCreate" | "narrowUpdate">>;

/** One page: a table, where its entries sit in the stack file, and what the page says first. */
interface PageSource {
  file: string;
  title: string;
  table: RowTable;
  source: string;
  /** The entry's place in the schema: property names, `*` for a mapping's values, `[]` for a list's items. */
  at: string[];
  where: string;
  about: string;
  /** What a `create-only` change does to this kind. */
  replaces: string;
}

// The conversation side has no registry of kinds: a conversation, its seed messages, participants
// and scoped webhooks are one resource, each child its own table.
const CONVERSATION_SIDE: PageSource[] = [
  {
    file: "conversation.md", title: "Conversation", table: CONVERSATION_PROPERTIES, source: PROPERTIES_SOURCE, at: ["conversations", "*"],
    where: "`conversations.<logical name>`",
    about: "One Pulumi resource per entry (`pulumi-nodejs:dynamic/twilio-conversations:Conversation`), its seed messages, participants and scoped webhooks included.",
    replaces: "replaces the conversation",
  },
  {
    file: "message.md", title: "Seed message", table: MESSAGE_PROPERTIES, source: PROPERTIES_SOURCE, at: ["conversations", "*", "messages", "[]"],
    where: "`conversations.<logical name>.messages[]`",
    about: "Part of its conversation's resource, kept by `key` (or position); created in list order. The typed `Message` resource takes the same properties.",
    replaces: "re-creates the message, and every message after it (Twilio's order is the file's)",
  },
  {
    file: "participant.md", title: "Participant", table: PARTICIPANT_PROPERTIES, source: PROPERTIES_SOURCE, at: ["conversations", "*", "participants", "*"],
    where: "`conversations.<logical name>.participants.<key>`",
    about: "Part of its conversation's resource, kept by key; added after the conversation and before its messages.",
    replaces: "re-creates the participant (deleted first: Twilio holds one per identity and per binding)",
  },
  {
    file: "scoped-webhook.md", title: "Scoped webhook", table: WEBHOOK_PROPERTIES, source: PROPERTIES_SOURCE, at: ["conversations", "*", "scopedWebhooks", "*"],
    where: "`conversations.<logical name>.scopedWebhooks.<key>`",
    about: "Part of its conversation's resource, kept by key; at most 5 per conversation.",
    replaces: "re-creates the webhook",
  },
];

/** What a kind's place in the stack file (its registry entry's `at`) says beyond its keys. */
const PLACE_NOTES: Partial<Record<EnvironmentKindName, string>> = {
  service: ", declared as `{ friendlyName: … }` (`{ sid: IS… }` names an existing one instead, whose configuration, notifications and webhooks the stack may set as well)",
};

/** Where a kind's entries sit in the stack file, as the reference says it: `roles.<key>`. */
function whereOf(kind: EnvironmentKind): string {
  return `\`${kind.at.map((key) => (key === "*" ? "<key>" : key)).join(".")}\`${PLACE_NOTES[kind.name] ?? ""}`;
}

const PLACEMENT: Readonly<Record<EnvironmentKind["placement"], string>> = {
  service: "in the service the stack names",
  "service-or-default": "in the service the stack names, or the account's default service",
  account: "in the account",
};

function environmentAbout(kind: EnvironmentKind): string {
  const type = `\`pulumi-nodejs:dynamic/twilio-conversations:${kind.type}\``;
  const lifecycle =
    kind.shape === "singleton"
      ? "One of its kind: never created or deleted; `up` sets what is declared and records what it found, `destroy` puts that back. A key left out is not managed."
      : `Created by \`up\` and deleted by \`destroy\`${kind.naturalKey ? `; found for adoption by its \`${kind.naturalKey}\`` : kind.adoptBy ? `; found for adoption by ${kind.adoptBy.map((key) => `\`${key}\``).join(" and ")}` : ""} (an adopted one is put back as found, not deleted).`;
  const article = kind.shape === "singleton" ? "The" : /^[aeio]/.test(kind.noun) ? "An" : "A";
  return `${article} ${kind.noun}, ${PLACEMENT[kind.placement]}: one Pulumi resource of type ${type}. ${lifecycle}`;
}


function environmentPages(): PageSource[] {
  return Object.values(ENVIRONMENT_KINDS).map((kind) => ({
    file: `${kebabName(kind.name)}.md`,
    title: kind.noun[0].toUpperCase() + kind.noun.slice(1),
    table: kind.table,
    source: ENVIRONMENT_SOURCE,
    at: [...kind.at],
    where: whereOf(kind),
    about: environmentAbout(kind),
    replaces: `replaces the ${kind.noun}`,
  }));
}

export function pageSources(): PageSource[] {
  return [...CONVERSATION_SIDE, ...environmentPages()];
}

// ---- the stack file's schema ----

function resolve(root: JsonSchema, node: JsonSchema): JsonSchema {
  const ref = node.$ref;
  return typeof ref === "string" ? (ref.slice(2).split("/").reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], root) as JsonSchema) : node;
}

/** One step into a schema node: through unions, to the first branch that has it. */
function step(root: JsonSchema, node: JsonSchema, name: string): JsonSchema | undefined {
  const here = resolve(root, node);
  if (here.anyOf) {
    for (const branch of here.anyOf) {
      const found = step(root, branch, name);
      if (found) return found;
    }
    return undefined;
  }
  if (name === "*") return here.additionalProperties as JsonSchema | undefined;
  if (name === "[]") return here.items as JsonSchema | undefined;
  return here.properties?.[name];
}

/** The object a page describes: the union branch whose keys include the table's. */
function entryAt(root: JsonSchema, path: string[], keys: string[]): JsonSchema {
  const node = path.reduce<JsonSchema | undefined>((at, name) => (at ? step(root, at, name) : undefined), root);
  if (!node) throw new Error(`the stack file's schema has nothing at ${path.join(".")}`);
  const objects = (candidate: JsonSchema): JsonSchema[] => (candidate.anyOf ? candidate.anyOf.flatMap(objects) : [resolve(root, candidate)]);
  const entry = objects(node).find((candidate) => candidate.properties && keys.every((key) => key in candidate.properties!));
  if (!entry) throw new Error(`the stack file's schema at ${path.join(".")} has no object with the keys ${keys.join(", ")}`);
  return entry;
}

const code = (text: unknown) => `\`${typeof text === "string" ? text : JSON.stringify(text)}\``;

/** A schema node's type, as the stack file writes it. */
function typeOf(root: JsonSchema, node: JsonSchema): string {
  const here = resolve(root, node);
  if (Array.isArray(here.enum)) return here.enum.map(code).join(" | ");
  if (here.const !== undefined) return code(here.const);
  if (here.anyOf) return [...new Set(here.anyOf.map((branch) => typeOf(root, branch)))].join(" or ");
  if (here.type === "array") return `list of ${typeOf(root, here.items as JsonSchema)}`;
  if (here.type === "object") {
    if (here.properties) return `{ ${Object.keys(here.properties).join(", ")} }`;
    const values = here.additionalProperties as JsonSchema | undefined;
    return values && !values.$ref ? `mapping of ${typeOf(root, values)}` : "mapping";
  }
  if (here.type === "string" && here.format === "date-time") return "UTC timestamp";
  if (here.type === "string" && here.format === "uri") return "URL";
  if (here.type === "integer" && here.minimum === 0) return "integer ≥ 0";
  return typeof here.type === "string" ? here.type : "any";
}

// ---- the page ----

const ENCODED: Readonly<Record<string, string>> = { json: "as JSON text", date: "as a whole-second UTC date", lowercase: "lowercased", list: "once per item" };
const COMPARED: Readonly<Record<string, string>> = {
  text: "as text",
  json: "as a JSON value (key order and formatting never show as a change)",
  value: "as a value",
  set: "as a set (its order never shows as a change)",
  duration: "as durations, in seconds",
  instant: "as instants, to the second",
  number: "as numbers",
};

interface Line {
  key: string;
  type: string;
  change: string;
  defaultValue: string;
  parameter: string;
  secret: string;
  paragraphs: string[];
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function changeOf(row: FieldRow | undefined): string {
  if (!row) return "—";
  if (row.change === "update") return "in place";
  if (row.change === "create-only") return "replace";
  return "recorded";
}

function parameterOf(row: ReferenceRow, part: string | null): string {
  if (!row.form) return "—";
  const key = partsOf(row.form).find(([path]) => path === (part ?? ""))?.[1];
  if (!key) return typeof row.form === "string" ? code(row.form) : "by part, below";
  const notes = [row.encode ? ENCODED[row.encode] : "", row.onCreate === "after" ? "by an update right after the create" : ""].filter(Boolean);
  return `${code(key)}${notes.length ? ` (${notes.join("; ")})` : ""}`;
}

function answerOf(row: FieldRow, part: string | null): string | undefined {
  if (!row.answer) return undefined;
  return partsOf(row.answer).find(([path]) => path === (part ?? ""))?.[1];
}

const samePath = (a: string[], b: string[]) => a.length === b.length && a.every((name, index) => name === b[index]);

/** The type of a key that holds entries of another page: a link to it. */
function pageAt(pages: PageSource[], path: string[]): string | undefined {
  for (const page of pages) {
    const link = `[${page.title}](${page.file})`;
    if (samePath(page.at, path)) return link;
    if (samePath(page.at, [...path, "*"])) return `mapping of ${link} by key`;
    if (samePath(page.at, [...path, "[]"])) return `list of ${link}`;
  }
  return undefined;
}

function linesOf(page: PageSource, pages: PageSource[], root: JsonSchema, docs: Map<string, string>): { lines: Line[]; elsewhere: string[]; outputs: string[] } {
  const rows = Object.entries(page.table);
  const declared = rows.filter((entry): entry is [string, ReferenceRow] => isField(entry[1]));
  const byKey = new Map(declared.filter(([, row]) => row.yaml).map(([property, row]) => [row.yaml!, { property, row }]));
  const entry = entryAt(root, page.at, [...byKey.keys()]);
  const required = new Set((entry.required as string[] | undefined) ?? []);
  const lines: Line[] = [];
  for (const [key, node] of Object.entries(entry.properties!)) {
    const match = byKey.get(key);
    const row = match?.row;
    const doc = match ? docs.get(match.property) : undefined;
    const defaultValue = row?.default ?? resolve(root, node).default;
    const compared = row?.compare ? `Compared ${COMPARED[row.compare]}${row?.caseless?.includes("") ? ", without case" : ""}` : "";
    const answered = !row?.form
      ? ""
      : row.answer && answerOf(row, null)
        ? `; Twilio answers it as ${code(answerOf(row, null))}`
        : row.secret
          ? "; Twilio never answers it: state keeps a fingerprint of it, as a Pulumi secret"
          : row.answer
            ? ""
            : "; Twilio never answers it (recorded as declared)";
    lines.push({
      key,
      type: `${pageAt(pages, [...page.at, key]) ?? typeOf(root, node)}${required.has(key) ? ", required" : ""}`,
      change: changeOf(row),
      defaultValue: defaultValue === undefined ? "" : code(defaultValue),
      parameter: row ? parameterOf(row, null) : "—",
      secret: row?.secret ? "yes" : "no",
      paragraphs: [
        resolve(root, node).description ?? "",
        // A row of the conversation side is described by its doc comment already.
        doc && !(resolve(root, node).description ?? "").includes(doc) ? doc : "",
        row?.narrowUpdate ? `Replaced rather than updated: ${row.narrowUpdate}.` : "",
        compared ? `${compared}${answered}.` : "",
      ].filter(Boolean),
    });
    if (row?.form && typeof row.form !== "string") {
      for (const [part] of partsOf(row.form)) {
        const partNode = part.split(".").reduce<JsonSchema | undefined>((at, name) => (at ? step(root, at, name) : undefined), node);
        if (!partNode) throw new Error(`${page.title}: the stack file's schema has no ${key}.${part}`);
        const partAnswer = answerOf(row, part);
        lines.push({
          key: `${key}.${part}`,
          type: typeOf(root, partNode),
          change: changeOf(row),
          defaultValue: "",
          parameter: parameterOf(row, part),
          secret: row.secret ? "yes" : "no",
          paragraphs: [
            resolve(root, partNode).description ?? "",
            row.caseless?.includes(part) ? "Compared without case." : "",
            partAnswer ? `Twilio answers it as ${code(partAnswer)}.` : "",
          ].filter(Boolean),
        });
      }
    }
  }
  const listed = new Set(lines.map((line) => line.key));
  const missing = [...byKey.keys()].filter((key) => !listed.has(key));
  if (missing.length) throw new Error(`${page.title}: rows ${missing.join(", ")} have no key in the stack file's schema`);
  const elsewhere = declared
    .filter(([, row]) => !row.yaml)
    .map(([property, row]) => `- ${code(property)} (${changeOf(row)}; ${row.form ? `sent as ${parameterOf(row, null)}` : "not sent in a form"}): ${docs.get(property) ?? "set by the provider"}`);
  const outputs = rows
    .filter((entry): entry is [string, ObservedRow] => !isField(entry[1]))
    .map(([property, row]) => `- ${code(property)}: Twilio's ${code(row.answer)}${docs.has(property) ? `. ${docs.get(property)}` : ""}`);
  return { lines, elsewhere, outputs };
}

function legend(page: PageSource, lines: Line[]): string {
  const meanings: Record<string, string> = {
    "in place": "updated in place",
    replace: page.replaces,
    recorded: "kept in the stack's state, no request to Twilio",
    "—": "read by the provider or by Pulumi, not a Twilio parameter",
  };
  const used = new Set(lines.map((line) => line.change));
  return Object.entries(meanings)
    .filter(([change]) => used.has(change))
    .map(([change, meaning]) => `*${change}*: ${meaning}`)
    .join("; ")
    .concat(".");
}

function renderPage(page: PageSource, pages: PageSource[], root: JsonSchema, docs: Map<string, string>): string {
  const { lines, elsewhere, outputs } = linesOf(page, pages, root, docs);
  const constant = tableOrigin(page.table).constant;
  const out = [
    `<!-- Generated by \`npm run docs\` from ${constant} in ${page.source} (rows and their doc comments) and the stack file's schema (schemas/). Edit those and run it again. -->`,
    `# ${page.title}`,
    "",
    `In the stack file: ${page.where}. ${page.about}`,
    "",
    "| Key | Type | On change | Default | Twilio parameter | Secret |",
    "| --- | --- | --- | --- | --- | --- |",
    ...lines.map((line) => `| ${code(line.key)} | ${cell(line.type)} | ${line.change} | ${cell(line.defaultValue)} | ${cell(line.parameter)} | ${line.secret} |`),
    "",
    legend(page, lines),
    "",
    "## Keys",
    ...lines.flatMap((line) => ["", `### ${code(line.key)}`, "", ...line.paragraphs.flatMap((text, index) => (index ? ["", text] : [text]))]),
  ];
  if (elsewhere.length) out.push("", "## Set elsewhere", "", ...elsewhere);
  if (outputs.length) out.push("", "## Outputs", "", "Set by Twilio, read from its answer; never declared.", "", ...outputs);
  return `${out.join("\n")}\n`;
}

function renderIndex(pages: PageSource[], root: JsonSchema): string {
  const topLevel = Object.entries(root.properties!).map(([key, node]) => {
    const here = resolve(root, node);
    const defaultValue = here.default === undefined ? "" : code(here.default);
    return `| ${code(key)} | ${cell(pageAt(pages, [key]) ?? typeOf(root, node))} | ${cell(defaultValue)} | ${cell(here.description ?? "")} |`;
  });
  return [
    "<!-- Generated by `npm run docs`. -->",
    "# Stack-file reference",
    "",
    "One page per kind of resource: each key of the stack file, its type, whether a change updates in place or replaces, its default, the Twilio parameter it is sent as, whether it is secret, and its documentation. The pages are written from the property tables (`provider/domain/properties.ts`, `provider/domain/environment.ts`) and the stack file's schema by `npm run docs`; a test fails when one is stale. The rules across fields are in [schemas/README.md](../../schemas/README.md).",
    "",
    ...pages.map((page) => `- [${page.title}](${page.file}): ${page.where}`),
    "",
    "## The top of a stack file",
    "",
    "| Key | Type | Default | Description |",
    "| --- | --- | --- | --- |",
    ...topLevel,
    "",
  ].join("\n");
}

/** Every page of the reference, by its path from the repository's root, with its text. */
export function referencePages(root = packageRoot()): Map<string, string> {
  const schema = JSON.parse(stackJsonSchemaText()) as JsonSchema;
  const docs = new Map<string, Map<string, Map<string, string>>>();
  const docsOf = (source: string) => {
    if (!docs.has(source)) docs.set(source, docCommentsOf(source, readFileSync(join(root, source), "utf8")));
    return docs.get(source)!;
  };
  const pages = pageSources();
  const written = new Map<string, string>([[`${REFERENCE_DIR}/README.md`, renderIndex(pages, schema)]]);
  for (const page of pages) {
    written.set(`${REFERENCE_DIR}/${page.file}`, renderPage(page, pages, schema, docsOf(page.source).get(tableOrigin(page.table).constant) ?? new Map()));
  }
  return written;
}

if (require.main === module) {
  const root = packageRoot();
  const pages = referencePages(root);
  mkdirSync(join(root, REFERENCE_DIR), { recursive: true });
  // A page of a kind that is gone goes with it.
  for (const file of readdirSync(join(root, REFERENCE_DIR))) if (!pages.has(`${REFERENCE_DIR}/${file}`)) rmSync(join(root, REFERENCE_DIR, file));
  for (const [file, text] of pages) writeFileSync(join(root, file), text);
  process.stdout.write(`wrote ${pages.size} pages in ${REFERENCE_DIR}/\n`);
}
