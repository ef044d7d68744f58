// `npm run pulumi -- preview` and `npm run plan` validate the stack file before the engine starts
// (provider/cli/pulumi.ts, through scripts/stack-check.js and scripts/cli.js). The engine here is a stand-in on PATH that records each call: a refused
// file leaves its log without a preview, and a valid one shows the stand-in would have caught one.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnGroup } from "../../support/processes";

const ROOT = path.resolve(__dirname, "../../..");
const STAND_IN_EXIT = 42;
const stack = `pre-check-${process.pid}-${Date.now().toString(36)}`;
const settings = path.join(ROOT, `Pulumi.${stack}.yaml`);
let work: string;
let log: string;
let env: Record<string, string>;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "tcp-pre-check-"));
  const bin = path.join(work, "bin");
  fs.mkdirSync(bin);
  log = path.join(work, "pulumi-calls.log");
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version;
  // the version the project needs, so scripts/engine.js takes it from PATH over any cached engine
  fs.writeFileSync(
    path.join(bin, "pulumi"),
    `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\n[ "$1" = version ] && { echo v${version}; exit 0; }\nexit ${STAND_IN_EXIT}\n`,
    { mode: 0o755 },
  );
  fs.writeFileSync(path.join(bin, "pulumi-language-nodejs"), "#!/bin/sh\nexit 1\n", { mode: 0o755 });
  env = {
    ...(process.env as Record<string, string>),
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${path.join(work, "backend")}`,
    PULUMI_HOME: path.join(work, "home"),
  };
});

afterAll(() => {
  fs.rmSync(settings, { force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

/** Points the stack at `file` (relative to the project) and runs `node script args` in the project. */
function runWith(file: string, script: string, args: string[]) {
  fs.writeFileSync(settings, `config:\n  twilio-conversations:stackFile: ${file}\n`);
  fs.rmSync(log, { force: true });
  return new Promise<{ code: number; stderr: string; calls: string[] }>((resolve, reject) => {
    const child = spawnGroup("node", [script, ...args], { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
      // `pulumi version` is scripts/engine.js checking the CLI it found, not an engine run
      resolve({ code: code ?? 1, stderr, calls: calls.filter((call) => call !== "version") });
    });
  });
}

const INVALID = [
  {
    fixture: "test/fixtures/invalid/unknown-key-conversation.yaml",
    problem: 'test/fixtures/invalid/unknown-key-conversation.yaml:3:5 conversations.lobby.uniqeName\n  ✖ unknown key "uniqeName"',
  },
  {
    fixture: "test/fixtures/invalid/alias-bomb.yaml",
    problem: "test/fixtures/invalid/alias-bomb.yaml:8:51 conversations.lobby.attributes.l4[7]\n  ✖ aliases up to *a3 expand the document by more than 100000 values",
  },
];
const VALID = "examples/minimal.yaml";

describe("npm run pulumi: the stack file is validated before the engine starts", () => {
  it.each(INVALID)("preview of $fixture exits 1 with the rendered problem and never starts the engine", async ({ fixture, problem }) => {
    const result = await runWith(fixture, "scripts/pulumi.js", ["preview", "--stack", stack]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${fixture} is not a valid stack file:\n\n${problem}`);
    expect(result.stderr).toContain("1 problem; pulumi was not started");
    expect(result.calls).toEqual([]);
  });

  it("up is refused too; a valid file starts the engine with the arguments as given", async () => {
    const up = await runWith(INVALID[0].fixture, "scripts/pulumi.js", ["up", "--yes", "--stack", stack]);
    expect(up.code).toBe(1);
    expect(up.stderr).toContain(INVALID[0].problem);
    expect(up.calls).toEqual([]);

    const valid = await runWith(VALID, "scripts/pulumi.js", ["preview", "--stack", stack]);
    expect(valid.stderr).not.toContain("is not a valid stack file");
    expect(valid.calls).toEqual([`preview --stack ${stack}`]);
    expect(valid.code).toBe(STAND_IN_EXIT);
  });
});

describe("npm run plan: the stack file is validated before the engine starts", () => {
  it.each(INVALID)("plan of $fixture exits 1 with the rendered problem and never starts the engine", async ({ fixture, problem }) => {
    const result = await runWith(fixture, "scripts/cli.js", ["plan", "--stack", stack]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${fixture} is not a valid stack file:\n\n${problem}`);
    expect(result.stderr).toContain("pulumi was not started");
    expect(result.stderr).not.toContain("the preview failed");
    expect(result.calls).toEqual([]);
  });

  it("a valid file goes on to the preview; drift compares Twilio with the last up, so the file is not checked", async () => {
    const valid = await runWith(VALID, "scripts/cli.js", ["plan", "--stack", stack]);
    expect(valid.calls[0]).toMatch(new RegExp(`^preview --json --show-sames --non-interactive --stack ${stack} --event-log `));
    expect(valid.stderr).toContain("the preview failed");
    expect(valid.code).toBe(1);

    const drift = await runWith(INVALID[1].fixture, "scripts/cli.js", ["drift", "--stack", stack]);
    expect(drift.calls[0]).toMatch(new RegExp(`^refresh --preview-only --json --non-interactive --stack ${stack} --event-log `));
    expect(drift.stderr).not.toContain(INVALID[1].problem);
    expect(drift.code).toBe(1);
  });
});
