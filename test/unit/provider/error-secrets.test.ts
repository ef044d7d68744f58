// Every error path of the provider, driven with known secret values: none of them may appear in
// anything an error carries (message, stack, reasons, properties, cause, any field). The
// provider methods are called as implemented, without the runtime's redacting wrapper, so what
// is checked is redaction at the source; the wrapper is a second layer on top.
import { httpAnswer, socketError, testTransport } from "../../support/transport";
import { describe, expect, it } from "vitest";
import { resolveSettings, type Settings } from "../../../provider/config";
import type { HttpAnswer } from "../../../provider/client/exchange";
import type { Transport } from "../../../provider/client/http";
import { DEFAULT_RETRY_POLICY } from "../../../provider/client/retry";
import { redactError } from "../../../provider/errors";
import { conversationProvider } from "../../../provider/resources/conversation-provider";
import { messageProvider } from "../../../provider/resources/message-provider";

const ACCOUNT = "AC" + "1".repeat(32);
const AUTH_TOKEN = "auth-token-0f1e2d3c4b5a";
const API_SECRET = "api-secret-9a8b7c6d5e4f";
const URL_PASSWORD = "url-password-5d4c3b2a";
const BASIC = Buffer.from(`${ACCOUNT}:${AUTH_TOKEN}`).toString("base64");
const SECRETS = [AUTH_TOKEN, API_SECRET, URL_PASSWORD, BASIC];
const ECHO = `token ${AUTH_TOKEN}, secret ${API_SECRET}, password ${URL_PASSWORD}, authorization: Basic ${BASIC}`;

const CH = "CH" + "a".repeat(32);
const IM = "IM" + "b".repeat(32);
const BASE = "https://conversations.example.test";

type Answer = HttpAnswer | Error;
type Provider = Required<ReturnType<typeof conversationProvider>>;
type Responder = (method: string, url: URL, call: number) => Answer;

const json = (status: number, body: unknown) =>
  httpAnswer(status, JSON.stringify(body), { "content-type": "application/json", "twilio-request-id": "RQ" + "c".repeat(32) });
const conversationJson = (state = "active") => ({ sid: CH, account_sid: ACCOUNT, state, attributes: "{}", url: `${BASE}/v1/Conversations/${CH}`, date_created: new Date().toISOString() });
const messageJson = () => ({ sid: IM, account_sid: ACCOUNT, conversation_sid: CH, index: 0, author: "system", body: "Hi", attributes: "{}", url: `${BASE}/v1/Conversations/${CH}/Messages/${IM}` });
const twilioError = (status: number, code: number) => json(status, { code, message: `refused: ${ECHO}`, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
const connectionFailure = () => socketError("ECONNRESET", `socket closed while sending ${ECHO}`);

interface ErrorPath {
  name: string;
  /** Text that shows the error came from this path, not from some earlier failure. */
  marker: string | RegExp;
  settings?: Partial<Settings>;
  respond?: Responder;
  run: (providers: { conversations: Provider; messages: Provider }) => Promise<unknown>;
}

const outputsIn = (accountSid: string) => ({ resourceName: "support", sid: CH, accountSid, url: `${BASE}/v1/Conversations/${CH}`, usesDefaultService: true, chatServiceSid: null });

const ERROR_PATHS: ErrorPath[] = [
  {
    name: "Twilio's error body echoing the credentials",
    marker: "(HTTP 400, Twilio error 50000)",
    respond: () => twilioError(400, 50000),
    run: ({ conversations }) => conversations.create({ resourceName: "support", friendlyName: "Support" }),
  },
  {
    name: "401 echoing the credentials",
    marker: "hint: the Twilio credentials were refused",
    respond: () => twilioError(401, 20003),
    run: ({ conversations }) => conversations.read(CH, outputsIn(ACCOUNT)),
  },
  {
    name: "an HTML error page echoing the Authorization header",
    marker: "(HTTP 502)",
    respond: () => httpAnswer(502, `<html><body><pre>${ECHO}</pre></body></html>`, { "content-type": "text/html" }),
    run: ({ conversations }) => conversations.read(CH, outputsIn(ACCOUNT)),
  },
  {
    name: "a connection failure whose cause echoes the request",
    marker: "could not reach https://conversations.example.test: socket closed",
    respond: () => connectionFailure(),
    run: ({ conversations }) => conversations.delete(CH, outputsIn(ACCOUNT)),
  },
  {
    name: "a timeout",
    marker: "could not reach https://conversations.example.test",
    respond: () => Object.assign(new Error(`no complete answer within 30000 ms (${ECHO})`), { name: "TimeoutError" }),
    run: ({ conversations }) => conversations.read(CH, outputsIn(ACCOUNT)),
  },
  {
    name: "a base URL with a password",
    marker: "carries credentials in it, which are never sent",
    settings: { baseUrl: `https://proxy-user:${URL_PASSWORD}@conversations.example.test` },
    respond: () => connectionFailure(),
    run: ({ conversations }) => conversations.read(CH, outputsIn(ACCOUNT)),
  },
  {
    name: "a base URL that does not parse, with a password in it",
    marker: "is not a valid URL",
    settings: { baseUrl: `https://proxy-user:${URL_PASSWORD}@conversations example test` },
    run: ({ conversations }) => conversations.read(CH, outputsIn(ACCOUNT)),
  },
  {
    name: "a 2xx that is not a conversation, echoing the credentials",
    marker: ", not a conversation",
    respond: () => httpAnswer(200, `<html>${ECHO}</html>`, { "content-type": "text/html" }),
    run: ({ conversations }) => conversations.create({ resourceName: "support", friendlyName: "Support" }),
  },
  {
    name: "a conversation created, then closing it fails (partial create)",
    marker: /^conversation CH[a]{32} was created, but close new conversation/,
    respond: (method, url) => (url.pathname.endsWith("/Conversations") ? json(201, conversationJson()) : twilioError(400, 50000)),
    run: ({ conversations }) => conversations.create({ resourceName: "support", uniqueName: "support", state: "closed" }),
  },
  {
    name: "a message created, then setting the conversation back to inactive fails (partial create)",
    marker: /^message IM[b]{32} was created, but set the conversation inactive again/,
    respond: (method, url) => (url.pathname.endsWith("/Messages") ? json(201, messageJson()) : twilioError(400, 50000)),
    run: ({ messages }) => messages.create({ resourceName: "support/0", conversationSid: CH, body: "Hi", conversationState: "inactive" }),
  },
  {
    name: "a lost answer to a create that cannot be told apart",
    marker: "cannot be told apart",
    respond: () => connectionFailure(),
    run: ({ conversations }) => conversations.create({ resourceName: "support" }),
  },
  {
    name: "a 404 that cannot mean deleted",
    marker: "which is not taken to mean deleted",
    respond: () => twilioError(404, 20404),
    run: ({ conversations }) => conversations.read(CH, outputsIn("AC" + "2".repeat(32))),
  },
  {
    name: "adopt: require without a conversation to adopt",
    marker: 'no conversation with uniqueName "support"',
    respond: () => twilioError(404, 20404),
    run: ({ conversations }) => conversations.create({ resourceName: "support", uniqueName: "support", adopt: "require" }),
  },
  {
    name: "a unique name that would change the path",
    marker: "cannot be one segment of a request path",
    run: ({ conversations }) => conversations.create({ resourceName: "support", uniqueName: "..", adopt: "ifExists" }),
  },
  {
    name: "no credentials",
    marker: "no Twilio credentials are configured",
    settings: { credentials: null },
    run: ({ conversations }) => conversations.read(CH, outputsIn(ACCOUNT)),
  },
];

function transportFor(path: ErrorPath, secrets: string[]): Transport {
  const settings: Settings = {
    ...resolveSettings(() => undefined, { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_CONVERSATIONS_BASE_URL: BASE }),
    ...path.settings,
  };
  let call = 0;
  return testTransport({
    settings: { ...settings, secrets },
    policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 2 },
    exchange: async ({ method, url }) => {
      const answer = path.respond?.(method, url, ++call) ?? new Error("unexpected request");
      if (answer instanceof Error) throw answer;
      return answer;
    },
  });
}

async function failureOf(path: ErrorPath, secrets: string[]): Promise<Error> {
  const transport = transportFor(path, secrets);
  const providers = {
    conversations: conversationProvider(() => transport) as Provider,
    messages: messageProvider(() => transport) as Provider,
  };
  const outcome = await path.run(providers).then(
    () => new Error("no error"),
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(Error);
  return outcome as Error;
}

/** Everything an error carries, as text: its fields, stack, and causes. */
function everythingIn(error: unknown, depth = 0): string {
  if (!(error instanceof Error) || depth > 5) return JSON.stringify(error) ?? String(error);
  const fields = Object.fromEntries(Object.getOwnPropertyNames(error).map((name) => [name, (error as unknown as Record<string, unknown>)[name]]));
  return [error.message, error.stack, JSON.stringify({ ...fields, cause: undefined }), everythingIn(error.cause, depth + 1)].join("\n");
}

describe("no error path shows a secret", () => {
  it.each(ERROR_PATHS.map((path) => [path.name, path] as const))("%s", async (_name, path) => {
    const error = await failureOf(path, SECRETS);
    if (typeof path.marker === "string") expect(error.message).toContain(path.marker);
    else expect(error.message).toMatch(path.marker);
    const text = everythingIn(error);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  // Without value redaction, what the provider writes itself still holds no credential: the base
  // URL's password and the Authorization header never go into a message.
  it.each(["a base URL with a password", "a base URL that does not parse, with a password in it", "no credentials", "a lost answer to a create that cannot be told apart"])(
    "%s, even with no secret known to redact",
    async (name) => {
      const path = ERROR_PATHS.find((candidate) => candidate.name === name)!;
      const error = await failureOf({ ...path, respond: path.respond && (() => socketError("ECONNRESET", "socket hang up")) }, []);
      const text = everythingIn(error);
      for (const secret of SECRETS) expect(text).not.toContain(secret);
    },
  );
});

describe("the second layer: redactError", () => {
  it("redacts the reasons the engine reports for a partial create, not only the message", () => {
    const error = Object.assign(new Error(`failed with ${AUTH_TOKEN}`), { reasons: [`failed with ${AUTH_TOKEN}`], id: CH });
    const redacted = redactError(error, SECRETS) as typeof error;
    expect(redacted.reasons).toEqual(["failed with [redacted]"]);
    expect(redacted.id).toBe(CH);
  });
});
