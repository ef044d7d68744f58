// The stack-file check that `npm run pulumi` and `npm run plan` run before starting the engine.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { PROJECT } = require("./engine");

/** The stack a pulumi command line acts on: `-s`/`--stack`, else the selected one; null when unknown. */
function stackName(args, env) {
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
 * Validates the stack file before the engine starts, for the pulumi commands (`args`) that run the
 * program; `env` is the engine's environment. The same file takes `validate` well under a second;
 * the engine needs seconds to start and fail. Returns the rendered problems, or null. Anything
 * undetermined (no stack, no build) is left to the program, which refuses it too.
 */
function problemsBeforeEngine(args, env) {
  const runsProgram = ["preview", "up", "update"].includes(args[0]) || (args[0] === "refresh" && args.includes("--run-program"));
  if (!runsProgram) return null;
  const stack = stackName(args, env);
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
  const { renderProblemReport } = require(path.join(PROJECT, "dist", "schemas", "problems.js"));
  return `${file} is not a valid stack file:\n\n${renderProblemReport(result.problems)}; pulumi was not started`;
}

module.exports = { problemsBeforeEngine };
