import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { providerModuleText, runtimeSpecifier, RUNTIME_ENTRY } from "../../../provider/resources/runtime-provider";

const ROOT = path.resolve(__dirname, "../../..");
const IMPLEMENTATION = path.join(ROOT, "dist/provider/runtime.js");

function tempProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-loader-"));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe("runtimeSpecifier", () => {
  it("names the package when it resolves by name from the working directory (this repository, by self-reference)", () => {
    expect(runtimeSpecifier(ROOT, IMPLEMENTATION)).toBe(RUNTIME_ENTRY);
    expect(runtimeSpecifier(path.join(ROOT, "provider"), IMPLEMENTATION)).toBe(RUNTIME_ENTRY);
  });

  it("names the package when it is installed where the working directory finds it", () => {
    const project = tempProject({
      "node_modules/twilio-conversations-pulumi/package.json": JSON.stringify({
        name: "twilio-conversations-pulumi",
        exports: { "./runtime": "./dist/provider/runtime.js" },
      }),
      "node_modules/twilio-conversations-pulumi/dist/provider/runtime.js": "module.exports = {};",
      "src/index.js": "",
    });
    const installed = path.join(project, "node_modules/twilio-conversations-pulumi/dist/provider/runtime.js");
    expect(runtimeSpecifier(path.join(project, "src"), installed)).toBe(RUNTIME_ENTRY);
  });

  it("falls back to a path relative to the working directory, never an absolute one, when the name does not resolve", () => {
    const project = tempProject({
      "node_modules/wrapper/node_modules/twilio-conversations-pulumi/dist/provider/runtime.js": "module.exports = {};",
    });
    const nested = path.join(project, "node_modules/wrapper/node_modules/twilio-conversations-pulumi/dist/provider/runtime.js");
    expect(runtimeSpecifier(project, nested)).toBe("./node_modules/wrapper/node_modules/twilio-conversations-pulumi/dist/provider/runtime.js");
  });

  it("takes the name for another installation of the package as not resolving to this one", () => {
    const project = tempProject({
      "node_modules/twilio-conversations-pulumi/package.json": JSON.stringify({
        name: "twilio-conversations-pulumi",
        exports: { "./runtime": "./runtime.js" },
      }),
      "node_modules/twilio-conversations-pulumi/runtime.js": "module.exports = {};",
      "vendor/runtime.js": "module.exports = {};",
    });
    expect(runtimeSpecifier(project, path.join(project, "vendor/runtime.js"))).toBe("./vendor/runtime.js");
  });
});

describe("providerModuleText", () => {
  it("is a module whose handler loads the named runtime from the working directory and picks the resource kind", () => {
    const project = tempProject({ "lib/runtime.js": "module.exports = { conversation: { kind: 'conversation' }, message: { kind: 'message' } };" });
    const text = providerModuleText("message", "./lib/runtime.js");
    const previous = process.cwd();
    process.chdir(project);
    try {
      const module = { exports: {} as { handler?: () => unknown } };
      new Function("exports", "require", "module", text)(module.exports, require, module);
      expect(module.exports.handler!()).toEqual({ kind: "message" });
    } finally {
      process.chdir(previous);
    }
  });
});
