// `export` on the real engine: an account built through twilio-node, exported, validated, previewed
// (adoptions only), applied with zero writes, previewed clean, exported again to the same bytes,
// and destroyed leaving every object as it was.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { twilioClient } from "../integration/emulator/support";
import { writes } from "./harness";
import { E2E_TIMEOUT, scenarioNamed } from "./environment-support";

/** Every object the emulator holds, by kind, in a stable order (what destroy must leave as it found). */
function everything(state: any) {
  const bySid = (list: any[]) => [...list].sort((a, b) => (a.sid < b.sid ? -1 : 1));
  return {
    services: bySid(state.services),
    roles: bySid(state.roles),
    users: bySid(state.users),
    serviceConfigurations: state.serviceConfigurations,
    account: { ...state.account, address_configurations: bySid(state.account.address_configurations), credentials: bySid(state.account.credentials) },
    conversations: bySid(state.conversations),
    participants: bySid(state.participants),
    webhooks: bySid(state.webhooks),
    messages: bySid(state.messages),
  };
}

describe("export", () => {
  it(
    "writes a file that validates, previews as adoptions only, applies with zero writes, previews clean, exports again the same, and destroys to the account as it was",
    async () => {
      const scenario = await scenarioNamed("export");
      const { v1 } = twilioClient(scenario.emulator);
      const service = (scenario.emulator.state() as any).services[0].sid as string;
      const inService = v1.services(service);

      // Every kind the environment has, each with something chosen.
      const agent = await inService.roles.create({ friendlyName: "agent", type: "conversation", permission: ["sendMessage", "addParticipant", "leaveConversation"] });
      const staff = await inService.roles.create({ friendlyName: "staff", type: "service", permission: ["createConversation", "joinConversation"] });
      await inService.configuration().update({ defaultConversationRoleSid: agent.sid, reachabilityEnabled: true });
      await inService.configuration.notifications().update({ "newMessage.enabled": true, "newMessage.template": "${PARTICIPANT}: ${MESSAGE}", logEnabled: true } as never);
      await inService.configuration.webhooks().update({ postWebhookUrl: "https://hooks.example.com/post", method: "POST", filters: ["onMessageAdded", "onConversationAdded"] });
      await inService.users.create({ identity: "ada@example.com", friendlyName: "Ada", attributes: JSON.stringify({ team: "support" }), roleSid: staff.sid });
      await inService.users.create({ identity: "grace@example.com" });
      await v1.configuration().update({ defaultInactiveTimer: "PT12H", defaultClosedTimer: "P7D" });
      await v1.configuration.webhooks().update({ postWebhookUrl: "https://hooks.example.com/account", method: "POST", filters: ["onConversationAdded"] });
      await v1.addressConfigurations.create({
        type: "sms", address: "+15005550006", friendlyName: "Support line",
        "autoCreation.enabled": true, "autoCreation.type": "webhook", "autoCreation.webhookUrl": "https://hooks.example.com/in", "autoCreation.webhookMethod": "POST", "autoCreation.webhookFilters": ["onMessageAdded"],
      } as never);
      await v1.credentials.create({ type: "apn", friendlyName: "iOS app", certificate: "CERTIFICATE-IN-TWILIO", privateKey: "KEY-IN-TWILIO", sandbox: true });

      // Conversations: one with participants, a scoped webhook and a thread; one closed with its thread; one inactive.
      const desk = await inService.conversations.create({ uniqueName: "front-desk", friendlyName: "Front desk", attributes: JSON.stringify({ tier: 2 }) });
      await inService.conversations(desk.sid).participants.create({ identity: "ada@example.com", attributes: JSON.stringify({ lead: true }) });
      await inService.conversations(desk.sid).participants.create({ "messagingBinding.address": "+15551234567", "messagingBinding.proxyAddress": "+15005550006" } as never);
      await inService.conversations(desk.sid).webhooks.create({ target: "webhook", "configuration.url": "https://crm.example.com/hook", "configuration.method": "POST", "configuration.filters": ["onMessageAdded"] } as never);
      await inService.conversations(desk.sid).messages.create({ author: "ada@example.com", body: "Hi, how can I help?" });
      await inService.conversations(desk.sid).messages.create({ author: "+15551234567", body: "My order is late", attributes: JSON.stringify({ order: 1042 }) });
      const archive = await inService.conversations.create({ uniqueName: "archive-2024", friendlyName: "Archive" });
      await inService.conversations(archive.sid).participants.create({ identity: "grace@example.com" });
      await inService.conversations(archive.sid).messages.create({ author: "grace@example.com", body: "Closing this one" });
      await inService.conversations(archive.sid).messages.create({ body: "Archived" });
      await inService.conversations(archive.sid).update({ state: "closed" });
      const quiet = await inService.conversations.create({ uniqueName: "quiet" });
      await inService.conversations(quiet.sid).messages.create({ author: "system", body: "Anyone there?" });
      await inService.conversations(quiet.sid).update({ state: "inactive" });
      const before = everything(scenario.emulator.state());

      // Export.
      const file = path.join(scenario.dir, "exported.yaml");
      scenario.emulator.clearRequests();
      const started = Date.now();
      const exported = await scenario.run("node", ["dist/provider/cli.js", "export", "--out", file, "--threads"]);
      const exportMs = Date.now() - started;
      expect(exported.code, exported.output).toBe(0);
      const exportRequests = scenario.emulator.requests();
      expect(writes(exportRequests)).toEqual([]);
      const text = fs.readFileSync(file, "utf8");
      expect(text).toContain("method: POST");
      expect(text).not.toContain("CERTIFICATE-IN-TWILIO");
      const configKeys = [...exported.stderr.matchAll(/pulumi config set --secret (\S+) /g)].map((match) => match[1]);
      expect(configKeys).toEqual(["iosAppCertificate", "iosAppPrivateKey"]);
      console.log(`export: ${exportRequests.length} requests in ${exportMs} ms; ${exported.stderr.split("\n")[0]}`);

      // validate accepts it.
      const validated = await scenario.run("node", ["dist/schemas/validate-cli.js", file]);
      expect(validated.code, validated.output).toBe(0);

      // preview: every step adopts (a create of an adopted object, or the setting of a singleton), nothing else.
      for (const key of configKeys) await scenario.pulumi(["config", "set", "--secret", key, `${key}-value`]);
      scenario.writeStack(text);
      scenario.emulator.clearRequests();
      const preview = JSON.parse((await scenario.pulumi(["preview", "--json"])).stdout);
      const steps = (preview.steps as any[]).filter((step) => step.urn.includes("dynamic/twilio-conversations:"));
      expect(steps.length).toBeGreaterThan(10);
      for (const step of steps) {
        expect(step.op, step.urn).toBe("create");
        const inputs = step.newState.inputs;
        const singleton = /:(ServiceConfiguration|ServiceNotifications|ServiceWebhooks|AccountConfiguration|AccountWebhooks)::/.test(step.urn);
        expect(singleton || inputs.adopt === "require", step.urn).toBe(true);
      }
      expect(writes(scenario.emulator.requests())).toEqual([]);

      // up: zero writes, counted at the emulator.
      scenario.emulator.clearRequests();
      await scenario.up();
      expect(writes(scenario.emulator.requests())).toEqual([]);
      expect(everything(scenario.emulator.state())).toEqual(before);
      await scenario.pulumi(["preview", "--expect-no-changes"]);

      // Exported again: the same bytes.
      const again = path.join(scenario.dir, "again.yaml");
      expect((await scenario.run("node", ["dist/provider/cli.js", "export", "--out", again, "--threads"])).code).toBe(0);
      expect(fs.readFileSync(again, "utf8")).toBe(text);

      // destroy: every object as it was before the stack, field by field.
      scenario.emulator.clearRequests();
      await scenario.pulumi(["destroy", "--yes", "--skip-preview"]);
      expect(writes(scenario.emulator.requests())).toEqual([]);
      expect(everything(scenario.emulator.state())).toEqual(before);
    },
    E2E_TIMEOUT,
  );
});
