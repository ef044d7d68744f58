// Finds a Pulumi CLI that matches the project's @pulumi/pulumi, building it from the Go module
// proxy when none is installed, and the environment that keeps it offline-safe.
"use strict";
const { execFileSync, spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const PROJECT = path.resolve(__dirname, "..");
const BUILD_TIMEOUT_MS = 45 * 60 * 1000;

function sdkVersion() {
  const manifest = path.join(PROJECT, "node_modules/@pulumi/pulumi/package.json");
  if (!fs.existsSync(manifest)) throw new Error("@pulumi/pulumi is not installed: run `npm ci` first");
  return JSON.parse(fs.readFileSync(manifest, "utf8")).version;
}

function cacheRoot() {
  const base = process.env.PULUMI_ENGINE_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "twilio-conversations-pulumi");
  return base;
}

function versionOf(pulumiBinary) {
  try {
    return execFileSync(pulumiBinary, ["version"], { encoding: "utf8", timeout: 20_000, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } }).trim();
  } catch {
    return null;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return null;
}

/** The dynamic-provider shim ships inside @pulumi/pulumi; the engine looks for it next to the CLI. */
function installShim(dir) {
  const shim = path.join(PROJECT, "node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs");
  const target = path.join(dir, "pulumi-resource-pulumi-nodejs");
  if (!fs.existsSync(target) || fs.readFileSync(target, "utf8") !== fs.readFileSync(shim, "utf8")) {
    fs.copyFileSync(shim, target);
    fs.chmodSync(target, 0o755);
  }
}

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** One build at a time per machine: others wait for it instead of building again. */
function withBuildLock(dir, build) {
  const lock = `${dir}.lock`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      if (fs.existsSync(path.join(dir, "pulumi"))) return;
      const age = Date.now() - fs.statSync(lock).mtimeMs;
      if (age > BUILD_TIMEOUT_MS) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for another build of the Pulumi CLI (${lock})`);
      sleepSync(2000);
    }
  }
  try {
    if (!fs.existsSync(path.join(dir, "pulumi"))) build();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function buildFromGoModules(dir, version) {
  const started = Date.now();
  process.stderr.write(`[engine] no pulumi v${version} found; building it from the Go module proxy into ${dir}\n`);
  const heartbeat = setInterval(() => process.stderr.write(`[engine] still building (${Math.round((Date.now() - started) / 1000)}s)\n`), 30_000);
  heartbeat.unref();
  const result = spawnSync("bash", [path.join(__dirname, "build-engine.sh"), dir, version], {
    stdio: ["ignore", "inherit", "inherit"],
    timeout: BUILD_TIMEOUT_MS,
  });
  clearInterval(heartbeat);
  if (result.status !== 0) {
    throw new Error(`building the Pulumi CLI failed (exit ${result.status ?? result.signal}); see the output above`);
  }
  process.stderr.write(`[engine] built in ${Math.round((Date.now() - started) / 1000)}s\n`);
}

function internetReachable() {
  const probe = spawnSync("curl", ["-fsS", "-o", "/dev/null", "--max-time", "5", "https://get.pulumi.com"], { stdio: "ignore" });
  return probe.status === 0;
}

function installOfficial(dir, version) {
  process.stderr.write(`[engine] installing pulumi v${version} with Pulumi's installer\n`);
  const root = `${dir}.install`;
  const result = spawnSync("sh", ["-c", `curl -fsSL https://get.pulumi.com | sh -s -- --version ${version} --install-root "${root}" --no-edit-path`], {
    stdio: ["ignore", "inherit", "inherit"],
    timeout: 10 * 60 * 1000,
  });
  if (result.status !== 0) throw new Error("Pulumi's installer failed; see the output above");
  fs.mkdirSync(dir, { recursive: true });
  for (const file of fs.readdirSync(path.join(root, "bin"))) fs.copyFileSync(path.join(root, "bin", file), path.join(dir, file));
  fs.rmSync(root, { recursive: true, force: true });
}

/**
 * The folder holding `pulumi`, `pulumi-language-nodejs` and the dynamic-provider shim, at the
 * version of the project's @pulumi/pulumi: from PATH, else the machine cache, else built.
 */
function ensureEngine() {
  const version = sdkVersion();
  const fromPath = onPath("pulumi");
  if (fromPath && versionOf(fromPath) === `v${version}` && onPath("pulumi-language-nodejs")) {
    return path.dirname(fromPath);
  }
  const dir = path.join(cacheRoot(), `engine-v${version}`);
  if (!fs.existsSync(path.join(dir, "pulumi"))) {
    withBuildLock(dir, () => {
      if (spawnSync("go", ["version"], { stdio: "ignore" }).status === 0) buildFromGoModules(dir, version);
      else if (internetReachable()) installOfficial(dir, version);
      else {
        throw new Error(
          `no Pulumi CLI v${version}: none on PATH, none in ${dir}, Go is not installed to build one, ` +
            "and Pulumi's installer cannot be reached. Install Go 1.25+ (or pulumi v" + version + ") and try again.",
        );
      }
    });
  }
  installShim(dir);
  return dir;
}

/** Defaults that keep the CLI local and quiet; anything already set in the environment wins. */
function pulumiEnv(engineDir, base = process.env) {
  const local = path.join(PROJECT, ".pulumi-local");
  const env = { ...base };
  env.PATH = `${engineDir}${path.delimiter}${base.PATH || ""}`;
  env.PULUMI_SKIP_UPDATE_CHECK = base.PULUMI_SKIP_UPDATE_CHECK || "true";
  env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION = base.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION || "true";
  env.PULUMI_HOME = base.PULUMI_HOME || path.join(local, "home");
  if (!base.PULUMI_BACKEND_URL) {
    fs.mkdirSync(path.join(local, "backend"), { recursive: true });
    env.PULUMI_BACKEND_URL = `file://${path.join(local, "backend")}`;
    if (base.PULUMI_CONFIG_PASSPHRASE === undefined && base.PULUMI_CONFIG_PASSPHRASE_FILE === undefined) {
      env.PULUMI_CONFIG_PASSPHRASE = "";
    }
  }
  return env;
}

module.exports = { ensureEngine, pulumiEnv, sdkVersion, PROJECT };

if (require.main === module) {
  try {
    const dir = ensureEngine();
    process.stdout.write(`${dir}\n`);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
