// What `npm pack` ships: the compiled library, its declarations, the command line and the JSON
// Schema; never tests, fixtures, examples, the emulator, or the stack files and Pulumi.<stack>.yaml
// of whoever packs it.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../../..");
// Left in the working tree as a user of this repository would leave them.
const LEFT_BEHIND = ["Pulumi.pack-check.yaml", "stacks/pack-check.yaml"];

let files: string[];
let manifest: Record<string, any>;
const stacksExisted = fs.existsSync(path.join(ROOT, "stacks"));

beforeAll(() => {
  for (const file of LEFT_BEHIND) {
    fs.mkdirSync(path.dirname(path.join(ROOT, file)), { recursive: true });
    fs.writeFileSync(path.join(ROOT, file), "conversations: {}\n");
  }
  const packed = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" });
  files = JSON.parse(packed)[0].files.map((file: { path: string }) => file.path);
  manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
}, 60_000);

afterAll(() => {
  for (const file of LEFT_BEHIND) fs.rmSync(path.join(ROOT, file), { force: true });
  if (!stacksExisted) fs.rmdirSync(path.join(ROOT, "stacks"));
});

describe("npm pack", () => {
  it("ships no test, fixture, example, emulator, benchmark, stack file or Pulumi.<stack>.yaml", () => {
    const unwanted = files.filter(
      (file) =>
        /(^|\/)(test|fixtures|examples|emulator|bench|stacks|scripts)\//.test(file) ||
        /(^|\/)Pulumi(\.[^/]+)?\.ya?ml$/.test(file) ||
        /\.(map|tsbuildinfo|ts)$/.test(file.replace(/\.d\.ts$/, "")),
    );
    expect(unwanted).toEqual([]);
  });

  it("ships what its exports, types and bin name", () => {
    const named = [
      manifest.main,
      manifest.types,
      ...Object.values(manifest.exports as Record<string, string | Record<string, string>>).flatMap((target) =>
        typeof target === "string" ? [target] : Object.values(target),
      ),
      ...Object.values(manifest.bin as Record<string, string>),
      "schemas/stack.schema.json",
    ].map((file) => file.replace(/^\.\//, ""));
    for (const file of named) expect(files).toContain(file);
  });

  it("gives require and import the library, and pulumi (which runs exports['.'].default of a project) this repository's stack program", () => {
    const main = manifest.exports["."];
    expect(main.require).toBe("./dist/provider/index.js");
    expect(main.import).toBe("./dist/provider/index.js");
    expect(main.default).toBe("./dist/provider/program.js");
    expect(Object.keys(main).indexOf("default")).toBe(Object.keys(main).length - 1);
    expect(typeof require(path.join(ROOT, main.default))).toBe("function");
    const names = ["ConversationsStack", "Conversation", "Message", "loadStackFile", "validate"];
    const script = `const library = require("twilio-conversations-pulumi"); console.log(JSON.stringify(${JSON.stringify(names)}.map((name) => typeof library[name])))`;
    expect(JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" }))).toEqual(names.map(() => "function"));
  });

  it("takes @pulumi/pulumi from the program, as a peer, not a copy of its own", () => {
    expect(manifest.dependencies["@pulumi/pulumi"]).toBeUndefined();
    expect(manifest.peerDependencies["@pulumi/pulumi"]).toBe(">=3.139.0 <4");
  });
});
