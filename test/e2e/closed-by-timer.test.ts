// A conversation its timer closed stays protected on the real engine: what Twilio holds (closed) is
// read from the outputs, which a no-op `up` keeps, not from the inputs, which it rewrites to the
// declared `state: active`.
import { afterEach, describe, expect, it } from "vitest";
import { newScenario, twilioObjects, writes, type Scenario } from "./harness";

const E2E_TIMEOUT = 300_000;

let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.dispose();
  scenario = undefined;
});

const desk = (friendlyName: string) => `
conversations:
  desk:
    uniqueName: desk-closed-by-timer
    friendlyName: ${friendlyName}
    state: active
    timers: { inactive: PT5M, closed: PT10M }
`;

describe("a conversation its timer closed", () => {
  it("refuses a friendlyName edit at preview and up, before any write, even after a no-op up", async () => {
    scenario = await newScenario("closed-by-timer");
    scenario.writeStack(desk("Desk"));
    await scenario.up();
    const advanced = await fetch(`${scenario.emulator.url}/__emulator/clock`, { method: "POST", body: JSON.stringify({ advance: "PT11M" }) });
    expect(advanced.status).toBe(200);
    expect(twilioObjects(scenario.emulator).conversations.map((c) => c.state)).toEqual(["closed"]);
    await scenario.pulumi(["refresh", "--yes", "--skip-preview"]);
    // Nothing to do: the timer closed it, as the file asked. This up writes the declared inputs back.
    await scenario.pulumi(["up", "--yes", "--skip-preview", "--expect-no-changes"]);

    scenario.writeStack(desk("Front desk"));
    scenario.emulator.clearRequests();
    for (const command of [["preview"], ["up", "--yes", "--skip-preview"]]) {
      const refused = await scenario.pulumi(command, { allowFailure: true });
      expect(refused.code, refused.output).not.toBe(0);
      expect(refused.output).toContain("friendlyName");
      expect(refused.output).toContain("can't change on a closed conversation");
      expect(refused.output).toContain("give the resource a new name in the stack");
    }
    expect(writes(scenario.emulator.requests())).toEqual([]);
    expect(twilioObjects(scenario.emulator).conversations.map((c) => c.friendly_name)).toEqual(["Desk"]);
  }, E2E_TIMEOUT);
});
