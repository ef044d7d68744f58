import { afterEach, describe, expect, it } from "vitest";
import { newScenario, twilioObjects, type Scenario } from "./harness";

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

const plan = (args: string[] = []) => scenario!.run("node", ["scripts/plan.js", "--stack", scenario!.stack, ...args]);

describe("npm run plan on the real engine", () => {
  it("exits 0 with no changes, 2 with changes naming the property, 1 when the stack file is invalid or the preview fails", async () => {
    scenario = await newScenario("plan");
    scenario.writeStack(STACK);
    await scenario.up();

    const unchanged = await plan();
    expect(unchanged.stdout.trim()).toBe("No changes.");
    expect(unchanged.code).toBe(0);

    scenario.writeStack(STACK.replace("body: Hi", "body: Hello there"));
    const edited = await plan(["--format", "markdown"]);
    expect(edited.stdout).toContain("**Plan: 1 to update**");
    expect(edited.stdout).toContain('- body: `"Hi"` → `"Hello there"`');
    expect(edited.code).toBe(2);

    const requestsBefore = scenario.emulator.requests().length;
    scenario.writeStack(STACK.replace("uniqueName: support-plan-e2e", "uniqueName: 42: no"));
    const invalid = await plan();
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("stack.yaml is not a valid stack file");
    expect(invalid.stderr).toContain("stack.yaml:4:19");
    expect(invalid.stderr).toContain("pulumi was not started");
    expect(scenario.emulator.requests()).toHaveLength(requestsBefore);

    // a valid file whose preview fails in the engine: the failure's cause is shown
    scenario.writeStack(STACK.replace("body: Hi", "body: Hello there"));
    scenario.credentialsEnv.TWILIO_AUTH_TOKEN = "not-the-token";
    const failed = await plan();
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("the preview failed");
    expect(failed.stderr).toContain("Twilio error 20003");
  }, E2E_TIMEOUT);

  it("--drift finds a friendlyName changed outside and exits 3 naming it; a plain plan does not see it", async () => {
    scenario = await newScenario("plan-drift");
    scenario.writeStack(STACK);
    await scenario.up();
    const support = twilioObjects(scenario.emulator).conversations.find((c) => c.unique_name === "support-plan-e2e");
    const token = Buffer.from(`${scenario.credentialsEnv.TWILIO_ACCOUNT_SID}:${scenario.credentialsEnv.TWILIO_AUTH_TOKEN}`).toString("base64");
    await fetch(`${scenario.emulator.url}/v1/Conversations/${support.sid}`, {
      method: "POST",
      headers: { authorization: `Basic ${token}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ FriendlyName: "Renamed by hand" }),
    });

    const withoutRefresh = await plan();
    expect(withoutRefresh.code).toBe(0);

    const drift = await plan(["--drift"]);
    // old: what the last up recorded; new: what Twilio holds now
    expect(drift.stdout).toContain('friendlyName: "Support" → "Renamed by hand"');
    expect(drift.stdout).toContain("~ conversation support (changed)");
    expect(drift.code).toBe(3);
    // nothing was written: the stack still records the old name until someone runs up or refresh
    expect((await plan()).code).toBe(0);
  }, E2E_TIMEOUT);

  it("--drift compares Twilio with what the last up recorded: a merged edit not applied yet is not drift; an object deleted outside is gone", async () => {
    scenario = await newScenario("plan-drift-unapplied");
    scenario.writeStack(STACK);
    await scenario.up();

    // merged to main, not applied yet: the plan shows it, the drift check does not
    scenario.writeStack(STACK.replace("friendlyName: Support", "friendlyName: Support desk"));
    const pending = await plan();
    expect(pending.stdout).toContain('friendlyName: "Support" → "Support desk"');
    expect(pending.code).toBe(2);
    const noDrift = await plan(["--drift"]);
    expect(noDrift.stdout.trim()).toBe("No drift: Twilio holds what the last up recorded.");
    expect(noDrift.code).toBe(0);
    const noDriftJson = JSON.parse((await plan(["--drift", "--format", "json"])).stdout);
    expect(noDriftJson).toMatchObject({ drift: true, changes: false, resources: [] });

    // even a stack file that no longer parses does not matter: the drift check never reads it
    scenario.writeStack("conversations: [not, a, mapping");
    expect((await plan(["--drift"])).code).toBe(0);

    const support = twilioObjects(scenario.emulator).conversations.find((c) => c.unique_name === "support-plan-e2e");
    const token = Buffer.from(`${scenario.credentialsEnv.TWILIO_ACCOUNT_SID}:${scenario.credentialsEnv.TWILIO_AUTH_TOKEN}`).toString("base64");
    const deleted = await fetch(`${scenario.emulator.url}/v1/Conversations/${support.sid}`, { method: "DELETE", headers: { authorization: `Basic ${token}` } });
    expect(deleted.status).toBe(204);
    const gone = await plan(["--drift", "--format", "markdown"]);
    expect(gone.stdout).toContain("**Drift (recorded at the last up → in Twilio now): 2 gone**");
    expect(gone.stdout).toContain("- `-` **gone** conversation `support`");
    expect(gone.stdout).toContain("- `-` **gone** message `support/hello`");
    expect(gone.stdout).toContain("_why:_ its conversation is gone");
    expect(gone.code).toBe(3);

    scenario.credentialsEnv.TWILIO_AUTH_TOKEN = "not-the-token";
    const failed = await plan(["--drift"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("the refresh preview (reading Twilio) failed");
    expect(failed.stderr).toContain("Twilio error 20003");
  }, E2E_TIMEOUT);
});
