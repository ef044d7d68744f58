// Twilio's timers on the real engine: once the emulator's clock passes a declared timer, refresh
// records the move, and preview and up of the unchanged file see no change and send nothing.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { raw } from "../integration/emulator/support";
import { conversationResource, newScenario, twilioObjects, type Scenario } from "./harness";

const E2E_TIMEOUT = 300_000;

/** Runs a scenario and disposes of it, whatever happens. */
async function inScenario(name: string, body: (scenario: Scenario) => Promise<void>): Promise<void> {
  const scenario = await newScenario(name);
  try {
    await body(scenario);
  } finally {
    await scenario.dispose();
  }
}

const SUPPORT_DESK = readFileSync(path.resolve(__dirname, "../../examples/support-desk.yaml"), "utf8");
const EXAMPLE_SERVICE = "IS00000000000000000000000000000001";

async function advanceClock(current: Scenario, duration: string): Promise<void> {
  const response = await fetch(`${current.emulator.url}/__emulator/clock`, { method: "POST", body: JSON.stringify({ advance: duration }) });
  expect(response.status).toBe(200);
}

function states(current: Scenario): Record<string, string> {
  return Object.fromEntries(twilioObjects(current.emulator).conversations.map((c) => [c.unique_name, c.state]));
}

/** refresh records what the timers did; preview and up of the unchanged file change and send nothing. */
async function refreshThenNothingToDo(current: Scenario): Promise<void> {
  await current.pulumi(["refresh", "--yes", "--skip-preview"]);
  current.emulator.clearRequests();
  await current.pulumi(["preview", "--expect-no-changes"]);
  await current.pulumi(["up", "--yes", "--skip-preview", "--expect-no-changes"]);
  expect(current.emulator.requests().filter((request) => request.method !== "GET")).toEqual([]);
}

describe("Twilio's timers on the real engine", () => {
  it("support-desk: its timers make the conversations inactive, then closed; nothing to do after; destroy still works", () =>
    inScenario("timers-desk", async (scenario) => {
      const service = await raw(scenario.emulator, "POST", "/v1/Services", { FriendlyName: "Support desk" });
      scenario.writeStack(SUPPORT_DESK.replaceAll(EXAMPLE_SERVICE, service.body.sid));
      await scenario.up();
      expect(states(scenario)).toEqual({ "support-general": "active", "support-vip": "active", "support-archive-2023": "closed" });

      // Past both inactive timers (PT1H and PT4H), before any closed timer.
      await advanceClock(scenario, "PT4H1M");
      expect(states(scenario)).toEqual({ "support-general": "inactive", "support-vip": "inactive", "support-archive-2023": "closed" });
      await refreshThenNothingToDo(scenario);
      expect(states(scenario)).toMatchObject({ "support-general": "inactive", "support-vip": "inactive" });

      // Past both closed timers (P1D and P7D).
      await advanceClock(scenario, "P7D");
      expect(states(scenario)).toEqual({ "support-general": "closed", "support-vip": "closed", "support-archive-2023": "closed" });
      await refreshThenNothingToDo(scenario);

      // The example protects its conversations: a person lifts that first, as for any protected stack.
      await scenario.pulumi(["state", "unprotect", "--all", "--yes"]);
      await scenario.pulumi(["destroy", "--yes", "--skip-preview"]);
      // support-archive is retainOnDelete: it stays in Twilio.
      expect(twilioObjects(scenario.emulator).conversations.map((c) => c.unique_name)).toEqual(["support-archive-2023"]);
    }), E2E_TIMEOUT);

  it("a seeded conversation closed by its timer keeps its messages, and destroy deletes it all", () =>
    inScenario("timers-seeded", async (scenario) => {
      scenario.writeStack(`
  conversations:
    support:
      uniqueName: support-timers
      state: active
      timers: { inactive: PT10M, closed: PT1H }
      messages:
        - key: welcome
          body: Welcome to support
        - key: question
          author: ada
          body: My order is late
  `);
      await scenario.up();
      const before = twilioObjects(scenario.emulator).messages.map((m) => m.sid);
      expect(before).toHaveLength(2);

      await advanceClock(scenario, "PT2H");
      expect(states(scenario)).toEqual({ "support-timers": "closed" });
      await refreshThenNothingToDo(scenario);
      expect(twilioObjects(scenario.emulator).messages.map((m) => m.sid)).toEqual(before);
      // The refreshed conversation records its closed state and still both messages.
      const { outputs } = await conversationResource(scenario, "support");
      expect(outputs!.state).toBe("closed");
      expect([outputs!.messages.welcome.sid, outputs!.messages.question.sid]).toEqual(before);

      await scenario.pulumi(["destroy", "--yes", "--skip-preview"]);
      expect(twilioObjects(scenario.emulator)).toEqual({ conversations: [], messages: [] });
    }), E2E_TIMEOUT);
});
