// A service's configuration singletons (Configuration, Configuration/Notifications,
// Configuration/Webhooks) through the official twilio client, with every response checked against
// the spec's response schema; defaults of a new service; each error with its code; the state dump
// and the state file.
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadStateFile } from "../../../emulator/state-file";
import { ORACLE_MISSING_REASON, exchangeProblems, expectTwilioError, raw, sharedEmulator, spec, temporaryStateFile, twilioClient, withEmulator } from "./support";

const emulator = sharedEmulator();
const UNKNOWN_SERVICE = `IS${"0".repeat(32)}`;

async function rolesByName(serviceSid: string): Promise<Record<string, { sid: string; type: string }>> {
  const roles = (await raw(emulator, "GET", `/v1/Services/${serviceSid}/Roles`)).body.roles as Array<{ sid: string; type: string; friendly_name: string }>;
  return Object.fromEntries(roles.map((role) => [role.friendly_name, role]));
}

describe.skipIf(!spec)(`service configuration through the twilio client (${spec ? "spec present" : ORACLE_MISSING_REASON})`, () => {
  it("configuration: the defaults of a new service, then an update of every field", async () => {
    const { v1, exchanges } = twilioClient(emulator);
    const service = await v1.services.create({ friendlyName: "configured" });
    const url = `${emulator.url}/v1/Services/${service.sid}/Configuration`;
    const roles = await rolesByName(service.sid);
    const fetched = await v1.services(service.sid).configuration().fetch();
    expect(fetched).toMatchObject({
      chatServiceSid: service.sid,
      defaultConversationCreatorRoleSid: roles["channel admin"].sid,
      defaultConversationRoleSid: roles["channel user"].sid,
      defaultChatServiceRoleSid: roles["service user"].sid,
      reachabilityEnabled: false,
      url,
      links: { notifications: `${url}/Notifications`, webhooks: `${url}/Webhooks` },
    });
    // The service's own links name it.
    expect(service.links.configuration).toBe(url);

    const creator = await v1.services(service.sid).roles.create({ friendlyName: "owner", type: "conversation", permission: ["sendMessage", "addParticipant"] });
    const updated = await v1.services(service.sid).configuration().update({
      defaultConversationCreatorRoleSid: creator.sid,
      defaultConversationRoleSid: roles["channel admin"].sid,
      defaultChatServiceRoleSid: roles["service admin"].sid,
      reachabilityEnabled: true,
    });
    expect(updated).toMatchObject({
      defaultConversationCreatorRoleSid: creator.sid,
      defaultConversationRoleSid: roles["channel admin"].sid,
      defaultChatServiceRoleSid: roles["service admin"].sid,
      reachabilityEnabled: true,
    });
    // Absent fields keep their values.
    const partial = await v1.services(service.sid).configuration().update({ reachabilityEnabled: false });
    expect(partial).toMatchObject({ defaultConversationCreatorRoleSid: creator.sid, reachabilityEnabled: false });
    expect(await v1.services(service.sid).configuration().fetch()).toMatchObject({ defaultChatServiceRoleSid: roles["service admin"].sid });
    // Each service has its own.
    expect((await v1.services(emulator.defaultServiceSid).configuration().fetch()).reachabilityEnabled).toBe(false);
    expect(exchangeProblems(exchanges)).toEqual([]);
  });

  it("notifications: everything off and unset at first; updates by field, nested as the spec answers them", async () => {
    const { v1, exchanges } = twilioClient(emulator, "apiKey");
    const notifications = v1.services(emulator.defaultServiceSid).configuration.notifications();
    const fresh = await notifications.fetch();
    expect(fresh).toMatchObject({
      accountSid: emulator.credentials.accountSid,
      chatServiceSid: emulator.defaultServiceSid,
      logEnabled: false,
      newMessage: { enabled: false, template: null, sound: null, badge_count_enabled: false, with_media: { enabled: false, template: null } },
      addedToConversation: { enabled: false, template: null, sound: null },
      removedFromConversation: { enabled: false, template: null, sound: null },
      url: `${emulator.url}/v1/Services/${emulator.defaultServiceSid}/Configuration/Notifications`,
    });

    const updated = await notifications.update({
      logEnabled: true,
      "newMessage.enabled": true,
      "newMessage.template": "New in ${CONVERSATION} from ${PARTICIPANT}: ${MESSAGE}",
      "newMessage.sound": "ring",
      "newMessage.badgeCountEnabled": true,
      "newMessage.withMedia.enabled": true,
      "newMessage.withMedia.template": "${MEDIA_COUNT} files: ${MEDIA}",
      "addedToConversation.enabled": true,
      "addedToConversation.template": "Added to ${CONVERSATION}",
      "addedToConversation.sound": "chime",
      "removedFromConversation.enabled": true,
      "removedFromConversation.template": "Removed from ${CONVERSATION}",
      "removedFromConversation.sound": "default",
    });
    expect(updated).toMatchObject({
      logEnabled: true,
      newMessage: {
        enabled: true,
        template: "New in ${CONVERSATION} from ${PARTICIPANT}: ${MESSAGE}",
        sound: "ring",
        badge_count_enabled: true,
        with_media: { enabled: true, template: "${MEDIA_COUNT} files: ${MEDIA}" },
      },
      addedToConversation: { enabled: true, template: "Added to ${CONVERSATION}", sound: "chime" },
      removedFromConversation: { enabled: true, template: "Removed from ${CONVERSATION}", sound: "default" },
    });
    // One field at a time; an empty text clears it.
    const partial = await notifications.update({ "newMessage.withMedia.enabled": false, "addedToConversation.sound": "" });
    expect(partial.newMessage).toMatchObject({ enabled: true, sound: "ring", with_media: { enabled: false, template: "${MEDIA_COUNT} files: ${MEDIA}" } });
    expect(partial.addedToConversation).toEqual({ enabled: true, template: "Added to ${CONVERSATION}", sound: null });
    expect((await notifications.fetch()).logEnabled).toBe(true);

    const raw_ = await raw(emulator, "GET", `/v1/Services/${emulator.defaultServiceSid}/Configuration/Notifications`);
    expect(Object.keys(raw_.body.new_message).sort()).toEqual(["badge_count_enabled", "enabled", "sound", "template", "with_media"]);
    expect(exchangeProblems(exchanges)).toEqual([]);
  });

  it("webhooks: URLs and filters null at first, method POST; URLs, filters (repeated) and method; absent fields kept, empty ones cleared", async () => {
    const { v1, exchanges } = twilioClient(emulator);
    const service = await v1.services.create({ friendlyName: "hooked" });
    const webhooks = v1.services(service.sid).configuration.webhooks();
    expect(await webhooks.fetch()).toMatchObject({
      accountSid: emulator.credentials.accountSid,
      chatServiceSid: service.sid,
      preWebhookUrl: null,
      postWebhookUrl: null,
      filters: null,
      // The spec's schema has no null method (its fetchEmpty example does): POST until set.
      method: "POST",
      url: `${emulator.url}/v1/Services/${service.sid}/Configuration/Webhooks`,
    });
    const updated = await webhooks.update({
      preWebhookUrl: "https://hooks.example/pre",
      postWebhookUrl: "https://hooks.example/post",
      filters: ["onMessageAdd", "onParticipantAdded"],
      method: "GET",
    });
    expect(updated).toMatchObject({
      preWebhookUrl: "https://hooks.example/pre",
      postWebhookUrl: "https://hooks.example/post",
      filters: ["onMessageAdd", "onParticipantAdded"],
      method: "GET",
    });
    const partial = await webhooks.update({ method: "post", filters: ["onConversationStateUpdated"] });
    expect(partial).toMatchObject({ preWebhookUrl: "https://hooks.example/pre", filters: ["onConversationStateUpdated"], method: "POST" });
    const cleared = await raw(emulator, "POST", `/v1/Services/${service.sid}/Configuration/Webhooks`, { PreWebhookUrl: "", Filters: "" });
    expect(cleared.body).toMatchObject({ pre_webhook_url: null, post_webhook_url: "https://hooks.example/post", filters: null, method: "POST" });
    // The default service's webhooks are untouched.
    expect((await v1.services(emulator.defaultServiceSid).configuration.webhooks().fetch()).postWebhookUrl).toBeNull();
    expect(exchangeProblems(exchanges)).toEqual([]);
  });
});

describe("service configuration rules and their error codes", () => {
  const configurationPath = () => `/v1/Services/${emulator.defaultServiceSid}/Configuration`;

  it("default roles must be roles of this service, of the right type: 50109 for conversation roles, 50100 for the service role", async () => {
    const roles = await rolesByName(emulator.defaultServiceSid);
    const other = (await raw(emulator, "POST", "/v1/Services", { FriendlyName: "other" })).body.sid;
    const foreign = await rolesByName(other);
    const before = (await raw(emulator, "GET", configurationPath())).body;
    const cases: Array<[Record<string, string>, number]> = [
      [{ DefaultConversationCreatorRoleSid: `RL${"0".repeat(32)}` }, 50109],
      [{ DefaultConversationRoleSid: foreign["channel user"].sid }, 50109],
      [{ DefaultConversationRoleSid: roles["service user"].sid }, 50109],
      [{ DefaultConversationRoleSid: "" }, 50109],
      [{ DefaultConversationCreatorRoleSid: "channel admin" }, 50109],
      [{ DefaultChatServiceRoleSid: roles["channel user"].sid }, 50100],
      [{ DefaultChatServiceRoleSid: foreign["service user"].sid }, 50100],
      [{ DefaultChatServiceRoleSid: "RL123" }, 50100],
      [{ ReachabilityEnabled: "yes" }, 400],
      // Nothing is written when one field of several is refused.
      [{ ReachabilityEnabled: "true", DefaultChatServiceRoleSid: roles["channel admin"].sid }, 50100],
    ];
    for (const [form, code] of cases) expectTwilioError(await raw(emulator, "POST", configurationPath(), form), 400, code);
    expect((await raw(emulator, "GET", configurationPath())).body).toEqual(before);
    // Either case of true and false is taken.
    expect((await raw(emulator, "POST", configurationPath(), { ReachabilityEnabled: "True" })).body.reachability_enabled).toBe(true);
  });

  it("refuses what the notification and webhook fields can't hold, and writes nothing", async () => {
    const notifications = `${configurationPath()}/Notifications`;
    const webhooks = `${configurationPath()}/Webhooks`;
    const beforeNotifications = (await raw(emulator, "GET", notifications)).body;
    const beforeWebhooks = (await raw(emulator, "GET", webhooks)).body;
    const badNotifications: Array<Record<string, string>> = [{ LogEnabled: "1" }, { "NewMessage.Enabled": "on" }, { "NewMessage.WithMedia.Enabled": "" }, { "NewMessage.Template": "t", "AddedToConversation.Enabled": "no" }];
    for (const form of badNotifications) {
      expectTwilioError(await raw(emulator, "POST", notifications, form), 400, 400);
    }
    const badWebhooks: Array<Record<string, string> | Array<[string, string]>> = [
      { PreWebhookUrl: "not a url" },
      { PostWebhookUrl: "ftp://hooks.example/post" },
      { Method: "PUT" },
      [["Filters", "onMessageAdded"], ["Filters", "onSomethingElse"]],
      { Filters: "onmessageadded" },
    ];
    for (const form of badWebhooks) expectTwilioError(await raw(emulator, "POST", webhooks, form), 400, 400);
    expect((await raw(emulator, "GET", notifications)).body).toEqual(beforeNotifications);
    expect((await raw(emulator, "GET", webhooks)).body).toEqual(beforeWebhooks);
  });

  it("answers 404 / 20404 for an unknown service and 405 for DELETE; the account-level path is not this resource", async () => {
    for (const suffix of ["", "/Notifications", "/Webhooks"]) {
      expectTwilioError(await raw(emulator, "GET", `/v1/Services/${UNKNOWN_SERVICE}/Configuration${suffix}`), 404, 20404);
      expectTwilioError(await raw(emulator, "POST", `/v1/Services/${UNKNOWN_SERVICE}/Configuration${suffix}`, {}), 404, 20404);
      expectTwilioError(await raw(emulator, "DELETE", `${configurationPath()}${suffix}`), 405, 20004);
    }
  });

  it("goes with its service, and a new service starts from the defaults again", async () => {
    const service = (await raw(emulator, "POST", "/v1/Services", { FriendlyName: "doomed" })).body.sid;
    await raw(emulator, "POST", `/v1/Services/${service}/Configuration/Webhooks`, { PostWebhookUrl: "https://hooks.example/post" });
    expect(emulator.state().serviceConfigurations).toHaveLength(2);
    expect((await raw(emulator, "DELETE", `/v1/Services/${service}`)).status).toBe(204);
    expect(emulator.state().serviceConfigurations).toHaveLength(1);
    expectTwilioError(await raw(emulator, "GET", `/v1/Services/${service}/Configuration/Webhooks`), 404, 20404);
  });

  it("writes are not APS-limited without --aps-limits, nor with it (Twilio names no limit for them)", async () => {
    const limited = await withEmulator({ apsLimits: true });
    try {
      const path = `/v1/Services/${limited.defaultServiceSid}/Configuration/Notifications`;
      const writes = await Promise.all(Array.from({ length: 40 }, (_, i) => raw(limited, "POST", path, { "NewMessage.Sound": `s${i}` })));
      expect(writes.every((answer) => answer.status === 200)).toBe(true);
    } finally {
      await limited.close();
    }
  });
});

describe("service configuration in the state dump and the state file", () => {
  it("shows each service's three singletons in /__emulator/state", async () => {
    await raw(emulator, "POST", `/v1/Services/${emulator.defaultServiceSid}/Configuration/Notifications`, { LogEnabled: "true" });
    const dump = (await (await fetch(`${emulator.url}/__emulator/state`)).json()) as { serviceConfigurations: any[] };
    expect(dump.serviceConfigurations).toEqual([
      {
        configuration: (await raw(emulator, "GET", `/v1/Services/${emulator.defaultServiceSid}/Configuration`)).body,
        notifications: (await raw(emulator, "GET", `/v1/Services/${emulator.defaultServiceSid}/Configuration/Notifications`)).body,
        webhooks: (await raw(emulator, "GET", `/v1/Services/${emulator.defaultServiceSid}/Configuration/Webhooks`)).body,
      },
    ]);
    expect(dump.serviceConfigurations[0].notifications.log_enabled).toBe(true);
  });

  it("keeps every update across a restart (journal, then snapshot), and a file without them still loads", async () => {
    const { stateFile, remove } = temporaryStateFile("emulator-service-configuration-");
    const paths = (service: string) => ["", "/Notifications", "/Webhooks"].map((suffix) => `/v1/Services/${service}/Configuration${suffix}`);
    const read = async (running: Awaited<ReturnType<typeof withEmulator>>, service: string) =>
      Promise.all(paths(service).map(async (path) => (await raw(running, "GET", path)).body));
    const pathsOnly = (bodies: any[]) => JSON.parse(JSON.stringify(bodies).replace(/http:\/\/127\.0\.0\.1:\d+/g, ""));
    let running = await withEmulator({ stateFile });
    try {
      const service = (await raw(running, "POST", "/v1/Services", { FriendlyName: "kept" })).body.sid;
      const role = (await raw(running, "POST", `/v1/Services/${service}/Roles`, { FriendlyName: "creator", Type: "conversation", Permission: "sendMessage" })).body.sid;
      const [configuration, notifications, webhooks] = paths(service);
      await raw(running, "POST", configuration, { DefaultConversationCreatorRoleSid: role, ReachabilityEnabled: "true" });
      await raw(running, "POST", notifications, { "NewMessage.Enabled": "true", "NewMessage.WithMedia.Template": "media", "RemovedFromConversation.Sound": "bye" });
      await raw(running, "POST", webhooks, [["PostWebhookUrl", "https://hooks.example/post"], ["Filters", "onMessageAdded"], ["Filters", "onMessageUpdated"], ["Method", "GET"]]);
      expect(loadStateFile(stateFile)!.serviceConfigurations.get(`${service}/Configuration`)).toMatchObject({ reachabilityEnabled: true, defaultConversationCreatorRoleSid: role });
      const before = await read(running, service);
      await running.close();

      running = await withEmulator({ stateFile });
      expect(pathsOnly(await read(running, service))).toEqual(pathsOnly(before));
      await running.close();

      // A file written before service configurations were kept: each service starts from the defaults.
      const saved = JSON.parse(readFileSync(stateFile, "utf8"));
      delete saved.serviceConfigurations;
      writeFileSync(stateFile, JSON.stringify(saved));
      running = await withEmulator({ stateFile });
      const [loaded, loadedNotifications, loadedWebhooks] = await read(running, service);
      const roles = (await raw(running, "GET", `/v1/Services/${service}/Roles`)).body.roles as any[];
      expect(loaded).toMatchObject({ reachability_enabled: false, default_conversation_creator_role_sid: roles.find((r) => r.friendly_name === "channel admin").sid });
      expect(loadedNotifications.new_message.enabled).toBe(false);
      expect(loadedWebhooks.filters).toBeNull();
    } finally {
      await running.close();
      remove();
    }
  });
});
