import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateFiles } from "../../../schemas/validate-cli";

const ROOT = join(__dirname, "..", "..", "..");

function run(files: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = validateFiles(files, { out: (line) => out.push(line), err: (text) => err.push(text) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("validate command", () => {
  it("exits 0 and prints ok for valid files", () => {
    const result = run([join(ROOT, "examples", "minimal.yaml"), join(ROOT, "examples", "staging-seed.yaml")]);
    expect(result.code).toBe(0);
    expect(result.out.split("\n")).toEqual([
      `ok ${join(ROOT, "examples", "minimal.yaml")}`,
      `ok ${join(ROOT, "examples", "staging-seed.yaml")}`,
    ]);
    expect(result.err).toBe("");
  });

  it("exits 1, prints the rendered problems of every bad file and still reports good ones", () => {
    const bad = join(ROOT, "test", "fixtures", "invalid", "author-number.yaml");
    const good = join(ROOT, "examples", "minimal.yaml");
    const missing = join(ROOT, "examples", "does-not-exist.yaml");
    const result = run([bad, good, missing]);
    expect(result.code).toBe(1);
    expect(result.out).toBe(`ok ${good}`);
    expect(result.err).toContain(`${bad}:4:9 conversations.lobby.messages[0].author`);
    expect(result.err).toContain(`${missing}:1:1\n  ✖ cannot read the file (ENOENT)`);
    expect(result.err.endsWith("2 problems")).toBe(true);
  });

  it("exits 2 without files or with an option", () => {
    expect(run([]).code).toBe(2);
    expect(run(["--fix", "x.yaml"]).code).toBe(2);
  });
});
