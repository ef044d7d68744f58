// Records `pulumi preview --json` (and `--diff`, for line counts) for the edits the plan renderer's
// unit tests pin, and `pulumi refresh --preview-only --json` with its engine event log for the
// drift report, and the preview of state written when each message was its own resource (the
// take-over), so their fixtures are the engine's real output. Runs only with RECORD_PLANS=1
// (`-t drift` records only the drift fixtures, `-t take-over` only the take-over ones).
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "vitest";
import { builtCheckout, PER_MESSAGE_RESOURCES } from "./checkout";
import { newScenario, twilioObjects, type Scenario } from "./harness";

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

/** `npm run drift`'s engine call: the refresh preview, and the event log that carries the states read. */
async function recordRefresh(scenario: Scenario, name: string): Promise<void> {
  const eventLog = path.join(scenario.dir, `${name}.events`);
  const json = await scenario.pulumi(["refresh", "--preview-only", "--json", "--event-log", eventLog], { env: { PULUMI_DEBUG_COMMANDS: "true" } });
  fs.writeFileSync(path.join(FIXTURES, `${name}.json`), `${JSON.stringify(JSON.parse(json.stdout), null, 2)}\n`);
  fs.copyFileSync(eventLog, path.join(FIXTURES, `${name}.events.jsonl`));
}

describe.runIf(process.env.RECORD_PLANS === "1")("recording refresh --preview-only fixtures (drift)", () => {
  it("records no drift, then drift made outside, with an edit to the stack file that is not applied", async () => {
    const scenario = await newScenario("record-drift");
    try {
      scenario.writeStack(BASE);
      await scenario.up();
      // merged, not applied: the drift report must not see it
      scenario.writeStack(EDITS.rename);
      await recordRefresh(scenario, "drift-none");

      const token = Buffer.from(`${scenario.credentialsEnv.TWILIO_ACCOUNT_SID}:${scenario.credentialsEnv.TWILIO_AUTH_TOKEN}`).toString("base64");
      const twilio = async (method: string, resource: string, form?: Record<string, string>) => {
        const response = await fetch(`${scenario.emulator.url}/v1/${resource}`, {
          method,
          headers: { authorization: `Basic ${token}`, "content-type": "application/x-www-form-urlencoded" },
          body: form ? new URLSearchParams(form) : undefined,
        });
        if (!response.ok) throw new Error(`${method} ${resource}: ${response.status}`);
      };
      const { conversations, messages } = twilioObjects(scenario.emulator);
      const support = conversations.find((c) => c.unique_name === "support-plan");
      const lobby = conversations.find((c) => c.unique_name === "lobby-plan");
      const hello = messages.find((m) => m.conversation_sid === support.sid && m.body === "Hi");
      await twilio("POST", `Conversations/${support.sid}`, { FriendlyName: "Renamed by hand", Attributes: JSON.stringify({ team: "support", tier: 1 }) });
      await twilio("POST", `Conversations/${support.sid}/Messages/${hello.sid}`, { Body: "Edited by hand" });
      await twilio("DELETE", `Conversations/${lobby.sid}`);
      await recordRefresh(scenario, "drift");
    } finally {
      await scenario.dispose();
    }
  }, 600_000);
});


describe.runIf(process.env.RECORD_PLANS === "1")("recording the take-over of per-message resources", () => {
  it("records the first preview after state with one Message resource per message, unchanged and with a body edit", async () => {
    const scenario = await newScenario("record-take-over");
    try {
      const previous = builtCheckout(PER_MESSAGE_RESOURCES, scenario.dir, "per-message");
      scenario.writeStack(BASE);
      await scenario.pulumi(["config", "set", "stackFile", path.join(scenario.dir, "stack.yaml")], { cwd: previous });
      await scenario.pulumi(["up", "--yes", "--skip-preview"], { cwd: previous });
      for (const [name, yaml] of [["take-over", BASE], ["take-over-body-edit", EDITS["body-edit"]]]) {
        scenario.writeStack(yaml);
        const json = await scenario.pulumi(["preview", "--json"]);
        fs.writeFileSync(path.join(FIXTURES, `${name}.json`), `${JSON.stringify(JSON.parse(json.stdout), null, 2)}\n`);
      }
    } finally {
      await scenario.dispose();
    }
  }, 600_000);
});
