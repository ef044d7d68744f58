// `npm run plan|drift|validate -- ARGS`: the package's own command line (dist/provider/cli.js) on
// this repository. plan and drift run in this project with the Pulumi CLI and the offline-safe
// environment of scripts/engine.js (as `npm run pulumi` does); validate reads files named from the
// directory npm was run in.
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { ensureEngine, pulumiEnv, PROJECT } = require("./engine");

const [command, ...args] = process.argv.slice(2);
const cli = path.join(PROJECT, "dist", "provider", "cli.js");
if (!fs.existsSync(cli)) {
  process.stderr.write("the command line is not built: run `npm run build` first\n");
  process.exit(1);
}
const usesEngine = ["plan", "drift"].includes(command) && !args.some((arg) => arg === "--help" || arg === "-h");
let env = process.env;
let cwd = process.cwd();
let projectArgs = [];
if (usesEngine) {
  try {
    env = pulumiEnv(ensureEngine(), process.env, { localBackend: true });
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  projectArgs = ["--cwd", PROJECT];
} else {
  cwd = require(path.join(PROJECT, "dist", "schemas", "validate-cli.js")).callerDirectory(process.env, cwd, command);
}
const child = spawn(process.execPath, [cli, command, ...projectArgs, ...args].filter((arg) => arg !== undefined), { cwd, env, stdio: "inherit" });
// Ctrl-C reaches the whole foreground process group; the command line and pulumi handle it.
process.on("SIGINT", () => {});
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 + (os.constants.signals[signal] || 0) : 1)));
