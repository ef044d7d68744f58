// `npm run plan -- --stack S [--format text|markdown|json] [--drift]`: runs `pulumi preview --json`
// and prints the plan by logical name. With --drift it runs `pulumi refresh --preview-only --json`
// instead (the stack file plays no part): what Twilio holds now against what the last `up`
// recorded. See README, "Reviewing changes in pull requests". Exit codes: 0 no changes (no drift),
// 2 changes, 3 drift (--drift), 1 failed (an invalid stack file is refused before the preview starts).
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { ensureEngine, pulumiEnv, PROJECT } = require("./engine");
const { problemsBeforeEngine } = require("./stack-check");

const EXIT = { noChanges: 0, failed: 1, changes: 2, drift: 3 };
const USAGE = `usage: npm run plan -- --stack STACK [--format text|markdown|json] [--drift]

  --stack, -s   the stack to preview (default: the selected stack)
  --format      text (default), markdown (for a pull-request comment) or json
  --drift       read Twilio (refresh --preview-only, nothing written) and report what differs from
                what the last up recorded; the stack file is not read, so edits not applied yet
                are not drift

exit codes: 0 no changes (or no drift), 2 changes, 3 drift found (--drift), 1 the stack file is
invalid or the preview failed`;

function parseArgs(argv) {
  const options = { stack: null, format: "text", drift: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === "--stack" || flag === "-s") options.stack = value();
    else if (flag === "--format") options.format = value();
    else if (flag === "--drift") options.drift = true;
    else if (flag === "--help" || flag === "-h") options.help = true;
    else throw new Error(`unknown argument ${JSON.stringify(arg)}`);
  }
  if (!["text", "markdown", "json"].includes(options.format)) throw new Error(`--format must be text, markdown or json, not ${JSON.stringify(options.format)}`);
  if (options.stack === undefined) throw new Error("--stack needs a stack name");
  return options;
}

function run(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", args, { cwd: PROJECT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/**
 * What went wrong. With --json, pulumi prints nothing on stdout when the preview fails, and the
 * program's own stderr (e.g. the stack file's problems) is lost; the plain preview shows both, so
 * a failed preview is run again without --json to tell why.
 */
async function failureText(args, env) {
  const plain = await run(args.filter((arg) => arg !== "--json"), env);
  return `${plain.stdout}\n${plain.stderr}`.trim() || `pulumi ${args[0]} exited ${plain.code}`;
}

/** The engine's event log: one JSON event a line; none when pulumi did not write it. */
function readEvents(file) {
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text.split("\n").filter((line) => line.trim()).map((line) => JSON.parse(line));
}

/**
 * Drift: `refresh --preview-only` reads every conversation and message from Twilio and compares
 * it with the state the last `up` recorded, without running the program (so the stack file is not
 * read) and without writing anything. Its --json output leaves out the state read for a resource
 * that changed (dynamic providers return no detailed diff), so the engine's event log, which has
 * it, is read too (`--event-log` needs PULUMI_DEBUG_COMMANDS, as Pulumi's Automation API sets).
 */
async function drift(options, render, env) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-drift-"));
  try {
    const eventLog = path.join(dir, "events.jsonl");
    const args = ["refresh", "--preview-only", "--json", "--non-interactive", ...(options.stack ? ["--stack", options.stack] : []), "--event-log", eventLog];
    const driftEnv = { ...env, PULUMI_DEBUG_COMMANDS: "true" };
    return await printPlan(args, driftEnv, "the refresh preview (reading Twilio)", (json) => render.planFromRefresh(json, readEvents(eventLog)), render, options, EXIT.drift);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return EXIT.failed;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.noChanges;
  }
  let render;
  try {
    render = require(path.join(PROJECT, "dist", "provider", "plan", "render.js"));
  } catch {
    process.stderr.write("the plan renderer is not built: run `npm run build` first\n");
    return EXIT.failed;
  }
  const engineDir = ensureEngine();
  const env = pulumiEnv(engineDir, process.env, { localBackend: true });
  if (options.drift) return drift(options, render, env);
  const args = ["preview", "--json", "--non-interactive", ...(options.stack ? ["--stack", options.stack] : [])];
  // An invalid stack file is refused as `npm run pulumi -- preview` refuses it, before the engine starts.
  const problems = problemsBeforeEngine(args, env);
  if (problems) {
    process.stderr.write(`${problems}\n`);
    return EXIT.failed;
  }
  return printPlan(args, env, "the preview", render.planFromPreview, render, options, EXIT.changes);
}

/**
 * Runs pulumi with `args` (a `--json` command), prints the plan `toPlan` makes of its output, and
 * gives the exit code: `whenChanged` when the plan holds anything, failed when pulumi did.
 */
async function printPlan(args, env, what, toPlan, render, options, whenChanged) {
  const result = await run(args, env);
  if (result.code !== 0) {
    process.stderr.write(`${what} failed:\n${await failureText(args, env)}\n`);
    return EXIT.failed;
  }
  const plan = toPlan(JSON.parse(result.stdout));
  process.stdout.write(`${render.renderPlan(plan, options.format)}\n`);
  return render.hasChanges(plan) ? whenChanged : EXIT.noChanges;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(EXIT.failed);
  },
);
