// Seeding benchmark, side by side: `pulumi up` of N conversations × 4 messages against a fresh
// emulator with Twilio's write limits, the twilio-node script a user would write instead
// (seed-script.ts), and the floor those limits impose; beside them the same graph's `up` on a
// dynamic provider that does nothing (noop/: what the engine alone costs), the no-op `preview` of
// the 150 × 4 stack against that provider's (medians of three), and at the largest size the `up`
// with the engine's checkpoint after every step turned off (what those checkpoints cost). Targets
// are issue 14's.
// Module `seeding-children` (issue 10): the same three side by side for conversations that also
// have 3 participants and a scoped webhook each, with where the time of `up` goes. Module
// `seeding-grouped` (issue 26, seeding-grouped.ts) measures with the functions exported here.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../emulator";
import { EXIT } from "../provider/cli/exit-codes";
import type { BenchMetric } from "./metric";
import {
  SEED_WEBHOOK_FILTERS,
  SEED_WEBHOOK_KEY,
  seedAuthorName,
  seedMessageAuthor,
  seedMessageBody,
  seedParticipants,
  seedUniqueName,
  seedWebhookUrl,
} from "./seed-script";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureEngine, pulumiEnv, PROJECT } = require("../../scripts/engine.js") as {
  ensureEngine: () => string;
  pulumiEnv: (engineDir: string, base: Record<string, string | undefined>) => Record<string, string>;
  PROJECT: string;
};
export { ensureEngine };

export const DEFAULT_SIZES = [50, 150, 500];
export const DEFAULT_CHILDREN_SIZES = [50];
export const MESSAGES = 4;
/** Each conversation's children in the `seeding-children` case. */
const CHILDREN = { participants: 3, webhooks: 1 };
/**
 * Twilio's writes per second, per service (conversation create) and per conversation (messages,
 * participants).
 */
const WRITES_PER_SECOND = 30;
const PREVIEW_SIZE = 150;
const NOOP_PROJECT = path.resolve(__dirname, "../../bench/noop");
const SEED_SCRIPT = path.resolve(__dirname, "seed-script.js");

/**
 * Seconds Twilio's limits impose over their sliding one-second window: conversation creates go
 * out 30 per window in one service, so the last starts after ceil(N/30) − 1 windows; its
 * participants and messages, which share its 30 per window, add ceil((P + M)/30) − 1 more.
 * Scoped webhook writes are not limited, so they add nothing however many there are. Never below
 * one write's slot (1/30 s), so a ratio to it stays finite:
 *
 *   floor = max(ceil(N/30) − 1 + ceil((P + M)/30) − 1, 1/30)
 *
 * Gives issue 14's 1.0, 4.0 and 16 s at 50, 150 and 500 × 4, and 1.0 s at 50 × (4 messages,
 * 3 participants, 1 webhook).
 */
export function floorSeconds(conversations: number, messages: number, participants = 0): number {
  const windows = (count: number) => Math.ceil(count / WRITES_PER_SECOND) - 1;
  return Math.max(windows(conversations) + windows(participants + messages), 1 / WRITES_PER_SECOND);
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

/** The stack of `seedStackYaml` with each conversation's participants and webhook, its messages by them. */
export function seedStackWithChildrenYaml(conversations: number, messages: number): string {
  const lines = ["defaults:", "  webhooks: false", "conversations:"];
  for (let c = 0; c < conversations; c++) {
    const name = seedUniqueName(c);
    lines.push(`  ${name}:`, `    uniqueName: ${name}`, `    friendlyName: Seed ${c + 1}`, "    participants:");
    for (const participant of seedParticipants(c)) {
      const who =
        "identity" in participant
          ? `identity: ${participant.identity}`
          : `messagingBinding: { address: "${participant.messagingBinding.address}", proxyAddress: "${participant.messagingBinding.proxyAddress}" }`;
      lines.push(`      ${participant.key}: { ${who} }`);
    }
    lines.push(
      "    scopedWebhooks:",
      `      ${SEED_WEBHOOK_KEY}: { target: webhook, url: ${seedWebhookUrl(c)}, method: POST, filters: [${SEED_WEBHOOK_FILTERS.join(", ")}] }`,
      "    messages:",
    );
    for (let m = 0; m < messages; m++) {
      lines.push(`      - key: m${m + 1}`, `        author: { participant: ${seedMessageAuthor(m)} }`, `        body: ${seedMessageBody(c, m)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

export interface Timed {
  seconds: number;
  peakBytes: number;
  /** CPU time of the command's own process (for pulumi, the engine), as last sampled. */
  cpuSeconds: number;
  /** Its stdout and stderr, interleaved. */
  output: string;
  stdout: string;
}

/**
 * The fields of `/proc/<pid>/stat` after the command name (which may hold spaces): state, ppid, …;
 * throws once the process has ended.
 */
function procStatFields(pid: number | string): string[] {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** User and system CPU time of a process so far, from /proc; 0 once it has ended. */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = procStatFields(pid);
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

const CLOCK_TICKS_PER_SECOND = 100;

/** Sum of the resident memory of a process and all its descendants, from /proc. */
function treeRssBytes(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(procStatFields(entry)[1]);
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

/** The text, or its first and last `each` characters when longer: where an error starts and how it ends. */
function headAndTail(text: string, each: number): string {
  return text.length <= 2 * each ? text : `${text.slice(0, each)}\n…\n${text.slice(-each)}`;
}

/**
 * Runs a command to completion, timing it and sampling its process tree's memory every 200 ms;
 * fails unless it exits with one of `successCodes`.
 */
function measure(command: string, args: string[], options: { cwd: string; env: Record<string, string> }, successCodes: readonly number[] = [0]): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let stdout = "";
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      stdout += chunk;
    });
    child.stderr!.on("data", (chunk) => (output += chunk));
    let peakBytes = 0;
    let cpuSeconds = 0;
    const sample = () => {
      peakBytes = Math.max(peakBytes, treeRssBytes(child.pid!));
      cpuSeconds = Math.max(cpuSeconds, cpuSecondsOf(child.pid!));
    };
    const sampler = setInterval(sample, 200);
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      if (code === null || !successCodes.includes(code)) reject(new Error(`${command} ${args.join(" ")} exited ${code}\n${headAndTail(output, 2000)}`));
      else resolve({ seconds, peakBytes, cpuSeconds, output, stdout });
    });
  });
}

export function checkSeeded(emulator: RunningEmulator, conversations: number, messages: number, who: string): void {
  const state = emulator.state() as { conversations: { uniqueName?: string | null; unique_name?: string | null }[]; messages: unknown[] };
  if (state.conversations.length !== conversations || state.messages.length !== conversations * messages) {
    throw new Error(
      `${who} left ${state.conversations.length} conversations and ${state.messages.length} messages; ` +
        `expected ${conversations} and ${conversations * messages}`,
    );
  }
}

/** Each seeded conversation holds its participants, webhook and messages, with the declared authors. */
function checkSeededChildren(emulator: RunningEmulator, conversations: number, messages: number, who: string): void {
  checkSeeded(emulator, conversations, messages, who);
  const state = emulator.state() as {
    conversations: { sid: string; unique_name: string | null }[];
    participants: { conversation_sid: string; identity: string | null; messaging_binding: { address?: string } | null }[];
    webhooks: { conversation_sid: string; target: string; configuration: { url?: string; filters?: string[] } }[];
    messages: { conversation_sid: string; author: string }[];
  };
  const problems: string[] = [];
  for (let c = 0; c < conversations; c++) {
    const name = seedUniqueName(c);
    const conversation = state.conversations.find((candidate) => candidate.unique_name === name);
    if (!conversation) {
      problems.push(`${name} is missing`);
      continue;
    }
    const inIt = <T extends { conversation_sid: string }>(list: T[]) => list.filter((item) => item.conversation_sid === conversation.sid);
    const held = inIt(state.participants).map((p) => p.identity ?? p.messaging_binding?.address);
    const participants = seedParticipants(c);
    const authorOf = (key: string) => seedAuthorName(participants.find((p) => p.key === key)!);
    for (const participant of participants) {
      if (!held.includes(seedAuthorName(participant))) problems.push(`${name} lacks participant ${participant.key}`);
    }
    if (held.length !== participants.length) problems.push(`${name} has ${held.length} participants, not ${participants.length}`);
    const webhooks = inIt(state.webhooks);
    if (webhooks.length !== CHILDREN.webhooks || webhooks[0].configuration.url !== seedWebhookUrl(c)) {
      problems.push(`${name} has ${webhooks.length} webhooks, not its one to ${seedWebhookUrl(c)}`);
    }
    const authors = inIt(state.messages).map((message) => message.author);
    const expected = Array.from({ length: messages }, (_, m) => authorOf(seedMessageAuthor(m)));
    if (authors.join(",") !== expected.join(",")) problems.push(`${name}'s messages are by ${authors.join(", ")}, not ${expected.join(", ")}`);
  }
  if (problems.length) throw new Error(`${who} left: ${problems.slice(0, 5).join("; ")}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ""}`);
}

/**
 * When the in-process emulator logged its first and last request, by polling its log every 10 ms
 * while a command runs: seconds from `start()`.
 */
class RequestTimeline {
  private startedAt = 0;
  private seen = 0;
  first: number | null = null;
  last: number | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly emulator: RunningEmulator) {}

  start(): void {
    this.startedAt = performance.now();
    this.seen = this.emulator.requestCount();
    this.timer = setInterval(() => this.poll(), 10);
  }

  stop(): void {
    clearInterval(this.timer);
    this.poll();
  }

  private poll(): void {
    const count = this.emulator.requestCount();
    if (count === this.seen) return;
    const at = (performance.now() - this.startedAt) / 1000;
    this.first ??= at;
    this.last = at;
    this.seen = count;
  }
}

/** The package's command line. */
const PLAN_CLI = path.resolve(__dirname, "../provider/cli.js");

export class Workspace {
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

  /**
   * The package's `plan` (as `npm run plan -- --stack S` runs it) in JSON, on this workspace's
   * stack and backend; it exits 2 when the plan holds changes.
   */
  plan(): Promise<Timed> {
    const args = [PLAN_CLI, "plan", "--stack", this.stack, "--cwd", this.cwd, "--format", "json"];
    return measure(process.execPath, args, { cwd: this.cwd, env: this.env() }, [EXIT.ok, EXIT.changes]);
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
  /** The no-op previews after `up`, in order, when asked (see `noopPreviews`). */
  previews?: Timed[];
  /** Resources in the stack's state (the engine takes one step per resource). */
  resources: number;
  stateBytes: number;
  /** Requests the emulator answered during `up`. */
  requests: number;
  /** Requests the emulator answered during the script, its retries of 429s included. */
  scriptRequests: number;
  /** Seconds into `up` of its first and last request, where the case asks for them. */
  timeline?: { first: number | null; last: number | null };
}

/** What a case seeds and how it checks the result. */
export interface SeedCase {
  /** How progress lines and figures name a size of the case. */
  label(conversations: number, messages: number): string;
  stackYaml(conversations: number, messages: number): string;
  check(emulator: RunningEmulator, conversations: number, messages: number, who: string): void;
  /** Extra arguments of seed-script.js. */
  scriptArgs: string[];
  timeline: boolean;
}

export const PLAIN: SeedCase = { label: (conversations, messages) => `${conversations}×${messages}`, stackYaml: seedStackYaml, check: checkSeeded, scriptArgs: [], timeline: false };
const WITH_CHILDREN: SeedCase = {
  label: (conversations, messages) =>
    `${conversations}×(${messages} messages, ${CHILDREN.participants} participants, ${CHILDREN.webhooks} webhook${CHILDREN.webhooks === 1 ? "" : "s"})`,
  stackYaml: seedStackWithChildrenYaml,
  check: checkSeededChildren,
  scriptArgs: ["children"],
  timeline: true,
};

/** The stack's checkpoint in the file backend: its resources and size. */
function stateOf(backend: string): { resources: number; bytes: number } {
  const stacks = path.join(backend, ".pulumi", "stacks");
  const [file] = fs.readdirSync(stacks, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".json"));
  const text = fs.readFileSync(path.join(stacks, file), "utf8");
  const resources = (JSON.parse(text) as { checkpoint: { latest: { resources: unknown[] } } }).checkpoint.latest.resources.length;
  return { resources, bytes: Buffer.byteLength(text) };
}

/** `up` of the stack, then its no-op previews when asked, and the script beside them. */
export async function measureSize<After = never>(
  engineDir: string,
  size: number,
  withPreview: boolean,
  seedCase: SeedCase = PLAIN,
  afterUp?: (seeded: Seeded) => Promise<After>,
): Promise<SizeResult & { after?: After }> {
  const up = await measureUp(engineDir, size, withPreview, seedCase, {}, afterUp);
  return { ...up, ...(await measureScript(size, seedCase)) };
}

/** A stack just seeded by `up`: where it lives, its stack file and the emulator holding it. */
export interface Seeded {
  workspace: Workspace;
  emulator: RunningEmulator;
  stackFile: string;
  size: number;
}

/**
 * The emulator's request log holds every request of the largest seed (each `up` of 2,000 × 4 sends
 * more than 10,000, its default), so the counts are whole.
 */
const REQUEST_LOG_LIMIT = 1_000_000;

/**
 * `up` of the stack on a fresh emulator (with `env`), every object checked, then its no-op previews
 * when asked, then `afterUp` on the seeded stack when given.
 */
export async function measureUp<After = never>(
  engineDir: string,
  size: number,
  withPreview: boolean,
  seedCase: SeedCase,
  env: Record<string, string> = {},
  afterUp?: (seeded: Seeded) => Promise<After>,
): Promise<Omit<SizeResult, "script" | "scriptRequests"> & { after?: After }> {
  const emulator = await startEmulator({ port: 0, apsLimits: true, requestLogLimit: REQUEST_LOG_LIMIT });
  const workspace = new Workspace(engineDir, PROJECT, {
    TWILIO_CONVERSATIONS_BASE_URL: emulator.url,
    TWILIO_ACCOUNT_SID: emulator.credentials.accountSid,
    TWILIO_AUTH_TOKEN: emulator.credentials.authToken,
    ...env,
  });
  let up: Timed;
  let previews: Timed[] | undefined;
  let state: { resources: number; bytes: number };
  let requests: number;
  let timeline: RequestTimeline | undefined;
  let after: After | undefined;
  try {
    const stackFile = path.join(workspace.dir, "stack.yaml");
    fs.writeFileSync(stackFile, seedCase.stackYaml(size, MESSAGES));
    await workspace.init({ stackFile });
    process.stderr.write(`bench: seeding ${seedCase.label(size, MESSAGES)} up${env.PULUMI_SKIP_CHECKPOINTS ? " with PULUMI_SKIP_CHECKPOINTS=true" : ""}…\n`);
    if (seedCase.timeline) {
      timeline = new RequestTimeline(emulator);
      timeline.start();
    }
    try {
      up = await workspace.pulumi(["up", "--yes", "--skip-preview"]);
    } finally {
      timeline?.stop();
    }
    seedCase.check(emulator, size, MESSAGES, "pulumi up");
    requests = emulator.requests().length;
    state = stateOf(path.join(workspace.dir, "backend"));
    if (withPreview) {
      process.stderr.write(`bench: seeding ${size}×${MESSAGES} no-op previews…\n`);
      previews = await noopPreviews(workspace);
    }
    if (afterUp) after = await afterUp({ workspace, emulator, stackFile, size });
  } finally {
    workspace.dispose();
    await emulator.close();
  }
  const recorded = timeline && { first: timeline.first, last: timeline.last };
  return { size, up, previews, resources: state.resources, stateBytes: state.bytes, requests, timeline: recorded, ...(afterUp ? { after } : {}) };
}

/** The twilio-node script seeding the same on a fresh emulator, every object checked. */
async function measureScript(size: number, seedCase: SeedCase): Promise<Pick<SizeResult, "script" | "scriptRequests">> {
  const scriptEmulator = await startEmulator({ port: 0, apsLimits: true, requestLogLimit: REQUEST_LOG_LIMIT });
  try {
    process.stderr.write(`bench: seeding ${seedCase.label(size, MESSAGES)} twilio-node script…\n`);
    const { accountSid, authToken } = scriptEmulator.credentials;
    const args = [SEED_SCRIPT, scriptEmulator.url, accountSid, authToken, String(size), String(MESSAGES), ...seedCase.scriptArgs];
    const script = await measure(process.execPath, args, { cwd: PROJECT, env: { ...process.env } as Record<string, string> });
    seedCase.check(scriptEmulator, size, MESSAGES, "the twilio-node script");
    return { script, scriptRequests: scriptEmulator.requests().length };
  } finally {
    await scriptEmulator.close();
  }
}

/**
 * The same graph on a dynamic provider that does nothing: its `up` is what the engine alone costs
 * for that many resources (start, one step and its checkpoints per resource), and, when asked, its
 * no-op previews.
 */
export async function noopRun(engineDir: string, size: number, withPreview: boolean): Promise<{ up: Timed; previews?: Timed[] }> {
  const workspace = new Workspace(engineDir, NOOP_PROJECT, { SEED_CONVERSATIONS: String(size), SEED_MESSAGES: String(MESSAGES) });
  try {
    await workspace.init();
    process.stderr.write(`bench: do-nothing provider ${size}×${MESSAGES} up${withPreview ? " and no-op previews" : ""}…\n`);
    const up = await workspace.pulumi(["up", "--yes", "--skip-preview"]);
    return withPreview ? { up, previews: await noopPreviews(workspace) } : { up };
  } finally {
    workspace.dispose();
  }
}

/**
 * Three no-op previews one after another. The first after a seed also closes the seed's create
 * journal; their median is what a no-op preview takes, less exposed to this machine's drift than
 * any one run.
 */
async function noopPreviews(workspace: Workspace): Promise<Timed[]> {
  const previews: Timed[] = [];
  for (let run = 0; run < PREVIEW_RUNS; run++) previews.push(await workspace.pulumi(["preview", "--expect-no-changes"]));
  return previews;
}

export const PREVIEW_RUNS = 3;

export function medianSeconds(runs: readonly Timed[]): number {
  const sorted = runs.map((run) => run.seconds).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export const MB = 1024 * 1024;

export async function run(options: { sizes?: number[] } = {}): Promise<BenchMetric[]> {
  const sizes = [...(options.sizes ?? DEFAULT_SIZES)].sort((a, b) => a - b);
  const engineDir = ensureEngine();
  const metrics: BenchMetric[] = [];
  const results: SizeResult[] = [];
  const noopUps = new Map<number, Timed>();
  for (const size of sizes) {
    const result = await measureSize(engineDir, size, size === PREVIEW_SIZE);
    results.push(result);
    const noop = await noopRun(engineDir, size, result.previews !== undefined);
    noopUps.set(size, noop.up);
    if (result.previews && noop.previews) {
      const [ours, engineAlone] = [medianSeconds(result.previews), medianSeconds(noop.previews)];
      metrics.push(
        { name: `first no-op preview ${size}×${MESSAGES} (closes the seed's journal)`, value: result.previews[0].seconds, unit: "s", better: "lower" },
        { name: `no-op preview ${size}×${MESSAGES} (median of ${PREVIEW_RUNS})`, value: ours, unit: "s", better: "lower" },
        { name: `no-op preview ${size}×${MESSAGES}, do-nothing provider (median of ${PREVIEW_RUNS})`, value: engineAlone, unit: "s", better: "lower" },
        { name: "no-op preview / do-nothing provider", value: ours / engineAlone, unit: "×", target: 1.2, better: "lower" },
      );
      process.stderr.write(`bench: no-op preview ${size}×${MESSAGES}: ${ours.toFixed(1)} s, do-nothing provider ${engineAlone.toFixed(1)} s (medians)\n`);
    }
    const label = `seeding ${size}×${MESSAGES}`;
    const floor = floorSeconds(size, MESSAGES);
    metrics.push(
      { name: `${label} up`, value: result.up.seconds, unit: "s", better: "lower" },
      { name: `${label} twilio-node script`, value: result.script.seconds, unit: "s", better: "lower" },
      { name: `${label} Twilio's floor`, value: floor, unit: "s", better: "lower" },
      { name: `${label} up / floor`, value: result.up.seconds / floor, unit: "×", better: "lower", ...(size === 150 ? { target: 3 } : {}) },
      { name: `${label} up / script`, value: result.up.seconds / result.script.seconds, unit: "×", better: "lower", ...(size === 150 ? { target: 1 } : {}) },
      { name: `${label} up, do-nothing provider (the engine alone)`, value: noop.up.seconds, unit: "s", better: "lower" },
      { name: `${label} up: the engine's CPU time`, value: result.up.cpuSeconds, unit: "s", better: "lower" },
      { name: `${label} up peak memory`, value: result.up.peakBytes / MB, unit: "MB", better: "lower", ...(size === 500 ? { target: 600 } : {}) },
      { name: `${label} script peak memory`, value: result.script.peakBytes / MB, unit: "MB", better: "lower" },
      { name: `${label} up peak memory, do-nothing provider`, value: noop.up.peakBytes / MB, unit: "MB", better: "lower" },
      { name: `${label} engine steps (resources in state)`, value: result.resources, unit: "", better: "lower" },
      { name: `${label} state bytes per conversation`, value: Math.round(result.stateBytes / size), unit: "B", better: "lower" },
      { name: `${label} requests per up`, value: result.requests, unit: "", better: "lower" },
    );
    if (size === sizes[sizes.length - 1]) {
      // What the engine's checkpoint after every step costs at this size: the same up with the
      // engine told to write state once, at the end (safe for these resources, see the README).
      process.stderr.write(`bench: ${label} up with PULUMI_SKIP_CHECKPOINTS=true…\n`);
      const unsaved = await measureUp(engineDir, size, false, PLAIN, { PULUMI_SKIP_CHECKPOINTS: "true" });
      metrics.push({ name: `${label} up, state written once (PULUMI_SKIP_CHECKPOINTS=true)`, value: unsaved.up.seconds, unit: "s", better: "lower" });
    }
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
      const pastLinear = (at150: Timed, at500: Timed) => at500.seconds / (at150.seconds * (500 / 150));
      metrics.push({ name: "seeding 500×4 up / (3.33 × 150×4 up)", value: pastLinear(base.up, top.up), unit: "×", target: 1.2, better: "lower" });
      // The same ratio for the engine alone: how far from linear one resource per conversation is
      // before this provider does anything.
      metrics.push({ name: "seeding 500×4 up / (3.33 × 150×4 up), do-nothing provider", value: pastLinear(noopUps.get(150)!, noopUps.get(500)!), unit: "×", better: "lower" });
    }
  }

  return metrics;
}

/**
 * Issue 10's case: N conversations × (4 messages, 3 participants, 1 scoped webhook), `up` beside
 * the script and the floor, and where the time of `up` goes: before its first request (engine and
 * program start, stack file load) and after its last (checkpoint, shutdown).
 */
export async function runWithChildren(options: { sizes?: number[] } = {}): Promise<BenchMetric[]> {
  const sizes = [...(options.sizes ?? DEFAULT_CHILDREN_SIZES)].sort((a, b) => a - b);
  const engineDir = ensureEngine();
  const metrics: BenchMetric[] = [];
  for (const size of sizes) {
    const result = await measureSize(engineDir, size, false, WITH_CHILDREN);
    const noop = await noopRun(engineDir, size, false);
    const label = `seeding ${WITH_CHILDREN.label(size, MESSAGES)}`;
    const floor = floorSeconds(size, MESSAGES, CHILDREN.participants);
    const { first, last } = result.timeline!;
    metrics.push(
      { name: `${label} up`, value: result.up.seconds, unit: "s", better: "lower" },
      { name: `${label} twilio-node script`, value: result.script.seconds, unit: "s", better: "lower" },
      { name: `${label} Twilio's floor`, value: floor, unit: "s", better: "lower" },
      { name: `${label} up / floor`, value: result.up.seconds / floor, unit: "×", better: "lower", target: 1.3 },
      { name: `${label} up / script`, value: result.up.seconds / result.script.seconds, unit: "×", better: "lower" },
      { name: `${label} up, do-nothing provider (the engine alone)`, value: noop.up.seconds, unit: "s", better: "lower" },
      { name: `${label} requests per up`, value: result.requests, unit: "", better: "lower" },
      { name: `${label} requests of the script`, value: result.scriptRequests, unit: "", better: "lower" },
    );
    if (first !== null && last !== null) {
      metrics.push(
        { name: `${label} up: until its first request`, value: first, unit: "s", better: "lower" },
        { name: `${label} up: first to last request`, value: last - first, unit: "s", better: "lower" },
        { name: `${label} up: first to last request / floor`, value: (last - first) / floor, unit: "×", better: "lower" },
        { name: `${label} up: after its last request`, value: result.up.seconds - last, unit: "s", better: "lower" },
      );
    }
    process.stderr.write(
      `bench: ${label}: up ${result.up.seconds.toFixed(1)} s (first request at ${first?.toFixed(2)} s, last at ${last?.toFixed(2)} s), ` +
        `script ${result.script.seconds.toFixed(1)} s, floor ${floor.toFixed(2)} s\n`,
    );
  }
  return metrics;
}
