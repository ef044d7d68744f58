// What the README and the pages of docs/ show, run as written where it can run offline: the emulator
// command prints the line it promises, and the rendered problem is what validate prints (their stack
// files are checked with every other shipped one, in shipped-stack-files.test.ts).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { firstLine, spawnGroup, stopGroup } from "../../support/processes";
import { documentationFiles } from "./documentation";

const ROOT = path.resolve(__dirname, "../../..");
const PAGES = documentationFiles(ROOT).map((file) => ({ file, text: fs.readFileSync(path.join(ROOT, file), "utf8") }));

/** The fenced blocks of one language in the README and docs/, in order. */
function blocks(language: string): string[] {
  return PAGES.flatMap(({ text }) => [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)]).filter((m) => m[1] === language).map((m) => m[2]);
}

function commandLine(prefix: string): string {
  const line = blocks("sh").flatMap((block) => block.split("\n")).find((text) => text.startsWith(prefix));
  if (!line) throw new Error(`neither the README nor docs/ shows a command starting with ${prefix}`);
  return line;
}

describe("the README and docs/", () => {
  it("npm run emulator -- --port N prints the line it promises", async () => {
    const line = commandLine("npm run emulator -- --port ");
    const [command, promise] = line.split("# prints: ");
    // Port 0: the system gives a free port, which the line then names; a chosen one could be taken.
    const args = command.trim().split(/\s+/).slice(1).map((arg) => (arg === "4010" ? "0" : arg));
    // npm runs the emulator through sh: ending npm alone would leave the emulator running.
    const child = spawnGroup("npm", ["--silent", ...args], { cwd: ROOT });
    try {
      const first = await firstLine(child);
      const port = /:(\d+)$/.exec(first)?.[1] ?? "no port";
      expect(first).toBe(promise.trim().replace("4010", port));
    } finally {
      await stopGroup(child);
    }
  });

  it("renders the problem it shows exactly as validate prints it", () => {
    const shown = blocks("").find((block) => block.includes("✖"));
    if (!shown) throw new Error("neither the README nor docs/ shows a rendered problem");
    const [location] = shown.split("\n");
    const [file, line] = location.split(":");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-readme-"));
    fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    // A stack file whose line `line` holds the misspelt key, at the column the page shows.
    const lines = ["conversations:", "  other:", "    uniqueName: other", "  another:", "  support:", "    frendlyName: Support"];
    expect(lines.length).toBe(Number(line));
    fs.writeFileSync(path.join(dir, file), `${lines.join("\n")}\n`);
    const result = spawnSync(process.execPath, [path.join(ROOT, "dist/provider/cli.js"), "validate", file], { cwd: dir, encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(shown.trimEnd());
  });
});
