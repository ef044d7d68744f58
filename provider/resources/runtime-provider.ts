import { realpathSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type { EnvironmentKindName } from "../domain/environment";

export type ResourceKind = "conversation" | "conversationGroup" | "message" | EnvironmentKindName;

/** The package's name, and the entry that holds the provider's implementation (engine side). */
export const PACKAGE_NAME = "twilio-conversations-pulumi";
export const RUNTIME_ENTRY = `${PACKAGE_NAME}/runtime`;

/**
 * How the provider process finds the implementation: the package by name, resolved from the working
 * directory pulumi gives the program and its provider process (the project, or `main:`). That
 * covers this repository (a package may require itself by name), the package installed as a
 * dependency, and workspace monorepos, where it may be hoisted to the root. When the name does not
 * resolve from there (the package is a dependency of a dependency, not hoisted), the path of this
 * installation relative to the working directory is used instead: never an absolute path, which
 * would tie state to one machine.
 */
export function runtimeSpecifier(cwd: string = process.cwd(), implementation: string = path.join(__dirname, "..", "runtime.js")): string {
  try {
    const found = createRequire(path.join(cwd, "_")).resolve(RUNTIME_ENTRY);
    if (sameFile(found, implementation)) return RUNTIME_ENTRY;
  } catch {
    // Not resolvable by name from the working directory: fall through to the relative path.
  }
  const relative = path.relative(cwd, implementation).split(path.sep).join("/");
  return relative.startsWith(".") ? relative : `./${relative}`;
}

let specifier: string | undefined;

/**
 * The provider stored in state with every resource, as the text of a module whose `handler`
 * returns it: the dynamic-provider host loads that text and calls `handler()`. Written here rather
 * than serialized from a closure, so it holds no logic, no credential and no dependency, and costs
 * about 145 bytes per resource instead of 2 KB. A fixed provider serves resources an older one
 * created, and all resources of a stack share one runtime (settings, connections, rate limiter).
 */
export function providerModuleText(kind: ResourceKind, runtime: string = (specifier ??= runtimeSpecifier())): string {
  return `exports.handler=()=>require("module").createRequire(require("path").join(process.cwd(),"_"))(${JSON.stringify(runtime)}).${kind};`;
}

function sameFile(a: string, b: string): boolean {
  const real = (file: string) => {
    try {
      return realpathSync(file);
    } catch {
      return file;
    }
  };
  return real(a) === real(b);
}
