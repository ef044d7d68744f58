// `npm run pulumi -- ARGS`: the project's Pulumi CLI with offline-safe defaults.
"use strict";
const { spawn } = require("node:child_process");
const { ensureEngine, pulumiEnv, PROJECT } = require("./engine");

let engineDir;
try {
  engineDir = ensureEngine();
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
const child = spawn("pulumi", process.argv.slice(2), { cwd: PROJECT, stdio: "inherit", env: pulumiEnv(engineDir) });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
