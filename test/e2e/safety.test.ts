import { afterEach, describe, expect, it } from "vitest";
import { newScenario, twilioObjects, type Scenario } from "./harness";

const E2E_TIMEOUT = 300_000;
let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.dispose();
  scenario = undefined;
});

describe("safety on the real engine", () => {
  it("an invalid stack file fails preview with the rendered problems and no API call", async () => {
    scenario = await newScenario("invalid");
    scenario.writeStack(`
conversations:
  support:
    frendlyName: Support
    state: active
    timers: { inactive: PT30S }
`);
    const preview = await scenario.pulumi(["preview"], { allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(preview.output).toMatch(/stack\.yaml:4:5 conversations\.support\.frendlyName/);
    expect(preview.output).toContain("✖");
    expect(preview.output).toContain("friendlyName");
    expect(preview.output).toMatch(/stack\.yaml:6:\d+ conversations\.support\.timers\.inactive/);
    expect(scenario.emulator.requests()).toEqual([]);
  }, E2E_TIMEOUT);

  it("destroy works after the credentials are rotated, and no secret reaches state or output", async () => {
    scenario = await newScenario("rotation");
    const firstToken = scenario.emulator.credentials.authToken;
    scenario.writeStack(`
conversations:
  support:
    uniqueName: support-rotation
    messages:
      - body: hello
`);
    const outputs: string[] = [];
    outputs.push((await scenario.up()).output);
    const exported = (await scenario.pulumi(["stack", "export", "--show-secrets"])).stdout;
    expect(exported).toContain("support-rotation");
    expect(exported).not.toContain(firstToken);

    const rotatedToken = "rotated-auth-token-0123456789abcdef";
    await scenario.restartEmulator({ authToken: rotatedToken });
    const refused = await scenario.pulumi(["refresh", "--yes", "--skip-preview"], { allowFailure: true });
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain("Twilio error 20003");
    expect(refused.output).not.toContain(firstToken);

    scenario.credentialsEnv.TWILIO_AUTH_TOKEN = rotatedToken;
    outputs.push((await scenario.pulumi(["destroy", "--yes", "--skip-preview"])).output);
    expect(twilioObjects(scenario.emulator)).toEqual({ conversations: [], messages: [] });
    for (const text of [...outputs, refused.output, (await scenario.pulumi(["stack", "export", "--show-secrets"])).stdout]) {
      expect(text).not.toContain(firstToken);
      expect(text).not.toContain(rotatedToken);
    }
  }, E2E_TIMEOUT);

  it("credentials in stack config stay encrypted in state", async () => {
    scenario = await newScenario("config-secret");
    const token = scenario.emulator.credentials.authToken;
    delete scenario.credentialsEnv.TWILIO_AUTH_TOKEN;
    await scenario.pulumi(["config", "set", "--secret", "twilio:authToken", token]);
    scenario.writeStack(`
conversations:
  lobby:
    friendlyName: Lobby
`);
    const up = await scenario.up();
    expect(twilioObjects(scenario.emulator).conversations).toHaveLength(1);
    const exported = (await scenario.pulumi(["stack", "export"])).stdout;
    expect(up.output + exported).not.toContain(token);
    await scenario.pulumi(["destroy", "--yes", "--skip-preview"]);
    expect(twilioObjects(scenario.emulator).conversations).toHaveLength(0);
  }, E2E_TIMEOUT);

  it("with injected 429s and dropped connections, up converges with no duplicates", async () => {
    scenario = await newScenario("faults");
    const conversations = ["alpha", "beta", "gamma", "delta"];
    scenario.writeStack(
      "conversations:\n" +
        conversations
          .map(
            (name, n) =>
              `  ${name}:\n` +
              (n % 2 === 0 ? `    uniqueName: faults-${name}\n` : "") +
              `    friendlyName: ${name} thread\n    messages:\n` +
              [1, 2, 3].map((i) => `      - body: ${name} message ${i}\n`).join(""),
          )
          .join(""),
    );
    scenario.emulator.setFaults([
      { method: "POST", path: "/Conversations$", drop: "after", count: 2 },
      { method: "POST", path: "/Messages$", drop: "after", count: 3 },
      { status: 429, probability: 0.3, retryAfter: 0 },
      { method: "GET", status: 503, probability: 0.2, retryAfter: 0 },
    ]);
    await scenario.up();
    scenario.emulator.clearFaults();

    const state = twilioObjects(scenario.emulator);
    expect(state.conversations.map((c) => c.friendly_name).sort()).toEqual(conversations.map((name) => `${name} thread`).sort());
    for (const conversation of state.conversations) {
      const thread = state.messages.filter((m) => m.conversation_sid === conversation.sid).sort((a, b) => a.index - b.index);
      const name = conversation.friendly_name.replace(" thread", "");
      expect(thread.map((m) => m.body)).toEqual([1, 2, 3].map((i) => `${name} message ${i}`));
    }
    const log = scenario.emulator.requests();
    expect(log.some((r) => r.status === 429)).toBe(true);
    // Both drops of a conversation create and all three of a message create (inside its
    // conversation's create) were recovered from.
    const dropped = (pattern: RegExp) => log.filter((r) => r.method === "POST" && pattern.test(r.path) && r.status === 0).length;
    expect([dropped(/\/Conversations$/), dropped(/\/Messages$/)]).toEqual([2, 3]);
    // The stack outputs name each message the conversation's resource recorded, by position.
    const outputs = await scenario.outputs();
    for (const name of conversations) {
      const thread = state.messages.filter((m) => m.conversation_sid === outputs.conversations[name]).sort((a, b) => a.index - b.index);
      expect(outputs.messages[name]).toEqual(Object.fromEntries(thread.map((m, position) => [String(position), m.sid])));
    }
    await scenario.pulumi(["preview", "--expect-no-changes"]);
  }, E2E_TIMEOUT);
});
