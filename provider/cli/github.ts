// `github`: the pull-request workflow's step (action.yml runs it). On a pull request: validates
// the stack files (annotations), then keeps one plan comment per stack up to date. On anything
// else (main, a schedule): the drift gate. Pure decisions first, then the effects.
import { appendFileSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { validateFiles } from "../../schemas/validate-cli";
import { command, CWD_HELP, CWD_OPTION, type Context } from "./command";
import { EXIT } from "./exit-codes";
import { pullRequestComments, type CommentsApi, type IssueComment } from "./github-api";
import { findDrift, makePlan, type PlanOutcome } from "./plan";
import { stackFileOf, type Env } from "./pulumi";
import { hasChanges } from "../plan/render";

export const MODES = ["pull-request", "drift"] as const;
export type Mode = (typeof MODES)[number];

/** The mode an event asks for when --mode does not say: pull requests are planned, everything else checked for drift. */
export function modeOf(eventName: string | undefined, explicit: Mode | undefined): Mode {
  if (explicit) return explicit;
  return eventName === "pull_request" || eventName === "pull_request_target" ? "pull-request" : "drift";
}

export interface PullRequest {
  number: number;
  /** Its branch lives in another repository: the job has no secrets and a read-only token. */
  fromFork: boolean;
}

/** The pull request of a workflow's event payload (GITHUB_EVENT_PATH), or null. */
export function pullRequestOf(event: unknown): PullRequest | null {
  const pr = (event as { pull_request?: { number?: unknown; head?: { repo?: { full_name?: unknown } | null }; base?: { repo?: { full_name?: unknown } } } } | null)?.pull_request;
  if (!pr || typeof pr.number !== "number") return null;
  const head = pr.head?.repo?.full_name;
  return { number: pr.number, fromFork: head !== pr.base?.repo?.full_name };
}

/**
 * Whether the job was given anything to reach Twilio or the stack's secrets with: Twilio's
 * credentials, or what decrypts the stack's config (which may hold them). Secrets a workflow names
 * but the job does not get (a fork's) arrive as empty strings.
 */
export function credentialsPresent(env: Env): boolean {
  return ["TWILIO_ACCOUNT_SID", "PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE"].some((name) => Boolean(env[name]));
}

/** The hidden first line that finds a stack's plan comment again. */
export function commentMarker(stack: string): string {
  return `<!-- twilio-conversations-plan:${stack} -->`;
}

/** What a stack's plan comment says: the plan, or why there is none. */
export type CommentContent = { plan: string } | { failed: string; runUrl?: string } | { skipped: string };

export function commentBody(stack: string, content: CommentContent): string {
  const head = `${commentMarker(stack)}\n### Plan of stack \`${stack}\`\n\n`;
  if ("plan" in content) return `${head}${content.plan}\n`;
  if ("skipped" in content) return `${head}**Not previewed:** ${content.skipped}\n`;
  const run = content.runUrl ? ` ([the run](${content.runUrl}))` : "";
  return `${head}**${content.failed} failed**${run}: see the job log. The plan shown before is out of date.\n`;
}

export function ownComment(comments: readonly IssueComment[], stack: string): IssueComment | undefined {
  return comments.find((comment) => String(comment.body ?? "").startsWith(commentMarker(stack)));
}

const NO_CREDENTIALS =
  "no credentials reached this job (pull requests from forks get no secrets), so the stack was not previewed; the stack files were validated offline.";

const OPTIONS = {
  stack: { type: "string", short: "s", multiple: true },
  ...CWD_OPTION,
  mode: { type: "string", choices: MODES },
} as const;

export const githubCommand = command({
  summary: "the pull-request workflow's step in GitHub Actions: plan comments on pull requests, the drift gate on main",
  synopsis: "--stack STACK [--stack STACK …] [--cwd DIR] [--mode pull-request|drift] [STACK_FILE.yaml …]",
  help: `Run by action.yml, with GitHub's environment (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH,
GITHUB_REPOSITORY, GITHUB_TOKEN, GITHUB_API_URL, GITHUB_STEP_SUMMARY).

On a pull request: validates the stack files (annotations on the diff; default: each stack's
file), then previews each stack and posts its plan as one comment, found again by a hidden marker
and edited on later runs. Without credentials (a fork's pull request) it validates only and says
so. Exit 0 when every plan was made (changes or not), 1 when validation or a preview failed.

Otherwise (a push to main, a schedule): the drift gate. Exit 3 when a stack has drifted.

  -s, --stack STACK   a stack to plan or check (repeat for several)
${CWD_HELP}
  --mode MODE         pull-request or drift (default: from GITHUB_EVENT_NAME)`,
  options: OPTIONS,
  positionals: true,
  run(values, files, context) {
    const stacks = values.stack ?? [];
    if (stacks.length === 0) {
      context.output.err("--stack names no stack: give at least one");
      return EXIT.usage;
    }
    const projectDir = resolve(context.cwd, values.cwd ?? ".");
    const mode = modeOf(context.env.GITHUB_EVENT_NAME, values.mode);
    return mode === "drift" ? driftGate(stacks, projectDir, context) : pullRequestPlans(stacks, files, projectDir, context);
  },
});

/** Appends to the job summary, or prints when there is none (a run by hand). */
function summarize(text: string, { env, output }: Context): void {
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${text}\n`);
  else output.out(text);
}

async function driftGate(stacks: string[], projectDir: string, context: Context): Promise<number> {
  let code: number = EXIT.ok;
  for (const stack of stacks) {
    const outcome = await findDrift({ stack, projectDir, format: "markdown" }, context.env);
    if (!outcome.ok) {
      context.output.err(`the drift check of stack ${stack} failed:\n${outcome.error}`);
      code = EXIT.failed;
      continue;
    }
    context.output.out(outcome.report);
    summarize(`### Drift of stack \`${stack}\`\n\n${outcome.report}\n`, context);
    if (hasChanges(outcome.plan)) {
      context.output.err(`stack ${stack} has drifted: Twilio differs from what the last up recorded (above)`);
      if (code === EXIT.ok) code = EXIT.drift;
    }
  }
  return code;
}

function readEvent(env: Env): unknown {
  if (!env.GITHUB_EVENT_PATH) return null;
  try {
    return JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8"));
  } catch {
    return null;
  }
}

/** Where comments go: the pull request's, when the job may write them. */
function commentsOf(context: Context, pr: PullRequest | null): CommentsApi | null {
  const { env } = context;
  if (!pr || pr.fromFork || !env.GITHUB_TOKEN || !env.GITHUB_REPOSITORY) return null;
  return pullRequestComments(env.GITHUB_API_URL || "https://api.github.com", env.GITHUB_REPOSITORY, pr.number, env.GITHUB_TOKEN);
}

async function pullRequestPlans(stacks: string[], files: string[], projectDir: string, context: Context): Promise<number> {
  const { env, output } = context;
  const pr = pullRequestOf(readEvent(env));
  const comments = commentsOf(context, pr);
  if (!comments) output.err(pr?.fromFork ? "a pull request from a fork: its token cannot comment, so the plans go to the job summary only" : "not commenting: no pull request, GITHUB_TOKEN or GITHUB_REPOSITORY");
  const runUrl = env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL || "https://github.com"}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  const keep = (stack: string, content: CommentContent, updateOnly = false) => keepComment(comments, stack, commentBody(stack, content), updateOnly, context);

  const toValidate = files.length > 0 ? files : stacks.flatMap((stack) => stackFileOf(projectDir, stack)?.file ?? []);
  if (validateFiles(["--format", "github", "--", ...toValidate], output, { callerDir: context.cwd }) !== EXIT.ok) {
    for (const stack of stacks) await keep(stack, { failed: "Validation", runUrl }, true);
    return EXIT.failed;
  }
  let code: number = EXIT.ok;
  for (const stack of stacks) {
    if (pr?.fromFork || !credentialsPresent(env)) {
      output.out(`::notice title=Plan of stack ${stack} not made::${NO_CREDENTIALS}`);
      summarize(commentBody(stack, { skipped: NO_CREDENTIALS }), context);
      if (!(await keep(stack, { skipped: NO_CREDENTIALS }))) code = EXIT.failed;
      continue;
    }
    const outcome: PlanOutcome = await makePlan({ stack, projectDir, format: "markdown" }, env);
    if (!outcome.ok) {
      output.err(`the preview of stack ${stack} failed; no plan comment posted:\n${outcome.error}`);
      await keep(stack, { failed: "The preview", runUrl }, true);
      code = EXIT.failed;
      continue;
    }
    summarize(commentBody(stack, { plan: outcome.report }), context);
    if (!(await keep(stack, { plan: outcome.report }))) code = EXIT.failed;
  }
  return code;
}

/** Edits the stack's comment, or posts one (unless `updateOnly`). False when GitHub refused. */
async function keepComment(comments: CommentsApi | null, stack: string, body: string, updateOnly: boolean, { output }: Context): Promise<boolean> {
  if (!comments) return true;
  try {
    const existing = ownComment(await comments.list(), stack);
    if (existing) {
      await comments.update(existing.id, body);
      output.err(`updated the plan comment of stack ${stack}`);
    } else if (!updateOnly) {
      await comments.create(body);
      output.err(`posted the plan comment of stack ${stack}`);
    }
    return true;
  } catch (error) {
    output.err(`could not keep the plan comment of stack ${stack}: ${(error as Error).message}`);
    return false;
  }
}
