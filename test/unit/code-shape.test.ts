import { describe, expect, it } from "vitest";
import { REPOSITORY_ROOT, importCircles, importGraph, longFunctions, sourcesUnder, type SourceText } from "../support/code-shape";

/** No function is longer than this many lines (the folders checked hold no generated code). */
const FUNCTION_LINE_LIMIT = 150;

const repository = (folders: readonly string[]) => sourcesUnder(REPOSITORY_ROOT, folders);

describe("the checks themselves", () => {
  it("measures a function from its first line to its closing line, and names it", () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join("\n");
    const sources: SourceText[] = [
      { path: "a.ts", text: `export function short() {\n${body(148)}\n}\nconst long = () => {\n${body(149)}\n};\nclass C {\n  method() {\n${body(10)}\n  }\n}\n` },
    ];
    expect(longFunctions(sources, 150)).toEqual([{ path: "a.ts", line: 151, name: "long", lines: 151 }]);
    expect(longFunctions(sources, 149).map(({ name, lines }) => [name, lines])).toEqual([
      ["short", 150],
      ["long", 151],
    ]);
  });

  it("finds a circle through imports, re-exports, type imports and require, and none in a chain", () => {
    const sources: SourceText[] = [
      { path: "x/a.ts", text: `import { b } from "./b";\nexport const a = b;` },
      { path: "x/b.ts", text: `export * from "../y/c";\nexport const b = 1;` },
      { path: "y/c.ts", text: `import type { A } from "../x/a";\nexport type C = A;` },
      { path: "y/d.ts", text: `const c = require("./c");\nexport const d = c;` },
      { path: "y/e.ts", text: `import { d } from "./d";\nimport { z } from "zod";\nexport const e = [d, z];` },
    ];
    expect(importCircles(importGraph(sources))).toEqual([["x/a.ts", "x/b.ts", "y/c.ts"]]);
    expect(importCircles(importGraph(sources.slice(1)))).toEqual([]);
  });

  it("counts a module importing itself as a circle, and resolves folders to their index", () => {
    const sources: SourceText[] = [
      { path: "m.ts", text: `import "./m";` },
      { path: "p/index.ts", text: `import { q } from "../q";` },
      { path: "q.ts", text: `export { p } from "./p";` },
    ];
    expect(importCircles(importGraph(sources))).toEqual([["m.ts"], ["p/index.ts", "q.ts"]]);
  });
});

describe("the shape of the code", () => {
  it(`has no function over ${FUNCTION_LINE_LIMIT} lines in provider/, emulator/, schemas/, bench/ or scripts/`, () => {
    const long = longFunctions(repository(["provider", "emulator", "schemas", "bench", "scripts"]), FUNCTION_LINE_LIMIT);
    expect(long.map(({ path, line, name, lines }) => `${path}:${line} ${name} (${lines} lines)`)).toEqual([]);
  });

  it("has no import circle among provider/, emulator/ and schemas/", () => {
    expect(importCircles(importGraph(repository(["provider", "emulator", "schemas"])))).toEqual([]);
  });
});
