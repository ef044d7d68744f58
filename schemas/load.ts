import { readFileSync } from "node:fs";
import * as path from "node:path";
import { YAMLException, load, parseEvents, type Event } from "js-yaml";
import { issuesToProblems } from "./issues";
import { compareProblems, formatPath, type Problem } from "./problems";
import { hostileYamlProblems } from "./hostile-yaml";
import { buildSourceMap, sourceMapWhenAsked, type SourceMap } from "./source-map";
import { stackSchema, type StackSpec } from "./stack";
import { indistinguishableConversations } from "./twins";
import { firstInvalidUtf8Byte } from "./utf8";

/** A valid file may still carry warnings (`severity: "warning"`), which `validate` shows. */
export type LoadResult = { ok: true; spec: StackSpec; warnings: Problem[] } | { ok: false; problems: Problem[] };

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
  let events: Event[];
  try {
    document = load(text, { filename: file });
    events = parseEvents(text, { filename: file });
  } catch (error) {
    if (error instanceof YAMLException) return { ok: false, problems: [yamlProblem(error, text, file)] };
    throw error;
  }
  const sourceMap = sourceMapWhenAsked(text, events);
  // Aliases are only refused here, before anything walks the document: load() shares an aliased
  // node rather than copying it, so a bomb or a cycle costs it nothing, but would cost zod and
  // JSON.stringify everything.
  const hostile = hostileYamlProblems(text, events, file, sourceMap);
  if (hostile.length > 0) return { ok: false, problems: hostile.sort(compareProblems) };
  const schema = stackSchema();
  const result = schema.safeParse(document);
  if (result.success) return { ok: true, spec: result.data, warnings: twinWarnings(result.data, file, sourceMap) };
  const problems = issuesToProblems(result.error.issues, { file, document, sourceMap, schema });
  return { ok: false, problems: problems.sort(compareProblems) };
}

/** Conversations that no declared field tells apart: after a killed run, a recovery cannot tell which is which (see README § After a killed run). */
function twinWarnings(spec: StackSpec, file: string, sourceMap: SourceMap): Problem[] {
  return indistinguishableConversations(spec).flatMap((group) =>
    group.map((name) => {
      const { source } = sourceMap.nearest(["conversations", name]);
      const { line, column } = sourceMap.position(source.keyOffset ?? source.offset);
      const others = group.filter((other) => other !== name).join(", ");
      return {
        file,
        line,
        column,
        path: formatPath(["conversations", name]),
        message: `no declared field tells this conversation apart from ${others}: after a killed \`pulumi up\`, a recovery from Twilio takes one for each, in no set order`,
        hint: "give each a uniqueName (or a friendlyName or attributes of its own) if which one is which matters",
        severity: "warning" as const,
      };
    }),
  );
}

/** Invalid bytes would otherwise become U+FFFD in values sent to Twilio. */
function notUtf8Problem(bytes: Buffer, offset: number, file: string): Problem {
  const before = bytes.subarray(0, offset).toString("utf8");
  const lineStart = before.lastIndexOf("\n") + 1;
  const byte = bytes[offset].toString(16).toUpperCase().padStart(2, "0");
  return {
    file,
    line: before.split("\n").length,
    column: before.length - lineStart + 1,
    path: "",
    message: `byte 0x${byte} is not valid UTF-8`,
    hint: "save the file as UTF-8; it may be in Latin-1 or Windows-1252, where such bytes stand for accented letters",
  };
}

/** The stack file: config `stackFile` when set, else `stacks/<stack>.yaml`; relative to the project root. */
export function stackFilePath(configured: string | undefined, stack: string): string {
  return configured ?? path.join("stacks", `${stack}.yaml`);
}

/** Reads, parses and validates a stack file. Problems name it as `shownAs` (default: `file` as given). */
export function loadStackFile(file: string, shownAs: string = file): LoadResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return { ok: false, problems: [fileProblem(shownAs, `cannot read the file (${reason})`, "check the path")] };
  }
  const invalid = firstInvalidUtf8Byte(bytes);
  if (invalid >= 0) return { ok: false, problems: [notUtf8Problem(bytes, invalid, shownAs)] };
  return loadStackText(bytes.toString("utf8"), shownAs);
}
