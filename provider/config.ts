// Credentials and endpoint, resolved when the provider is configured (never at module load, so
// nothing secret can reach the provider stored in state).

export interface Settings {
  /** The stack config namespace they come from: `twilio`, or another account's. */
  namespace: string;
  baseUrl: string;
  accountSid: string | null;
  /** Basic-auth pair: the account SID and auth token, or an API key and its secret. */
  credentials: { username: string; password: string } | null;
  requestTimeoutMs: number;
  maxAttempts: number;
  /** The longest a write can take on Twilio's side (see RetryPolicy.maxWriteMs). */
  maxWriteMs: number;
  /** Every secret value, for redaction. */
  secrets: string[];
}

export type ConfigLookup = (key: string) => string | undefined;

const CONFIG_TO_ENV = {
  accountSid: "TWILIO_ACCOUNT_SID",
  authToken: "TWILIO_AUTH_TOKEN",
  apiKey: "TWILIO_API_KEY",
  apiSecret: "TWILIO_API_SECRET",
  region: "TWILIO_REGION",
  edge: "TWILIO_EDGE",
  conversationsBaseUrl: "TWILIO_CONVERSATIONS_BASE_URL",
  requestTimeoutMs: "TWILIO_REQUEST_TIMEOUT_MS",
  maxAttempts: "TWILIO_MAX_ATTEMPTS",
  maxWriteMs: "TWILIO_MAX_WRITE_MS",
} as const;

type SettingName = keyof typeof CONFIG_TO_ENV;

/** The stack config namespace of the default settings, which fall back to the environment. */
export const DEFAULT_NAMESPACE = "twilio";

/**
 * Stack config `twilio:<name>` wins over the environment variable. Another namespace (a second
 * account or a subaccount, e.g. `twilio-eu:<name>`) is read from the stack config alone: the
 * environment holds one account, the default one.
 */
export function resolveSettings(
  config: ConfigLookup,
  env: Record<string, string | undefined>,
  namespace: string = DEFAULT_NAMESPACE,
): Settings {
  const fromConfig = (name: SettingName) => present(config(`${namespace}:${name}`));
  const fromEnv = (name: SettingName) => (namespace === DEFAULT_NAMESPACE ? present(env[CONFIG_TO_ENV[name]]) : undefined);
  const read = (name: SettingName): string | undefined => fromConfig(name) ?? fromEnv(name);
  const accountSid = read("accountSid") ?? null;
  const credentials =
    credentialsFrom(fromConfig, accountSid) ?? credentialsFrom(fromEnv, accountSid) ?? credentialsFrom(read, accountSid);
  const baseUrl = conversationsBaseUrl(read("conversationsBaseUrl"), read("region"), read("edge"));
  return {
    namespace,
    baseUrl,
    accountSid,
    credentials,
    requestTimeoutMs: positiveInteger(read("requestTimeoutMs"), 30_000),
    maxAttempts: positiveInteger(read("maxAttempts"), 8),
    maxWriteMs: positiveInteger(read("maxWriteMs"), 60_000),
    secrets: [
      fromConfig("authToken"),
      fromConfig("apiSecret"),
      fromEnv("authToken"),
      fromEnv("apiSecret"),
      // The Authorization header carries the pair base64-encoded; redact it in that form too.
      credentials ? Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64") : undefined,
      // Refused before any request, and never echoed; listed in case some text carries it anyway.
      ...passwordIn(baseUrl),
    ].filter((secret): secret is string => Boolean(secret)),
  };
}

/**
 * A complete pair (API key and secret, else the auth token) from one source. Resolution tries the
 * stack config alone, then the environment alone, then both together: a complete pair in the
 * stack config is never overridden by, or mixed with, another one in the environment.
 */
function credentialsFrom(get: (name: SettingName) => string | undefined, accountSid: string | null): Settings["credentials"] {
  const apiKey = get("apiKey");
  const apiSecret = get("apiSecret");
  if (apiKey && apiSecret) return { username: apiKey, password: apiSecret };
  const authToken = get("authToken");
  return accountSid && authToken ? { username: accountSid, password: authToken } : null;
}

/** Twilio's regional hosts: `conversations.{edge}.{region}.twilio.com`; an edge alone implies us1. */
export function conversationsBaseUrl(override?: string, region?: string, edge?: string): string {
  if (override) return override.replace(/\/+$/, "");
  if (!region && !edge) return "https://conversations.twilio.com";
  const parts = ["conversations", edge, region ?? "us1", "twilio", "com"].filter(Boolean);
  return `https://${parts.join(".")}`;
}

export const MISSING_CREDENTIALS_HINT =
  "set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET with TWILIO_ACCOUNT_SID), " +
  "or the stack config: pulumi config set twilio:accountSid AC… && pulumi config set --secret twilio:authToken …";

/** What to set for the credentials of a settings namespace; another account's live in the stack config alone. */
export function credentialsHint(namespace: string): string {
  return namespace === DEFAULT_NAMESPACE
    ? MISSING_CREDENTIALS_HINT
    : `set the stack config of this account: pulumi config set ${namespace}:accountSid AC… && ` +
        `pulumi config set --secret ${namespace}:authToken … (or ${namespace}:apiKey and ${namespace}:apiSecret)`;
}

/** A password written into a URL, as written and decoded. */
function passwordIn(url: string): string[] {
  const password = URL.canParse(url) ? new URL(url).password : "";
  return password ? [...new Set([password, decodeURIComponent(password)])] : [];
}

/** A blank value counts as unset, so an empty config key never hides the environment variable. */
function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

function positiveInteger(text: string | undefined, fallback: number): number {
  const value = text === undefined ? NaN : Number(text);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
