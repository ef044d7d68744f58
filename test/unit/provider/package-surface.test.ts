// What users' code and users' state depend on, pinned: every name the package exports (values and
// types), every provider the runtime serves by the name stored in state, and what the stack program
// registers for a whole environment (types, names, URNs, inputs, dependencies, in order). A change
// to how the environment's kinds are wired must leave all of it as it is.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { ENVIRONMENT_KINDS, kebabName } from "../../../provider/domain/environment";
import { runStackProgram } from "../../../provider/program/stack";
import { settle, useMocks, type Registration } from "../../support/pulumi-mocks";

const ROOT = path.resolve(__dirname, "../../..");

/** The names a module exports, types and values, as the compiler sees them. */
function exportedNames(file: string): string[] {
  const program = ts.createProgram([file], { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, strict: true, types: ["node"], skipLibCheck: true });
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  return checker.getExportsOfModule(symbol).map((exported) => exported.name).sort();
}

describe("the package's surface", () => {
  it("exports the same names, types and values", () => {
    expect(exportedNames(path.join(ROOT, "provider/index.ts"))).toEqual([
      "AccountConfiguration",
      "AccountConfigurationArgs",
      "AccountWebhooks",
      "AccountWebhooksArgs",
      "AddressConfiguration",
      "AddressConfigurationArgs",
      "AutoCreationArgs",
      "Conversation",
      "ConversationArgs",
      "ConversationSpec",
      "ConversationsStack",
      "ConversationsStackArgs",
      "EnvironmentOutputs",
      "JsonObject",
      "JsonValue",
      "LoadResult",
      "Message",
      "MessageArgs",
      "MessageContentArgs",
      "MessageSpec",
      "MessagingBinding",
      "NotificationArgs",
      "ParticipantArgs",
      "ParticipantSpec",
      "Placement",
      "Problem",
      "PushCredential",
      "PushCredentialArgs",
      "RecordedChild",
      "RecordedChildren",
      "RecordedMessage",
      "RecordedThread",
      "Role",
      "RoleArgs",
      "ScopedWebhookArgs",
      "ScopedWebhookSpec",
      "SeedMessageArgs",
      "Service",
      "ServiceArgs",
      "ServiceConfiguration",
      "ServiceConfigurationArgs",
      "ServiceNotifications",
      "ServiceNotificationsArgs",
      "ServiceWebhooks",
      "ServiceWebhooksArgs",
      "StackOutputs",
      "StackSpec",
      "TwilioConversationsError",
      "TwilioSettings",
      "User",
      "UserArgs",
      "ValidateResult",
      "WebhookConfigurationArgs",
      "declareStack",
      "loadStackFile",
      "loadStackText",
      "renderProblems",
      "runStackProgram",
      "validate",
      "validateFiles",
    ]);
  }, 60_000);

  it("exports, for every kind of the registry, its class (registering the kind's type under the name given) and its arguments' type", async () => {
    const names = exportedNames(path.join(ROOT, "provider/index.ts"));
    const library = (await import("../../../provider/index")) as unknown as Record<string, new (name: string, args: object) => unknown>;
    const registrations = await useMocks("surface");
    for (const kind of Object.values(ENVIRONMENT_KINDS)) {
      expect(names, kind.name).toEqual(expect.arrayContaining([kind.type, `${kind.type}Args`]));
      new library[kind.type](`a-${kebabName(kind.name)}`, {});
    }
    await pulumi.runtime.disconnect();
    expect(registrations.map(({ type, name }) => [type, name]).sort()).toEqual(
      Object.values(ENVIRONMENT_KINDS)
        .map((kind) => [`pulumi-nodejs:dynamic/twilio-conversations:${kind.type}`, `a-${kebabName(kind.name)}`])
        .sort(),
    );
  }, 60_000);

  it("serves, from the compiled runtime, one provider per name a stored `__provider` loads", () => {
    const runtime = require(path.join(ROOT, "dist/provider/runtime.js")) as Record<string, unknown>;
    const providers = Object.keys(runtime).filter((name) => typeof (runtime[name] as { create?: unknown } | null)?.create === "function");
    expect(providers.sort()).toEqual([
      "accountConfiguration",
      "accountWebhooks",
      "addressConfiguration",
      "conversation",
      "conversationGroup",
      "message",
      "pushCredential",
      "role",
      "service",
      "serviceConfiguration",
      "serviceNotifications",
      "serviceWebhooks",
      "user",
    ]);
  });
});

const CREDENTIALS = `
pushCredentials:
  ios:
    type: apn
    friendlyName: iOS
    sandbox: true
    certificate: { secret: apnCertificate }
    privateKey: { secret: "push:apnKey" }
    adopt: ifExists
  android:
    type: fcm
    secret: { secret: fcmKey }
`;

const EXISTING_SERVICE = `
service:
  sid: IS00000000000000000000000000000001
  configuration: { defaultChatServiceRole: RL00000000000000000000000000000002, reachabilityEnabled: false }
  webhooks: { method: get, filters: [onMessageAdded] }
roles:
  reader: { friendlyName: reader, type: conversation, permissions: [sendMessage], adopt: require }
users:
  bob: { identity: bob, role: RL00000000000000000000000000000003 }
account:
  configuration: { defaultChatService: IS00000000000000000000000000000001 }
conversations: {}
`;

const DEFAULT_SERVICE = `
roles:
  reader: { friendlyName: reader, type: service, permissions: [sendMessage] }
users:
  bob: { identity: bob, role: reader, attributes: { desk: 4 } }
conversations: {}
`;

/** What the program registers for a stack file: in order, each resource as the engine is told of it. */
async function registrationsOf(stack: string, yaml: string): Promise<Array<Omit<Registration, "parent">>> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "surface-")), `${stack}.yaml`);
  writeFileSync(file, yaml);
  const registrations = await useMocks(stack, { stackFile: file, apnCertificate: "-----CERT-----", fcmKey: "fcm-key" });
  const { setConfig } = await import("@pulumi/pulumi/runtime/config");
  setConfig("push:apnKey", "-----KEY-----");
  await settle(runStackProgram());
  // Every registration sent: a stack without conversations has no output to wait on.
  await pulumi.runtime.disconnect();
  return registrations.map(({ parent: _parent, ...registration }) => registration);
}

describe("the stack program's environment", () => {
  let whole: string;
  beforeAll(() => {
    whole = readFileSync(path.join(ROOT, "examples/environment.yaml"), "utf8") + CREDENTIALS;
  });

  it("registers a declared service, its configuration, roles, users, the account, addresses and credentials as before", async () => {
    expect(await registrationsOf("surface", whole)).toMatchSnapshot();
  });

  it("registers an existing service's configuration, and the default service's roles and users, as before", async () => {
    expect(await registrationsOf("surface", EXISTING_SERVICE)).toMatchSnapshot();
    expect(await registrationsOf("surface", DEFAULT_SERVICE)).toMatchSnapshot();
  });
});
