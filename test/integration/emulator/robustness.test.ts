// No request can crash the emulator: malformed request lines, headers, bodies and encodings, sent
// over raw TCP to the CLI running as its own process, each get a Twilio-shaped answer (or, for a
// request cut short by the client, none), never a 5xx unless the fault injector was asked for one,
// and afterwards the process still answers a list of conversations and its state.
import { connect } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../emulator";
import { raw, spawnEmulator, transpiledEmulatorCli, withEmulator, type EmulatorProcess } from "./support";

const AUTH = "Basic " + Buffer.from("AC00000000000000000000000000000000:emulator-auth-token").toString("base64");
const SEED = 0x13;
const RANDOM_CASES = 300;
const CASE_TIMEOUT_MS = 3_000;
/** A conversation the fuzz cases update; created before they run. */
const FUZZ_CONVERSATION = "fuzz-target";

interface Case {
  name: string;
  bytes: Buffer;
  /** No complete request is sent (the client stops first): the server may close without answering. */
  incomplete?: boolean;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** mulberry32: a small deterministic generator, so a failing case can be replayed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function request(head: string, body: Buffer | string = ""): Buffer {
  return Buffer.concat([Buffer.from(head, "latin1"), Buffer.isBuffer(body) ? body : Buffer.from(body, "latin1")]);
}

function post(path: string, body: Buffer | string, headers = ""): Buffer {
  const length = Buffer.isBuffer(body) ? body.length : Buffer.byteLength(body, "latin1");
  return request(
    `POST ${path} HTTP/1.1\r\nHost: fuzz\r\nAuthorization: ${AUTH}\r\n${headers}Content-Length: ${length}\r\n\r\n`,
    body,
  );
}

const get = (target: string, headers = `Authorization: ${AUTH}\r\n`) =>
  request(`GET ${target} HTTP/1.1\r\nHost: fuzz\r\n${headers}\r\n`);

/** Hand-written cases: each one a way a request can be wrong. */
function knownCases(): Case[] {
  const cases: Case[] = [];
  const add = (name: string, bytes: Buffer, incomplete = false) => cases.push({ name, bytes, incomplete });
  for (const target of ["//", "///", "//[", "//[::1", "//@", "//a:b@c", "http://[", "http://", "*", "%zz", "?", "/?%", "/v1/Conversations/%E0%A4%A"]) {
    add(`GET ${target} without credentials`, request(`GET ${target} HTTP/1.1\r\nHost: fuzz\r\n\r\n`));
    add(`GET ${target} with credentials`, get(target));
  }
  add("absolute-form target", get("http://fuzz/v1/Conversations?PageSize=1"));
  add("CONNECT", request("CONNECT fuzz:443 HTTP/1.1\r\nHost: fuzz:443\r\n\r\n"));
  add("Upgrade: websocket", get("/v1/Services", `Authorization: ${AUTH}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n`));
  add("OPTIONS *", request("OPTIONS * HTTP/1.1\r\nHost: fuzz\r\n\r\n"));
  add("unknown method", request("BREW /v1/Conversations HTTP/1.1\r\nHost: fuzz\r\n\r\n"));
  add("PUT on a known path", request(`PUT /v1/Conversations HTTP/1.1\r\nHost: fuzz\r\nAuthorization: ${AUTH}\r\nContent-Length: 0\r\n\r\n`));
  add("PATCH on a known path", request(`PATCH /v1/Services HTTP/1.1\r\nHost: fuzz\r\nAuthorization: ${AUTH}\r\nContent-Length: 0\r\n\r\n`));
  add("lower-case method", request("get / HTTP/1.1\r\nHost: fuzz\r\n\r\n"));
  add("HTTP/9.9", request("GET / HTTP/9.9\r\nHost: fuzz\r\n\r\n"));
  add("no version", request("GET /\r\n\r\n"));
  add("bare line feeds", request("GET / HTTP/1.1\nHost: fuzz\n\n"));
  add("garbage line", request("\x00\x01\x02 nonsense \xff\xfe\r\n\r\n"));
  add("empty lines only", request("\r\n\r\n\r\n"), true);
  add("NUL in path", request("GET /v1/\x00Conversations HTTP/1.1\r\nHost: fuzz\r\n\r\n"));
  add("raw 0xFF bytes in path", request(`GET /v1/Conversations/\xff\xfe HTTP/1.1\r\nHost: fuzz\r\nAuthorization: ${AUTH}\r\n\r\n`));
  add("header without a colon", request("GET / HTTP/1.1\r\nHost fuzz\r\n\r\n"));
  add("space before colon", request("GET / HTTP/1.1\r\nHost : fuzz\r\n\r\n"));
  add("obsolete line folding", request("GET / HTTP/1.1\r\nHost: fuzz\r\nX-A: 1\r\n  folded\r\n\r\n"));
  add("64 KiB header", request(`GET / HTTP/1.1\r\nHost: fuzz\r\nX-Big: ${"a".repeat(64 * 1024)}\r\n\r\n`));
  add("2,000 headers", request(`GET / HTTP/1.1\r\nHost: fuzz\r\n${Array.from({ length: 2000 }, (_, i) => `X-H${i}: v\r\n`).join("")}\r\n`));
  add("non-ASCII header value", request(`GET /v1/Services HTTP/1.1\r\nHost: f\xfczz\r\nAuthorization: ${AUTH}\r\nX-Name: \xe9\xff\r\n\r\n`));
  add("Host with a URL inside", request(`GET /v1/Services HTTP/1.1\r\nHost: a/b?c#d@[\r\nAuthorization: ${AUTH}\r\n\r\n`));
  for (const authorization of ["Basic", "Basic !!!", "Basic " + Buffer.from("no-colon").toString("base64"), "Bearer x", "Basic " + "QUFB".repeat(5000)]) {
    add(`Authorization: ${authorization.slice(0, 20)}`, get("/v1/Services", `Authorization: ${authorization}\r\n`));
  }
  add("Content-Length: abc", request(`POST /v1/Services HTTP/1.1\r\nHost: fuzz\r\nContent-Length: abc\r\n\r\n`));
  add("Content-Length: -1", request(`POST /v1/Services HTTP/1.1\r\nHost: fuzz\r\nContent-Length: -1\r\n\r\n`));
  add("two different Content-Lengths", request(`POST /v1/Services HTTP/1.1\r\nHost: fuzz\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd`));
  add("Content-Length and chunked", request(`POST /v1/Services HTTP/1.1\r\nHost: fuzz\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`));
  add("bad chunk size", request(`POST /v1/Services HTTP/1.1\r\nHost: fuzz\r\nAuthorization: ${AUTH}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n`));
  add("unknown transfer encoding", request(`POST /v1/Services HTTP/1.1\r\nHost: fuzz\r\nTransfer-Encoding: gzip\r\n\r\nabc`));
  add("Content-Length larger than the body", request(`POST /v1/Services HTTP/1.1\r\nHost: fuzz\r\nAuthorization: ${AUTH}\r\nContent-Length: 100\r\n\r\nabc`), true);
  add("Content-Length of 10 GB, body cut short", request(`POST /v1/Services HTTP/1.1\r\nHost: fuzz\r\nAuthorization: ${AUTH}\r\nContent-Length: 10000000000\r\n\r\nabc`), true);
  add("Content-Length shorter than the body", request(`POST /v1/Services HTTP/1.1\r\nHost: fuzz\r\nAuthorization: ${AUTH}\r\nContent-Length: 2\r\n\r\nFriendlyName=x`));
  add("Expect: 100-continue", post("/v1/Services", "FriendlyName=x", "Expect: 100-continue\r\n"));
  add("Expect: nonsense", post("/v1/Services", "FriendlyName=x", "Expect: the-unexpected\r\n"));
  add("2 MiB form body", post("/v1/Conversations", "FriendlyName=" + "a".repeat(2 * 1024 * 1024)));
  add("2 MiB chunked body", request(`POST /v1/Conversations HTTP/1.1\r\nHost: fuzz\r\nAuthorization: ${AUTH}\r\nTransfer-Encoding: chunked\r\n\r\n200000\r\n${"a".repeat(0x200000)}\r\n0\r\n\r\n`));
  add("2 MiB admin body", request(`PUT /__emulator/faults HTTP/1.1\r\nHost: fuzz\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n${"[".repeat(2 * 1024 * 1024)}`));
  add("invalid UTF-8 in a form value", post("/v1/Conversations", Buffer.concat([Buffer.from("FriendlyName="), Buffer.from([0xc3, 0x28, 0xff])])));
  add("percent-encoded invalid UTF-8", post("/v1/Conversations", "FriendlyName=%C3%28%FF"));
  add("percent-encoded lone surrogate", post("/v1/Conversations", "FriendlyName=%ED%A0%80"));
  add("truncated percent sequences", post("/v1/Conversations", "FriendlyName=%&UniqueName=%4&Attributes=%%%"));
  add("percent-encoded NUL", post("/v1/Conversations", "FriendlyName=a%00b"));
  add("key only, no value", post("/v1/Conversations", "FriendlyName&&&=&=x"));
  add("__proto__ form key", post("/v1/Conversations", "__proto__=x&constructor=y&FriendlyName=z"));
  add("JSON body as form", post("/v1/Conversations", '{"FriendlyName":"x"}', "Content-Type: application/json\r\n"));
  add("bad Content-Type", post("/v1/Conversations", "FriendlyName=x", "Content-Type: ;;;=\x01\r\n"));
  add("multipart Content-Type", post("/v1/Conversations", "--b\r\n\r\nx\r\n--b--", "Content-Type: multipart/form-data; boundary=b\r\n"));
  add("gzip Content-Encoding", post("/v1/Conversations", "\x1f\x8b\x08\x00garbage", "Content-Encoding: gzip\r\n"));
  add("odd query encodings", get("/v1/Conversations?PageSize=%FF&Page=%&PageToken=%E0%A4%A&State=%00&StartDate=%2"));
  add("huge PageSize", get("/v1/Conversations?PageSize=1e309&Page=-1"));
  add("bad PageToken", get("/v1/Conversations?PageToken=" + "%7B".repeat(500)));
  add("bad faults JSON", request(`PUT /__emulator/faults HTTP/1.1\r\nHost: fuzz\r\nContent-Length: 5\r\n\r\n{"a":`));
  add("faults rule with a bad regular expression", request(`PUT /__emulator/faults HTTP/1.1\r\nHost: fuzz\r\nContent-Length: 12\r\n\r\n{"path":"("}`));
  add("unknown admin endpoint", request("GET /__emulator/%zz HTTP/1.1\r\nHost: fuzz\r\n\r\n"));
  add("pipelined: good then garbage", Buffer.concat([get("/v1/Services"), request("\x00\x00\x00\r\n\r\n")]));
  // Durations whose end is past any date the emulator can answer (issue 13).
  add("Timers.Closed=P99999999999999W on create", post("/v1/Conversations", "State=active&Timers.Closed=P99999999999999W"));
  add("Timers.Inactive=P99999999999999W on create", post("/v1/Conversations", "State=active&Timers.Inactive=P99999999999999W"));
  add(`Timers.Closed=P99999999999999W on update of ${FUZZ_CONVERSATION}`, post(`/v1/Conversations/${FUZZ_CONVERSATION}`, "Timers.Closed=P99999999999999W"));
  add(`Timers.Inactive with 400 digits on update of ${FUZZ_CONVERSATION}`, post(`/v1/Conversations/${FUZZ_CONVERSATION}`, `Timers.Inactive=P${"9".repeat(400)}W`));
  add("clock advance of P99999999999999W", post("/__emulator/clock", '{"advance":"P99999999999999W"}', "Content-Type: application/json\r\n"));
  add("clock advance of 1e20 ms", post("/__emulator/clock", '{"advance":1e20}', "Content-Type: application/json\r\n"));
  // Account-level resources (issue 11): the configuration singletons, address configurations, credentials.
  add("account configuration with an odd default service and timers", post("/v1/Configuration", "DefaultChatServiceSid=%FF&DefaultInactiveTimer=P99999999999999W&DefaultClosedTimer=__proto__"));
  add("account webhooks with __proto__ filters", post("/v1/Configuration/Webhooks", "Filters=__proto__&Filters=constructor&Method=%00&PostWebhookUrl=http://[&Target=__proto__"));
  add("an address configuration with 6 000 webhook filters", post("/v1/Configuration/Addresses", "Type=sms&Address=%2B15558675310&AutoCreation.Enabled=true&AutoCreation.Type=webhook&AutoCreation.WebhookUrl=https://x.example" + "&AutoCreation.WebhookFilters=onMessageAdded".repeat(6_000)));
  add("an address configuration for a 100 KB address", post("/v1/Configuration/Addresses", "Type=__proto__&Address=" + "9".repeat(100 * 1024) + "&AutoCreation.StudioRetryCount=" + "9".repeat(400)));
  add("an address configuration fetched by an odd address", get("/v1/Configuration/Addresses/%E2%82%AC%20%2F"));
  add("a credential with a 100 KB certificate", post("/v1/Credentials", "Type=apn&Sandbox=__proto__&Certificate=" + "c".repeat(100 * 1024)));
  add("a credential of type __proto__", post("/v1/Credentials", "Type=__proto__&Type=constructor&Secret=%FF"));
  // Participants (issue 10) of the fuzz target: odd identities, addresses and read indexes.
  const participants = `/v1/Conversations/${FUZZ_CONVERSATION}/Participants`;
  add("participant with an invalid UTF-8 identity", post(participants, "Identity=%FF%FE"));
  add("participant with a 100 KB identity", post(participants, "Identity=" + "a".repeat(100 * 1024)));
  add("participant with an identity and an address", post(participants, "Identity=a&MessagingBinding.Address=%2B15558675310"));
  add("participant address of 100 KB", post(participants, `MessagingBinding.Address=${"9".repeat(100 * 1024)}&MessagingBinding.ProxyAddress=%2B1`));
  add("participant address with a NUL", post(participants, "MessagingBinding.Address=%2B1555%00&MessagingBinding.ProxyAddress=%2B15017122661"));
  add("participant projected address 'null' on create", post(participants, "MessagingBinding.ProjectedAddress=null"));
  add("participant created twice at once", Buffer.concat([post(participants, "Identity=twin"), post(participants, "Identity=twin")]));
  add("participant fetched by an odd identity", get(`${participants}/%E2%82%AC%20%2F`));
  add("participant read index of 400 digits", post(`${participants}/MB00000000000000000000000000000000`, `LastReadMessageIndex=${"9".repeat(400)}`));
  add("participant list with PageSize=0", get(`${participants}?PageSize=0`));
  add("participant list with a bad PageToken", get(`${participants}?PageToken=PT%FF`));
  // Repeated keys (how arrays arrive), __proto__ among them, on the routes that read them.
  add(
    "repeated and __proto__ webhook filters",
    post(`/v1/Conversations/${FUZZ_CONVERSATION}/Webhooks`, "Target=webhook&Configuration.Url=https://x.example&Configuration.Filters=__proto__&Configuration.Filters=constructor&__proto__=1&__proto__=2"),
  );
  add(
    "6 000 trigger keywords",
    post(`/v1/Conversations/${FUZZ_CONVERSATION}/Webhooks`, "Target=trigger&Configuration.Url=https://x.example" + "&Configuration.Triggers=k".repeat(6_000)),
  );
  add("a user named __proto__", post("/v1/Users", "Identity=__proto__&Identity=constructor"));
  add("a user path of 3000 characters", get(`/v1/Users/${"u".repeat(3000)}`));
  // Roles and a service's configuration singletons (issue 11): repeated and odd permissions, filters and flags.
  add("a role with __proto__ permissions", post("/v1/Roles", "FriendlyName=__proto__&Type=conversation&Permission=__proto__&Permission=constructor&__proto__=1"));
  add("a role with 6 000 permissions", post("/v1/Roles", "FriendlyName=many&Type=service" + "&Permission=joinConversation".repeat(6_000)));
  add("a role of type __proto__", post("/v1/Roles", "FriendlyName=x&Type=__proto__&Permission=sendMessage"));
  add("a role update with a 100 KB permission", post("/v1/Roles/RL00000000000000000000000000000000", "Permission=" + "p".repeat(100 * 1024)));
  add("a role path of 3000 characters", get(`/v1/Roles/${"r".repeat(3000)}`));
  const configuration = `/v1/Services/IS00000000000000000000000000000000/Configuration`;
  add("configuration of an unknown service with an odd role SID", post(configuration, "DefaultConversationRoleSid=%FF&ReachabilityEnabled=__proto__"));
  add("notifications of an unknown service with odd flags", post(`${configuration}/Notifications`, "LogEnabled=%00&NewMessage.WithMedia.Enabled=constructor"));
  add("service webhooks of an unknown service with __proto__ filters", post(`${configuration}/Webhooks`, "Filters=__proto__&Filters=constructor&Method=%FF&PreWebhookUrl=http://["));
  return cases;
}

const METHODS = ["GET", "POST", "DELETE", "PUT", "HEAD", "OPTIONS", "PATCH", "TRACE", "CONNECT", "G\x00T", ""];
const SEGMENTS = ["v1", "Conversations", "Services", "Messages", "Participants", "Webhooks", "Users", "", "%", "%zz", "%FF", "%E2%82", "[", "]", "..", ".", "@", ":", "\xff", "ISx", "CH00000000000000000000000000000000", "MB00000000000000000000000000000000", "WH00000000000000000000000000000000", "US00000000000000000000000000000000", "Roles", "Configuration", "Notifications", "RL00000000000000000000000000000000", "Addresses", "Credentials", "IG00000000000000000000000000000000", "CR00000000000000000000000000000000", FUZZ_CONVERSATION, "__emulator", "state", "a".repeat(3000)];
const FORM_KEYS = ["FriendlyName", "UniqueName", "Attributes", "State", "Timers.Inactive", "Timers.Closed", "Body", "Author", "DateCreated", "MessagingServiceSid", "MessagingBinding.Address", "MessagingBinding.ProxyAddress", "MessagingBinding.ProjectedAddress", "LastReadMessageIndex", "LastReadTimestamp", "Target", "Configuration.Url", "Configuration.Filters", "Configuration.Triggers", "Configuration.FlowSid", "Configuration.ReplayAfter", "Identity", "RoleSid", "Type", "Permission", "DefaultConversationRoleSid", "DefaultChatServiceRoleSid", "ReachabilityEnabled", "LogEnabled", "NewMessage.Enabled", "NewMessage.WithMedia.Template", "PreWebhookUrl", "Filters", "Method", "DefaultChatServiceSid", "DefaultInactiveTimer", "Address", "AutoCreation.Enabled", "AutoCreation.Type", "AutoCreation.WebhookFilters", "Certificate", "Sandbox", "Secret", "", "%", "__proto__"];
const FORM_VALUES = ["", "x", "%", "%FF", "%C3%A9", "%E2%82", "{", "{}", "P99999999999999W", "PT1M", "closed", "null", "+15558675310", "whatsapp:+15558675310", "9".repeat(400), "\xff\xfe", "+%2B+", "%00", "😀".repeat(20)];

/** Random requests assembled from the pieces above: a deterministic function of SEED. */
function randomCases(count: number): Case[] {
  const random = generator(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const cases: Case[] = [];
  for (let i = 0; i < count; i++) {
    const method = pick(METHODS);
    const path = "/" + Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(SEGMENTS)).join("/");
    const query = random() < 0.4 ? "?" + Array.from({ length: 3 }, () => `${pick(FORM_KEYS)}=${pick(FORM_VALUES)}`).join("&") : "";
    const form = Array.from({ length: Math.floor(random() * 5) }, () => `${pick(FORM_KEYS)}=${pick(FORM_VALUES)}`).join("&");
    const body = random() < 0.1 ? Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256))) : Buffer.from(form, "utf8");
    const headers = [
      random() < 0.8 ? `Authorization: ${random() < 0.9 ? AUTH : "Basic " + pick(FORM_VALUES)}` : "",
      random() < 0.5 ? `Content-Type: ${pick(["application/x-www-form-urlencoded", "application/json", "text/plain; charset=latin1", "", "\xff"])}` : "",
      random() < 0.2 ? `X-Twilio-Webhook-Enabled: ${pick(FORM_VALUES)}` : "",
      random() < 0.9 ? `Content-Length: ${body.length}` : `Content-Length: ${pick(["", "x", "-0", "+1", " 1 2"])}`,
    ].filter((line) => line !== "");
    cases.push({
      name: `random #${i}: ${JSON.stringify(`${method} ${path}${query}`.slice(0, 80))}`,
      bytes: request(`${method} ${path}${query} HTTP/1.1\r\nHost: fuzz\r\n${headers.map((line) => line + "\r\n").join("")}\r\n`, body),
    });
  }
  return cases;
}

/** Sends raw bytes, half-closes, and collects everything the server writes until it closes. */
function exchange(port: number, bytes: Buffer, head = false): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: "127.0.0.1", port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Buffer.concat(chunks));
    }, CASE_TIMEOUT_MS);
    socket.on("data", (chunk) => {
      chunks.push(chunk);
      // One full answer is enough: stop once it is complete.
      const answer = firstAnswer(Buffer.concat(chunks), head);
      if (answer) {
        clearTimeout(timer);
        socket.destroy();
        resolve(Buffer.concat(chunks));
      }
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      // The server may reset after answering (e.g. the rest of a refused request unread).
      if (error.code === "ECONNRESET" || error.code === "EPIPE") resolve(Buffer.concat(chunks));
      else reject(error);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    socket.end(bytes);
  });
}

/** The first final (non-1xx) answer in the bytes, once complete (an answer to HEAD has no body). */
function firstAnswer(bytes: Buffer, head = false): Answer | null {
  let rest = bytes.toString("latin1");
  for (;;) {
    const headEnd = rest.indexOf("\r\n\r\n");
    if (headEnd < 0) return null;
    const [statusLine, ...lines] = rest.slice(0, headEnd).split("\r\n");
    const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1] ?? NaN);
    if (Number.isNaN(status)) throw new Error(`not an HTTP answer: ${JSON.stringify(rest.slice(0, 200))}`);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    rest = rest.slice(headEnd + 4);
    if (status < 200) continue;
    const length = head ? 0 : Number(headers["content-length"] ?? 0);
    if (rest.length < length) return null;
    return { status, headers, body: Buffer.from(rest.slice(0, length), "latin1").toString("utf8") };
  }
}

/** True when the case asks the fault injector for faults (which may then answer 5xx on purpose). */
function setsFaults(testCase: Case, answer: Answer): boolean {
  return /^(PUT|POST) \/__emulator\/faults[ ?]/.test(testCase.bytes.toString("latin1")) && answer.status < 300;
}

/** An answer the fault injector gives: `errors.injected`'s code and message for the status. */
function isInjectedFault(answer: Answer): boolean {
  const injected: Record<number, [number, string]> = { 500: [20500, "Internal Server Error"], 503: [20503, "Service Unavailable"] };
  try {
    const body = JSON.parse(answer.body);
    const expected = injected[answer.status];
    return expected !== undefined && body.code === expected[0] && body.message === expected[1];
  } catch {
    return false;
  }
}

/** What is wrong with an answer, or null when it is a proper answer. */
function answerProblem(answer: Answer, head = false): string | null {
  if (!/^RQ[0-9a-f]{32}$/.test(answer.headers["twilio-request-id"] ?? "")) return `no Twilio-Request-Id: ${JSON.stringify(answer.headers)}`;
  if ((answer.status === 204 || head) && answer.body === "") return null;
  let body: any;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return `a ${answer.status} body that is not JSON: ${answer.body.slice(0, 200)}`;
  }
  if (answer.status < 400) return null;
  const shaped =
    typeof body.code === "number" &&
    typeof body.message === "string" &&
    body.more_info === `https://www.twilio.com/docs/errors/${body.code}` &&
    body.status === answer.status &&
    Object.keys(body).sort().join() === "code,message,more_info,status";
  return shaped ? null : `a ${answer.status} error that is not Twilio-shaped: ${answer.body.slice(0, 200)}`;
}

async function inBatches<T>(items: T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(each));
}

describe("robustness: no request crashes the emulator", () => {
  let emulator: EmulatorProcess;
  beforeAll(async () => {
    emulator = await spawnEmulator(transpiledEmulatorCli());
  });
  afterAll(() => {
    emulator?.child.kill("SIGTERM");
  });

  const port = () => Number(new URL(emulator.url).port);

  it("answers GET //, /// and //[ without credentials with 401 / 20003 and keeps serving", async () => {
    for (const target of ["//", "///", "//["]) {
      const answer = firstAnswer(await exchange(port(), request(`GET ${target} HTTP/1.1\r\nHost: fuzz\r\n\r\n`)));
      expect(answer, target).not.toBeNull();
      expect(answerProblem(answer!), target).toBeNull();
      expect(JSON.parse(answer!.body), target).toMatchObject({ status: 401, code: 20003 });
    }
    const served = firstAnswer(await exchange(port(), get("//")));
    expect(JSON.parse(served!.body)).toMatchObject({ status: 404, code: 20404 });
    expect(emulator.child.exitCode).toBeNull();
  });

  it(`answers every malformed request (known cases and ${RANDOM_CASES} random ones, seed ${SEED}) with a Twilio-shaped answer`, async () => {
    const target = await fetch(`${emulator.url}/v1/Conversations`, {
      method: "POST",
      headers: { Authorization: AUTH, "Content-Type": "application/x-www-form-urlencoded" },
      body: `UniqueName=${FUZZ_CONVERSATION}&State=active&Timers.Closed=PT1H`,
    });
    expect(target.status).toBe(201);
    const cases = [...knownCases(), ...randomCases(RANDOM_CASES)];
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    // A 5xx is the emulator failing, unless a case asked the fault injector for it.
    const serverErrors: Array<{ name: string; answer: Answer }> = [];
    let faultsAskedFor = false;
    await inBatches(cases, 8, async (testCase) => {
      const head = testCase.bytes.subarray(0, 5).toString("latin1") === "HEAD ";
      const bytes = await exchange(port(), testCase.bytes, head);
      let answer: Answer | null;
      try {
        answer = firstAnswer(bytes, head);
      } catch (error) {
        problems.push(`${testCase.name}: ${(error as Error).message}`);
        return;
      }
      if (answer === null) {
        if (!testCase.incomplete) problems.push(`${testCase.name}: no answer (${bytes.length} bytes back)`);
        return;
      }
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (setsFaults(testCase, answer)) faultsAskedFor = true;
      if (answer.status >= 500) serverErrors.push({ name: testCase.name, answer });
      const problem = answerProblem(answer, head);
      if (problem) problems.push(`${testCase.name}: ${problem}`);
    });
    for (const { name, answer } of serverErrors) {
      if (!(faultsAskedFor && isInjectedFault(answer))) problems.push(`${name}: answered ${answer.status}: ${answer.body.slice(0, 200)}`);
    }
    expect(problems).toEqual([]);
    // The cases reach every layer: the parser (400/431), auth (401), routing (404/405), the rules
    // (400), the body limit (413) and success.
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([200, 201, 400, 401, 404, 405, 413, 431]));
    expect(emulator.child.exitCode).toBeNull();
    // Whatever the cases stored or moved, the emulator still answers a list and its state.
    const alive = await fetch(`${emulator.url}/v1/Conversations`, { headers: { Authorization: AUTH } });
    expect(alive.status, await alive.clone().text()).toBe(200);
    const listed = (await alive.json()) as { conversations: Array<{ unique_name: string | null }> };
    expect(listed.conversations.map((c) => c.unique_name)).toContain(FUZZ_CONVERSATION);
    const state = await fetch(`${emulator.url}/__emulator/state`);
    expect(state.status, await state.clone().text()).toBe(200);
  }, 120_000);
});

describe("request bodies and encodings", () => {
  let emulator: RunningEmulator;
  afterEach(async () => {
    await emulator?.close();
  });

  it("answers a body over 1 MiB with 413 / 20413 (Request Entity Too Large), not a reset connection", async () => {
    emulator = await withEmulator();
    const { accountSid, authToken } = emulator.credentials;
    const response = await fetch(`${emulator.url}/v1/Conversations`, {
      method: "POST",
      headers: {
        Authorization: "Basic " + Buffer.from(`${accountSid}:${authToken}`).toString("base64"),
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "FriendlyName=" + "a".repeat(1024 * 1024),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("connection")).toBe("close");
    expect(await response.json()).toEqual({
      code: 20413,
      message: "Request Entity Too Large: the request body is over 1048576 bytes",
      more_info: "https://www.twilio.com/docs/errors/20413",
      status: 413,
    });
    expect(emulator.state().conversations).toEqual([]);
    expect(emulator.requests().map((entry) => entry.status)).toEqual([413]);
    // A body of exactly 1 MiB is read.
    const atLimit = await raw(emulator, "POST", "/v1/Conversations", { FriendlyName: "a".repeat(1024 * 1024 - "FriendlyName=".length) });
    expect(atLimit.body).toMatchObject({ status: 400, code: 400, message: "FriendlyName must be at most 256 characters" });
  });

  it("refuses form values that are not UTF-8 instead of replacing the bytes", async () => {
    emulator = await withEmulator();
    for (const body of ["FriendlyName=%FF", "FriendlyName=%C3%28", "UniqueName=%ED%A0%80", Buffer.from([0x46, 0x3d, 0xe9])]) {
      const response = await fetch(`${emulator.url}/v1/Conversations`, {
        method: "POST",
        headers: { Authorization: "Basic " + Buffer.from(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`).toString("base64") },
        body,
      });
      expect(response.status, String(body)).toBe(400);
      expect(await response.json(), String(body)).toMatchObject({ code: 400, status: 400, message: expect.stringMatching(/not valid UTF-8/) });
    }
    const query = await raw(emulator, "GET", "/v1/Conversations?State=%FF");
    expect(query.body).toMatchObject({ status: 400, message: expect.stringMatching(/query string is not valid UTF-8/) });
    expect(emulator.state().conversations).toEqual([]);
    // Valid multi-byte text and a stray `%` (kept literally, as URLSearchParams does) still pass.
    const created = await raw(emulator, "POST", "/v1/Conversations?x=%", { FriendlyName: "café 😀 100%" });
    expect(created.body.friendly_name).toBe("café 😀 100%");
  });

  it("keeps a __proto__ form key in the request log instead of dropping it", async () => {
    emulator = await withEmulator();
    await raw(emulator, "POST", "/v1/Conversations", JSON.parse('{"__proto__": "x", "FriendlyName": "y"}') as Record<string, string>);
    const [entry] = emulator.requests();
    expect(Object.entries(entry.form)).toEqual([["__proto__", "x"], ["FriendlyName", "y"]]);
  });
});

describe("Twilio-Request-Id", () => {
  let emulator: RunningEmulator;
  afterEach(async () => {
    await emulator?.close();
  });

  it("is on every answer (success, 204, errors, injected faults, admin), unique, and logged with the request", async () => {
    emulator = await withEmulator();
    const ids: Array<string | null> = [];
    const created = await raw(emulator, "POST", "/v1/Conversations", { UniqueName: "support" });
    ids.push(created.headers.get("twilio-request-id"));
    ids.push((await raw(emulator, "GET", "/v1/Conversations/support")).headers.get("twilio-request-id"));
    ids.push((await raw(emulator, "POST", "/v1/Conversations", { UniqueName: "support" })).headers.get("twilio-request-id"));
    ids.push((await raw(emulator, "GET", "/v1/Services", undefined, { auth: null })).headers.get("twilio-request-id"));
    ids.push((await raw(emulator, "GET", "/v1/Nothing")).headers.get("twilio-request-id"));
    ids.push((await raw(emulator, "DELETE", `/v1/Conversations/${created.body.sid}`)).headers.get("twilio-request-id"));
    emulator.setFaults([{ status: 503, count: 1 }]);
    ids.push((await raw(emulator, "GET", "/v1/Services")).headers.get("twilio-request-id"));
    for (const [method, path] of [["GET", "state"], ["GET", "requests"], ["POST", "reset"], ["GET", "nothing"]]) {
      ids.push((await fetch(`${emulator.url}/__emulator/${path}`, { method })).headers.get("twilio-request-id"));
    }
    for (const id of ids) expect(id).toMatch(/^RQ[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("names each logged request by the id its answer carried", async () => {
    emulator = await withEmulator();
    const answer = await raw(emulator, "GET", "/v1/Conversations/missing");
    expect(emulator.requests().map((entry) => entry.requestId)).toEqual([answer.headers.get("twilio-request-id")]);
  });
});
