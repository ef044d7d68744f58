// The library's `validate`: a stack file's spec, or its problems and the text `npm run validate` prints.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validate, validateFiles } from "../../provider/index";
import { loadStackFile } from "../../schemas/load";

const ROOT = join(__dirname, "..", "..");

/** What `npm run validate -- FILE` writes to stderr. */
function printedByValidate(file: string): string {
  const err: string[] = [];
  validateFiles(["--", file], { out: () => {}, err: (text) => err.push(text) });
  return err.join("\n");
}

describe("validate", () => {
  it("returns the spec of a valid stack file, as loadStackFile does", () => {
    const file = join(ROOT, "examples", "staging-seed.yaml");
    const result = validate(file);
    expect(result).toEqual(loadStackFile(file));
    expect(result.ok && Object.keys(result.spec.conversations)).toEqual(["order-1042", "onboarding-email"]);
  });

  it("returns the problems of an invalid file and the text npm run validate prints for them", () => {
    for (const fixture of ["author-number.yaml", "seed-messages-in-production.yaml", "alias-bomb.yaml"]) {
      const file = join(ROOT, "test", "fixtures", "invalid", fixture);
      const result = validate(file);
      const loaded = loadStackFile(file);
      if (result.ok || loaded.ok) throw new Error(`${fixture} should be invalid`);
      expect(result.problems).toEqual(loaded.problems);
      expect(result.text).toBe(printedByValidate(file));
    }
  });

  it("says a missing file cannot be read", () => {
    const result = validate("no/such/stack.yaml");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.text).toMatchInlineSnapshot(`
      "no/such/stack.yaml:1:1
        ✖ cannot read the file (ENOENT)
        hint: check the path

      1 problem"
    `);
  });

  it("checks text under the label given, its problems rendered with their count", () => {
    expect(validate({ text: "conversations: {}\n", label: "inline.yaml" })).toEqual({
      ok: true,
      spec: expect.objectContaining({ conversations: {} }),
      warnings: [],
    });
    const result = validate({ text: "conversations:\n  Lobby: { state: paused }\n", label: "inline.yaml" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.text).toMatchInlineSnapshot(`
      "inline.yaml:2:3 conversations.Lobby
        ✖ "Lobby" is not a valid logical name
        hint: use 1 to 63 lowercase letters, digits and hyphens, starting with a letter or digit (it becomes the Pulumi resource name)

      inline.yaml:2:12 conversations.Lobby.state
        ✖ expected one of active, inactive, closed, received "paused"
        hint: use one of active, inactive, closed

      2 problems"
    `);
    expect(!result.ok && result.problems.map((problem) => problem.file)).toEqual(["inline.yaml", "inline.yaml"]);
  });
});
