// The user's own Pulumi CLI, run in the user's project: found on PATH, else in PULUMI_HOME's bin
// (where Pulumi's installer puts it, `~/.pulumi/bin` by default). Nothing here builds or
// downloads one.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { load } from "js-yaml";
import { loadStackFile, stackFilePath } from "../../schemas/load";
import { renderProblemReport } from "../../schemas/problems";

export type Env = Readonly<Record<string, string | undefined>>;

export interface PulumiResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Pulumi {
  /** Runs `pulumi args` in the project, with `extraEnv` on top of the command's environment. */
  run(args: readonly string[], extraEnv?: Env): Promise<PulumiResult>;
}

function isExecutable(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Where the `pulumi` binary is, and the PATH that finds it with its language host; null when there is none. */
export function locatePulumi(env: Env): { binary: string; path: string } | null {
  const path = env.PATH ?? "";
  for (const dir of path.split(delimiter)) {
    if (dir && isExecutable(join(dir, "pulumi"))) return { binary: join(dir, "pulumi"), path };
  }
  const bin = join(env.PULUMI_HOME || join(env.HOME || homedir(), ".pulumi"), "bin");
  if (isExecutable(join(bin, "pulumi"))) return { binary: join(bin, "pulumi"), path: path ? `${bin}${delimiter}${path}` : bin };
  return null;
}

export const NO_PULUMI = "no Pulumi CLI found on PATH or in $PULUMI_HOME/bin (~/.pulumi/bin): install it (`curl -fsSL https://get.pulumi.com | sh`, or pulumi/actions in a GitHub workflow) and try again";

/** The user's pulumi, in `projectDir`; null when none is installed. Update checks are off unless the user set them. */
export function pulumiIn(projectDir: string, env: Env): Pulumi | null {
  const located = locatePulumi(env);
  if (!located) return null;
  const base = { ...env, PATH: located.path, PULUMI_SKIP_UPDATE_CHECK: env.PULUMI_SKIP_UPDATE_CHECK || "true" };
  return {
    run: (args, extraEnv = {}) =>
      new Promise((resolve, reject) => {
        const child = spawn(located.binary, args, { cwd: projectDir, env: { ...base, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => (stdout += chunk));
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
      }),
  };
}

/** Pulumi.yaml's `name` and `main` (the program's folder), as far as they can be read. */
function projectSettings(projectDir: string): { name?: string; main?: string } {
  try {
    const project = load(readFileSync(join(projectDir, "Pulumi.yaml"), "utf8")) as { name?: unknown; main?: unknown } | null;
    return { name: typeof project?.name === "string" ? project.name : undefined, main: typeof project?.main === "string" ? project.main : undefined };
  } catch {
    return {};
  }
}

/** The stack a command acts on: the one named, else the project's selected stack; null when neither. */
export async function stackOf(named: string | undefined, pulumi: Pulumi): Promise<string | null> {
  if (named) return named;
  const selected = await pulumi.run(["stack", "--show-name", "--non-interactive"]);
  return selected.code === 0 && selected.stdout.trim() ? selected.stdout.trim() : null;
}

/**
 * The stack file a stack's program reads, by the convention of this package's programs: the
 * `stackFile` key of the project's config namespace in Pulumi.<stack>.yaml, else
 * stacks/<stack>.yaml, relative to the program's folder. `shown` is the path as configured.
 */
export function stackFileOf(projectDir: string, stack: string): { file: string; shown: string } | null {
  const { name, main } = projectSettings(projectDir);
  let configured: unknown;
  try {
    const settings = load(readFileSync(join(projectDir, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> } | null;
    configured = name ? settings?.config?.[`${name}:stackFile`] : undefined;
  } catch {
    // no stack settings: the program falls back to stacks/<stack>.yaml
  }
  if (configured !== undefined && typeof configured !== "string") return null;
  const shown = stackFilePath(configured, stack);
  return { file: resolve(projectDir, main ?? ".", shown), shown };
}

/**
 * The stack file's problems, rendered, before the engine starts: `validate` takes well under a
 * second where the engine takes seconds to start and fail. Null when the file is valid, or cannot
 * be told (no such file yet: the program says so itself).
 */
export function problemsBeforeEngine(projectDir: string, stack: string): string | null {
  const stackFile = stackFileOf(projectDir, stack);
  if (!stackFile || !existsSync(stackFile.file)) return null;
  const result = loadStackFile(stackFile.file, stackFile.shown);
  if (result.ok) return null;
  return `${stackFile.shown} is not a valid stack file:\n\n${renderProblemReport(result.problems)}; pulumi was not started`;
}
