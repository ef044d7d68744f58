// Another commit of this repository, built beside it with the same dependencies: for state
// written by an earlier release.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const PROJECT = path.resolve(__dirname, "../..");

/** The last commit whose stack program declared one Message resource per seed message. */
export const PER_MESSAGE_RESOURCES = "e7ccf0a7b0ee0e92e350c4da2f3feaef97db249b";

/** Extracts `commit` into `<into>/<name>`, links this checkout's node_modules and builds it; returns its directory. */
export function builtCheckout(commit: string, into: string, name: string): string {
  const dir = path.join(into, name);
  fs.mkdirSync(dir);
  const archive = execFileSync("git", ["archive", "--format=tar", commit], { cwd: PROJECT, maxBuffer: 64 << 20 });
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
  fs.symlinkSync(path.join(PROJECT, "node_modules"), path.join(dir, "node_modules"), "dir");
  execFileSync(process.execPath, [path.join(PROJECT, "node_modules/typescript/bin/tsc"), "-p", path.join(dir, "tsconfig.json")]);
  return dir;
}
