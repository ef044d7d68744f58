// Conversation Roles on both path families, through the official twilio client, with every
// response checked against the spec's response schema; the default roles of a service; each error
// with its code; pagination; APS limits; the state dump and the state file.
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../emulator";
import { loadStateFile } from "../../../emulator/state-file";
import { ORACLE_MISSING_REASON, exchangeProblems, expectTwilioError, raw, sharedEmulator, spec, temporaryStateFile, twilioClient, withEmulator } from "./support";

const emulator = sharedEmulator();
const DEFAULT_ROLE_NAMES = [
  ["channel admin", "conversation"],
  ["channel user", "conversation"],
  ["service admin", "service"],
  ["service user", "service"],
];

describe.skipIf(!spec)(`roles through the twilio client (${spec ? "spec present" : ORACLE_MISSING_REASON})`, () => {
  it("every service starts with the four default roles, named by its configuration", async () => {
    const { v1, exchanges } = twilioClient(emulator);
    const roles = await v1.roles.list();
    expect(roles.map((role) => [role.friendlyName, role.type])).toEqual(DEFAULT_ROLE_NAMES);
    for (const role of roles) {
      expect(role.sid).toMatch(/^RL[0-9a-f]{32}$/);
      expect(role).toMatchObject({ accountSid: emulator.credentials.accountSid, chatServiceSid: emulator.defaultServiceSid, url: `${emulator.url}/v1/Roles/${role.sid}` });
      expect(role.permissions.length).toBeGreaterThan(0);
    }
    const byName = Object.fromEntries(roles.map((role) => [role.friendlyName, role]));
    expect(byName["channel user"].permissions).toEqual(expect.arrayContaining(["sendMessage", "leaveConversation", "editOwnMessage", "deleteOwnMessage"]));
    expect(byName["service user"].permissions).toEqual(expect.arrayContaining(["createConversation", "joinConversation", "editOwnUserInfo"]));
    const configuration = await v1.services(emulator.defaultServiceSid).configuration().fetch();
    expect(configuration).toMatchObject({
      defaultConversationCreatorRoleSid: byName["channel admin"].sid,
      defaultConversationRoleSid: byName["channel user"].sid,
      defaultChatServiceRoleSid: byName["service user"].sid,
    });

    // A new service gets its own four.
    const service = await v1.services.create({ friendlyName: "fresh" });
    const scoped = await v1.services(service.sid).roles.list();
    expect(scoped.map((role) => [role.friendlyName, role.type])).toEqual(DEFAULT_ROLE_NAMES);
    expect(scoped.map((role) => role.sid)).not.toEqual(expect.arrayContaining([roles[0].sid]));
    expect(scoped.every((role) => role.chatServiceSid === service.sid)).toBe(true);
    expect(exchangeProblems(exchanges)).toEqual([]);
  });

  it("default path: create, fetch, update (the whole set replaced), list, delete", async () => {
    const { v1, exchanges } = twilioClient(emulator);
    const role = await v1.roles.create({ friendlyName: "moderator", type: "conversation", permission: ["sendMessage", "deleteAnyMessage"] });
    expect(role).toMatchObject({
      accountSid: emulator.credentials.accountSid,
      chatServiceSid: emulator.defaultServiceSid,
      friendlyName: "moderator",
      type: "conversation",
      permissions: ["sendMessage", "deleteAnyMessage"],
      url: `${emulator.url}/v1/Roles/${role.sid}`,
    });
    expect(role.dateUpdated).toEqual(role.dateCreated);
    expect(await v1.roles(role.sid).fetch()).toMatchObject({ sid: role.sid, permissions: ["sendMessage", "deleteAnyMessage"] });

    const updated = await v1.roles(role.sid).update({ permission: ["leaveConversation"] });
    expect(updated).toMatchObject({ sid: role.sid, friendlyName: "moderator", type: "conversation", permissions: ["leaveConversation"] });
    // Type and FriendlyName are not update fields: ignored, like any unknown field.
    const ignored = await raw(emulator, "POST", `/v1/Roles/${role.sid}`, [["Permission", "sendMessage"], ["Permission", "sendMediaMessage"], ["Type", "service"], ["FriendlyName", "x"]]);
    expect(ignored.body).toMatchObject({ type: "conversation", friendly_name: "moderator", permissions: ["sendMessage", "sendMediaMessage"] });

    expect((await v1.roles.list()).map((r) => r.friendlyName)).toEqual([...DEFAULT_ROLE_NAMES.map(([name]) => name), "moderator"]);
    expect(await v1.roles(role.sid).remove()).toBe(true);
    await expect(v1.roles(role.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    expect(await v1.roles.list()).toHaveLength(4);
    expect(exchangeProblems(exchanges)).toEqual([]);
  });

  it("service path: the same operations, scoped URLs; a role of one service is not found through another", async () => {
    const { v1, exchanges } = twilioClient(emulator, "apiKey");
    const service = await v1.services.create({ friendlyName: "scoped roles" });
    const roles = v1.services(service.sid).roles;
    const role = await roles.create({ friendlyName: "auditor", type: "service", permission: ["joinConversation", "editAnyUserInfo"] });
    expect(role.chatServiceSid).toBe(service.sid);
    expect(role.url).toBe(`${emulator.url}/v1/Services/${service.sid}/Roles/${role.sid}`);
    expect((await roles(role.sid).update({ permission: ["createConversation"] })).permissions).toEqual(["createConversation"]);
    await expect(v1.roles(role.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    const defaultRole = (await v1.roles.list())[0];
    await expect(roles(defaultRole.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    expect((await roles.list()).map((r) => r.friendlyName)).toEqual([...DEFAULT_ROLE_NAMES.map(([name]) => name), "auditor"]);
    expect(await roles(role.sid).remove()).toBe(true);
    expect(await roles.list()).toHaveLength(4);
    expect(exchangeProblems(exchanges)).toEqual([]);
  });

  it("pages in creation order, up to 50 a page; PageSize outside 1–50 is refused", async () => {
    const { v1, exchanges } = twilioClient(emulator);
    const names = Array.from({ length: 6 }, (_, i) => `role-${i}`);
    for (const name of names) await v1.roles.create({ friendlyName: name, type: "conversation", permission: ["sendMessage"] });
    const all = [...DEFAULT_ROLE_NAMES.map(([name]) => name), ...names];
    const first = await v1.roles.page({ pageSize: 4 });
    expect(first.instances.map((r) => r.friendlyName)).toEqual(all.slice(0, 4));
    // A role deleted between pages does not shift the next one.
    const doomed = (await v1.roles.list()).find((r) => r.friendlyName === "role-0")!;
    await v1.roles(doomed.sid).remove();
    const second = await first.nextPage();
    expect(second!.instances.map((r) => r.friendlyName)).toEqual(all.slice(5, 9));
    const third = await second!.nextPage();
    expect(third!.instances.map((r) => r.friendlyName)).toEqual(all.slice(9));
    expect(await third!.nextPage()).toBeUndefined();
    expect((await second!.previousPage())!.instances.map((r) => r.friendlyName)).toEqual(all.slice(0, 4));
    expect((await v1.roles.list({ pageSize: 3 })).map((r) => r.friendlyName)).toEqual(all.filter((name) => name !== "role-0"));

    const whole = await raw(emulator, "GET", "/v1/Roles");
    expect(whole.body.meta).toMatchObject({ page: 0, page_size: 50, key: "roles", next_page_url: null });
    expect(whole.body.meta.url).toBe(`${emulator.url}/v1/Roles?PageSize=50&Page=0`);
    expect((await raw(emulator, "GET", "/v1/Roles?PageSize=50")).status).toBe(200);
    expectTwilioError(await raw(emulator, "GET", "/v1/Roles?PageSize=51"), 400, 400);
    expectTwilioError(await raw(emulator, "GET", "/v1/Roles?PageSize=0"), 400, 400);
    expectTwilioError(await raw(emulator, "GET", "/v1/Roles?PageToken=PTbad"), 400, 21481);
    expect(exchangeProblems(exchanges)).toEqual([]);
  });
});

describe("role rules and their error codes", () => {
  const roleCount = () => (emulator.state().roles as unknown[]).length;

  it.each<[string, number, number, Array<[string, string]>]>([
    ["no FriendlyName", 400, 400, [["Type", "service"], ["Permission", "joinConversation"]]],
    ["an empty FriendlyName", 400, 400, [["FriendlyName", ""], ["Type", "service"], ["Permission", "joinConversation"]]],
    ["a FriendlyName of 65 characters", 400, 400, [["FriendlyName", "n".repeat(65)], ["Type", "service"], ["Permission", "joinConversation"]]],
    ["no Type", 400, 400, [["FriendlyName", "x"], ["Permission", "joinConversation"]]],
    ["a Type other than conversation or service", 400, 50105, [["FriendlyName", "x"], ["Type", "channel"], ["Permission", "sendMessage"]]],
    ["no Permission", 400, 400, [["FriendlyName", "x"], ["Type", "service"]]],
    ["an unknown permission", 400, 50104, [["FriendlyName", "x"], ["Type", "service"], ["Permission", "flyAway"]]],
    ["an empty permission", 400, 50104, [["FriendlyName", "x"], ["Type", "conversation"], ["Permission", ""]]],
    ["a conversation permission on a service role", 400, 50104, [["FriendlyName", "x"], ["Type", "service"], ["Permission", "sendMessage"]]],
    ["a service permission on a conversation role", 400, 50104, [["FriendlyName", "x"], ["Type", "conversation"], ["Permission", "sendMessage"], ["Permission", "createConversation"]]],
  ])("refuses %s with %i / %i and creates nothing", async (_case, status, code, form) => {
    expectTwilioError(await raw(emulator, "POST", "/v1/Roles", form), status, code);
    expect(roleCount()).toBe(4);
  });

  it("takes a 64-character name, a name used twice, and a permission sent twice once", async () => {
    const form: Array<[string, string]> = [["FriendlyName", "n".repeat(64)], ["Type", "conversation"], ["Permission", "sendMessage"], ["Permission", "sendMessage"]];
    const created = await raw(emulator, "POST", "/v1/Roles", form);
    expect(created.status).toBe(201);
    expect(created.body.permissions).toEqual(["sendMessage"]);
    // Twilio documents no unique role name: a second role may take a used one.
    expect((await raw(emulator, "POST", "/v1/Roles", [["FriendlyName", "channel user"], ["Type", "conversation"], ["Permission", "sendMessage"]])).status).toBe(201);
  });

  it("validates updates against the role's own type and leaves the role as it was", async () => {
    const role = (await raw(emulator, "POST", "/v1/Roles", [["FriendlyName", "r"], ["Type", "service"], ["Permission", "joinConversation"]])).body;
    expectTwilioError(await raw(emulator, "POST", `/v1/Roles/${role.sid}`, [["Permission", "sendMessage"]]), 400, 50104);
    expectTwilioError(await raw(emulator, "POST", `/v1/Roles/${role.sid}`, {}), 400, 400);
    expect((await raw(emulator, "GET", `/v1/Roles/${role.sid}`)).body).toEqual(role);
  });

  it("refuses to delete a role the service configuration names as a default; once replaced there, it goes", async () => {
    const configuration = (await raw(emulator, "GET", `/v1/Services/${emulator.defaultServiceSid}/Configuration`)).body;
    const user = configuration.default_conversation_role_sid;
    expectTwilioError(await raw(emulator, "DELETE", `/v1/Roles/${user}`), 400, 400);
    expect(roleCount()).toBe(4);
    const replacement = (await raw(emulator, "POST", "/v1/Roles", [["FriendlyName", "member"], ["Type", "conversation"], ["Permission", "sendMessage"]])).body;
    await raw(emulator, "POST", `/v1/Services/${emulator.defaultServiceSid}/Configuration`, { DefaultConversationRoleSid: replacement.sid });
    expect((await raw(emulator, "DELETE", `/v1/Roles/${user}`)).status).toBe(204);
    // The default roles that are no configuration default can go.
    const admin = ((await raw(emulator, "GET", "/v1/Roles")).body.roles as any[]).find((role) => role.friendly_name === "service admin");
    expect((await raw(emulator, "DELETE", `/v1/Roles/${admin.sid}`)).status).toBe(204);
  });

  it("answers 404 / 20404 for an unknown role, an unknown service, and a wrong method with 405", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      const form = method === "POST" ? { Permission: "sendMessage" } : undefined;
      expectTwilioError(await raw(emulator, method, `/v1/Roles/RL${"0".repeat(32)}`, form), 404, 20404);
      expectTwilioError(await raw(emulator, method, "/v1/Roles/channel%20user", form), 404, 20404);
    }
    expectTwilioError(await raw(emulator, "GET", `/v1/Services/IS${"0".repeat(32)}/Roles`), 404, 20404);
    expectTwilioError(await raw(emulator, "POST", `/v1/Services/IS${"0".repeat(32)}/Roles`, { FriendlyName: "x", Type: "service", Permission: "joinConversation" }), 404, 20404);
    expectTwilioError(await raw(emulator, "PUT", "/v1/Roles"), 405, 20004);
  });

  it("goes with its service", async () => {
    const service = (await raw(emulator, "POST", "/v1/Services", { FriendlyName: "doomed" })).body;
    await raw(emulator, "POST", `/v1/Services/${service.sid}/Roles`, { FriendlyName: "x", Type: "service", Permission: "joinConversation" });
    expect(roleCount()).toBe(9);
    expect((await raw(emulator, "DELETE", `/v1/Services/${service.sid}`)).status).toBe(204);
    expect((emulator.state().roles as any[]).every((role) => role.chat_service_sid === emulator.defaultServiceSid)).toBe(true);
    expect(roleCount()).toBe(4);
  });
});

describe("role writes under --aps-limits", () => {
  let limited: RunningEmulator;
  beforeAll(async () => {
    limited = await withEmulator({ apsLimits: true });
  });
  afterAll(async () => {
    await limited.close();
  });

  it("shares the service's 30 writes per second among role create, update and delete; reads are not limited", async () => {
    const service = (await raw(limited, "POST", "/v1/Services", { FriendlyName: "aps" })).body.sid;
    const roles = `/v1/Services/${service}/Roles`;
    const first = (await raw(limited, "POST", roles, { FriendlyName: "first", Type: "service", Permission: "joinConversation" })).body.sid;
    const writes = await Promise.all(
      Array.from({ length: 36 }, (_, i) =>
        i % 3 === 2
          ? raw(limited, "POST", `${roles}/${first}`, { Permission: "editOwnUserInfo" })
          : raw(limited, "POST", roles, { FriendlyName: `r${i}`, Type: "conversation", Permission: "sendMessage" }),
      ),
    );
    expect(writes.every((answer) => [200, 201, 429].includes(answer.status))).toBe(true);
    const refused = writes.filter((answer) => answer.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expectTwilioError(refused[0], 429, 20429);
    const reads = await Promise.all(Array.from({ length: 40 }, () => raw(limited, "GET", roles)));
    expect(reads.every((answer) => answer.status === 200)).toBe(true);
    expect((await raw(limited, "POST", "/v1/Roles", { FriendlyName: "elsewhere", Type: "service", Permission: "joinConversation" })).status).toBe(201);
  });

  it("does not limit role writes without the flag", async () => {
    const writes = await Promise.all(
      Array.from({ length: 40 }, (_, i) => raw(emulator, "POST", "/v1/Roles", { FriendlyName: `r${i}`, Type: "service", Permission: "joinConversation" })),
    );
    expect(writes.every((answer) => answer.status === 201)).toBe(true);
  });
});

describe("roles in the state dump and the state file", () => {
  it("shows roles in /__emulator/state, in each one's path family", async () => {
    const service = (await raw(emulator, "POST", "/v1/Services", { FriendlyName: "dump" })).body;
    const scoped = (await raw(emulator, "POST", `/v1/Services/${service.sid}/Roles`, { FriendlyName: "s", Type: "service", Permission: "joinConversation" })).body;
    const onDefault = (await raw(emulator, "POST", "/v1/Roles", { FriendlyName: "d", Type: "service", Permission: "joinConversation" })).body;
    const dump = (await (await fetch(`${emulator.url}/__emulator/state`)).json()) as { roles: any[] };
    expect(dump.roles).toContainEqual(scoped);
    expect(dump.roles).toContainEqual(onDefault);
    expect(dump.roles).toHaveLength(10);
  });

  it("keeps roles, their updates and deletes across a restart (journal, then snapshot)", async () => {
    const { stateFile, remove } = temporaryStateFile("emulator-roles-");
    let running = await withEmulator({ stateFile });
    try {
      const kept = (await raw(running, "POST", "/v1/Roles", { FriendlyName: "kept", Type: "conversation", Permission: "sendMessage" })).body;
      const gone = (await raw(running, "POST", "/v1/Roles", { FriendlyName: "gone", Type: "service", Permission: "joinConversation" })).body;
      await raw(running, "POST", `/v1/Roles/${kept.sid}`, [["Permission", "leaveConversation"], ["Permission", "sendMediaMessage"]]);
      await raw(running, "DELETE", `/v1/Roles/${gone.sid}`);
      const roleSids = [...loadStateFile(stateFile)!.roles.keys()];
      expect(roleSids).toContain(kept.sid);
      expect(roleSids).not.toContain(gone.sid);
      const before = (await raw(running, "GET", "/v1/Roles")).body.roles;
      await running.close();

      running = await withEmulator({ stateFile });
      const after = (await raw(running, "GET", "/v1/Roles")).body.roles;
      const pathOf = (role: { url: string }) => ({ ...role, url: new URL(role.url).pathname });
      expect(after.map(pathOf)).toEqual(before.map(pathOf));
      expect(after.find((role: { sid: string }) => role.sid === kept.sid).permissions).toEqual(["leaveConversation", "sendMediaMessage"]);
      expectTwilioError(await raw(running, "GET", `/v1/Roles/${gone.sid}`), 404, 20404);
    } finally {
      await running.close();
      remove();
    }
  });

  it("loads a state file written before roles were kept: each service gets the default roles", async () => {
    const { stateFile, remove } = temporaryStateFile("emulator-roles-");
    try {
      const first = await withEmulator({ stateFile });
      const service = (await raw(first, "POST", "/v1/Services", { FriendlyName: "old" })).body.sid;
      await first.close();
      const saved = JSON.parse(readFileSync(stateFile, "utf8"));
      delete saved.roles;
      delete saved.serviceConfigurations;
      writeFileSync(stateFile, JSON.stringify(saved));
      const second = await withEmulator({ stateFile });
      let seeded: unknown;
      try {
        seeded = (await raw(second, "GET", "/v1/Roles")).body.roles;
        for (const prefix of ["/v1", `/v1/Services/${service}`]) {
          const roles = (await raw(second, "GET", `${prefix}/Roles`)).body.roles as any[];
          expect(roles.map((role) => [role.friendly_name, role.type])).toEqual(DEFAULT_ROLE_NAMES);
        }
        const configuration = (await raw(second, "GET", `/v1/Services/${service}/Configuration`)).body;
        const roles = (await raw(second, "GET", `/v1/Services/${service}/Roles`)).body.roles as any[];
        expect(configuration.default_chat_service_role_sid).toBe(roles[3].sid);
      } finally {
        await second.close();
      }
      // What the loaded file gained is kept.
      const third = await withEmulator({ stateFile });
      try {
        const pathOf = (role: { url: string }) => ({ ...role, url: new URL(role.url).pathname });
        expect(((await raw(third, "GET", "/v1/Roles")).body.roles as any[]).map(pathOf)).toEqual((seeded as any[]).map(pathOf));
      } finally {
        await third.close();
      }
    } finally {
      remove();
    }
  });
});
