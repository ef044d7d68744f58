// preview on the real engine proves the credentials and the target with one read per run: a wrong
// secret or none fails the preview naming the credentials, instead of showing a plan.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newScenario, type Scenario } from "./harness";

const E2E_TIMEOUT = 300_000;

let scenario: Scenario;

beforeAll(async () => {
  scenario = await newScenario("credentials");
  scenario.writeStack(`
conversations:
  support:
    friendlyName: Support
    messages:
      - key: welcome
        body: Hello
      - key: second
        body: How can we help?
  sales:
    friendlyName: Sales
`);
}, E2E_TIMEOUT);

afterAll(async () => {
  await scenario?.dispose();
});

const log = () => scenario.emulator.requests().map((r) => `${r.method} ${r.path} ${r.status}`);

describe("preview verifies the credentials", () => {
  it("with good credentials, passes after exactly one read", async () => {
    scenario.emulator.clearRequests();
    const preview = await scenario.pulumi(["preview", "--diff"]);
    // The stack and two conversations: the seed thread is an input of its conversation, not resources of its own.
    expect(preview.output).toContain("+ 3 to create");
    expect(preview.output).not.toContain("twilio-conversations:Message");
    expect(preview.output).toMatch(/::support\]\s+friendlyName: "Support"\s+messages\s*: \{\s+second : \{\s+after: "welcome"\s+body : "How can we help\?"\s+\}\s+welcome: \{\s+body: "Hello"\s+\}\s+\}/);
    expect(log()).toEqual(["GET /v1/Configuration 200"]);
  }, E2E_TIMEOUT);

  it("with a wrong secret, fails naming the credentials, without the secret", async () => {
    const wrong = "0123456789abcdef0123456789abcdef";
    scenario.emulator.clearRequests();
    const preview = await scenario.pulumi(["preview"], { env: { TWILIO_AUTH_TOKEN: wrong }, allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain("verify the Twilio credentials and target failed (HTTP 401");
    expect(preview.output).toContain("the Twilio credentials were refused: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN");
    expect(preview.output).not.toContain(wrong);
    expect(log()).toEqual(["GET /v1/Configuration 401"]);
  }, E2E_TIMEOUT);

  it("with no credentials, fails saying what to set, and sends nothing", async () => {
    scenario.emulator.clearRequests();
    const preview = await scenario.pulumi(["preview"], { env: { TWILIO_ACCOUNT_SID: "", TWILIO_AUTH_TOKEN: "" }, allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain("no Twilio credentials are configured");
    expect(preview.output).toContain("set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN");
    expect(log()).toEqual([]);
  }, E2E_TIMEOUT);
});
