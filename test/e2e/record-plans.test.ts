// Records `pulumi preview --json` (and `--diff`, for line counts) for the edits the plan renderer's
// unit tests pin, so their fixtures are the engine's real output. Runs only with RECORD_PLANS=1.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "vitest";
import { newScenario } from "./harness";

const FIXTURES = path.join(__dirname, "..", "fixtures", "plans");

const BASE = `
conversations:
  support:
    uniqueName: support-plan
    friendlyName: Support
    attributes: { team: support, tier: 2 }
    messages:
      - key: hello
        body: Hi
      - key: card
        contentSid: HX00000000000000000000000000000001
        contentVariables: { "1": Ada }
      - key: bye
        body: Bye
  lobby:
    uniqueName: lobby-plan
    friendlyName: Lobby
    messages:
      - key: welcome
        body: Welcome
      - key: rules
        body: Be kind
`;

const EDITS: Record<string, string> = {
  "no-change": BASE,
  rename: BASE.replace("friendlyName: Support", "friendlyName: Support desk"),
  "attribute-change": BASE.replace("tier: 2", "tier: 1"),
  "body-edit": BASE.replace("body: Hi", "body: Hello there"),
  "content-sid-change": BASE.replace("HX00000000000000000000000000000001", "HX00000000000000000000000000000002"),
  "message-inserted": BASE.replace("      - key: card", "      - key: faq\n        body: See the FAQ\n      - key: card"),
  "conversation-removed": BASE.slice(0, BASE.indexOf("  lobby:")),
};

describe.runIf(process.env.RECORD_PLANS === "1")("recording preview --json fixtures", () => {
  it("records each edit against the base stack", async () => {
    const scenario = await newScenario("record-plans");
    try {
      scenario.writeStack(BASE);
      await scenario.up();
      const counts: Record<string, number> = {};
      for (const [name, yaml] of Object.entries(EDITS)) {
        scenario.writeStack(yaml);
        const json = await scenario.pulumi(["preview", "--json"]);
        const parsed = JSON.parse(json.stdout);
        fs.writeFileSync(path.join(FIXTURES, `${name}.json`), `${JSON.stringify(parsed, null, 2)}\n`);
        const diff = await scenario.pulumi(["preview", "--diff"]);
        fs.writeFileSync(path.join(FIXTURES, `${name}.diff.txt`), diff.stdout);
        counts[name] = diff.stdout.trimEnd().split("\n").length;
      }
      fs.writeFileSync(path.join(FIXTURES, "preview-diff-line-counts.json"), `${JSON.stringify(counts, null, 2)}\n`);
    } finally {
      await scenario.dispose();
    }
  }, 600_000);
});
