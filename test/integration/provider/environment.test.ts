// The environment's provider, serialized as the engine stores it and run in this process against
// the emulator over HTTP: the requests each create, update and delete sends (forms exactly, a list
// as its key repeated), a diff that sees no change where there is none, singletons and adopted
// objects put back as found, creates whose answer is lost never made twice, secrets never shown,
// and a service that still holds conversations not deleted unless the stack says so.
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { EnvironmentKindName } from "../../../provider/domain/environment";
import { emulatorConfig, useEmulator, type LoadedProvider } from "./harness";
import { fileJournal } from "../../../provider/client/intents";
import { startWireRecorder, type SentRequest, type WireRecorder } from "../../support/wire-recorder";

// The compiled provider, exactly what the Pulumi program uses (npm test builds it first).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { providerModuleText } = require(path.resolve("dist/provider/resources/runtime-provider.js")) as {
  providerModuleText: (kind: EnvironmentKindName) => string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString: (code: string) => { handler: () => pulumi.dynamic.ResourceProvider } = require("require-from-string");

const env = useEmulator();

/** Every request the provider sends to the emulator, read off the wire on its way (it is still sent). */
let recorder: WireRecorder;
beforeAll(async () => {
  recorder = await startWireRecorder(() => env.emulator.url);
});
afterAll(() => recorder.close());

/** The requests sent since the last call. */
function sentSince(): SentRequest[] {
  env.takeRequests();
  return recorder.sent.splice(0);
}
const writesOf = (requests: SentRequest[]) => requests.filter((request) => request.method !== "GET");
const call = (request: SentRequest) => `${request.method} ${request.path}`;

const providers = {} as Record<EnvironmentKindName, LoadedProvider>;
beforeAll(async () => {
  for (const kind of ["service", "serviceNotifications", "role", "user", "accountConfiguration", "addressConfiguration", "pushCredential"] as const) {
    const provider = requireFromString(providerModuleText(kind)).handler();
    const config = () => emulatorConfig(env.emulator, { "twilio:conversationsBaseUrl": recorder.url });
    await provider.configure!({ config: { get: (key) => config()[key], require: (key) => config()[key] } });
    providers[kind] = provider as LoadedProvider;
  }
});
beforeEach(() => {
  sentSince();
});
afterEach(() => env.emulator.clearFaults());

/**
 * A change made outside the stack: not on the provider's wire, and the provider's requests logged
 * so far are kept for the spec check at the end.
 */
async function outside(method: "GET" | "POST" | "DELETE", urlPath: string, form: Record<string, string> = {}) {
  env.takeRequests();
  return env.outside(method, urlPath, form);
}

const state = () => env.emulator.state() as any;
let services = 0;
/** A service of its own for each test, made outside the stack. */
async function newService(): Promise<string> {
  const made = await outside("POST", "/v1/Services", { FriendlyName: `outside ${++services}` });
  return made.body.sid;
}

/** What the engine does on `up` for one new resource: check, then create with the checked inputs. */
async function created(kind: EnvironmentKindName, inputs: Record<string, unknown>) {
  const checked = await providers[kind].check({}, inputs);
  expect(checked.failures ?? []).toEqual([]);
  const result = await providers[kind].create(checked.inputs ?? inputs);
  return { id: result.id, outs: result.outs as Record<string, any> };
}

async function updated(kind: EnvironmentKindName, id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
  const diff = await providers[kind].diff(id, olds, news);
  expect(diff).toMatchObject({ changes: true, replaces: [] });
  const result = await providers[kind].update(id, olds, news);
  return result.outs as Record<string, any>;
}

async function noChange(kind: EnvironmentKindName, id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
  expect(await providers[kind].diff(id, olds, news)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
}

describe("a role", () => {
  it("in a service: created with its permissions as repeated keys, no change in another order, updated with only its permissions, deleted", async () => {
    const service = await newService();
    const inputs = { resourceName: "agent", chatServiceSid: service, friendlyName: "agent", type: "conversation", permissions: ["sendMessage", "leaveConversation"] };
    const { id, outs } = await created("role", inputs);
    expect(writesOf(sentSince())).toEqual([
      {
        method: "POST",
        path: `/v1/Services/${service}/Roles`,
        form: [["FriendlyName", "agent"], ["Type", "conversation"], ["Permission", "sendMessage"], ["Permission", "leaveConversation"]],
      },
    ]);
    expect(outs).toMatchObject({ sid: id, chatServiceSid: service, friendlyName: "agent", type: "conversation", adopted: false, found: null });
    expect([...outs.permissions].sort()).toEqual(["leaveConversation", "sendMessage"]);

    await noChange("role", id, outs, { ...inputs, permissions: ["leaveConversation", "sendMessage"] });
    expect(sentSince()).toEqual([]);

    const more = { ...inputs, permissions: ["leaveConversation", "sendMessage", "addParticipant"] };
    const after = await updated("role", id, outs, more);
    expect(sentSince()).toEqual([
      { method: "POST", path: `/v1/Services/${service}/Roles/${id}`, form: [["Permission", "leaveConversation"], ["Permission", "sendMessage"], ["Permission", "addParticipant"]] },
    ]);
    expect(state().roles.find((role: any) => role.sid === id).permissions.sort()).toEqual(["addParticipant", "leaveConversation", "sendMessage"]);
    await noChange("role", id, after, more);

    await providers.role.delete(id, after);
    expect(sentSince().map(call)).toEqual([`DELETE /v1/Services/${service}/Roles/${id}`]);
    expect(state().roles.some((role: any) => role.sid === id)).toBe(false);
  });

  it("of the default service: on Twilio's account-level path", async () => {
    const { id, outs } = await created("role", { resourceName: "default-role", friendlyName: "default role", type: "service", permissions: ["joinConversation"] });
    expect(writesOf(sentSince())).toEqual([{ method: "POST", path: "/v1/Roles", form: [["FriendlyName", "default role"], ["Type", "service"], ["Permission", "joinConversation"]] }]);
    expect(state().roles.find((role: any) => role.sid === id).chat_service_sid).toBe(env.emulator.defaultServiceSid);
    await providers.role.delete(id, outs);
    expect(sentSince().map(call)).toEqual([`DELETE /v1/Roles/${id}`]);
  });

  it("a new type is a replacement that creates the new one first, as the provider's diff says", async () => {
    const service = await newService();
    const inputs = { resourceName: "typed", chatServiceSid: service, friendlyName: "typed", type: "conversation", permissions: ["sendMessage"] };
    const { id, outs } = await created("role", inputs);
    sentSince();
    expect(await providers.role.diff(id, outs, { ...inputs, type: "service" })).toEqual({ changes: true, replaces: ["type"], deleteBeforeReplace: false });
    expect(await providers.role.diff(id, outs, { ...inputs, friendlyName: "renamed" })).toEqual({ changes: true, replaces: ["friendlyName"], deleteBeforeReplace: false });
    expect(sentSince()).toEqual([]);
  });

  it("adopted with adopt: ifExists: takes the existing role, and destroy puts its permissions back instead of deleting it", async () => {
    const service = await newService();
    const theirs = await outside("POST", `/v1/Services/${service}/Roles`, { FriendlyName: "moderator", Type: "conversation", Permission: "sendMessage" });
    const inputs = { resourceName: "moderator", chatServiceSid: service, adopt: "ifExists", friendlyName: "moderator", type: "conversation", permissions: ["sendMessage", "removeParticipant"] };
    const { id, outs } = await created("role", inputs);
    expect(id).toBe(theirs.body.sid);
    expect(writesOf(sentSince())).toEqual([
      { method: "POST", path: `/v1/Services/${service}/Roles/${id}`, form: [["Permission", "sendMessage"], ["Permission", "removeParticipant"]] },
    ]);
    expect(outs).toMatchObject({ adopted: true, found: { permissions: ["sendMessage"] } });
    expect(state().roles.filter((role: any) => role.friendly_name === "moderator" && role.chat_service_sid === service)).toHaveLength(1);

    await providers.role.delete(id, outs);
    expect(writesOf(sentSince())).toEqual([{ method: "POST", path: `/v1/Services/${service}/Roles/${id}`, form: [["Permission", "sendMessage"]] }]);
    expect(state().roles.find((role: any) => role.sid === id).permissions).toEqual(["sendMessage"]);
  });

  it("refreshed: reads back what the stack declares as Twilio now holds it; gone when Twilio no longer has it", async () => {
    const service = await newService();
    const inputs = { resourceName: "drifting", chatServiceSid: service, friendlyName: "drifting", type: "conversation", permissions: ["sendMessage"] };
    const { id, outs } = await created("role", inputs);
    await outside("POST", `/v1/Services/${service}/Roles/${id}`, { Permission: "leaveConversation" });
    sentSince();
    const refreshed = await providers.role.read(id, outs);
    expect(sentSince().map(call)).toEqual([`GET /v1/Services/${service}/Roles/${id}`]);
    expect(refreshed.id).toBe(id);
    expect(refreshed.inputs).toMatchObject({ resourceName: "drifting", chatServiceSid: service, friendlyName: "drifting", type: "conversation", permissions: ["leaveConversation"] });
    expect(refreshed.props).toMatchObject({ sid: id, permissions: ["leaveConversation"] });
    // The drift is a change the next up makes, in place.
    expect(await providers.role.diff(id, refreshed.props!, inputs)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });

    await outside("DELETE", `/v1/Services/${service}/Roles/${id}`);
    expect((await providers.role.read(id, outs)).id).toBe("");
  });

  it("adopt: require fails, before any write, when no role has the name", async () => {
    const service = await newService();
    const error = await created("role", { resourceName: "missing", chatServiceSid: service, adopt: "require", friendlyName: "missing", type: "conversation", permissions: ["sendMessage"] }).catch((e: Error) => e);
    expect((error as Error).message).toContain('no role with friendlyName "missing" exists');
    expect((error as Error).message).toContain("hint: create it first, fix the friendlyName, or use `adopt: ifExists` to create it when missing");
    expect(writesOf(sentSince())).toEqual([]);
  });

  it("whose create answer is lost is found again, never created twice", async () => {
    const service = await newService();
    env.emulator.setFaults([{ method: "POST", path: `^/v1/Services/${service}/Roles$`, drop: "after", count: 1 }]);
    const { id } = await created("role", { resourceName: "lost", chatServiceSid: service, friendlyName: "lost", type: "conversation", permissions: ["sendMessage"] });
    const mine = state().roles.filter((role: any) => role.friendly_name === "lost");
    expect(mine.map((role: any) => role.sid)).toEqual([id]);
    expect(sentSince().filter((request) => request.method === "POST").map(call)).toEqual([`POST /v1/Services/${service}/Roles`]);
  });

  it("keeps its create intent apart from a conversation's of the same name: the stack names both by their keys alone", async () => {
    const service = await newService();
    // An interrupted run left the create intent of conversation "welcome" open (its answer had arrived).
    const journal = fileJournal(process.env.TWILIO_CONVERSATIONS_INTENTS_DIR!);
    const conversationIntent = { sentAt: Date.now() - 60_000, sid: "CH" + "7".repeat(32), sent: { scope: { serviceSid: service }, fields: {} } };
    await journal.put("intents-test/welcome", conversationIntent);
    const { id } = await created("role", { resourceName: "welcome", stack: "intents-test", chatServiceSid: service, friendlyName: "welcome", type: "conversation", permissions: ["sendMessage"] });
    expect(id).toMatch(/^RL/);
    // The role looked for nothing of the conversation's (one read: check's of the service), and the conversation's intent is as it was for its own next create.
    expect(sentSince().map(call)).toEqual([`GET /v1/Services/${service}`, `POST /v1/Services/${service}/Roles`]);
    expect(journal.get("intents-test/welcome")).toEqual(conversationIntent);
  });
});

describe("a user", () => {
  it("created with JSON attributes, no change for the same attributes in another order, updated with only what changed, deleted", async () => {
    const service = await newService();
    const role = await outside("POST", `/v1/Services/${service}/Roles`, { FriendlyName: "staff", Type: "service", Permission: "joinConversation" });
    const inputs = { resourceName: "ada", chatServiceSid: service, identity: "ada@example.com", attributes: { team: "support", shift: "early" }, roleSid: role.body.sid };
    const { id, outs } = await created("user", inputs);
    expect(writesOf(sentSince())).toEqual([
      { method: "POST", path: `/v1/Services/${service}/Users`, form: [["Identity", "ada@example.com"], ["Attributes", '{"shift":"early","team":"support"}'], ["RoleSid", role.body.sid]] },
    ]);
    expect(outs).toMatchObject({ sid: id, identity: "ada@example.com", attributes: { team: "support", shift: "early" }, roleSid: role.body.sid });

    await noChange("user", id, outs, { ...inputs, attributes: { shift: "early", team: "support" } });
    const after = await updated("user", id, outs, { ...inputs, attributes: { shift: "early", team: "support" }, friendlyName: "Ada" });
    expect(sentSince()).toEqual([{ method: "POST", path: `/v1/Services/${service}/Users/${id}`, form: [["FriendlyName", "Ada"]] }]);
    expect(after.friendlyName).toBe("Ada");

    await providers.user.delete(id, after);
    expect(sentSince().map(call)).toEqual([`DELETE /v1/Services/${service}/Users/${id}`]);
    expect(state().users.some((user: any) => user.sid === id)).toBe(false);
  });

  it("adopted by identity in the default service, and put back as found on destroy", async () => {
    const theirs = await outside("POST", "/v1/Users", { Identity: "grace", FriendlyName: "Grace H." });
    const { id, outs } = await created("user", { resourceName: "grace", adopt: "require", identity: "grace", friendlyName: "Grace" });
    expect(id).toBe(theirs.body.sid);
    const requests = sentSince();
    expect(requests.map(call)).toEqual(["GET /v1/Users/grace", `POST /v1/Users/${id}`]);
    expect(requests[1].form).toEqual([["FriendlyName", "Grace"]]);
    await providers.user.delete(id, outs);
    expect(writesOf(sentSince())).toEqual([{ method: "POST", path: `/v1/Users/${id}`, form: [["FriendlyName", "Grace H."]] }]);
    expect(state().users.find((user: any) => user.sid === id).friendly_name).toBe("Grace H.");
  });

  it("adopted with attributes as found: destroy writes nothing; attributes the stack changed come back as the very text found", async () => {
    const text = '{"plate":"HB-442-LX","hazmat":true}';
    await outside("POST", "/v1/Users", { Identity: "driver-7", FriendlyName: "Driver 7", Attributes: text });
    const declared = { resourceName: "driver", adopt: "require", identity: "driver-7", friendlyName: "Driver 7", attributes: { hazmat: true, plate: "HB-442-LX" } };
    const { id, outs } = await created("user", declared);
    expect(writesOf(sentSince())).toEqual([]);
    await providers.user.delete(id, outs);
    expect(writesOf(sentSince())).toEqual([]);
    expect(state().users.find((user: any) => user.sid === id)).toMatchObject({ friendly_name: "Driver 7", attributes: text });

    const changed = await updated("user", id, outs, { ...declared, attributes: { hazmat: false, plate: "HB-442-LX" } });
    expect(state().users.find((user: any) => user.sid === id).attributes).toBe('{"hazmat":false,"plate":"HB-442-LX"}');
    sentSince();
    await providers.user.delete(id, changed);
    expect(writesOf(sentSince())).toEqual([{ method: "POST", path: `/v1/Users/${id}`, form: [["Attributes", text]] }]);
    expect(state().users.find((user: any) => user.sid === id).attributes).toBe(text);
  });
});

describe("an address configuration", () => {
  const autoCreation = { enabled: true, type: "webhook", webhookUrl: "https://hooks.example.com/in", webhookMethod: "POST", webhookFilters: ["onMessageAdded", "onConversationUpdated"] };
  const inputs = { resourceName: "support-sms", type: "sms", address: "+15005550006", friendlyName: "Support line", autoCreation };

  it("created with its auto-creation's parts, no change as answered, updated with only the property that changed, deleted", async () => {
    const { id, outs } = await created("addressConfiguration", inputs);
    expect(writesOf(sentSince())).toEqual([
      {
        method: "POST",
        path: "/v1/Configuration/Addresses",
        form: [
          ["Type", "sms"],
          ["Address", "+15005550006"],
          ["FriendlyName", "Support line"],
          ["AutoCreation.Enabled", "true"],
          ["AutoCreation.Type", "webhook"],
          ["AutoCreation.WebhookUrl", "https://hooks.example.com/in"],
          ["AutoCreation.WebhookMethod", "POST"],
          ["AutoCreation.WebhookFilters", "onMessageAdded"],
          ["AutoCreation.WebhookFilters", "onConversationUpdated"],
        ],
      },
    ]);
    await noChange("addressConfiguration", id, outs, { ...inputs, autoCreation: { ...autoCreation, webhookMethod: "post", webhookFilters: ["onConversationUpdated", "onMessageAdded"] } });

    const renamed = await updated("addressConfiguration", id, outs, { ...inputs, friendlyName: "Support" });
    expect(sentSince()).toEqual([{ method: "POST", path: `/v1/Configuration/Addresses/${id}`, form: [["FriendlyName", "Support"]] }]);

    // A composite is sent as declared, whole: the parts left out stay out.
    const filtered = await updated("addressConfiguration", id, renamed, { ...inputs, friendlyName: "Support", autoCreation: { type: "webhook", webhookFilters: ["onMessageAdded"] } });
    expect(sentSince()).toEqual([
      { method: "POST", path: `/v1/Configuration/Addresses/${id}`, form: [["AutoCreation.Type", "webhook"], ["AutoCreation.WebhookFilters", "onMessageAdded"]] },
    ]);
    expect(filtered.autoCreation).toMatchObject({ enabled: true, webhookUrl: "https://hooks.example.com/in", webhookFilters: ["onMessageAdded"] });

    await providers.addressConfiguration.delete(id, filtered);
    expect(sentSince().map(call)).toEqual([`DELETE /v1/Configuration/Addresses/${id}`]);
    expect(state().account.address_configurations).toEqual([]);
  });

  it("whose create answer is lost is found again by its address, never created twice", async () => {
    env.emulator.setFaults([{ method: "POST", path: "^/v1/Configuration/Addresses$", drop: "after", count: 1 }]);
    const { id, outs } = await created("addressConfiguration", { ...inputs, resourceName: "lost-sms", address: "+15005550009" });
    expect(state().account.address_configurations.filter((address: any) => address.address === "+15005550009").map((address: any) => address.sid)).toEqual([id]);
    await providers.addressConfiguration.delete(id, outs);
  });
});

describe("a push credential", () => {
  const CERTIFICATE = "-----BEGIN CERTIFICATE-----MIIBkTCB-apn-certificate";
  const PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----MIIEvQIB-apn-private-key";
  const inputs = { resourceName: "ios", type: "apn", friendlyName: "iOS app", sandbox: true, certificate: CERTIFICATE, privateKey: PRIVATE_KEY };
  const holdsNoSecret = (value: unknown) => {
    const text = JSON.stringify(value);
    expect(text).not.toContain(CERTIFICATE);
    expect(text).not.toContain(PRIVATE_KEY);
  };

  it("sends its secrets, keeps only their fingerprints, and sends a secret again only when it changes", async () => {
    const { id, outs } = await created("pushCredential", inputs);
    expect(writesOf(sentSince())).toEqual([
      {
        method: "POST",
        path: "/v1/Credentials",
        form: [["Type", "apn"], ["FriendlyName", "iOS app"], ["Sandbox", "true"], ["Certificate", CERTIFICATE], ["PrivateKey", PRIVATE_KEY]],
      },
    ]);
    holdsNoSecret(outs);
    expect(Object.keys(outs.fingerprints).sort()).toEqual(["certificate", "privateKey"]);
    expect(state().account.credentials.find((credential: any) => credential.sid === id).secret_fingerprints.certificate).toMatch(/^sha256:/);

    await noChange("pushCredential", id, outs, inputs);
    const rotated = await updated("pushCredential", id, outs, { ...inputs, privateKey: `${PRIVATE_KEY}-2` });
    expect(sentSince()).toEqual([{ method: "POST", path: `/v1/Credentials/${id}`, form: [["PrivateKey", `${PRIVATE_KEY}-2`]] }]);
    expect(rotated.fingerprints.certificate).toBe(outs.fingerprints.certificate);
    expect(rotated.fingerprints.privateKey).not.toBe(outs.fingerprints.privateKey);
    await noChange("pushCredential", id, rotated, { ...inputs, privateKey: `${PRIVATE_KEY}-2` });

    await providers.pushCredential.delete(id, rotated);
    expect(sentSince().map(call)).toEqual([`DELETE /v1/Credentials/${id}`]);
    expect(state().account.credentials.some((credential: any) => credential.sid === id)).toBe(false);
  });

  it("whose create answer is lost is found again by its type and name, never created twice", async () => {
    env.emulator.setFaults([{ method: "POST", path: "^/v1/Credentials$", drop: "after", count: 1 }]);
    const { id, outs } = await created("pushCredential", { ...inputs, resourceName: "lost-ios", friendlyName: "lost iOS" });
    expect(state().account.credentials.filter((credential: any) => credential.friendly_name === "lost iOS").map((credential: any) => credential.sid)).toEqual([id]);
    holdsNoSecret(outs);
    await providers.pushCredential.delete(id, outs);
  });

  it("never shows a secret in the error when Twilio's answer echoes it", async () => {
    // What a proxy in front of the API might answer: the request it refused, secrets and all.
    env.emulator.setFaults([{ method: "POST", path: "^/v1/Credentials", status: 200, body: `refused: Certificate=${CERTIFICATE}&PrivateKey=${PRIVATE_KEY}`, count: 1 }]);
    const error = await created("pushCredential", { ...inputs, resourceName: "echoed", friendlyName: "echoed" }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("create push credential");
    expect((error as Error).message).toContain("[redacted]");
    holdsNoSecret((error as Error).message);
    holdsNoSecret((error as Error).stack);
  });

  it("never shows a secret in the error when Twilio refuses the request", async () => {
    const { id, outs } = await created("pushCredential", { ...inputs, resourceName: "refused", friendlyName: "refused" });
    sentSince();
    // A name over Twilio's 64 characters, sent with a new secret: the emulator answers 400.
    const error = await providers.pushCredential.update(id, outs, { ...inputs, friendlyName: "n".repeat(65), certificate: `${CERTIFICATE}-new` }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/HTTP 400/);
    expect(sentSince().map((request) => request.form.map(([key]) => key))).toEqual([["FriendlyName", "Certificate"]]);
    holdsNoSecret((error as Error).message);
    expect((error as Error).message).not.toContain(`${CERTIFICATE}-new`);
    await providers.pushCredential.delete(id, outs);
  });
});

describe("a singleton", () => {
  it("service notifications: set from what Twilio holds, no change as answered, only the changed part updated, put back as found", async () => {
    const service = await newService();
    const inputs = { resourceName: "notifications", chatServiceSid: service, logEnabled: true, newMessage: { enabled: true, template: "${PARTICIPANT}: ${MESSAGE}" } };
    const { id, outs } = await created("serviceNotifications", inputs);
    const requests = sentSince();
    expect(requests.map(call)).toEqual([`GET /v1/Services/${service}`, `GET /v1/Services/${service}/Configuration/Notifications`, `POST /v1/Services/${service}/Configuration/Notifications`]);
    expect(requests[2].form).toEqual([["LogEnabled", "true"], ["NewMessage.Enabled", "true"], ["NewMessage.Template", "${PARTICIPANT}: ${MESSAGE}"]]);
    expect(outs).toMatchObject({ adopted: true, found: { logEnabled: false, newMessage: { enabled: false, template: null } } });

    await noChange("serviceNotifications", id, outs, inputs);
    const after = await updated("serviceNotifications", id, outs, { ...inputs, newMessage: { enabled: true, template: "${MESSAGE}" }, addedToConversation: { enabled: true } });
    expect(sentSince()).toEqual([
      {
        method: "POST",
        path: `/v1/Services/${service}/Configuration/Notifications`,
        form: [["NewMessage.Enabled", "true"], ["NewMessage.Template", "${MESSAGE}"], ["AddedToConversation.Enabled", "true"]],
      },
    ]);
    // What was found is what Twilio held before the stack first set each part.
    expect(after.found).toEqual({ logEnabled: false, newMessage: { enabled: false, template: null }, addedToConversation: { enabled: false } });

    await providers.serviceNotifications.delete(id, after);
    expect(writesOf(sentSince())).toEqual([
      {
        method: "POST",
        path: `/v1/Services/${service}/Configuration/Notifications`,
        form: [["LogEnabled", "false"], ["NewMessage.Enabled", "false"], ["NewMessage.Template", ""], ["AddedToConversation.Enabled", "false"]],
      },
    ]);
    const notifications = state().serviceConfigurations.find((entry: any) => entry.configuration.chat_service_sid === service).notifications;
    expect(notifications).toMatchObject({ log_enabled: false, new_message: { enabled: false, template: null }, added_to_conversation: { enabled: false } });
  });

  it("the account's configuration: a timer found unset is cleared again on destroy", async () => {
    const before = state().account.configuration;
    const inputs = { resourceName: "account", defaultInactiveTimer: "PT12H", defaultClosedTimer: "P7D" };
    const { id, outs } = await created("accountConfiguration", inputs);
    expect(writesOf(sentSince())).toEqual([{ method: "POST", path: "/v1/Configuration", form: [["DefaultInactiveTimer", "PT12H"], ["DefaultClosedTimer", "P7D"]] }]);
    await noChange("accountConfiguration", id, outs, { ...inputs, defaultClosedTimer: "PT168H" });
    await providers.accountConfiguration.delete(id, outs);
    expect(writesOf(sentSince())).toEqual([{ method: "POST", path: "/v1/Configuration", form: [["DefaultInactiveTimer", before.default_inactive_timer ?? ""], ["DefaultClosedTimer", before.default_closed_timer ?? ""]] }]);
    expect(state().account.configuration).toEqual(before);
  });
});

describe("a declared service", () => {
  it("is not deleted while it holds a conversation the stack does not declare, unless deleteWithConversations says so", async () => {
    const { id, outs } = await created("service", { resourceName: "support", friendlyName: "Support (staging)" });
    expect(writesOf(sentSince())).toEqual([{ method: "POST", path: "/v1/Services", form: [["FriendlyName", "Support (staging)"]] }]);
    await outside("POST", `/v1/Services/${id}/Conversations`, { UniqueName: "left-behind" });

    const error = await providers.service.delete(id, outs).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`service ${id} still holds 1 conversation(s) that the stack does not declare (left-behind)`);
    expect((error as Error).message).toContain("hint: deleting the service deletes them with it: remove them first, or set `deleteWithConversations: true` on the service to delete them too");
    expect(writesOf(sentSince())).toEqual([]);
    expect(state().services.some((service: any) => service.sid === id)).toBe(true);

    await providers.service.delete(id, { ...outs, deleteWithConversations: true });
    expect(writesOf(sentSince()).map(call)).toEqual([`DELETE /v1/Services/${id}`]);
    expect(state().services.some((service: any) => service.sid === id)).toBe(false);
    expect(state().conversations.some((conversation: any) => conversation.unique_name === "left-behind")).toBe(false);
  });

  it("with no conversations left is deleted", async () => {
    const { id, outs } = await created("service", { resourceName: "empty", friendlyName: "Empty" });
    sentSince();
    await providers.service.delete(id, outs);
    expect(sentSince().map(call)).toEqual([`GET /v1/Services/${id}/Conversations`, `DELETE /v1/Services/${id}`]);
  });
});
