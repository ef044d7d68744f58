// Each scenario runs the real Pulumi engine against its own emulator, with its own file backend,
// PULUMI_HOME and stack, and asserts through the emulator rather than through the provider.
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";
import { expect } from "vitest";
import { spawnGroup, stopGroup } from "../support/processes";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureEngine, pulumiEnv, PROJECT } = require("../../scripts/engine.js") as {
  ensureEngine: () => string;
  pulumiEnv: (engineDir: string, base: Record<string, string | undefined>) => Record<string, string>;
  PROJECT: string;
};

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  output: string;
}

export interface Scenario {
  emulator: RunningEmulator;
  stack: string;
  dir: string;
  /** Writes the stack file this scenario's program reads. */
  writeStack(yaml: string): void;
  /** Runs pulumi in this project (or in `cwd`: another checkout of it) on the scenario's stack. */
  pulumi(
    args: string[],
    options?: { env?: Record<string, string>; allowFailure?: boolean; withoutStack?: boolean; cwd?: string },
  ): Promise<CommandResult>;
  up(extra?: string[]): Promise<CommandResult>;
  /** Runs another command of this project (e.g. `node scripts/cli.js plan`) in the scenario's environment. */
  run(command: string, args: string[]): Promise<CommandResult>;
  /** Starts pulumi in a process group of its own (so the whole tree can be killed), without waiting. */
  start(args: string[], env?: Record<string, string>): { child: ChildProcess; done: Promise<CommandResult> };
  outputs(): Promise<Record<string, any>>;
  /** Replaces the emulator (same port and state file), e.g. to rotate credentials. */
  restartEmulator(options: EmulatorOptions): Promise<void>;
  credentialsEnv: Record<string, string>;
  dispose(): Promise<void>;
}

let engineDir: string | undefined;

/** A new scenario whose stack holds this stack file, made by one `up`: the start of a file's tests that run in order on one stack. */
export async function seededScenario(name: string, yaml: string): Promise<Scenario> {
  const scenario = await newScenario(name);
  scenario.writeStack(yaml);
  await scenario.up();
  return scenario;
}

export async function newScenario(name: string, options: EmulatorOptions = {}): Promise<Scenario> {
  engineDir ??= ensureEngine();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tcp-e2e-${name}-`));
  const stateFile = path.join(dir, "emulator-state.json");
  let emulator = await startEmulator({ stateFile, ...options });
  const stack = `e2e-${name}-${process.pid}-${Date.now().toString(36)}`;
  const stackFile = path.join(dir, "stack.yaml");
  const environment = (env: Record<string, string>) =>
    pulumiEnv(engineDir!, {
      ...process.env,
      PULUMI_BACKEND_URL: `file://${path.join(dir, "backend")}`,
      PULUMI_HOME: path.join(dir, "home"),
      PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
      TWILIO_CONVERSATIONS_BASE_URL: emulator.url,
      TWILIO_MAX_ATTEMPTS: "10",
      TWILIO_CONVERSATIONS_INTENTS_DIR: path.join(dir, "intents"),
      // The emulator has applied a request by the time it answers or drops it.
      TWILIO_MAX_WRITE_MS: "1000",
      ...scenario.credentialsEnv,
      ...env,
    });
  const started: ChildProcess[] = [];
  const scenario: Scenario = {
    get emulator() {
      return emulator;
    },
    stack,
    dir,
    credentialsEnv: {
      TWILIO_ACCOUNT_SID: emulator.credentials.accountSid,
      TWILIO_AUTH_TOKEN: emulator.credentials.authToken,
    },
    writeStack(yaml) {
      fs.writeFileSync(stackFile, yaml);
    },
    async pulumi(args, { env = {}, allowFailure = false, withoutStack = false, cwd = PROJECT } = {}) {
      const stackArgs = withoutStack ? [] : ["--stack", stack];
      const result = await run("pulumi", [...args, ...stackArgs, "--non-interactive"], environment(env), cwd, started);
      if (result.code !== 0 && !allowFailure) {
        throw new Error(`pulumi ${args.join(" ")} exited ${result.code}\n${result.output}`);
      }
      return result;
    },
    run(command, args) {
      return run(command, args, environment({}), PROJECT, started);
    },
    start(args, env = {}) {
      const child = spawnGroup("pulumi", [...args, "--stack", stack, "--non-interactive"], { cwd: PROJECT, env: environment(env) });
      started.push(child);
      const startedAt = Date.now();
      const done = collect(child).then((result) => {
        logCommand("pulumi", args, startedAt);
        return result;
      });
      return { child, done };
    },
    up(extra = []) {
      return scenario.pulumi(["up", "--yes", "--skip-preview", ...extra]);
    },
    async outputs() {
      const result = await scenario.pulumi(["stack", "output", "--json", "--show-secrets"]);
      return JSON.parse(result.stdout);
    },
    async restartEmulator(next) {
      const port = emulator.port;
      await emulator.close();
      emulator = await startEmulator({ stateFile, port, ...next });
    },
    async dispose() {
      // A run a test started and did not wait for (or that its timeout cut short) ends here.
      await Promise.all(started.map((child) => stopGroup(child)));
      // The stack lives in the scenario's own backend, removed with its folder.
      fs.rmSync(path.join(PROJECT, `Pulumi.${stack}.yaml`), { force: true });
      await emulator.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  fs.mkdirSync(path.join(dir, "backend"), { recursive: true });
  await initStack(scenario, stackFile);
  return scenario;
}

/** What `pulumi stack init` wrote for the first stack of this test file: its files, under their paths, with `STACK` for its name. */
let initialized: Array<{ file: string; text: string }> | undefined;
const STACK = "<stack>";

/**
 * Makes the scenario's stack and sets its stackFile. The first stack of a test file is made by
 * `pulumi stack init`; the others get the files it wrote (the file backend's meta and empty
 * checkpoint, and the config file holding the passphrase's salt), each under its own name: the
 * same stack, without starting the CLI twice more for every scenario.
 */
async function initStack(scenario: Scenario, stackFile: string): Promise<void> {
  const { stack } = scenario;
  const files = (name: string) => [
    path.join(scenario.dir, "backend", ".pulumi", "meta.yaml"),
    path.join(scenario.dir, "backend", ".pulumi", "stacks", "twilio-conversations", `${name}.json`),
    path.join(PROJECT, `Pulumi.${name}.yaml`),
  ];
  if (initialized) {
    for (const { file, text } of initialized) {
      const target = file.replace(STACK, stack).replace("<dir>", scenario.dir);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text.replaceAll(STACK, stack));
    }
  } else {
    await scenario.pulumi(["stack", "init", stack, "--secrets-provider", "passphrase"], { withoutStack: true });
    initialized = files(stack).map((file) => ({
      file: file.replace(scenario.dir, "<dir>").replace(stack, STACK),
      text: fs.readFileSync(file, "utf8").replaceAll(stack, STACK),
    }));
  }
  // `pulumi config set stackFile <path>`: the config file holds only the salt so far.
  fs.appendFileSync(path.join(PROJECT, `Pulumi.${stack}.yaml`), `config:\n  twilio-conversations:stackFile: ${JSON.stringify(stackFile)}\n`);
}

/** Runs a command to its end; `started` keeps it, so that the scenario's dispose ends it if a test did not wait. */
async function run(command: string, args: string[], env: Record<string, string>, cwd: string, started: ChildProcess[]): Promise<CommandResult> {
  const startedAt = Date.now();
  const child = spawnGroup(command, args, { cwd, env });
  started.push(child);
  const result = await collect(child);
  logCommand(command, args, startedAt);
  return result;
}

/**
 * With TCP_E2E_COMMAND_LOG=<file>, appends one JSON line per command a scenario runs (test file,
 * test, command, wall time): to see where an e2e file spends its time.
 */
function logCommand(command: string, args: string[], startedAt: number): void {
  const log = process.env.TCP_E2E_COMMAND_LOG;
  if (!log) return;
  const { testPath, currentTestName } = expect.getState();
  const entry = { file: path.relative(PROJECT, testPath ?? ""), test: currentTestName, command: [command, ...args].join(" "), ms: Date.now() - startedAt };
  fs.appendFileSync(log, `${JSON.stringify(entry)}\n`);
}

function collect(child: ChildProcess): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    let output = "";
    child.stdout!.on("data", (chunk) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr!.on("data", (chunk) => {
      stderr += chunk;
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr, output }));
  });
}

/** Conversations and messages the emulator holds (services left out). */
export function twilioObjects(emulator: RunningEmulator) {
  const state = emulator.state() as { conversations: any[]; messages: any[] };
  return { conversations: state.conversations, messages: state.messages };
}

/** The writes among requests (every method but GET), as `METHOD path`. */
export function writes(requests: Array<{ method: string; path: string }>): string[] {
  return requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
}

/** One resource of the stack's state, as `pulumi stack export` gives it. */
export interface StackResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, any>;
  outputs?: Record<string, any>;
}

const TWILIO_TYPE = /^pulumi-nodejs:dynamic\/twilio-conversations:(\w+)$/;

/** The resources the stack's state holds. */
export async function stackResources(scenario: Scenario): Promise<StackResource[]> {
  const exported = JSON.parse((await scenario.pulumi(["stack", "export", "--show-secrets"])).stdout);
  return exported.deployment.resources ?? [];
}

/** The provider's resources in the stack's state, as `<kind> <logical name>` (e.g. `Conversation support`), sorted. */
export function twilioResources(resources: StackResource[]): string[] {
  return resources
    .map((resource) => [TWILIO_TYPE.exec(resource.type)?.[1], resource.urn.split("::").pop()])
    .filter(([kind]) => kind !== undefined)
    .map(([kind, name]) => `${kind} ${name}`)
    .sort();
}

/** The Conversation resource of that logical name in the stack's state: its inputs (the declared thread) and outputs (the recorded one). */
export async function conversationResource(scenario: Scenario, logicalName: string): Promise<StackResource> {
  const found = (await stackResources(scenario)).find(
    (resource) => TWILIO_TYPE.exec(resource.type)?.[1] === "Conversation" && resource.urn.endsWith(`::${logicalName}`),
  );
  if (!found) throw new Error(`the stack's state holds no Conversation ${logicalName}`);
  return found;
}

/** A conversation's messages as the emulator holds them, in thread order. */
export function threadOf(emulator: RunningEmulator, conversationSid: string): any[] {
  return twilioObjects(emulator)
    .messages.filter((m) => m.conversation_sid === conversationSid)
    .sort((a, b) => a.index - b.index);
}
