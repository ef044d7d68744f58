// The links of the README, CONTRIBUTING.md and the pages of docs/: each relative one names a file of
// the repository, and each #anchor a heading of the page it points into (as GitHub makes anchors).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..", "..");
const PAGES = [
  "README.md",
  "CONTRIBUTING.md",
  ...(readdirSync(join(ROOT, "docs"), { recursive: true }) as string[]).filter((file) => file.endsWith(".md")).map((file) => join("docs", file)),
];

/** GitHub's anchor of a heading: lowercase, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, "utf8").replace(/^```[\s\S]*?^```$/gm, "");
  return new Set([...text.matchAll(/^#{1,6} (.*)$/gm)].map((match) => anchorOf(match[1])));
}

/** Each link outside code blocks: `[text](target)`. */
function linksOf(page: string): string[] {
  const text = readFileSync(join(ROOT, page), "utf8").replace(/^```[\s\S]*?^```$/gm, "");
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]).filter((target) => !/^[a-z]+:/.test(target));
}

describe("the documentation's links", () => {
  it("GitHub's anchors, as computed here", () => {
    expect(anchorOf("The environment: service, roles, users, account settings")).toBe("the-environment-service-roles-users-account-settings");
    expect(anchorOf("Drift: what changed in Twilio since the last `up`")).toBe("drift-what-changed-in-twilio-since-the-last-up");
  });

  it.each(PAGES)("%s: every relative link names a file, and every anchor a heading", (page) => {
    const broken = linksOf(page).filter((target) => {
      const [file, anchor] = target.split("#");
      const path = file ? join(ROOT, dirname(page), file) : join(ROOT, page);
      if (!existsSync(path)) return true;
      return anchor !== undefined && path.endsWith(".md") && !anchorsOf(path).has(anchor);
    });
    expect(broken.map((target) => `${page} → ${target}`)).toEqual([]);
  });
});
