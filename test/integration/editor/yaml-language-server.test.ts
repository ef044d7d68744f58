import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_SEVERITY, LspClient, type Diagnostic } from "./lsp-client";

// The editor's view of stack files: yaml-language-server (the YAML support of VS Code, Neovim,
// Helix, …) with schemas/stack.schema.json, spoken to over LSP as an editor does.

const ROOT = join(__dirname, "..", "..", "..");
const INVALID = join(ROOT, "test", "fixtures", "invalid");
const EXAMPLES = join(ROOT, "examples");
const SERVER = join(ROOT, "node_modules", "yaml-language-server", "bin", "yaml-language-server");

/**
 * Invalid fixtures whose rule no JSON Schema can state, so only `validate` and the provider refuse
 * them. schemas/README.md lists the same files with the same reasons.
 */
const BEYOND_JSON_SCHEMA: Record<string, string> = {
  "alias-bomb.yaml": "a property of the YAML text (alias expansion), gone once parsed; yaml-language-server expands it while validating and does not finish, so it is not opened here",
  "alias-cycle.yaml": "a property of the YAML text (an alias inside its own anchor), not of the data",
  "not-utf-8.yaml": "a property of the bytes; the editor has decoded them before any schema runs",
  "several-documents.yaml": "the schema applies to each document of a stream, and each is valid",
  "empty-file.yaml": "yaml-language-server validates no schema against a file without a document",
  "number-not-exact-in-json.yaml": "exactness is lost when the YAML number is read; the schema only sees the rounded number",
  "conversation-attributes-too-large.yaml": "a size in bytes of the value serialized as JSON",
  "message-attributes-too-large.yaml": "a size in bytes of the value serialized as JSON",
  "timer-inactive-below-minimum.yaml": "a duration's length is a sum over its units (PT59S, PT0M59S, P0DT59.9S…); a pattern matches spellings and cannot compare sums",
  "timer-closed-below-minimum.yaml": "a duration's length is a sum over its units (PT59S, PT0M59S, P0DT59.9S…); a pattern matches spellings and cannot compare sums",
  "timer-closed-above-maximum.yaml": "a duration's length is a sum over its units (PT59S, PT0M59S, P0DT59.9S…); a pattern matches spellings and cannot compare sums",
  "date-updated-before-date-created.yaml": "compares two values of the file; JSON Schema compares a value with constants",
  "duplicate-message-key.yaml": "uniqueness of one field across list items; uniqueItems compares whole items",
  "duplicate-unique-name.yaml": "uniqueness of one field across mapping values",
  "renamed-from-still-declared.yaml": "compares a value with the keys of another mapping",
  "author-participant-unknown.yaml": "compares a value with the keys of another mapping",
  "participant-identity-twice.yaml": "uniqueness of one field across mapping values",
};
const NOT_OPENED = ["alias-bomb.yaml"];

const FIXTURES = readdirSync(INVALID).filter((file) => file.endsWith(".yaml"));
const EXAMPLE_FILES = readdirSync(EXAMPLES).filter((file) => file.endsWith(".yaml"));

const errorsOf = (diagnostics: Diagnostic[]) => diagnostics.filter((diagnostic) => diagnostic.severity === ERROR_SEVERITY);

const FRESH_INSTALL = "a project after npm install, its stack file under the starter's editor line";

/**
 * A project laid out as npm installs the package, with a stack file that starts with the starter's
 * own `# yaml-language-server: $schema=…` line and misspells a key: the schema must be found there.
 */
function freshInstall(): string {
  const project = mkdtempSync(join(tmpdir(), "tcp-editor-"));
  const schemas = join(project, "node_modules", "twilio-conversations-pulumi", "schemas");
  mkdirSync(schemas, { recursive: true });
  copyFileSync(join(ROOT, "schemas", "stack.schema.json"), join(schemas, "stack.schema.json"));
  mkdirSync(join(project, "stacks"));
  const [editorLine] = readFileSync(join(ROOT, "examples", "starter", "stacks", "dev.yaml"), "utf8").split("\n");
  expect(editorLine).toBe("# yaml-language-server: $schema=../node_modules/twilio-conversations-pulumi/schemas/stack.schema.json");
  const file = join(project, "stacks", "dev.yaml");
  writeFileSync(file, `${editorLine}\nconversations:\n  support:\n    frendlyName: Support\n`);
  return file;
}

describe("yaml-language-server with schemas/stack.schema.json", () => {
  let client: LspClient;
  const diagnostics = new Map<string, Diagnostic[]>();

  beforeAll(async () => {
    client = new LspClient(process.execPath, [SERVER, "--stdio"]);
    // Fixtures get the schema from the settings; examples name it in their modeline, as users' files do.
    await client.initialize(ROOT, {
      yaml: {
        validate: true,
        schemaStore: { enable: false },
        schemas: { [pathToFileURL(join(ROOT, "schemas", "stack.schema.json")).href]: ["test/fixtures/invalid/*.yaml"] },
      },
      http: { proxy: "", proxyStrictSSL: false },
    });
    for (const file of FIXTURES.filter((name) => !NOT_OPENED.includes(name))) {
      diagnostics.set(file, await client.diagnose(join(INVALID, file)));
    }
    for (const file of EXAMPLE_FILES) diagnostics.set(`examples/${file}`, await client.diagnose(join(EXAMPLES, file)));
    diagnostics.set(FRESH_INSTALL, await client.diagnose(freshInstall()));
  }, 45_000);

  afterAll(async () => {
    await client?.close();
  });

  it("reports an error in every invalid fixture whose rule a JSON Schema can state", () => {
    const caught = FIXTURES.filter((file) => errorsOf(diagnostics.get(file) ?? []).length > 0);
    const missed = FIXTURES.filter((file) => !caught.includes(file));
    expect(missed).toEqual(Object.keys(BEYOND_JSON_SCHEMA).sort());
    expect(caught.length).toBe(FIXTURES.length - Object.keys(BEYOND_JSON_SCHEMA).length);
  });

  it.each(EXAMPLE_FILES)("reports no error in examples/%s", (file) => {
    expect(errorsOf(diagnostics.get(`examples/${file}`)!)).toEqual([]);
  });

  it("finds the schema from a fresh install through the starter's editor line, $id and all", () => {
    expect(JSON.parse(readFileSync(join(ROOT, "schemas", "stack.schema.json"), "utf8")).$id).toMatch(/^https:\/\/unpkg\.com\/twilio-conversations-pulumi@\d+\.\d+\.\d+\/schemas\/stack\.schema\.json$/);
    const errors = errorsOf(diagnostics.get(FRESH_INSTALL)!);
    expect(errors.map((diagnostic) => [diagnostic.range.start.line, diagnostic.message.split("\n")[0]])).toEqual([[3, expect.stringContaining("frendlyName")]]);
  });

  it("words cross-field rules as validate does", () => {
    const messages = (file: string) => errorsOf(diagnostics.get(file)!).map((diagnostic) => diagnostic.message);
    expect(messages("timers-without-state.yaml")).toEqual([
      "timers are set but state is not — add state: active (Twilio refuses timers without a state, error 50382)",
    ]);
    expect(messages("content-sid-with-body.yaml")).toEqual([
      "contentSid cannot be combined with body — Twilio ignores body when a content template is used; remove body or contentSid",
    ]);
    expect(messages("seed-messages-in-production.yaml")).toEqual([
      "seed messages are refused in a production stack (guards.production: true) — remove the messages from this stack, or seed them in a non-production stack",
    ]);
  });

  it("schemas/README.md lists every rule the editor cannot check, with its fixture", () => {
    const readme = readFileSync(join(ROOT, "schemas", "README.md"), "utf8");
    expect(Object.keys(BEYOND_JSON_SCHEMA).filter((file) => !readme.includes(file))).toEqual([]);
  });
});
