import { describe, expect, it } from "vitest";
import { redact } from "../../../provider/errors";
import { conversationsBaseUrl, MISSING_CREDENTIALS_HINT, resolveSettings } from "../../../provider/config";

const AC = "AC" + "1".repeat(32);
const SK = "SK" + "2".repeat(32);
const TOKEN = "token-0123456789abcdef";
const SECRET = "secret-fedcba9876543210";

const config = (values: Record<string, string>) => (key: string) => values[key];
const none = () => undefined;
const basic = (username: string, password: string) => Buffer.from(`${username}:${password}`).toString("base64");

describe("resolveSettings", () => {
  it("uses the account SID and auth token from the environment", () => {
    expect(resolveSettings(none, { TWILIO_ACCOUNT_SID: AC, TWILIO_AUTH_TOKEN: TOKEN })).toEqual({
      namespace: "twilio",
      baseUrl: "https://conversations.twilio.com",
      accountSid: AC,
      credentials: { username: AC, password: TOKEN },
      requestTimeoutMs: 30_000,
      maxAttempts: 8,
      maxWriteMs: 60_000,
      secrets: [TOKEN, basic(AC, TOKEN)],
    });
  });

  it("prefers an API key and secret over the auth token", () => {
    const settings = resolveSettings(none, {
      TWILIO_ACCOUNT_SID: AC,
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_API_KEY: SK,
      TWILIO_API_SECRET: SECRET,
    });
    expect(settings.credentials).toEqual({ username: SK, password: SECRET });
    expect(settings.secrets).toEqual([TOKEN, SECRET, basic(SK, SECRET)]);
  });

  it("stack config twilio:* wins over the environment", () => {
    const settings = resolveSettings(
      config({ "twilio:accountSid": AC, "twilio:authToken": TOKEN, "twilio:region": "ie1", "twilio:maxAttempts": "3" }),
      { TWILIO_ACCOUNT_SID: "AC" + "9".repeat(32), TWILIO_AUTH_TOKEN: "env-token-xyz", TWILIO_REGION: "au1", TWILIO_MAX_ATTEMPTS: "5" },
    );
    expect(settings.accountSid).toBe(AC);
    expect(settings.credentials).toEqual({ username: AC, password: TOKEN });
    expect(settings.baseUrl).toBe("https://conversations.ie1.twilio.com");
    expect(settings.maxAttempts).toBe(3);
  });

  it("a complete pair in the stack config wins over another pair in the environment", () => {
    const settings = resolveSettings(config({ "twilio:accountSid": AC, "twilio:authToken": TOKEN }), {
      TWILIO_API_KEY: SK,
      TWILIO_API_SECRET: SECRET,
    });
    expect(settings.credentials).toEqual({ username: AC, password: TOKEN });
  });

  it("mixes config and environment per setting when neither holds a complete pair", () => {
    const settings = resolveSettings(config({ "twilio:apiKey": SK }), { TWILIO_API_SECRET: SECRET, TWILIO_ACCOUNT_SID: AC });
    expect(settings.credentials).toEqual({ username: SK, password: SECRET });
  });

  it("lists the Basic-auth header value as a secret, so redaction hides it", () => {
    const settings = resolveSettings(none, { TWILIO_ACCOUNT_SID: AC, TWILIO_AUTH_TOKEN: TOKEN });
    const header = `authorization: Basic ${basic(AC, TOKEN)}`;
    expect(redact(header, settings.secrets)).toBe("authorization: Basic [redacted]");
  });

  it("lists a token as a secret even when it is not usable without an account SID", () => {
    expect(resolveSettings(none, { TWILIO_AUTH_TOKEN: TOKEN }).secrets).toEqual([TOKEN]);
  });

  it("lists a password written into the base URL, as written and decoded", () => {
    const settings = resolveSettings(none, { TWILIO_CONVERSATIONS_BASE_URL: "https://proxy:p%40ss-word-1@proxy.example.test" });
    expect(settings.secrets).toEqual(["p%40ss-word-1", "p@ss-word-1"]);
  });

  it.each<[string, Record<string, string>]>([
    ["nothing configured", {}],
    ["account SID without token", { TWILIO_ACCOUNT_SID: AC }],
    ["token without account SID", { TWILIO_AUTH_TOKEN: TOKEN }],
    ["API key without secret", { TWILIO_API_KEY: SK }],
    ["blank values", { TWILIO_ACCOUNT_SID: " ", TWILIO_AUTH_TOKEN: "" }],
  ])("no credentials: %s", (_name, env) => {
    expect(resolveSettings(none, env).credentials).toBeNull();
  });

  it("a blank config value does not hide the environment variable", () => {
    const blankConfig = (key: string) => (key === "twilio:authToken" ? "  " : undefined);
    expect(resolveSettings(blankConfig, { TWILIO_ACCOUNT_SID: AC, TWILIO_AUTH_TOKEN: TOKEN }).credentials).toEqual({ username: AC, password: TOKEN });
  });

  it("trims values", () => {
    const settings = resolveSettings(none, { TWILIO_ACCOUNT_SID: ` ${AC} `, TWILIO_AUTH_TOKEN: ` ${TOKEN}\n` });
    expect(settings.credentials).toEqual({ username: AC, password: TOKEN });
    expect(settings.secrets).toEqual([TOKEN, basic(AC, TOKEN)]);
  });

  it.each([
    ["region and edge", { TWILIO_REGION: "ie1", TWILIO_EDGE: "dublin" }, "https://conversations.dublin.ie1.twilio.com"],
    ["edge alone implies us1", { TWILIO_EDGE: "ashburn" }, "https://conversations.ashburn.us1.twilio.com"],
    ["region alone", { TWILIO_REGION: "au1" }, "https://conversations.au1.twilio.com"],
    ["base URL override wins and loses its trailing slash", { TWILIO_CONVERSATIONS_BASE_URL: "http://127.0.0.1:4010/", TWILIO_REGION: "ie1" }, "http://127.0.0.1:4010"],
    ["neither", {}, "https://conversations.twilio.com"],
  ])("base URL: %s", (_name, env, expected) => {
    expect(resolveSettings(none, env).baseUrl).toBe(expected);
  });

  it.each([
    ["30000", 30_000],
    ["1500", 1_500],
    ["0", 30_000],
    ["-1", 30_000],
    ["2.5", 30_000],
    ["soon", 30_000],
  ])("request timeout %j → %i", (value, expected) => {
    expect(resolveSettings(none, { TWILIO_REQUEST_TIMEOUT_MS: value }).requestTimeoutMs).toBe(expected);
  });

  it("the missing-credentials hint names both ways to configure", () => {
    expect(MISSING_CREDENTIALS_HINT).toContain("TWILIO_AUTH_TOKEN");
    expect(MISSING_CREDENTIALS_HINT).toContain("twilio:authToken");
  });
});

describe("conversationsBaseUrl", () => {
  it.each<[string | undefined, string | undefined, string | undefined, string]>([
    [undefined, undefined, undefined, "https://conversations.twilio.com"],
    [undefined, "ie1", "dublin", "https://conversations.dublin.ie1.twilio.com"],
    [undefined, undefined, "sydney", "https://conversations.sydney.us1.twilio.com"],
    ["https://example.test/twilio///", "ie1", undefined, "https://example.test/twilio"],
  ])("override %j, region %j, edge %j", (override, region, edge, expected) => {
    expect(conversationsBaseUrl(override, region, edge)).toBe(expected);
  });
});
