// What the README shows, run as written where it can run offline: its emulator command prints the
// line it promises, its stack files are valid, and its rendered problem is what validate prints.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../../..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

/** The README's fenced blocks of one language, in order. */
function blocks(language: string): string[] {
  return [...README.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].filter((m) => m[1] === language).map((m) => m[2]);
}

function commandLine(prefix: string): string {
  const line = blocks("sh").flatMap((block) => block.split("\n")).find((text) => text.startsWith(prefix));
  if (!line) throw new Error(`the README shows no command starting with ${prefix}`);
  return line;
}

describe("the README", () => {
  it("npm run emulator -- --port N prints the line it promises", async () => {
    const line = commandLine("npm run emulator -- --port ");
    const [command, promise] = line.split("# prints: ");
    const port = String(40_000 + (process.pid % 20_000));
    const args = command.trim().split(/\s+/).slice(1).map((arg) => (arg === "4010" ? port : arg));
    const child = spawn("npm", ["--silent", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk) => {
          out += chunk;
          if (out.includes("\n")) resolve(out.split("\n")[0]);
        });
        child.on("exit", (code) => reject(new Error(`the emulator exited ${code}`)));
      });
      expect(first).toBe(promise.trim().replace("4010", port));
    } finally {
      child.kill();
    }
  });

  it("shows stack files that validate", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-readme-"));
    const stackFiles = blocks("yaml").filter((block) => /^conversations:/m.test(block) && !block.includes("…"));
    expect(stackFiles.length).toBeGreaterThan(0);
    const files = stackFiles.map((block, index) => {
      const file = path.join(dir, `readme-${index}.yaml`);
      fs.writeFileSync(file, block.replace(/^# yaml-language-server:.*\n/m, ""));
      return file;
    });
    const result = spawnSync("npm", ["run", "--silent", "validate", "--", ...files], { cwd: ROOT, encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("renders the problem it shows exactly as validate prints it", () => {
    const shown = blocks("").find((block) => block.includes("✖"))!;
    const [location] = shown.split("\n");
    const [file, line] = location.split(":");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-readme-"));
    fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    // A stack file whose line `line` holds the misspelt key, at the column the README shows.
    const lines = ["conversations:", "  other:", "    uniqueName: other", "  another:", "  support:", "    frendlyName: Support"];
    expect(lines.length).toBe(Number(line));
    fs.writeFileSync(path.join(dir, file), `${lines.join("\n")}\n`);
    const result = spawnSync(process.execPath, [path.join(ROOT, "dist/provider/cli.js"), "validate", file], { cwd: dir, encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(shown.trimEnd());
  });
});
