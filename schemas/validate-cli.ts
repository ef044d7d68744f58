// `npm run validate -- [--format text|json|github] FILE…`: checks stack files offline. Exit 0 when
// every file is valid, 1 when any has a problem, 2 on a usage error.
import { isAbsolute, resolve } from "node:path";
import { loadStackFile } from "./load";
import { compareProblems, problemCount, renderProblemReport, type Problem } from "./problems";

export const FORMATS = ["text", "json", "github"] as const;
export type Format = (typeof FORMATS)[number];

export interface Output {
  out: (line: string) => void;
  err: (text: string) => void;
}

export interface ValidateOptions {
  /** Files given as relative paths are read from here and shown as given. */
  callerDir?: string;
  /** How the usage text names the command. */
  command?: string;
}

export function validateUsage(command = "npm run validate --"): string {
  return `usage: ${command} [--format text|json|github] STACK_FILE.yaml [STACK_FILE.yaml …]

Checks stack files offline, without credentials, with the rules pulumi preview applies.

  --format text     problems as file:line:col, with hints, on stderr (the default)
  --format json     one JSON document on stdout: {"ok", "files": [{"file", "ok"}], "problems":
                    [{"file", "line", "column", "path", "message", "hint"}]}
  --format github   GitHub Actions annotations on stdout: ::error file=…,line=…,col=…::message
  -h, --help        this text

Exit codes: 0 every file is valid, 1 a file has problems, 2 usage error.`;
}

type Parsed = { kind: "help" } | { kind: "usage-error"; message: string } | { kind: "run"; format: Format; files: string[] };

/** The command line, as data. */
export function parseValidateArgs(args: readonly string[]): Parsed {
  let format: Format = "text";
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      files.push(...args.slice(i + 1));
      break;
    }
    if (arg === "--help" || arg === "-h") return { kind: "help" };
    if (arg === "--format" || arg.startsWith("--format=")) {
      const value = arg === "--format" ? args[++i] : arg.slice("--format=".length);
      if (!FORMATS.includes(value as Format)) {
        return { kind: "usage-error", message: `--format takes text, json or github${value === undefined ? "" : `, not ${JSON.stringify(value)}`}` };
      }
      format = value as Format;
    } else if (arg.startsWith("-")) {
      return { kind: "usage-error", message: `unknown option ${JSON.stringify(arg)}` };
    } else files.push(arg);
  }
  if (files.length === 0) return { kind: "usage-error", message: "no stack file given" };
  return { kind: "run", format, files };
}

/**
 * The directory the user ran the command from: `npm run validate` moves to the package root and
 * names the caller's directory in INIT_CWD. Run any other way, INIT_CWD may be inherited from an
 * unrelated npm script (e.g. `npm test` starting this file), so the working directory counts.
 */
export function callerDirectory(env: Record<string, string | undefined>, cwd: string): string {
  return env.npm_lifecycle_event === "validate" && env.INIT_CWD ? env.INIT_CWD : cwd;
}

interface FileVerdict {
  file: string;
  ok: boolean;
}

export function validateFiles(args: readonly string[], output: Output, options: ValidateOptions = {}): number {
  const parsed = parseValidateArgs(args);
  if (parsed.kind === "help") {
    output.out(validateUsage(options.command));
    return 0;
  }
  if (parsed.kind === "usage-error") {
    output.err(`${parsed.message}\n\n${validateUsage(options.command)}`);
    return 2;
  }
  const callerDir = options.callerDir ?? process.cwd();
  const verdicts: FileVerdict[] = [];
  const problems: Problem[] = [];
  for (const file of parsed.files) {
    const result = loadStackFile(isAbsolute(file) ? file : resolve(callerDir, file), file);
    verdicts.push({ file, ok: result.ok });
    problems.push(...(result.ok ? result.warnings : result.problems));
  }
  problems.sort(compareProblems);
  RENDERERS[parsed.format](verdicts, problems, output);
  // Warnings leave a file valid.
  return verdicts.every((verdict) => verdict.ok) ? 0 : 1;
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

if (require.main === module) {
  process.exitCode = validateFiles(
    process.argv.slice(2),
    {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (text) => process.stderr.write(`${text}\n`),
    },
    { callerDir: callerDirectory(process.env, process.cwd()) },
  );
}
