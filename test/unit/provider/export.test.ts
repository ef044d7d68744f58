// The pure half of `export`: from an account snapshot to the stack file's text, its names, its
// defaults left out, its secret references, and its command line.
import { describe, expect, it } from "vitest";
import { load } from "js-yaml";
import { loadStackText } from "../../../schemas/load";
import { configKeyOf, exportDocument, messageEntry } from "../../../provider/export/document";
import { parseConversationFilter, selectedConversation } from "../../../provider/export/filters";
import { slug, uniqueNames } from "../../../provider/export/names";
import { renderStackFile, secretCommands } from "../../../provider/export/render";
import { parseExportArgs } from "../../../provider/export/command";
import type { AccountSnapshot, ConversationSnapshot } from "../../../provider/export/snapshot";

const SERVICE = "IS" + "a".repeat(32);
const sid = (prefix: string, n: number) => prefix + n.toString(16).padStart(32, "0");
const dated = (n: number) => `2024-01-0${n}T00:00:00Z`;

const observed = (values: Record<string, unknown>) => ({ url: null, accountSid: "AC" + "0".repeat(32), ...values }) as never;

function role(n: number, friendlyName: string, type = "conversation", permissions = ["sendMessage"]) {
  return observed({ sid: sid("RL", n), friendlyName, type, permissions, dateCreated: dated(n) });
}

/** A service as Twilio makes it: its four roles, its configuration naming them, nothing else set. */
function freshAccount(): AccountSnapshot {
  return {
    service: observed({ sid: SERVICE, friendlyName: "Default Conversations Service" }),
    serviceConfiguration: observed({
      sid: null,
      defaultConversationCreatorRoleSid: sid("RL", 1),
      defaultConversationRoleSid: sid("RL", 2),
      defaultChatServiceRoleSid: sid("RL", 4),
      reachabilityEnabled: false,
    }),
    serviceNotifications: observed({
      sid: null,
      logEnabled: false,
      newMessage: { enabled: false, template: null, sound: null, badgeCountEnabled: false, withMedia: { enabled: false, template: null } },
      addedToConversation: { enabled: false, template: null, sound: null },
      removedFromConversation: { enabled: false, template: null, sound: null },
    }),
    serviceWebhooks: observed({ sid: null, preWebhookUrl: null, postWebhookUrl: null, method: "POST", filters: [] }),
    roles: [role(1, "channel admin"), role(2, "channel user"), role(3, "service admin", "service"), role(4, "service user", "service")],
    users: [],
    accountConfiguration: observed({ sid: null, defaultChatServiceSid: SERVICE, defaultMessagingServiceSid: null, defaultInactiveTimer: null, defaultClosedTimer: null }),
    accountWebhooks: observed({ sid: null, preWebhookUrl: null, postWebhookUrl: null, method: "POST", filters: [], target: "webhook" }),
    addressConfigurations: [],
    pushCredentials: [],
    conversations: null,
  };
}

const rendered = (snapshot: AccountSnapshot) => renderStackFile(exportDocument(snapshot).document, { accountSid: "AC" + "0".repeat(32), serviceSid: SERVICE });
const parsed = (snapshot: AccountSnapshot) => load(rendered(snapshot)) as Record<string, any>;

function conversation(n: number, values: Record<string, unknown>, children: Partial<ConversationSnapshot> = {}): ConversationSnapshot {
  return {
    conversation: { sid: sid("CH", n), accountSid: null, chatServiceSid: SERVICE, uniqueName: null, friendlyName: null, state: "active", attributes: {}, messagingServiceSid: null, bindings: null, dateCreated: dated(n), ...values } as never,
    participants: [],
    webhooks: [],
    messages: null,
    ...children,
  };
}

describe("export's stack file", () => {
  it("of an account with nothing chosen in it: only the service and Twilio's own roles, adopted, and the file validates", () => {
    const text = rendered(freshAccount());
    const document = load(text) as Record<string, any>;
    expect(Object.keys(document)).toEqual(["service", "roles", "account", "conversations"]);
    expect(document.conversations).toEqual({});
    expect(document.service).toEqual({ sid: SERVICE });
    expect(Object.keys(document.roles)).toEqual(["channel-admin", "channel-user", "service-admin", "service-user"]);
    expect(document.roles["service-user"]).toEqual({ friendlyName: "service user", type: "service", permissions: ["sendMessage"], adopt: "require" });
    expect(document.account).toEqual({ configuration: { defaultChatService: SERVICE } });
    const checked = loadStackText(text, "exported.yaml");
    expect(checked.ok ? [] : checked.problems).toEqual([]);
  });

  it("leaves out every value equal to Twilio's default, and keeps each one chosen, in capitals for methods", () => {
    const snapshot = freshAccount();
    Object.assign(snapshot.serviceNotifications, {
      newMessage: { enabled: true, template: "${MESSAGE}", sound: null, badgeCountEnabled: false, withMedia: { enabled: false, template: null } },
    });
    Object.assign(snapshot.serviceWebhooks, { postWebhookUrl: "https://hooks.example.com/post", method: "GET", filters: ["onMessageAdded"] });
    Object.assign(snapshot.serviceConfiguration, { reachabilityEnabled: true, defaultConversationRoleSid: sid("RL", 1) });
    snapshot.addressConfigurations = [
      observed({ sid: "IG" + "1".repeat(32), type: "sms", address: "+15005550006", friendlyName: null, addressCountry: null, dateCreated: dated(1),
        autoCreation: { enabled: true, type: "webhook", conversationServiceSid: null, webhookUrl: "https://in.example.com", webhookMethod: "post", webhookFilters: ["onMessageAdded"], studioFlowSid: null, studioRetryCount: null } }),
    ];
    const document = parsed(snapshot);
    expect(document.service).toEqual({
      sid: SERVICE,
      // Twilio's own default role for the creator is left out; the one changed is named by its key.
      configuration: { defaultConversationRole: "channel-admin", reachabilityEnabled: true },
      notifications: { newMessage: { enabled: true, template: "${MESSAGE}" } },
      webhooks: { postWebhookUrl: "https://hooks.example.com/post", method: "GET", filters: ["onMessageAdded"] },
    });
    // Twilio answers the address's method in lower case; its default (POST) is left out.
    expect(document.addressConfigurations["sms-15005550006"].autoCreation).toEqual({ enabled: true, type: "webhook", webhookUrl: "https://in.example.com", webhookFilters: ["onMessageAdded"] });
  });

  it("names a push credential's secrets by config keys and lists the commands that set them; one without a name is not exported", () => {
    const snapshot = freshAccount();
    snapshot.pushCredentials = [
      observed({ sid: sid("CR", 1), type: "apn", friendlyName: "iOS app", sandbox: true, dateCreated: dated(1) }),
      observed({ sid: sid("CR", 2), type: "fcm", friendlyName: "Android", sandbox: false, dateCreated: dated(2) }),
      observed({ sid: sid("CR", 3), type: "fcm", friendlyName: null, sandbox: false, dateCreated: dated(3) }),
    ];
    const { document, secrets, skipped } = exportDocument(snapshot);
    expect(document.pushCredentials).toEqual({
      android: { type: "fcm", friendlyName: "Android", secret: { secret: "androidSecret" }, adopt: "require" },
      "ios-app": { type: "apn", friendlyName: "iOS app", sandbox: true, certificate: { secret: "iosAppCertificate" }, privateKey: { secret: "iosAppPrivateKey" }, adopt: "require" },
    });
    expect(secretCommands(secrets)).toEqual([
      `pulumi config set --secret androidSecret < FILE   # pushCredentials.android.secret: push credential "Android" (${sid("CR", 2)})`,
      `pulumi config set --secret iosAppCertificate < FILE   # pushCredentials.ios-app.certificate: push credential "iOS app" (${sid("CR", 1)})`,
      `pulumi config set --secret iosAppPrivateKey < FILE   # pushCredentials.ios-app.privateKey: push credential "iOS app" (${sid("CR", 1)})`,
]);
    expect(skipped).toEqual([`push credential ${sid("CR", 3)}: it has no friendlyName, which adoption finds it by`]);
    const checked = loadStackText(rendered(snapshot), "exported.yaml");
    expect(checked.ok ? [] : checked.problems).toEqual([]);
  });

  it("gives objects whose names collide unique keys: the oldest keeps the plain one, whatever order Twilio lists them in", () => {
    const snapshot = freshAccount();
    const users = [
      observed({ sid: sid("US", 3), identity: "Ada Lovelace", friendlyName: null, attributes: {}, roleSid: sid("RL", 4), dateCreated: dated(3) }),
      observed({ sid: sid("US", 1), identity: "ada-lovelace", friendlyName: null, attributes: {}, roleSid: sid("RL", 4), dateCreated: dated(1) }),
      observed({ sid: sid("US", 2), identity: "ada.lovelace", friendlyName: null, attributes: {}, roleSid: sid("RL", 3), dateCreated: dated(2) }),
    ];
    snapshot.users = users;
    const document = parsed(snapshot);
    expect(Object.entries(document.users).map(([key, user]: [string, any]) => [key, user.identity])).toEqual([
      ["ada-lovelace", "ada-lovelace"],
      ["ada-lovelace-2", "ada.lovelace"],
      ["ada-lovelace-3", "Ada Lovelace"],
    ]);
    // Twilio's default user role is left out; another is named by its key.
    expect(document.users["ada-lovelace-2"].role).toBe("service-admin");
    expect(document.users["ada-lovelace"].role).toBeUndefined();
    snapshot.users = [...users].reverse();
    expect(rendered(snapshot)).toBe(rendered({ ...snapshot, users }));
  });

  it("is the same text however Twilio orders its lists", () => {
    const snapshot = freshAccount();
    snapshot.conversations = [conversation(1, { uniqueName: "b" }), conversation(2, { uniqueName: "a" })];
    const shuffled = { ...snapshot, roles: [...snapshot.roles].reverse(), conversations: [...snapshot.conversations].reverse() };
    expect(rendered(shuffled)).toBe(rendered(snapshot));
  });

  it("writes keys in the file's usual order: environment first, conversations last, each entry's keys as the schema lists them", () => {
    const snapshot = freshAccount();
    snapshot.users = [observed({ sid: sid("US", 1), identity: "ada", friendlyName: "Ada", attributes: { team: "x" }, roleSid: sid("RL", 3), dateCreated: dated(1) })];
    snapshot.pushCredentials = [observed({ sid: sid("CR", 1), type: "gcm", friendlyName: "Old", sandbox: false, dateCreated: dated(1) })];
    snapshot.addressConfigurations = [observed({ sid: "IG" + "1".repeat(32), type: "sms", address: "+15005550006", friendlyName: "Line", addressCountry: null, autoCreation: null, dateCreated: dated(1) })];
    Object.assign(snapshot.accountWebhooks, { postWebhookUrl: "https://a.example.com", target: "flex" });
    snapshot.conversations = [
      conversation(1, { uniqueName: "desk", friendlyName: "Desk", state: "closed", attributes: { a: 1 } }, {
        participants: [{ sid: sid("MB", 1), identity: "ada", messagingBinding: null, attributes: { x: 1 }, roleSid: sid("RL", 1) } as never],
        webhooks: [{ sid: sid("WH", 1), target: "webhook", url: "https://h.example.com", method: "POST", filters: ["onMessageAdded"], triggers: [], flowSid: null, replayAfter: null } as never],
        messages: [{ sid: sid("IM", 1), index: 0, author: "ada", body: "Hi", attributes: {}, mediaSid: null, contentSid: null, dateCreated: "2024-03-01T09:00:00Z", dateUpdated: "2024-03-01T09:00:00Z" } as never],
      }),
    ];
    const document = parsed(snapshot);
    expect(Object.keys(document)).toEqual(["service", "roles", "users", "account", "addressConfigurations", "pushCredentials", "conversations"]);
    expect(Object.keys(document.users.ada)).toEqual(["identity", "friendlyName", "attributes", "role", "adopt"]);
    expect(document.account.webhooks).toEqual({ postWebhookUrl: "https://a.example.com", target: "flex" });
    expect(document.conversations.desk).toEqual({
      uniqueName: "desk",
      friendlyName: "Desk",
      state: "closed",
      attributes: { a: 1 },
      dateCreated: dated(1),
      adopt: "require",
      retainOnDelete: true,
      participants: { ada: { identity: "ada", attributes: { x: 1 }, role: "channel-admin" } },
      scopedWebhooks: { webhook: { target: "webhook", url: "https://h.example.com", method: "POST", filters: ["onMessageAdded"] } },
      messages: [{ key: "m0", author: "ada", body: "Hi", dateCreated: "2024-03-01T09:00:00Z" }],
    });
    expect(Object.keys(document.conversations.desk)).toEqual(["uniqueName", "friendlyName", "state", "attributes", "dateCreated", "adopt", "retainOnDelete", "participants", "scopedWebhooks", "messages"]);
    const checked = loadStackText(rendered(snapshot), "exported.yaml");
    expect(checked.ok ? [] : checked.problems).toEqual([]);
  });

  it("leaves out a conversation without a uniqueName (adoption needs one), and the default state and messaging service", () => {
    const snapshot = freshAccount();
    snapshot.accountConfiguration = { ...snapshot.accountConfiguration, defaultMessagingServiceSid: "MG" + "1".repeat(32) } as never;
    snapshot.conversations = [conversation(1, { uniqueName: null }), conversation(2, { uniqueName: "Lobby #1", messagingServiceSid: "MG" + "1".repeat(32) })];
    const { document, skipped } = exportDocument(snapshot);
    expect(document.conversations).toEqual({ "lobby-1": { uniqueName: "Lobby #1", dateCreated: dated(2), adopt: "require", retainOnDelete: true } });
    expect(skipped).toEqual([`conversation ${sid("CH", 1)}: it has no uniqueName, which adoption finds it by`]);
  });

  it("declares a message by its content template alone, leaves out Twilio's default author, and keeps a date edited later", () => {
    const base = { sid: sid("IM", 1), index: 4, attributes: {}, mediaSid: null, dateCreated: "2024-03-01T09:00:00Z" };
    expect(messageEntry({ ...base, author: "system", body: "rendered text", contentSid: "HX" + "1".repeat(32), dateUpdated: "2024-03-02T09:00:00Z" } as never)).toEqual({
      key: "m4",
      contentSid: "HX" + "1".repeat(32),
      dateCreated: "2024-03-01T09:00:00Z",
      dateUpdated: "2024-03-02T09:00:00Z",
    });
    expect(messageEntry({ ...base, author: "ada", body: null, contentSid: null, dateUpdated: null } as never)).toBeNull();
  });
});

describe("export's names", () => {
  it.each([
    ["Ada Lovelace", "user", false, "ada-lovelace"],
    ["+15551234567", "sms", true, "sms-15551234567"],
    ["whatsapp:+15551234567", "sms", true, "whatsapp-15551234567"],
    ["Ünïcode  café!", "x", false, "unicode-cafe"],
    ["!!!", "role", false, "role"],
    ["1st line", "participant", true, "participant-1st-line"],
    ["a".repeat(80), "x", false, "a".repeat(63)],
  ])("slug(%j) is %j", (text, prefix, letterFirst, expected) => {
    expect(slug(text, prefix, letterFirst)).toBe(expected);
  });

  it("keeps a base nobody else wants, suffixes the later ones that share one, and never takes another object's own name", () => {
    expect(uniqueNames([
      { base: "desk", order: "2" },
      { base: "desk-2", order: "9" },
      { base: "desk", order: "1" },
      { base: "desk", order: "3" },
    ])).toEqual(["desk-3", "desk-2", "desk", "desk-4"]);
  });

  it("makes config keys that start with a letter", () => {
    expect(configKeyOf("ios-app", "privateKey")).toBe("iosAppPrivateKey");
    expect(configKeyOf("1-app", "secret")).toBe("push1AppSecret");
  });
});

describe("export's conversation filters", () => {
  const held = (values: Record<string, unknown>) => conversation(1, values).conversation;

  it("chooses by state, uniqueName prefix and creation date, all together", () => {
    const parsedFilter = parseConversationFilter(["state=active,closed", "prefix=support-", "since=2024-01-02", "before=2024-01-05T00:00:00Z"]);
    if ("error" in parsedFilter) throw new Error(parsedFilter.error);
    const { filter } = parsedFilter;
    expect(selectedConversation(held({ uniqueName: "support-1", dateCreated: "2024-01-03T00:00:00Z" }), filter)).toBe(true);
    expect(selectedConversation(held({ uniqueName: "support-1", state: "inactive", dateCreated: "2024-01-03T00:00:00Z" }), filter)).toBe(false);
    expect(selectedConversation(held({ uniqueName: "sales-1", dateCreated: "2024-01-03T00:00:00Z" }), filter)).toBe(false);
    expect(selectedConversation(held({ uniqueName: null, dateCreated: "2024-01-03T00:00:00Z" }), filter)).toBe(false);
    expect(selectedConversation(held({ uniqueName: "support-1", dateCreated: "2024-01-01T23:59:59Z" }), filter)).toBe(false);
    expect(selectedConversation(held({ uniqueName: "support-1", dateCreated: "2024-01-05T00:00:00Z" }), filter)).toBe(false);
  });

  it.each([
    [["state=open"], 'state "open" is not one of active, inactive, closed'],
    [["since=yesterday"], "since=yesterday is not a date: write 2024-03-01 or 2024-03-01T09:00:00Z"],
    [["owner=ada"], 'unknown filter "owner": use state=, prefix=, since= or before='],
    [["prefix="], 'filter "prefix=" has no value: write prefix=…'],
  ])("refuses %j", (words, error) => {
    expect(parseConversationFilter(words)).toEqual({ error });
  });
});

describe("export's command line", () => {
  it.each([
    [["--help"], { kind: "help" }],
    [["--out", "f.yaml", "-h"], { kind: "help" }],
    [[], { kind: "usage-error", message: "--out FILE is required: where to write the stack file" }],
    [["--out", "f.yaml", "state=closed"], { kind: "usage-error", message: '"state=closed": filters follow --conversations' }],
    [["--out", "f.yaml", "--service", "IS1"], { kind: "usage-error", message: '--service "IS1" is not a Conversation Service SID (IS followed by 32 hex digits)' }],
    [["--out", "f.yaml", "--service", SERVICE, "--service", SERVICE], { kind: "usage-error", message: "a stack file holds one service: export each --service to its own file" }],
    [["--out", "f.yaml", "--concurrency", "0"], { kind: "usage-error", message: "--concurrency takes a whole number from 1 to 32" }],
  ])("%j is %j", (argv, expected) => {
    expect(parseExportArgs(argv)).toEqual(expected);
  });

  it("takes the filters after --conversations, and --threads implies conversations", () => {
    const run = parseExportArgs(["--out", "f.yaml", "--service", SERVICE, "--conversations", "state=closed", "prefix=x"]);
    expect(run).toMatchObject({ kind: "run", request: { out: "f.yaml", serviceSid: SERVICE, threads: false, concurrency: 4, conversations: { states: ["closed"], uniqueNamePrefix: "x" } } });
    expect(parseExportArgs(["--out", "f.yaml", "--threads"])).toMatchObject({ kind: "run", request: { threads: true, conversations: { states: null } } });
    expect(parseExportArgs(["--out", "f.yaml"])).toMatchObject({ kind: "run", request: { conversations: null, threads: false } });
  });

  it("reports an unknown option as a usage error", () => {
    const parsedArgs = parseExportArgs(["--out", "f.yaml", "--bogus"]);
    expect(parsedArgs.kind).toBe("usage-error");
  });
});
