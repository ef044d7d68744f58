// `npm run pulumi -- ARGS`: the project's Pulumi CLI with quiet, offline-safe defaults.
"use strict";
const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { ensureEngine, pulumiEnv, PROJECT } = require("./engine");

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

/** The stack the command acts on: `-s`/`--stack`, else the selected one; null when unknown. */
function stackName() {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "-s" || args[i] === "--stack") return args[i + 1] || null;
    if (args[i].startsWith("--stack=")) return args[i].slice("--stack=".length);
  }
  const selected = spawnSync("pulumi", ["stack", "--show-name", "--non-interactive"], { cwd: PROJECT, env, encoding: "utf8" });
  return selected.status === 0 && selected.stdout.trim() ? selected.stdout.trim() : null;
}

/** The stack file the program will read (relative to the project), by the program's own rule. */
function stackFileOf(stack, load) {
  let config = {};
  try {
    const settings = require("js-yaml").load(fs.readFileSync(path.join(PROJECT, `Pulumi.${stack}.yaml`), "utf8"));
    config = (settings && settings.config) || {};
  } catch {
    // No stack settings file: the program falls back to stacks/<stack>.yaml.
  }
  const configured = config["twilio-conversations:stackFile"];
  if (configured !== undefined && typeof configured !== "string") return null;
  return load.stackFilePath(configured || undefined, stack);
}

/**
 * Validates the stack file before the engine starts, for the commands that run the program. The
 * same file takes `validate` well under a second; the engine needs seconds to start and fail.
 * Anything undetermined (no stack, no build) is left to the program, which refuses it too.
 */
function problemsBeforeEngine() {
  const runsProgram = ["preview", "up", "update"].includes(args[0]) || (args[0] === "refresh" && args.includes("--run-program"));
  if (!runsProgram) return null;
  const stack = stackName();
  if (!stack) return null;
  let load;
  try {
    load = require(path.join(PROJECT, "dist", "schemas", "load.js"));
  } catch {
    return null;
  }
  const file = stackFileOf(stack, load);
  if (!file) return null;
  process.chdir(PROJECT);
  const result = load.loadStackFile(file);
  if (result.ok) return null;
  const { renderProblems, problemCount } = require(path.join(PROJECT, "dist", "schemas", "problems.js"));
  return `${file} is not a valid stack file:\n\n${renderProblems(result.problems)}\n\n${problemCount(result.problems)}; pulumi was not started`;
}

const problems = problemsBeforeEngine();
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
