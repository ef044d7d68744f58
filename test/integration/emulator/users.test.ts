// Conversation Users on both path families, through the official twilio client, with every
// response checked against the spec's response schema; each documented error with its code;
// pagination; APS limits; the state dump and the state file.
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../emulator";
import { loadStateFile } from "../../../emulator/state-file";
import { ORACLE_MISSING_REASON, exchangeProblems, expectTwilioError, raw, sharedEmulator, spec, temporaryStateFile, twilioClient, withEmulator } from "./support";

const emulator = sharedEmulator();
/** Well-formed role SIDs: the emulator keeps no Roles, so any such SID is taken. */
const [ROLE, OTHER_ROLE] = ["a", "b"].map((digit) => "RL" + digit.repeat(32));

describe.skipIf(!spec)(`users through the twilio client (${spec ? "spec present" : ORACLE_MISSING_REASON})`, () => {
  it("default path: create, fetch by SID and identity, update, list, delete", async () => {
    const { v1, exchanges } = twilioClient(emulator);
    const user = await v1.users.create({
      identity: "alice@example.com",
      friendlyName: "Alice",
      attributes: JSON.stringify({ team: "support" }),
      roleSid: ROLE,
      xTwilioWebhookEnabled: "true",
    });
    expect(user.sid).toMatch(/^US[0-9a-f]{32}$/);
    expect(user).toMatchObject({
      accountSid: emulator.credentials.accountSid,
      chatServiceSid: emulator.defaultServiceSid,
      roleSid: ROLE,
      identity: "alice@example.com",
      friendlyName: "Alice",
      attributes: '{"team":"support"}',
      isOnline: null,
      isNotifiable: null,
      url: `${emulator.url}/v1/Users/${user.sid}`,
      links: { user_conversations: `${emulator.url}/v1/Users/${user.sid}/Conversations` },
    });
    expect(user.dateUpdated).toEqual(user.dateCreated);

    const bare = await v1.users.create({ identity: "bob" });
    expect(bare).toMatchObject({ friendlyName: null, attributes: "{}", roleSid: null });

    expect((await v1.users(user.sid).fetch()).identity).toBe("alice@example.com");
    expect((await v1.users("alice@example.com").fetch()).sid).toBe(user.sid);

    const updated = await v1.users("alice@example.com").update({
      friendlyName: "Alice A.",
      attributes: "{}",
      roleSid: OTHER_ROLE,
      xTwilioWebhookEnabled: "false",
    });
    expect(updated).toMatchObject({ sid: user.sid, identity: "alice@example.com", friendlyName: "Alice A.", attributes: "{}", roleSid: OTHER_ROLE });
    // Identity is not an update field: Twilio ignores unknown fields, and so does the emulator.
    const renamed = await raw(emulator, "POST", `/v1/Users/${user.sid}`, { Identity: "mallory", FriendlyName: "" });
    expect(renamed.body).toMatchObject({ identity: "alice@example.com", friendly_name: null });

    expect((await v1.users.list()).map((u) => u.identity)).toEqual(["alice@example.com", "bob"]);
    expect(await v1.users("bob").remove({ xTwilioWebhookEnabled: "true" })).toBe(true);
    await expect(v1.users(bare.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    expect((await v1.users.list()).map((u) => u.sid)).toEqual([user.sid]);
    expect(exchangeProblems(exchanges)).toEqual([]);
  });

  it("service path: the same operations, scoped URLs, identities unique per service", async () => {
    const { v1, exchanges } = twilioClient(emulator, "apiKey");
    const service = await v1.services.create({ friendlyName: "people" });
    const users = v1.services(service.sid).users;
    const user = await users.create({ identity: "carol", attributes: "[1]" });
    expect(user.chatServiceSid).toBe(service.sid);
    expect(user.url).toBe(`${emulator.url}/v1/Services/${service.sid}/Users/${user.sid}`);
    expect(user.links).toEqual({ user_conversations: `${emulator.url}/v1/Services/${service.sid}/Users/${user.sid}/Conversations` });

    // The same identity in another service is another user.
    const elsewhere = await v1.users.create({ identity: "carol" });
    expect(elsewhere.sid).not.toBe(user.sid);
    expect((await users("carol").fetch()).sid).toBe(user.sid);
    expect((await v1.users("carol").fetch()).sid).toBe(elsewhere.sid);
    // A user of one service is not found through another.
    await expect(v1.users(user.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });

    expect((await users(user.sid).update({ friendlyName: "Carol" })).friendlyName).toBe("Carol");
    expect((await users.list()).map((u) => u.sid)).toEqual([user.sid]);
    expect(await users("carol").remove()).toBe(true);
    expect(await users.list()).toEqual([]);
    expect(exchangeProblems(exchanges)).toEqual([]);
  });

  it("pages in creation order, up to 50 a page; PageSize outside 1–50 is refused", async () => {
    const { v1, exchanges } = twilioClient(emulator);
    const identities = Array.from({ length: 7 }, (_, i) => `user-${i}`);
    for (const identity of identities) await v1.users.create({ identity });
    const first = await v1.users.page({ pageSize: 3 });
    expect(first.instances.map((u) => u.identity)).toEqual(identities.slice(0, 3));
    // A user deleted between pages does not shift the next one.
    await v1.users("user-3").remove();
    const second = await first.nextPage();
    expect(second!.instances.map((u) => u.identity)).toEqual(["user-4", "user-5", "user-6"]);
    expect(await second!.nextPage()).toBeUndefined();
    const back = await second!.previousPage();
    expect(back!.instances.map((u) => u.identity)).toEqual(identities.slice(0, 3));
    expect((await v1.users.list({ pageSize: 2 })).map((u) => u.identity)).toEqual(identities.filter((i) => i !== "user-3"));

    const whole = await raw(emulator, "GET", "/v1/Users");
    expect(whole.body.meta).toMatchObject({ page: 0, page_size: 50, key: "users", next_page_url: null });
    expect(whole.body.meta.url).toBe(`${emulator.url}/v1/Users?PageSize=50&Page=0`);
    expect((await raw(emulator, "GET", "/v1/Users?PageSize=50")).status).toBe(200);
    expectTwilioError(await raw(emulator, "GET", "/v1/Users?PageSize=51"), 400, 400);
    expectTwilioError(await raw(emulator, "GET", "/v1/Users?PageToken=PTbad"), 400, 21481);
    expect(exchangeProblems(exchanges)).toEqual([]);
  });
});

describe("user rules and their error codes", () => {
  it.each<[string, number, number, Record<string, string>]>([
    ["no Identity", 400, 50204, { FriendlyName: "x" }],
    ["an empty Identity", 400, 50204, { Identity: "" }],
    ["an Identity of 257 characters", 400, 50207, { Identity: "i".repeat(257) }],
    ["an Identity shaped like a user SID", 400, 50206, { Identity: "US" + "0".repeat(32) }],
    ["the reserved identity system", 400, 50203, { Identity: "system" }],
    ["Attributes that are not JSON", 400, 50304, { Identity: "x", Attributes: "{" }],
    ["a malformed RoleSid", 400, 400, { Identity: "x", RoleSid: "RL123" }],
  ])("refuses %s with %i / %i and creates nothing", async (_case, status, code, form) => {
    expectTwilioError(await raw(emulator, "POST", "/v1/Users", form), status, code);
    expect(emulator.state().users).toEqual([]);
  });

  it("takes a 256-character identity; identities are case-sensitive", async () => {
    expect((await raw(emulator, "POST", "/v1/Users", { Identity: "i".repeat(256) })).status).toBe(201);
    expect((await raw(emulator, "POST", "/v1/Users", { Identity: "Dave" })).status).toBe(201);
    expect((await raw(emulator, "POST", "/v1/Users", { Identity: "dave" })).status).toBe(201);
  });

  it("refuses a second user with one identity in a service: 409 / 50201; a deleted user frees it", async () => {
    const first = (await raw(emulator, "POST", "/v1/Users", { Identity: "erin" })).body;
    expectTwilioError(await raw(emulator, "POST", "/v1/Users", { Identity: "erin", FriendlyName: "again" }), 409, 50201);
    expect((await raw(emulator, "GET", "/v1/Users/erin")).body.friendly_name).toBeNull();
    expect((await raw(emulator, "DELETE", `/v1/Users/${first.sid}`)).status).toBe(204);
    expect((await raw(emulator, "POST", "/v1/Users", { Identity: "erin" })).status).toBe(201);
  });

  it("validates updates the same way and leaves the user as it was", async () => {
    const user = (await raw(emulator, "POST", "/v1/Users", { Identity: "frank", Attributes: '{"a":1}' })).body;
    expectTwilioError(await raw(emulator, "POST", `/v1/Users/${user.sid}`, { Attributes: "nope" }), 400, 50304);
    expectTwilioError(await raw(emulator, "POST", `/v1/Users/${user.sid}`, { RoleSid: "XX" }), 400, 400);
    expect((await raw(emulator, "GET", `/v1/Users/${user.sid}`)).body).toEqual(user);
    const cleared = await raw(emulator, "POST", `/v1/Users/${user.sid}`, { RoleSid: "" });
    expect(cleared.body.role_sid).toBeNull();
  });

  it("answers 404 / 20404 for an unknown user, an unknown service, and a wrong method with 405", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      expectTwilioError(await raw(emulator, method, `/v1/Users/US${"0".repeat(32)}`, method === "POST" ? {} : undefined), 404, 20404);
      expectTwilioError(await raw(emulator, method, "/v1/Users/nobody", method === "POST" ? {} : undefined), 404, 20404);
    }
    expectTwilioError(await raw(emulator, "GET", `/v1/Services/IS${"0".repeat(32)}/Users`), 404, 20404);
    expectTwilioError(await raw(emulator, "POST", `/v1/Services/IS${"0".repeat(32)}/Users`, { Identity: "x" }), 404, 20404);
    expectTwilioError(await raw(emulator, "PUT", "/v1/Users"), 405, 20004);
  });

  it("records X-Twilio-Webhook-Enabled with each write", async () => {
    await raw(emulator, "POST", "/v1/Users", { Identity: "gina" }, { headers: { "X-Twilio-Webhook-Enabled": "true" } });
    await raw(emulator, "DELETE", "/v1/Users/gina", undefined, { headers: { "X-Twilio-Webhook-Enabled": "false" } });
    expect(emulator.requests().map((entry) => [entry.operationId, entry.headers["x-twilio-webhook-enabled"]])).toEqual([
      ["CreateUser", "true"],
      ["DeleteUser", "false"],
    ]);
  });

  it("goes with its service", async () => {
    const service = (await raw(emulator, "POST", "/v1/Services", { FriendlyName: "doomed" })).body;
    await raw(emulator, "POST", `/v1/Services/${service.sid}/Users`, { Identity: "henry" });
    const kept = (await raw(emulator, "POST", "/v1/Users", { Identity: "henry" })).body;
    expect((await raw(emulator, "DELETE", `/v1/Services/${service.sid}`)).status).toBe(204);
    expect((emulator.state().users as any[]).map((u) => u.sid)).toEqual([kept.sid]);
  });
});

describe("user writes under --aps-limits", () => {
  let limited: RunningEmulator;
  beforeAll(async () => {
    limited = await withEmulator({ apsLimits: true });
  });
  afterAll(async () => {
    await limited.close();
  });

  it("shares the service's 30 writes per second among user create, update and delete; reads are not limited", async () => {
    const service = (await raw(limited, "POST", "/v1/Services", { FriendlyName: "aps" })).body.sid;
    const users = `/v1/Services/${service}/Users`;
    expect((await raw(limited, "POST", users, { Identity: "first" })).status).toBe(201);
    const writes = await Promise.all(
      Array.from({ length: 36 }, (_, i) =>
        i % 3 === 2 ? raw(limited, "POST", `${users}/first`, { FriendlyName: String(i) }) : raw(limited, "POST", users, { Identity: `u${i}` }),
      ),
    );
    expect(writes.every((answer) => answer.status === 201 || answer.status === 200 || answer.status === 429)).toBe(true);
    const refused = writes.filter((answer) => answer.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expectTwilioError(refused[0], 429, 20429);
    const reads = await Promise.all(Array.from({ length: 40 }, () => raw(limited, "GET", users)));
    expect(reads.every((answer) => answer.status === 200)).toBe(true);
    // Another service has its own window.
    expect((await raw(limited, "POST", "/v1/Users", { Identity: "elsewhere" })).status).toBe(201);
  });
});

describe("users in the state dump and the state file", () => {
  it("shows users in /__emulator/state, in each one's path family", async () => {
    const service = (await raw(emulator, "POST", "/v1/Services", { FriendlyName: "dump" })).body;
    const scoped = (await raw(emulator, "POST", `/v1/Services/${service.sid}/Users`, { Identity: "ivy" })).body;
    const onDefault = (await raw(emulator, "POST", "/v1/Users", { Identity: "ivy" })).body;
    const dump = (await (await fetch(`${emulator.url}/__emulator/state`)).json()) as { users: unknown[] };
    expect(dump.users).toEqual([scoped, onDefault]);
  });

  it("keeps users, their updates and deletes across a restart (journal, then snapshot)", async () => {
    const { stateFile, remove } = temporaryStateFile("emulator-users-");
    let running = await withEmulator({ stateFile });
    try {
      const kept = (await raw(running, "POST", "/v1/Users", { Identity: "jack", RoleSid: ROLE })).body;
      const gone = (await raw(running, "POST", "/v1/Users", { Identity: "kate" })).body;
      await raw(running, "POST", "/v1/Users/jack", { FriendlyName: "Jack", Attributes: '{"x":1}' });
      await raw(running, "DELETE", "/v1/Users/kate");
      expect([...loadStateFile(stateFile)!.users.keys()]).toEqual([kept.sid]);
      const before = (await raw(running, "GET", "/v1/Users/jack")).body;
      await running.close();

      running = await withEmulator({ stateFile });
      const after = (await raw(running, "GET", `/v1/Users/${kept.sid}`)).body;
      const pathOf = (user: { url: string; links: { user_conversations: string } }) => ({
        ...user,
        url: new URL(user.url).pathname,
        links: { user_conversations: new URL(user.links.user_conversations).pathname },
      });
      expect(pathOf(after)).toEqual(pathOf(before));
      expect(after).toMatchObject({ friendly_name: "Jack", attributes: '{"x":1}', role_sid: ROLE });
      expectTwilioError(await raw(running, "GET", `/v1/Users/${gone.sid}`), 404, 20404);
      // The identity index is restored too.
      expectTwilioError(await raw(running, "POST", "/v1/Users", { Identity: "jack" }), 409, 50201);
      expect((await raw(running, "POST", "/v1/Users", { Identity: "kate" })).status).toBe(201);
    } finally {
      await running.close();
      remove();
    }
  });

  it("loads a state file written before users and webhooks were kept", async () => {
    const { stateFile, remove } = temporaryStateFile("emulator-users-");
    try {
      const first = await withEmulator({ stateFile });
      const conversation = (await raw(first, "POST", "/v1/Conversations", { UniqueName: "old" })).body.sid;
      await first.close();
      const saved = JSON.parse(readFileSync(stateFile, "utf8"));
      delete saved.users;
      delete saved.webhooks;
      writeFileSync(stateFile, JSON.stringify(saved));
      const second = await withEmulator({ stateFile });
      try {
        expect((await raw(second, "GET", "/v1/Conversations/old")).body.sid).toBe(conversation);
        expect((await raw(second, "POST", "/v1/Users", { Identity: "new" })).status).toBe(201);
        expect(second.state().users).toHaveLength(1);
      } finally {
        await second.close();
      }
    } finally {
      remove();
    }
  });
});
