// The doc comments of the property tables' rows, read from their source with the TypeScript
// compiler (they exist only there): the documentation of the arguments and outputs typed from the
// tables, and the description of each row's key in the JSON Schema and the reference. Used by the
// generators (`npm run schemas`), never at run time.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import * as environmentModule from "../provider/domain/environment";
import * as propertiesModule from "../provider/domain/properties";

/** The modules that export tables, by their source file. */
const TABLE_MODULES: ReadonlyArray<{ source: string; exports: object }> = [
  { source: "provider/domain/properties.ts", exports: propertiesModule },
  { source: "provider/domain/environment.ts", exports: environmentModule },
];

/** The doc comment of each row of each exported table of a TypeScript file: constant → property → text. */
export function docCommentsOf(fileName: string, text: string): Map<string, Map<string, string>> {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const tables = new Map<string, ts.ObjectLiteralExpression>();
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      let value = declaration.initializer;
      while (value && (ts.isAsExpression(value) || ts.isSatisfiesExpression(value) || ts.isParenthesizedExpression(value))) value = value.expression;
      if (value && ts.isObjectLiteralExpression(value) && ts.isIdentifier(declaration.name)) tables.set(declaration.name.text, value);
    }
  }
  const docs = new Map<string, Map<string, string>>();
  const docsOf = (constant: string): Map<string, string> => {
    const known = docs.get(constant);
    if (known) return known;
    const rows = new Map<string, string>();
    docs.set(constant, rows);
    for (const member of tables.get(constant)?.properties ?? []) {
      if (ts.isSpreadAssignment(member) && ts.isIdentifier(member.expression)) {
        for (const [property, doc] of docsOf(member.expression.text)) rows.set(property, doc);
      } else if (member.name && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name))) {
        const doc = ts
          .getJSDocCommentsAndTags(member)
          .filter(ts.isJSDoc)
          .map((jsDoc) => ts.getTextOfJSDocComment(jsDoc.comment) ?? "")
          .join(" ")
          .replace(/\s+/g, " ")
          .trim();
        if (doc) rows.set(member.name.text, doc);
        else rows.delete(member.name.text);
      }
    }
    return rows;
  };
  for (const constant of tables.keys()) docsOf(constant);
  return docs;
}

/** Where a table object is declared: its source file and its exported name. */
export function tableOrigin(table: object): { source: string; constant: string } {
  for (const { source, exports } of TABLE_MODULES) {
    for (const [constant, value] of Object.entries(exports)) if (value === table) return { source, constant };
  }
  throw new Error("a table is not exported by provider/domain");
}

/** Reads the doc comment of a table's row, each source file once, from the repository at `root`. */
export function rowDocReader(root: string): (table: object, property: string) => string | undefined {
  const bySource = new Map<string, Map<string, Map<string, string>>>();
  return (table, property) => {
    const { source, constant } = tableOrigin(table);
    if (!bySource.has(source)) bySource.set(source, docCommentsOf(source, readFileSync(join(root, source), "utf8")));
    return bySource.get(source)!.get(constant)?.get(property);
  };
}

/** Reads the doc comment of a kind's entry in the registry of environment kinds (KINDS): the description of its entries in the stack file. */
export function kindDocReader(root: string): (kind: string) => string {
  const source = "provider/domain/environment.ts";
  let kinds: Map<string, string> | undefined;
  return (kind) => {
    kinds ??= docCommentsOf(source, readFileSync(join(root, source), "utf8")).get("KINDS") ?? new Map<string, string>();
    const doc = kinds.get(kind);
    if (!doc) throw new Error(`the kind ${kind} has entries in the stack file but no doc comment in KINDS to describe them`);
    return doc;
  };
}
