// Credentials and endpoint, resolved when the provider is configured (never at module load, so
// nothing secret is ever captured into the serialized provider).

export interface Settings {
  baseUrl: string;
  accountSid: string | null;
  /** Basic-auth pair: the account SID and auth token, or an API key and its secret. */
  credentials: { username: string; password: string } | null;
  requestTimeoutMs: number;
  maxAttempts: number;
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
} as const;

type SettingName = keyof typeof CONFIG_TO_ENV;

/** Stack config `twilio:<name>` wins over the environment variable. */
export function resolveSettings(config: ConfigLookup, env: Record<string, string | undefined>): Settings {
  // A blank value counts as unset, so an empty config key never hides the environment variable.
  const present = (value: string | undefined) => (value === undefined || value.trim() === "" ? undefined : value.trim());
  const read = (name: SettingName): string | undefined => present(config(`twilio:${name}`)) ?? present(env[CONFIG_TO_ENV[name]]);
  const accountSid = read("accountSid") ?? null;
  const authToken = read("authToken");
  const apiKey = read("apiKey");
  const apiSecret = read("apiSecret");
  const credentials =
    apiKey && apiSecret
      ? { username: apiKey, password: apiSecret }
      : accountSid && authToken
        ? { username: accountSid, password: authToken }
        : null;
  return {
    baseUrl: conversationsBaseUrl(read("conversationsBaseUrl"), read("region"), read("edge")),
    accountSid,
    credentials,
    requestTimeoutMs: positiveInteger(read("requestTimeoutMs"), 30_000),
    maxAttempts: positiveInteger(read("maxAttempts"), 8),
    secrets: [
      authToken,
      apiSecret,
      // The Authorization header carries the pair base64-encoded; redact it in that form too.
      credentials ? Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64") : undefined,
    ].filter((secret): secret is string => Boolean(secret)),
  };
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

function positiveInteger(text: string | undefined, fallback: number): number {
  const value = text === undefined ? NaN : Number(text);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
