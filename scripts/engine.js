// Finds a Pulumi CLI that matches the project's @pulumi/pulumi, building it from the Go module
// proxy when none is installed, and the environment that keeps it quiet and offline-safe.
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

/** Whether a process with this id runs on this machine (EPERM: it does, under another user). */
function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

function readOwner(lock) {
  try {
    return JSON.parse(fs.readFileSync(path.join(lock, "owner.json"), "utf8"));
  } catch {
    return null;
  }
}

/**
 * Why a lock held by someone else can be taken over, or null while it is live: its owner has
 * exited (an interrupted build), or it is older than a build may take.
 */
function staleReason(lock, owner) {
  let mtimeMs;
  try {
    mtimeMs = fs.statSync(lock).mtimeMs;
  } catch {
    return null; // just released
  }
  const started = owner && Number.isFinite(owner.startedAt) ? owner.startedAt : mtimeMs;
  if (Date.now() - started > BUILD_TIMEOUT_MS) return `it is older than the build timeout (${BUILD_TIMEOUT_MS / 60000} min)`;
  if (owner && Number.isInteger(owner.pid) && owner.host === os.hostname() && !processAlive(owner.pid)) {
    return `process ${owner.pid} that took it is gone`;
  }
  // the owner writes owner.json right after creating the folder; without one for a minute, it died in between
  if (!owner && Date.now() - mtimeMs > 60_000) return "it names no owner";
  return null;
}

/**
 * One build at a time per machine: others wait for it instead of building again. The lock folder
 * records its owner (pid, host, start time), so a lock left by an interrupted build is taken over.
 */
function withBuildLock(dir, build) {
  const lock = `${dir}.lock`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  let lastNotice = 0;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, "owner.json"), JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: Date.now() }));
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      if (fs.existsSync(path.join(dir, "pulumi"))) return;
      const owner = readOwner(lock);
      const stale = staleReason(lock, owner);
      if (stale) {
        // take it over only if it still is the lock judged stale
        if (JSON.stringify(readOwner(lock)) === JSON.stringify(owner)) {
          process.stderr.write(`[engine] removing the stale Pulumi CLI build lock ${lock}: ${stale}\n`);
          fs.rmSync(lock, { recursive: true, force: true });
        }
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for another build of the Pulumi CLI (${lock})`);
      if (Date.now() - lastNotice >= 30_000) {
        lastNotice = Date.now();
        const by = owner ? `process ${owner.pid}${owner.host && owner.host !== os.hostname() ? ` on ${owner.host}` : ""}` : "another process";
        const since = owner && owner.startedAt ? new Date(owner.startedAt).toISOString() : "just now";
        process.stderr.write(`[engine] waiting for the Pulumi CLI build by ${by} (started ${since}; lock ${lock})\n`);
      }
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
  // build-engine.sh prints progress itself: spawnSync blocks this process, timers included
  const result = spawnSync("bash", [path.join(__dirname, "build-engine.sh"), dir, version], {
    stdio: ["ignore", "inherit", "inherit"],
    timeout: BUILD_TIMEOUT_MS,
  });
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

/** The CLI versions the tests run, each pinned in scripts/engine/cli/: the oldest supported first. */
function testedCliVersions() {
  return fs
    .readdirSync(path.join(__dirname, "engine", "cli"))
    .filter((name) => /^v\d+\.\d+\.\d+$/.test(name))
    .map((name) => name.slice(1))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

/**
 * The CLI version to run: PULUMI_CLI_VERSION when set (one of testedCliVersions, to run the tests
 * on another CLI than the project's own), else the version of the project's @pulumi/pulumi.
 */
function cliVersion(base = process.env) {
  const asked = (base.PULUMI_CLI_VERSION || "").replace(/^v/, "");
  if (!asked) return sdkVersion();
  const tested = testedCliVersions();
  if (!tested.includes(asked)) {
    throw new Error(`PULUMI_CLI_VERSION=${asked} is not one of the pinned CLI versions (${tested.join(", ")}); see scripts/build-engine.sh`);
  }
  return asked;
}

/**
 * The folder holding `pulumi`, `pulumi-language-nodejs` and the dynamic-provider shim, at
 * cliVersion(): from PATH, else the machine cache, else built.
 */
function ensureEngine(version = cliVersion()) {
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

function pulumiHome(base) {
  return base.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
}

/** The backend `pulumi login` made current (credentials.json's `current`), or null. */
function currentLogin(base) {
  try {
    const credentials = JSON.parse(fs.readFileSync(path.join(pulumiHome(base), "credentials.json"), "utf8"));
    return typeof credentials.current === "string" && credentials.current.trim() ? credentials.current.trim() : null;
  } catch {
    return null;
  }
}

/** The `backend: url:` of the project's Pulumi.yaml, or null. */
function projectBackend() {
  let text;
  try {
    text = fs.readFileSync(path.join(PROJECT, "Pulumi.yaml"), "utf8");
  } catch {
    return null;
  }
  try {
    const project = require("js-yaml").load(text);
    const url = project && project.backend && project.backend.url;
    return typeof url === "string" && url.trim() ? url.trim() : null;
  } catch {
    const match = /^backend:\s*\n(?:[ \t]+.*\n)*?[ \t]+url:\s*["']?([^"'\s#]+)/m.exec(text);
    return match ? match[1] : null;
  }
}

/**
 * The environment for the CLI; anything already set in `base` wins. The state backend is Pulumi's
 * own choice (PULUMI_BACKEND_URL, else Pulumi.yaml's `backend:`, else the current `pulumi login`),
 * and only when there is none does it default to a file backend under the git-ignored
 * `.pulumi-local/` (pass `{ localBackend: false }` to skip even that, e.g. for `pulumi login`).
 * PULUMI_HOME and PULUMI_CONFIG_PASSPHRASE are never set here: the passphrase protects secrets in
 * Pulumi.<stack>.yaml, so it is the user's to choose (Pulumi asks for it, or says how to set it).
 */
function pulumiEnv(engineDir, base = process.env, { localBackend = true } = {}) {
  const env = { ...base };
  env.PATH = `${engineDir}${path.delimiter}${base.PATH || ""}`;
  env.PULUMI_SKIP_UPDATE_CHECK = base.PULUMI_SKIP_UPDATE_CHECK || "true";
  env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION = base.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION || "true";
  if (localBackend && !base.PULUMI_BACKEND_URL && !currentLogin(base) && !projectBackend()) {
    const backend = path.join(PROJECT, ".pulumi-local", "backend");
    fs.mkdirSync(backend, { recursive: true });
    env.PULUMI_BACKEND_URL = `file://${backend}`;
    process.stderr.write(
      `[pulumi] no backend logged in: using the local file backend ${backend} ` +
        "(`npm run pulumi -- login <url>` or PULUMI_BACKEND_URL selects another)\n",
    );
  }
  return env;
}

module.exports = { ensureEngine, pulumiEnv, sdkVersion, cliVersion, testedCliVersions, PROJECT };

if (require.main === module) {
  try {
    // `node scripts/engine.js --all` obtains every tested CLI version (CI's cache), printing each folder
    const versions = process.argv.includes("--all") ? testedCliVersions() : [cliVersion()];
    for (const version of versions) process.stdout.write(`${ensureEngine(version)}\n`);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
