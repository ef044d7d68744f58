import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REFERENCE_DIR, pageSources, referencePages } from "../../../docs/generate";
import { docCommentsOf } from "../../../schemas/doc-comments";
import { ENVIRONMENT_KINDS } from "../../../provider/domain/environment";

const ROOT = join(__dirname, "..", "..", "..");

describe("docs/reference/", () => {
  const pages = referencePages(ROOT);

  it("is what `npm run docs` writes from the property tables and the stack file's schema", () => {
    const committed = readdirSync(join(ROOT, REFERENCE_DIR)).map((file) => `${REFERENCE_DIR}/${file}`);
    expect(committed.sort()).toEqual([...pages.keys()].sort());
    for (const [file, text] of pages) expect(readFileSync(join(ROOT, file), "utf8"), `${file} is stale: run npm run docs`).toBe(text);
  });

  it("has a page for each conversation-side table and each kind of the environment's registry", () => {
    const tables = pageSources().map((page) => page.table);
    for (const kind of Object.values(ENVIRONMENT_KINDS)) expect(tables).toContain(kind.table);
    expect(pages.get(`${REFERENCE_DIR}/push-credential.md`)).toContain("| `certificate` | { secret } | in place |  | `Certificate` | yes |");
    expect(pages.get(`${REFERENCE_DIR}/message.md`)).toContain("| `mediaSid` | string | replace |  | `MediaSid` | no |");
  });

  it("a row's doc comment, read from the source, is on its page", () => {
    const source = readFileSync(join(ROOT, "provider/domain/properties.ts"), "utf8");
    const doc = docCommentsOf("properties.ts", source).get("CONVERSATION_PROPERTIES")!.get("bindings")!;
    expect(doc).toMatch(/\S/);
    expect(pages.get(`${REFERENCE_DIR}/conversation.md`)).toContain(`\n${doc}\n`);
  });
});

describe("docCommentsOf", () => {
  const source = `
    const shared = {
      /** Shared, spread into the next table. */
      method: row(),
      /** Overridden below. */
      filters: row(),
    } as const satisfies Table;
    export const TABLE = {
      ...shared,
      // A line comment is a note for the code, not documentation.
      plain: row(),
      /**
       * Two lines
       * of documentation.
       */
      // followed by a note
      documented: { yaml: "documented" },
      filters: row(),
    } as const satisfies Table;
  `;

  it("takes each row's doc comment, one line, through spreads, and not line comments", () => {
    const docs = docCommentsOf("table.ts", source).get("TABLE")!;
    expect(Object.fromEntries(docs)).toEqual({ method: "Shared, spread into the next table.", documented: "Two lines of documentation." });
  });
});
