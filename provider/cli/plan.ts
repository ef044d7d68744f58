// `plan` and `drift`: the user's `pulumi preview --json` (or `refresh --preview-only --json`) as
// a reviewer reads it, by name in the stack file's words (provider/plan/).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { hasChanges, planFromPreview, planFromRefresh, renderPlan, type EngineEvent, type Plan, type PlanFormat, type PreviewJson } from "../plan/render";
import { command, CWD_HELP, CWD_OPTION, STACK_HELP, STACK_OPTION, type Context } from "./command";
import { EXIT } from "./exit-codes";
import { NO_PULUMI, problemsBeforeEngine, pulumiIn, stackOf, type Env, type Pulumi } from "./pulumi";

export const PLAN_FORMATS = ["text", "markdown", "json"] as const;

const OPTIONS = { ...STACK_OPTION, ...CWD_OPTION, format: { type: "string", choices: PLAN_FORMATS } } as const;
const FORMAT_HELP = `  --format FORMAT     text (the default), markdown (for a pull-request comment) or json`;

export interface PlanRequest {
  stack?: string;
  /** The Pulumi project's folder. */
  projectDir: string;
  format: PlanFormat;
}

/** What a plan or drift run found: the rendered report, or why it could not be made. */
export type PlanOutcome = { ok: true; plan: Plan; report: string } | { ok: false; error: string };

/**
 * A command that runs pulumi in the project and prints what it found by logical name: the plan,
 * or the drift. It exits `whenFound` when there is something to report.
 */
function reportCommand(spec: {
  summary: string;
  help: string;
  report: (request: PlanRequest, env: Env) => Promise<PlanOutcome>;
  whenFound: number;
}) {
  return command({
    summary: spec.summary,
    synopsis: "[--stack STACK] [--cwd DIR] [--format text|markdown|json]",
    help: `${spec.help}

${STACK_HELP}
${CWD_HELP}
${FORMAT_HELP}`,
    options: OPTIONS,
    positionals: false,
    async run(values, _positionals, context) {
      const request = { stack: values.stack, projectDir: resolve(context.cwd, values.cwd ?? "."), format: values.format ?? "text" };
      return printOutcome(await spec.report(request, context.env), spec.whenFound, context);
    },
  });
}

export const planCommand = reportCommand({
  summary: "what up would change, by logical name, in the stack file's words (pulumi preview)",
  help: `Runs pulumi preview in the project and prints each change by logical name: old → new, and why
a replacement happens. A change recorded only in the stack's state (a rename) is a change too.
The stack file is validated first: an invalid one is refused before the engine starts.`,
  report: (request, env) => makePlan(request, env),
  whenFound: EXIT.changes,
});

export const driftCommand = reportCommand({
  summary: "what changed in Twilio since the last up (pulumi refresh --preview-only; nothing written)",
  help: `Reads every object of the stack from Twilio and compares it with what the last up recorded,
without writing anything. The stack file is not read: an edit not applied yet is not drift.`,
  report: (request, env) => findDrift(request, env),
  whenFound: EXIT.drift,
});

function printOutcome(outcome: PlanOutcome, whenChanged: number, { output }: Context): number {
  if (!outcome.ok) {
    output.err(outcome.error);
    return EXIT.failed;
  }
  output.out(outcome.report);
  return hasChanges(outcome.plan) ? whenChanged : EXIT.ok;
}

/**
 * The plan of `pulumi preview`, after the stack file passed the same checks offline. `--show-sames`
 * lists a step that only renames; the event log holds the stack's outputs as the program
 * registers them now, which `--json` leaves out.
 */
export async function makePlan(request: PlanRequest, env: Env): Promise<PlanOutcome> {
  const pulumi = pulumiIn(request.projectDir, env);
  if (!pulumi) return { ok: false, error: NO_PULUMI };
  const stack = await stackOf(request.stack, pulumi);
  const problems = stack ? problemsBeforeEngine(request.projectDir, stack) : null;
  if (problems) return { ok: false, error: problems };
  const args = ["preview", "--json", "--show-sames", "--non-interactive", ...(request.stack ? ["--stack", request.stack] : [])];
  return withEventLog(pulumi, args, "the preview", planFromPreview, request.format);
}

/**
 * Drift: `refresh --preview-only` reads every object from Twilio and compares it with the state
 * the last `up` recorded, without running the program and without writing anything. Its --json
 * output leaves out the state read for a resource that changed (dynamic providers return no
 * detailed diff), so the engine's event log, which has it, is read too.
 */
export async function findDrift(request: PlanRequest, env: Env): Promise<PlanOutcome> {
  const pulumi = pulumiIn(request.projectDir, env);
  if (!pulumi) return { ok: false, error: NO_PULUMI };
  const args = ["refresh", "--preview-only", "--json", "--non-interactive", ...(request.stack ? ["--stack", request.stack] : [])];
  return withEventLog(pulumi, args, "the refresh preview (reading Twilio)", planFromRefresh, request.format);
}

/** Runs pulumi with its engine event log (`--event-log` needs PULUMI_DEBUG_COMMANDS, as Pulumi's Automation API sets), and renders the plan made of both. */
async function withEventLog(
  pulumi: Pulumi,
  args: string[],
  what: string,
  toPlan: (json: PreviewJson, events: EngineEvent[]) => Plan,
  format: PlanFormat,
): Promise<PlanOutcome> {
  const dir = mkdtempSync(join(tmpdir(), "tcp-plan-"));
  try {
    const eventLog = join(dir, "events.jsonl");
    const logged = [...args, "--event-log", eventLog];
    const env = { PULUMI_DEBUG_COMMANDS: "true" };
    const result = await pulumi.run(logged, env);
    if (result.code !== 0) return { ok: false, error: `${what} failed:\n${await failureText(pulumi, logged, env)}` };
    const plan = toPlan(JSON.parse(result.stdout) as PreviewJson, readEvents(eventLog));
    return { ok: true, plan, report: renderPlan(plan, format) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What went wrong. With --json, pulumi prints nothing on stdout when the preview fails, and the
 * program's own stderr (e.g. the stack file's problems) is lost; the plain preview shows both, so
 * a failed preview is run again without --json to tell why.
 */
async function failureText(pulumi: Pulumi, args: string[], env: Env): Promise<string> {
  const plain = await pulumi.run(args.filter((arg) => arg !== "--json"), env);
  return `${plain.stdout}\n${plain.stderr}`.trim() || `pulumi ${args[0]} exited ${plain.code}`;
}

/** The engine's event log: one JSON event a line; none when pulumi did not write it. */
function readEvents(file: string): EngineEvent[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as EngineEvent);
}
