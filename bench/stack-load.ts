// Stack-file benchmark: time and heap to load and validate a 5,000-conversation stack file, and the
// time to report a problem in such a file (which also builds the line:column source map).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v8 from "node:v8";
import * as vm from "node:vm";
import { loadStackFile } from "../schemas/load";
import type { BenchMetric } from "./metric";

const CONVERSATIONS = 5_000;
const MESSAGES_PER_CONVERSATION = 2;
const RUNS = 5;

function hex(n: number): string {
  return n.toString(16).padStart(32, "0");
}

/** A realistic stack file: every conversation has timers, attributes and two seed messages. */
export function generateStackText(conversations: number, brokenAt?: number): string {
  const lines = ["# yaml-language-server: $schema=../schemas/stack.schema.json", "conversations:"];
  for (let i = 0; i < conversations; i++) {
    lines.push(
      `  conversation-${i}:`,
      `    uniqueName: conversation-${i}`,
      `    friendlyName: "Conversation number ${i}"`,
      "    state: active",
      "    timers: { inactive: PT1H, closed: P1D }",
      `    attributes: { team: support, shard: ${i % 16}, tags: [seeded, bench] }`,
      `    messagingServiceSid: MG${hex(i)}`,
      "    messages:",
    );
    for (let m = 0; m < MESSAGES_PER_CONVERSATION; m++) {
      lines.push(
        `      - key: message-${m}`,
        `        author: ${i === brokenAt && m === 0 ? 42 : `user-${m}`}`,
        `        body: "Seed message ${m} of conversation ${i}"`,
        `        dateCreated: 2024-01-0${m + 1}T10:00:00Z`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

function collectGarbage(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeMs(action: () => void): number {
  const started = performance.now();
  action();
  return performance.now() - started;
}

export async function run(): Promise<BenchMetric[]> {
  const directory = mkdtempSync(join(tmpdir(), "stack-load-bench-"));
  try {
    const valid = join(directory, "valid.yaml");
    const broken = join(directory, "broken.yaml");
    writeFileSync(valid, generateStackText(CONVERSATIONS));
    writeFileSync(broken, generateStackText(CONVERSATIONS, CONVERSATIONS - 1));

    const expectOk = () => {
      const result = loadStackFile(valid);
      if (!result.ok) throw new Error(`benchmark stack file is invalid: ${result.problems[0].message}`);
    };
    const expectOneProblem = () => {
      const result = loadStackFile(broken);
      if (result.ok || result.problems.length !== 1) throw new Error("expected exactly one problem");
    };
    expectOk(); // warm-up: schema construction and JIT
    const loadTimes = Array.from({ length: RUNS }, () => timeMs(expectOk));
    const problemTimes = Array.from({ length: RUNS }, () => timeMs(expectOneProblem));

    const gc = collectGarbage();
    gc();
    const before = process.memoryUsage().heapUsed;
    const retained = loadStackFile(valid);
    gc();
    const after = process.memoryUsage().heapUsed;
    if (!retained.ok) throw new Error("benchmark stack file is invalid");

    return [
      { name: "stack file: load+validate 5,000 conversations", value: median(loadTimes), unit: "ms", target: 2_000, better: "lower" },
      { name: "stack file: report a problem in 5,000 conversations", value: median(problemTimes), unit: "ms", target: 3_000, better: "lower" },
      { name: "stack file: heap held by a loaded 5,000-conversation spec", value: (after - before) / 2 ** 20, unit: "MiB", target: 64, better: "lower" },
    ];
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

if (require.main === module) {
  run().then((metrics) => {
    for (const metric of metrics) process.stdout.write(`${metric.name}: ${metric.value.toFixed(1)} ${metric.unit}\n`);
  });
}
