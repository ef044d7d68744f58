import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The README and every Markdown page under docs/, found by walking the folder so that a new page
 * cannot be missed: what the readme tests read commands and stack files from.
 */
export function documentationFiles(root: string): string[] {
  const pages = (fs.readdirSync(path.join(root, "docs"), { recursive: true }) as string[])
    .filter((file) => file.endsWith(".md"))
    .map((file) => path.join("docs", file))
    .sort();
  return ["README.md", ...pages];
}
