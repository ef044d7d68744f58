import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Fails the run when a process a test started outlives it.
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // End-to-end files spend most of their time waiting on pulumi and its plugins: run several at
    // once even on two cores (the default would run one file at a time there).
    maxWorkers: 4,
  },
});
