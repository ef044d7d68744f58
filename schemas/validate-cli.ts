// `twilio-conversations-pulumi validate [--format text|json|github] FILE…`: checks stack files
// offline. Exit codes as every command's (provider/cli/exit-codes.ts): 0 every file is valid, 1 a
// file has problems, 64 usage error.
import { isAbsolute, resolve } from "node:path";
import { parseCommandLine } from "../provider/cli/args";
import { command, commandUsage, CWD_HELP, CWD_OPTION, STACK_OPTION, type Output } from "../provider/cli/command";
import { EXIT } from "../provider/cli/exit-codes";
import { stackFileOf } from "../provider/cli/pulumi";
import { loadStackFile } from "./load";
import { compareProblems, problemCount, renderProblemReport, type Problem } from "./problems";

export const FORMATS = ["text", "json", "github"] as const;
export type Format = (typeof FORMATS)[number];

export interface ValidateOptions {
  /** Files given as relative paths (and --cwd) are read from here, and shown as given. */
  callerDir?: string;
  /** How the usage text names the command. */
  command?: string;
}

const OPTIONS = { format: { type: "string", choices: FORMATS }, ...STACK_OPTION, ...CWD_OPTION } as const;

export const validateCommand = command({
  summary: "checks stack files offline, without credentials, with the rules pulumi preview applies",
  synopsis: "[--format text|json|github] [--cwd DIR] (STACK_FILE.yaml … | --stack STACK)",
  help: `Checks stack files offline, without credentials, with the rules pulumi preview applies.

  --format text       problems as file:line:col, with hints, on stderr (the default)
  --format json       one JSON document on stdout: {"ok", "files": [{"file", "ok"}], "problems":
                      [{"file", "line", "column", "path", "message", "hint"}]}
  --format github     GitHub Actions annotations on stdout: ::error file=…,line=…,col=…::message
  -s, --stack STACK   without files: the stack file that stack's program reads (the stackFile config
                      key of Pulumi.STACK.yaml, else stacks/STACK.yaml)
${CWD_HELP}`,
  options: OPTIONS,
  positionals: true,
  run(values, files, context) {
    return checkFiles({ format: values.format ?? "text", files, stack: values.stack, cwd: values.cwd }, context.output, context.cwd);
  },
});

export function validateUsage(invocation = "twilio-conversations-pulumi validate"): string {
  return commandUsage(invocation, validateCommand);
}

/**
 * The directory the user ran the command from: `npm run <script>` moves to the package root and
 * names the caller's directory in INIT_CWD. Run any other way, INIT_CWD may be inherited from an
 * unrelated npm script (e.g. `npm test` starting this file), so the working directory counts.
 */
export function callerDirectory(env: Record<string, string | undefined>, cwd: string, script = "validate"): string {
  return env.npm_lifecycle_event === script && env.INIT_CWD ? env.INIT_CWD : cwd;
}

/** `validate`'s command line, parsed and run (the package CLI and library callers). */
export function validateFiles(args: readonly string[], output: Output, options: ValidateOptions = {}): number {
  const parsed = parseCommandLine(OPTIONS, args, true);
  if (parsed.kind === "help") {
    output.out(validateUsage(options.command));
    return EXIT.ok;
  }
  if (parsed.kind === "usage-error") {
    output.err(`${parsed.message}\n\n${validateUsage(options.command)}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const request = { format: values.format ?? "text", files: positionals, stack: values.stack, cwd: values.cwd };
  return checkFiles(request, output, options.callerDir ?? process.cwd(), options.command);
}

interface CheckRequest {
  format: Format;
  files: string[];
  stack?: string;
  cwd?: string;
}

function checkFiles(request: CheckRequest, output: Output, callerDir: string, invocation?: string): number {
  const dir = resolve(callerDir, request.cwd ?? ".");
  const files = [...request.files];
  if (request.stack && files.length === 0) {
    const stackFile = stackFileOf(dir, request.stack);
    if (stackFile) files.push(stackFile.shown);
  }
  if (files.length === 0) {
    output.err(`no stack file given\n\n${validateUsage(invocation)}`);
    return EXIT.usage;
  }
  const verdicts: FileVerdict[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const result = loadStackFile(isAbsolute(file) ? file : resolve(dir, file), file);
    verdicts.push({ file, ok: result.ok });
    problems.push(...(result.ok ? result.warnings : result.problems));
  }
  problems.sort(compareProblems);
  RENDERERS[request.format](verdicts, problems, output);
  // Warnings leave a file valid.
  return verdicts.every((verdict) => verdict.ok) ? EXIT.ok : EXIT.failed;
}

interface FileVerdict {
  file: string;
  ok: boolean;
}

const RENDERERS: Record<Format, (verdicts: FileVerdict[], problems: Problem[], output: Output) => void> = {
  text(verdicts, problems, output) {
    for (const verdict of verdicts) if (verdict.ok) output.out(`ok ${verdict.file}`);
    if (problems.length > 0) output.err(renderProblemReport(problems));
  },
  json(verdicts, problems, output) {
    const document = {
      ok: verdicts.every((verdict) => verdict.ok),
      files: verdicts,
      problems: problems.map(({ file, line, column, path, message, hint, severity }) => ({ file, line, column, path, message, hint: hint ?? null, ...(severity ? { severity } : {}) })),
    };
    output.out(JSON.stringify(document, null, 2));
  },
  github(verdicts, problems, output) {
    for (const verdict of verdicts) if (verdict.ok) output.out(`ok ${verdict.file}`);
    for (const problem of problems) output.out(githubAnnotation(problem));
    if (problems.length > 0) output.err(problemCount(problems));
  },
};

/** A GitHub Actions workflow command: `::error file=…,line=…,col=…::path: message` and the hint below. */
export function githubAnnotation(problem: Problem): string {
  const properties = `file=${escapeProperty(problem.file)},line=${problem.line},col=${problem.column}`;
  const text = [problem.path ? `${problem.path}: ${problem.message}` : problem.message, problem.hint ? `hint: ${problem.hint}` : ""]
    .filter(Boolean)
    .join("\n");
  return `::${problem.severity === "warning" ? "warning" : "error"} ${properties}::${escapeData(text)}`;
}

// The escaping of GitHub's runner (toolkit/core `escapeData` and `escapeProperty`).
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
