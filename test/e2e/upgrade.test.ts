// State written by earlier releases keeps working under the current code: each stack is created by
// this repository as it was at an earlier commit, then previewed, updated and destroyed by the
// current code, with no replacement and nothing posted or deleted again in Twilio.
//
// Both earlier commits declared each seed message as a Message resource of its own; the current
// stack program declares one Conversation per conversation, its thread an input of it. The first
// `up` under the current code takes the messages over (one list request per conversation) and the
// engine deletes the old Message resources, whose delete leaves the messages in Twilio.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { newScenario, twilioObjects, type Scenario } from "./harness";

const PROJECT = path.resolve(__dirname, "../..");
/** The last commit whose resources stored the serialized closure provider. */
const PREVIOUS_LOADER = "299d4a458de1912fd569e8c54b791fb07109133c";
/**
 * The last commit whose stack program declared each seed message as a resource of its own: the
 * parent of "Seed threads as part of their Conversation resource".
 */
const PER_MESSAGE_RESOURCES = "e7ccf0a7b0ee0e92e350c4da2f3feaef97db249b";
const E2E_TIMEOUT = 300_000;
const CONVERSATION_TYPE = "pulumi-nodejs:dynamic/twilio-conversations:Conversation";
const MESSAGE_TYPE = "pulumi-nodejs:dynamic/twilio-conversations:Message";

const STACK = (friendlyName: string) => `
conversations:
  desk:
    uniqueName: upgrade-desk
    friendlyName: ${friendlyName}
    attributes: { team: support }
    messages:
      - key: hello
        author: system
        body: Hello
      - key: again
        author: agent
        body: Hello again
`;

/** Three messages: the first backdated, the last keyed by its position. */
const BACKDATED = "2024-01-02T03:04:05Z";
const THREAD_STACK = (options: { protect?: boolean; question?: string } = {}) => `
conversations:
  desk:
    uniqueName: migrate-desk
    friendlyName: Support desk
${options.protect ? "    protect: true\n" : ""}    messages:
      - key: welcome
        author: system
        body: Welcome
        dateCreated: "${BACKDATED}"
      - key: question
        author: ada
        body: ${options.question ?? "Where is my order?"}
      - author: agent
        body: On its way
`;
const THREAD_KEYS = ["welcome", "question", "2"];

// Each earlier commit is built once for the file, beside this one, with the same dependencies.
const builds = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-e2e-upgrade-builds-"));
const built = new Map<string, string>();
afterAll(() => fs.rmSync(builds, { recursive: true, force: true }));

function checkoutOf(commit: string): string {
  const existing = built.get(commit);
  if (existing) return existing;
  const dir = path.join(builds, commit.slice(0, 12));
  fs.mkdirSync(dir);
  const archive = execFileSync("git", ["archive", "--format=tar", commit], { cwd: PROJECT, maxBuffer: 64 << 20 });
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
  fs.symlinkSync(path.join(PROJECT, "node_modules"), path.join(dir, "node_modules"), "dir");
  execFileSync(process.execPath, [path.join(PROJECT, "node_modules/typescript/bin/tsc"), "-p", path.join(dir, "tsconfig.json")]);
  built.set(commit, dir);
  return dir;
}

/** `up` of the scenario's stack file by the earlier commit's code. */
async function upWith(scenario: Scenario, commit: string): Promise<void> {
  const previous = checkoutOf(commit);
  await scenario.pulumi(["config", "set", "stackFile", path.join(scenario.dir, "stack.yaml")], { cwd: previous });
  await scenario.pulumi(["up", "--yes", "--skip-preview"], { cwd: previous });
}

let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.dispose();
  scenario = undefined;
});

describe("state written by the previous loader", () => {
  it("previews the take-over with no replacement and no request, updates in place and destroys under the current code", async () => {
    scenario = await newScenario("upgrade");
    scenario.writeStack(STACK("Support desk"));
    await upWith(scenario, PREVIOUS_LOADER);
    const before = twilioObjects(scenario.emulator);
    expect(before.conversations).toHaveLength(1);
    expect(before.messages).toHaveLength(2);
    const oldState = await exportState(scenario);
    const oldProviders = providersInState(oldState);
    expect(Object.values(oldProviders).every((text) => text.includes('require("./dist/provider/runtime")'))).toBe(true);
    expect(resourcesOf(oldState)).toEqual([`Conversation desk`, `Message desk/again`, `Message desk/hello`]);

    // The plan of the take-over: the conversation updated, the message resources deleted, and
    // nothing written to find it out.
    scenario.emulator.clearRequests();
    const takeOver = await scenario.pulumi(["preview"]);
    expect(takeOver.output).toContain("~ 1 to update");
    expect(takeOver.output).toContain("- 2 to delete");
    expect(takeOver.output).not.toMatch(/replace/i);
    expect(scenario.emulator.requests().filter((r) => r.method !== "GET")).toEqual([]);

    scenario.writeStack(STACK("Support desk (renamed)"));
    const preview = await scenario.pulumi(["preview", "--diff"]);
    expect(preview.output).not.toMatch(/replace/i);
    scenario.emulator.clearRequests();
    await scenario.up();
    const writes = scenario.emulator.requests().filter((r) => r.method !== "GET");
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /v1/Conversations/${before.conversations[0].sid}`]);
    const after = twilioObjects(scenario.emulator);
    expect(after.conversations.map((c) => [c.sid, c.friendly_name])).toEqual([[before.conversations[0].sid, "Support desk (renamed)"]]);
    expect(after.messages.map((m) => m.sid)).toEqual(before.messages.map((m) => m.sid));
    // One resource is left, storing the current provider; its thread names the same messages.
    const state = await exportState(scenario);
    expect(resourcesOf(state)).toEqual(["Conversation desk"]);
    const providers = Object.values(providersInState(state));
    expect(providers).toHaveLength(1);
    for (const text of providers) expect(text).toContain('"twilio-conversations-pulumi/runtime"');
    expect(recordedSids(state)).toEqual(keyedSids(scenario, ["hello", "again"]));

    await scenario.pulumi(["preview", "--expect-no-changes"]);
    await scenario.pulumi(["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);
    await scenario.pulumi(["destroy", "--yes", "--skip-preview"]);
    expect(twilioObjects(scenario.emulator)).toEqual({ conversations: [], messages: [] });
  }, E2E_TIMEOUT);
});

describe("state written while each seed message was a resource of its own", () => {
  it("the next up takes the thread over: the same message SIDs, none posted or deleted, no Message resource left; a later edit updates in place", async () => {
    scenario = await newScenario("migrate");
    scenario.writeStack(THREAD_STACK());
    await upWith(scenario, PER_MESSAGE_RESOURCES);
    const before = twilioObjects(scenario.emulator);
    expect(before.messages.map((m) => m.body)).toEqual(["Welcome", "Where is my order?", "On its way"]);
    expect(before.messages[0].date_created).toBe(BACKDATED);
    expect(resourcesOf(await exportState(scenario))).toEqual(["Conversation desk", "Message desk/2", "Message desk/question", "Message desk/welcome"]);

    scenario.emulator.clearRequests();
    const migrating = await scenario.up();
    const requests = scenario.emulator.requests();
    console.log(`the migrating up (${THREAD_KEYS.length} messages) sent:\n  ${requests.map((r) => `${r.method} ${r.path} ${r.status}`).join("\n  ")}`);
    expect(migrating.output).toMatch(/~ 1 updated/);
    expect(migrating.output).toMatch(/- 3 deleted/);
    // One list of the conversation's messages, and nothing written: no message posted, none deleted.
    const conversationSid = before.conversations[0].sid;
    expect(requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(requests.filter((r) => r.path === `/v1/Conversations/${conversationSid}/Messages`)).toHaveLength(1);
    expect(twilioObjects(scenario.emulator)).toEqual(before);

    const state = await exportState(scenario);
    expect(resourcesOf(state)).toEqual(["Conversation desk"]);
    expect(recordedSids(state)).toEqual(keyedSids(scenario, THREAD_KEYS));
    expect((await scenario.outputs()).messages.desk).toEqual(keyedSids(scenario, THREAD_KEYS));
    scenario.emulator.clearRequests();
    await scenario.pulumi(["preview", "--expect-no-changes"]);
    expect(scenario.emulator.requests().filter((r) => r.method !== "GET")).toEqual([]);

    // A body edit afterwards: one update of that message, in place, the backdated one untouched.
    scenario.writeStack(THREAD_STACK({ question: "Where is my parcel?" }));
    scenario.emulator.clearRequests();
    await scenario.up();
    const question = before.messages[1];
    expect(scenario.emulator.requests().filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /v1/Conversations/${conversationSid}/Messages/${question.sid}`,
    ]);
    const edited = twilioObjects(scenario.emulator).messages;
    expect(edited.map((m) => [m.sid, m.body])).toEqual(before.messages.map((m) => [m.sid, m === question ? "Where is my parcel?" : m.body]));
    expect(edited[0].date_created).toBe(BACKDATED);
    await scenario.pulumi(["preview", "--expect-no-changes"]);

    await scenario.pulumi(["destroy", "--yes", "--skip-preview"]);
    expect(twilioObjects(scenario.emulator)).toEqual({ conversations: [], messages: [] });
  }, E2E_TIMEOUT);

  // README § Seed threads: unprotect first, then up. § Troubleshooting: after an up that stopped
  // on a protected Message resource, the same two steps.
  it.each([
    { when: "before the first up", refusedFirst: false },
    { when: "after the engine refused to delete a protected Message resource", refusedFirst: true },
  ])("a protected conversation: state unprotect --all $when, then up, leaves every message in place and the conversation protected again", async ({ refusedFirst }) => {
    scenario = await newScenario(refusedFirst ? "migrate-refused" : "migrate-protected");
    scenario.writeStack(THREAD_STACK({ protect: true }));
    await upWith(scenario, PER_MESSAGE_RESOURCES);
    const before = twilioObjects(scenario.emulator);
    expect(before.messages).toHaveLength(3);
    const oldState = await exportState(scenario);
    expect(protectedOf(oldState)).toEqual(["Conversation desk", "Message desk/2", "Message desk/question", "Message desk/welcome"]);

    if (refusedFirst) {
      // The Message resources are protected as their conversation is. The engine updates the
      // conversation (the take-over: its thread recorded, nothing written), then refuses the first
      // delete, of the last message's resource, and stops there.
      scenario.emulator.clearRequests();
      const refused = await scenario.pulumi(["up", "--yes", "--skip-preview"], { allowFailure: true });
      expect(refused.code).not.toBe(0);
      expect(refused.output).toMatch(/~ 1 updated/);
      expect(refused.output).toMatch(new RegExp(`resource "urn:[^"]*::${MESSAGE_TYPE}::desk/2" cannot be deleted\\s+because it is protected`));
      expect(scenario.emulator.requests().filter((r) => r.method !== "GET")).toEqual([]);
      expect(twilioObjects(scenario.emulator)).toEqual(before);
      const afterRefusal = await exportState(scenario);
      expect(resourcesOf(afterRefusal)).toEqual(resourcesOf(oldState));
      expect(recordedSids(afterRefusal)).toEqual(keyedSids(scenario, THREAD_KEYS));
    }

    await scenario.pulumi(["state", "unprotect", "--all", "--yes"]);
    expect(protectedOf(await exportState(scenario))).toEqual([]);
    scenario.emulator.clearRequests();
    const up = await scenario.up();
    const requests = scenario.emulator.requests();
    console.log(`the up after unprotect (${refusedFirst ? "refused first" : "first up"}) sent:\n  ${requests.map((r) => `${r.method} ${r.path} ${r.status}`).join("\n  ")}`);
    expect(up.output).toMatch(/- 3 deleted/);
    expect(requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(twilioObjects(scenario.emulator)).toEqual(before);
    const state = await exportState(scenario);
    expect(resourcesOf(state)).toEqual(["Conversation desk"]);
    expect(protectedOf(state)).toEqual(["Conversation desk"]);
    expect(recordedSids(state)).toEqual(keyedSids(scenario, THREAD_KEYS));
    await scenario.pulumi(["preview", "--expect-no-changes"]);

    // Protected again: destroy refuses, and Twilio keeps the thread.
    const destroy = await scenario.pulumi(["destroy", "--yes", "--skip-preview"], { allowFailure: true });
    expect(destroy.code).not.toBe(0);
    expect(destroy.output).toMatch(new RegExp(`resource "urn:[^"]*::${CONVERSATION_TYPE}::desk" cannot be deleted\\s+because it is protected`));
    expect(twilioObjects(scenario.emulator)).toEqual(before);
  }, E2E_TIMEOUT);
});

async function exportState(scenario: Scenario): Promise<any> {
  return JSON.parse((await scenario.pulumi(["stack", "export"])).stdout);
}

function resourcesInState(state: any): any[] {
  return state.deployment.resources.filter((r: any) => r.type === CONVERSATION_TYPE || r.type === MESSAGE_TYPE);
}

/** Each Twilio resource in state as `<kind> <name>`, sorted. */
function resourcesOf(state: any): string[] {
  return resourcesInState(state)
    .map((r: any) => `${r.type.split(":").pop()} ${r.urn.split("::").pop()}`)
    .sort();
}

function protectedOf(state: any): string[] {
  return resourcesInState(state)
    .filter((r: any) => r.protect === true)
    .map((r: any) => `${r.type.split(":").pop()} ${r.urn.split("::").pop()}`)
    .sort();
}

/** `__provider` of each Twilio resource in state, by resource name. */
function providersInState(state: any): Record<string, string> {
  const byName: Record<string, string> = {};
  for (const resource of state.deployment.resources) {
    if (resource.inputs?.__provider) byName[resource.urn.split("::").pop()] = resource.inputs.__provider;
  }
  return byName;
}

/** The thread the conversation `desk` records in its outputs. */
function recordedThread(state: any): Record<string, { sid: string }> | undefined {
  return resourcesInState(state).find((r: any) => r.type === CONVERSATION_TYPE)?.outputs.messages;
}

/** The message SID the conversation records under each key. */
function recordedSids(state: any): Record<string, string> {
  return Object.fromEntries(Object.entries(recordedThread(state) ?? {}).map(([key, message]) => [key, message.sid]));
}

/** The emulator's messages in order, under the keys given. */
function keyedSids(scenario: Scenario, keys: string[]): Record<string, string> {
  const messages = [...twilioObjects(scenario.emulator).messages].sort((a, b) => a.index - b.index);
  expect(messages).toHaveLength(keys.length);
  return Object.fromEntries(keys.map((key, position) => [key, messages[position].sid]));
}
