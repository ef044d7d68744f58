// The environment's pure decisions: what differs, what replaces, what a destroy puts back, and the
// provider's diff built on them (which never needs Twilio).
import { describe, expect, it } from "vitest";
import {
  changedSecrets,
  diffEnvironment,
  environmentInputs,
  fingerprint,
  propertiesToSend,
  recordFound,
  restoredValues,
  type EnvironmentOutputs,
} from "../../../provider/diff/environment";
import { propertyDiffers } from "../../../provider/diff/compare";
import { observedOf } from "../../../provider/client/environment";
import { formOf } from "../../../provider/client/wire";
import { ENVIRONMENT_KINDS, type EnvironmentKindName } from "../../../provider/domain/environment";
import { UNKNOWN } from "../../../provider/domain/unknown";
import { environmentProvider } from "../../../provider/resources/environment-provider";
import type { Transport } from "../../../provider/client/http";

const IS = "IS" + "1".repeat(32);
const OTHER_IS = "IS" + "2".repeat(32);
const RL = "RL" + "3".repeat(32);

/** State as the provider writes it: Twilio's answer and the bookkeeping. */
function outputs(kind: EnvironmentKindName, held: Record<string, unknown>, bookkeeping: Partial<EnvironmentOutputs> = {}): EnvironmentOutputs {
  const properties = Object.fromEntries(Object.keys(ENVIRONMENT_KINDS[kind].table).map((property) => [property, null]));
  return {
    ...properties,
    ...held,
    sid: "XX1",
    url: "https://conversations.twilio.com/x",
    accountSid: "AC1",
    resourceName: "r",
    chatServiceSid: null,
    adopt: "never",
    deleteWithConversations: false,
    adopted: false,
    found: null,
    fingerprints: null,
    declared: [],
    ...bookkeeping,
  };
}

const diffOf = (kind: EnvironmentKindName, olds: EnvironmentOutputs, news: Record<string, unknown>) =>
  diffEnvironment(ENVIRONMENT_KINDS[kind], olds, environmentInputs(ENVIRONMENT_KINDS[kind], { resourceName: "r", ...news }));

/**
 * The provider's diff, with a transport that fails the test if a diff ever asks Twilio; it may only
 * close the object's create intent (the engine holds it), which it records here.
 */
const settled: Array<[string, string]> = [];
function providerDiff(kind: EnvironmentKindName, olds: EnvironmentOutputs, news: Record<string, unknown>) {
  const fails = () => {
    throw new Error("a diff must not send a request");
  };
  const intents = { get: () => null, put: fails, settle: (key: string, sid: string) => void settled.push([key, sid]), sidsOfOthers: () => new Set<string>() };
  const provider = environmentProvider(ENVIRONMENT_KINDS[kind], () => ({ intents, exchange: fails }) as unknown as Transport);
  return provider.diff!(String(olds.sid), olds, { resourceName: "r", ...news });
}

const role = outputs("role", { friendlyName: "agent", type: "conversation", permissions: ["sendMessage", "leaveConversation"] });
const roleNews = { friendlyName: "agent", type: "conversation", permissions: ["sendMessage", "leaveConversation"] };

describe("a role", () => {
  it("permissions in another order are no change", async () => {
    expect(diffOf("role", role, { ...roleNews, permissions: ["leaveConversation", "sendMessage"] })).toEqual({ updates: [], replaces: [], recorded: [] });
    expect(await providerDiff("role", role, { ...roleNews, permissions: ["leaveConversation", "sendMessage", "sendMessage"] })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("closes the role's create intent under its kind's journal key, as the engine holds it", async () => {
    settled.length = 0;
    await providerDiff("role", role, { ...roleNews, stack: "dev", resourceName: "agent" });
    expect(settled).toEqual([["dev/agent#role", String(role.sid)]]);
  });

  it("an added or a removed permission is an update in place", async () => {
    expect(diffOf("role", role, { ...roleNews, permissions: ["sendMessage", "leaveConversation", "addParticipant"] }).updates).toEqual(["permissions"]);
    expect(diffOf("role", role, { ...roleNews, permissions: ["sendMessage"] }).updates).toEqual(["permissions"]);
    expect(await providerDiff("role", role, { ...roleNews, permissions: ["sendMessage"] })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("a new type replaces it, creating first: Twilio keeps role names unique nowhere, and what names the role moves to the new one before the old goes", async () => {
    expect(diffOf("role", role, { ...roleNews, type: "service" })).toEqual({ updates: [], replaces: ["type"], recorded: [] });
    expect(await providerDiff("role", role, { ...roleNews, type: "service" })).toEqual({ changes: true, replaces: ["type"], deleteBeforeReplace: false });
  });

  it("an address configuration of a new type keeps its address, which Twilio keeps unique: the old one goes first", async () => {
    const address = outputs("addressConfiguration", { type: "sms", address: "+15005550006" });
    expect(await providerDiff("addressConfiguration", address, { type: "whatsapp", address: "+15005550006" })).toEqual({ changes: true, replaces: ["type"], deleteBeforeReplace: true });
    expect(await providerDiff("addressConfiguration", address, { type: "whatsapp", address: "+15005550007" })).toEqual({
      changes: true,
      replaces: ["type", "address"],
      deleteBeforeReplace: false,
    });
  });

  it("a new name replaces it, creating first: the natural key changes, so nothing clashes", async () => {
    expect(await providerDiff("role", role, { ...roleNews, friendlyName: "senior agent" })).toEqual({ changes: true, replaces: ["friendlyName"], deleteBeforeReplace: false });
    expect(await providerDiff("role", role, { ...roleNews, friendlyName: "senior agent", type: "service" })).toEqual({
      changes: true,
      replaces: ["friendlyName", "type"],
      deleteBeforeReplace: false,
    });
  });

  it("another service replaces it (creating first: nothing clashes across services), the same one does not", async () => {
    const inService = outputs("role", { ...roleNews }, { chatServiceSid: IS });
    expect(diffOf("role", inService, { ...roleNews, chatServiceSid: IS }).replaces).toEqual([]);
    expect(await providerDiff("role", inService, { ...roleNews, chatServiceSid: OTHER_IS })).toEqual({ changes: true, replaces: ["chatServiceSid"], deleteBeforeReplace: false });
    // The default service is no service SID at all: moving to a declared service replaces it too.
    expect(diffOf("role", role, { ...roleNews, chatServiceSid: IS }).replaces).toEqual(["chatServiceSid"]);
    expect(diffOf("role", role, { ...roleNews, chatServiceSid: "" }).replaces).toEqual([]);
  });

  it("a service not yet created (preview) is a replacement; unknown permissions an update", () => {
    const inService = outputs("role", { ...roleNews }, { chatServiceSid: IS });
    expect(diffOf("role", inService, { ...roleNews, chatServiceSid: UNKNOWN }).replaces).toEqual(["chatServiceSid"]);
    expect(diffOf("role", inService, { ...roleNews, chatServiceSid: IS, permissions: UNKNOWN }).updates).toEqual(["permissions"]);
    expect(diffOf("role", inService, { ...roleNews, chatServiceSid: IS, permissions: ["sendMessage", UNKNOWN] }).updates).toEqual(["permissions"]);
  });

  it("a new resource name, adopt or deleteWithConversations is recorded with no request", async () => {
    expect(diffOf("role", role, { ...roleNews, resourceName: "renamed", adopt: "ifExists" })).toEqual({ updates: [], replaces: [], recorded: ["resourceName", "adopt"] });
    expect(await providerDiff("role", role, { ...roleNews, adopt: "ifExists" })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    // State older than the bookkeeping reads as its defaults.
    const older = { ...role } as Record<string, unknown>;
    delete older.adopt;
    delete older.deleteWithConversations;
    expect(diffOf("role", older as EnvironmentOutputs, roleNews).recorded).toEqual([]);
  });
});

describe("singletons and other kinds", () => {
  it("a service configuration in another service replaces it; a new default role is an update", async () => {
    const held = outputs("serviceConfiguration", { defaultConversationRoleSid: RL, reachabilityEnabled: false }, { chatServiceSid: IS, sid: null });
    expect(await providerDiff("serviceConfiguration", held, { chatServiceSid: OTHER_IS, reachabilityEnabled: false })).toEqual({
      changes: true,
      replaces: ["chatServiceSid"],
      deleteBeforeReplace: false,
    });
    expect(diffOf("serviceConfiguration", held, { chatServiceSid: IS, defaultConversationRoleSid: "RL" + "4".repeat(32) })).toEqual({
      updates: ["defaultConversationRoleSid"],
      replaces: [],
      recorded: [],
    });
    // A role being created (preview) is an update of the configuration, not a replacement.
    expect(diffOf("serviceConfiguration", held, { chatServiceSid: IS, defaultConversationRoleSid: UNKNOWN })).toEqual({ updates: ["defaultConversationRoleSid"], replaces: [], recorded: [] });
  });

  it("a service's new name replaces it, creating the new one first", async () => {
    const held = outputs("service", { friendlyName: "Support" });
    expect(await providerDiff("service", held, { friendlyName: "Support" })).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(await providerDiff("service", held, { friendlyName: "Support 2" })).toEqual({ changes: true, replaces: ["friendlyName"], deleteBeforeReplace: false });
    expect(diffOf("service", held, { friendlyName: "Support", deleteWithConversations: true }).recorded).toEqual(["deleteWithConversations"]);
  });

  it('a push credential\'s "True" from Twilio is the true declared; its new type replaces it, creating first (it has no natural key to clash)', async () => {
    // What state holds is what the client read from Twilio's answer.
    const answered = (sandbox: string) => observedOf(ENVIRONMENT_KINDS.pushCredential.table, { sid: "CR1", type: "apn", sandbox, friendly_name: "iOS" });
    const held = outputs("pushCredential", answered("True"));
    expect(diffOf("pushCredential", held, { type: "apn", sandbox: true, friendlyName: "iOS" })).toEqual({ updates: [], replaces: [], recorded: [] });
    expect(diffOf("pushCredential", held, { type: "apn", sandbox: false })).toEqual({ updates: ["sandbox"], replaces: [], recorded: [] });
    expect(diffOf("pushCredential", outputs("pushCredential", answered("False")), { type: "apn", sandbox: false }).updates).toEqual([]);
    expect(diffOf("pushCredential", outputs("pushCredential", answered("False")), { type: "apn", sandbox: true }).updates).toEqual(["sandbox"]);
    expect(await providerDiff("pushCredential", held, { type: "fcm", secret: "s" })).toMatchObject({ replaces: ["type"], deleteBeforeReplace: false });
  });

  it("webhook methods compare caseless; filters as a set; URLs exactly", () => {
    const held = outputs("serviceWebhooks", { method: "POST", filters: ["onMessageAdded", "onConversationAdded"], postWebhookUrl: "https://hooks.example.com/a" }, { chatServiceSid: IS });
    const news = { chatServiceSid: IS, method: "post", filters: ["onConversationAdded", "onMessageAdded"], postWebhookUrl: "https://hooks.example.com/a" };
    expect(diffOf("serviceWebhooks", held, news).updates).toEqual([]);
    expect(diffOf("serviceWebhooks", held, { ...news, method: "GET" }).updates).toEqual(["method"]);
    expect(diffOf("serviceWebhooks", held, { ...news, postWebhookUrl: "https://hooks.example.com/A" }).updates).toEqual(["postWebhookUrl"]);
    expect(diffOf("serviceWebhooks", held, { ...news, filters: ["onMessageAdded"] }).updates).toEqual(["filters"]);
    const address = outputs("addressConfiguration", { type: "sms", address: "+1", autoCreation: { enabled: true, type: "webhook", webhookMethod: "POST", webhookUrl: "https://h.example.com" } });
    expect(diffOf("addressConfiguration", address, { type: "sms", address: "+1", autoCreation: { type: "webhook", webhookMethod: "post" } }).updates).toEqual([]);
  });

  it("only the fields that are methods compare caseless: a name that spells one does not", () => {
    const role = outputs("role", { friendlyName: "Post", type: "conversation", permissions: ["sendMessage"] });
    expect(diffOf("role", role, { friendlyName: "post", type: "conversation", permissions: ["sendMessage"] }).replaces).toEqual(["friendlyName"]);
    const user = outputs("user", { identity: "ada", friendlyName: "Get" });
    expect(diffOf("user", user, { identity: "ada", friendlyName: "GET" }).updates).toEqual(["friendlyName"]);
    const address = outputs("addressConfiguration", { type: "sms", address: "+1", friendlyName: "post", autoCreation: { type: "webhook", webhookUrl: "https://h.example.com/post" } });
    expect(diffOf("addressConfiguration", address, { type: "sms", address: "+1", friendlyName: "POST", autoCreation: { webhookUrl: "https://h.example.com/POST" } }).updates).toEqual(["friendlyName", "autoCreation"]);
  });

  it("a composite's parts left out are not managed; a declared part that differs is an update", () => {
    const held = outputs(
      "serviceNotifications",
      { newMessage: { enabled: false, template: "held", sound: null, badgeCountEnabled: true, withMedia: { enabled: false, template: null } } },
      { chatServiceSid: IS },
    );
    expect(diffOf("serviceNotifications", held, { chatServiceSid: IS, newMessage: { enabled: false } }).updates).toEqual([]);
    expect(diffOf("serviceNotifications", held, { chatServiceSid: IS, newMessage: { withMedia: {} } }).updates).toEqual([]);
    expect(diffOf("serviceNotifications", held, { chatServiceSid: IS, newMessage: { enabled: true } }).updates).toEqual(["newMessage"]);
    expect(diffOf("serviceNotifications", held, { chatServiceSid: IS, newMessage: { withMedia: { template: "media" } } }).updates).toEqual(["newMessage"]);
    // A part Twilio shows as none is a change once declared.
    expect(diffOf("serviceNotifications", held, { chatServiceSid: IS, newMessage: { sound: "default" } }).updates).toEqual(["newMessage"]);
    expect(diffOf("serviceNotifications", held, { chatServiceSid: IS, newMessage: { enabled: UNKNOWN } }).updates).toEqual(["newMessage"]);
  });

  it("timers compare as durations; attributes as JSON values", () => {
    const account = outputs("accountConfiguration", { defaultInactiveTimer: "PT60M", defaultClosedTimer: "P1D" });
    expect(diffOf("accountConfiguration", account, { defaultInactiveTimer: "PT1H", defaultClosedTimer: "PT24H" }).updates).toEqual([]);
    expect(diffOf("accountConfiguration", account, { defaultInactiveTimer: "PT2H" }).updates).toEqual(["defaultInactiveTimer"]);
    const user = outputs("user", { identity: "ada", attributes: { team: "support", shift: "early" } });
    expect(diffOf("user", user, { identity: "ada", attributes: { shift: "early", team: "support" } }).updates).toEqual([]);
    expect(diffOf("user", user, { identity: "ada", attributes: { team: "support" } }).updates).toEqual(["attributes"]);
    expect(diffOf("user", user, { identity: "ada", attributes: { team: "support", shift: "late" }, friendlyName: "Ada" }).updates).toEqual(["friendlyName", "attributes"]);
    expect(diffOf("user", user, { identity: "grace" }).replaces).toEqual(["identity"]);
  });

  it("a value left out never asks for a change", () => {
    const row = ENVIRONMENT_KINDS.user.table.friendlyName;
    expect(propertyDiffers(row, null, "Ada")).toBe(false);
    expect(propertyDiffers(row, undefined, "Ada")).toBe(false);
    expect(propertyDiffers(row, "Ada", null)).toBe(true);
    expect(propertyDiffers(row, UNKNOWN, "Ada")).toBe(true);
  });
});

describe("secrets", () => {
  const kind = ENVIRONMENT_KINDS.pushCredential;
  const sent = { certificate: fingerprint("CERT-1"), privateKey: fingerprint("KEY-1") };
  const held = outputs("pushCredential", { type: "apn" }, { fingerprints: sent });
  const news = { type: "apn", certificate: "CERT-1", privateKey: "KEY-1" };

  it("the same secret is no change, a new one an update of that secret only", async () => {
    expect(diffOf("pushCredential", held, news)).toEqual({ updates: [], replaces: [], recorded: [] });
    expect(diffOf("pushCredential", held, { ...news, certificate: "CERT-2" })).toEqual({ updates: ["certificate"], replaces: [], recorded: [] });
    expect(await providerDiff("pushCredential", held, { ...news, privateKey: "KEY-2" })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(propertiesToSend(kind, held, environmentInputs(kind, { ...news, privateKey: "KEY-2" }), held.fingerprints)).toEqual(["privateKey"]);
  });

  it("a secret newly declared, or not yet known, is an update; one left out is not", () => {
    expect(changedSecrets(kind.table, environmentInputs(kind, { ...news, secret: "S" }), sent)).toEqual(["secret"]);
    expect(changedSecrets(kind.table, environmentInputs(kind, { ...news, certificate: UNKNOWN }), sent)).toEqual(["certificate"]);
    expect(changedSecrets(kind.table, environmentInputs(kind, { type: "apn" }), sent)).toEqual([]);
    expect(changedSecrets(kind.table, environmentInputs(kind, news), null)).toEqual(["certificate", "privateKey"]);
  });

  it("a fingerprint is a SHA-256 digest, never the secret itself", () => {
    for (const secret of ["CERT-1", "", "a".repeat(64), fingerprint("x")]) {
      expect(fingerprint(secret)).toMatch(/^[0-9a-f]{64}$/);
      expect(fingerprint(secret)).not.toBe(secret);
      expect(fingerprint(secret)).not.toContain(secret || "\u0000");
    }
    expect(fingerprint("CERT-1")).toBe(fingerprint("CERT-1"));
    expect(fingerprint("CERT-1")).not.toBe(fingerprint("CERT-2"));
  });
});

describe("what a destroy puts back", () => {
  const kind = ENVIRONMENT_KINDS.serviceNotifications;
  const held = {
    logEnabled: false,
    newMessage: { enabled: false, template: null, sound: "ding", badgeCountEnabled: true, withMedia: { enabled: false, template: null } },
    addedToConversation: { enabled: false, template: null, sound: null },
  };
  const inputs = (values: Record<string, unknown>) => environmentInputs(kind, { resourceName: "n", chatServiceSid: IS, ...values });

  it("records only the declared properties and parts, as Twilio held them", () => {
    expect(recordFound(kind, null, held, inputs({ logEnabled: true, newMessage: { template: "new", withMedia: { enabled: true } } }))).toEqual({
      logEnabled: false,
      newMessage: { template: null, withMedia: { enabled: false } },
    });
  });

  it("keeps the first value found across updates, adding what is declared later", () => {
    const first = recordFound(kind, null, held, inputs({ logEnabled: true, newMessage: { template: "new" } }));
    // After the first up, Twilio holds what the stack set; a later update must not record that as found.
    const afterUp = { ...held, logEnabled: true, newMessage: { ...held.newMessage, template: "new", sound: "bell" } };
    const second = recordFound(kind, first, afterUp, inputs({ logEnabled: false, newMessage: { template: "newer", sound: "chime" }, addedToConversation: { enabled: true } }));
    expect(second).toEqual({
      logEnabled: false,
      newMessage: { template: null, sound: "bell" },
      addedToConversation: { enabled: false },
    });
    expect(first).toEqual({ logEnabled: false, newMessage: { template: null } });
  });

  it("never records create-only properties or secrets", () => {
    const credential = ENVIRONMENT_KINDS.pushCredential;
    expect(recordFound(credential, null, { type: "apn", friendlyName: "iOS", sandbox: false }, environmentInputs(credential, { type: "fcm", friendlyName: "Android", secret: "S" }))).toEqual({
      friendlyName: "iOS",
    });
  });

  it('sends "" for a value found as none, the found value otherwise, part by part, where Twilio holds something else', () => {
    const changed = { logEnabled: true, newMessage: { template: "new", sound: "bell", withMedia: { enabled: true, template: "media" } } };
    expect(restoredValues(kind, { logEnabled: false, newMessage: { template: null, sound: "ding", withMedia: { enabled: false, template: null } } }, changed)).toEqual({
      logEnabled: false,
      newMessage: { template: "", sound: "ding", withMedia: { enabled: false, template: "" } },
    });
    const account = ENVIRONMENT_KINDS.accountConfiguration;
    expect(restoredValues(account, { defaultInactiveTimer: null, defaultChatServiceSid: IS, notAProperty: 1 }, { defaultInactiveTimer: "PT1H", defaultChatServiceSid: OTHER_IS })).toEqual({
      defaultInactiveTimer: "",
      defaultChatServiceSid: IS,
    });
    expect(restoredValues(ENVIRONMENT_KINDS.role, { permissions: ["sendMessage"] }, { permissions: ["sendMessage", "leaveConversation"] })).toEqual({ permissions: ["sendMessage"] });
  });

  it("sends nothing for what Twilio still holds as found, and only the parts it does not", () => {
    const found = { logEnabled: false, newMessage: { template: null, sound: "ding" } };
    expect(restoredValues(kind, found, held)).toEqual({});
    expect(restoredValues(kind, found, { ...held, newMessage: { ...held.newMessage, sound: "bell" } })).toEqual({ newMessage: { sound: "ding" } });
    const webhooks = ENVIRONMENT_KINDS.accountWebhooks;
    // Lists as sets, methods in either case, none as none (null, "" or an empty list).
    expect(restoredValues(webhooks, { filters: ["a", "b"], method: "post", preWebhookUrl: null, postWebhookUrl: "" }, { filters: ["b", "a"], method: "POST", preWebhookUrl: "", postWebhookUrl: null })).toEqual({});
    expect(restoredValues(ENVIRONMENT_KINDS.accountConfiguration, { defaultInactiveTimer: "PT60M" }, { defaultInactiveTimer: "PT1H" })).toEqual({});
  });

  it("records JSON as the text Twilio answered, and puts it back as that text only where Twilio holds other text", () => {
    const user = ENVIRONMENT_KINDS.user;
    const text = '{"plate":"HB-442-LX","hazmat":true}';
    const answered = observedOf(user.table, { sid: "US1", identity: "driver-7", attributes: text, friendly_name: "Driver" });
    const found = recordFound(user, null, answered, environmentInputs(user, { identity: "driver-7", attributes: { plate: "HB-442-LX", hazmat: true } }));
    expect(found).toEqual({ attributes: text });
    expect(restoredValues(user, found, answered)).toEqual({});
    const rewritten = observedOf(user.table, { sid: "US1", attributes: '{"hazmat":true,"plate":"HB-000-XX"}' });
    const restored = restoredValues(user, found, rewritten);
    expect(Object.keys(restored)).toEqual(["attributes"]);
    expect(formOf(user.table, restored)).toEqual({ Attributes: text });
  });

  it("puts back JSON found before texts were recorded by its value", () => {
    const user = ENVIRONMENT_KINDS.user;
    expect(restoredValues(user, { attributes: { a: 1, b: 2 } }, { attributes: { b: 2, a: 1 } })).toEqual({});
    expect(formOf(user.table, restoredValues(user, { attributes: { b: 2, a: 1 } }, { attributes: { a: 3 } }))).toEqual({ Attributes: '{"a":1,"b":2}' });
  });
});

describe("what a destroy puts back", () => {
  const webhooks = ENVIRONMENT_KINDS.serviceWebhooks;
  const found = { postWebhookUrl: null, method: "POST", filters: ["onMessageAdded"] };

  it.each([
    ["nothing, when Twilio still holds what was found (a method in another case, filters in another order)", { postWebhookUrl: null, method: "post", filters: ["onMessageAdded"] }, {}],
    ["a URL found as none, cleared", { postWebhookUrl: "https://set.example.com", method: "POST", filters: ["onMessageAdded"] }, { postWebhookUrl: "" }],
    ["the method and filters found", { postWebhookUrl: "", method: "GET", filters: [] }, { method: "POST", filters: ["onMessageAdded"] }],
  ])("%s", (_name, held, expected) => {
    expect(restoredValues(webhooks, found, held)).toEqual(expected);
  });

  it("compares a composite part by part", () => {
    const notifications = ENVIRONMENT_KINDS.serviceNotifications;
    const foundParts = { newMessage: { enabled: false, template: null } };
    expect(restoredValues(notifications, foundParts, { newMessage: { enabled: false, template: null, sound: "x" } })).toEqual({});
    expect(restoredValues(notifications, foundParts, { newMessage: { enabled: true, template: "t" } })).toEqual({ newMessage: { enabled: false, template: "" } });
  });
});
