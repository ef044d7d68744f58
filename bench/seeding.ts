// Seeding benchmark, side by side: `pulumi up` of N conversations × 4 messages against a fresh
// emulator with Twilio's write limits, the twilio-node script a user would write instead
// (seed-script.ts), and the floor those limits impose; then a no-op `preview` of the 150 × 4 stack
// against the same graph on a dynamic provider that does nothing (noop/). Targets are issue 14's.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../emulator";
import type { BenchMetric } from "./metric";
import { seedMessageBody, seedUniqueName } from "./seed-script";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureEngine, pulumiEnv, PROJECT } = require("../../scripts/engine.js") as {
  ensureEngine: () => string;
  pulumiEnv: (engineDir: string, base: Record<string, string | undefined>) => Record<string, string>;
  PROJECT: string;
};

export const DEFAULT_SIZES = [50, 150, 500];
const MESSAGES = 4;
/** Twilio's writes per second, per service (conversation create) and per conversation (messages). */
const WRITES_PER_SECOND = 30;
const PREVIEW_SIZE = 150;
const NOOP_PROJECT = path.resolve(__dirname, "../../bench/noop");
const SEED_SCRIPT = path.resolve(__dirname, "seed-script.js");

/**
 * Seconds Twilio's limits impose over their sliding one-second window: conversation creates go
 * out 30 per window in one service, so the last starts after ceil(N/30) − 1 windows; its messages
 * (30 per window per conversation) add ceil(M/30) − 1 more. Never below one write's slot (1/30 s),
 * so a ratio to it stays finite. Gives issue 14's 1.0, 4.0 and 16 s at 50, 150 and 500 × 4.
 */
export function floorSeconds(conversations: number, messages: number): number {
  const windows = (count: number) => Math.ceil(count / WRITES_PER_SECOND) - 1;
  return Math.max(windows(conversations) + windows(messages), 1 / WRITES_PER_SECOND);
}

/** Exponent k in time ∝ size^k between two measurements. */
export function growthExponent(small: { size: number; seconds: number }, large: { size: number; seconds: number }): number {
  return Math.log(large.seconds / small.seconds) / Math.log(large.size / small.size);
}

export function seedStackYaml(conversations: number, messages: number): string {
  const lines = ["defaults:", "  webhooks: false", "conversations:"];
  for (let c = 0; c < conversations; c++) {
    const name = seedUniqueName(c);
    lines.push(`  ${name}:`, `    uniqueName: ${name}`, `    friendlyName: Seed ${c + 1}`, "    messages:");
    for (let m = 0; m < messages; m++) {
      lines.push(`      - key: m${m + 1}`, `        author: agent-${c % 7}`, `        body: ${seedMessageBody(c, m)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

interface Timed {
  seconds: number;
  peakBytes: number;
  output: string;
}

/** Sum of the resident memory of a process and all its descendants, from /proc. */
function treeRssBytes(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  const pageSize = 4096;
  let total = 0;
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop()!;
    try {
      total += Number(fs.readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]) * pageSize;
    } catch {
      continue;
    }
    queue.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Runs a command to completion, timing it and sampling its process tree's memory every 200 ms. */
function measure(command: string, args: string[], options: { cwd: string; env: Record<string, string> }): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    let peakBytes = 0;
    const sample = () => (peakBytes = Math.max(peakBytes, treeRssBytes(child.pid!)));
    const sampler = setInterval(sample, 200);
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) reject(new Error(`${command} ${args.join(" ")} exited ${code}\n${output.slice(-4000)}`));
      else resolve({ seconds, peakBytes, output });
    });
  });
}

function checkSeeded(emulator: RunningEmulator, conversations: number, messages: number, who: string): void {
  const state = emulator.state() as { conversations: { uniqueName?: string | null; unique_name?: string | null }[]; messages: unknown[] };
  if (state.conversations.length !== conversations || state.messages.length !== conversations * messages) {
    throw new Error(
      `${who} left ${state.conversations.length} conversations and ${state.messages.length} messages; ` +
        `expected ${conversations} and ${conversations * messages}`,
    );
  }
}

class Workspace {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-bench-seeding-"));
  readonly stack = `bench-${process.pid}-${Date.now().toString(36)}`;
  constructor(
    private readonly engineDir: string,
    readonly cwd: string,
    private readonly extraEnv: Record<string, string>,
  ) {
    fs.mkdirSync(path.join(this.dir, "backend"));
  }

  env(): Record<string, string> {
    return pulumiEnv(this.engineDir, {
      ...process.env,
      PULUMI_BACKEND_URL: `file://${path.join(this.dir, "backend")}`,
      PULUMI_HOME: path.join(this.dir, "home"),
      PULUMI_CONFIG_PASSPHRASE: "bench",
      TWILIO_CONVERSATIONS_INTENTS_DIR: path.join(this.dir, "intents"),
      ...this.extraEnv,
    });
  }

  pulumi(args: string[], withStack = true): Promise<Timed> {
    const stackArgs = withStack ? ["--stack", this.stack] : [];
    return measure("pulumi", [...args, ...stackArgs, "--non-interactive"], { cwd: this.cwd, env: this.env() });
  }

  async init(config: Record<string, string> = {}): Promise<void> {
    await this.pulumi(["stack", "init", this.stack, "--secrets-provider", "passphrase"], false);
    for (const [key, value] of Object.entries(config)) await this.pulumi(["config", "set", key, value]);
  }

  dispose(): void {
    fs.rmSync(path.join(this.cwd, `Pulumi.${this.stack}.yaml`), { force: true });
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

interface SizeResult {
  size: number;
  up: Timed;
  script: Timed;
  preview?: Timed;
  /** Resources in the stack's state (the engine takes one step per resource). */
  resources: number;
  stateBytes: number;
  /** Requests the emulator answered during `up`. */
  requests: number;
}

/** The stack's checkpoint in the file backend: its resources and size. */
function stateOf(backend: string): { resources: number; bytes: number } {
  const stacks = path.join(backend, ".pulumi", "stacks");
  const [file] = fs.readdirSync(stacks, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".json"));
  const text = fs.readFileSync(path.join(stacks, file), "utf8");
  const resources = (JSON.parse(text) as { checkpoint: { latest: { resources: unknown[] } } }).checkpoint.latest.resources.length;
  return { resources, bytes: Buffer.byteLength(text) };
}

async function measureSize(engineDir: string, size: number, withPreview: boolean): Promise<SizeResult> {
  const emulator = await startEmulator({ port: 0, apsLimits: true });
  const workspace = new Workspace(engineDir, PROJECT, {
    TWILIO_CONVERSATIONS_BASE_URL: emulator.url,
    TWILIO_ACCOUNT_SID: emulator.credentials.accountSid,
    TWILIO_AUTH_TOKEN: emulator.credentials.authToken,
  });
  let up: Timed;
  let preview: Timed | undefined;
  let state: { resources: number; bytes: number };
  let requests: number;
  try {
    const stackFile = path.join(workspace.dir, "stack.yaml");
    fs.writeFileSync(stackFile, seedStackYaml(size, MESSAGES));
    await workspace.init({ stackFile });
    process.stderr.write(`bench: seeding ${size}×${MESSAGES} up…\n`);
    up = await workspace.pulumi(["up", "--yes", "--skip-preview"]);
    checkSeeded(emulator, size, MESSAGES, "pulumi up");
    requests = emulator.requests().length;
    state = stateOf(path.join(workspace.dir, "backend"));
    if (withPreview) {
      process.stderr.write(`bench: seeding ${size}×${MESSAGES} no-op preview…\n`);
      preview = await workspace.pulumi(["preview", "--expect-no-changes"]);
    }
  } finally {
    workspace.dispose();
    await emulator.close();
  }

  const scriptEmulator = await startEmulator({ port: 0, apsLimits: true });
  try {
    process.stderr.write(`bench: seeding ${size}×${MESSAGES} twilio-node script…\n`);
    const { accountSid, authToken } = scriptEmulator.credentials;
    const script = await measure(process.execPath, [SEED_SCRIPT, scriptEmulator.url, accountSid, authToken, String(size), String(MESSAGES)], {
      cwd: PROJECT,
      env: { ...process.env } as Record<string, string>,
    });
    checkSeeded(scriptEmulator, size, MESSAGES, "the twilio-node script");
    return { size, up, script, preview, resources: state.resources, stateBytes: state.bytes, requests };
  } finally {
    await scriptEmulator.close();
  }
}

export async function noopPreview(engineDir: string, size: number): Promise<Timed> {
  const workspace = new Workspace(engineDir, NOOP_PROJECT, { SEED_CONVERSATIONS: String(size), SEED_MESSAGES: String(MESSAGES) });
  try {
    await workspace.init();
    process.stderr.write(`bench: do-nothing provider ${size}×${MESSAGES} up and no-op preview…\n`);
    await workspace.pulumi(["up", "--yes", "--skip-preview"]);
    return await workspace.pulumi(["preview", "--expect-no-changes"]);
  } finally {
    workspace.dispose();
  }
}

const MB = 1024 * 1024;

export async function run(options: { sizes?: number[] } = {}): Promise<BenchMetric[]> {
  const sizes = [...(options.sizes ?? DEFAULT_SIZES)].sort((a, b) => a - b);
  const engineDir = ensureEngine();
  const metrics: BenchMetric[] = [];
  const results: SizeResult[] = [];
  for (const size of sizes) {
    const result = await measureSize(engineDir, size, size === PREVIEW_SIZE);
    results.push(result);
    if (result.preview) {
      const noop = await noopPreview(engineDir, size);
      metrics.push(
        { name: `no-op preview ${size}×${MESSAGES}`, value: result.preview.seconds, unit: "s", better: "lower" },
        { name: `no-op preview ${size}×${MESSAGES}, do-nothing provider`, value: noop.seconds, unit: "s", better: "lower" },
        { name: "no-op preview / do-nothing provider", value: result.preview.seconds / noop.seconds, unit: "×", target: 1.2, better: "lower" },
      );
      process.stderr.write(`bench: no-op preview ${size}×${MESSAGES}: ${result.preview.seconds.toFixed(1)} s, do-nothing provider ${noop.seconds.toFixed(1)} s\n`);
    }
    const label = `seeding ${size}×${MESSAGES}`;
    const floor = floorSeconds(size, MESSAGES);
    metrics.push(
      { name: `${label} up`, value: result.up.seconds, unit: "s", better: "lower" },
      { name: `${label} twilio-node script`, value: result.script.seconds, unit: "s", better: "lower" },
      { name: `${label} Twilio's floor`, value: floor, unit: "s", better: "lower" },
      { name: `${label} up / floor`, value: result.up.seconds / floor, unit: "×", better: "lower", ...(size === 150 ? { target: 3 } : {}) },
      { name: `${label} up / script`, value: result.up.seconds / result.script.seconds, unit: "×", better: "lower", ...(size === 150 ? { target: 1 } : {}) },
      { name: `${label} up peak memory`, value: result.up.peakBytes / MB, unit: "MB", better: "lower", ...(size === 500 ? { target: 600 } : {}) },
      { name: `${label} script peak memory`, value: result.script.peakBytes / MB, unit: "MB", better: "lower" },
      { name: `${label} engine steps (resources in state)`, value: result.resources, unit: "", better: "lower" },
      { name: `${label} state bytes per conversation`, value: Math.round(result.stateBytes / size), unit: "B", better: "lower" },
      { name: `${label} requests per up`, value: result.requests, unit: "", better: "lower" },
    );
    process.stderr.write(
      `bench: ${label}: up ${result.up.seconds.toFixed(1)} s, script ${result.script.seconds.toFixed(1)} s, floor ${floor.toFixed(2)} s, ` +
        `up peak ${(result.up.peakBytes / MB).toFixed(0)} MB\n`,
    );
  }

  if (results.length >= 2) {
    const [small, large] = results.slice(-2).map((r) => ({ size: r.size, seconds: r.up.seconds }));
    metrics.push({ name: `seeding up growth exponent ${small.size}→${large.size}`, value: growthExponent(small, large), unit: "", better: "lower" });
    const base = results.find((r) => r.size === 150);
    const top = results.find((r) => r.size === 500);
    if (base && top) {
      const linear = base.up.seconds * (500 / 150);
      metrics.push({ name: "seeding 500×4 up / (3.33 × 150×4 up)", value: top.up.seconds / linear, unit: "×", target: 1.2, better: "lower" });
    }
  }

  return metrics;
}
