// `npm run demo`: the main job end to end, offline. Starts the emulator, runs `pulumi up` on the
// staging seed example with a throwaway local backend, shows what now exists, proves a second
// run has nothing to do, and cleans up (or, with --keep, says how to look around).
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

function pulumi(args, env, { capture = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", [...args, "--non-interactive"], {
      cwd: PROJECT,
      env,
      stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"],
    });
    let stdout = "";
    if (capture) child.stdout.on("data", (chunk) => (stdout += chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`pulumi ${args.join(" ")} exited ${code}`))));
  });
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

  step("Starting the Twilio Conversations emulator");
  const { startEmulator } = require(path.join(PROJECT, "dist/emulator"));
  const emulator = await startEmulator({});
  process.stdout.write(`  listening on ${emulator.url}\n`);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), "twilio-conversations-demo-"));
  const stack = "demo";
  const env = pulumiEnv(engineDir, {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${work}`,
    PULUMI_HOME: path.join(work, ".pulumi-home"),
    PULUMI_CONFIG_PASSPHRASE: "demo",
    TWILIO_ACCOUNT_SID: emulator.credentials.accountSid,
    TWILIO_AUTH_TOKEN: emulator.credentials.authToken,
    TWILIO_CONVERSATIONS_BASE_URL: emulator.url,
  });
  const configFile = path.join(PROJECT, `Pulumi.${stack}.yaml`);
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
      step("Kept");
      process.stdout.write(
        `  The emulator stops with this process; the state is in ${work}.\n` +
          `  Remove it with: rm -rf ${work} ${configFile}\n`,
      );
    } else {
      step("Cleaning up: pulumi destroy, stack rm");
      await pulumi(["destroy", "--yes", "--skip-preview", "--stack", stack], env);
      await pulumi(["stack", "rm", stack, "--yes"], env);
    }
  } finally {
    if (!keep) {
      fs.rmSync(work, { recursive: true, force: true });
      fs.rmSync(configFile, { force: true });
    }
    await emulator.close();
  }
  step(`Done in ${Math.round((Date.now() - started) / 1000)}s`);
}

main().catch((error) => {
  process.stderr.write(`\ndemo failed: ${error.message}\n`);
  process.exit(1);
});
