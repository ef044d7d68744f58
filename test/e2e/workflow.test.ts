// The pull-request workflow as users install it: action.yml (shipped in the package) and the
// starter's workflow that uses it, parsed for fork safety; and the action's script run as GitHub
// runs it, on the real engine against the emulator, talking to a fake GitHub API that records the
// comments it is asked to post and edit.
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { load } from "js-yaml";
import { afterEach, describe, expect, it } from "vitest";
import { newScenario, twilioObjects, type CommandResult, type Scenario } from "./harness";

const E2E_TIMEOUT = 300_000;
const ROOT = path.resolve(__dirname, "../..");
const ACTION = load(fs.readFileSync(path.join(ROOT, "action.yml"), "utf8")) as Action;
const WORKFLOW = load(fs.readFileSync(path.join(ROOT, "examples/starter/.github/workflows/conversations.yml"), "utf8")) as Workflow;
const USES_ACTION = "./node_modules/twilio-conversations-pulumi";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { default?: string; required?: boolean }>;
  runs: { using: string; steps: Step[] };
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

interface Recorded {
  method: string;
  path: string;
  authorization?: string;
  body?: { body: string };
}

/** GitHub's issue-comments API, as far as the action uses it, with `reviewerComments` already on the pull request. */
async function fakeGitHub(reviewerComments: number) {
  const comments = Array.from({ length: reviewerComments }, (_, i) => ({ id: i + 1, body: `Reviewer comment ${i + 1}` }));
  const requests: Recorded[] = [];
  const server = http.createServer((request, response) => {
    let text = "";
    request.on("data", (chunk) => (text += chunk));
    request.on("end", () => {
      const url = new URL(request.url!, "http://localhost");
      const body = text ? JSON.parse(text) : undefined;
      requests.push({ method: request.method!, path: url.pathname, authorization: request.headers.authorization, body });
      const answer = (status: number, value: unknown) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
      if (request.method === "GET" && url.pathname === "/repos/acme/infra/issues/42/comments") {
        const perPage = Number(url.searchParams.get("per_page") ?? 30);
        const page = Number(url.searchParams.get("page") ?? 1);
        return answer(200, comments.slice((page - 1) * perPage, page * perPage));
      }
      if (request.method === "POST" && url.pathname === "/repos/acme/infra/issues/42/comments") {
        const comment = { id: 1000 + comments.length, body: body.body };
        comments.push(comment);
        return answer(201, comment);
      }
      const patched = /^\/repos\/acme\/infra\/issues\/comments\/(\d+)$/.exec(url.pathname);
      const comment = patched && comments.find((candidate) => candidate.id === Number(patched[1]));
      if (request.method === "PATCH" && comment) {
        comment.body = body.body;
        return answer(200, comment);
      }
      answer(404, { message: "Not Found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    writes: () => requests.filter((r) => r.method !== "GET"),
    comments,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The action's script step, run with bash as GitHub runs a composite action's step: its env from inputs, in the project. */
function runAction(scenario: Scenario, inputs: Record<string, string>, github: Record<string, string>): Promise<CommandResult> {
  const step = ACTION.runs.steps.find((candidate) => candidate.run)!;
  const input = (name: string) => inputs[name] ?? ACTION.inputs[name].default ?? "";
  const env: Record<string, string> = {
    INPUT_STACKS: input("stacks"),
    INPUT_FILES: input("files"),
    INPUT_MODE: input("mode"),
    GITHUB_TOKEN: input("github-token"),
    GITHUB_ACTION_PATH: ROOT,
    ...github,
  };
  expect(Object.keys(step.env!).sort()).toEqual(["GITHUB_TOKEN", "INPUT_FILES", "INPUT_MODE", "INPUT_STACKS"]);
  const assignments = Object.entries(env).map(([key, value]) => `${key}=${value}`);
  return scenario.run("env", [...assignments, "bash", "-e", "-c", step.run!]);
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
afterEach(async () => {
  await scenario?.dispose();
  scenario = undefined;
});

async function deployed(name: string): Promise<Scenario> {
  const made = await newScenario(name);
  made.writeStack(STACK);
  await made.up();
  return made;
}

/** A pull_request event's payload, from this repository or a fork. */
function pullRequestEvent(dir: string, headRepository = "acme/infra"): string {
  const file = path.join(dir, "event.json");
  fs.writeFileSync(file, JSON.stringify({ pull_request: { number: 42, head: { repo: { full_name: headRepository } }, base: { repo: { full_name: "acme/infra" } } } }));
  return file;
}

describe("the action and the starter's workflow", () => {
  it("the action installs the Pulumi CLI the conventional way and passes its inputs as variables, never pasted into the script", () => {
    expect(ACTION.runs.using).toBe("composite");
    expect(ACTION.runs.steps[0].uses).toMatch(/^pulumi\/actions@v\d+$/);
    const script = ACTION.runs.steps.find((step) => step.run)!;
    expect(script.run).not.toContain("${{");
    expect(script.run).toContain('"$GITHUB_ACTION_PATH/dist/provider/cli.js" github');
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(manifest.files).toContain("action.yml");
  });

  it("the starter's workflow plans pull requests with write access to them only, and checks drift on main only", () => {
    expect(Object.keys(WORKFLOW.on).sort()).toEqual(["pull_request", "push", "schedule"]);
    expect(WORKFLOW.on).not.toHaveProperty("pull_request_target");
    expect(WORKFLOW.permissions).toEqual({ contents: "read" });
    const { plan, drift } = WORKFLOW.jobs;
    expect(plan.if).toBe("github.event_name == 'pull_request'");
    expect(plan.permissions?.["pull-requests"]).toBe("write");
    expect(drift.if).toBe("github.event_name != 'pull_request' && github.ref == 'refs/heads/main'");
    expect(drift.environment).toBe("production");
    expect(drift.permissions ?? {}).not.toHaveProperty("pull-requests");
    for (const job of [plan, drift]) {
      const uses = job.steps.findIndex((step) => step.uses === USES_ACTION);
      expect(uses).toBeGreaterThan(job.steps.findIndex((step) => step.run === "npm ci"));
      expect(job.steps[uses].with?.stacks).toBe("dev");
      // the only step with secrets is the action's
      expect(job.steps.filter((step) => JSON.stringify(step.env ?? {}).includes("secrets.")).map((step) => step.uses)).toEqual([USES_ACTION]);
    }
  });
});

describe("the action's script on the real engine, with a fake GitHub API", () => {
  it("a pull request: validates, posts one plan comment per stack, edits it on the next run (found past the first page), and marks it out of date when the preview fails", async () => {
    scenario = await deployed("workflow-plan");
    const github = await fakeGitHub(100);
    try {
      const summary = path.join(scenario.dir, "summary.md");
      const env = {
        GITHUB_EVENT_NAME: "pull_request",
        GITHUB_EVENT_PATH: pullRequestEvent(scenario.dir),
        GITHUB_REPOSITORY: "acme/infra",
        GITHUB_API_URL: github.url,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_RUN_ID: "9",
      };
      const inputs = { stacks: scenario.stack, files: path.join(scenario.dir, "*.yaml"), "github-token": "ghs_test" };
      const marker = `<!-- twilio-conversations-plan:${scenario.stack} -->`;

      scenario.writeStack(STACK.replace("friendlyName: Support", "friendlyName: Support desk"));
      const first = await runAction(scenario, inputs, env);
      expect(first.code, first.output).toBe(0);
      expect(github.writes().map((r) => `${r.method} ${r.path}`)).toEqual(["POST /repos/acme/infra/issues/42/comments"]);
      const posted = github.writes()[0];
      expect(posted.authorization).toBe("Bearer ghs_test");
      expect(posted.body!.body).toBe(
        [
          marker,
          `### Plan of stack \`${scenario.stack}\``,
          "",
          "**Plan: 1 to update**",
          "",
          "- `~` **update** conversation `support`",
          '  - friendlyName: `"Support"` → `"Support desk"`',
          "",
        ].join("\n"),
      );
      expect(fs.readFileSync(summary, "utf8")).toContain(posted.body!.body);

      scenario.writeStack(STACK.replace("friendlyName: Support", "friendlyName: Help desk"));
      const second = await runAction(scenario, inputs, env);
      expect(second.code, second.output).toBe(0);
      const ours = github.comments.filter((comment) => comment.body.startsWith(marker));
      expect(ours).toHaveLength(1);
      expect(github.writes().map((r) => `${r.method} ${r.path}`)).toEqual([
        "POST /repos/acme/infra/issues/42/comments",
        `PATCH /repos/acme/infra/issues/comments/${ours[0].id}`,
      ]);
      expect(ours[0].body).toContain('`"Help desk"`');
      expect(ours[0].body).not.toContain("Support desk");
      expect(github.comments).toHaveLength(101);

      // red: the preview fails (credentials refused); the comment says the plan is out of date
      scenario.credentialsEnv.TWILIO_AUTH_TOKEN = "not-the-token";
      const refused = await runAction(scenario, inputs, env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`the preview of stack ${scenario.stack} failed; no plan comment posted`);
      expect(refused.output).not.toContain("not-the-token");
      expect(github.writes()).toHaveLength(3);
      expect(ours[0].body).toBe(
        `${marker}\n### Plan of stack \`${scenario.stack}\`\n\n**The preview failed** ([the run](https://github.com/acme/infra/actions/runs/9)): see the job log. The plan shown before is out of date.\n`,
      );

      // red: an invalid stack file is annotated on the diff and nothing is previewed
      scenario.credentialsEnv.TWILIO_AUTH_TOKEN = scenario.emulator.credentials.authToken;
      scenario.writeStack(STACK.replace("uniqueName: support-workflow-e2e", "uniqueName: 42: no"));
      scenario.emulator.clearRequests();
      const invalid = await runAction(scenario, inputs, env);
      expect(invalid.code).toBe(1);
      expect(invalid.stdout).toMatch(/::error file=[^,]*stack\.yaml,line=4,col=19::/);
      expect(scenario.emulator.requests()).toEqual([]);
      expect(ours[0].body).toContain("**Validation failed**");
    } finally {
      await github.close();
    }
  }, E2E_TIMEOUT);

  it("a pull request from a fork, without secrets: validates only, says so, runs no preview and writes no comment", async () => {
    scenario = await deployed("workflow-fork");
    const github = await fakeGitHub(1);
    try {
      const summary = path.join(scenario.dir, "summary.md");
      for (const name of Object.keys(scenario.credentialsEnv)) scenario.credentialsEnv[name] = "";
      scenario.emulator.clearRequests();
      const result = await runAction(
        scenario,
        { stacks: scenario.stack, files: path.join(scenario.dir, "stack.yaml"), "github-token": "ghs_read_only" },
        {
          GITHUB_EVENT_NAME: "pull_request",
          GITHUB_EVENT_PATH: pullRequestEvent(scenario.dir, "someone/infra"),
          GITHUB_REPOSITORY: "acme/infra",
          GITHUB_API_URL: github.url,
          GITHUB_STEP_SUMMARY: summary,
          PULUMI_CONFIG_PASSPHRASE: "",
        },
      );
      expect(result.code, result.output).toBe(0);
      expect(result.stdout).toContain(`ok ${path.join(scenario.dir, "stack.yaml")}`);
      expect(result.stdout).toContain(`::notice title=Plan of stack ${scenario.stack} not made::no credentials reached this job`);
      expect(fs.readFileSync(summary, "utf8")).toContain("**Not previewed:** no credentials reached this job (pull requests from forks get no secrets)");
      expect(github.requests).toEqual([]);
      expect(scenario.emulator.requests()).toEqual([]);
    } finally {
      await github.close();
    }
  }, E2E_TIMEOUT);

  it("on main: the drift gate exits 0, then 3 naming the property after a change made in Twilio", async () => {
    scenario = await deployed("workflow-drift");
    const summary = path.join(scenario.dir, "summary.md");
    const onMain = () => runAction(scenario!, { stacks: scenario!.stack }, { GITHUB_EVENT_NAME: "push", GITHUB_STEP_SUMMARY: summary });

    const clean = await onMain();
    expect(clean.code, clean.output).toBe(0);
    expect(clean.stdout).toContain("**No drift: Twilio holds what the last up recorded.**");

    const support = twilioObjects(scenario.emulator).conversations.find((c) => c.unique_name === "support-workflow-e2e");
    const token = Buffer.from(`${scenario.credentialsEnv.TWILIO_ACCOUNT_SID}:${scenario.credentialsEnv.TWILIO_AUTH_TOKEN}`).toString("base64");
    const changed = await fetch(`${scenario.emulator.url}/v1/Conversations/${support.sid}`, {
      method: "POST",
      headers: { authorization: `Basic ${token}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ FriendlyName: "Renamed by hand" }),
    });
    expect(changed.status).toBe(200);

    const drifted = await onMain();
    expect(drifted.code, drifted.output).toBe(3);
    expect(drifted.stdout).toContain('friendlyName: `"Support"` → `"Renamed by hand"`');
    expect(drifted.stderr).toContain(`stack ${scenario.stack} has drifted`);
    expect(fs.readFileSync(summary, "utf8")).toContain(`### Drift of stack \`${scenario.stack}\``);
  }, E2E_TIMEOUT);
});
