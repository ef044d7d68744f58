// The stack-file check that `npm run pulumi` runs before starting the engine: the package command
// line's own (provider/cli/pulumi.ts), for the stack a pulumi command line names.
"use strict";
const { spawnSync } = require("node:child_process");
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

/**
 * Validates the stack file before the engine starts, for the pulumi commands (`args`) that run the
 * program; `env` is the engine's environment. Returns the rendered problems, or null. Anything
 * undetermined (no stack, no build) is left to the program, which refuses it too.
 */
function problemsBeforeEngine(args, env) {
  const runsProgram = ["preview", "up", "update"].includes(args[0]) || (args[0] === "refresh" && args.includes("--run-program"));
  if (!runsProgram) return null;
  const stack = stackName(args, env);
  if (!stack) return null;
  let check;
  try {
    check = require(path.join(PROJECT, "dist", "provider", "cli", "pulumi.js"));
  } catch {
    return null;
  }
  return check.problemsBeforeEngine(PROJECT, stack);
}

module.exports = { problemsBeforeEngine };
