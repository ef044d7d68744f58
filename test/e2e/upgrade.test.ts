// State written by the provider of an earlier release keeps working under the current one: the
// stack is created by this repository as it was before the provider was loaded through the
// package (its `__provider` loads ./dist/provider/runtime from the project), then previewed,
// updated and destroyed by the current code, with no replacement and no change shown.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { newScenario, twilioObjects, type Scenario } from "./harness";

const PROJECT = path.resolve(__dirname, "../..");
/** The last commit whose resources stored the serialized closure provider. */
const PREVIOUS_LOADER = "299d4a458de1912fd569e8c54b791fb07109133c";
const E2E_TIMEOUT = 300_000;

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

/** The earlier release, built beside this one with the same dependencies. */
function checkoutOfPreviousLoader(into: string): string {
  const dir = path.join(into, "previous");
  fs.mkdirSync(dir);
  const archive = execFileSync("git", ["archive", "--format=tar", PREVIOUS_LOADER], { cwd: PROJECT, maxBuffer: 64 << 20 });
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
  fs.symlinkSync(path.join(PROJECT, "node_modules"), path.join(dir, "node_modules"), "dir");
  execFileSync(process.execPath, [path.join(PROJECT, "node_modules/typescript/bin/tsc"), "-p", path.join(dir, "tsconfig.json")]);
  return dir;
}

let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.dispose();
  scenario = undefined;
});

describe("state written by the previous loader", () => {
  it("previews with no changes, updates in place and destroys under the current code", async () => {
    scenario = await newScenario("upgrade");
    const previous = checkoutOfPreviousLoader(scenario.dir);
    const stackFile = path.join(scenario.dir, "stack.yaml");
    scenario.writeStack(STACK("Support desk"));
    await scenario.pulumi(["config", "set", "stackFile", stackFile], { cwd: previous });
    await scenario.pulumi(["up", "--yes", "--skip-preview"], { cwd: previous });
    const before = twilioObjects(scenario.emulator);
    expect(before.conversations).toHaveLength(1);
    expect(before.messages).toHaveLength(2);
    const oldProviders = providersInState(await exportState(scenario));
    expect(Object.values(oldProviders).every((text) => text.includes('require("./dist/provider/runtime")'))).toBe(true);

    scenario.emulator.clearRequests();
    await scenario.pulumi(["preview", "--expect-no-changes"]);
    expect(scenario.emulator.requests().filter((r) => r.method !== "GET")).toEqual([]);

    scenario.writeStack(STACK("Support desk (renamed)"));
    const preview = await scenario.pulumi(["preview", "--diff"]);
    expect(preview.output).not.toMatch(/replace/i);
    await scenario.up();
    const writes = scenario.emulator.requests().filter((r) => r.method !== "GET");
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /v1/Conversations/${before.conversations[0].sid}`]);
    const after = twilioObjects(scenario.emulator);
    expect(after.conversations.map((c) => [c.sid, c.friendly_name])).toEqual([[before.conversations[0].sid, "Support desk (renamed)"]]);
    expect(after.messages.map((m) => m.sid)).toEqual(before.messages.map((m) => m.sid));
    // Every resource now stores the current provider, the unchanged messages too (the engine
    // records the inputs of resources it leaves alone), with nothing sent for them.
    const providers = Object.values(providersInState(await exportState(scenario)));
    expect(providers).toHaveLength(3);
    for (const text of providers) expect(text).toContain('"twilio-conversations-pulumi/runtime"');

    await scenario.pulumi(["refresh", "--yes", "--expect-no-changes"]);
    await scenario.pulumi(["destroy", "--yes", "--skip-preview"]);
    expect(twilioObjects(scenario.emulator)).toEqual({ conversations: [], messages: [] });
  }, E2E_TIMEOUT);
});

async function exportState(scenario: Scenario): Promise<any> {
  return JSON.parse((await scenario.pulumi(["stack", "export"])).stdout);
}

/** `__provider` of each Twilio resource in state, by resource name. */
function providersInState(state: any): Record<string, string> {
  const byName: Record<string, string> = {};
  for (const resource of state.deployment.resources) {
    if (resource.inputs?.__provider) byName[resource.urn.split("::").pop()] = resource.inputs.__provider;
  }
  return byName;
}
