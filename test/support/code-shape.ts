// The shape of the code, read with the TypeScript compiler: functions longer than a limit, and
// import circles between modules. Pure over {path, text} so the checks can be tested on
// made-up sources as well as run on the repository.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";
import ts from "typescript";

export interface SourceText {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  text: string;
}

export interface LongFunction {
  path: string;
  line: number;
  name: string;
  lines: number;
}

const CODE = /\.(ts|mts|cts|js|mjs|cjs)$/;

/** The source files under these folders of `root` (declarations and node_modules left out). */
export function sourcesUnder(root: string, folders: readonly string[]): SourceText[] {
  const found: SourceText[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      if (entry === "node_modules") continue;
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (CODE.test(entry) && !entry.endsWith(".d.ts")) {
        found.push({ path: relative(root, full).split(sep).join("/"), text: readFileSync(full, "utf8") });
      }
    }
  };
  for (const folder of folders) walk(join(root, folder));
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

function parse({ path, text }: SourceText): ts.SourceFile {
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
}

function functionName(node: ts.FunctionLikeDeclaration): string {
  if (node.name) return node.name.getText();
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    return parent.name.getText();
  }
  return "(anonymous)";
}

/** Every function, method, accessor, constructor or arrow spanning more than `limit` lines (its signature line to its closing line). */
export function longFunctions(sources: readonly SourceText[], limit: number): LongFunction[] {
  const long: LongFunction[] = [];
  for (const source of sources) {
    const file = parse(source);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && "body" in node && node.body) {
        const first = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
        const last = file.getLineAndCharacterOfPosition(node.getEnd()).line;
        const lines = last - first + 1;
        if (lines > limit) long.push({ path: source.path, line: first + 1, name: functionName(node as ts.FunctionLikeDeclaration), lines });
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return long;
}

/** The relative modules a file names: imports, re-exports, `import type`, `require` and `import()`. */
function specifiersOf(file: ts.SourceFile): string[] {
  const named: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      named.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      named.push(node.moduleReference.expression.text);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === "require")) &&
      node.arguments.length === 1 &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      named.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      named.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return named.filter((specifier) => specifier.startsWith("."));
}

/** The import graph among these sources: each path to the paths it imports (modules outside the set left out). */
export function importGraph(sources: readonly SourceText[]): Map<string, string[]> {
  const known = new Set(sources.map((source) => source.path));
  const resolve = (from: string, specifier: string): string | undefined => {
    const base = posix.normalize(posix.join(posix.dirname(from), specifier));
    const stem = base.replace(/\.(js|mjs|cjs)$/, "");
    const candidates = [base, `${stem}.ts`, `${stem}.mts`, `${stem}.cts`, `${stem}.js`, `${base}/index.ts`, `${base}/index.js`];
    return candidates.find((candidate) => known.has(candidate));
  };
  const graph = new Map<string, string[]>();
  for (const source of sources) {
    const targets = specifiersOf(parse(source))
      .map((specifier) => resolve(source.path, specifier))
      .filter((target): target is string => target !== undefined);
    graph.set(source.path, [...new Set(targets)].sort());
  }
  return graph;
}

/** The import circles: each strongly connected group of two or more modules (or one importing itself), sorted. */
export function importCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's algorithm, iterative over the sorted graph so the answer is stable.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const circles: string[][] = [];
  const connect = (start: string): void => {
    const frames: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const targets = graph.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++];
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          frames.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.node);
        if (group.length > 1 || (graph.get(frame.node) ?? []).includes(frame.node)) circles.push(group.sort());
      }
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) connect(node);
  return circles.sort((a, b) => a[0].localeCompare(b[0]));
}

/** The folder holding this repository's package.json, from this file. */
export const REPOSITORY_ROOT = join(__dirname, "..", "..");
