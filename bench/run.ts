// Runs the benchmarks one module after another, prints one line per figure (value, target, the
// ratio to the target and whether it was met) and writes every result to
// bench/results/latest.json. Missed targets are reported, not failed: the exit status is 0 unless
// a benchmark itself could not run.
//
//   npm run bench                      every module
//   npm run bench -- --only provider   one module (emulator | stack-load | provider | seeding | seeding-children | seeding-grouped;
//                                      may repeat or use commas)
//   npm run bench -- --only seeding --sizes 50,150
//                                      seeding sizes in conversations × 4 messages (default 50,150,500;
//                                      seeding-children: 50, with 3 participants and a webhook each;
//                                      seeding-grouped: 500,2000, about 50 conversations per group)
//   npm run bench -- --only seeding-grouped --per-conversation 500,2000
//                                      seeding-grouped: the sizes at which one resource per conversation
//                                      also runs (default: those up to 500; 2,000 takes many minutes)
import * as fs from "node:fs";
import * as path from "node:path";
import type { BenchMetric, BenchOptions, BenchReport } from "./metric";

interface BenchModule {
  run(options: BenchOptions): Promise<BenchMetric[] | BenchReport>;
}

/* eslint-disable @typescript-eslint/no-require-imports */
const MODULES: Record<string, () => BenchModule> = {
  emulator: () => require("./emulator"),
  "stack-load": () => require("./stack-load"),
  provider: () => require("./provider"),
  seeding: () => require("./seeding"),
  "seeding-children": () => require("./seeding-children"),
  "seeding-grouped": () => require("./seeding-grouped"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

const RESULTS = path.resolve(__dirname, "../../bench/results/latest.json");

interface Scored extends BenchMetric {
  module: string;
  /** value/target, or target/value when lower is better; null without a usable target. */
  ratio: number | null;
  met: boolean | null;
}

function score(module: string, metric: BenchMetric): Scored {
  const { target, value, better } = metric;
  if (target === undefined) return { ...metric, module, ratio: null, met: null };
  const met = better === "higher" ? value >= target : value <= target;
  let ratio: number | null;
  if (better === "higher") ratio = target === 0 ? null : value / target;
  else ratio = value === 0 ? (target === 0 ? null : Infinity) : target / value;
  return { ...metric, module, ratio, met };
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  return value.toFixed(magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2);
}

function withUnit(value: number, unit: string): string {
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

function formatRatio(ratio: number | null): string {
  if (ratio === null) return "–";
  if (ratio === Infinity) return "∞×";
  return `${ratio.toFixed(2)}×`;
}

function parseArguments(argv: string[]): { only: string[]; options: BenchOptions } {
  const only: string[] = [];
  const options: BenchOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (flag === "--help" || flag === "-h") usage(0);
    if (flag !== "--only" && flag !== "--sizes" && flag !== "--per-conversation") usage(2, `unknown argument: ${arg}`);
    const value = inline ?? argv[++i];
    const items = (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    if (!items.length) usage(2, `${flag} needs a value`);
    if (flag === "--sizes" || flag === "--per-conversation") {
      const sizes = items.map(Number);
      if (sizes.some((size) => !Number.isInteger(size) || size < 1)) usage(2, `${flag} takes whole numbers of conversations, e.g. 50,150: ${value}`);
      if (flag === "--sizes") options.sizes = sizes;
      else options.perConversationSizes = sizes;
      continue;
    }
    for (const name of items) {
      if (!(name in MODULES)) usage(2, `unknown benchmark module: ${name}`);
      if (!only.includes(name)) only.push(name);
    }
  }
  return { only: only.length ? only : Object.keys(MODULES), options };
}

function usage(code: number, problem?: string): never {
  if (problem) console.error(problem);
  console.error(`usage: node dist/bench/run.js [--only ${Object.keys(MODULES).join("|")}] [--sizes 50,150,500] [--per-conversation 500]`);
  process.exit(code);
}

function printTable(rows: Scored[]): void {
  const cells = rows.map((row) => [
    row.name,
    withUnit(row.value, row.unit),
    row.target === undefined ? "–" : `${better(row)} ${withUnit(row.target, row.unit)}`,
    formatRatio(row.ratio),
    row.met === null ? "" : row.met ? "met" : "MISSED",
  ]);
  const header = ["metric", "value", "target", "ratio", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c.map((cell, i) => (i === 1 || i === 2 || i === 3 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ").trimEnd();
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const c of cells) console.log(line(c));
}

function better(metric: BenchMetric): string {
  return metric.better === "higher" ? "≥" : "≤";
}

async function main(): Promise<void> {
  const { only: selected, options } = parseArguments(process.argv.slice(2));
  const startedAt = new Date();
  const modules: Record<string, { seconds: number; error?: string; notes?: string[] }> = {};
  const scored: Scored[] = [];

  for (const name of selected) {
    const started = performance.now();
    process.stderr.write(`bench: ${name}…\n`);
    try {
      const result = await MODULES[name]().run(options);
      const { metrics, notes } = Array.isArray(result) ? { metrics: result, notes: [] } : result;
      scored.push(...metrics.map((metric) => score(name, metric)));
      modules[name] = { seconds: (performance.now() - started) / 1000, ...(notes.length ? { notes } : {}) };
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      modules[name] = { seconds: (performance.now() - started) / 1000, error: message };
      console.error(`bench: ${name} failed: ${message}`);
    }
    process.stderr.write(`bench: ${name} took ${modules[name].seconds.toFixed(1)} s\n`);
  }

  console.log();
  printTable(scored);
  const withTarget = scored.filter((row) => row.met !== null);
  const missed = withTarget.filter((row) => !row.met);
  const failed = Object.entries(modules).filter(([, m]) => m.error);
  const notes = Object.values(modules).flatMap((m) => m.notes ?? []);
  if (notes.length) console.log(`\n${notes.map((note) => `note: ${note}`).join("\n")}`);
  console.log();
  console.log(
    `${withTarget.length - missed.length}/${withTarget.length} targets met` +
      (missed.length ? `; missed: ${missed.map((row) => row.name).join("; ")}` : "") +
      (failed.length ? `; FAILED to run: ${failed.map(([name]) => name).join(", ")}` : ""),
  );

  const report = {
    startedAt: startedAt.toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    modules,
    // JSON has no Infinity: an unbounded ratio (a zero where lower is better) is written as null.
    metrics: scored.map((row) => ({ ...row, ratio: row.ratio !== null && Number.isFinite(row.ratio) ? row.ratio : null })),
  };
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`results written to ${path.relative(process.cwd(), RESULTS) || RESULTS}`);

  // Leftover keep-alive sockets must not hold the process open.
  process.exit(failed.length ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
