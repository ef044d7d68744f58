import { describe, expect, it } from "vitest";
import { createThrough, emulatorConfig, loadProvider, serializedProviderText, useEmulator } from "./harness";

const env = useEmulator();

const everyField = {
  resourceName: "support",
  uniqueName: "support-desk",
  friendlyName: "Support desk",
  state: "active",
  timers: { inactive: "PT1H", closed: "P1D" },
  attributes: { team: "support", tier: 2, tags: ["a", "b"] },
  messagingServiceSid: "MG00000000000000000000000000000001",
};

function storedConversation(sid: string) {
  return env.emulator.state().conversations.find((c: any) => c.sid === sid) as any;
}

async function createService(name: string): Promise<string> {
  const response = await env.outside("POST", "/v1/Services", { FriendlyName: name });
  return response.body.sid;
}

describe("the provider stored with each resource", () => {
  it.each(["conversation", "message"] as const)("%s: a quarter of 2 KB at most, with no credential, schema library or path of this machine", async (kind) => {
    const text = await serializedProviderText(kind);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(512);
    for (const secret of [env.emulator.credentials.authToken, env.emulator.credentials.apiSecret, "zod", process.cwd(), "/tmp"]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe("create", () => {
  it("creates a conversation with every field in the default service, in one request", async () => {
    env.takeRequests();
    const { id, outs } = await createThrough(env.conversations, everyField);
    const requests = env.takeRequests();
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /v1/Conversations"]);
    expect(requests[0].form).toEqual({
      UniqueName: "support-desk",
      FriendlyName: "Support desk",
      State: "active",
      "Timers.Inactive": "PT1H",
      "Timers.Closed": "P1D",
      Attributes: '{"tags":["a","b"],"team":"support","tier":2}',
      MessagingServiceSid: "MG00000000000000000000000000000001",
    });
    expect(requests[0].headers["x-twilio-webhook-enabled"]).toBe("false");
    expect(outs).toMatchObject({
      sid: id,
      accountSid: env.emulator.credentials.accountSid,
      chatServiceSid: env.emulator.defaultServiceSid,
      usesDefaultService: true,
      uniqueName: "support-desk",
      state: "active",
      attributes: everyField.attributes,
      timers: everyField.timers,
      adopted: false,
    });
    expect(outs.dateInactive).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(outs.dateClosed).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(JSON.stringify(outs)).not.toContain("undefined");
    expect(storedConversation(id)).toMatchObject({ unique_name: "support-desk", friendly_name: "Support desk" });
  });

  it("creates in a named Conversation Service through the service-scoped path", async () => {
    const serviceSid = await createService("staging");
    env.takeRequests();
    const { id, outs } = await createThrough(env.conversations, { ...everyField, resourceName: "scoped", chatServiceSid: serviceSid });
    const requests = env.takeRequests();
    // The first check naming a service verifies it exists.
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /v1/Services/${serviceSid}`, `POST /v1/Services/${serviceSid}/Conversations`]);
    expect(outs).toMatchObject({ chatServiceSid: serviceSid, usesDefaultService: false });
    expect(storedConversation(id).chat_service_sid).toBe(serviceSid);
  });

  it("creates a closed conversation as active and then closes it, since Twilio refuses closed at creation", async () => {
    env.takeRequests();
    const { id, outs } = await createThrough(env.conversations, { resourceName: "archived", uniqueName: "archived", state: "closed" });
    const requests = env.takeRequests();
    expect(requests.map((r) => [r.method, r.form.State])).toEqual([
      ["POST", "active"],
      ["POST", "closed"],
    ]);
    expect(outs.state).toBe("closed");
    expect(storedConversation(id).state).toBe("closed");
  });

  it("refuses bad input in check, before any request", async () => {
    env.takeRequests();
    const result = await env.conversations.check({}, {
      resourceName: "bad",
      uniqueName: "a/b",
      timers: { inactive: "PT30S", closed: "soon" },
      messagingServiceSid: "MG123",
    });
    // Timers: the inactive one is too short, the closed one is not a duration, and neither comes with a state.
    expect(result.failures?.map((f) => f.property).sort()).toEqual(["messagingServiceSid", "timers", "timers", "timers", "uniqueName"]);
    expect(env.takeRequests()).toEqual([]);
  });
});

describe("update", () => {
  const edits: Array<[string, unknown, Record<string, string>]> = [
    ["friendlyName", "Renamed", { FriendlyName: "Renamed" }],
    ["uniqueName", "support-desk-2", { UniqueName: "support-desk-2" }],
    ["state", "inactive", { State: "inactive" }],
    ["attributes", { team: "sales" }, { Attributes: '{"team":"sales"}' }],
    ["messagingServiceSid", "MG00000000000000000000000000000002", { MessagingServiceSid: "MG00000000000000000000000000000002" }],
    ["timers", { inactive: "PT2H", closed: "P1D" }, { "Timers.Inactive": "PT2H" }],
    ["dateCreated", "2023-06-01T08:00:00Z", { DateCreated: "2023-06-01T08:00:00Z" }],
  ];

  it.each(edits)("changes %s in place with one request that sends only that field", async (property, value, form) => {
    const inputs = { ...everyField, resourceName: `edit-${property}`, uniqueName: `edit-${property}` };
    const { id, outs } = await createThrough(env.conversations, inputs);
    const news = { ...inputs, [property]: value };
    expect(await env.conversations.diff(id, outs, news)).toEqual({ changes: true, replaces: [] });
    env.takeRequests();
    const updated = await env.conversations.update(id, outs, news);
    const requests = env.takeRequests();
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /v1/Conversations/${id}`]);
    const expectedForm = property === "timers" ? { "Timers.Inactive": "PT2H", "Timers.Closed": "P1D" } : form;
    expect(requests[0].form).toEqual(expectedForm);
    expect(await env.conversations.diff(id, updated.outs, news)).toEqual({ changes: false, replaces: [] });
  });

  it("shows no change when attributes are reordered or timers respelt", async () => {
    const { id, outs } = await createThrough(env.conversations, { ...everyField, resourceName: "cosmetic", uniqueName: "cosmetic" });
    const respelt = {
      ...everyField,
      resourceName: "cosmetic",
      uniqueName: "cosmetic",
      attributes: { tier: 2, tags: ["a", "b"], team: "support" },
      timers: { inactive: "PT60M", closed: "PT24H" },
    };
    expect(await env.conversations.diff(id, outs, respelt)).toEqual({ changes: false, replaces: [] });
  });

  it("replaces the conversation when its service changes", async () => {
    const { id, outs } = await createThrough(env.conversations, { ...everyField, resourceName: "moving", uniqueName: "moving" });
    const serviceSid = await createService("elsewhere");
    const diff = await env.conversations.diff(id, outs, { ...everyField, uniqueName: "moving", chatServiceSid: serviceSid });
    expect(diff).toEqual({ changes: true, replaces: ["chatServiceSid"] });
  });

  it("refuses to reopen a closed conversation, in diff (the outputs say what Twilio holds), before any request", async () => {
    const declared = { resourceName: "done", uniqueName: "done", state: "closed" };
    const { id, outs } = await createThrough(env.conversations, declared);
    env.takeRequests();
    const refused = await env.conversations.diff(id, outs, { ...declared, state: "active" }).catch((error: Error) => error);
    expect((refused as Error).message).toContain("can't be reopened");
    expect(env.takeRequests()).toEqual([]);
  });
});

describe("a backdated creation date", () => {
  it("is sent on create as Twilio's whole-second date, held as sent, and then shows no change", async () => {
    env.takeRequests();
    const inputs = { resourceName: "backdated", uniqueName: "backdated", dateCreated: "2023-06-01T08:00:00.250Z" };
    const { id, outs } = await createThrough(env.conversations, inputs);
    const requests = env.takeRequests();
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /v1/Conversations"]);
    expect(requests[0].form).toEqual({ UniqueName: "backdated", DateCreated: "2023-06-01T08:00:00Z" });
    expect(outs.dateCreated).toBe("2023-06-01T08:00:00Z");
    expect(storedConversation(id).date_created).toBe("2023-06-01T08:00:00Z");
    expect(await env.conversations.diff(id, outs, inputs)).toEqual({ changes: false, replaces: [] });
  });

  it("left out, is Twilio's own and never a change", async () => {
    const inputs = { resourceName: "stamped", uniqueName: "stamped" };
    const { id, outs } = await createThrough(env.conversations, inputs);
    expect(outs.dateCreated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await env.conversations.diff(id, outs, inputs)).toEqual({ changes: false, replaces: [] });
  });
});

describe("email bindings", () => {
  const sender = { email: { address: "support@example.com", name: "Support desk" } };

  it("creates with the email sender in Twilio's form keys, and records it as Twilio answers it", async () => {
    env.takeRequests();
    const inputs = { resourceName: "mail", uniqueName: "mail", bindings: sender };
    const { id, outs } = await createThrough(env.conversations, inputs);
    const [request] = env.takeRequests();
    expect(request.form).toEqual({ UniqueName: "mail", "Bindings.Email.Address": "support@example.com", "Bindings.Email.Name": "Support desk" });
    expect(outs.bindings).toEqual(sender);
    expect(storedConversation(id).bindings).toEqual({ email: { projected_address: "support@example.com", name: "Support desk" } });
    expect(await env.conversations.diff(id, outs, inputs)).toEqual({ changes: false, replaces: [] });
  });

  it("leaves a part out unmanaged, and changes the name in place with one request", async () => {
    const inputs = { resourceName: "mail-name", uniqueName: "mail-name", bindings: { email: { address: "support@example.com" } } };
    const { id, outs } = await createThrough(env.conversations, inputs);
    expect(outs.bindings).toEqual({ email: { address: "support@example.com", name: null } });
    expect(await env.conversations.diff(id, outs, inputs)).toEqual({ changes: false, replaces: [] });
    const news = { ...inputs, bindings: { email: { address: "support@example.com", name: "Help" } } };
    expect(await env.conversations.diff(id, outs, news)).toEqual({ changes: true, replaces: [] });
    env.takeRequests();
    const updated = await env.conversations.update(id, outs, news);
    const requests = env.takeRequests();
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /v1/Conversations/${id}`]);
    expect(requests[0].form).toEqual({ "Bindings.Email.Address": "support@example.com", "Bindings.Email.Name": "Help" });
    expect(updated.outs.bindings).toEqual({ email: { address: "support@example.com", name: "Help" } });
    expect(await env.conversations.diff(id, updated.outs, news)).toEqual({ changes: false, replaces: [] });
  });

  it("refresh sees a sender changed outside, and up puts the declared one back", async () => {
    const inputs = { resourceName: "mail-drift", uniqueName: "mail-drift", bindings: sender };
    const { id, outs } = await createThrough(env.conversations, inputs);
    await env.outside("POST", `/v1/Conversations/${id}`, { "Bindings.Email.Address": "other@example.com" });
    const read = await env.conversations.read(id, outs);
    expect(read.props.bindings).toEqual({ email: { address: "other@example.com", name: "Support desk" } });
    expect(read.inputs.bindings).toEqual({ email: { address: "other@example.com", name: "Support desk" } });
    expect(await env.conversations.diff(id, read.props, inputs)).toEqual({ changes: true, replaces: [] });
    const updated = await env.conversations.update(id, read.props, inputs);
    expect(updated.outs.bindings).toEqual(sender);
  });

  it("check refuses an address that is none, before any request", async () => {
    env.takeRequests();
    const result = await env.conversations.check({}, { resourceName: "bad-mail", bindings: { email: { address: "support" } } });
    expect(result.failures).toEqual([{ property: "bindings", reason: expect.stringContaining('"support" is not an email address') }]);
    expect(env.takeRequests()).toEqual([]);
  });
});

describe("refresh and delete", () => {
  it("finds a change made outside and puts the declared value back", async () => {
    const inputs = { ...everyField, resourceName: "drift", uniqueName: "drift" };
    const { id, outs } = await createThrough(env.conversations, inputs);
    await env.outside("POST", `/v1/Conversations/${id}`, { FriendlyName: "Changed by hand", Attributes: '{"team":"x"}' });
    const read = await env.conversations.read(id, outs);
    expect(read.props).toMatchObject({ friendlyName: "Changed by hand", attributes: { team: "x" } });
    expect(read.inputs).toMatchObject({ friendlyName: "Changed by hand", attributes: { team: "x" }, uniqueName: "drift" });
    expect(read.inputs).not.toHaveProperty("sid");
    expect(await env.conversations.diff(id, read.props, inputs)).toEqual({ changes: true, replaces: [] });
    const updated = await env.conversations.update(id, read.props, inputs);
    expect(updated.outs).toMatchObject({ friendlyName: "Support desk", attributes: everyField.attributes });
    expect(storedConversation(id).friendly_name).toBe("Support desk");
  });

  it("reads a conversation deleted outside as gone", async () => {
    const { id, outs } = await createThrough(env.conversations, { resourceName: "gone", uniqueName: "gone" });
    await env.outside("DELETE", `/v1/Conversations/${id}`);
    expect(await env.conversations.read(id, outs)).toEqual({ id: "" });
  });

  it("deletes idempotently: a conversation already gone counts as deleted", async () => {
    const { id, outs } = await createThrough(env.conversations, { resourceName: "twice", uniqueName: "twice" });
    await env.conversations.delete(id, outs);
    await env.conversations.delete(id, outs);
    expect(env.takeRequests().filter((r) => r.method === "DELETE").map((r) => r.status)).toEqual([204, 404]);
    expect(storedConversation(id)).toBeUndefined();
  });
});

describe("adoption", () => {
  async function existing(uniqueName: string): Promise<string> {
    const response = await env.outside("POST", "/v1/Conversations", { UniqueName: uniqueName, FriendlyName: "Made by hand" });
    return response.body.sid;
  }

  it("never: a clash is an error that says how to adopt", async () => {
    await existing("taken");
    const error = await createThrough(env.conversations, { resourceName: "clash", uniqueName: "taken" }).catch((e) => e);
    expect(error.message).toContain('create conversation "clash" failed (HTTP 409, Twilio error 50353)');
    expect(error.message).toContain("adopt: ifExists");
  });

  it("ifExists: takes over the existing conversation and applies the declared fields", async () => {
    const sid = await existing("adopt-me");
    env.takeRequests();
    const { id, outs } = await createThrough(env.conversations, {
      resourceName: "adopter",
      uniqueName: "adopt-me",
      friendlyName: "Now managed",
      adopt: "ifExists",
    });
    expect(id).toBe(sid);
    expect(outs.adopted).toBe(true);
    expect(env.takeRequests().map((r) => `${r.method} ${r.path} ${JSON.stringify(r.form)}`)).toEqual([
      "GET /v1/Conversations/adopt-me {}",
      `POST /v1/Conversations/${sid} {"FriendlyName":"Now managed"}`,
    ]);
    expect(env.emulator.state().conversations.filter((c: any) => c.unique_name === "adopt-me")).toHaveLength(1);
  });

  it("ifExists: creates the conversation when there is none", async () => {
    const { outs } = await createThrough(env.conversations, { resourceName: "fresh", uniqueName: "fresh-one", adopt: "ifExists" });
    expect(outs.adopted).toBe(false);
    expect(env.emulator.state().conversations.filter((c: any) => c.unique_name === "fresh-one")).toHaveLength(1);
  });

  it("require: fails clearly when there is nothing to adopt, and adopts when there is", async () => {
    const error = await createThrough(env.conversations, { resourceName: "strict", uniqueName: "missing", adopt: "require" }).catch((e) => e);
    expect(error.message).toContain('adopt conversation "strict" failed: no conversation with uniqueName "missing" exists');
    expect(env.emulator.state().conversations.filter((c: any) => c.unique_name === "missing")).toHaveLength(0);
    const sid = await existing("present");
    const { id } = await createThrough(env.conversations, { resourceName: "strict", uniqueName: "present", adopt: "require" });
    expect(id).toBe(sid);
  });
});

describe("credentials", () => {
  it("a refused login names the operation and Twilio's code, and never shows the secret", async () => {
    const wrongToken = "wrong-token-0123456789";
    const provider = await loadProvider("conversation", emulatorConfig(env.emulator, { "twilio:authToken": wrongToken }));
    const error = await provider.create({ resourceName: "login" }).catch((e) => e);
    expect(error.message).toContain('create conversation "login" failed (HTTP 401, Twilio error 20003)');
    expect(error.message).toContain("hint: the Twilio credentials were refused");
    expect(error.message + error.stack).not.toContain(wrongToken);
  });

  it("works with an API key and secret", async () => {
    const { apiKey, apiSecret } = env.emulator.credentials;
    const provider = await loadProvider("conversation", {
      "twilio:accountSid": env.emulator.credentials.accountSid,
      "twilio:apiKey": apiKey,
      "twilio:apiSecret": apiSecret,
      "twilio:conversationsBaseUrl": env.emulator.url,
    });
    const { outs } = await createThrough(provider, { resourceName: "keyed", uniqueName: "keyed" });
    expect(outs.uniqueName).toBe("keyed");
  });
});
