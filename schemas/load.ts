import { readFileSync } from "node:fs";
import { YAMLException, load, parseEvents } from "js-yaml";
import { issuesToProblems } from "./issues";
import { compareProblems, formatPath, type Problem } from "./problems";
import { buildSourceMap } from "./source-map";
import { stackSchema, type StackSpec } from "./stack";

export type LoadResult = { ok: true; spec: StackSpec } | { ok: false; problems: Problem[] };

const BLANK_OR_COMMENT = /^\s*(?:#.*)?$/;

function isEmptyDocument(text: string): boolean {
  return text.split("\n").every((line) => BLANK_OR_COMMENT.test(line));
}

function fileProblem(file: string, message: string, hint: string): Problem {
  return { file, line: 1, column: 1, path: "", message, hint };
}

/** A js-yaml error, at js-yaml's own mark, with its source snippet under the message. */
function yamlProblem(error: YAMLException, text: string, file: string): Problem {
  const mark = error.mark;
  // js-yaml gives no mark when the stream holds several documents.
  if (!mark) return fileProblem(file, error.reason, "a stack file is one YAML document; remove the extra --- sections");
  const duplicateKey = /duplicate/i.test(error.reason);
  const snippet = mark.snippet ? `\n${mark.snippet.replace(/\n+$/, "")}` : "";
  return {
    file,
    line: mark.line + 1,
    column: mark.column + 1,
    path: duplicateKey ? pathOfKeyAt(text, file, mark.position) : "",
    message: `${error.reason}${snippet}`,
    hint: duplicateKey
      ? "a key may appear only once in a mapping; remove or rename one of them"
      : "fix the YAML syntax at the marked position",
  };
}

function pathOfKeyAt(text: string, file: string, offset: number): string {
  try {
    const located = buildSourceMap(text, parseEvents(text, { filename: file })).pathAt(offset);
    return located ? formatPath(located) : "";
  } catch {
    return "";
  }
}

/** Parses and validates a stack file's text; reports every problem of the file, in position order. */
export function loadStackText(text: string, file: string): LoadResult {
  if (isEmptyDocument(text)) {
    return {
      ok: false,
      problems: [
        fileProblem(file, "the file is empty", "declare at least conversations: {} (see examples/minimal.yaml)"),
      ],
    };
  }
  let document: unknown;
  try {
    document = load(text, { filename: file });
  } catch (error) {
    if (error instanceof YAMLException) return { ok: false, problems: [yamlProblem(error, text, file)] };
    throw error;
  }
  const schema = stackSchema();
  const result = schema.safeParse(document);
  if (result.success) return { ok: true, spec: result.data };
  const sourceMap = buildSourceMap(text, parseEvents(text, { filename: file }));
  const problems = issuesToProblems(result.error.issues, { file, document, sourceMap, schema });
  return { ok: false, problems: problems.sort(compareProblems) };
}

/** Reads, parses and validates a stack file. Problems name it as `shownAs` (default: `file` as given). */
export function loadStackFile(file: string, shownAs: string = file): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return { ok: false, problems: [fileProblem(shownAs, `cannot read the file (${reason})`, "check the path")] };
  }
  return loadStackText(text, shownAs);
}
