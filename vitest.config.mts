import { relative } from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";
// @ts-expect-error: a CommonJS script without declarations
import engine from "./scripts/engine.js";

const cliVersions: string[] = engine.testedCliVersions();
const newestCli = cliVersions[cliVersions.length - 1];

// The whole suite runs on the oldest supported CLI (the project's own @pulumi/pulumi version), but
// for the files below, which run on the newest pinned CLI instead: the installed package (the
// starter on the current @pulumi/pulumi, as teams run it today) and the lifecycle of a stack, on
// both. `PULUMI_CLI_VERSION=<version> npx vitest run test/e2e` runs every e2e file on one version.
const onNewestCli = ["test/e2e/lifecycle.test.ts", "test/e2e/package.test.ts"];
const onNewestCliOnly = ["test/e2e/package.test.ts"];

/**
 * Vitest's own order runs every file of one project before any file of the next, so the newest-CLI
 * files, among the longest, ran alone at the end with the machine half idle. This order is its
 * own without that: files that failed last time first, then those it has no time for, then the
 * longest, whatever their project.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const last = (file: TestSpecification) => this.ctx.cache.getFileTestResults(`${file.project.name}:${relative(this.ctx.config.root, file.moduleId)}`);
    const rank = (file: TestSpecification) => {
      const result = last(file);
      return result === undefined ? [1, Infinity] : [result.failed ? 2 : 0, result.duration];
    };
    return [...files].sort((a, b) => {
      const [aFirst, aDuration] = rank(a);
      const [bFirst, bDuration] = rank(b);
      return bFirst - aFirst || bDuration - aDuration;
    });
  }
}

export default defineConfig({
  test: {
    // Fails the run when a process a test started outlives it.
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // End-to-end files spend most of their time waiting on pulumi and its plugins: run several at
    // once even on two cores (the default would run one file at a time there).
    maxWorkers: 4,
    sequence: { sequencer: LongestFirst },
    projects: [
      { extends: true, test: { name: "all", include: ["test/**/*.test.ts"], exclude: onNewestCliOnly } },
      {
        extends: true,
        test: { name: `pulumi-${newestCli}`, include: onNewestCli, env: { PULUMI_CLI_VERSION: newestCli } },
      },
    ],
  },
});
