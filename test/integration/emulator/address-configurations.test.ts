// Address configurations (/v1/Configuration/Addresses) through the official twilio client, with
// every response checked against the spec's response schema; one configuration per address; field
// refusals with their codes; pagination and the Type filter; the state dump and the state file.
import { describe, expect, it } from "vitest";
import { loadStateFile } from "../../../emulator/state-file";
import { ORACLE_MISSING_REASON, exchangeProblems, expectTwilioError, raw, sharedEmulator, spec, temporaryStateFile, twilioClient, withEmulator } from "./support";

const emulator = sharedEmulator();
const FLOW = "FW" + "a".repeat(32);
const ADDRESSES = "/v1/Configuration/Addresses";

describe.skipIf(!spec)(`address configurations through the twilio client (${spec ? "spec present" : ORACLE_MISSING_REASON})`, () => {
  it("creates a webhook auto-creation, fetches it by SID and by address, updates it to studio, lists and deletes it", async () => {
    const { v1, exchanges } = twilioClient(emulator);
    const service = await v1.services.create({ friendlyName: "inbound" });
    const created = await v1.addressConfigurations.create({
      type: "sms",
      address: "+37256123457",
      friendlyName: "My Test Configuration",
      "autoCreation.enabled": true,
      "autoCreation.type": "webhook",
      "autoCreation.conversationServiceSid": service.sid,
      "autoCreation.webhookUrl": "https://example.com",
      "autoCreation.webhookMethod": "post",
      "autoCreation.webhookFilters": ["onParticipantAdded", "onMessageAdded"],
      addressCountry: "CA",
    });
    expect(created.sid).toMatch(/^IG[0-9a-f]{32}$/);
    expect(created).toMatchObject({
      accountSid: emulator.credentials.accountSid,
      type: "sms",
      address: "+37256123457",
      friendlyName: "My Test Configuration",
      addressCountry: "CA",
      autoCreation: {
        enabled: true,
        type: "webhook",
        conversation_service_sid: service.sid,
        webhook_url: "https://example.com",
        webhook_method: "POST",
        webhook_filters: ["onParticipantAdded", "onMessageAdded"],
      },
      url: `${emulator.url}/v1/Configuration/Addresses/${created.sid}`,
    });
    expect(created.dateUpdated).toEqual(created.dateCreated);
    expect((await v1.addressConfigurations(created.sid).fetch()).address).toBe("+37256123457");
    expect((await v1.addressConfigurations("+37256123457").fetch()).sid).toBe(created.sid);

    const updated = await v1.addressConfigurations("+37256123457").update({
      friendlyName: "My Test Configuration Updated",
      "autoCreation.enabled": false,
      "autoCreation.type": "studio",
      "autoCreation.studioFlowSid": FLOW,
      "autoCreation.studioRetryCount": 3,
    });
    // The example's shape: a studio auto-creation shows its own fields only.
    expect(updated.autoCreation).toEqual({
      enabled: false,
      type: "studio",
      conversation_service_sid: service.sid,
      studio_flow_sid: FLOW,
      studio_retry_count: 3,
    });
    expect(updated).toMatchObject({ sid: created.sid, friendlyName: "My Test Configuration Updated", type: "sms", address: "+37256123457" });

    const email = await v1.addressConfigurations.create({
      type: "email",
      address: "example@example.com",
      friendlyName: "My Email Configuration",
      "autoCreation.enabled": true,
      "autoCreation.type": "default",
    });
    expect(email).toMatchObject({ addressCountry: null, autoCreation: { enabled: true, type: "default" } });
    expect(Object.keys(email.autoCreation)).toEqual(["enabled", "type"]);

    expect((await v1.addressConfigurations.list()).map((c) => c.sid)).toEqual([created.sid, email.sid]);
    expect((await v1.addressConfigurations.list({ type: "email" })).map((c) => c.sid)).toEqual([email.sid]);
    expect(await v1.addressConfigurations(email.sid).remove()).toBe(true);
    expect(await v1.addressConfigurations("+37256123457").remove()).toBe(true);
    await expect(v1.addressConfigurations(created.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    expect(await v1.addressConfigurations.list()).toEqual([]);
    expect(exchangeProblems(exchanges)).toEqual([]);
  });

  it("takes every address type of the spec, in any case, and answers it lower-case", async () => {
    const { v1, exchanges } = twilioClient(emulator, "apiKey");
    const types = ["sms", "whatsapp", "messenger", "gbm", "email", "rcs", "apple", "chat"];
    for (const [i, type] of types.entries()) {
      const sent = i % 2 === 0 ? type.toUpperCase() : type;
      const made = await v1.addressConfigurations.create({ type: sent as any, address: `urn:mbid:${type}` });
      expect(made.type).toBe(type);
      // Nothing sent about auto-creation: disabled (UNVERIFIED default).
      expect(made.autoCreation).toEqual({ enabled: false, type: "default" });
    }
    expect((await v1.addressConfigurations.list({ type: "WhatsApp" })).map((c) => c.address)).toEqual(["urn:mbid:whatsapp"]);
    expect(exchangeProblems(exchanges)).toEqual([]);
  });

  it("pages in creation order, up to 50 a page, the Type filter kept on every page; PageSize over 50 is refused", async () => {
    const { v1, exchanges } = twilioClient(emulator);
    const numbers = Array.from({ length: 7 }, (_, i) => `+1555000000${i}`);
    for (const address of numbers) await v1.addressConfigurations.create({ type: "sms", address });
    await v1.addressConfigurations.create({ type: "whatsapp", address: "whatsapp:+15550000009" });
    const first = await v1.addressConfigurations.page({ type: "sms", pageSize: 3 });
    expect(first.instances.map((c) => c.address)).toEqual(numbers.slice(0, 3));
    await v1.addressConfigurations(numbers[3]).remove();
    const second = await first.nextPage();
    expect(second!.instances.map((c) => c.address)).toEqual(numbers.slice(4, 7));
    expect(await second!.nextPage()).toBeUndefined();
    expect((await second!.previousPage())!.instances.map((c) => c.address)).toEqual(numbers.slice(0, 3));

    const filtered = await raw(emulator, "GET", `${ADDRESSES}?Type=sms&PageSize=2`);
    expect(filtered.body.meta).toMatchObject({ key: "address_configurations", page_size: 2 });
    expect(filtered.body.meta.url).toBe(`${emulator.url}${ADDRESSES}?Type=sms&PageSize=2&Page=0`);
    expect(filtered.body.meta.next_page_url).toContain("Type=sms");
    expect((await raw(emulator, "GET", `${ADDRESSES}`)).body.meta.page_size).toBe(50);
    expectTwilioError(await raw(emulator, "GET", `${ADDRESSES}?PageSize=51`), 400, 400);
    expectTwilioError(await raw(emulator, "GET", `${ADDRESSES}?PageToken=PTbad`), 400, 21481);
    expect(exchangeProblems(exchanges)).toEqual([]);
  });
});

describe("address configuration rules and their error codes", () => {
  it("allows one configuration per address: a second is 409; a deleted one frees the address", async () => {
    const first = (await raw(emulator, "POST", ADDRESSES, { Type: "sms", Address: "+15551230000" })).body;
    expectTwilioError(await raw(emulator, "POST", ADDRESSES, { Type: "whatsapp", Address: "+15551230000" }), 409, 409);
    expect((emulator.state().account as any).address_configurations).toHaveLength(1);
    expect((await raw(emulator, "DELETE", `${ADDRESSES}/${first.sid}`)).status).toBe(204);
    expect((await raw(emulator, "POST", ADDRESSES, { Type: "sms", Address: "+15551230000" })).status).toBe(201);
  });

  it.each<[string, number, number, Record<string, string> | Array<[string, string]>]>([
    ["no Type", 400, 400, { Address: "+15550001111" }],
    ["an unknown Type", 400, 400, { Type: "fax", Address: "+15550001111" }],
    ["no Address", 400, 400, { Type: "sms" }],
    ["an Address of 257 characters", 400, 400, { Type: "sms", Address: "1".repeat(257) }],
    ["a FriendlyName of 257 characters", 400, 400, { Type: "sms", Address: "+15550001111", FriendlyName: "f".repeat(257) }],
    ["an AutoCreation.Enabled that is no boolean", 400, 400, { Type: "sms", Address: "+15550001111", "AutoCreation.Enabled": "yes" }],
    ["an unknown AutoCreation.Type", 400, 400, { Type: "sms", Address: "+15550001111", "AutoCreation.Type": "flex" }],
    ["a ConversationServiceSid of no service", 400, 50050, { Type: "sms", Address: "+15550001111", "AutoCreation.ConversationServiceSid": "IS" + "0".repeat(32) }],
    ["a malformed ConversationServiceSid", 400, 400, { Type: "sms", Address: "+15550001111", "AutoCreation.ConversationServiceSid": "IS1" }],
    ["a WebhookUrl that is not absolute", 400, 400, { Type: "sms", Address: "+15550001111", "AutoCreation.WebhookUrl": "example.com" }],
    ["an unknown WebhookMethod", 400, 400, { Type: "sms", Address: "+15550001111", "AutoCreation.WebhookMethod": "PUT" }],
    ["a pre-action webhook filter", 400, 50365, [["Type", "sms"], ["Address", "+15550001111"], ["AutoCreation.WebhookFilters", "onMessageAdded"], ["AutoCreation.WebhookFilters", "onMessageAdd"]]],
    ["a malformed StudioFlowSid", 400, 400, { Type: "sms", Address: "+15550001111", "AutoCreation.StudioFlowSid": "FW1" }],
    ["a StudioRetryCount that is no integer", 400, 400, { Type: "sms", Address: "+15550001111", "AutoCreation.StudioRetryCount": "-1" }],
    ["an AddressCountry that is no country code", 400, 400, { Type: "sms", Address: "+15550001111", AddressCountry: "CAN" }],
    ["an enabled webhook auto-creation without WebhookUrl", 400, 400, { Type: "sms", Address: "+15550001111", "AutoCreation.Enabled": "true", "AutoCreation.Type": "webhook" }],
    ["an enabled studio auto-creation without StudioFlowSid", 400, 400, { Type: "sms", Address: "+15550001111", "AutoCreation.Enabled": "true", "AutoCreation.Type": "studio" }],
  ])("refuses %s with %i / %i and creates nothing", async (_case, status, code, form) => {
    expectTwilioError(await raw(emulator, "POST", ADDRESSES, form), status, code);
    expect((emulator.state().account as any).address_configurations).toEqual([]);
  });

  it("validates updates the same way and leaves the configuration as it was; Type, Address and AddressCountry are not updatable", async () => {
    const made = (await raw(emulator, "POST", ADDRESSES, { Type: "sms", Address: "+15550002222", AddressCountry: "us" })).body;
    expect(made.address_country).toBe("US");
    expectTwilioError(await raw(emulator, "POST", `${ADDRESSES}/${made.sid}`, { "AutoCreation.Enabled": "true", "AutoCreation.Type": "webhook" }), 400, 400);
    expectTwilioError(await raw(emulator, "POST", `${ADDRESSES}/${made.sid}`, { "AutoCreation.StudioRetryCount": "x" }), 400, 400);
    expect((await raw(emulator, "GET", `${ADDRESSES}/${made.sid}`)).body).toEqual(made);
    const ignored = await raw(emulator, "POST", `${ADDRESSES}/${encodeURIComponent("+15550002222")}`, { Type: "email", Address: "x@example.com", AddressCountry: "FR", FriendlyName: "" });
    expect(ignored.body).toMatchObject({ type: "sms", address: "+15550002222", address_country: "US", friendly_name: null });
    // Switching type keeps what the other type was given: back to webhook, its settings return.
    await raw(emulator, "POST", `${ADDRESSES}/${made.sid}`, { "AutoCreation.Type": "webhook", "AutoCreation.WebhookUrl": "https://example.com/in", "AutoCreation.WebhookMethod": "get" });
    await raw(emulator, "POST", `${ADDRESSES}/${made.sid}`, { "AutoCreation.Type": "studio", "AutoCreation.StudioFlowSid": FLOW });
    const back = await raw(emulator, "POST", `${ADDRESSES}/${made.sid}`, { "AutoCreation.Type": "webhook" });
    expect(back.body.auto_creation).toEqual({ enabled: false, type: "webhook", webhook_url: "https://example.com/in", webhook_method: "GET", webhook_filters: [] });
  });

  it("answers 404 / 20404 for an unknown SID or address and 405 for other methods", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      expectTwilioError(await raw(emulator, method, `${ADDRESSES}/IG${"0".repeat(32)}`, method === "POST" ? {} : undefined), 404, 20404);
      expectTwilioError(await raw(emulator, method, `${ADDRESSES}/%2B15559999999`, method === "POST" ? {} : undefined), 404, 20404);
    }
    expectTwilioError(await raw(emulator, "PUT", ADDRESSES), 405, 20004);
  });
});

describe("address configurations in the state dump and the state file", () => {
  it("shows them in /__emulator/state as the API answers them", async () => {
    const made = (await raw(emulator, "POST", ADDRESSES, { Type: "sms", Address: "+15550003333" })).body;
    const dump = (await (await fetch(`${emulator.url}/__emulator/state`)).json()) as { account: any };
    expect(dump.account.address_configurations).toEqual([made]);
  });

  it("keeps them, their updates, deletes and the address index across a restart", async () => {
    const { stateFile, remove } = temporaryStateFile("emulator-addresses-");
    let running = await withEmulator({ stateFile });
    try {
      const kept = (await raw(running, "POST", ADDRESSES, [["Type", "whatsapp"], ["Address", "whatsapp:+15550004444"], ["AutoCreation.Enabled", "true"], ["AutoCreation.Type", "webhook"], ["AutoCreation.WebhookUrl", "https://example.com"], ["AutoCreation.WebhookFilters", "onMessageAdded"], ["AutoCreation.WebhookFilters", "onParticipantAdded"]])).body;
      const gone = (await raw(running, "POST", ADDRESSES, { Type: "sms", Address: "+15550005555" })).body;
      await raw(running, "POST", `${ADDRESSES}/${kept.sid}`, { FriendlyName: "kept" });
      await raw(running, "DELETE", `${ADDRESSES}/${gone.sid}`);
      expect([...loadStateFile(stateFile)!.addressConfigurations.keys()]).toEqual([kept.sid]);
      const before = (await raw(running, "GET", `${ADDRESSES}/${kept.sid}`)).body;
      await running.close();

      running = await withEmulator({ stateFile });
      const after = (await raw(running, "GET", `${ADDRESSES}/whatsapp:+15550004444`)).body;
      expect({ ...after, url: new URL(after.url).pathname }).toEqual({ ...before, url: new URL(before.url).pathname });
      expect(after.auto_creation.webhook_filters).toEqual(["onMessageAdded", "onParticipantAdded"]);
      expectTwilioError(await raw(running, "GET", `${ADDRESSES}/${gone.sid}`), 404, 20404);
      expectTwilioError(await raw(running, "POST", ADDRESSES, { Type: "whatsapp", Address: "whatsapp:+15550004444" }), 409, 409);
      expect((await raw(running, "POST", ADDRESSES, { Type: "sms", Address: "+15550005555" })).status).toBe(201);
    } finally {
      await running.close();
      remove();
    }
  });
});
