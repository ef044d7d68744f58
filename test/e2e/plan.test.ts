import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { builtCheckout, PER_MESSAGE_RESOURCES } from "./checkout";
import { newScenario, seededScenario, twilioObjects, type Scenario } from "./harness";

const E2E_TIMEOUT = 300_000;
let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.dispose();
  scenario = undefined;
});

const STACK = `
conversations:
  support:
    uniqueName: support-plan-e2e
    friendlyName: Support
    messages:
      - key: hello
        body: Hi
`;

// `npm run plan` / `npm run drift`: the package's command line on this project
const plan = (on: Scenario, args: string[] = []) => on.run("node", ["scripts/cli.js", "plan", "--stack", on.stack, ...args]);
const drift = (on: Scenario, args: string[] = []) => on.run("node", ["scripts/cli.js", "drift", "--stack", on.stack, ...args]);

const CLAIM = `  claim-7731:
    uniqueName: claim-7731-plan-e2e
    friendlyName: Water damage
    messages:
      - key: opened
        body: Claim opened
`;
const RENAMED = CLAIM.replace("  claim-7731:\n", "  claim-7731-water:\n    renamedFrom: claim-7731\n");

/**
 * The steps below run in order on one stack, each from what the one before left: STACK's support
 * conversation and a claim, created by one up. The claim is renamed first; then support is planned,
 * edited, changed and deleted outside.
 */
describe("npm run plan and npm run drift on the real engine, in order on one stack", () => {
  let shared: Scenario;
  let token: string;
  /** Restores the token a step broke, and writes STACK (or this text of it) with the renamed claim. */
  const planning = (stack = STACK) => {
    shared.credentialsEnv.TWILIO_AUTH_TOKEN = token;
    shared.writeStack(`${stack}${RENAMED}`);
  };
  beforeAll(async () => {
    shared = await seededScenario("plan", `${STACK}${CLAIM}`);
    token = shared.credentialsEnv.TWILIO_AUTH_TOKEN;
  }, E2E_TIMEOUT);
  afterAll(() => shared?.dispose(), E2E_TIMEOUT);

  it("a rename (renamedFrom) is a change recorded in the stack's state, exit 2, until up records the new name without a request to Twilio", async () => {
    shared.writeStack(`${STACK}${RENAMED}`);
    const renamed = await plan(shared);
    expect(renamed.stdout.trim()).toBe(
      [
        "Plan: 1 to rename in the stack's state",
        "~ conversation claim-7731-water (renamed, recorded in state, no request to Twilio)",
        "    why: it was claim-7731 (renamedFrom): the stack's state records it under its new name",
      ].join("\n"),
    );
    expect(renamed.code).toBe(2);
    const json = JSON.parse((await plan(shared, ["--format", "json"])).stdout);
    expect(json.changes).toBe(true);
    expect(json.summary.rename).toBe(1);

    // renamed and edited in one change: the update says it is renamed too
    shared.writeStack(`${STACK}${RENAMED.replace("friendlyName: Water damage", "friendlyName: Water damage, kitchen")}`);
    const both = await plan(shared);
    expect(both.stdout).toContain("~ conversation claim-7731-water (update)");
    expect(both.stdout).toContain("why: it was claim-7731 (renamedFrom)");
    expect(both.code).toBe(2);

    shared.writeStack(`${STACK}${RENAMED}`);
    shared.emulator.clearRequests();
    await shared.up();
    expect(shared.emulator.requests().filter((r) => r.method !== "GET")).toEqual([]);
    const after = await plan(shared);
    expect(after.stdout.trim()).toBe("No changes.");
    expect(after.code).toBe(0);
  }, E2E_TIMEOUT);

  it("exits 0 with no changes, 2 with changes naming the property, 1 when the stack file is invalid or the preview fails", async () => {
    planning();
    const unchanged = await plan(shared);
    expect(unchanged.stdout.trim()).toBe("No changes.");
    expect(unchanged.code).toBe(0);

    planning(STACK.replace("body: Hi", "body: Hello there"));
    const edited = await plan(shared, ["--format", "markdown"]);
    expect(edited.stdout).toContain("**Plan: 1 to update**");
    expect(edited.stdout).toContain('- body: `"Hi"` → `"Hello there"`');
    expect(edited.code).toBe(2);

    const requestsBefore = shared.emulator.requests().length;
    planning(STACK.replace("uniqueName: support-plan-e2e", "uniqueName: 42: no"));
    const invalid = await plan(shared);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("stack.yaml is not a valid stack file");
    expect(invalid.stderr).toContain("stack.yaml:4:19");
    expect(invalid.stderr).toContain("pulumi was not started");
    expect(shared.emulator.requests()).toHaveLength(requestsBefore);

    // a valid file whose preview fails in the engine: the failure's cause is shown
    planning(STACK.replace("body: Hi", "body: Hello there"));
    shared.credentialsEnv.TWILIO_AUTH_TOKEN = "not-the-token";
    const failed = await plan(shared);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("the preview failed");
    expect(failed.stderr).toContain("Twilio error 20003");
  }, E2E_TIMEOUT);

  it("drift compares Twilio with what the last up recorded: a merged edit not applied yet is not drift, nor a stack file that no longer parses", async () => {
    // merged to main, not applied yet: the plan shows it, the drift check does not
    planning(STACK.replace("friendlyName: Support", "friendlyName: Support desk"));
    const pending = await plan(shared);
    expect(pending.stdout).toContain('friendlyName: "Support" → "Support desk"');
    expect(pending.code).toBe(2);
    const noDrift = await drift(shared);
    expect(noDrift.stdout.trim()).toBe("No drift: Twilio holds what the last up recorded.");
    expect(noDrift.code).toBe(0);
    const noDriftJson = JSON.parse((await drift(shared, ["--format", "json"])).stdout);
    expect(noDriftJson).toMatchObject({ drift: true, changes: false, resources: [] });

    // even a stack file that no longer parses does not matter: the drift check never reads it
    shared.writeStack("conversations: [not, a, mapping");
    expect((await drift(shared)).code).toBe(0);
  }, E2E_TIMEOUT);

  it("drift finds a friendlyName changed outside and exits 3 naming it; a plain plan does not see it", async () => {
    planning();
    const support = twilioObjects(shared.emulator).conversations.find((c) => c.unique_name === "support-plan-e2e");
    const basic = Buffer.from(`${shared.credentialsEnv.TWILIO_ACCOUNT_SID}:${token}`).toString("base64");
    await fetch(`${shared.emulator.url}/v1/Conversations/${support.sid}`, {
      method: "POST",
      headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ FriendlyName: "Renamed by hand" }),
    });

    const withoutRefresh = await plan(shared);
    expect(withoutRefresh.code).toBe(0);

    const drifted = await drift(shared);
    // old: what the last up recorded; new: what Twilio holds now
    expect(drifted.stdout).toContain('friendlyName: "Support" → "Renamed by hand"');
    expect(drifted.stdout).toContain("~ conversation support (changed)");
    expect(drifted.code).toBe(3);
    // nothing was written: the stack still records the old name until someone runs up or refresh
    expect((await plan(shared)).code).toBe(0);
  }, E2E_TIMEOUT);

  it("drift: an object deleted outside is gone, and a refresh that fails exits 1 naming its cause", async () => {
    planning();
    const support = twilioObjects(shared.emulator).conversations.find((c) => c.unique_name === "support-plan-e2e");
    const basic = Buffer.from(`${shared.credentialsEnv.TWILIO_ACCOUNT_SID}:${token}`).toString("base64");
    const deleted = await fetch(`${shared.emulator.url}/v1/Conversations/${support.sid}`, { method: "DELETE", headers: { authorization: `Basic ${basic}` } });
    expect(deleted.status).toBe(204);
    const gone = await drift(shared, ["--format", "markdown"]);
    expect(gone.stdout).toContain("**Drift (recorded at the last up → in Twilio now): 2 gone**");
    expect(gone.stdout).toContain("- `-` **gone** conversation `support`");
    expect(gone.stdout).toContain("- `-` **gone** message `support/hello`");
    expect(gone.stdout).toContain("_why:_ its conversation is gone");
    expect(gone.code).toBe(3);

    shared.credentialsEnv.TWILIO_AUTH_TOKEN = "not-the-token";
    const failed = await drift(shared);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("the refresh preview (reading Twilio) failed");
    expect(failed.stderr).toContain("Twilio error 20003");
  }, E2E_TIMEOUT);
});

describe("npm run plan after state with one Message resource per message", () => {
  const THREAD = `${STACK}      - key: bye
        body: Bye
`;

  it("names the messages moving into their conversation's resource, not deletes, and up then sends nothing for them", async () => {
    scenario = await newScenario("plan-take-over");
    const previous = builtCheckout(PER_MESSAGE_RESOURCES, scenario.dir, "per-message");
    scenario.writeStack(THREAD);
    await scenario.pulumi(["config", "set", "stackFile", path.join(scenario.dir, "stack.yaml")], { cwd: previous });
    await scenario.pulumi(["up", "--yes", "--skip-preview"], { cwd: previous });
    const before = twilioObjects(scenario.emulator).messages;
    expect(before.map((m) => m.body)).toEqual(["Hi", "Bye"]);

    const unchanged = await plan(scenario!);
    expect(unchanged.stdout.trim()).toBe(
      [
        "Plan: 2 to move into their conversation's resource",
        "~ message support/hello (moved into its conversation's resource; no request to Twilio)",
        "    why: kept in Twilio as it is; the Message resource an earlier release made for it leaves the state",
        "~ message support/bye (moved into its conversation's resource; no request to Twilio)",
        "    why: kept in Twilio as it is; the Message resource an earlier release made for it leaves the state",
      ].join("\n"),
    );
    expect(unchanged.code).toBe(2);

    // an edit made in the same run: the edited message is re-created, the one before it taken over
    scenario.writeStack(THREAD.replace("body: Bye", "body: Bye now"));
    const edited = JSON.parse((await plan(scenario!, ["--format", "json"])).stdout);
    expect(edited.summary).toEqual({ create: 0, update: 0, replace: 1, delete: 0, move: 1, rename: 0, output: 0 });
    expect(edited.resources.map((r: { name: string; action: string }) => `${r.action} ${r.name}`)).toEqual(["move support/hello", "replace support/bye"]);

    scenario.emulator.clearRequests();
    await scenario.up();
    const writes = scenario.emulator.requests().filter((r) => r.method !== "GET");
    const [hello, bye] = before;
    // as planned: nothing sent for hello; bye re-created, and the old one deleted
    expect(writes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      [`POST /v1/Conversations/${hello.conversation_sid}/Messages`, `DELETE /v1/Conversations/${hello.conversation_sid}/Messages/${bye.sid}`].sort(),
    );
    const after = twilioObjects(scenario.emulator).messages;
    expect(after.map((m) => [m.sid === hello.sid, m.body])).toEqual([
      [true, "Hi"],
      [false, "Bye now"],
    ]);
    expect((await plan(scenario!)).stdout.trim()).toBe("No changes.");
  }, E2E_TIMEOUT);
});

describe("npm run plan of a stack output that changes alone", () => {
  const PROJECT = path.resolve(__dirname, "../..");
  // A user's program: the stack file through the component, and an output of its own.
  const PROGRAM = `const pulumi = require("@pulumi/pulumi");
const { ConversationsStack } = require("twilio-conversations-pulumi");
const stack = new ConversationsStack("conversations", { file: "stack.yaml" });
exports.conversations = stack.conversations;
exports.team = new pulumi.Config().get("team") ?? "support";
`;

  /** The program in a project of its own (named as this one, so the scenario's stack is its), the package linked in as installed. */
  function userProject(into: string): string {
    const dir = path.join(into, "user-project");
    fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: twilio-conversations\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "user-project", private: true, main: "index.js" }));
    fs.writeFileSync(path.join(dir, "index.js"), PROGRAM);
    fs.writeFileSync(path.join(dir, "stack.yaml"), STACK);
    fs.symlinkSync(path.join(PROJECT, "node_modules/@pulumi"), path.join(dir, "node_modules/@pulumi"), "dir");
    fs.symlinkSync(PROJECT, path.join(dir, "node_modules/twilio-conversations-pulumi"), "dir");
    return dir;
  }

  it("is a change of its own kind, exit 2, with no request to Twilio, until up records it", async () => {
    scenario = await newScenario("plan-output");
    const dir = userProject(scenario.dir);
    const planIn = () => scenario!.run("node", [path.join(PROJECT, "dist/provider/cli.js"), "plan", "--stack", scenario!.stack, "--cwd", dir]);
    await scenario.pulumi(["up", "--yes", "--skip-preview"], { cwd: dir });
    expect((await planIn()).stdout.trim()).toBe("No changes.");

    await scenario.pulumi(["config", "set", "team", "sales"], { cwd: dir });
    const changed = await planIn();
    expect(changed.stdout.trim()).toBe(
      [
        "Plan: 1 to change in the stack's outputs",
        "~ output team (stack output, recorded in state, no request to Twilio)",
        '    team: "support" → "sales"',
      ].join("\n"),
    );
    expect(changed.code).toBe(2);

    // with an edit of the stack file: the conversation's line, and the output's
    fs.writeFileSync(path.join(dir, "stack.yaml"), STACK.replace("friendlyName: Support", "friendlyName: Support desk"));
    const both = await planIn();
    expect(both.stdout.trim()).toBe(
      [
        "Plan: 1 to update, 1 to change in the stack's outputs",
        "~ conversation support (update)",
        '    friendlyName: "Support" → "Support desk"',
        "~ output team (stack output, recorded in state, no request to Twilio)",
        '    team: "support" → "sales"',
      ].join("\n"),
    );
    fs.writeFileSync(path.join(dir, "stack.yaml"), STACK);

    scenario.emulator.clearRequests();
    await scenario.pulumi(["up", "--yes", "--skip-preview"], { cwd: dir });
    expect(scenario.emulator.requests().filter((r) => r.method !== "GET")).toEqual([]);
    expect(JSON.parse((await scenario.pulumi(["stack", "output", "--json"], { cwd: dir })).stdout).team).toBe("sales");
    const after = await planIn();
    expect([after.code, after.stdout.trim()]).toEqual([0, "No changes."]);
  }, E2E_TIMEOUT);
});
