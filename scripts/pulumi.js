// `npm run pulumi -- ARGS`: the project's Pulumi CLI with quiet, offline-safe defaults.
"use strict";
const { spawn } = require("node:child_process");
const os = require("node:os");
const { ensureEngine, pulumiEnv, PROJECT } = require("./engine");
const { problemsBeforeEngine } = require("./stack-check");

let engineDir;
try {
  engineDir = ensureEngine();
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
const args = process.argv.slice(2);
// `login`/`logout` name their backend themselves; the local default would only get in the way
const localBackend = !["login", "logout"].includes(args[0]);
const env = pulumiEnv(engineDir, process.env, { localBackend });

const problems = problemsBeforeEngine(args, env);
if (problems) {
  process.stderr.write(`${problems}\n`);
  process.exit(1);
}
const child = spawn("pulumi", args, { cwd: PROJECT, stdio: "inherit", env });

// A Ctrl-C in the terminal reaches the whole foreground process group, pulumi included, and
// pulumi cancels gracefully on the first one. Sending it another would count as a second ^C and
// make pulumi stop at once, leaving resources half-made; so the wrapper ignores SIGINT and waits.
process.on("SIGINT", () => {});
// SIGTERM and SIGHUP are usually sent to this process alone: pass them on.
for (const signal of ["SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}

child.on("error", (error) => {
  process.stderr.write(`could not run pulumi: ${error.message}\n`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  process.exit(code ?? (signal ? 128 + (os.constants.signals[signal] || 0) : 0));
});
