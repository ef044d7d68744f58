// Command line entry: `npm run emulator -- --port 0`. The first line printed is always
// `listening on http://127.0.0.1:<port>`, so scripts can read the URL from it.
import { readFileSync } from "node:fs";
import { validateFaultRules, type FaultRule } from "./faults";
import type { EmulatorOptions } from "./emulation";
import { startEmulator } from "./server";
import { parseDate } from "./values";

const USAGE = `Usage: npm run emulator -- [options]

  --port N                 TCP port (0 = any free port; default 0, or EMULATOR_PORT)
  --host ADDRESS           address to bind (default 127.0.0.1)
  --account-sid SID        account SID for Basic auth (EMULATOR_ACCOUNT_SID)
  --auth-token TOKEN       auth token for Basic auth (EMULATOR_AUTH_TOKEN)
  --api-key SID            API key SID (SK…) for Basic auth (EMULATOR_API_KEY)
  --api-secret SECRET      API key secret (EMULATOR_API_SECRET)
  --aps-limits             enforce 30 writes/s per conversation and per service (429, code 20429)
  --state-file PATH        keep state in PATH between runs
  --request-log-limit N    request-log entries kept (default 10000)
  --clock-start INSTANT    start the clock Twilio's timers run on at an ISO 8601 instant
  --fail-rate R            fail a fraction R (0..1) of matching requests
  --fail-next N            fail the next N matching requests
  --fail-status S          status for --fail-rate/--fail-next: 429, 500 or 503 (default 503)
  --retry-after SECONDS    Retry-After header sent with injected 429/503
  --latency-ms MS          add MS milliseconds to every matching request
  --drop-before-rate R     close the connection before applying a fraction R of matching requests
  --drop-after-rate R      apply a fraction R of matching requests, then close without answering
  --drop-after-next N      apply the next N matching requests, then close without answering
  --fault-method METHOD    limit the fault flags above to one HTTP method (e.g. POST)
  --fault-path REGEX       limit the fault flags above to paths matching REGEX
  --faults JSON|@FILE      extra fault rules as JSON (an object or an array), or @file.json
  --help                   show this text
`;

const VALUE_FLAGS = new Set([
  "port", "host", "account-sid", "auth-token", "api-key", "api-secret", "state-file", "request-log-limit", "clock-start",
  "fail-rate", "fail-next", "fail-status", "retry-after", "latency-ms", "drop-before-rate", "drop-after-rate",
  "drop-after-next", "fault-method", "fault-path", "faults",
]);
const BOOLEAN_FLAGS = new Set(["aps-limits", "help"]);

export function parseFlags(argv: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) throw new Error(`unexpected argument '${arg}'`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (BOOLEAN_FLAGS.has(name)) {
      flags.set(name, inline ?? "true");
    } else if (VALUE_FLAGS.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      flags.set(name, value);
    } else {
      throw new Error(`unknown option --${name}`);
    }
  }
  return flags;
}

function number(flags: Map<string, string>, name: string): number | undefined {
  const text = flags.get(name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
  return value;
}

/** Fault rules described by the shorthand flags, scoped by --fault-method/--fault-path. */
export function faultRulesFromFlags(flags: Map<string, string>): FaultRule[] {
  const scope: FaultRule = {};
  if (flags.has("fault-method")) scope.method = flags.get("fault-method");
  if (flags.has("fault-path")) scope.path = flags.get("fault-path");
  const status = (number(flags, "fail-status") ?? 503) as FaultRule["status"];
  const retryAfter = number(flags, "retry-after");
  const failure: FaultRule = { ...scope, status, ...(retryAfter === undefined ? {} : { retryAfter }) };
  const rules: FaultRule[] = [];
  const latency = number(flags, "latency-ms");
  if (latency !== undefined) rules.push({ ...scope, latencyMs: latency });
  const failNext = number(flags, "fail-next");
  if (failNext !== undefined) rules.push({ ...failure, count: failNext });
  const failRate = number(flags, "fail-rate");
  if (failRate !== undefined) rules.push({ ...failure, probability: failRate });
  const dropBefore = number(flags, "drop-before-rate");
  if (dropBefore !== undefined) rules.push({ ...scope, drop: "before", probability: dropBefore });
  const dropAfterNext = number(flags, "drop-after-next");
  if (dropAfterNext !== undefined) rules.push({ ...scope, drop: "after", count: dropAfterNext });
  const dropAfter = number(flags, "drop-after-rate");
  if (dropAfter !== undefined) rules.push({ ...scope, drop: "after", probability: dropAfter });
  const extra = flags.get("faults");
  if (extra !== undefined) {
    const text = extra.startsWith("@") ? readFileSync(extra.slice(1), "utf8") : extra;
    rules.push(...validateFaultRules(JSON.parse(text)));
  }
  return validateFaultRules(rules);
}

function clockStart(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDate(text);
  if (ms === null) throw new Error(`--clock-start must be an ISO 8601 date-time such as 2030-01-31T09:00:00Z, got '${text}'`);
  return ms;
}

export function optionsFromFlags(flags: Map<string, string>, env: NodeJS.ProcessEnv): EmulatorOptions {
  const pick = (flag: string, variable: string) => flags.get(flag) ?? env[variable];
  return {
    port: number(flags, "port") ?? (env.EMULATOR_PORT ? Number(env.EMULATOR_PORT) : 0),
    host: flags.get("host") ?? "127.0.0.1",
    accountSid: pick("account-sid", "EMULATOR_ACCOUNT_SID"),
    authToken: pick("auth-token", "EMULATOR_AUTH_TOKEN"),
    apiKey: pick("api-key", "EMULATOR_API_KEY"),
    apiSecret: pick("api-secret", "EMULATOR_API_SECRET"),
    apsLimits: flags.get("aps-limits") === "true",
    stateFile: flags.get("state-file"),
    requestLogLimit: number(flags, "request-log-limit"),
    clockStart: clockStart(flags.get("clock-start")),
    faults: faultRulesFromFlags(flags),
  };
}

async function main(): Promise<void> {
  let options: EmulatorOptions;
  try {
    const flags = parseFlags(process.argv.slice(2));
    if (flags.has("help")) {
      process.stdout.write(USAGE);
      return;
    }
    options = optionsFromFlags(flags, process.env);
  } catch (error) {
    process.stderr.write(`emulator: ${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const emulator = await startEmulator(options);
  // A parent that reads only the first line may close the pipe; the server must keep serving.
  process.stdout.on("error", () => undefined);
  process.stdout.write(`listening on ${emulator.url}\n`);
  process.stdout.write(
    `credentials: ${emulator.credentials.accountSid} / auth token, or ${emulator.credentials.apiKey} / API secret; default service ${emulator.defaultServiceSid}\n`,
  );
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`emulator: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`emulator: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
