// `npm run demo`: the main job end to end, offline. Starts the emulator, runs `pulumi up` on the
// staging seed example on a stack of its own (throwaway local backend, none of your TWILIO_* or
// PULUMI_* settings), shows what now exists, proves a second run has nothing to do, and cleans up
// (or, with --keep, says how to look around).
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { ensureEngine, pulumiEnv, PROJECT } = require("./engine");

const STACK_FILE = process.env.DEMO_STACK_FILE || "examples/staging-seed.yaml";
const keep = process.argv.includes("--keep");

function step(text) {
  process.stdout.write(`\n==> ${text}\n`);
}

// Ctrl-C reaches pulumi as well (same process group) and pulumi cancels cleanly on its own; the
// demo ignores it while a pulumi child runs, stops before the next step, and always cleans up.
// SIGTERM and SIGHUP usually reach the demo alone: they are passed on to the running child.
let interrupted = null;
let running = null;
function onSignal(signal) {
  interrupted ??= signal;
  if (signal === "SIGINT") {
    process.stderr.write(running ? "\n  interrupted: letting pulumi cancel, then cleaning up\n" : "\n  interrupted: cleaning up\n");
  } else if (running && running.exitCode === null && running.signalCode === null) {
    running.kill(signal);
  }
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => onSignal(signal));

class Interrupted extends Error {}

function checkInterrupted() {
  if (interrupted) throw new Interrupted(`interrupted (${interrupted})`);
}

function pulumi(args, env, { capture = false } = {}) {
  checkInterrupted();
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", [...args, "--non-interactive"], {
      cwd: PROJECT,
      env,
      stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"],
    });
    running = child;
    let stdout = "";
    if (capture) child.stdout.on("data", (chunk) => (stdout += chunk));
    child.on("error", (error) => {
      running = null;
      reject(error);
    });
    child.on("close", (code, signal) => {
      running = null;
      if (interrupted) reject(new Interrupted(`interrupted (${interrupted}) during pulumi ${args[0]}`));
      else if (code === 0) resolve(stdout);
      else reject(new Error(`pulumi ${args.join(" ")} exited ${code ?? signal}`));
    });
  });
}

/**
 * The demo's own environment: the user's Twilio credentials and endpoint, Pulumi backend, home
 * and passphrase never reach it (they would be sent to the emulator, or point at real state).
 */
function demoEnv(overrides) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith("TWILIO_")) continue;
    if (["PULUMI_BACKEND_URL", "PULUMI_HOME", "PULUMI_STACK"].includes(name) || name.startsWith("PULUMI_CONFIG_PASSPHRASE")) continue;
    env[name] = value;
  }
  return { ...env, ...overrides };
}

function summarize(state) {
  for (const conversation of state.conversations) {
    const label = conversation.unique_name || conversation.friendly_name || conversation.sid;
    process.stdout.write(`  ${conversation.sid}  ${label}  [${conversation.state}]\n`);
    const thread = state.messages
      .filter((message) => message.conversation_sid === conversation.sid)
      .sort((a, b) => a.index - b.index);
    for (const message of thread) {
      const text = message.body ?? (message.content_sid ? `template ${message.content_sid}` : "(media)");
      process.stdout.write(`      #${message.index} ${message.date_created} ${message.author}: ${text}\n`);
    }
  }
}

async function main() {
  const started = Date.now();
  step("Pulumi CLI");
  const engineDir = ensureEngine();
  process.stdout.write(`  using ${engineDir}\n`);
  checkInterrupted();

  step("Starting the Twilio Conversations emulator");
  const { startEmulator } = require(path.join(PROJECT, "dist/emulator"));
  const emulator = await startEmulator({});
  process.stdout.write(`  listening on ${emulator.url}\n`);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), "twilio-conversations-demo-"));
  // a stack of its own, so a stack (and Pulumi.<stack>.yaml) of yours is never touched
  const stack = `demo-${Date.now().toString(36)}`;
  const env = pulumiEnv(
    engineDir,
    demoEnv({
      PULUMI_BACKEND_URL: `file://${work}`,
      PULUMI_HOME: path.join(work, ".pulumi-home"),
      PULUMI_CONFIG_PASSPHRASE: "demo",
      TWILIO_ACCOUNT_SID: emulator.credentials.accountSid,
      TWILIO_AUTH_TOKEN: emulator.credentials.authToken,
      TWILIO_CONVERSATIONS_BASE_URL: emulator.url,
    }),
  );
  const configFile = path.join(PROJECT, `Pulumi.${stack}.yaml`);
  const ownConfigFile = !fs.existsSync(configFile);
  let kept = false;
  try {
    step(`Creating stack "${stack}" for ${STACK_FILE} (local backend in ${work})`);
    await pulumi(["stack", "init", stack, "--secrets-provider", "passphrase"], env);
    await pulumi(["config", "set", "stackFile", STACK_FILE, "--stack", stack], env);

    step("pulumi up");
    await pulumi(["up", "--yes", "--skip-preview", "--stack", stack], env);

    step("Stack outputs (SIDs by logical name)");
    process.stdout.write(await pulumi(["stack", "output", "--json", "--stack", stack], env, { capture: true }));

    step("What now exists in the emulator");
    summarize(emulator.state());

    step("pulumi preview --expect-no-changes (a second run has nothing to do)");
    await pulumi(["preview", "--expect-no-changes", "--stack", stack], env);

    if (keep) {
      kept = true;
      step("Kept");
      process.stdout.write(
        `  The emulator stops with this process; the state of stack "${stack}" is in ${work}.\n` +
          `  Remove it with: rm -rf ${work} ${configFile}\n`,
      );
    } else {
      step("Cleaning up: pulumi destroy, stack rm");
      await pulumi(["destroy", "--yes", "--skip-preview", "--stack", stack], env);
      await pulumi(["stack", "rm", stack, "--yes"], env);
    }
  } finally {
    try {
      if (!kept) {
        // the backend lives in `work`; only the stack config file the demo created is removed
        fs.rmSync(work, { recursive: true, force: true });
        if (ownConfigFile) fs.rmSync(configFile, { force: true });
      }
    } finally {
      await emulator.close();
    }
  }
  step(`Done in ${Math.round((Date.now() - started) / 1000)}s`);
}

main().then(
  () => process.exit(0),
  (error) => {
    if (error instanceof Interrupted) {
      process.stderr.write(`\ndemo ${error.message}; cleaned up\n`);
      process.exit(interrupted === "SIGINT" ? 130 : 128 + (os.constants.signals[interrupted] || 0));
    }
    process.stderr.write(`\ndemo failed: ${error.message}\n`);
    process.exit(1);
  },
);
