// Several Twilio accounts in one program: a resource whose settings name another config namespace
// reaches that account, with that account's credentials, for every operation; the others keep the
// default `twilio:*` settings. Only the namespace is stored with the resource.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import { createThrough, emulatorConfig, loadProvider, type LoadedProvider } from "./harness";

let main: RunningEmulator;
let eu: RunningEmulator;
let conversations: LoadedProvider;

beforeAll(async () => {
  main = await startEmulator();
  eu = await startEmulator();
  const euConfig = emulatorConfig(eu);
  conversations = await loadProvider("conversation", {
    ...emulatorConfig(main),
    "twilio-eu:accountSid": euConfig["twilio:accountSid"],
    "twilio-eu:authToken": euConfig["twilio:authToken"],
    "twilio-eu:conversationsBaseUrl": euConfig["twilio:conversationsBaseUrl"],
  });
});

afterAll(async () => {
  await main.close();
  await eu.close();
});

const uniqueNames = (emulator: RunningEmulator) => emulator.state().conversations.map((c: any) => c.unique_name);

describe("settings per resource", () => {
  it("a create that made the conversation but failed its second step records the namespace, so the next run finishes it in that account", async () => {
    eu.setFaults([{ method: "POST", path: "^/v1/Conversations/CH", status: 500, count: 50, retryAfter: 0 }]);
    const error = await createThrough(conversations, {
      resourceName: "eu-archive",
      uniqueName: "eu-archive",
      state: "closed",
      settingsNamespace: "twilio-eu",
    }).catch((caught) => caught);
    eu.clearFaults();
    expect(error.message).toMatch(/was created, but/);
    expect(error.properties.settingsNamespace).toBe("twilio-eu");
    await conversations.delete(error.id, error.properties);
    expect(uniqueNames(eu)).not.toContain("eu-archive");
  });

  it("creates, reads, updates and deletes in the account its namespace names, and the default account otherwise", async () => {
    const inEu = await createThrough(conversations, { resourceName: "eu-desk", uniqueName: "eu-desk", settingsNamespace: "twilio-eu" });
    const inMain = await createThrough(conversations, { resourceName: "desk", uniqueName: "desk" });
    expect(uniqueNames(eu)).toEqual(["eu-desk"]);
    expect(uniqueNames(main)).toEqual(["desk"]);
    expect(inEu.outs.accountSid).toBe(eu.credentials.accountSid);
    expect(inEu.outs.settingsNamespace).toBe("twilio-eu");
    expect(inMain.outs.settingsNamespace).toBeUndefined();
    // Each account's credentials are verified once, by the first check naming it.
    await conversations.check({}, { resourceName: "eu-later", friendlyName: "later", settingsNamespace: "twilio-eu" });
    const verifications = (emulator: RunningEmulator) => emulator.requests().filter((r) => r.path === "/v1/Configuration").length;
    expect([verifications(eu), verifications(main)]).toEqual([1, 1]);

    const read = await conversations.read(inEu.id, inEu.outs);
    expect(read.id).toBe(inEu.id);
    expect(read.props?.settingsNamespace).toBe("twilio-eu");
    const news = { ...inEu.outs, friendlyName: "Desk (EU)" };
    await conversations.update(inEu.id, inEu.outs, news);
    expect((eu.state() as { conversations: Array<{ friendly_name: string }> }).conversations[0].friendly_name).toBe("Desk (EU)");

    main.clearRequests();
    await conversations.delete(inEu.id, inEu.outs);
    expect(uniqueNames(eu)).toEqual([]);
    expect(main.requests()).toEqual([]);
    await conversations.delete(inMain.id, inMain.outs);
    expect(uniqueNames(main)).toEqual([]);
  });

  it("names the namespace's missing credentials rather than falling back to the environment's account", async () => {
    const inputs = { resourceName: "nowhere", uniqueName: "nowhere", settingsNamespace: "twilio-missing" };
    // check already fails, verifying the credentials; create, if it were called, too.
    const { failures } = await conversations.check({}, inputs);
    expect(failures?.map((failure) => failure.reason)).toEqual([
      expect.stringContaining("no Twilio credentials are configured\nhint: set the stack config of this account: pulumi config set twilio-missing:accountSid AC…"),
    ]);
    await expect(conversations.create(inputs)).rejects.toThrow("pulumi config set twilio-missing:accountSid AC…");
    expect(uniqueNames(main)).toEqual([]);
  });
});
