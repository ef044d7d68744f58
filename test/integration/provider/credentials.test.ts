// A run's first check proves the credentials and the target with one read, so preview fails on
// missing or refused credentials and on a service that is not there, instead of showing a plan.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import { emulatorConfig, loadProvider } from "./harness";

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.close();
});

const requests = () => emulator.requests().map((r) => `${r.method} ${r.path} ${r.status}`);

describe("the first check verifies the credentials and the target", () => {
  it("good credentials: one read for any number of checks, of both kinds, concurrent or not", async () => {
    const fresh = await startEmulator();
    try {
      const conversations = await loadProvider("conversation", emulatorConfig(fresh));
      const messages = await loadProvider("message", emulatorConfig(fresh));
      const checks = Array.from({ length: 5 }, (_, n) => conversations.check({}, { resourceName: `c${n}`, friendlyName: `c${n}` }));
      const results = await Promise.all([
        ...checks,
        messages.check({}, { resourceName: "m", conversationSid: "CH" + "0".repeat(32), body: "hi" }),
      ]);
      await conversations.check({}, { resourceName: "later", friendlyName: "later" });
      expect(results.map((r) => r.failures ?? [])).toEqual(Array(6).fill([]));
      expect(fresh.requests().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(["GET /v1/Configuration 200"]);
    } finally {
      await fresh.close();
    }
  });

  it("a declared service is the read, once per service", async () => {
    const created = await fetch(`${emulator.url}/v1/Services`, {
      method: "POST",
      headers: {
        authorization: "Basic " + Buffer.from(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`).toString("base64"),
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "FriendlyName=staging",
    });
    const serviceSid: string = ((await created.json()) as { sid: string }).sid;
    const conversations = await loadProvider("conversation", emulatorConfig(emulator));
    emulator.clearRequests();
    await conversations.check({}, { resourceName: "a", friendlyName: "a", chatServiceSid: serviceSid });
    await conversations.check({}, { resourceName: "b", friendlyName: "b", chatServiceSid: serviceSid });
    expect(requests()).toEqual([`GET /v1/Services/${serviceSid} 200`]);
  });

  it("a service that does not exist: names the service and the account", async () => {
    const conversations = await loadProvider("conversation", emulatorConfig(emulator));
    const missing = "IS" + "f".repeat(32);
    emulator.clearRequests();
    const { failures } = await conversations.check({}, { resourceName: "a", friendlyName: "a", chatServiceSid: missing });
    expect(failures).toHaveLength(1);
    expect(failures![0].property).toBe("");
    expect(failures![0].reason).toContain(
      `verify the Twilio credentials and target failed (HTTP 404): service ${missing} does not exist in account ${emulator.credentials.accountSid}\n` +
        "hint: check chatServiceSid in the stack file, or whether these are the credentials of the account that holds it",
    );
    expect(requests()).toEqual([`GET /v1/Services/${missing} 404`]);
  });

  it("a wrong secret: says the credentials were refused and what to set, without the secret", async () => {
    const wrong = "0123456789abcdef0123456789abcdef";
    const conversations = await loadProvider("conversation", emulatorConfig(emulator, { "twilio:authToken": wrong }));
    emulator.clearRequests();
    const { failures } = await conversations.check({}, { resourceName: "a", friendlyName: "a" });
    const reason = failures?.[0]?.reason ?? "";
    expect(reason.split("\n")[0]).toMatch(/^verify the Twilio credentials and target failed \(HTTP 401, Twilio error 20003\): /);
    expect(reason).toContain("hint: the Twilio credentials were refused: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN");
    expect(reason).not.toContain(wrong);
    expect(reason).not.toContain(Buffer.from(`${emulator.credentials.accountSid}:${wrong}`).toString("base64"));
    expect(requests()).toEqual(["GET /v1/Configuration 401"]);
  });

  it("no credentials: says what to set, and sends nothing", async () => {
    const conversations = await loadProvider("conversation", { "twilio:conversationsBaseUrl": emulator.url });
    emulator.clearRequests();
    const { failures } = await conversations.check({}, { resourceName: "a", friendlyName: "a" });
    expect(failures).toEqual([
      {
        property: "",
        reason:
          "verify the Twilio credentials and target failed: no Twilio credentials are configured\n" +
          "hint: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET with TWILIO_ACCOUNT_SID), " +
          "or the stack config: pulumi config set twilio:accountSid AC… && pulumi config set --secret twilio:authToken …",
      },
    ]);
    expect(requests()).toEqual([]);
  });

  it("bad input is reported as it is, before any request", async () => {
    const conversations = await loadProvider("conversation", { "twilio:conversationsBaseUrl": emulator.url });
    emulator.clearRequests();
    const result = await conversations.check({}, { resourceName: "a", friendlyName: "a", chatServiceSid: "not-a-sid" });
    expect(result.failures?.length).toBeGreaterThan(0);
    expect(requests()).toEqual([]);
  });
});
