// The environment's rules: each kind's value rules as the provider's `check` applies them, the same
// verdicts through `npm run validate` (with where each problem is), and the rules across entries
// that only the stack file can judge (role references, duplicates, the stack's own service).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ENVIRONMENT_KINDS, type EnvironmentKindName } from "../../../provider/domain/environment";
import { environmentViolations } from "../../../provider/domain/environment-rules";
import { UNKNOWN } from "../../../provider/domain/unknown";
import { validate } from "../../../provider/index";
import { environmentProvider } from "../../../provider/resources/environment-provider";
import { validateFiles } from "../../../schemas/validate-cli";

const IS = "IS" + "a".repeat(32);
const RL = "RL" + "b".repeat(32);
const FW = "FW" + "c".repeat(32);
const MG = "MG" + "d".repeat(32);

/** Each violation as `field: message`. */
const violations = (kind: EnvironmentKindName, values: Record<string, unknown>) =>
  environmentViolations(kind, values).map(({ field, message }) => `${field}: ${message}`);

describe("environmentViolations", () => {
  it.each<[EnvironmentKindName, Record<string, unknown>, string[]]>([
    ["service", { friendlyName: "Support" }, []],
    ["service", {}, ["friendlyName: a service needs friendlyName"]],
    ["service", { friendlyName: "s".repeat(257) }, [expect.stringMatching(/^friendlyName: friendlyName is 257 characters/) as unknown as string]],
    ["serviceConfiguration", { defaultConversationRoleSid: RL, defaultChatServiceRoleSid: RL, reachabilityEnabled: true }, []],
    ["serviceConfiguration", { defaultConversationCreatorRoleSid: "agent" }, ['defaultConversationCreatorRoleSid: expected a Role SID (RL followed by 32 hex digits), received "agent"']],
    ["serviceWebhooks", { preWebhookUrl: "https://hooks.example.com/pre", postWebhookUrl: "http://hooks.example.com/post", method: "post" }, []],
    ["serviceWebhooks", { postWebhookUrl: "hooks.example.com/post" }, ['postWebhookUrl: "hooks.example.com/post" is not an http(s) URL']],
    ["serviceWebhooks", { preWebhookUrl: "ftp://hooks.example.com", method: "PUT" }, ['preWebhookUrl: "ftp://hooks.example.com" is not an http(s) URL', 'method: expected one of GET, POST, received "PUT"']],
    ["role", { friendlyName: "agent", type: "conversation", permissions: ["sendMessage"] }, []],
    [
      "role",
      {},
      ["friendlyName: a role needs friendlyName", "type: a role needs type", "permissions: a role needs permissions"],
    ],
    ["role", { friendlyName: "agent", type: "admin", permissions: [] }, ['type: expected one of conversation, service, received "admin"', "permissions: permissions must be a list of at least one permission"]],
    ["role", { friendlyName: "agent", type: "service", permissions: ["sendMessage", " "] }, ["permissions: permissions must be a list of at least one permission"]],
    ["user", { identity: "ada", roleSid: RL, friendlyName: "Ada" }, []],
    ["user", { roleSid: "staff" }, ["identity: a user needs identity", 'roleSid: expected a Role SID (RL followed by 32 hex digits), received "staff"']],
    ["accountConfiguration", { defaultChatServiceSid: IS, defaultMessagingServiceSid: MG, defaultInactiveTimer: "PT1M", defaultClosedTimer: "PT10M" }, []],
    [
      "accountConfiguration",
      { defaultChatServiceSid: MG, defaultMessagingServiceSid: IS, defaultInactiveTimer: "PT59S", defaultClosedTimer: "PT9M" },
      [
        `defaultChatServiceSid: expected a Conversation Service SID (IS followed by 32 hex digits), received "${MG}"`,
        `defaultMessagingServiceSid: expected a Messaging Service SID (MG followed by 32 hex digits), received "${IS}"`,
        'defaultInactiveTimer: the inactive timer "PT59S" is shorter than Twilio\'s minimum of 1 minute',
        'defaultClosedTimer: the closed timer "PT9M" is shorter than Twilio\'s minimum of 10 minutes',
      ],
    ],
    ["accountWebhooks", { target: "flex", method: "GET", filters: ["onMessageAdded"] }, []],
    ["accountWebhooks", { target: "studio" }, ['target: expected one of webhook, flex, received "studio"']],
    ["addressConfiguration", { type: "sms", address: "+15005550006", addressCountry: "US", autoCreation: { enabled: true, type: "studio", studioFlowSid: FW, studioRetryCount: 3 } }, []],
    ["addressConfiguration", { address: "+15005550006" }, ["type: a address configuration needs type"]],
    ["addressConfiguration", { type: "fax", address: "+1", addressCountry: "usa" }, ['type: expected one of sms, whatsapp, messenger, gbm, email, rcs, apple, chat, received "fax"', 'addressCountry: "usa" is not a country code']],
    [
      "addressConfiguration",
      { type: "sms", address: "+1", autoCreation: { type: "studio", studioRetryCount: 4, webhookUrl: "https://h.example.com" } },
      [
        "autoCreation.webhookUrl: webhookUrl belongs to auto-creation of type webhook, not studio",
        "autoCreation.studioRetryCount: studioRetryCount must be a whole number from 0 to 3, received 4",
        "autoCreation.studioFlowSid: auto-creation of type studio needs studioFlowSid",
      ].sort(),
    ],
    [
      "addressConfiguration",
      { type: "sms", address: "+1", autoCreation: { type: "webhook", studioFlowSid: "FW1", studioRetryCount: "2", webhookMethod: "PATCH", conversationServiceSid: RL } },
      [
        'autoCreation.conversationServiceSid: expected a Conversation Service SID (IS followed by 32 hex digits), received "' + RL + '"',
        'autoCreation.webhookMethod: expected one of GET, POST, received "PATCH"',
        'autoCreation.studioFlowSid: expected a Studio Flow SID (FW followed by 32 hex digits), received "FW1"',
        'autoCreation.studioRetryCount: studioRetryCount must be a whole number from 0 to 3, received "2"',
        "autoCreation.studioFlowSid: studioFlowSid belongs to auto-creation of type studio, not webhook",
        "autoCreation.studioRetryCount: studioRetryCount belongs to auto-creation of type studio, not webhook",
        "autoCreation.webhookUrl: auto-creation of type webhook needs webhookUrl",
      ].sort(),
    ],
    ["addressConfiguration", { type: "sms", address: "+1", autoCreation: { type: "default", webhookFilters: ["onMessageAdded"] } }, ["autoCreation.webhookFilters: webhookFilters belongs to auto-creation of type webhook, not default"]],
    ["pushCredential", { type: "apn", certificate: "C", privateKey: "K", sandbox: true }, []],
    ["pushCredential", { type: "apn", certificate: "C" }, ["privateKey: a push credential of type apn needs privateKey"]],
    ["pushCredential", { type: "apn" }, ["certificate: a push credential of type apn needs certificate", "privateKey: a push credential of type apn needs privateKey"]],
    ["pushCredential", { type: "fcm", secret: "S" }, []],
    ["pushCredential", { type: "fcm", apiKey: "A" }, ["secret: a push credential of type fcm needs secret", "apiKey: apiKey is not used by a push credential of type fcm"]],
    ["pushCredential", { type: "gcm", apiKey: "A", certificate: "C" }, ["certificate: certificate is not used by a push credential of type gcm"]],
    ["pushCredential", { type: "voip" }, ['type: expected one of apn, fcm, gcm, received "voip"']],
    ["pushCredential", {}, ["type: a push credential needs type"]],
  ])("%s %j", (kind, values, expected) => {
    const found = violations(kind, values);
    expect(expected.length > 1 && [...expected].sort().join() === expected.join() ? [...found].sort() : found).toEqual(expected);
  });

  it("judges no value that is not known yet (preview)", () => {
    expect(violations("role", { friendlyName: UNKNOWN, type: UNKNOWN, permissions: UNKNOWN })).toEqual([]);
    expect(violations("addressConfiguration", { type: "sms", address: UNKNOWN, autoCreation: { type: "studio", studioFlowSid: UNKNOWN } })).toEqual([]);
    expect(violations("serviceConfiguration", { defaultConversationRoleSid: UNKNOWN })).toEqual([]);
  });

  it("every violation names a hint", () => {
    const all = [
      ...environmentViolations("role", { type: "admin", permissions: [] }),
      ...environmentViolations("addressConfiguration", { type: "sms", address: "+1", autoCreation: { type: "studio", webhookUrl: "x" } }),
      ...environmentViolations("pushCredential", { type: "fcm", apiKey: "A" }),
    ];
    expect(all.length).toBeGreaterThan(5);
    for (const violation of all) expect(violation.hint, violation.message).toMatch(/\S/);
  });
});

/** The problems of a stack file as `file:line:col path: message`, in the order validate reports them. */
function problemsOf(text: string): string[] {
  const result = validate({ text, label: "env.yaml" });
  if (result.ok) return [];
  return result.problems.map((problem) => `${problem.file}:${problem.line}:${problem.column} ${problem.path}: ${problem.message}`);
}

describe("the stack file's environment through npm run validate", () => {
  it("the example is valid", () => {
    const result = validate(join(__dirname, "..", "..", "..", "examples", "environment.yaml"));
    expect(result.ok && Object.keys(result.spec.roles ?? {})).toEqual(["agent", "customer", "staff"]);
  });

  it("a role named by an unknown key gets a did-you-mean; a service role where a conversation role is needed is refused", () => {
    const text = [
      "service:",
      "  friendlyName: Support",
      "  configuration:",
      "    defaultConversationRole: custmer",
      "    defaultConversationCreatorRole: staff",
      "    defaultChatServiceRole: customer",
      "roles:",
      "  customer: { friendlyName: customer, type: conversation, permissions: [sendMessage] }",
      "  staff: { friendlyName: staff, type: service, permissions: [createConversation] }",
      "users:",
      "  ada: { identity: ada, role: staf }",
      "  grace: { identity: grace, role: " + RL + " }",
      "conversations: {}",
      "",
    ].join("\n");
    expect(problemsOf(text)).toEqual([
      'env.yaml:4:5 service.configuration.defaultConversationRole: "custmer" is neither a role declared under roles nor a role SID',
      'env.yaml:5:5 service.configuration.defaultConversationCreatorRole: role "staff" is a service role; this needs a conversation role',
      'env.yaml:6:5 service.configuration.defaultChatServiceRole: role "customer" is a conversation role; this needs a service role',
      'env.yaml:11:25 users.ada.role: "staf" is neither a role declared under roles nor a role SID',
    ]);
    const result = validate({ text, label: "env.yaml" });
    expect(!result.ok && result.problems.map((problem) => problem.hint)).toEqual([
      "did you mean customer?",
      "name a role with type: conversation",
      "name a role with type: service",
      "did you mean staff?",
    ]);
  });

  it("a role reference with no roles declared says how to declare one", () => {
    const result = validate({ text: "users:\n  ada: { identity: ada, role: staff }\nconversations: {}\n", label: "env.yaml" });
    expect(!result.ok && result.text).toBe(
      [
        "env.yaml:2:25 users.ada.role",
        '  ✖ "staff" is neither a role declared under roles nor a role SID',
        "  hint: declare the role under roles, or write its RL… SID",
        "",
        "1 problem",
      ].join("\n"),
    );
  });

  it("duplicate user identities, role names and addresses are refused at the second one", () => {
    const text = [
      "roles:",
      "  a: { friendlyName: agent, type: conversation, permissions: [sendMessage] }",
      "  b: { friendlyName: agent, type: conversation, permissions: [sendMessage] }",
      "users:",
      "  ada: { identity: ada@example.com }",
      "  ada-again: { identity: ada@example.com }",
      "addressConfigurations:",
      '  sms: { type: sms, address: "+15005550006" }',
      "  sms-2:",
      "    type: sms",
      '    address: "+15005550006"',
      "conversations: {}",
      "",
    ].join("\n");
    expect(problemsOf(text)).toEqual([
      'env.yaml:3:8 roles.b.friendlyName: friendlyName "agent" is already used by role "a"',
      'env.yaml:6:16 users.ada-again.identity: identity "ada@example.com" is already used by user "ada"',
      'env.yaml:11:5 addressConfigurations.sms-2.address: address "+15005550006" is already configured by "sms"',
    ]);
  });

  it("defaultChatService: stack needs a declared service, and is then valid", () => {
    const account = "account:\n  configuration:\n    defaultChatService: stack\n";
    expect(problemsOf(`${account}conversations: {}\n`)).toEqual([
      "env.yaml:3:5 account.configuration.defaultChatService: defaultChatService: stack names the service this stack declares, but it declares none",
    ]);
    expect(problemsOf(`service: ${IS}\n${account}conversations: {}\n`)).toHaveLength(1);
    expect(problemsOf(`service: { sid: ${IS} }\n${account}conversations: {}\n`)).toHaveLength(1);
    expect(problemsOf(`service: { friendlyName: Support }\n${account}conversations: {}\n`)).toEqual([]);
    expect(problemsOf(`account:\n  configuration:\n    defaultChatService: ${MG}\nconversations: {}\n`)).toEqual([
      `env.yaml:3:5 account.configuration.defaultChatService: expected a Conversation Service SID (IS followed by 32 hex digits), received "${MG}"`,
    ]);
  });

  it("a secret is named by a config key, never written; a bad key and a missing secret are located", () => {
    const text = [
      "pushCredentials:",
      "  ios:",
      "    type: apn",
      '    certificate: { secret: "apn certificate" }',
      "  android:",
      "    type: fcm",
      "    secret: AAAA-the-server-key",
      "  web: { type: fcm, secret: { secret: firebase:serverKey } }",
      "conversations: {}",
      "",
    ].join("\n");
    expect(problemsOf(text)).toEqual([
      "env.yaml:2:3 pushCredentials.ios.privateKey: a push credential of type apn needs privateKey",
      'env.yaml:4:20 pushCredentials.ios.certificate.secret: "apn certificate" is not a config key',
      "env.yaml:7:5 pushCredentials.android.secret: expected a mapping, received a string",
    ]);
  });

  it("each value rule is reported once, where the value is", () => {
    const text = [
      "roles:",
      "  agent: { friendlyName: agent, type: admin, permissions: [sendMessage] }",
      "account:",
      "  webhooks: { target: studio, method: put, preWebhookUrl: hooks.example.com }",
      "addressConfigurations:",
      "  sms:",
      "    type: fax",
      '    address: "+15005550006"',
      "    autoCreation: { type: studio, studioFlowSid: " + FW + ', studioRetryCount: "2" }',
      "pushCredentials:",
      "  ios: { type: voip }",
      "conversations: {}",
      "",
    ].join("\n");
    const problems = problemsOf(text);
    expect(problems.map((problem) => problem.split(": ")[0])).toEqual([
      "env.yaml:2:33 roles.agent.type",
      "env.yaml:4:15 account.webhooks.target",
      "env.yaml:4:31 account.webhooks.method",
      "env.yaml:4:44 account.webhooks.preWebhookUrl",
      "env.yaml:7:5 addressConfigurations.sms.type",
      "env.yaml:9:86 addressConfigurations.sms.autoCreation.studioRetryCount",
      "env.yaml:11:10 pushCredentials.ios.type",
    ]);
    expect(new Set(problems).size).toBe(problems.length);
  });

  it("npm run validate prints the same problems for the file, with its path", () => {
    const dir = mkdtempSync(join(tmpdir(), "validate-environment-"));
    const text = "users:\n  ada: { identity: ada }\n  ada-2: { identity: ada }\nconversations: {}\n";
    writeFileSync(join(dir, "env.yaml"), text);
    const err: string[] = [];
    const code = validateFiles(["env.yaml"], { out: () => {}, err: (line) => err.push(line) }, { callerDir: dir });
    expect(code).toBe(1);
    const inline = validate({ text, label: "env.yaml" });
    expect(!inline.ok && inline.text).toBe(err.join("\n"));
    expect(err.join("\n")).toContain('env.yaml:3:12 users.ada-2.identity\n  ✖ identity "ada" is already used by user "ada"\n  hint: give each user its own identity');
  });
});

describe("the provider's check and validate give the same verdict", () => {
  /** A stack file holding one entry of a kind, and the inputs the program gives that entry's resource. */
  interface Case {
    name: string;
    kind: EnvironmentKindName;
    file: string;
    inputs: Record<string, unknown>;
    valid: boolean;
  }
  const cases: Case[] = [
    { name: "a role", kind: "role", file: "roles:\n  r: { friendlyName: r, type: service, permissions: [joinConversation] }", inputs: { friendlyName: "r", type: "service", permissions: ["joinConversation"] }, valid: true },
    { name: "a role without permissions", kind: "role", file: "roles:\n  r: { friendlyName: r, type: service, permissions: [] }", inputs: { friendlyName: "r", type: "service", permissions: [] }, valid: false },
    { name: "a role with a name of 257 characters", kind: "role", file: `roles:\n  r: { friendlyName: ${"r".repeat(257)}, type: service, permissions: [x] }`, inputs: { friendlyName: "r".repeat(257), type: "service", permissions: ["x"] }, valid: false },
    { name: "a role with a name of 256 characters", kind: "role", file: `roles:\n  r: { friendlyName: ${"r".repeat(256)}, type: service, permissions: [x] }`, inputs: { friendlyName: "r".repeat(256), type: "service", permissions: ["x"] }, valid: true },
    { name: "a role of type admin", kind: "role", file: "roles:\n  r: { friendlyName: r, type: admin, permissions: [x] }", inputs: { friendlyName: "r", type: "admin", permissions: ["x"] }, valid: false },
    { name: "a user with a role SID", kind: "user", file: `users:\n  u: { identity: u, role: ${RL} }`, inputs: { identity: "u", roleSid: RL }, valid: true },
    { name: "a service with a name", kind: "service", file: "service: { friendlyName: S }", inputs: { friendlyName: "S" }, valid: true },
    { name: "a service with a name of 257 characters", kind: "service", file: `service: { friendlyName: ${"s".repeat(257)} }`, inputs: { friendlyName: "s".repeat(257) }, valid: false },
    { name: "service webhooks", kind: "serviceWebhooks", file: "service:\n  friendlyName: S\n  webhooks: { postWebhookUrl: https://h.example.com, method: get }", inputs: { chatServiceSid: IS, postWebhookUrl: "https://h.example.com", method: "GET" }, valid: true },
    { name: "service webhooks to a relative URL", kind: "serviceWebhooks", file: "service:\n  friendlyName: S\n  webhooks: { postWebhookUrl: /hooks }", inputs: { chatServiceSid: IS, postWebhookUrl: "/hooks" }, valid: false },
    { name: "an inactive timer of 59s", kind: "accountConfiguration", file: "account:\n  configuration: { defaultInactiveTimer: PT59S }", inputs: { defaultInactiveTimer: "PT59S" }, valid: false },
    { name: "a closed timer of 10m", kind: "accountConfiguration", file: "account:\n  configuration: { defaultClosedTimer: PT10M }", inputs: { defaultClosedTimer: "PT10M" }, valid: true },
    { name: "account webhooks to flex", kind: "accountWebhooks", file: "account:\n  webhooks: { target: flex }", inputs: { target: "flex" }, valid: true },
    { name: "a studio auto-creation", kind: "addressConfiguration", file: `addressConfigurations:\n  a: { type: sms, address: "+1", autoCreation: { type: studio, studioFlowSid: ${FW}, studioRetryCount: 0 } }`, inputs: { type: "sms", address: "+1", autoCreation: { type: "studio", studioFlowSid: FW, studioRetryCount: 0 } }, valid: true },
    { name: "a studio auto-creation without a flow", kind: "addressConfiguration", file: 'addressConfigurations:\n  a: { type: sms, address: "+1", autoCreation: { type: studio } }', inputs: { type: "sms", address: "+1", autoCreation: { type: "studio" } }, valid: false },
    { name: "a webhook auto-creation with a retry count", kind: "addressConfiguration", file: 'addressConfigurations:\n  a: { type: sms, address: "+1", autoCreation: { type: webhook, webhookUrl: "https://h.example.com", studioRetryCount: 1 } }', inputs: { type: "sms", address: "+1", autoCreation: { type: "webhook", webhookUrl: "https://h.example.com", studioRetryCount: 1 } }, valid: false },
    { name: "a retry count of 1.5", kind: "addressConfiguration", file: `addressConfigurations:\n  a: { type: sms, address: "+1", autoCreation: { type: studio, studioFlowSid: ${FW}, studioRetryCount: 1.5 } }`, inputs: { type: "sms", address: "+1", autoCreation: { type: "studio", studioFlowSid: FW, studioRetryCount: 1.5 } }, valid: false },
    { name: "an APN credential with both secrets", kind: "pushCredential", file: "pushCredentials:\n  p: { type: apn, certificate: { secret: c }, privateKey: { secret: k } }", inputs: { type: "apn", certificate: "C", privateKey: "K" }, valid: true },
    { name: "an APN credential without its key", kind: "pushCredential", file: "pushCredentials:\n  p: { type: apn, certificate: { secret: c } }", inputs: { type: "apn", certificate: "C" }, valid: false },
    { name: "an FCM credential without its secret", kind: "pushCredential", file: "pushCredentials:\n  p: { type: fcm }", inputs: { type: "fcm" }, valid: false },
    { name: "an FCM credential with its secret", kind: "pushCredential", file: "pushCredentials:\n  p: { type: fcm, secret: { secret: ns:fcmKey } }", inputs: { type: "fcm", secret: "S" }, valid: true },
  ];

  it.each(cases)("$name", async ({ kind, file, inputs, valid }) => {
    const provider = environmentProvider(ENVIRONMENT_KINDS[kind], () => {
      throw new Error("check judges values without Twilio");
    });
    const checked = await provider.check!({}, { resourceName: "r", ...inputs });
    expect((checked.failures ?? []).length === 0, `check: ${JSON.stringify(checked.failures)}`).toBe(valid);
    const result = validate({ text: `${file}\nconversations: {}\n`, label: "env.yaml" });
    expect(result.ok, `validate: ${result.ok ? "" : result.text}`).toBe(valid);
    if (!valid && !result.ok) {
      // The same property is named by both, under the file's key for it.
      const property = checked.failures![0].property.split(".")[0];
      const yaml = ENVIRONMENT_KINDS[kind].table[property]?.yaml ?? property;
      expect(result.problems.map((problem) => problem.path).join(" ")).toContain(yaml);
    }
  });
});
