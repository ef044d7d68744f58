import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS, main, programUsage } from "../../../provider/cli";
import { callerDirectory, githubAnnotation, validateFiles, validateUsage } from "../../../schemas/validate-cli";

const ROOT = join(__dirname, "..", "..", "..");
const BAD = "test/fixtures/invalid/author-number.yaml";
const GOOD = "examples/minimal.yaml";

function run(args: string[], callerDir = ROOT) {
  const out: string[] = [];
  const err: string[] = [];
  const code = validateFiles(args, { out: (line) => out.push(line), err: (text) => err.push(text) }, { callerDir });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("validate command", () => {
  it("warns of conversations no declared field tells apart (a recovery after a killed run cannot), and still passes", () => {
    const dir = mkdtempSync(join(tmpdir(), "validate-twins-"));
    const file = join(dir, "twins.yaml");
    const twin = "    friendlyName: Twin\n    messages:\n      - { author: ada, body: same }\n";
    const apart = "    friendlyName: Twin\n    messages:\n      - { author: ada, body: other }\n";
    writeFileSync(file, `conversations:\n  a:\n${twin}  b:\n${twin}  c:\n${apart}  named:\n    uniqueName: named\n${twin}`);
    const result = run([file]);
    expect(result.code).toBe(0);
    expect(result.err).toContain(`${file}:2:3 conversations.a\n  ⚠ no declared field tells this conversation apart from b`);
    expect(result.err).toContain(`${file}:6:3 conversations.b\n  ⚠ no declared field tells this conversation apart from a`);
    expect(result.err).not.toMatch(/conversations\.(c|named)\b/);
    const json = JSON.parse(run(["--format", "json", file]).out);
    expect(json.ok).toBe(true);
    expect(json.problems.map((problem: { path: string; severity: string }) => [problem.path, problem.severity])).toEqual([
      ["conversations.a", "warning"],
      ["conversations.b", "warning"],
    ]);
    expect(run(["--format", "github", file]).out).toMatch(/^::warning file=/m);
  });

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

  it("exits 64 (usage error) without files, with an unknown option or a bad --format, naming what is wrong", () => {
    expect(run([])).toMatchObject({ code: 64, out: "" });
    expect(run([]).err.startsWith("no stack file given\n\nusage: twilio-conversations-pulumi validate")).toBe(true);
    expect(run(["--fix", "x.yaml"]).err.split("\n")[0]).toBe('unknown option "--fix"');
    expect(run(["--format", "xml", GOOD]).err.split("\n")[0]).toBe('--format takes text, json or github, not "xml"');
    expect(run([GOOD, "--format"]).err.split("\n")[0]).toBe("--format takes text, json or github");
    expect(run(["--format", "xml", GOOD]).code).toBe(64);
  });

  it("--help prints the usage on stdout and exits 0, even with files", () => {
    for (const args of [["--help"], ["-h"], [GOOD, "--help"]]) {
      const result = run(args);
      expect(result).toEqual({ code: 0, out: validateUsage(), err: "" });
    }
    expect(validateUsage()).toContain("Exit codes (the same for every command):\n  0   valid / no changes / no drift");
    expect(validateUsage()).toContain("64  usage error");
  });

  it("a file named after -- may start with a dash", () => {
    const dir = mkdtempSync(join(tmpdir(), "validate-"));
    writeFileSync(join(dir, "-odd.yaml"), "conversations: {}\n");
    expect(run(["--", "-odd.yaml"], dir)).toEqual({ code: 0, out: "ok -odd.yaml", err: "" });
  });

  it("reads relative paths from the caller's directory and shows them as given", () => {
    const fromExamples = run(["minimal.yaml", "../test/fixtures/invalid/author-number.yaml"], join(ROOT, "examples"));
    expect(fromExamples.code).toBe(1);
    expect(fromExamples.out).toBe("ok minimal.yaml");
    expect(fromExamples.err.split("\n")[0]).toBe("../test/fixtures/invalid/author-number.yaml:4:9 conversations.lobby.messages[0].author");
    // The same names from the package root do not exist there.
    expect(run(["minimal.yaml"]).err).toContain("minimal.yaml:1:1\n  ✖ cannot read the file (ENOENT)");
  });

  it("the caller's directory is INIT_CWD when npm run validate set it, else the working directory", () => {
    const underNpmRun = { npm_lifecycle_event: "validate" };
    expect(callerDirectory({ ...underNpmRun, INIT_CWD: "/home/me/infra" }, "/home/me/infra/node_modules/pkg")).toBe("/home/me/infra");
    expect(callerDirectory(underNpmRun, "/home/me/infra")).toBe("/home/me/infra");
    expect(callerDirectory({ ...underNpmRun, INIT_CWD: "" }, "/home/me/infra")).toBe("/home/me/infra");
    // Started by another npm script (npm test), INIT_CWD is that script's, not this command's.
    expect(callerDirectory({ npm_lifecycle_event: "test", INIT_CWD: "/work/repo" }, "/tmp/elsewhere")).toBe("/tmp/elsewhere");
  });

  it("--format json prints every problem and every file's verdict as one JSON document", () => {
    const result = run(["--format", "json", BAD, GOOD]);
    expect(result.code).toBe(1);
    expect(result.err).toBe("");
    expect(JSON.parse(result.out)).toMatchInlineSnapshot(`
      {
        "files": [
          {
            "file": "test/fixtures/invalid/author-number.yaml",
            "ok": false,
          },
          {
            "file": "examples/minimal.yaml",
            "ok": true,
          },
        ],
        "ok": false,
        "problems": [
          {
            "column": 9,
            "file": "test/fixtures/invalid/author-number.yaml",
            "hint": "quote it: author: "42"",
            "line": 4,
            "message": "expected a string (an identity) or { participant: <key> }, received a number",
            "path": "conversations.lobby.messages[0].author",
          },
        ],
      }
    `);
  });

  it("--format json on valid files says ok with no problems, and --format=json is the same option", () => {
    const result = run([`--format=json`, GOOD]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual({ ok: true, files: [{ file: GOOD, ok: true }], problems: [] });
  });

  it("--format github prints one annotation per problem, with the hint, on stdout", () => {
    const result = run(["--format", "github", BAD, GOOD, "test/fixtures/invalid/duplicate-yaml-key.yaml"]);
    expect(result.code).toBe(1);
    expect(result.out).toMatchInlineSnapshot(`
      "ok examples/minimal.yaml
      ::error file=test/fixtures/invalid/author-number.yaml,line=4,col=9::conversations.lobby.messages[0].author: expected a string (an identity) or { participant: <key> }, received a number%0Ahint: quote it: author: "42"
      ::error file=test/fixtures/invalid/duplicate-yaml-key.yaml,line=4,col=5::conversations.lobby.friendlyName: duplicated mapping key%0A 1 | conversations:%0A 2 |   lobby:%0A 3 |     friendlyName: Lobby%0A 4 |     friendlyName: Front desk%0A---------^%0Ahint: a key may appear only once in a mapping; remove or rename one of them"
    `);
    expect(result.err).toBe("2 problems");
  });

  it("escapes newlines, percent signs, and the file's colons and commas as GitHub's runner expects", () => {
    const line = githubAnnotation({ file: "a,b:c.yaml", line: 2, column: 3, path: "x", message: "100% wrong\nsecond line", hint: "fix it" });
    expect(line).toBe("::error file=a%2Cb%3Ac.yaml,line=2,col=3::x: 100%25 wrong%0Asecond line%0Ahint: fix it");
  });
});

describe("package command line", () => {
  async function runMain(args: string[], callerDir = ROOT) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { out: (line) => out.push(line), err: (text) => err.push(text) }, callerDir, {});
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  it("validate takes the same options, with usage naming the package's command", async () => {
    expect(await runMain(["validate", "--help"])).toEqual({ code: 0, out: validateUsage("twilio-conversations-pulumi validate"), err: "" });
    expect((await runMain(["validate", "--format", "github", BAD])).out.startsWith(`::error file=${BAD},line=4,col=9::`)).toBe(true);
    expect(await runMain(["validate", "minimal.yaml"], join(ROOT, "examples"))).toEqual({ code: 0, out: "ok minimal.yaml", err: "" });
    expect(await runMain(["validate", "--cwd", "examples", "minimal.yaml"])).toEqual({ code: 0, out: "ok minimal.yaml", err: "" });
  });

  it("every command's --help exits 0 on stdout, listing the one exit-code table", async () => {
    for (const name of [...Object.keys(COMMANDS), undefined]) {
      const result = await runMain(name === undefined ? ["--help"] : [name, "--help"]);
      expect(result.code, name).toBe(0);
      expect(result.err).toBe("");
      expect(result.out).toContain("64  usage error");
    }
    expect((await runMain(["--help"])).out).toBe(programUsage());
    expect(programUsage()).toContain("  plan      what up would change");
  });

  it("a usage error exits 64, never a code that means something else: no command, an unknown one, an unknown option, a bad value", async () => {
    const errors = [[], ["lint"], ["plan", "--drift"], ["plan", "--format", "xml"], ["drift", "--stack"], ["plan", "extra"], ["github"], ["github", "--stack", "dev", "--mode", "nightly"]];
    for (const args of errors) {
      const result = await runMain(args);
      expect(result.code, args.join(" ")).toBe(64);
      expect(result.out).toBe("");
    }
    expect((await runMain(["plan", "--format", "xml"])).err.split("\n")[0]).toBe('--format takes text, markdown or json, not "xml"');
    expect((await runMain(["drift", "--stack"])).err.split("\n")[0]).toBe("--stack needs a value");
    expect((await runMain(["lint"])).err.split("\n")[0]).toBe('unknown command "lint"');
    expect((await runMain(["plan", "--drift"])).err.split("\n")[0]).toBe('unknown option "--drift"');
  });

  it("plan without a Pulumi CLI on PATH or in PULUMI_HOME fails (1) saying how to install one", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const empty = mkdtempSync(join(tmpdir(), "no-pulumi-"));
    const code = await main(["plan", "--stack", "dev"], { out: (line) => out.push(line), err: (text) => err.push(text) }, ROOT, { PATH: empty, PULUMI_HOME: empty });
    expect(code).toBe(1);
    expect(err.join("\n")).toContain("no Pulumi CLI found on PATH or in $PULUMI_HOME/bin");
  });
});
