// Recoveries after a lost answer never take an object that another resource of this run made or
// holds, match every field sent, and look once more before failing or sending again.
import { afterEach, describe, expect, it } from "vitest";
import { createThrough, emulatorConfig, loadProvider, useEmulator } from "./harness";

const env = useEmulator();
afterEach(() => env.emulator.clearFaults());

const conversations = () => env.emulator.state().conversations as any[];
const messagesIn = (sid: string) => (env.emulator.state().messages as any[]).filter((m) => m.conversation_sid === sid);
const MEDIA = (n: number) => "ME" + String(n).repeat(32);
const CONTENT = "HX" + "1".repeat(32);

async function newConversation(name: string): Promise<string> {
  return (await env.outside("POST", "/v1/Conversations", { FriendlyName: name })).body.sid;
}

/** A provider with other settings; the runtime is shared, so the default settings come back after. */
async function withSettings<T>(kind: "conversation" | "message", overrides: Record<string, string>, work: (provider: any) => Promise<T>) {
  const provider = await loadProvider(kind, emulatorConfig(env.emulator, overrides));
  try {
    return await work(provider);
  } finally {
    await loadProvider(kind, emulatorConfig(env.emulator));
  }
}

describe("twins created in parallel", () => {
  it.each(["before", "after"] as const)(
    "two identical conversations without uniqueName, one answer lost (dropped %s): each resource gets its own",
    async (drop) => {
      env.emulator.setFaults([{ method: "POST", path: "^/v1/Conversations$", drop, count: 1 }]);
      const fields = { friendlyName: `Twins ${drop}`, attributes: { team: "twins" } };
      const [a, b] = await Promise.all([
        createThrough(env.conversations, { resourceName: `twin-a-${drop}`, ...fields }),
        createThrough(env.conversations, { resourceName: `twin-b-${drop}`, ...fields }),
      ]);
      expect(a.id).not.toBe(b.id);
      expect(conversations().filter((c) => c.friendly_name === fields.friendlyName).map((c) => c.sid).sort()).toEqual([a.id, b.id].sort());
    },
  );
});

describe("a replacement whose create answer is lost", () => {
  async function replace(declared: Record<string, unknown>, changed: Record<string, unknown>) {
    const conversationSid = await newConversation("Replaced");
    const inputs = { resourceName: "thread/photo", conversationSid, author: "ada", body: "Look", dateCreated: "2024-03-01T09:00:00Z", afterIndex: null, ...declared };
    const old = await createThrough(env.messages, inputs);
    const news = { ...inputs, ...changed };
    const diff = await env.messages.diff(old.id, old.outs, news);
    expect(diff.replaces?.length).toBeGreaterThan(0);
    env.emulator.setFaults([{ method: "POST", path: "/Messages$", drop: "before", count: 1 }]);
    const created = await createThrough(env.messages, news);
    return { old, created, messages: messagesIn(conversationSid) };
  }

  it("never takes the message being replaced (mediaSid changed: every field sent is matched)", async () => {
    const { old, created, messages } = await replace({ mediaSid: MEDIA(1) }, { mediaSid: MEDIA(2) });
    expect(created.id).not.toBe(old.id);
    expect(messages.map((m) => m.media?.[0]?.sid)).toEqual([MEDIA(1), MEDIA(2)]);
  });

  it("never takes the message being replaced when the change is one Twilio does not show (contentVariables)", async () => {
    const { old, created, messages } = await replace(
      { body: null, contentSid: CONTENT, contentVariables: { "1": "Ada" } },
      { contentVariables: { "1": "Grace" } },
    );
    expect(created.id).not.toBe(old.id);
    expect(messages.map((m) => m.sid)).toEqual([old.id, created.id]);
  });
});

describe("the last attempt of a create", () => {
  it("is applied but its answer lost: the create looks for it before failing, and finds it", async () => {
    await withSettings("conversation", { "twilio:maxAttempts": "1" }, async (provider) => {
      env.emulator.setFaults([{ method: "POST", path: "^/v1/Conversations$", drop: "after", count: 1 }]);
      const { id } = await createThrough(provider, { resourceName: "last-attempt", uniqueName: "last-attempt" });
      expect(conversations().filter((c) => c.unique_name === "last-attempt").map((c) => c.sid)).toEqual([id]);
    });
  });
});

describe("dates Twilio keeps in whole seconds", () => {
  it("a backdated message with fractional seconds whose answer is lost is found, not sent again", async () => {
    const conversationSid = await newConversation("Fractions");
    env.emulator.setFaults([{ method: "POST", path: "/Messages$", drop: "after", count: 1 }]);
    const { id } = await createThrough(env.messages, {
      resourceName: "fractions/0",
      conversationSid,
      author: "ada",
      body: "Hello",
      dateCreated: "2024-03-01T09:00:00.750Z",
      afterIndex: null,
    });
    expect(messagesIn(conversationSid).map((m) => m.sid)).toEqual([id]);
  });
});

describe("a write still landing when the client gives up", () => {
  it("is looked for again after the longest time a write can take, and never sent twice", async () => {
    const conversationSid = await newConversation("Late");
    await withSettings("message", { "twilio:requestTimeoutMs": "300", "twilio:maxWriteMs": "1500" }, async (provider) => {
      env.emulator.setFaults([{ method: "POST", path: "/Messages$", latencyMs: 900, count: 1 }]);
      const startedAt = Date.now();
      const { id } = await createThrough(provider, { resourceName: "late/0", conversationSid, body: "late", afterIndex: null });
      // Whatever was sent has landed by now.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, startedAt + 1_200 - Date.now())));
      expect(messagesIn(conversationSid).map((m) => m.sid)).toEqual([id]);
    });
  });
});

describe("a conversation created elsewhere meanwhile with fields the create did not send", () => {
  // Created "just now" for the server (dated a minute ahead, so it is surely in the window a
  // recovery looks at), with the friendly name and attributes the resource declares.
  it.each([
    ["State: inactive", { State: "inactive" }],
    ["a MessagingServiceSid", { MessagingServiceSid: "MG" + "7".repeat(32) }],
  ])("with %s is never taken by a create that sent neither (answer lost)", async (name, extra) => {
    const fields = { FriendlyName: `Elsewhere ${name}`, Attributes: JSON.stringify({ team: "elsewhere" }) };
    const dateCreated = new Date(Date.now() + 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const elsewhere = (await env.outside("POST", "/v1/Conversations", { ...fields, ...extra, DateCreated: dateCreated })).body.sid;
    env.emulator.setFaults([{ method: "POST", path: "^/v1/Conversations$", drop: "before", count: 1 }]);
    const created = await createThrough(env.conversations, {
      resourceName: `elsewhere-${Object.keys(extra)[0]}`,
      friendlyName: fields.FriendlyName,
      attributes: { team: "elsewhere" },
    });
    expect(created.id).not.toBe(elsewhere);
    const mine = conversations().find((c) => c.sid === created.id);
    expect([mine?.state, mine?.messaging_service_sid]).toEqual(["active", null]);
  });
});
