// Every YAML stack file the project ships, found by walking the folders and reading the READMEs, so
// that a new one cannot be missed: the examples (the starter's stacks included) and the READMEs'
// YAML blocks. Each goes through both command lines as users run them and must be valid.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../../..");
const READMES = ["README.md", "examples/starter/README.md", "schemas/README.md"];
/** What Pulumi reads, not a stack file: the project file and a stack's settings file. */
const PULUMI_FILE = /^Pulumi(\.[^.]+)?\.ya?ml$/;

/**
 * YAML other tools read: a GitHub workflow (or, in a README, some of its jobs: mappings with
 * `runs-on`) is the only one the project ships besides Pulumi's own files.
 */
function isWorkflow(text: string): boolean {
  const document = load(text);
  if (typeof document !== "object" || document === null) return false;
  const isJob = (value: unknown) => typeof value === "object" && value !== null && "runs-on" in value;
  return "jobs" in document || Object.values(document).some(isJob);
}

function yamlFilesUnder(dir: string): string[] {
  return (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
    .filter((file) => /\.ya?ml$/.test(file) && !file.split(path.sep).includes("node_modules"))
    .map((file) => path.join(dir, file))
    .sort();
}

/** The YAML blocks of a README, each as `README.md#N` (its position among the README's blocks) with its text. */
function yamlBlocks(readme: string): Array<{ name: string; text: string }> {
  const text = fs.readFileSync(path.join(ROOT, readme), "utf8");
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)]
    .map((match, index) => ({ language: match[1], name: `${readme}#${index}`, text: match[2] }))
    .filter((block) => block.language === "yaml" || block.language === "yml");
}

const shippedFiles = yamlFilesUnder("examples").filter(
  (file) => !PULUMI_FILE.test(path.basename(file)) && !isWorkflow(fs.readFileSync(path.join(ROOT, file), "utf8")),
);
const readmeFiles = READMES.flatMap(yamlBlocks).filter((block) => !isWorkflow(block.text));

/** Runs a command line (`node <cli> …`) in `cwd`, as a shell would with the arguments given. */
function run(cli: string, args: string[], cwd: string) {
  return spawnSync(process.execPath, [path.join(ROOT, cli), ...args], { cwd, encoding: "utf8" });
}

describe("every YAML stack file the project ships", () => {
  it("is found: the examples, the starter's stacks and the READMEs' stack files", () => {
    expect(shippedFiles).toEqual(expect.arrayContaining(["examples/minimal.yaml", "examples/environment.yaml", "examples/starter/stacks/dev.yaml"]));
    expect(readmeFiles.map((block) => block.name.split("#")[0])).toEqual(expect.arrayContaining(["README.md", "schemas/README.md"]));
  });

  const copies = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-readme-stacks-"));
  const readmeCopies = readmeFiles.map((block) => {
    const file = path.join(copies, `${block.name.replace(/[/#]/g, "-")}.yaml`);
    fs.writeFileSync(file, block.text);
    return { name: block.name, file };
  });
  const cases = [
    ...shippedFiles.map((file) => ({ name: file, dir: path.join(ROOT, path.dirname(file)), file: path.basename(file) })),
    ...readmeCopies.map((copy) => ({ name: copy.name, dir: copies, file: path.basename(copy.file) })),
  ];

  it.each(cases.map((c) => [c.name, c] as const))("%s passes `twilio-conversations-pulumi validate` and `npm run validate`", (_name, c) => {
    for (const cli of ["dist/provider/cli.js validate", "scripts/cli.js validate"]) {
      const [script, ...command] = cli.split(" ");
      const result = run(script, [...command, c.file], c.dir);
      expect({ cli, status: result.status, stderr: result.stderr }).toEqual({ cli, status: 0, stderr: "" });
      expect(result.stdout).toBe(`ok ${c.file}\n`);
    }
  });
});
