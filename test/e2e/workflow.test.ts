// The pull-request workflow as GitHub would run it: the workflow file parsed for its fork safety and
// the scripts it names, and those scripts run on the real engine against the emulator, with a `gh`
// that records what it was asked to do.
import * as fs from "node:fs";
import * as path from "node:path";
import { load } from "js-yaml";
import { afterEach, describe, expect, it } from "vitest";
import { newScenario, twilioObjects, type CommandResult, type Scenario } from "./harness";

const E2E_TIMEOUT = 300_000;
const ROOT = path.resolve(__dirname, "../..");
// Kept among the examples, so it runs in the projects that copy it to .github/workflows/, not here.
const WORKFLOW_FILE = path.join(ROOT, "examples/ci/conversations.yml");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  environment?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflow = load(fs.readFileSync(WORKFLOW_FILE, "utf8")) as Workflow;
const FROM_THIS_REPOSITORY = "github.event.pull_request.head.repo.full_name == github.repository";
const usesSecrets = (step: Step) => Object.values(step.env ?? {}).some((value) => String(value).includes("secrets."));
const stepRunning = (job: Job, script: string) => {
  const step = job.steps.find((candidate) => candidate.run?.includes(script));
  if (!step) throw new Error(`no step of the job runs ${script}`);
  return step;
};

/** A `gh` that appends its arguments (one JSON line per call) to a log and answers like GitHub's API. */
function fakeGh(dir: string) {
  const bin = path.join(dir, "bin");
  const log = path.join(dir, "gh-calls.jsonl");
  const comments = path.join(dir, "gh-comments.json");
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(comments, JSON.stringify([{ id: 7, body: "Looks good to me" }]));
  fs.writeFileSync(
    path.join(bin, "gh"),
    `#!/usr/bin/env node
const fs = require("node:fs");
const args = process.argv.slice(2);
const input = args.includes("--input") ? JSON.parse(fs.readFileSync(args[args.indexOf("--input") + 1], "utf8")) : null;
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args, input, token: process.env.GH_TOKEN }) + "\\n");
const comments = JSON.parse(fs.readFileSync(${JSON.stringify(comments)}, "utf8"));
const method = args.includes("--method") ? args[args.indexOf("--method") + 1] : "GET";
if (method === "GET") {
  // with --paginate --slurp, gh prints one array of all the pages; without, only the first page
  if (!args.includes("--paginate") || !args.includes("--slurp")) { process.stderr.write("expected --paginate --slurp\\n"); process.exit(1); }
  process.stdout.write(JSON.stringify([comments.slice(0, 1), comments.slice(1)]));
} else if (method === "POST") {
  comments.push({ id: 1000 + comments.length, body: input.body });
  fs.writeFileSync(${JSON.stringify(comments)}, JSON.stringify(comments));
  process.stdout.write(JSON.stringify(comments[comments.length - 1]));
} else if (method === "PATCH") {
  const id = Number(args.find((arg) => arg.startsWith("repos/")).split("/").pop());
  const comment = comments.find((candidate) => candidate.id === id);
  if (!comment) { process.stderr.write("HTTP 404: Not Found\\n"); process.exit(1); }
  comment.body = input.body;
  fs.writeFileSync(${JSON.stringify(comments)}, JSON.stringify(comments));
  process.stdout.write(JSON.stringify(comment));
}
`,
    { mode: 0o755 },
  );
  return {
    bin,
    calls: (): { args: string[]; input: { body: string } | null; token?: string }[] =>
      fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line)) : [],
    comments: (): { id: number; body: string }[] => JSON.parse(fs.readFileSync(comments, "utf8")),
  };
}

/** Runs a step's `run:` text with bash as GitHub does, with the step's env and `overrides` on top. */
function runStep(scenario: Scenario, step: Step, overrides: Record<string, string>, fakeBin: string): Promise<CommandResult> {
  const secretless = Object.fromEntries(Object.entries(step.env ?? {}).filter(([, value]) => !String(value).includes("${{")));
  const assignments = Object.entries({ ...secretless, ...overrides }).map(([key, value]) => `${key}=${value}`);
  return scenario.run("env", [...assignments, "bash", "-e", "-o", "pipefail", "-c", `PATH=${fakeBin}:$PATH\n${step.run}`]);
}

const STACK = `
conversations:
  support:
    uniqueName: support-workflow-e2e
    friendlyName: Support
    messages:
      - key: hello
        body: Hi
`;

let scenario: Scenario | undefined;
async function deployed(name: string): Promise<Scenario> {
  const deployedScenario = await newScenario(name);
  deployedScenario.writeStack(STACK);
  await deployedScenario.up();
  return deployedScenario;
}
afterEach(async () => {
  await scenario?.dispose();
  scenario = undefined;
});

describe("the workflow file", () => {
  it("gives secrets and write access only to pull requests from this repository, and production only to main", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["pull_request", "push", "schedule"]);
    expect(workflow.permissions ?? {}).not.toHaveProperty("pull-requests");

    const plan = workflow.jobs.plan;
    expect(plan.if).toBe("github.event_name == 'pull_request'");
    expect(plan.permissions?.["pull-requests"]).toBe("write");
    expect(plan.environment).toBeUndefined();
    const secretSteps = plan.steps.filter(usesSecrets);
    expect(secretSteps.map((step) => step.run)).toEqual([stepRunning(plan, "scripts/ci/plan.sh").run]);
    for (const step of secretSteps) expect(step.if).toBe(FROM_THIS_REPOSITORY);
    expect(stepRunning(plan, "npm run validate").if).toBeUndefined();

    const drift = workflow.jobs.drift;
    expect(drift.if).toContain("github.event_name != 'pull_request'");
    expect(drift.if).toContain("github.ref == 'refs/heads/main'");
    expect(drift.environment).toBe("production");
    expect(drift.permissions ?? {}).not.toHaveProperty("pull-requests");
    expect(stepRunning(drift, "scripts/ci/drift.sh").env?.STACK).toBe("production");

    for (const job of [plan, drift]) {
      const cache = job.steps.find((step) => step.uses?.startsWith("actions/cache@")) as Step & { with: { path: string; key: string } };
      expect(cache.with.path).toContain("~/.cache/twilio-conversations-pulumi");
      expect(cache.with.path).toContain("~/go/pkg/mod");
      expect(cache.with.key).toContain("hashFiles('package-lock.json', 'scripts/engine/**/go.sum')");
    }
  });

  it("is the workflow the README shows, word for word", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(readme).toContain("```yaml\n" + fs.readFileSync(WORKFLOW_FILE, "utf8") + "```");
  });

  it("names only scripts and npm scripts that exist, executable", () => {
    const packageScripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step.run).filter((run): run is string => Boolean(run)));
    const files = runs.flatMap((run) => [...run.matchAll(/(?:^|\s)((?:\.\/)?scripts\/[\w./-]+)/g)].map((match) => match[1]));
    expect(files.sort()).toEqual(["scripts/ci/drift.sh", "scripts/ci/plan.sh"]);
    for (const file of files) {
      expect(fs.existsSync(path.join(ROOT, file)), file).toBe(true);
      expect(fs.statSync(path.join(ROOT, file)).mode & 0o111, `${file} is executable`).not.toBe(0);
      expect(fs.readFileSync(path.join(ROOT, file), "utf8")).toContain("set -euo pipefail");
    }
    const npmScripts = runs.flatMap((run) => [...run.matchAll(/npm run (?:-s )?([\w:-]+)/g)].map((match) => match[1]));
    expect(npmScripts.length).toBeGreaterThan(0);
    for (const name of npmScripts) expect(packageScripts, name).toHaveProperty(name);
  });
});

describe("the workflow's scripts on the real engine", () => {
  it("plan.sh shows the plan in the summary and keeps one pull-request comment up to date", async () => {
    scenario = await deployed("workflow-plan");
    const gh = fakeGh(scenario.dir);
    const summary = path.join(scenario.dir, "summary.md");
    const stackFile = path.join(scenario.dir, "stack.yaml");
    const step = stepRunning(workflow.jobs.plan, "scripts/ci/plan.sh");
    const github = { GITHUB_STEP_SUMMARY: summary, GITHUB_TOKEN: "ghs_test", GITHUB_REPOSITORY: "acme/infra", PR_NUMBER: "42" };
    const planStep = () => runStep(scenario!, { ...step, run: `${step.run} ${stackFile}` }, { ...github, STACK: scenario!.stack }, gh.bin);

    scenario.writeStack(STACK.replace("friendlyName: Support", "friendlyName: Support desk"));
    const first = await planStep();
    expect(first.code, first.output).toBe(0);
    expect(fs.readFileSync(summary, "utf8")).toContain("**Plan: 1 to update**");
    expect(fs.readFileSync(summary, "utf8")).toContain('- friendlyName: `"Support"` → `"Support desk"`');
    const posts = gh.calls().filter((call) => call.args.includes("POST"));
    expect(posts).toHaveLength(1);
    expect(posts[0].args).toContain("repos/acme/infra/issues/42/comments");
    expect(posts[0].input!.body).toContain(`<!-- twilio-conversations-plan:${scenario.stack} -->`);
    expect(posts[0].input!.body).toContain("**Plan: 1 to update**");
    expect(posts[0].token).toBe("ghs_test");

    scenario.writeStack(STACK.replace("friendlyName: Support", "friendlyName: Help desk"));
    const second = await planStep();
    expect(second.code, second.output).toBe(0);
    const calls = gh.calls();
    expect(calls.filter((call) => call.args.includes("POST"))).toHaveLength(1);
    const patches = calls.filter((call) => call.args.includes("PATCH"));
    expect(patches).toHaveLength(1);
    expect(patches[0].args).toContain(`repos/acme/infra/issues/comments/${gh.comments()[1].id}`);
    // one comment of ours, showing the latest plan, beside the reviewer's
    expect(gh.comments()).toHaveLength(2);
    expect(gh.comments()[0].body).toBe("Looks good to me");
    expect(gh.comments()[1].body).toContain('`"Help desk"`');
    expect(gh.comments()[1].body).not.toContain("Support desk");

    // a failed run marks the earlier plan as out of date instead of leaving it to be trusted
    scenario.writeStack(STACK.replace("uniqueName: support-workflow-e2e", "uniqueName: 42: no"));
    const broken = await planStep();
    expect(broken.code).not.toBe(0);
    expect(gh.calls().filter((call) => call.args.includes("POST"))).toHaveLength(1);
    expect(gh.comments()).toHaveLength(2);
    expect(gh.comments()[1].body).toContain(`<!-- twilio-conversations-plan:${scenario.stack} -->`);
    expect(gh.comments()[1].body).toContain("**Validation failed**");
    expect(gh.comments()[1].body).not.toContain("Help desk");
    scenario.writeStack(STACK.replace("friendlyName: Support", "friendlyName: Help desk"));

    // outside a pull request it says so and comments nothing
    const callsBefore = gh.calls().length;
    const local = await runStep(scenario, { ...step, run: `${step.run} ${stackFile}` }, { GITHUB_STEP_SUMMARY: summary, STACK: scenario.stack, GITHUB_TOKEN: "" }, gh.bin);
    expect(local.code, local.output).toBe(0);
    expect(local.stderr).toContain("not commenting on a pull request");
    expect(gh.calls()).toHaveLength(callsBefore);
  }, E2E_TIMEOUT);

  it("plan.sh fails and comments nothing when the stack file is invalid or the credentials are wrong", async () => {
    scenario = await deployed("workflow-red");
    const gh = fakeGh(scenario.dir);
    const stackFile = path.join(scenario.dir, "stack.yaml");
    const step = stepRunning(workflow.jobs.plan, "scripts/ci/plan.sh");
    const github = { GITHUB_STEP_SUMMARY: path.join(scenario.dir, "summary.md"), GITHUB_TOKEN: "ghs_test", GITHUB_REPOSITORY: "acme/infra", PR_NUMBER: "42" };

    scenario.writeStack(STACK.replace("uniqueName: support-workflow-e2e", "uniqueName: 42: no"));
    const invalid = await runStep(scenario, { ...step, run: `${step.run} ${stackFile}` }, { ...github, STACK: scenario.stack }, gh.bin);
    expect(invalid.code).not.toBe(0);
    expect(invalid.stdout).toMatch(/::error file=[^,]*stack\.yaml,line=4,col=19::/);

    scenario.writeStack(STACK.replace("friendlyName: Support", "friendlyName: Support desk"));
    const refused = await runStep(
      scenario,
      { ...step, run: `${step.run} ${stackFile}` },
      { ...github, STACK: scenario.stack, TWILIO_AUTH_TOKEN: "not-the-token" },
      gh.bin,
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("the preview failed");
    expect(refused.stderr).toContain("no plan comment posted");
    expect(refused.output).not.toContain("not-the-token");

    // it looked for an earlier plan comment to mark failed, found none, and wrote nothing
    expect(gh.calls().filter((call) => call.args.includes("--method"))).toEqual([]);
    expect(gh.comments()).toHaveLength(1);
    expect(fs.existsSync(github.GITHUB_STEP_SUMMARY)).toBe(false);
  }, E2E_TIMEOUT);

  it("drift.sh exits 3 naming the property after a friendlyName changed outside, 0 before", async () => {
    scenario = await deployed("workflow-drift");
    const step = stepRunning(workflow.jobs.drift, "scripts/ci/drift.sh");
    const summary = path.join(scenario.dir, "summary.md");
    const driftStep = () => runStep(scenario!, step, { STACK: scenario!.stack, GITHUB_STEP_SUMMARY: summary }, path.join(scenario!.dir, "no-bin"));

    const clean = await driftStep();
    expect(clean.code, clean.output).toBe(0);

    const support = twilioObjects(scenario.emulator).conversations.find((c) => c.unique_name === "support-workflow-e2e");
    const token = Buffer.from(`${scenario.credentialsEnv.TWILIO_ACCOUNT_SID}:${scenario.credentialsEnv.TWILIO_AUTH_TOKEN}`).toString("base64");
    const changed = await fetch(`${scenario.emulator.url}/v1/Conversations/${support.sid}`, {
      method: "POST",
      headers: { authorization: `Basic ${token}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ FriendlyName: "Renamed by hand" }),
    });
    expect(changed.status).toBe(200);

    const drifted = await driftStep();
    expect(drifted.code, drifted.output).toBe(3);
    expect(drifted.stdout).toContain("friendlyName");
    expect(drifted.stdout).toContain("Renamed by hand");
    expect(fs.readFileSync(summary, "utf8")).toContain("Renamed by hand");
  }, E2E_TIMEOUT);
});
