// The environment's property tables against the other readings of the same fields: Twilio's
// OpenAPI spec (the create and update operations, the answer's schema), the stack file's schema
// (the JSON Schema editors get from zod), and the forms and answers the client derives from them.
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { environmentPath, observedOf } from "../../../provider/client/environment";
import { formOf } from "../../../provider/client/wire";
import { formBody } from "../../../provider/client/http";
import {
  ENVIRONMENT_KINDS,
  type EnvironmentKindName,
  type EnvironmentRow,
} from "../../../provider/domain/environment";
import { partsOf, secretProperties } from "../../../provider/domain/properties";
import { stackJsonSchemaText } from "../../../schemas/generate";

type Json = Record<string, any>;

const ORACLE = path.resolve(__dirname, "../../../../shared/oracle/twilio_conversations_v1.json");
const spec: Json | null = existsSync(ORACLE) ? JSON.parse(readFileSync(ORACLE, "utf8")) : null;

const formKeysOf = (row: EnvironmentRow) => partsOf(row.form).map(([, key]) => key);
const answerKeysOf = (row: EnvironmentRow) => (row.answer === null ? [] : partsOf(row.answer).map(([, key]) => key));

/** Where Twilio creates and changes each kind, and the schema of its answer (one per path family). */
interface Operations {
  create: string | null;
  update: string | null;
  answer: string;
}
const OPERATIONS: Record<EnvironmentKindName, Operations[]> = {
  service: [{ create: "/v1/Services", update: null, answer: "conversations.v1.service" }],
  serviceConfiguration: [{ create: null, update: "/v1/Services/{ChatServiceSid}/Configuration", answer: "conversations.v1.service.service_configuration" }],
  serviceNotifications: [
    {
      create: null,
      update: "/v1/Services/{ChatServiceSid}/Configuration/Notifications",
      answer: "conversations.v1.service.service_configuration.service_notification",
    },
  ],
  serviceWebhooks: [
    {
      create: null,
      update: "/v1/Services/{ChatServiceSid}/Configuration/Webhooks",
      answer: "conversations.v1.service.service_configuration.service_webhook_configuration",
    },
  ],
  role: [
    { create: "/v1/Roles", update: "/v1/Roles/{Sid}", answer: "conversations.v1.role" },
    { create: "/v1/Services/{ChatServiceSid}/Roles", update: "/v1/Services/{ChatServiceSid}/Roles/{Sid}", answer: "conversations.v1.service.service_role" },
  ],
  user: [
    { create: "/v1/Users", update: "/v1/Users/{Sid}", answer: "conversations.v1.user" },
    { create: "/v1/Services/{ChatServiceSid}/Users", update: "/v1/Services/{ChatServiceSid}/Users/{Sid}", answer: "conversations.v1.service.service_user" },
  ],
  accountConfiguration: [{ create: null, update: "/v1/Configuration", answer: "conversations.v1.configuration" }],
  accountWebhooks: [{ create: null, update: "/v1/Configuration/Webhooks", answer: "conversations.v1.configuration.configuration_webhook" }],
  addressConfiguration: [{ create: "/v1/Configuration/Addresses", update: "/v1/Configuration/Addresses/{Sid}", answer: "conversations.v1.configuration_address" }],
  pushCredential: [{ create: "/v1/Credentials", update: "/v1/Credentials/{Sid}", answer: "conversations.v1.credential" }],
};

/**
 * Create-only properties that Twilio's update takes all the same, and why the table replaces
 * instead: a push credential of another type needs other secrets (APN a certificate and key, FCM a
 * server key), so it is a new credential, and the old secrets are not left on it.
 */
const CREATE_ONLY_TWILIO_UPDATES: Partial<Record<EnvironmentKindName, string[]>> = { pushCredential: ["type"] };

describe.skipIf(!spec)("the environment's tables and Twilio's OpenAPI spec", () => {
  const body = (template: string) => spec!.paths[template].post.requestBody?.content["application/x-www-form-urlencoded"].schema ?? { properties: {} };
  const formKeys = (template: string | null): string[] => (template ? Object.keys(body(template).properties) : []);
  const requiredKeys = (template: string): string[] => body(template).required ?? [];
  const answerKeys = (schema: string): string[] => Object.keys(spec!.components.schemas[schema].properties);
  const cases = Object.entries(OPERATIONS).flatMap(([kind, families]) =>
    families.map((operations) => [kind as EnvironmentKindName, operations.create ?? operations.update!, operations] as const),
  );

  it("names an operation for every kind, and every operation named exists", () => {
    expect(Object.keys(OPERATIONS).sort()).toEqual(Object.keys(ENVIRONMENT_KINDS).sort());
    for (const [, , { create, update, answer }] of cases) {
      if (create) expect(spec!.paths[create]?.post, create).toBeDefined();
      if (update) expect(spec!.paths[update]?.post, update).toBeDefined();
      expect(spec!.components.schemas[answer], answer).toBeDefined();
    }
  });

  it.each(cases)("%s (%s): each form key is in the create or the update operation, each create-only one not in the update", (kind, _path, operations) => {
    const table = ENVIRONMENT_KINDS[kind].table;
    const createForm = formKeys(operations.create);
    const updateForm = formKeys(operations.update);
    for (const [property, row] of Object.entries(table)) {
      for (const key of formKeysOf(row)) {
        if (row.change === "create-only") {
          expect(createForm, `${property} → ${key} on create`).toContain(key);
          if (CREATE_ONLY_TWILIO_UPDATES[kind]?.includes(property)) expect(updateForm, `${property} → ${key}`).toContain(key);
          else expect(updateForm, `${property} → ${key} must not be updatable`).not.toContain(key);
        } else {
          // A singleton is only ever updated; a collection's updatable property is sent on create and on update.
          if (operations.create) expect(createForm, `${property} → ${key} on create`).toContain(key);
          expect(updateForm, `${property} → ${key} on update`).toContain(key);
        }
      }
    }
  });

  it.each(cases)("%s (%s): the required properties are exactly what the create operation requires", (kind, _path, operations) => {
    const table = ENVIRONMENT_KINDS[kind].table;
    const required = Object.entries(table)
      .filter(([, row]) => row.required)
      .flatMap(([, row]) => formKeysOf(row));
    expect(required.sort()).toEqual(operations.create ? requiredKeys(operations.create).sort() : []);
  });

  it.each(cases)("%s (%s): each answer key is in the answer's schema, and no secret has one", (kind, _path, operations) => {
    const table = ENVIRONMENT_KINDS[kind].table;
    const answers = answerKeys(operations.answer);
    for (const [property, row] of Object.entries(table)) {
      if (row.secret) {
        expect(row.answer, property).toBeNull();
        continue;
      }
      expect(row.answer, property).not.toBeNull();
      // Composite answers (new_message, auto_creation) are objects the spec leaves unspecified inside.
      for (const key of answerKeysOf(row)) expect(answers, `${property} → ${key}`).toContain(key.split(".")[0]);
    }
  });

  it("a secret is a form key of the credential operations that its answer schema never holds", () => {
    const table = ENVIRONMENT_KINDS.pushCredential.table;
    const answers = answerKeys("conversations.v1.credential");
    expect(secretProperties(table)).toEqual(["certificate", "privateKey", "apiKey", "secret"]);
    for (const property of secretProperties(table)) {
      const key = table[property].form as string;
      expect(formKeys("/v1/Credentials")).toContain(key);
      expect(formKeys("/v1/Credentials/{Sid}")).toContain(key);
      expect(answers.map((answer) => answer.toLowerCase())).not.toContain(key.toLowerCase());
    }
    for (const kind of Object.values(ENVIRONMENT_KINDS)) if (kind.name !== "pushCredential") expect(secretProperties(kind.table), kind.name).toEqual([]);
  });

  it("every path the client builds is an operation of the spec, in both path families", () => {
    const operationAt = (method: string, urlPath: string) =>
      Object.entries<Json>(spec!.paths).some(
        ([template, item]) => item[method] && new RegExp("^" + template.replace(/\{[^}]+\}/g, "[^/]+") + "$").test(urlPath),
      );
    const IS = "IS" + "a".repeat(32);
    for (const kind of Object.values(ENVIRONMENT_KINDS)) {
      const scopes = kind.placement === "service" ? [{ serviceSid: IS }] : kind.placement === "service-or-default" ? [{ serviceSid: IS }, { serviceSid: null }] : [{ serviceSid: null }];
      for (const scope of scopes) {
        if (kind.shape === "singleton") {
          for (const method of ["get", "post"]) expect(operationAt(method, environmentPath(kind, scope)), `${method} ${environmentPath(kind, scope)}`).toBe(true);
          continue;
        }
        const one = environmentPath(kind, scope, "XX" + "0".repeat(32));
        expect(operationAt("post", environmentPath(kind, scope)), `create ${kind.name}`).toBe(true);
        expect(operationAt("get", environmentPath(kind, scope)), `list ${kind.name}`).toBe(true);
        expect(operationAt("get", one), `fetch ${one}`).toBe(true);
        expect(operationAt("delete", one), `delete ${one}`).toBe(true);
      }
    }
  });
});

describe("the client's paths", () => {
  const IS = "IS" + "b".repeat(32);
  it.each<[EnvironmentKindName, string | null, string | undefined, string]>([
    ["role", null, undefined, "/v1/Roles"],
    ["role", IS, "RL1", `/v1/Services/${IS}/Roles/RL1`],
    ["user", null, "ada@example.com", "/v1/Users/ada%40example.com"],
    ["user", IS, undefined, `/v1/Services/${IS}/Users`],
    ["serviceNotifications", IS, undefined, `/v1/Services/${IS}/Configuration/Notifications`],
    ["accountWebhooks", null, undefined, "/v1/Configuration/Webhooks"],
    ["addressConfiguration", null, "+15005550006", "/v1/Configuration/Addresses/%2B15005550006"],
    ["pushCredential", null, "CR1", "/v1/Credentials/CR1"],
  ])("%s in %s (%s) is at %s", (kind, serviceSid, sid, expected) => {
    expect(environmentPath(ENVIRONMENT_KINDS[kind], { serviceSid }, sid)).toBe(expected);
  });

  it("refuses a service's singleton without a service", () => {
    expect(() => environmentPath(ENVIRONMENT_KINDS.serviceWebhooks, { serviceSid: null })).toThrow("a service webhooks belongs to a Conversation Service: name one");
  });
});

describe("the tables and the stack file's schema name the same keys", () => {
  const schema: Json = JSON.parse(stackJsonSchemaText());
  const defs: Json = schema.$defs ?? {};
  const resolve = (node: Json): Json => (node.$ref ? resolve(defs[node.$ref.replace("#/$defs/", "")]) : node);
  const objectNamed = (node: Json, has: string): Json => {
    const options = (option: Json): Json[] => [option, ...[...(option.anyOf ?? []), ...(option.oneOf ?? [])].flatMap((inner: Json) => options(resolve(inner)))];
    const found = options(resolve(node)).find((option) => option.properties?.[has]);
    if (!found) throw new Error(`no object with ${has}`);
    return found;
  };
  const keysOf = (node: Json) => Object.keys(resolve(node).properties).sort();
  const yamlKeys = (kind: EnvironmentKindName) => Object.values(ENVIRONMENT_KINDS[kind].table).map((row) => row.yaml);
  const service = objectNamed(schema.properties.service, "friendlyName");

  /** The schema of a kind's entry, found where its registry entry places it: `*` a mapping's values, a declared service among the service's options. */
  const entryAt = (at: readonly string[]): Json =>
    at.reduce<Json>((node, key, position) => {
      if (position === 0) return key === "service" ? service : resolve(schema.properties[key]);
      return resolve(key === "*" ? node.additionalProperties : node.properties[key]);
    }, schema);
  /** Keys of an entry that are no property of its table: adoption, a service's deletion guard, the places nested in it. */
  const optionsOf = (kind: EnvironmentKindName): string[] => {
    const { at, shape } = ENVIRONMENT_KINDS[kind];
    const nested = Object.values(ENVIRONMENT_KINDS)
      .filter((other) => other.at.length === at.length + 1 && at.every((key, position) => other.at[position] === key))
      .map((other) => other.at[at.length]);
    return [...(shape === "collection" ? ["adopt"] : []), ...(kind === "service" ? ["deleteWithConversations"] : []), ...nested];
  };

  it("a declared service's options are adoption, its deletion guard and the places nested in it", () => {
    expect(optionsOf("service").sort()).toEqual(["adopt", "configuration", "deleteWithConversations", "notifications", "webhooks"]);
  });

  it.each(Object.keys(ENVIRONMENT_KINDS) as EnvironmentKindName[])("%s: the table's yaml keys and the entry's options are the keys of the schema at its place", (kind) => {
    expect(keysOf(entryAt(ENVIRONMENT_KINDS[kind].at))).toEqual([...yamlKeys(kind), ...optionsOf(kind)].sort());
  });

  it("a composite's parts are the leaves of its schema object", () => {
    const leaves = (node: Json, prefix = ""): string[] =>
      Object.entries<Json>(resolve(node).properties).flatMap(([key, child]) => (resolve(child).properties ? leaves(child, `${prefix}${key}.`) : [`${prefix}${key}`]));
    const notifications = resolve(service.properties.notifications).properties;
    for (const property of ["newMessage", "addedToConversation", "removedFromConversation"] as const) {
      const row = ENVIRONMENT_KINDS.serviceNotifications.table[property];
      expect(leaves(notifications[property]).sort(), property).toEqual(partsOf(row.form).map(([part]) => part).sort());
    }
    const autoCreation = resolve(schema.properties.addressConfigurations.additionalProperties).properties.autoCreation;
    expect(leaves(autoCreation).sort()).toEqual(partsOf(ENVIRONMENT_KINDS.addressConfiguration.table.autoCreation.form).map(([part]) => part).sort());
  });
});

describe("forms and answers from the tables", () => {
  const pairs = (form: Record<string, string | readonly string[]>) => [...new URLSearchParams(formBody(form))];

  it("a list repeats its key, in the declared order, and null or left-out values are not sent", () => {
    const form = formOf(ENVIRONMENT_KINDS.role.table, { friendlyName: "agent", type: "conversation", permissions: ["sendMessage", "leaveConversation"] });
    expect(pairs(form)).toEqual([
      ["FriendlyName", "agent"],
      ["Type", "conversation"],
      ["Permission", "sendMessage"],
      ["Permission", "leaveConversation"],
    ]);
    expect(formOf(ENVIRONMENT_KINDS.role.table, { friendlyName: null, permissions: ["sendMessage"] })).toEqual({ Permission: ["sendMessage"] });
    // An empty list is one empty value: how Twilio is told to clear it.
    expect(pairs(formOf(ENVIRONMENT_KINDS.serviceWebhooks.table, { filters: [] }))).toEqual([["Filters", ""]]);
  });

  it("attributes go as JSON text and come back as the same value", () => {
    const table = ENVIRONMENT_KINDS.user.table;
    const attributes = { team: "support", shift: { start: 9, days: ["mon", "tue"] }, lead: true };
    const form = formOf(table, { identity: "ada", attributes, roleSid: "RL" + "1".repeat(32) });
    expect(form).toEqual({ Identity: "ada", Attributes: '{"lead":true,"shift":{"days":["mon","tue"],"start":9},"team":"support"}', RoleSid: "RL" + "1".repeat(32) });
    const observed = observedOf(table, { sid: "US1", url: "u", account_sid: "AC1", identity: "ada", friendly_name: null, attributes: form.Attributes, role_sid: form.RoleSid });
    // The text as answered is kept beside the value: a destroy puts it back as it was.
    expect(observed).toEqual({ sid: "US1", url: "u", accountSid: "AC1", identity: "ada", friendlyName: null, attributes, roleSid: "RL" + "1".repeat(32), jsonTexts: { attributes: form.Attributes } });
  });

  it("composite notification parts go under dotted keys, and only the parts given", () => {
    const table = ENVIRONMENT_KINDS.serviceNotifications.table;
    const declared = {
      logEnabled: true,
      newMessage: { enabled: true, template: "${PARTICIPANT}: ${MESSAGE}", badgeCountEnabled: false, withMedia: { enabled: true, template: "media" } },
      addedToConversation: { sound: "ding" },
    };
    expect(formOf(table, declared)).toEqual({
      LogEnabled: "true",
      "NewMessage.Enabled": "true",
      "NewMessage.Template": "${PARTICIPANT}: ${MESSAGE}",
      "NewMessage.BadgeCountEnabled": "false",
      "NewMessage.WithMedia.Enabled": "true",
      "NewMessage.WithMedia.Template": "media",
      "AddedToConversation.Sound": "ding",
    });
    const answer = {
      account_sid: "AC1",
      chat_service_sid: "IS1",
      url: "https://x/Notifications",
      log_enabled: true,
      new_message: { enabled: true, template: "${PARTICIPANT}: ${MESSAGE}", sound: null, badge_count_enabled: false, with_media: { enabled: true, template: "media" } },
      added_to_conversation: { enabled: false, template: null, sound: "ding" },
      removed_from_conversation: { enabled: false, template: null, sound: null },
    };
    expect(observedOf(table, answer)).toEqual({
      sid: null,
      url: "https://x/Notifications",
      accountSid: "AC1",
      logEnabled: true,
      newMessage: { enabled: true, template: "${PARTICIPANT}: ${MESSAGE}", sound: null, badgeCountEnabled: false, withMedia: { enabled: true, template: "media" } },
      addedToConversation: { enabled: false, template: null, sound: "ding" },
      removedFromConversation: { enabled: false, template: null, sound: null },
    });
  });

  it("an auto-creation goes under AutoCreation.*, its filters repeated, and is read back part by part (null where Twilio shows none)", () => {
    const table = ENVIRONMENT_KINDS.addressConfiguration.table;
    const autoCreation = { enabled: true, type: "webhook", webhookUrl: "https://hooks.example.com/in", webhookMethod: "POST", webhookFilters: ["onMessageAdded", "onParticipantAdded"] };
    const form = formOf(table, { type: "sms", address: "+15005550006", autoCreation });
    expect(pairs(form)).toEqual([
      ["Type", "sms"],
      ["Address", "+15005550006"],
      ["AutoCreation.Enabled", "true"],
      ["AutoCreation.Type", "webhook"],
      ["AutoCreation.WebhookUrl", "https://hooks.example.com/in"],
      ["AutoCreation.WebhookMethod", "POST"],
      ["AutoCreation.WebhookFilters", "onMessageAdded"],
      ["AutoCreation.WebhookFilters", "onParticipantAdded"],
    ]);
    const answer = {
      sid: "IG1",
      type: "sms",
      address: "+15005550006",
      friendly_name: null,
      auto_creation: { enabled: true, type: "webhook", webhook_url: "https://hooks.example.com/in", webhook_method: "POST", webhook_filters: ["onMessageAdded", "onParticipantAdded"] },
    };
    expect(observedOf(table, answer)).toMatchObject({
      sid: "IG1",
      url: null,
      accountSid: null,
      address: "+15005550006",
      addressCountry: null,
      autoCreation: { ...autoCreation, conversationServiceSid: null, studioFlowSid: null, studioRetryCount: null },
    });
    // Without an auto-creation in the answer, every part reads as none.
    expect(observedOf(table, { sid: "IG2" }).autoCreation).toEqual(Object.fromEntries(partsOf(table.autoCreation.form).map(([part]) => [part, null])));
  });

  it("secrets are sent and never read back", () => {
    const table = ENVIRONMENT_KINDS.pushCredential.table;
    expect(formOf(table, { type: "apn", sandbox: true, certificate: "CERT", privateKey: "KEY" })).toEqual({ Type: "apn", Sandbox: "true", Certificate: "CERT", PrivateKey: "KEY" });
    const observed = observedOf(table, { sid: "CR1", type: "apn", sandbox: "True", friendly_name: "iOS", certificate: "CERT" });
    expect(Object.keys(observed).sort()).toEqual(["accountSid", "friendlyName", "sandbox", "sid", "type", "url"]);
  });
});
