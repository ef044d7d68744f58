// `twilio-conversations-pulumi export --out FILE …`: reads the account with the usual credentials
// and writes the stack file that adopts it. Exit codes: 0 written, 1 failed (nothing written),
// 64 usage error.
import * as fs from "node:fs";
import * as path from "node:path";
import { resolveSettings } from "../config";
import { Claims } from "../client/claims";
import { httpExchange, type Exchange } from "../client/exchange";
import type { Transport } from "../client/http";
import { SlidingWindowLimiter } from "../client/limiter";
import { DEFAULT_RETRY_POLICY, retryLine } from "../client/retry";
import { redactError } from "../errors";
import { loadStackText } from "../../schemas/load";
import { renderProblemReport } from "../../schemas/problems";
import { parseCommandLine, type ParsedValues } from "../cli/args";
import { command, commandUsage, CWD_HELP, CWD_OPTION } from "../cli/command";
import { EXIT } from "../cli/exit-codes";
import { exportDocument } from "./document";
import { ALL_CONVERSATIONS, FILTER_USAGE, parseConversationFilter, type ConversationFilter } from "./filters";
import { renderStackFile, secretCommands } from "./render";
import { readAccount } from "./snapshot";

const COMMAND = "twilio-conversations-pulumi export";

const SYNOPSIS = "--out FILE [--service IS…] [--conversations [FILTER…]] [--threads] [--concurrency N] [--cwd DIR]";

const HELP = `Writes the stack file of a live Twilio account, every object adopted as it is, so that the first
\`pulumi up\` on it writes nothing. Credentials as for pulumi: TWILIO_ACCOUNT_SID with
TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET); TWILIO_REGION, TWILIO_EDGE and
TWILIO_CONVERSATIONS_BASE_URL choose the endpoint.

  --out FILE          where to write it; written only once the export is complete
  --service IS…       the Conversation Service to export (default: the account's default service)
  --conversations     also its conversations with their participants and scoped webhooks,
                      those every FILTER chooses (all without one)
  --threads           also each conversation's messages, as seed messages taken over (implies --conversations)
  --concurrency N     conversations read at once, each with up to 3 requests (default 4)
${CWD_HELP.replace("the Pulumi project's folder, the one holding Pulumi.yaml", "the folder --out is written from")}

${FILTER_USAGE}

Progress (objects read, by kind) and the \`pulumi config set --secret\` commands for the secrets the
file names go to stderr. Nothing is written when the export fails (exit 1).`;

export function exportUsage(): string {
  return commandUsage(COMMAND, { synopsis: SYNOPSIS, help: HELP });
}

export interface ExportRequest {
  out: string;
  serviceSid: string | null;
  conversations: ConversationFilter | null;
  threads: boolean;
  concurrency: number;
}

const OPTIONS = {
  out: { type: "string" },
  service: { type: "string", multiple: true },
  conversations: { type: "boolean" },
  threads: { type: "boolean" },
  concurrency: { type: "string" },
  ...CWD_OPTION,
} as const;

type Parsed = { kind: "help" } | { kind: "usage-error"; message: string } | { kind: "run"; request: ExportRequest };

/** The command line, as data. */
export function parseExportArgs(argv: readonly string[]): Parsed {
  const parsed = parseCommandLine(OPTIONS, argv, true);
  return parsed.kind === "run" ? requestOf(parsed.values, parsed.positionals) : parsed;
}

/** What the parsed options ask for, or why they cannot be run. */
function requestOf(values: ParsedValues<typeof OPTIONS>, positionals: readonly string[]): Exclude<Parsed, { kind: "help" }> {
  if (!values.out) return { kind: "usage-error", message: "--out FILE is required: where to write the stack file" };
  const services = values.service ?? [];
  if (services.length > 1) return { kind: "usage-error", message: "a stack file holds one service: export each --service to its own file" };
  if (services.length === 1 && !/^IS[0-9a-fA-F]{32}$/.test(services[0])) return { kind: "usage-error", message: `--service ${JSON.stringify(services[0])} is not a Conversation Service SID (IS followed by 32 hex digits)` };
  const wantsConversations = values.conversations === true || values.threads === true;
  if (positionals.length > 0 && !wantsConversations) return { kind: "usage-error", message: `${JSON.stringify(positionals[0])}: filters follow --conversations` };
  const filter = parseConversationFilter(positionals);
  if ("error" in filter) return { kind: "usage-error", message: filter.error };
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) return { kind: "usage-error", message: "--concurrency takes a whole number from 1 to 32" };
  return {
    kind: "run",
    request: {
      out: values.out,
      serviceSid: services[0] ?? null,
      conversations: wantsConversations ? (positionals.length ? filter.filter : ALL_CONVERSATIONS) : null,
      threads: values.threads === true,
      concurrency,
    },
  };
}

export interface ExportEnvironment {
  env: Record<string, string | undefined>;
  cwd: string;
  stderr: (text: string) => void;
  exchange: Exchange;
  now: () => number;
}

/** The command's entry in the package's command line (provider/cli.ts). */
export const exportCommandEntry = command({
  summary: "the stack file of a live account, every object adopted as it is (reads Twilio, writes only --out)",
  synopsis: SYNOPSIS,
  help: HELP,
  options: OPTIONS,
  positionals: true,
  async run(values, positionals, context) {
    const parsed = requestOf(values, positionals);
    const io: ExportEnvironment = {
      env: context.env,
      cwd: path.resolve(context.cwd, values.cwd ?? "."),
      stderr: (text) => context.output.err(text.replace(/\n$/, "")),
      exchange: httpExchange(),
      now: Date.now,
    };
    return parsed.kind === "run" ? execute(parsed.request, io) : usageError(parsed.message, io);
  },
});

function usageError(message: string, io: ExportEnvironment): number {
  io.stderr(`${message}\n\n${exportUsage()}\n`);
  return EXIT.usage;
}

async function execute(request: ExportRequest, io: ExportEnvironment): Promise<number> {
  const settings = resolveSettings(() => undefined, io.env);
  try {
    return await runExport(request, io, settings);
  } catch (error) {
    io.stderr(`export failed, nothing written: ${(redactError(error, settings.secrets) as Error).message}\n`);
    return EXIT.failed;
  }
}

async function runExport(request: ExportRequest, io: ExportEnvironment, settings: ReturnType<typeof resolveSettings>): Promise<number> {
  let requests = 0;
  const counts = new Map<string, number>();
  let shownAt = io.now();
  const summary = () => [...counts].map(([kind, count]) => `${count} ${kind}`).join(", ");
  const transport: Transport = {
    settings,
    limiter: new SlidingWindowLimiter(),
    policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: settings.maxAttempts },
    exchange: io.exchange,
    random: Math.random,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    serverClock: { offsetMs: 0 },
    claims: new Claims(),
    intents: null,
    onAttempt: () => void requests++,
    onRetry: (notice) => {
      const line = retryLine(notice);
      if (line) io.stderr(`${line}\n`);
    },
  };
  const started = io.now();
  const snapshot = await readAccount(transport, { ...request, conversations: request.conversations }, (kind, count) => {
    counts.set(kind, (counts.get(kind) ?? 0) + count);
    if (io.now() - shownAt >= 1000) {
      shownAt = io.now();
      io.stderr(`export: read ${summary()}\n`);
    }
  });
  io.stderr(`export: read ${summary()} (${requests} requests, ${((io.now() - started) / 1000).toFixed(1)} s)\n`);

  const { document, secrets, skipped } = exportDocument(snapshot);
  const text = renderStackFile(document, { accountSid: snapshot.accountConfiguration.accountSid, serviceSid: snapshot.service.sid });
  const out = path.resolve(io.cwd, request.out);
  // The file must be one `validate` accepts: a mapping that would not be is a bug here, never the user's to fix.
  const checked = loadStackText(text, request.out);
  if (!checked.ok) {
    io.stderr(`export failed, nothing written: the file would not validate\n${renderProblemReport(checked.problems)}\n`);
    return EXIT.failed;
  }
  writeAtomically(out, text);
  for (const reason of skipped) io.stderr(`export: not exported: ${reason}\n`);
  io.stderr(`export: wrote ${request.out}\n`);
  if (secrets.length) {
    io.stderr(`Twilio never answers secrets back: set each one the file names before \`pulumi up\`:\n${secretCommands(secrets).map((line) => `  ${line}`).join("\n")}\n`);
  }
  return EXIT.ok;
}

/** Written beside the target, then renamed over it: the file is whole or not there. */
function writeAtomically(file: string, text: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(temporary, text);
  try {
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
