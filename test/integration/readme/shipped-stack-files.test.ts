// Every YAML stack file the project ships, found by walking the folders and reading the READMEs and
// the pages of docs/, so that a new one cannot be missed: the examples (the starter's stacks
// included) and the YAML blocks of the pages. Each goes through both command lines as users run
// them and must be valid.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { documentationFiles } from "./documentation";

const ROOT = path.resolve(__dirname, "../../..");
const PAGES = [...documentationFiles(ROOT), "examples/starter/README.md", "schemas/README.md"];
/** What Pulumi reads, not a stack file: the project file and a stack's settings file. */
const PULUMI_FILE = /^Pulumi(\.[^.]+)?\.ya?ml$/;

/** YAML other tools read: a GitHub workflow is the only one the project ships besides Pulumi's own files. */
function isWorkflow(text: string): boolean {
  const document = load(text);
  return typeof document === "object" && document !== null && "jobs" in document;
}

/** A page's block that is a workflow, or a part of one the project ships, as written there. */
function isWorkflowPart(text: string, workflows: string[]): boolean {
  return isWorkflow(text) || workflows.some((workflow) => workflow.includes(text));
}

function yamlFilesUnder(dir: string): string[] {
  return (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
    .filter((file) => /\.ya?ml$/.test(file) && !file.split(path.sep).includes("node_modules"))
    .map((file) => path.join(dir, file))
    .sort();
}

/** The YAML blocks of a page, each as `README.md#N` (its position among the page's blocks) with its text. */
function yamlBlocks(page: string): Array<{ name: string; text: string }> {
  const text = fs.readFileSync(path.join(ROOT, page), "utf8");
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)]
    .map((match, index) => ({ language: match[1], name: `${page}#${index}`, text: match[2] }))
    .filter((block) => block.language === "yaml" || block.language === "yml");
}

const examples = yamlFilesUnder("examples").filter((file) => !PULUMI_FILE.test(path.basename(file)));
const workflows = examples.map((file) => fs.readFileSync(path.join(ROOT, file), "utf8")).filter(isWorkflow);
const shippedFiles = examples.filter((file) => !isWorkflow(fs.readFileSync(path.join(ROOT, file), "utf8")));
const readmeFiles = PAGES.flatMap(yamlBlocks).filter((block) => !isWorkflowPart(block.text, workflows));

/** The two ways users validate a file from the folder it is in: the package's command line, and this repository's npm script. */
const VALIDATE = {
  "twilio-conversations-pulumi validate": (file: string, cwd: string) =>
    spawnSync(process.execPath, [path.join(ROOT, "dist/provider/cli.js"), "validate", file], { cwd, encoding: "utf8" }),
  // npm run from another folder (--prefix): the script reads the file from where npm was run (INIT_CWD).
  "npm run validate": (file: string, cwd: string) => spawnSync("npm", ["--prefix", ROOT, "run", "--silent", "validate", "--", file], { cwd, encoding: "utf8" }),
};

describe("every YAML stack file the project ships", () => {
  it("is found: the examples, the starter's stacks and the stack files of the READMEs and docs/", () => {
    expect(shippedFiles).toEqual(expect.arrayContaining(["examples/minimal.yaml", "examples/environment.yaml", "examples/starter/stacks/dev.yaml"]));
    expect(readmeFiles.map((block) => block.name.split("#")[0])).toEqual(
      expect.arrayContaining(["README.md", "schemas/README.md", "docs/stack-file.md", "docs/environment.md"]),
    );
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
    for (const [cli, validate] of Object.entries(VALIDATE)) {
      const result = validate(c.file, c.dir);
      expect({ cli, status: result.status, stderr: result.stderr }).toEqual({ cli, status: 0, stderr: "" });
      expect(result.stdout).toBe(`ok ${c.file}\n`);
    }
  });
});
