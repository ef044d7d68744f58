import { describe, expect, it } from "vitest";
import { requestsOutsideSpec } from "../support/requests-against-spec";
import { stackResources, writes } from "./harness";
import {
  CERTIFICATE,
  E2E_TIMEOUT,
  ENVIRONMENT,
  PRIVATE_KEY,
  TWILIOS_ROLES,
  outOfBand,
  scenarioNamed,
  withSecrets,
} from "./environment-support";

describe("destroy and the plan of the environment", () => {
  it(
    "destroy removes what the stack created and puts back what it only configured; no secret reaches state, plans or outputs",
    async () => {
      const scenario = await scenarioNamed("environment-destroy");
      await withSecrets(scenario);
      const found = (scenario.emulator.state() as any).account;
      scenario.writeStack(ENVIRONMENT);
      const up = await scenario.up();
      const preview = await scenario.pulumi(["preview", "--diff"]);
      const exported = (await scenario.pulumi(["stack", "export"])).stdout;
      const outputs = JSON.stringify(await scenario.outputs());
      for (const text of [up.output, preview.output, exported, outputs, JSON.stringify(scenario.emulator.requests())]) {
        expect(text).not.toContain(CERTIFICATE);
        expect(text).not.toContain(PRIVATE_KEY);
      }
      // The fingerprints are kept as Pulumi secrets too.
      const credential = (await stackResources(scenario)).find((resource) => resource.type.endsWith(":PushCredential"))!;
      const exportedCredential = JSON.parse(exported).deployment.resources.find((resource: any) => resource.urn === credential.urn);
      expect(exportedCredential.outputs.fingerprints).toHaveProperty("ciphertext");
      // As the README says: the secret itself is among the inputs, encrypted, readable with --show-secrets; the outputs hold none.
      expect(exportedCredential.inputs.certificate).toHaveProperty("ciphertext");
      expect(JSON.parse(credential.inputs!.certificate.plaintext)).toBe(CERTIFICATE);
      expect(credential.outputs!.certificate).toBeUndefined();

      await scenario.pulumi(["destroy", "--yes", "--skip-preview"]);
      const state = scenario.emulator.state() as any;
      expect(state.services.map((service: any) => service.friendly_name)).toEqual(["Default Conversations Service"]);
      expect(state.roles.filter((role: any) => !TWILIOS_ROLES.includes(role.friendly_name))).toEqual([]);
      expect(state.users).toEqual([]);
      expect(state.conversations).toEqual([]);
      expect(state.account.address_configurations).toEqual([]);
      expect(state.account.credentials).toEqual([]);
      // The account's configuration and webhooks are back to what they were before the stack took them over.
      expect(state.account.configuration).toEqual(found.configuration);
      expect(state.account.webhooks).toEqual(found.webhooks);
      expect(requestsOutsideSpec(scenario.emulator.requests())).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  it(
    "names each resource that changes, says why one is replaced, shows a changed secret as changed only, and says drift on secrets cannot be seen",
    async () => {
      const scenario = await scenarioNamed("environment-plan");
      await withSecrets(scenario);
      const plan = () => scenario.run("node", ["scripts/cli.js", "plan", "--stack", scenario.stack]);
      scenario.writeStack(ENVIRONMENT);
      const created = await plan();
      expect(created.code, created.output).toBe(2);
      expect(created.stdout).toContain("+ service service (create)");
      expect(created.stdout).toContain("+ role agent (create)");
      expect(created.stdout).toContain("+ push credential ios (create)");
      expect(created.stdout).toContain("why: Twilio never answers certificate or privateKey back: a change made outside the stack cannot be seen");
      await scenario.up();
      const clean = await plan();
      expect(clean.stdout.trim()).toBe("No changes.");

      await scenario.pulumi(["config", "set", "--secret", "apnCertificate", "MIIBrotated-apn-certificate"]);
      scenario.writeStack(
        ENVIRONMENT.replace("type: service\n    permissions: [createConversation", "type: service\n    permissions: [editAnyUserInfo, createConversation").replace(
          "  customer:\n    friendlyName: customer\n    type: conversation",
          "  customer:\n    friendlyName: customer-2024\n    type: conversation",
        ),
      );
      const changed = await plan();
      expect(changed.code).toBe(2);
      const lines = changed.stdout.split("\n");
      // The service configuration and the guest participant name the replaced role: they are set to the new one.
      expect(lines[0]).toBe("Plan: 4 to update, 1 to replace");
      expect(changed.stdout).toMatch(/~ participant welcome\/guest \(update\)\n {4}role: "RL[0-9a-f]{32}" → \(known after apply\)/);
      expect(changed.stdout).toContain("~ service configuration service-configuration (update)\n    defaultConversationRole: ");
      expect(changed.stdout).toContain("~ role staff (update)\n    permissions: ");
      expect(changed.stdout).toContain('+- role customer (replace)\n    friendlyName: "customer" → "customer-2024"\n    why: friendlyName can only be set at creation');
      expect(changed.stdout).toContain("~ push credential ios (update)\n    certificate or privateKey: [secret] → [secret] (changed)");
      expect(changed.stdout).not.toContain("MIIBrotated");
      expect(changed.stdout).not.toContain(CERTIFICATE);

      // What the plan said is what up does.
      const credentialBefore = (scenario.emulator.state() as any).account.credentials[0];
      scenario.emulator.clearRequests();
      await scenario.up();
      const state = scenario.emulator.state() as any;
      expect(state.account.credentials).toHaveLength(1);
      expect(state.account.credentials[0].sid).toBe(credentialBefore.sid);
      const credentialWrites = scenario.emulator.requests().filter((request) => request.method === "POST" && request.path.startsWith("/v1/Credentials/"));
      expect(credentialWrites.map((request) => Object.keys(request.form))).toEqual([["Certificate"]]);
      const customer = state.roles.find((role: any) => role.friendly_name === "customer-2024");
      expect(state.roles.some((role: any) => role.friendly_name === "customer")).toBe(false);
      expect(state.serviceConfigurations.map((entry: any) => entry.configuration.default_conversation_role_sid)).toContain(customer.sid);
      expect(state.participants.find((participant: any) => participant.identity === "guest-1").role_sid).toBe(customer.sid);
      expect((await plan()).stdout.trim()).toBe("No changes.");
    },
    E2E_TIMEOUT,
  );
});

describe("deleting a declared service", () => {
  it(
    "destroy refuses while the service holds a conversation the stack does not declare, and deletes it with deleteWithConversations: true",
    async () => {
      const scenario = await scenarioNamed("environment-guard");
      scenario.writeStack("service:\n  friendlyName: Guarded\nconversations: {}\n");
      await scenario.up();
      const serviceSid = (await scenario.outputs()).environment.service;
      await outOfBand(scenario.emulator, `/v1/Services/${serviceSid}/Conversations`, [["UniqueName", "made-by-hand"]]);
      const refused = await scenario.pulumi(["destroy", "--yes", "--skip-preview"], { allowFailure: true });
      expect(refused.code).not.toBe(0);
      expect(refused.output).toContain(`service ${serviceSid} still holds 1 conversation(s) that the stack does not declare (made-by-hand)`);
      expect(refused.output).toContain("set `deleteWithConversations: true` on the service");
      expect((scenario.emulator.state() as any).services.map((service: any) => service.sid)).toContain(serviceSid);

      scenario.writeStack("service:\n  friendlyName: Guarded\n  deleteWithConversations: true\nconversations: {}\n");
      scenario.emulator.clearRequests();
      await scenario.up();
      expect(writes(scenario.emulator.requests())).toEqual([]);
      await scenario.pulumi(["destroy", "--yes", "--skip-preview"]);
      const state = scenario.emulator.state() as any;
      expect(state.services.map((service: any) => service.sid)).not.toContain(serviceSid);
      expect(state.conversations).toEqual([]);
    },
    E2E_TIMEOUT,
  );
});

describe("replacements in the environment", () => {
  it(
    "a new identity replaces a user; a new role type replaces the role, the new one made first so that what names it moves before the old one is deleted",
    async () => {
      const scenario = await scenarioNamed("environment-replace");
      await withSecrets(scenario);
      scenario.writeStack(ENVIRONMENT);
      await scenario.up();
      const before = scenario.emulator.state() as any;
      const oldUser = before.users.find((user: any) => user.identity === "ada@example.com");
      const oldStaff = before.roles.find((role: any) => role.friendly_name === "staff");

      scenario.writeStack(
        ENVIRONMENT.replace("identity: ada@example.com", "identity: ada.lovelace@example.com")
          // staff becomes a conversation role: the service's default role and the user must name a service role, so they name another
          .replace("defaultChatServiceRole: staff", "defaultChatServiceRole: operator")
          .replace("    role: staff", "    role: operator")
          .replace("  staff:\n    friendlyName: staff\n    type: service", "  operator:\n    friendlyName: operator\n    type: service\n    permissions: [createConversation]\n  staff:\n    friendlyName: staff\n    type: conversation")
          .replace("permissions: [createConversation, joinConversation, editOwnUserInfo]", "permissions: [sendMessage]"),
      );
      scenario.emulator.clearRequests();
      await scenario.up();
      const after = scenario.emulator.state() as any;
      const users = after.users.filter((user: any) => user.chat_service_sid === oldUser.chat_service_sid);
      expect(users.map((user: any) => user.identity)).toEqual(["ada.lovelace@example.com"]);
      expect(users[0].sid).not.toBe(oldUser.sid);
      const operator = after.roles.find((role: any) => role.friendly_name === "operator");
      expect(users[0].role_sid).toBe(operator.sid);
      const staff = after.roles.filter((role: any) => role.friendly_name === "staff");
      expect(staff.map((role: any) => [role.type, role.permissions])).toEqual([["conversation", ["sendMessage"]]]);
      expect(staff[0].sid).not.toBe(oldStaff.sid);
      const deletes = scenario.emulator.requests().filter((request) => request.method === "DELETE").map((request) => request.path);
      expect(deletes).toEqual(expect.arrayContaining([expect.stringContaining(`/Users/${oldUser.sid}`), expect.stringContaining(`/Roles/${oldStaff.sid}`)]));
      expect(requestsOutsideSpec(scenario.emulator.requests())).toEqual([]);
      await scenario.pulumi(["preview", "--expect-no-changes"]);
    },
    E2E_TIMEOUT,
  );
});
