// `npm run plan -- --stack S [--format text|markdown|json] [--drift]`: runs `pulumi preview --json`
// (with `--refresh` for --drift) and prints the plan by logical name. See README, "Reviewing
// changes in pull requests". Exit codes: 0 no changes, 2 changes, 3 drift (--drift), 1 failed
// (an invalid stack file is refused before the engine starts).
"use strict";
const { spawn } = require("node:child_process");
const path = require("node:path");
const { ensureEngine, pulumiEnv, PROJECT } = require("./engine");
const { problemsBeforeEngine } = require("./stack-check");

const EXIT = { noChanges: 0, failed: 1, changes: 2, drift: 3 };
const USAGE = `usage: npm run plan -- --stack STACK [--format text|markdown|json] [--drift]

  --stack, -s   the stack to preview (default: the selected stack)
  --format      text (default), markdown (for a pull-request comment) or json
  --drift       read Twilio first (preview --refresh) and report what differs from the stack file

exit codes: 0 no changes, 2 changes, 3 drift found (--drift), 1 the stack file is invalid or the preview failed`;

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
  return `${plain.stdout}\n${plain.stderr}`.trim() || `pulumi preview exited ${plain.code}`;
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
  const args = ["preview", "--json", "--non-interactive", ...(options.stack ? ["--stack", options.stack] : []), ...(options.drift ? ["--refresh"] : [])];
  // An invalid stack file is refused as `npm run pulumi -- preview` refuses it, before the engine starts.
  const problems = problemsBeforeEngine(args, env);
  if (problems) {
    process.stderr.write(`${problems}\n`);
    return EXIT.failed;
  }
  const result = await run(args, env);
  if (result.code !== 0) {
    process.stderr.write(`the preview failed:\n${await failureText(args, env)}\n`);
    return EXIT.failed;
  }
  const plan = render.planFromPreview(JSON.parse(result.stdout));
  process.stdout.write(`${render.renderPlan(plan, options.format)}\n`);
  if (!render.hasChanges(plan)) return EXIT.noChanges;
  return options.drift ? EXIT.drift : EXIT.changes;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(EXIT.failed);
  },
);
