// Issue 13, "Hostile stack files": each hostile fixture is refused by the real engine's plain
// `pulumi preview` (the program itself refuses it, no pre-check in front), with the position
// `npm run validate` gives, and not one request reaches the emulator. Wall time and the peak
// memory of pulumi's process group are printed, not asserted: the targets live in bench.
import * as fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newScenario, type Scenario } from "./harness";

const E2E_TIMEOUT = 300_000;
const FIXTURES = "test/fixtures/invalid";

interface HostileCase {
  name: string;
  fixture: string;
  /** Lines of the rendered problems, each under its `file:line:col path` heading. */
  problems: { at: string; message: string }[];
}

const CASES: HostileCase[] = [
  {
    name: "alias bomb (10 levels × 10 aliases)",
    fixture: "alias-bomb.yaml",
    problems: [{ at: "8:51 conversations.lobby.attributes.l4[7]", message: "aliases up to *a3 expand the document by more than 100000 values" }],
  },
  {
    name: "cyclic alias",
    fixture: "alias-cycle.yaml",
    problems: [{ at: "2:31 conversations.c1.attributes.again", message: "the alias *x refers to a node that contains it, so its value would never end" }],
  },
  {
    name: "__proto__ as a conversation name",
    fixture: "proto-conversation-name.yaml",
    problems: [{ at: "2:3 conversations.__proto__", message: '"__proto__" cannot be used as a key' }],
  },
  {
    name: "__proto__ as an attribute key",
    fixture: "proto-attribute-key.yaml",
    problems: [{ at: "4:7 conversations.lobby.attributes.__proto__", message: '"__proto__" cannot be used as a key' }],
  },
  {
    name: "__proto__ as a content variable name",
    fixture: "proto-content-variable-key.yaml",
    problems: [{ at: "6:11 conversations.lobby.messages[0].contentVariables.__proto__", message: '"__proto__" cannot be used as a key' }],
  },
  {
    name: "numbers JSON cannot carry exactly",
    fixture: "number-not-exact-in-json.yaml",
    problems: [
      { at: "4:14 conversations.lobby.attributes.order", message: "the number 12345678901234567890 cannot be carried exactly in JSON" },
      { at: "5:13 conversations.lobby.attributes.huge", message: "the number 1e400 cannot be carried exactly in JSON" },
      { at: "6:13 conversations.lobby.attributes.tiny", message: "the number 1.0e-400 cannot be carried exactly in JSON" },
      { at: "7:16 conversations.lobby.attributes.endless", message: "the number .inf cannot be carried exactly in JSON" },
    ],
  },
  {
    name: "Latin-1 bytes (not UTF-8)",
    fixture: "not-utf-8.yaml",
    problems: [{ at: "3:22", message: "byte 0xE9 is not valid UTF-8" }],
  },
  {
    name: "closed timer P99999999999999W",
    fixture: "timer-closed-above-maximum.yaml",
    problems: [{ at: "5:7 conversations.lobby.timers.closed", message: 'the closed timer "P99999999999999W" is longer than 36500 days' }],
  },
];

/** Resident memory of every process in a process group, summed, from /proc; 0 where there is none. */
function groupRssBytes(group: number): number {
  let total = 0;
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // fields after the command name: state ppid pgrp …
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) !== group) continue;
      total += Number(fs.readFileSync(`/proc/${entry}/statm`, "utf8").split(" ")[1]) * 4096;
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

/** Plain `pulumi preview` on the scenario's stack, timed, its process group's memory sampled every 50 ms. */
async function measuredPreview(s: Scenario) {
  const started = performance.now();
  const { child, done } = s.start(["preview"]);
  let peakBytes = 0;
  const sampler = setInterval(() => (peakBytes = Math.max(peakBytes, groupRssBytes(child.pid!))), 50);
  try {
    const result = await done;
    return { ...result, seconds: (performance.now() - started) / 1000, peakBytes };
  } finally {
    clearInterval(sampler);
  }
}

let scenario: Scenario;
const measured: string[] = [];
beforeAll(async () => {
  scenario = await newScenario("hostile");
}, E2E_TIMEOUT);
afterAll(async () => {
  if (measured.length) console.log(`pulumi preview of hostile stack files:\n${measured.join("\n")}`);
  await scenario?.dispose();
}, E2E_TIMEOUT);

// One stack, the cases one after another: each preview's time and memory are its own.
describe("hostile stack files on the real engine: plain pulumi preview refuses each with its position and no API call", () => {
  for (const hostile of CASES) {
    it(hostile.name, async () => {
      const file = `${FIXTURES}/${hostile.fixture}`;
      await scenario.pulumi(["config", "set", "stackFile", file]);

      const preview = await measuredPreview(scenario);
      const line = `  ${hostile.name}: exit ${preview.code}, ${preview.seconds.toFixed(1)} s, peak RSS ${(preview.peakBytes / 2 ** 20).toFixed(0)} MiB (pulumi's process group, sampled)`;
      measured.push(line);
      console.log(line);

      expect(preview.code).not.toBe(0);
      expect(preview.output).toContain(`${file} is not a valid stack file`);
      for (const problem of hostile.problems) {
        // the heading and its ✖ line, one after the other as validate renders them
        expect(preview.output).toMatch(new RegExp(`${escape(`${file}:${problem.at}`)}\\s*\\n\\s*✖ ${escape(problem.message)}`));
      }
      expect(preview.output).not.toContain("Converting circular structure");
      expect(scenario.emulator.requests()).toEqual([]);
    }, E2E_TIMEOUT);
  }
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
