// `export` against the emulator over HTTP: every list read past its first page, an empty account,
// throttling answered with 429s, filters; and the adopt path taking over an exported thread.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { load } from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import { main } from "../../../provider/cli";
import { loadStackFile } from "../../../schemas/load";
import { raw } from "../emulator/support";
import { createThrough, useEmulator } from "./harness";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-export-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  stderr: string;
  text: string | null;
  file: string;
}

async function exportFrom(emulator: RunningEmulator, argv: string[], name = `export-${Math.random().toString(36).slice(2)}.yaml`): Promise<Run> {
  let stderr = "";
  const file = path.join(dir, name);
  const env = { TWILIO_ACCOUNT_SID: emulator.credentials.accountSid, TWILIO_AUTH_TOKEN: emulator.credentials.authToken, TWILIO_CONVERSATIONS_BASE_URL: emulator.url };
  const output = { out: () => undefined, err: (text: string) => void (stderr += `${text}\n`) };
  const code = await main(["export", "--out", file, ...argv], output, dir, env);
  return { code, stderr, text: fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null, file };
}

async function post(emulator: RunningEmulator, urlPath: string, form: Record<string, string> | Array<[string, string]>) {
  const answer = await raw(emulator, "POST", urlPath, form);
  if (answer.status >= 300) throw new Error(`${urlPath}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const documentOf = (run: Run) => load(run.text!) as Record<string, any>;
const pagesRead = (emulator: RunningEmulator, pathEnd: string) =>
  emulator.requests().filter((request) => request.method === "GET" && request.path.endsWith(pathEnd) && request.query.PageToken !== undefined).length;

describe("export of an account with more of each kind than one page holds", () => {
  let emulator: RunningEmulator;
  let conversationSid: string;
  beforeAll(async () => {
    emulator = await startEmulator();
    const service = (emulator.state() as any).services[0].sid as string;
    for (let n = 0; n < 51; n++) {
      await post(emulator, `/v1/Services/${service}/Roles`, [["FriendlyName", `role ${n}`], ["Type", "conversation"], ["Permission", "sendMessage"]]);
      await post(emulator, `/v1/Services/${service}/Users`, { Identity: `user-${n}` });
      await post(emulator, "/v1/Configuration/Addresses", { Type: "sms", Address: `+1500555${String(n).padStart(4, "0")}` });
      await post(emulator, "/v1/Credentials", { Type: "fcm", FriendlyName: `app ${n}`, Secret: "server-key" });
      await post(emulator, `/v1/Services/${service}/Conversations`, { UniqueName: `c-${n}` });
    }
    conversationSid = (await post(emulator, `/v1/Services/${service}/Conversations`, { UniqueName: "big" })).sid;
    for (let n = 0; n < 101; n++) {
      await post(emulator, `/v1/Services/${service}/Conversations/${conversationSid}/Participants`, { Identity: `p-${n}` });
      await post(emulator, `/v1/Services/${service}/Conversations/${conversationSid}/Messages`, { Author: `p-${n}`, Body: `message ${n}` });
    }
    emulator.clearRequests();
  }, 120_000);
  afterAll(() => emulator.close());

  it("reads every page of every list, writes every object, and gives the same bytes twice", async () => {
    const first = await exportFrom(emulator, ["--threads"]);
    expect(first.code, first.stderr).toBe(0);
    const document = documentOf(first);
    expect(Object.keys(document.roles)).toHaveLength(51 + 4);
    expect(Object.keys(document.users)).toHaveLength(51);
    expect(Object.keys(document.addressConfigurations)).toHaveLength(51);
    expect(Object.keys(document.pushCredentials)).toHaveLength(51);
    expect(Object.keys(document.conversations)).toHaveLength(52);
    expect(Object.keys(document.conversations.big.participants)).toHaveLength(101);
    expect(document.conversations.big.messages.map((message: any) => message.body)).toEqual(Array.from({ length: 101 }, (_, n) => `message ${n}`));
    for (const list of ["/Roles", "/Users", "/Configuration/Addresses", "/Credentials", "/Conversations", "/Participants", "/Messages"]) {
      expect(pagesRead(emulator, list), list).toBeGreaterThan(0);
    }
    expect(emulator.requests().filter((request) => request.method !== "GET")).toEqual([]);
    expect(first.stderr).toContain("export: read ");
    expect(first.stderr).toContain("101 messages");
    const validated = loadStackFile(first.file);
    expect(validated.ok ? [] : validated.problems).toEqual([]);

    const second = await exportFrom(emulator, ["--threads"]);
    expect(second.text).toBe(first.text);
  }, 60_000);

  it("chooses the conversations its filters name", async () => {
    const run = await exportFrom(emulator, ["--conversations", "prefix=c-1"]);
    expect(run.code, run.stderr).toBe(0);
    expect(Object.keys(documentOf(run).conversations).sort()).toEqual(["c-1", ...Array.from({ length: 10 }, (_, n) => `c-1${n}`)].sort());
    expect(documentOf(run).conversations["c-1"].messages).toBeUndefined();
  });

  it("finishes under throttling, each 429 retried, with the file it writes unthrottled", async () => {
    const calm = await exportFrom(emulator, ["--conversations"]);
    emulator.clearRequests();
    // Twilio answers 429 when an account has too many requests in flight: a third of these reads are refused.
    emulator.setFaults([{ method: "GET", status: 429, probability: 0.33, count: 60 }]);
    const throttled = await exportFrom(emulator, ["--conversations", "--concurrency", "8"]);
    emulator.clearFaults();
    expect(throttled.code, throttled.stderr).toBe(0);
    const refused = emulator.requests().filter((request) => request.status === 429).length;
    expect(refused).toBeGreaterThan(0);
    expect(throttled.text).toBe(calm.text);
  }, 120_000);
});

describe("export of an account with nothing in it", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it("writes the default service adopted, with Twilio's roles, and no conversation", async () => {
    const run = await exportFrom(emulator, ["--threads"]);
    expect(run.code, run.stderr).toBe(0);
    const service = (emulator.state() as any).services[0].sid;
    const document = documentOf(run);
    expect(document.service).toEqual({ sid: service });
    expect(document.conversations).toEqual({});
    expect(Object.keys(document)).toEqual(["service", "roles", "account", "conversations"]);
    expect(loadStackFile(run.file).ok).toBe(true);
  });

  it("fails without credentials and leaves no file; a usage error exits 64", async () => {
    let stderr = "";
    const file = path.join(dir, "never.yaml");
    const output = { out: () => undefined, err: (text: string) => void (stderr += `${text}\n`) };
    const exportWith = (args: string[]) => main(["export", ...args], output, dir, {});
    expect(await exportWith(["--out", file])).toBe(1);
    expect(stderr).toContain("export failed, nothing written: ");
    expect(stderr).toContain("no Twilio credentials are configured");
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readdirSync(dir).filter((name) => name.startsWith(".never"))).toEqual([]);
    expect(await exportWith(["--out"])).toBe(64);
    expect(await exportWith(["--help"])).toBe(0);
  });
});

describe("an exported conversation adopted with its thread", () => {
  const env = useEmulator();
  const thread = (conversationSid: string) => (env.emulator.state().messages as any[]).filter((m) => m.conversation_sid === conversationSid).map((m) => m.body);

  async function heldConversation(uniqueName: string, state: "active" | "closed") {
    const sid = (await env.outside("POST", "/v1/Conversations", { UniqueName: uniqueName })).body.sid;
    await env.outside("POST", `/v1/Conversations/${sid}/Participants`, { Identity: "ada" });
    await env.outside("POST", `/v1/Conversations/${sid}/Messages`, { Author: "ada", Body: "Hi" });
    await env.outside("POST", `/v1/Conversations/${sid}/Messages`, { Body: "Hello, Ada" });
    if (state === "closed") await env.outside("POST", `/v1/Conversations/${sid}`, { State: "closed" });
    return sid;
  }

  it("is taken over with zero writes, closed as it is (no 50377), its messages never posted again", async () => {
    const sid = await heldConversation("closed-desk", "closed");
    const run = await exportFrom(env.emulator, ["--threads"]);
    const entry = documentOf(run).conversations["closed-desk"];
    expect(entry.state).toBe("closed");
    expect(entry.messages.map((m: any) => [m.author, m.body])).toEqual([["ada", "Hi"], [undefined, "Hello, Ada"]]);
    env.takeRequests();
    const adopted = await createThrough(env.conversations, {
      resourceName: "closed-desk",
      uniqueName: entry.uniqueName,
      state: entry.state,
      adopt: entry.adopt,
      participants: entry.participants,
      messages: Object.fromEntries(entry.messages.map(({ key, ...message }: any, position: number) => [key, { ...message, ...(position ? { after: entry.messages[position - 1].key } : {}) }])),
    });
    expect(adopted.id).toBe(sid);
    expect(env.takeRequests().filter((request) => request.method !== "GET")).toEqual([]);
    expect(Object.keys((adopted.outs as any).messages)).toEqual(["m0", "m1"]);
    expect(thread(sid)).toEqual(["Hi", "Hello, Ada"]);
  });

  it("posts the declared messages Twilio does not hold yet after the ones it takes over", async () => {
    const sid = await heldConversation("growing-desk", "active");
    const adopted = await createThrough(env.conversations, {
      resourceName: "growing-desk",
      uniqueName: "growing-desk",
      adopt: "require",
      messages: { hi: { author: "ada", body: "Hi" }, hello: { body: "Hello, Ada", after: "hi" }, more: { body: "Anything else?", after: "hello" } },
    });
    expect(Object.keys((adopted.outs as any).messages)).toEqual(["hi", "hello", "more"]);
    expect(thread(sid)).toEqual(["Hi", "Hello, Ada", "Anything else?"]);
  });

  it("refuses a thread whose held messages are not the declared ones, before any write", async () => {
    const sid = await heldConversation("other-desk", "active");
    env.takeRequests();
    const inputs = { resourceName: "other-desk", uniqueName: "other-desk", adopt: "require", messages: { welcome: { body: "Welcome" } } };
    const check = await env.conversations.check({}, inputs);
    const error = await env.conversations.create(check.inputs ?? inputs).then(() => null, (failure: Error) => failure);
    expect(error?.message).toMatch(/conversation CH\w+, adopted, holds, at position 0, a message by "\w+" that is not the declared message "welcome"/);
    expect(error?.message).toContain("export --threads");
    expect(env.takeRequests().filter((request) => request.method !== "GET")).toEqual([]);
    expect(thread(sid)).toEqual(["Hi", "Hello, Ada"]);
  });
});
